"""Upload reports: validate, correct, preview, then commit (signed-in analysts only).

For each uploaded file the page shows what was recognised (layout, sheets,
header rows, period, and which indicator each column of a wide report stands
for), lets the analyst correct the period and the column mapping, shows the
validation report as a table and a preview of what would change (new, changed
old → new, unchanged). Nothing is written until "Load into the warehouse",
which runs one `load_bytes` as the signed-in analyst. The work is done by
`dashboard.uploads` (plain functions); this file only draws it.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.data import warehouse
from dashboard.formatting import md_escape
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.uploads import (
    MAX_UPLOAD_MB,
    Review,
    commit,
    decode_choice,
    encode_choice,
    problems_table,
    review_upload,
    role_options,
    wide_columns,
)
from etl.loader import file_hash
from etl.reference import load_catalogue

log = logging.getLogger(__name__)
RESULTS_KEY = "upload.results"
REVIEWS_KEY = "upload.reviews"

ctx = current_context()
lang = ctx.lang
st.title(t("nav.upload", lang))
user = auth.sign_in_panel(lang)
if not user:
    st.stop()

catalogue = load_catalogue()
wh = warehouse(ctx.db_path)


def _indicator_name(code: str) -> str:
    ind = catalogue.indicators.get(code)
    if ind is None:
        return code
    return ind.name_en if lang == "en" else ind.name_vi


def _unit_name(code: str) -> str:
    unit = catalogue.units.get(code)
    return unit.name_vi if unit else code


def _choice_label(option: str) -> str:
    choice = decode_choice(option)
    if choice is None:
        return t("upload.ignore", lang)
    code, role = choice
    return f"{_indicator_name(code)} — {t('upload.role.' + role, lang)}"


def _map_key(digest: str, letter: str) -> str:
    return f"upload.map.{digest}.{letter}"


def _column_map_from_state(digest: str) -> dict:
    prefix = f"upload.map.{digest}."
    return {key[len(prefix):]: decode_choice(value) for key, value in st.session_state.items()
            if isinstance(key, str) and key.startswith(prefix)}


def _review(data: bytes, name: str, period_text: str, column_map: dict) -> Review:
    """Reviews are kept per session, keyed by content, corrections and data version."""
    key = (file_hash(data), name, period_text, tuple(sorted(column_map.items())), wh.data_version())
    reviews = st.session_state.setdefault(REVIEWS_KEY, {})
    if key not in reviews:
        if len(reviews) > 20:
            reviews.clear()
        cur = wh.cursor()
        try:
            reviews[key] = review_upload(cur, data, name, period_text, column_map)
        finally:
            cur.close()
    return reviews[key]


def _detected(review: Review) -> None:
    st.markdown(f"**{t('upload.detected', lang)}**")
    sheets = review.check.sheets
    if not sheets:
        st.caption(f"{t('upload.layout', lang)}: {t('upload.layout.none', lang)}")
        return
    rows = []
    for sheet in sheets:
        first, last = sheet.header_rows
        if sheet.period:
            period = sheet.period
        elif sheet.layout == "long" and "period" in sheet.fields.values():
            period = t("upload.period_each_row", lang)
        else:
            period = t("upload.period_none", lang)
        rows.append({
            t("upload.sheet", lang): sheet.sheet or "—",
            t("upload.layout", lang): t(f"upload.layout.{sheet.layout}", lang),
            t("upload.header_rows", lang): f"{first}" if first == last else f"{first}–{last}",
            t("upload.period_found", lang): period,
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    long_fields = {letter: field for s in sheets if s.layout == "long" for letter, field in s.fields.items()}
    if long_fields:
        st.caption(t("upload.fields", lang) + ": " + ", ".join(f"{k} → {v}" for k, v in long_fields.items()))


def _mapping(review: Review, digest: str) -> None:
    columns = wide_columns(review.check.sheets)
    if not columns:
        return
    st.markdown(f"**{t('upload.mapping', lang)}**")
    st.caption(t("upload.mapping_help", lang))
    options = role_options(catalogue)
    grid = st.columns(3)
    for i, col in enumerate(columns):
        key = _map_key(digest, col.letter)
        current = encode_choice(col.chosen)
        grid[i % 3].selectbox(
            f"{col.letter}: {col.label or '—'}",
            options,
            index=options.index(current) if current in options else 0,
            format_func=_choice_label,
            key=key,
            placeholder=t("common.choose_one", lang),
        )


def _problems(review: Review) -> None:
    problems = review.problems
    st.markdown(f"**{t('upload.problems', lang)}**")
    if not problems:
        st.caption(t("upload.no_problems", lang))
        return
    errors = sum(p.is_error for p in problems)
    if errors:
        st.error(t("upload.errors", lang, n=errors), icon=":material/error:")
    else:
        st.warning(t("upload.warnings", lang, n=len(problems)), icon=":material/warning:")
    table = problems_table(problems, lang)
    table["severity"] = [t(f"upload.severity.{s}", lang) for s in table["severity"]]
    table.columns = [t(f"upload.col.{c}", lang) for c in table.columns]
    st.dataframe(table, hide_index=True)


def _preview(review: Review) -> None:
    st.markdown(f"**{t('upload.preview', lang)}**")
    counts = review.counts
    cards = st.columns(3)
    for card, change in zip(cards, ("new", "changed", "unchanged")):
        card.metric(t(f"upload.{change}", lang), counts[change])
    frame = review.preview
    if not len(frame):
        return
    shown = pd.DataFrame({
        t("upload.col.indicator", lang): [_indicator_name(c) for c in frame["indicator_code"]],
        t("upload.col.unit", lang): [_unit_name(c) for c in frame["unit_code"]],
        t("upload.col.period", lang): frame["period"],
        t("upload.col.breakdown", lang): frame["breakdown"],
        t("upload.col.old", lang): frame["old_value"],
        t("upload.col.new", lang): frame["new_value"],
        t("upload.col.change", lang): [t(f"upload.{c}", lang) for c in frame["change"]],
    })
    st.dataframe(shown, hide_index=True)


def _commit(review: Review, digest: str) -> None:
    clicked = st.button(t("upload.commit", lang), key=f"upload.commit.{digest}", type="primary",
                        disabled=not review.ok, icon=":material/upload:")
    if not clicked:
        return
    counts = review.counts
    result = commit(wh, review, who=user)
    if result.status == "loaded":
        message = ("success", t("upload.committed", lang, file=md_escape(review.file_name), load_id=result.load_id,
                                rows=result.rows, **counts))
    elif result.status == "already_loaded":
        message = ("info", t("upload.already", lang, file=md_escape(review.file_name), load_id=result.load_id))
    else:
        message = ("error", t("upload.invalid", lang, file=md_escape(review.file_name)))
    st.session_state.setdefault(RESULTS_KEY, []).append(message)
    st.rerun()  # the preview now compares with the new warehouse


def _file_section(uploaded) -> None:
    data = uploaded.getvalue()
    digest = file_hash(data)[:12]
    with st.container(border=True):
        st.subheader(md_escape(uploaded.name))  # a client's text: never Markdown
        period_text = st.text_input(t("upload.period", lang), key=f"upload.period.{digest}",
                                    help=t("upload.period_help", lang))
        review = _review(data, uploaded.name, period_text, _column_map_from_state(digest))
        _detected(review)
        _mapping(review, digest)
        _problems(review)
        if review.ok:
            _preview(review)
        _commit(review, digest)


st.markdown(t("upload.intro", lang, mb=MAX_UPLOAD_MB))
# No `type=` filter: Streamlit would reject a wrong extension with an exception;
# review_upload refuses it with a bilingual message instead.
files = st.file_uploader(t("upload.files", lang), accept_multiple_files=True, key="upload.files",
                         max_upload_size=MAX_UPLOAD_MB, help=t("upload.files_help", lang))
for kind, text in st.session_state.get(RESULTS_KEY, []):
    getattr(st, kind)(text)
for uploaded in files or []:
    try:
        _file_section(uploaded)
    except Exception:  # one broken file must not take the page down
        log.exception("upload of %s failed", getattr(uploaded, "name", "?"))
        st.error(t("upload.unexpected", lang, file=getattr(uploaded, "name", "?")))
