"""Overview: where the province stands, what changed, who is behind.

Headline cards (current province value, change since the previous period,
progress to target, trend), the status of every indicator, and the units
furthest behind on the headline rates. Figures come from
``dashboard.overview_queries`` (province values are ratios of sums and shares of
units, see ``dashboard.queries``); a missing figure reads "Không có dữ liệu".
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import overview_queries as oq
from dashboard.formatting import (
    fmt_fraction,
    fmt_number,
    fmt_percent,
    fmt_value,
    no_data,
)
from dashboard.i18n import t
from dashboard.navigation import current_context

log = logging.getLogger(__name__)

ctx = current_context()
lang = ctx.lang
st.title(t("nav.overview", lang))

DELTA_COLOR = {"up": "normal", "down": "inverse", "neutral": "off"}


def _name(row) -> str:
    return row["name_en"] if lang == "en" and isinstance(row["name_en"], str) else row["name_vi"]


def _label(row, prefix: str = "") -> str:
    if oq._missing(row[prefix + "period_start"]):
        return no_data(lang)
    kind = row["period_kind"]
    return oq.period_label(kind, row[prefix + "period_start"], row[prefix + "period_end"], lang)


def _shown(value, unit: str) -> str:
    """A province value: yes-no indicators are shares of units (percent)."""
    return fmt_percent(value, 2, lang) if unit == "yesno" else fmt_value(value, unit, lang)


def _card_value(row) -> str:
    if row["unit"] == "yesno" and not oq._missing(row["numerator"]):
        return fmt_fraction(row["numerator"], row["denominator"], lang)
    return _shown(row["value"], row["unit"])


def _delta(row) -> str | None:
    if oq._missing(row["value"]) or oq._missing(row["prev_value"]):
        return None
    change = row["value"] - row["prev_value"]
    sign = "+" if change > 0 else ("-" if change < 0 else "")
    if row["unit"] in ("percent", "yesno"):
        text = f"{fmt_number(abs(change), 2, lang)} {t('overview.points', lang)}"
    else:
        text = fmt_value(abs(change), row["unit"], lang)
    return sign + text


def _card(row) -> None:
    with st.container(border=True):
        st.metric(
            _name(row), _card_value(row), delta=_delta(row),
            delta_color=DELTA_COLOR.get(row["direction"], "off"),
            help=t("overview.previous", lang, period=_label(row, "prev_"))
            if not oq._missing(row["prev_value"]) else t("overview.no_previous", lang),
        )
        st.caption(_label(row))
        target = row["target"]
        if not oq._missing(target) and not oq._missing(row["value"]) and target > 0:
            share = row["value"] / target
            st.progress(min(max(share, 0.0), 1.0), text=t(
                "overview.progress", lang, share=fmt_percent(100 * share, 0, lang),
                target=_shown(target, row["unit"])))
        trend = oq.query("province_series", row["code"], province=ctx.province, db_path=ctx.db_path)
        trend = trend[trend["value"].notna()]
        if len(trend) > 1:
            labels = [oq.period_label(k, s, e, lang) for k, s, e in
                      zip(trend["period_kind"], trend["period_start"], trend["period_end"])]
            st.plotly_chart(charts.sparkline(trend["value"], unit=row["unit"], lang=lang, labels=labels),
                            config={"displayModeBar": False}, key=f"spark_{row['code']}")


try:
    latest = oq.query("indicator_latest", province=ctx.province, db_path=ctx.db_path)
    behind = oq.query("furthest_behind", province=ctx.province, db_path=ctx.db_path)
except Exception:  # a message, never a traceback
    log.exception("overview queries failed")
    st.warning(t("error.query", lang))
    st.stop()

if latest.empty or latest["value"].isna().all():
    st.info(t("overview.empty", lang))

# (a) headline cards
st.subheader(t("overview.headline", lang))
headline = latest[latest["headline"].fillna(False).astype(bool)]
if headline.empty:
    st.write(no_data(lang))
else:
    columns = st.columns(min(len(headline), 3))
    for i, row in enumerate(headline.to_dict("records")):
        with columns[i % len(columns)]:
            _card(row)

# (b) status of all indicators
st.subheader(t("overview.status_table", lang))
status_names = {s: t(f"common.status.{s}", lang) for s in (oq.ON_TRACK, oq.AT_RISK, oq.BEHIND)}
status_names[oq.NO_DATA] = t("overview.status.no_data", lang)
status_names[oq.NO_STATUS] = t("overview.status.no_status", lang)
table = pd.DataFrame({
    t("common.indicator", lang): [_name(r) for r in latest.to_dict("records")],
    t("common.value", lang): [_card_value(r) for r in latest.to_dict("records")],
    t("common.period", lang): [_label(r) for r in latest.to_dict("records")],
    t("common.target", lang): ["" if oq._missing(r["target"]) else _shown(r["target"], r["unit"])
                               for r in latest.to_dict("records")],
    t("common.change", lang): [_delta(r) or "" for r in latest.to_dict("records")],
    t("overview.status", lang): [status_names[s] for s in latest["status"]],
}, dtype="str")
st.dataframe(table, hide_index=True, key="status_table")
st.caption(t("overview.rule", lang))

# (c) units furthest behind
st.subheader(t("overview.behind", lang))
st.caption(t("overview.behind_caption", lang))
if behind.empty:
    st.write(no_data(lang))
else:
    names = {r["code"]: _name(r) for r in latest.to_dict("records")}
    for code, rows in behind.groupby("code", sort=False):
        first = rows.iloc[0]
        st.markdown(f"**{names.get(code, code)}** — "
                    f"{oq.period_label(first['period_kind'], first['period_start'], first['period_end'], lang)}"
                    f" · {t('common.province', lang)}: {fmt_percent(first['province_value'], 2, lang)}")
        unit_names = rows["name_en"] if lang == "en" else rows["unit_name"]
        st.dataframe(pd.DataFrame({
            t("common.unit", lang): unit_names.fillna(rows["unit_name"]).astype("str"),
            t("common.value", lang): [fmt_percent(v, 2, lang) for v in rows["value"]],
            t("overview.gap", lang): [("+" if g > 0 else "") + fmt_number(g, 2, lang) + " "
                                      + t("overview.points", lang) for g in rows["gap"]],
        }, dtype="str"), hide_index=True, key=f"behind_{code}")
