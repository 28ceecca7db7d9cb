"""The body of the 'By department' page (and of a page of district-like units: ``render(kinds,
"districts")``), and the helpers dashboard/area_page.py ('By area') shares: widgets and layout.

No SQL here: figures come from dashboard.queries (through ``data.query``) and
dashboard.unit_queries (through ``unit_query``, cached the same way, by the
warehouse's data version); figures are drawn by dashboard.unit_charts.

What the page shows, for one indicator (``?indicator=``) and one period (``?period=``):
the province value, the units that reported, a ranked bar chart with the target
and province lines, the units that did not report (listed, never drawn as 0), a
heatmap of units × indicators (each indicator's latest period), trends for the
chosen units (``?units=a,b``) with the province dashed, and on the district page a
bubble map placed by the units' centroids (no tiles, no plotly geo: works offline).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data, unit_charts, unit_queries
from dashboard.formatting import fmt_date, fmt_percent, fmt_value, is_missing
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.queries import ALL_CHILD_KINDS
from dashboard.url_state import url_multiselect, url_selectbox
from etl.periods import Period

log = logging.getLogger(__name__)

DEFAULT_INDICATOR = "online_dossier_rate"
PLOTLY_CONFIG = {"displaylogo": False}
_KIND_PREFIXES = {"vi": ("Thành phố ", "Thị xã ", "Huyện "), "en": ()}
_KIND_SUFFIXES = {"vi": (), "en": (" City", " Town", " District")}


def unit_query(name: str, *args, db_path: Path | None = None, **kwargs):
    """Run ``dashboard.unit_queries.<name>(cursor, ...)``, cached by the data version."""
    return data.query_in(unit_queries.__name__, name, *args, db_path=db_path, **kwargs)


def _period(row) -> Period:
    return Period(row["period_kind"], pd.Timestamp(row["period_start"]).date(),
                  pd.Timestamp(row["period_end"]).date())


def _name(row, lang: str, vi: str = "name_vi", en: str = "name_en") -> str:
    en_name = row.get(en)
    return en_name if lang == "en" and isinstance(en_name, str) and en_name else row[vi]


def _names(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """{code: name in ``lang``} as ``_name`` gives it for each row (English where there is one)."""
    names = frame["name_vi"]
    if lang == "en" and "name_en" in frame:
        english = frame["name_en"]
        names = english.where(english.notna() & (english.astype("string") != ""), names)
    return dict(zip(frame["code"], names, strict=True))


def _short_unit(name: str, lang: str) -> str:
    """'Huyện Quế Sơn' -> 'Quế Sơn' (for notes that are already about districts)."""
    for prefix in _KIND_PREFIXES[lang]:
        if name.startswith(prefix):
            return name[len(prefix):]
    for suffix in _KIND_SUFFIXES[lang]:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def merged_note(row, names: dict[str, str], lang: str) -> str:
    """'Đã sáp nhập vào Quế Sơn (từ 01/01/2025)' for a unit with a successor, else ''."""
    successor, valid_to = row.get("successor"), row.get("valid_to")
    if is_missing(successor) or is_missing(valid_to):
        return ""
    since = pd.Timestamp(valid_to).date() + timedelta(days=1)
    return t("units.merged_since", lang, successor=_short_unit(names.get(successor, successor), lang),
             date=fmt_date(since, lang))


def _default_period(periods: list[Period], code: str, kinds, db_path, province) -> str:
    """The newest period of the indicator's dominant kind (falling back to the newest of any)."""
    kinds_in_options = {p.kind for p in periods}
    dominant = data.query("dominant_period_kind", code, db_path=db_path)
    if dominant not in kinds_in_options:
        dominant = unit_query("dominant_kind_for_units", code, tuple(kinds), province=province, db_path=db_path)
    newest_first = sorted(periods, key=lambda p: (p.end, p.start), reverse=True)
    return next((p.code for p in newest_first if p.kind == dominant), newest_first[0].code)


def _add_period_from_url(by_code: dict[str, Period]) -> None:
    """A deep link to a valid period with no data for these units keeps that period.

    The page then says 'no data' and lists every unit as not reported, instead of
    silently showing another period than the link asked for.
    """
    wanted = st.query_params.get("period")
    if not wanted or wanted in by_code:
        return
    try:
        period = Period.from_code(wanted)
    except (ValueError, TypeError):
        return
    if period.code == wanted:
        by_code[wanted] = period


