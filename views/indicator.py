"""Indicator detail: definition, unit, legal source, target and how it aggregates;
the province series (with the target line and, for online services, the Decree
42/2022 break), each chosen unit's series, the table behind the chart with
numerator and denominator, and CSV / XLSX downloads.

Filters live in the URL: ``?indicator=online_dossier_rate&kind=month&units=502,503``.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboard import charts, exports
from dashboard import overview_queries as oq
from dashboard.data import query
from dashboard.formatting import fmt_number, fmt_percent, fmt_value, no_data
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.url_state import url_multiselect, url_selectbox

log = logging.getLogger(__name__)

ctx = current_context()
lang = ctx.lang
st.title(t("nav.indicator", lang))
DEFAULT = "online_dossier_rate"

try:
    catalogue = query("indicators", db_path=ctx.db_path)
except Exception:
    log.exception("indicator catalogue failed")
    st.warning(t("error.query", lang))
    st.stop()
if catalogue.empty:
    st.info(t("indicator.no_indicators", lang))
    st.stop()

info_by_code = {r["code"]: r for r in catalogue.to_dict("records")}


def _name(info: dict) -> str:
    return info["name_en"] if lang == "en" and isinstance(info.get("name_en"), str) else info["name_vi"]


def _text(info: dict, field: str) -> str:
    value = info.get(f"{field}_{lang}")
    if not isinstance(value, str) or not value:
        value = info.get(f"{field}_vi")
    return value if isinstance(value, str) and value else no_data(lang)


code = url_selectbox(t("indicator.choose", lang), sorted(info_by_code), key="indicator",
                     format_func=lambda c: _name(info_by_code[c]), default=DEFAULT,
                     placeholder=t("common.choose_one", lang))
info = info_by_code[code]
unit = info["unit"]
vunit = "percent" if unit == "yesno" else unit  # a province share of yes is a percent
name = _name(info)

# -- what the indicator is
left, right = st.columns([3, 2])
with left:
    st.markdown(f"**{t('indicator.definition', lang)}:** {_text(info, 'definition')}")
    st.markdown(f"**{t('indicator.legal_source', lang)}:** {info.get('source') or no_data(lang)}")
with right:
    st.markdown(f"**{t('indicator.unit', lang)}:** {t('indicator.unit.' + unit, lang)}")
    target = info.get("target")
    if oq._missing(target):
        target_text = t("indicator.no_target", lang)
        target = None
    elif oq._missing(info.get("target_year")):
        target_text = fmt_value(target, vunit, lang)
    else:
        target_text = t("indicator.target_value", lang, target=fmt_value(target, vunit, lang),
                        year=int(info["target_year"]))
    st.markdown(f"**{t('indicator.target', lang)}:** {target_text}")
    agg = info["aggregation"]
    st.markdown(f"**{t('indicator.aggregation', lang)}:** " + t(
        f"indicator.agg.{agg}", lang,
        **({"num": _text(info, "numerator"), "den": _text(info, "denominator")} if agg == "ratio" else {})))

# -- series
try:
    kinds = oq.query("period_kinds", code, db_path=ctx.db_path)
except Exception:
    log.exception("period kinds failed for %s", code)
    kinds = []
if not kinds:
    st.info(no_data(lang))
    st.stop()
kind = url_selectbox(t("indicator.period_kind", lang), kinds, key="kind",
                     format_func=lambda k: t(f"indicator.kind.{k}", lang), default=kinds[0],
                     placeholder=t("common.choose_one", lang))

series = query("province_values", code, period_kind=kind, province=ctx.province, db_path=ctx.db_path)
labels = [oq.period_label(k, s, e, lang) for k, s, e in
          zip(series["period_kind"], series["period_start"], series["period_end"])]

options = oq.query("unit_options", code, kind, province=ctx.province, db_path=ctx.db_path)
unit_names = dict(zip(options["unit_code"], options["name_en" if lang == "en" else "name_vi"]))
unit_names = {k: (v if isinstance(v, str) else options.set_index("unit_code").loc[k, "name_vi"])
              for k, v in unit_names.items()}
chosen = url_multiselect(t("indicator.pick_units", lang), list(unit_names), key="units",
                         format_func=lambda c: unit_names.get(c, c), max_selections=8,
                         placeholder=t("common.choose_many", lang))
units = query("unit_series", code, list(chosen), period_kind=kind, db_path=ctx.db_path)
if len(units):
    units = units.assign(unit_name=[unit_names.get(c, n) for c, n in zip(units["unit_code"], units["unit_name"])])
    if unit == "yesno":
        units = units.assign(value=100.0 * units["value"])
unit_labels = [oq.period_label(k, s, e, lang) for k, s, e in
               zip(units["period_kind"], units["period_start"], units["period_end"])]

known = series[series["value"].notna()]
if len(known):
    last = known.iloc[-1]
    value_text = (fmt_percent(last["value"], 2, lang) if vunit == "percent"
                  else fmt_value(last["value"], vunit, lang))
    st.metric(f"{ctx.province_name or t('indicator.province_name', lang)} — {labels[known.index[-1]]}", value_text,
              border=True, width="content")

if series["value"].notna().any():
    fig = charts.series_figure(
        series, name=name, unit=unit, lang=lang, period_kind=kind, target=target,
        break_date=charts.BREAKS.get(code), units=units, labels=labels, unit_labels=unit_labels,
        place=ctx.province_name or None,
    )
    st.plotly_chart(fig, key="series_chart")
else:
    st.info(no_data(lang))

# -- the table behind the chart
st.subheader(t("indicator.table", lang))
col_period = t("common.period", lang)
col_value = t("common.value", lang) + (" (%)" if vunit == "percent" else "")
col_num, col_den = t("common.numerator", lang), t("common.denominator", lang)
source_names = {s: t(f"indicator.source.{s}", lang) for s in ("reported", "combined", "former")}
former_names = oq.former_province_names(series, lang, province=ctx.province, db_path=ctx.db_path)


def _source(source: str, missing) -> str:
    if source == "former_partial":
        return t("indicator.source.former_partial", lang,
                 missing=", ".join(former_names.get(c, c) for c in str(missing).split(",")))
    return source_names.get(source, source)


if former_names:
    st.caption(t("indicator.former_note", lang, place=ctx.province_name, formers=", ".join(former_names.values())))


def _num(x) -> str:
    return fmt_number(x, 0 if oq._missing(x) or float(x).is_integer() else 2, lang)


shown = pd.DataFrame({
    col_period: labels,
    col_value: [fmt_percent(v, 2, lang) if vunit == "percent" else fmt_value(v, vunit, lang)
                for v in series["value"]],
    col_num: [_num(x) for x in series["numerator"]],
    col_den: [_num(x) for x in series["denominator"]],
    t("indicator.units_reported", lang): [f"{int(r)}/{int(e)}" if not oq._missing(e) else str(int(r))
                                          for r, e in zip(series["units_reported"], series["units_expected"])],
    t("indicator.source_col", lang): [_source(s, m) for s, m in zip(series["source"], series["formers_missing"])],
}, dtype="str").iloc[::-1]
st.dataframe(shown, hide_index=True, key="series_table")

# Reports in other kinds of period (a two-month range, weekly figures) are not on
# the chart's time line but belong to the indicator: listed below the main table.
other_kinds = [k for k in kinds if k != kind]
if other_kinds:
    others = pd.concat([query("province_values", code, period_kind=k, province=ctx.province, db_path=ctx.db_path) for k in other_kinds],
                       ignore_index=True)
    if len(others):
        st.markdown(f"**{t('indicator.other_kinds', lang)}**")
        st.dataframe(pd.DataFrame({
            t("indicator.period_kind", lang): [t(f"indicator.kind.{k}", lang) for k in others["period_kind"]],
            col_period: [oq.period_label(k, s, e, lang) for k, s, e in
                         zip(others["period_kind"], others["period_start"], others["period_end"])],
            col_value: [fmt_percent(v, 2, lang) if vunit == "percent" else fmt_value(v, vunit, lang)
                        for v in others["value"]],
            col_num: [_num(x) for x in others["numerator"]],
            col_den: [_num(x) for x in others["denominator"]],
        }, dtype="str"), hide_index=True, key="other_kinds_table")

export = pd.DataFrame({
    t("common.indicator", lang): code,
    col_period: labels,
    "period_start": [oq.as_date(d) for d in series["period_start"]],
    "period_end": [oq.as_date(d) for d in series["period_end"]],
    t("common.unit", lang): t("common.province", lang),
    col_value: series["value"].astype("float64").round(4),
    col_num: series["numerator"].astype("float64"),
    col_den: series["denominator"].astype("float64"),
})
if len(units):
    export = pd.concat([export, pd.DataFrame({
        t("common.indicator", lang): code,
        col_period: unit_labels,
        "period_start": [oq.as_date(d) for d in units["period_start"]],
        "period_end": [oq.as_date(d) for d in units["period_end"]],
        t("common.unit", lang): units["unit_name"].astype("str"),
        col_value: units["value"].astype("float64").round(4),
        col_num: units["numerator"].astype("float64"),
        col_den: units["denominator"].astype("float64"),
    })], ignore_index=True)
    st.markdown(f"**{t('indicator.units_table', lang)}**")
    st.dataframe(pd.DataFrame({
        t("common.unit", lang): units["unit_name"].astype("str"),
        col_period: unit_labels,
        col_value: [fmt_percent(v, 2, lang) if vunit == "percent" else fmt_value(v, vunit, lang)
                    for v in units["value"]],
        col_num: [_num(x) for x in units["numerator"]],
        col_den: [_num(x) for x in units["denominator"]],
    }, dtype="str"), hide_index=True, key="units_table")

file_stem = f"{t('indicator.file', lang)}_{code}_{kind}"
c1, c2, _ = st.columns([1, 1, 4])
c1.download_button(t("common.download_csv", lang), exports.to_csv_bytes(export), file_name=f"{file_stem}.csv",
                   mime=exports.CSV_MIME, key="download_csv", on_click="ignore")
c2.download_button(t("common.download_xlsx", lang), exports.to_xlsx_bytes(export, code),
                   file_name=f"{file_stem}.xlsx", mime=exports.XLSX_MIME, key="download_xlsx",
                   on_click="ignore")
