"""Specialised databases: how many are in operation, by owner (central / provincial),
and the monthly construction progress of the priority databases by department.

Figures: ``specialised_db_operational`` (province row, breakdown owner:*) and
``specialised_db_progress`` (percent, one value per department and month).
"""

import pandas as pd
import streamlit as st

from dashboard import topic_charts as charts
from dashboard.data import query
from dashboard.formatting import fmt_number, fmt_percent, no_data
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.queries import DEPARTMENT_KINDS
from dashboard.topic_queries import period_options, rows_of, run_guarded, topic_query
from dashboard.url_state import url_period

OPERATIONAL = "specialised_db_operational"
PROGRESS = "specialised_db_progress"
OWNER_ORDER = ("owner:central", "owner:provincial")

ctx = current_context()
lang = ctx.lang
st.title(t("nav.databases", lang))
st.caption(t("topics.db.caption", lang))


def _delta(current, previous) -> str | None:
    if previous is None or pd.isna(previous) or pd.isna(current):
        return None
    diff = float(current) - float(previous)
    if diff == 0:
        return None
    return ("+" if diff > 0 else "") + fmt_number(diff, 0, lang)


def owners() -> None:
    frame = query("breakdown_values", OPERATIONAL, unit_code=ctx.province, province=ctx.province, db_path=ctx.db_path)
    options = period_options(frame)
    if not options:
        st.info(no_data(lang))
        return
    period = url_period(t("common.period", lang), options, lang)
    codes = list(options)
    position = codes.index(period.code)
    previous = options[codes[position + 1]] if position + 1 < len(codes) else None

    now = rows_of(frame, period)
    before = rows_of(frame, previous) if previous else None
    name_col = "name_vi" if lang == "vi" else "name_en"

    def value(rows, breakdown=None):
        if rows is None or rows.empty:
            return None
        part = rows if breakdown is None else rows[rows["breakdown"] == breakdown]
        return None if part.empty else float(part["value"].sum())

    cols = st.columns(3)
    for col, label, breakdown in zip(cols, ("topics.db.total", "topics.db.central", "topics.db.provincial"),
                                     (None, *OWNER_ORDER)):
        current = value(now, breakdown)
        col.metric(f"{t(label, lang)} ({period.label(lang)})",
                   no_data(lang) if current is None else fmt_number(current, 0, lang),
                   delta=_delta(current, value(before, breakdown)) if current is not None else None)

    chart = frame.assign(owner=frame[name_col].fillna(frame["breakdown"]))
    order = [chart.loc[chart["breakdown"] == b, "owner"].iloc[0] for b in OWNER_ORDER
             if (chart["breakdown"] == b).any()]
    fig = charts.stacked_breakdown_bars(
        chart, x="period_start", series="owner", value="value", order=order,
        title=t("topics.db.chart_owner", lang, province=ctx.province_name), lang=lang, y_title=t("topics.db.axis_count", lang),
    )
    st.plotly_chart(fig, width="stretch")


def progress() -> None:
    st.subheader(t("topics.db.progress_header", lang))
    periods = query("periods", PROGRESS, kinds=DEPARTMENT_KINDS, province=ctx.province, db_path=ctx.db_path)
    months = periods[periods["period_kind"] == "month"] if not periods.empty else periods
    if months.empty:
        st.info(no_data(lang))
        return
    latest = period_options(months)
    period = next(iter(latest.values()))
    units = query("unit_values", PROGRESS, period.start, period.end, kinds=DEPARTMENT_KINDS, province=ctx.province,
                  db_path=ctx.db_path)
    units = units[units["reported"]]
    if units.empty:
        st.info(no_data(lang))
        return
    label = "unit_name" if lang == "vi" else "name_en"
    done = int((units["value"] >= 100).sum())
    st.metric(f"{t('topics.db.done_count', lang)} ({period.label(lang)})", f"{done}/{len(units)}")
    left, right = st.columns(2)
    left.plotly_chart(charts.progress_bars(
        units, label=label, value="value", lang=lang, x_title=t("topics.db.axis_percent", lang),
        title=t("topics.db.chart_progress_latest", lang, period=period.label(lang)),
        target=100.0, target_text=t("topics.db.target_100", lang),
    ), width="stretch")

    codes = topic_query("reporting_units", PROGRESS, province=ctx.province, db_path=ctx.db_path)
    series = query("unit_series", PROGRESS, codes, period_kind="month", db_path=ctx.db_path)
    if series.empty:
        right.info(no_data(lang))
        return
    if lang != "vi":
        names = topic_query("unit_names", DEPARTMENT_KINDS, province=ctx.province, db_path=ctx.db_path)
        series = series.merge(names[["unit_code", "name_en"]], on="unit_code", how="left")
        series = series.assign(unit_name=series["name_en"].fillna(series["unit_name"]))
    right.plotly_chart(charts.line_series(
        series, x="period_start", series="unit_name", value="value", lang=lang, unit="percent",
        title=t("topics.db.chart_progress_series", lang), y_title=t("topics.db.axis_percent", lang),
        target=100.0, target_text=t("topics.db.target_100", lang),
    ), width="stretch")
    table = units[[label, "value"]].rename(columns={label: t("common.unit", lang), "value": t("common.value", lang)})
    table[t("common.value", lang)] = [fmt_percent(v, 1, lang) for v in units["value"]]
    st.dataframe(table, hide_index=True, width="stretch")


run_guarded(owners, lang)
run_guarded(progress, lang)
