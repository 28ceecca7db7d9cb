"""IT and digital transformation projects: the appraisal and approval pipeline.

``it_projects`` by status (breakdown ``status:*``) summed over the departments at
the chosen date, the same by department, and the departments with projects still
not appraised after the appraisal deadline of the 06/03/2023 meeting
(``topic_queries.APPRAISAL_DEADLINE``), flagged "quá hạn thẩm định".
"""

import pandas as pd
import streamlit as st

from dashboard import topic_charts as charts
from dashboard.data import query
from dashboard.formatting import fmt_date, fmt_number, no_data
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.topic_queries import (
    APPRAISAL_DEADLINE,
    NOT_APPRAISED,
    period_options,
    rows_of,
    run_guarded,
    topic_query,
)
from dashboard.url_state import url_period

CODE = "it_projects"
STATUS_ORDER = ("status:appraised", "status:under_appraisal", "status:awaiting_policy",
                "status:approved", "status:in_progress", "status:done")

ctx = current_context()
lang = ctx.lang
st.title(t("nav.projects", lang))
st.caption(t("topics.projects.caption", lang))


def _status_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Statuses reported in the period, in pipeline order, with their labels."""
    name_col = "name_vi" if lang == "vi" else "name_en"
    by_status = rows.groupby("breakdown", as_index=False).agg(value=("value", "sum"),
                                                              label=(name_col, "first"))
    by_status["label"] = by_status["label"].fillna(by_status["breakdown"])
    rank = {b: i for i, b in enumerate(STATUS_ORDER)}
    by_status["rank"] = by_status["breakdown"].map(lambda b: rank.get(b, len(rank)))
    return by_status.sort_values("rank").reset_index(drop=True)


def pipeline() -> None:
    frame = query("breakdown_values", CODE, province=ctx.province, db_path=ctx.db_path)
    options = period_options(frame)
    if not options:
        st.info(no_data(lang))
        return
    period = url_period(t("common.period", lang), options, lang)
    rows = rows_of(frame, period)
    if rows.empty:
        st.info(no_data(lang))
        return
    statuses = _status_table(rows)
    overdue_now = period.end > APPRAISAL_DEADLINE

    cols = st.columns(1 + len(statuses))
    cols[0].metric(f"{t('topics.projects.total', lang)} ({period.label(lang)})",
                   fmt_number(statuses["value"].sum(), 0, lang))
    for col, (_, r) in zip(cols[1:], statuses.iterrows()):
        col.metric(r["label"], fmt_number(r["value"], 0, lang))

    left, right = st.columns(2)
    highlight = list(statuses.loc[statuses["breakdown"].isin(NOT_APPRAISED), "label"]) if overdue_now else []
    left.plotly_chart(charts.status_bars(
        statuses, label="label", value="value", lang=lang, highlight=highlight,
        title=t("topics.projects.chart_status", lang, period=period.label(lang)),
        x_title=t("topics.projects.axis_count", lang),
    ), width="stretch")

    by_unit = query("breakdown_by_unit", CODE, period.start, period.end, province=ctx.province, db_path=ctx.db_path)
    if by_unit.empty:
        right.info(no_data(lang))
    else:
        name_col = "name_vi" if lang == "vi" else "name_en"
        if lang != "vi":
            names = topic_query("unit_names", province=ctx.province, db_path=ctx.db_path)
            by_unit = by_unit.merge(names[["unit_code", "name_en"]].rename(columns={"name_en": "unit_en"}),
                                    on="unit_code", how="left")
            by_unit = by_unit.assign(unit_name=by_unit["unit_en"].fillna(by_unit["unit_name"]))
        by_unit = by_unit.assign(status=by_unit[name_col].fillna(by_unit["breakdown"]))
        order = [statuses.loc[statuses["breakdown"] == b, "label"].iloc[0] for b in statuses["breakdown"]]
        right.plotly_chart(charts.stacked_breakdown_bars(
            by_unit, x="unit_name", series="status", value="value", order=order, x_is_date=False, horizontal=True,
            title=t("topics.projects.chart_unit", lang, period=period.label(lang)), lang=lang,
            y_title=t("topics.projects.axis_count", lang),
        ), width="stretch")

    overdue(period, overdue_now)


def overdue(period, overdue_now: bool) -> None:
    deadline = fmt_date(APPRAISAL_DEADLINE, lang)
    st.subheader(t("topics.projects.overdue_header", lang, deadline=deadline))
    st.caption(t("topics.projects.overdue_note", lang, deadline=deadline))
    if not overdue_now:
        st.info(t("topics.projects.not_due", lang, deadline=deadline))
        return
    late = topic_query("overdue_appraisal", CODE, period.start, period.end, province=ctx.province,
                       db_path=ctx.db_path)
    if late.empty:
        st.success(t("topics.projects.overdue_none", lang))
        return
    name_col = "name_vi" if lang == "vi" else "name_en"
    table = pd.DataFrame({
        t("topics.projects.col_unit", lang): late[name_col],
        t("topics.projects.col_under", lang): [fmt_number(v, 0, lang) for v in late["under_appraisal"]],
        t("topics.projects.col_awaiting", lang): [fmt_number(v, 0, lang) for v in late["awaiting_policy"]],
        t("topics.projects.col_total", lang): [fmt_number(v, 0, lang) for v in late["total"]],
        t("topics.projects.col_flag", lang): t("topics.projects.overdue_label", lang),
    })
    st.dataframe(table.style.apply(lambda row: ["background-color: #fde2e1; color: #8b1a12"] * len(row), axis=1),
                 hide_index=True, width="stretch")


run_guarded(pipeline, lang)