def province_value_at(code: str, period: Period, province: str, db) -> float | None:
    """The province's value of `code` in exactly `period` (queries.province_values), else None."""
    rows = data.query("province_values", code, period_kind=period.kind, province=province, db_path=db)
    rows = rows[(pd.to_datetime(rows["period_start"]).dt.date == period.start)
                & (pd.to_datetime(rows["period_end"]).dt.date == period.end)]
    return rows["value"].iloc[0] if not rows.empty else None


def render(kinds: tuple[str, ...], group: str) -> None:
    """The whole page for units of ``kinds``; ``group`` is 'districts' or 'departments'."""
    ctx = current_context()
    lang, db, province = ctx.lang, ctx.db_path, ctx.province
    st.title(t(f"nav.{group}", lang))
    try:
        indicators = unit_query("indicators_with_unit_data", tuple(kinds), province=province, db_path=db)
        all_units = data.query("units", ALL_CHILD_KINDS, db_path=db)
    except Exception:  # a message, never a traceback
        log.exception("unit page: catalogue query failed")
        st.error(t("error.query", lang))
        return
    if indicators.empty:
        st.info(t("units.no_indicators", lang))
        return
    names = _names(all_units, lang)  # every unit of the country at national size: no row loop
    info_by_code = {r["code"]: r for _, r in indicators.iterrows()}
    codes = list(indicators["code"])

    col_ind, col_period = st.columns([3, 2])
    code = url_selectbox(
        t("common.indicator", lang), codes, "indicator", container=col_ind,
        format_func=lambda c: _name(info_by_code[c], lang), default=DEFAULT_INDICATOR,
        placeholder=t("common.choose_one", lang),
    )
    info = info_by_code[code]
    periods = data.query("periods", code, tuple(kinds), province=province, db_path=db)
    if periods.empty:
        st.info(t("common.no_data", lang))
        return
    period_list = [_period(r) for _, r in periods.iterrows()]
    by_code = {p.code: p for p in period_list}
    _add_period_from_url(by_code)
    period_codes = sorted(by_code, key=lambda c: (by_code[c].end, by_code[c].start), reverse=True)
    period_code = url_selectbox(
        t("common.period", lang), period_codes, "period", container=col_period,
        format_func=lambda c: by_code[c].label(lang),
        default=_default_period(period_list, code, kinds, db, province),
        placeholder=t("common.choose_one", lang),
    )
    period = by_code[period_code]
    indicator_name = _name(info, lang)
    unit = info["unit"]
    by = t(f"units.by.{group}", lang)

    values = data.query("unit_values", code, period.start, period.end, tuple(kinds), province=province, db_path=db)
    frame = values.assign(
        name=[_name(r, lang, "unit_name", "name_en") for _, r in values.iterrows()],
        note=[merged_note(r, names, lang) for _, r in values.iterrows()],
    )
    reported = frame[frame["value"].notna()]
    silent = frame[frame["value"].isna()]

    province_value = province_value_at(code, period, province, db)

    _metrics(info, lang, province_value, reported, frame)

    st.subheader(t("units.section.ranking", lang))
    title = t("units.chart_title", lang, indicator=indicator_name, by=by, period=period.label(lang))
    if info["direction"] == "down":
        title += f" ({t('units.lower_is_better', lang)})"
    if unit == "yesno":
        yes = int((reported["value"] >= 0.5).sum())
        title += f" — {t('units.yes_share', lang, yes=yes, total=len(frame))}"
    if group == "districts":
        left, right = st.columns([3, 2])
    else:
        left, right = st.container(), None
    with left:
        if reported.empty:
            st.info(t("units.no_data_period", lang))
        else:
            fig = unit_charts.ranked_bar(
                reported, unit=unit, direction=info["direction"], title=title, lang=lang,
                target=None if unit == "yesno" else info["target"],
                province=None if unit == "yesno" else province_value,
                numerator_label=info.get(f"numerator_{lang}") if isinstance(info.get(f"numerator_{lang}"), str) else None,
                denominator_label=info.get(f"denominator_{lang}") if isinstance(info.get(f"denominator_{lang}"), str) else None,
            )
            st.plotly_chart(fig, key=f"{group}-ranking", config=PLOTLY_CONFIG)
        if silent.empty:
            st.caption(t("units.all_reported", lang))
        else:
            st.markdown(t("units.not_reported_list", lang, count=len(silent), names=", ".join(silent["name"])))
        notes = frame[frame["note"] != ""]
        if not notes.empty:
            st.caption("  \n".join(f"{r['name']}: {r['note']}" for _, r in notes.iterrows()))
    if right is not None:
        with right:
            _map(frame, info, lang, indicator_name, by, period)

    _heatmap(kinds, group, indicators, names, lang, db, province)
    _trends(kinds, code, info, frame, names, lang, db, indicator_name, by, province)


