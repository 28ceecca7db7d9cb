"""Steering committees for administrative reform and digital transformation.

Share of districts and of departments that formed one at each reporting date
(``steering_committee_formed``, yes-no, a share of the units that existed),
when each unit formed one, and which units are late against the deadline the
April 2022 meeting set (``queries.DEADLINES``): not formed by it, or formed after it.
"""

import pandas as pd
import streamlit as st

from dashboard import topic_charts as charts
from dashboard.data import query
from dashboard.formatting import fmt_date, fmt_number, fmt_percent, no_data
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.queries import DEADLINES, DEPARTMENT_KINDS, DISTRICT_KINDS
from dashboard.topic_queries import period_options, rows_of, run_guarded, topic_query
from dashboard.url_state import url_period

CODE = "steering_committee_formed"
DEADLINE = DEADLINES[CODE]
GROUPS = (("district", DISTRICT_KINDS, "topics.steering.fraction_districts", "topics.steering.districts",
           "topics.steering.group_district"),
          ("department", DEPARTMENT_KINDS, "topics.steering.fraction_departments", "topics.steering.departments",
           "topics.steering.group_department"))

ctx = current_context()
lang = ctx.lang
st.title(t("nav.steering", lang))
st.caption(t("topics.steering.caption", lang, deadline=fmt_date(DEADLINE, lang)))


def _fraction(row, key: str) -> str:
    if row is None or pd.isna(row["numerator"]) or pd.isna(row["denominator"]) or not row["denominator"]:
        return no_data(lang)
    share = 100 * float(row["numerator"]) / float(row["denominator"])
    return t(key, lang, num=fmt_number(row["numerator"], 0, lang), den=fmt_number(row["denominator"], 0, lang),
             share=fmt_percent(share, 0 if round(share, 2).is_integer() else 2, lang))


def shares() -> None:
    frames = {g: query("province_values", CODE, kinds=kinds, province=ctx.province, db_path=ctx.db_path) for g, kinds, *_ in GROUPS}
    options = period_options(pd.concat([f for f in frames.values() if not f.empty]) if any(
        not f.empty for f in frames.values()) else None)
    if not options:
        st.info(no_data(lang))
        return
    period = url_period(t("common.period", lang), options, lang)
    cols = st.columns(2)
    chart_rows = []
    for col, (group, _kinds, fraction_key, label_key, group_key) in zip(cols, GROUPS):
        frame = frames[group]
        rows = rows_of(frame, period)
        row = None if rows is None or rows.empty else rows.iloc[0]
        col.metric(f"{t(label_key, lang)} ({period.label(lang)})", _fraction(row, fraction_key))
        for _, r in frame.iterrows():
            if pd.isna(r["denominator"]) or not r["denominator"]:
                continue
            chart_rows.append({
                "date": fmt_date(r["period_end"], lang), "group": t(group_key, lang),
                "value": 100 * r["numerator"] / r["denominator"], "text": _fraction(r, fraction_key),
            })
    if chart_rows:
        fig = charts.share_by_date(
            pd.DataFrame(chart_rows), x="date", group="group", value="value", text="text", lang=lang,
            title=t("topics.steering.chart", lang), y_title=t("topics.steering.axis_share", lang),
            deadline=DEADLINE, deadline_text=f"{t('topics.steering.deadline', lang)}: {fmt_date(DEADLINE, lang)}",
        )
        st.plotly_chart(fig, width="stretch")


def status() -> None:
    frame = topic_query("steering_status", CODE, DEADLINE, province=ctx.province, db_path=ctx.db_path)
    if frame.empty or frame["latest_period_end"].isna().all():
        st.info(no_data(lang))
        return
    name_col = "name_vi" if lang == "vi" else "name_en"
    deadline_text = fmt_date(DEADLINE, lang)
    st.subheader(t("topics.steering.late_header", lang, deadline=deadline_text))
    late = frame[frame["late"]]
    if late.empty:
        st.success(t("topics.steering.late_none", lang))
    else:
        lines = [f"- **{r[name_col]}**: {t('topics.steering.status.' + r['status'], lang)}"
                 + (f" ({fmt_date(r['first_yes'], lang)})" if not pd.isna(r["first_yes"]) else "")
                 for _, r in late.iterrows()]
        st.warning("\n".join(lines))

    st.subheader(t("topics.steering.table_header", lang))
    group_names = {g: t(key, lang) for g, *_rest, key in GROUPS}
    table = pd.DataFrame({
        t("topics.steering.col_unit", lang): frame[name_col],
        t("topics.steering.col_group", lang): frame["group"].map(group_names),
        t("topics.steering.col_first_yes", lang): [fmt_date(d, lang) if not pd.isna(d) else "—"
                                                   for d in frame["first_yes"]],
        t("topics.steering.col_status", lang): [t("topics.steering.status." + s, lang) for s in frame["status"]],
    })
    late_mask = list(frame["late"])

    def highlight(row):
        colour = "background-color: #fde2e1; color: #8b1a12" if late_mask[row.name] else ""
        return [colour] * len(row)

    st.dataframe(table.style.apply(highlight, axis=1), hide_index=True, width="stretch")


run_guarded(shares, lang)
run_guarded(status, lang)
