"""Entry point: the frame around every page (sidebar, language, navigation).

Run with ``make run`` (or ``streamlit run app.py``). The pages themselves are
files in ``views/``, listed in ``dashboard/navigation.py``.

Navigation decision (evidence, streamlit 1.67, headless Chromium, fresh server per
deep link; reproduced with an st.navigation app identical in shape to this one):

- page files in ``pages/``: ``/districts`` showed the right h1 but the sidebar listed
  the file names ``['app', 'districts', 'overview', 'steering']``: Streamlit ran the
  legacy pages-folder mode (``script_runner._mpa_v1``) because
  ``PagesManager.uses_pages_directory`` is True until some session has called
  st.navigation, so app.py (sidebar, language, as-of date) never ran;
- same files, ``[client] showSidebarNavigation = false``: no file names, but no
  navigation at all (empty sidebar nav), and app.py still bypassed;
- page files in ``views/`` (chosen): ``/districts`` and ``/steering`` showed the
  right h1 and the titles ``['Tổng quan', 'Theo huyện', 'Ban chỉ đạo']``.

So there must be no ``pages/`` folder next to this file, not even an empty one
(an empty one switches the legacy mode on too). tests/browser/test_navigation_browser.py
checks every deep link on a fresh server, and a fast test fails if ``pages/`` appears.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from dashboard.formatting import fmt_date
from dashboard.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, normalize_lang, t
from dashboard.navigation import PageContext, build_navigation, set_context, warehouse_path

log = logging.getLogger(__name__)
TEMPLATE = Path(__file__).resolve().parent / "data" / "templates" / "mau_bao_cao_dai.csv"

from dashboard import logs
from dashboard.data import as_of_date, production, query, warehouse

logs.setup()


def _lang_from_url() -> None:
    """Put the language of the URL (``?lang=en``) into the switch's state.

    The URL wins, so a shared link or the back button selects its language; with
    no ``lang`` in the URL (Vietnamese, or a sidebar link that dropped it) the
    session keeps its language.
    """
    url_lang = st.query_params.get("lang")
    if url_lang is not None:
        st.session_state["lang"] = normalize_lang(url_lang)
    elif st.session_state.get("lang") not in LANGS:
        st.session_state["lang"] = DEFAULT_LANG


def _lang_to_url() -> None:
    """Write the chosen language back: ``?lang=en``; Vietnamese keeps the URL clean."""
    if st.session_state.get("lang") == "en":
        st.query_params["lang"] = "en"
    elif "lang" in st.query_params:
        del st.query_params["lang"]


PROVINCE_PICKER = "province_picker"


def _province_to_url() -> None:
    """Write the picked province to the URL (``?province=48``), before the rerun reads it."""
    st.query_params["province"] = st.session_state[PROVINCE_PICKER]


def _province(db_path: Path, lang: str) -> tuple[str | None, str]:
    """The province of this run, and its name in ``lang``; a picker when there are several.

    Synchronised with ``?province=`` by hand, like the language (see ``_sidebar``):
    a valid ``?province=`` wins; an unknown one is ignored with a notice; without
    one the session keeps its province; a new session gets the setting's
    (``DX_PROVINCE`` / secrets ``province``), else the warehouse's first.
    """
    from dashboard import province as prov
    from dashboard.data import query_in

    setting = prov.configured_province()
    choices = prov.provinces_of(query_in(prov.__name__, "province_choices", db_path=db_path))
    if setting and prov.resolve_province(setting, choices) is None:
        choices = prov.with_setting(choices, setting,
                                    prov.provinces_of(query_in(prov.__name__, "all_provinces", db_path=db_path)))
    by_code = {p.code: p for p in choices}
    url_value = st.query_params.get("province")
    choice = prov.choose_province(url_value, setting, choices)
    if url_value is not None and prov.resolve_province(url_value, choices) is not None:
        st.session_state[PROVINCE_PICKER] = choice.code
    elif st.session_state.get(PROVINCE_PICKER) not in by_code:
        st.session_state[PROVINCE_PICKER] = choice.code
    if choice.notice == prov.UNKNOWN_URL:
        shown = by_code.get(st.session_state[PROVINCE_PICKER])
        st.warning(t("sidebar.province_unknown", lang, value=choice.ignored,
                     name=shown.name(lang) if shown else t("common.no_data", lang)))
    elif choice.notice == prov.UNKNOWN_SETTING:
        log.warning("the configured province %r has no values in the warehouse", choice.ignored)
    if len(choices) > 1:
        code = st.selectbox(t("sidebar.province", lang), list(by_code), key=PROVINCE_PICKER,
                            format_func=lambda c: by_code[c].label(lang), on_change=_province_to_url,
                            placeholder=t("common.choose_one", lang))
        st.query_params["province"] = code  # restored after a sidebar link dropped it
    else:
        code = st.session_state[PROVINCE_PICKER]
        if code is None and "province" in st.query_params:
            del st.query_params["province"]
    chosen = by_code.get(code)
    return code, chosen.name(lang) if chosen else ""


def _sidebar(db_path: Path) -> PageContext:
    """Province, as-of date, illustrative-data badge, language switch."""
    _lang_from_url()
    with st.sidebar:
        # Not bind="query-params": in 1.67 a bound segmented control writes the
        # *label* to the URL (?lang=English) and ignores ?lang=en (seen in the
        # browser), so the URL is synchronised by hand. The label is bilingual so
        # the widget keeps its identity when the language changes.
        st.segmented_control(
            t("sidebar.language", DEFAULT_LANG),
            options=list(LANGS),
            required=True,
            format_func=LANG_NAMES.get,
            key="lang",
            on_change=_lang_to_url,
        )
        lang = normalize_lang(st.session_state.get("lang"))
        _lang_to_url()
        province, province_name = _province(db_path, lang)
        st.markdown(f"**{province_name or t('sidebar.no_province', lang)}**")
        day = as_of_date(db_path, province)
        if day is None:
            st.caption(f"{t('sidebar.as_of_label', lang)}: {t('common.no_data', lang)}")
        else:
            st.caption(t("sidebar.as_of", lang, date=fmt_date(day, lang)))
        if not production() and query("holds_sample_data", db_path=db_path):
            st.badge(
                t("sidebar.sample_badge", lang),
                icon=":material/science:",
                color="orange",
                help=t("sidebar.sample_help", lang),
            )
        st.download_button(
            t("sidebar.template", lang),
            data=TEMPLATE.read_bytes(),
            file_name=TEMPLATE.name,
            mime="text/csv",
            icon=":material/download:",
            help=t("sidebar.template_help", lang),
        )
    return PageContext(lang=lang, db_path=db_path, as_of=day, province=province, province_name=province_name)


def _import_inbox(db_path: Path) -> None:
    """Load files the CLI queued while this process held the warehouse (etl/inbox.py)."""
    from dashboard import inbox_watch

    try:
        inbox_watch.start(db_path)
    except Exception:  # a bad inbox entry never stops the app
        log.exception("could not import the inbox of %s", db_path)


def main() -> None:
    st.set_page_config(
        page_title=t("app.title", DEFAULT_LANG),
        page_icon=":material/insights:",
        layout="wide",
    )
    db_path = warehouse_path()
    try:
        warehouse(db_path)
    except Exception:  # the app shows a message, never a traceback
        log.exception("could not open the warehouse at %s", db_path)
        st.error(t("error.warehouse", DEFAULT_LANG) + " / " + t("error.warehouse", "en"))
        st.stop()
    _import_inbox(db_path)
    ctx = _sidebar(db_path)
    set_context(ctx)
    page = st.navigation(build_navigation(ctx.lang), position="sidebar")
    page.run()


main()
