"""Toàn quốc: every province of the warehouse ranked on one indicator at one period.

Each province's value is its own reported row, else its units combined by the
catalogue's rule, as on every other page (``dashboard.national_queries``: one
statement for all provinces). A sortable table, a horizontal bar chart (best at the
top), and the provinces without a value with the reason. Filters in the URL:
``?indicator=`` and ``?period=``.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboard import unit_charts
from dashboard.formatting import fmt_fraction, fmt_value
from dashboard.i18n import t
from dashboard.national_queries import national_query
from dashboard.navigation import current_context
from dashboard.url_state import url_selectbox
from etl.periods import Period

log = logging.getLogger(__name__)

DEFAULT_INDICATOR = "online_dossier_rate"

ctx = current_context()
lang = ctx.lang
st.title(t("nav.national", lang))
st.caption(t("national.caption", lang))


def _name(row, vi: str = "name_vi", en: str = "name_en") -> str:
    english = row.get(en)
    return english if lang == "en" and isinstance(english, str) and english else row[vi]


def _label(row) -> str:
    """The province's name; a former province says until when it existed."""
    name = _name(row)
    if pd.isna(row["valid_to"]):
        return name
    day = pd.Timestamp(row["valid_to"]).strftime("%d/%m/%Y")
    return f"{name} ({'until' if lang == 'en' else 'đến'} {day})"


def render() -> None:
    indicators = national_query("national_indicators", db_path=ctx.db_path)
    if indicators.empty:
        st.info(t("national.no_indicators", lang))
        return
    info = {r["code"]: r for r in indicators.to_dict("records")}
    left, right = st.columns([3, 2])
    code = url_selectbox(t("national.indicator", lang), list(info), "indicator", container=left,
                         format_func=lambda c: _name(info[c]), default=DEFAULT_INDICATOR,
                         placeholder=t("common.choose_one", lang))
    periods = national_query("national_periods", code, db_path=ctx.db_path)
    if periods.empty:
        st.info(t("common.no_data", lang))
        return
    by_code = {}
    for r in periods.to_dict("records"):
        p = Period(r["period_kind"], pd.Timestamp(r["period_start"]).date(), pd.Timestamp(r["period_end"]).date())
        by_code.setdefault(p.code, p)
    dominant = periods["period_kind"].value_counts().idxmax()
    default = next((c for c, p in by_code.items() if p.kind == dominant), next(iter(by_code)))
    period_code = url_selectbox(t("national.period", lang), list(by_code), "period", container=right,
                                format_func=lambda c: by_code[c].label(lang), default=default,
                                placeholder=t("common.choose_one", lang))
    period = by_code[period_code]
    meta = info[code]
    unit = "percent" if meta["unit"] == "yesno" else meta["unit"]  # a province's yes-no figure is a share

    frame = national_query("national_values", code, period.kind, period.start, period.end, db_path=ctx.db_path)
    if frame.empty:
        st.info(t("national.no_provinces", lang))
        return
    frame = frame.assign(name=[_label(r) for r in frame.to_dict("records")])
    valued = frame[frame["value"].notna()]
    missing = frame[frame["value"].isna()]

    if valued.empty:
        st.info(t("common.no_data", lang))
    else:
        sources = {s: t(f"national.source.{s}", lang) for s in ("reported", "combined")}
        table = pd.DataFrame({
            t("national.col.rank", lang): valued["rank"].astype("int64"),
            t("national.col.province", lang): valued["name"].astype("str"),
            t("national.col.value", lang): valued["value"].astype("float64"),
            t("national.col.shown", lang): [fmt_value(v, unit, lang) for v in valued["value"]],
            t("national.col.source", lang): [sources[s] for s in valued["source"]],
            t("national.col.units", lang): [
                fmt_fraction(r, e, lang) if e else "" for r, e in zip(valued["units_reported"],
                                                                      valued["units_expected"], strict=True)],
        })
        st.dataframe(table, hide_index=True, key="national_table", column_config={
            t("national.col.value", lang): st.column_config.NumberColumn(format="localized"),
        })
        title = t("national.chart_title", lang, indicator=_name(meta), period=period.label(lang))
        if meta["direction"] == "down":
            title += f" ({t('national.lower_is_better', lang)})"
        chart = valued.assign(note=[sources[s] for s in valued["source"]])
        fig = unit_charts.ranked_bar(chart, unit=unit, direction=meta["direction"], title=title, lang=lang)
        st.plotly_chart(fig, key="national_chart", config={"displaylogo": False})
    if not missing.empty:
        st.markdown(t("national.missing", lang, n=len(missing)))
        st.markdown("\n".join(f"- {r['name']}: {t('national.reason.' + r['reason'], lang)}"
                              for r in missing.to_dict("records")))


try:
    render()
except Exception as exc:  # a message, never a traceback; Streamlit's own signals pass through
    if type(exc).__name__ in {"StopException", "RerunException"}:
        raise
    log.exception("national page failed")
    st.warning(t("error.query", lang))