def _metrics(info, lang: str, province_value, reported: pd.DataFrame, frame: pd.DataFrame) -> None:
    unit = info["unit"]
    cols = st.columns(3)
    if unit == "yesno":
        province_text = fmt_percent(province_value, 2, lang)
    else:
        province_text = fmt_value(province_value, unit, lang)
    cols[0].metric(t("units.metric.province", lang), province_text)
    target = info["target"]
    target_text = fmt_percent(target, 2, lang) if unit == "yesno" else fmt_value(target, unit, lang)
    cols[1].metric(t("common.target", lang), target_text)
    if unit == "yesno":
        yes = int((reported["value"] >= 0.5).sum())
        cols[2].metric(t("units.metric.yes_share", lang),
                       t("units.reported_share", lang, reported=yes, expected=len(frame)))
    else:
        cols[2].metric(t("units.metric.reported", lang),
                       t("units.reported_share", lang, reported=len(reported), expected=len(frame)))


def _map(frame: pd.DataFrame, info, lang: str, indicator_name: str, by: str, period: Period) -> None:
    st.subheader(t("units.section.map", lang))
    title = t("units.map_title", lang, indicator=indicator_name, by=by, period=period.label(lang))
    placed = frame[frame["lat"].notna() & frame["lon"].notna()]
    if not placed.empty:
        short = frame.assign(name=[_short_unit(n, lang) for n in frame["name"]])
        fig = unit_charts.bubble_map(short, unit=info["unit"], direction=info["direction"], title=title, lang=lang)
        st.plotly_chart(fig, key="districts-map", config=PLOTLY_CONFIG)
    missing = frame[frame["lat"].isna() | frame["lon"].isna()]
    if not missing.empty:
        st.caption(t("units.no_coordinates", lang, names=", ".join(missing["name"])))


def _heatmap(kinds, group: str, indicators: pd.DataFrame, names: dict, lang: str, db, province) -> None:
    st.subheader(t("units.section.heatmap", lang))
    matrix = data.query("latest_values_matrix", tuple(kinds), province=province, db_path=db)
    if matrix.empty:
        st.info(t("common.no_data", lang))
        return
    periods = {}
    for _, r in matrix.drop_duplicates("indicator_code").iterrows():
        periods[r["indicator_code"]] = _period(r).label(lang)
    matrix = matrix.assign(
        name=[names.get(c, n) for c, n in zip(matrix["unit_code"], matrix["unit_name"], strict=True)],
        period_label=[periods[c] for c in matrix["indicator_code"]],
    )
    catalogue = indicators.assign(name=[_name(r, lang) for _, r in indicators.iterrows()])
    title = t("units.heatmap_title", lang, group=t(f"units.all.{group}", lang))
    fig = unit_charts.heatmap(matrix, catalogue[["code", "name", "unit", "direction"]], title=title, lang=lang)
    st.plotly_chart(fig, key=f"{group}-heatmap", config=PLOTLY_CONFIG)
    st.caption(t("units.heatmap_caption", lang))


def _trends(kinds, code: str, info, frame: pd.DataFrame, names: dict, lang: str, db,
            indicator_name: str, by: str, province) -> None:
    st.subheader(t("units.section.trend", lang))
    units = data.query("units", tuple(kinds), province=province, db_path=db)
    options = list(units["code"])
    top3 = list(unit_charts.best_first(frame.rename(columns={}), info["direction"])["unit_code"][:3])
    chosen = url_multiselect(t("units.choose_units", lang), options, "units",
                             format_func=lambda c: names.get(c, c), default=top3,
                             placeholder=t("common.choose_many", lang))
    if not chosen:
        st.info(t("units.no_units_chosen", lang))
        return
    kind = unit_query("dominant_kind_for_units", code, tuple(kinds), province=province, db_path=db)
    series = data.query("unit_series", code, list(chosen), period_kind=kind, db_path=db)
    if series.empty:
        st.info(t("common.no_data", lang))
        return
    series = series.assign(
        name=[names.get(c, n) for c, n in zip(series["unit_code"], series["unit_name"], strict=True)],
        period_label=[_period(r).label(lang) for _, r in series.iterrows()],
    )
    line = None
    if info["unit"] != "yesno":
        line = data.query("province_values", code, period_kind=kind, province=province, db_path=db)
        line = line[line["value"].notna()]
        line = line.assign(period_label=[_period(r).label(lang) for _, r in line.iterrows()])
    title = t("units.trend_title", lang, indicator=indicator_name, by=by)
    fig = unit_charts.trend_lines(series, line, unit=info["unit"], title=title, lang=lang)
    st.plotly_chart(fig, key="trend", config=PLOTLY_CONFIG)
