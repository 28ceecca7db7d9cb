"""Online public services and the share of dossiers submitted online.

``online_services`` (levels 3 and 4 until mid-2022, then partial and full-process
under Decree 42/2022: the series break is marked), ``online_services_full`` and
``services_on_national_portal``; the province's ``online_dossier_rate`` as a ratio
of sums over the units (``queries.province_values``) with the catalogue's target.
The period selector covers every period of the rate, the 01/02–31/03/2022 range too.
"""

import pandas as pd
import streamlit as st

from dashboard import topic_charts as charts
from dashboard.data import query
from dashboard.formatting import fmt_number, fmt_percent, no_data
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.topic_queries import (
    SERIES_BREAK,
    period_options,
    rows_of,
    run_guarded,
    topic_query,
)
from dashboard.url_state import url_period

RATE = "online_dossier_rate"
SERVICES = (("online_services", "topics.online.services", "topics.online.series_services"),
            ("online_services_full", "topics.online.services_full", "topics.online.series_full"),
            ("services_on_national_portal", "topics.online.portal", "topics.online.series_portal"))

ctx = current_context()
lang = ctx.lang
st.title(t("nav.online_services", lang))
st.caption(t("topics.online.caption", lang))


def _at_or_before(frame: pd.DataFrame, period) -> tuple[float | None, object]:
    """The value of the period itself, else of the latest month ending within it (and that month)."""
    if frame.empty:
        return None, None
    exact = rows_of(frame, period)
    if not exact.empty and not pd.isna(exact.iloc[0]["value"]):
        return float(exact.iloc[0]["value"]), None
    months = frame[(frame["period_kind"] == "month")
                   & (pd.to_datetime(frame["period_end"]) <= pd.Timestamp(period.end))
                   & (pd.to_datetime(frame["period_end"]) >= pd.Timestamp(period.start))].dropna(subset=["value"])
    if months.empty:
        return None, None
    last = months.iloc[-1]
    month = next(iter(period_options(months.tail(1)).values()))
    return float(last["value"]), month


def page() -> None:
    rate = query("province_values", RATE, province=ctx.province, db_path=ctx.db_path)
    services = {code: query("province_values", code, province=ctx.province, db_path=ctx.db_path) for code, *_ in SERVICES}
    options = period_options(rate)
    if not options and all(f.empty for f in services.values()):
        st.info(no_data(lang))
        return

    dominant = query("dominant_period_kind", RATE, db_path=ctx.db_path) or "month"
    period = None
    if options:
        default = next((c for c, p in options.items() if p.kind == dominant), None)
        period = url_period(t("common.period", lang), options, lang, default=default,
                            help=t("topics.online.period_help", lang))

    cols = st.columns(4)
    if period is None:
        cols[0].metric(t("topics.online.rate", lang), no_data(lang))
    else:
        row = rows_of(rate, period)
        value = None if row.empty else row.iloc[0]["value"]
        help_text = None
        if not row.empty and not pd.isna(row.iloc[0]["numerator"]):
            r = row.iloc[0]
            help_text = t("topics.online.rate_help", lang, fraction=f"{fmt_number(r['numerator'], 0, lang)}/"
                                                                   f"{fmt_number(r['denominator'], 0, lang)}")
        cols[0].metric(f"{t('topics.online.rate', lang)} ({period.label(lang)})",
                       fmt_percent(value, 2, lang), help=help_text)
        for col, (code, label_key, _series) in zip(cols[1:], SERVICES):
            value, month = _at_or_before(services[code], period)
            label = f"{t(label_key, lang)} ({(month or period).label(lang)})"
            col.metric(label, no_data(lang) if value is None else fmt_number(value, 0, lang))

    services_chart()
    rate_chart(rate, dominant)


def services_chart() -> None:
    parts = []
    for code, _label, series_key in SERVICES:
        frame = query("province_values", code, province=ctx.province, db_path=ctx.db_path)
        frame = frame[(frame["period_kind"] == "month") & frame["value"].notna()] if not frame.empty else frame
        if not frame.empty:
            parts.append(frame.assign(series=t(series_key, lang)))
    if not parts:
        st.info(no_data(lang))
        return
    fig = charts.online_services_chart(
        pd.concat(parts, ignore_index=True), x="period_start", series="series", value="value", lang=lang,
        title=t("topics.online.chart_services", lang, province=ctx.province_name), y_title=t("topics.online.axis_services", lang),
        break_date=SERIES_BREAK, break_text=t("topics.online.break", lang),
    )
    st.plotly_chart(fig, width="stretch")


def rate_chart(rate: pd.DataFrame, dominant: str) -> None:
    series = rate[(rate["period_kind"] == dominant) & rate["value"].notna()] if not rate.empty else rate
    if series.empty:
        st.info(no_data(lang))
        return
    target, year = topic_query("indicator_target", RATE, db_path=ctx.db_path)
    target_text = ""
    if target is not None:
        value = fmt_percent(target, 0, lang)
        target_text = (t("topics.online.target", lang, year=year, value=value) if year
                       else t("topics.online.target_plain", lang, value=value))
    fig = charts.line_series(
        series.assign(series=t("common.province", lang)), x="period_start", series="series", value="value",
        lang=lang, unit="percent", title=t("topics.online.chart_rate", lang),
        y_title=t("topics.online.axis_rate", lang), target=target, target_text=target_text,
    )
    st.plotly_chart(fig, width="stretch")


run_guarded(page, lang)
