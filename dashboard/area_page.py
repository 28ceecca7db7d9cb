"""The 'By area' page (``/districts``): widgets and layout. No SQL, no figure building here.

Which units: dashboard.area (a period before 01/07/2025 shows the district level of
the province and of the former provinces it was formed from; a later one its
communes, wards and special zones). Figures: dashboard.unit_charts. The province's
value: dashboard.queries.province_values.

For one indicator (``?indicator=``) and one period (``?period=``): the province value,
which level the period shows, a search box (diacritics-insensitive), the best and
weakest N (default 10 each, or every unit with "Xem tất cả"), the units that did not
report, the centroid map (markers only: no boundaries are bundled), a sortable table
of every unit, the heatmap of the level's units and the trends of chosen units.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboard import area, data, unit_charts
from dashboard.formatting import fmt_date
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.unit_page import (
    PLOTLY_CONFIG,
    _add_period_from_url,
    _metrics,
    _name,
    _names,
    _period,
    _short_unit,
    merged_note,
    province_value_at,
)
from dashboard.url_state import url_multiselect, url_selectbox
from etl.periods import Period

log = logging.getLogger(__name__)

DEFAULT_INDICATOR = "online_dossier_rate"
MAX_ENDS = 50


def area_query(name: str, *args, db_path=None, **kwargs):
    """Run ``dashboard.area.<name>(cursor, ...)``, cached by the warehouse's data version."""
    return data.query_in(area.__name__, name, *args, db_path=db_path, **kwargs)


def _default_period(periods: list[Period], code: str, db, province: str) -> str:
    """The newest period of the kind the province's units mostly report in."""
    dominant = area_query("area_dominant_kind", code, province, db_path=db)
    newest_first = sorted(periods, key=lambda p: (p.end, p.start), reverse=True)
    return next((p.code for p in newest_first if p.kind == dominant), newest_first[0].code)


def _level_text(which: area.Area, lang: str, db) -> str:
    """'Kỳ trước 01/07/2025: cấp huyện (…)', naming the former provinces when there are any."""
    text = t(f"area.level.{which.level}", lang, date=fmt_date(area.REFORM_DAY, lang))
    former = [p for p in which.parents if p != which.province]
    if which.level == "district" and former:
        named = area_query("named_units", tuple(former), db_path=db)
        names = [_name(r, lang) for r in named.to_dict("records")]
        text += " " + t("area.level.former", lang, names=", ".join(names))
    return text


def render() -> None:
    ctx = current_context()
    lang, db, province = ctx.lang, ctx.db_path, ctx.province
    st.title(t("nav.districts", lang))
    if province is None:
        st.info(t("units.no_indicators", lang))
        return
    try:
        indicators = area_query("area_indicators", province, db_path=db)
    except Exception:  # a message, never a traceback
        log.exception("area page: catalogue query failed")
        st.error(t("error.query", lang))
        return
    if indicators.empty:
        st.info(t("units.no_indicators", lang))
        return
    info_by_code = {r["code"]: r for r in indicators.to_dict("records")}
    col_ind, col_period = st.columns([3, 2])
    code = url_selectbox(
        t("common.indicator", lang), list(info_by_code), "indicator", container=col_ind,
        format_func=lambda c: _name(info_by_code[c], lang), default=DEFAULT_INDICATOR,
        placeholder=t("common.choose_one", lang),
    )
    info = info_by_code[code]
    periods = area_query("area_periods", code, province, db_path=db)
    if periods.empty:
        st.info(t("common.no_data", lang))
        return
    period_list = [_period(r) for _, r in periods.iterrows()]
    by_code = {p.code: p for p in period_list}
    _add_period_from_url(by_code)
    period_codes = sorted(by_code, key=lambda c: (by_code[c].end, by_code[c].start), reverse=True)
    period_code = url_selectbox(
        t("common.period", lang), period_codes, "period", container=col_period,
        format_func=lambda c: by_code[c].label(lang), default=_default_period(period_list, code, db, province),
        placeholder=t("common.choose_one", lang),
    )
    period = by_code[period_code]
    which = area_query("area_of", province, period.end, db_path=db)
    st.info(_level_text(which, lang, db), icon=":material/account_tree:")

    values = area_query("area_values", code, period.start, period.end, province=province, db_path=db)
    names = _names(values.rename(columns={"unit_code": "code", "unit_name": "name_vi"}), lang)
    successors = area_query("named_units", tuple(values["successor"].dropna().unique()), db_path=db)
    names |= _names(successors, lang)
    frame = values.assign(
        name=[names[c] for c in values["unit_code"]],
        note=[merged_note(r, names, lang) for r in values.to_dict("records")],
    )
    reported = frame[frame["value"].notna()]

    province_value = province_value_at(code, period, province, db)
    _metrics(info, lang, province_value, reported, frame)

    st.subheader(t("units.section.ranking", lang))
    c_search, c_n, c_all = st.columns([3, 1, 1], vertical_alignment="bottom")
    text = c_search.text_input(t("area.search", lang), key="area_search", placeholder=t("area.search_hint", lang))
    n = c_n.number_input(t("area.ends", lang), min_value=1, max_value=MAX_ENDS, value=area.DEFAULT_ENDS, step=1,
                         key="area_ends")
    show_all = c_all.toggle(t("area.show_all", lang), key="area_all")
    shown = area.search(frame, text)
    if text and shown.empty:
        st.warning(t("area.no_match", lang, text=text))
    by = t(f"area.by.{which.level}", lang)
    left, right = st.columns([3, 2])
    with left:
        _ranking(shown, info, lang, by, period, province_value, int(n), show_all)
    with right:
        _map(shown, info, lang, _name(info, lang), by, period)

    st.subheader(t("area.section.table", lang))
    kinds = {k: t(f"area.kind.{k}", lang) for k in area.AREA_KINDS}
    status = {True: t("area.reported", lang), False: t("units.not_reported_short", lang)}
    rows = area.table(shown, info["direction"], kinds, status)
    unit = info["unit"]
    value_label = t("common.value", lang) + (" (%)" if unit == "percent" else "")
    st.dataframe(rows, hide_index=True, key="area_table", column_config={
        "rank": st.column_config.NumberColumn(t("area.col.rank", lang), format="%d", width="small"),
        "name": st.column_config.TextColumn(t("common.unit", lang), width="medium"),
        "kind": st.column_config.TextColumn(t("common.unit_kind", lang), width="small"),
        "value": st.column_config.NumberColumn(value_label, format="localized"),
        "numerator": st.column_config.NumberColumn(
            _label(info, "numerator", lang, t("common.numerator", lang)), format="localized"),
        "denominator": st.column_config.NumberColumn(
            _label(info, "denominator", lang, t("common.denominator", lang)), format="localized"),
        "status": st.column_config.TextColumn(t("area.col.status", lang), width="small"),
    })
    st.caption(t("area.table_caption", lang, shown=len(rows), total=len(frame)))

    _heatmap(which, indicators, names, lang, db)
    _trends(which, code, info, frame, names, lang, db, _name(info, lang), by, province)


def _label(info, field: str, lang: str, fallback: str) -> str:
    value = info.get(f"{field}_{lang}")
    return value if isinstance(value, str) and value else fallback


def _ranking(shown: pd.DataFrame, info, lang: str, by: str, period: Period, province_value,
             n: int, show_all: bool) -> None:
    unit, direction = info["unit"], info["direction"]
    reported = shown[shown["value"].notna()]
    silent = shown[shown["value"].isna()]
    drawn = reported if show_all else area.ends(reported, "up" if unit == "yesno" else direction, n)
    title = t("units.chart_title", lang, indicator=_name(info, lang), by=by, period=period.label(lang))
    if direction == "down":
        title += f" ({t('units.lower_is_better', lang)})"
    if unit == "yesno":
        yes = int((reported["value"] >= 0.5).sum())
        title += f" — {t('units.yes_share', lang, yes=yes, total=len(shown))}"
    if reported.empty:
        st.info(t("units.no_data_period", lang))
    else:
        split = n if len(drawn) < len(reported) else None
        fig = unit_charts.ranked_bar(
            drawn, unit=unit, direction=direction, title=title, lang=lang,
            target=None if unit == "yesno" else info["target"],
            province=None if unit == "yesno" else province_value,
            numerator_label=_label(info, "numerator", lang, None) if unit != "yesno" else None,
            denominator_label=_label(info, "denominator", lang, None) if unit != "yesno" else None,
            split_after=split,
        )
        st.plotly_chart(fig, key="area-ranking", config=PLOTLY_CONFIG)
        if split is not None:
            st.caption(t("area.ends_caption", lang, n=n, total=len(reported)))
    if silent.empty:
        if not reported.empty:
            st.caption(t("units.all_reported", lang))
    else:
        st.markdown(t("units.not_reported_list", lang, count=len(silent), names=", ".join(silent["name"])))
    notes = shown[shown["note"] != ""]
    if not notes.empty:
        st.caption("  \n".join(f"{r['name']}: {r['note']}" for r in notes.to_dict("records")))


def _map(shown: pd.DataFrame, info, lang: str, indicator_name: str, by: str, period: Period) -> None:
    st.subheader(t("units.section.map", lang))
    title = t("units.map_title", lang, indicator=indicator_name, by=by, period=period.label(lang))
    placed = shown[shown["lat"].notna() & shown["lon"].notna()]
    if not placed.empty:
        short = shown.assign(name=[_short_unit(n, lang) for n in shown["name"]])
        fig = unit_charts.bubble_map(short, unit=info["unit"], direction=info["direction"], title=title, lang=lang)
        st.plotly_chart(fig, key="districts-map", config=PLOTLY_CONFIG)
    st.caption(t("area.map_caption", lang))
    missing = shown[shown["lat"].isna() | shown["lon"].isna()]
    if not missing.empty:
        st.caption(t("units.no_coordinates", lang, names=", ".join(missing["name"])))


def _heatmap(which: area.Area, indicators: pd.DataFrame, names: dict, lang: str, db) -> None:
    st.subheader(t("units.section.heatmap", lang))
    parts = [data.query("latest_values_matrix", which.kinds, province=p, db_path=db) for p in which.parents]
    parts = [p for p in parts if not p.empty]
    if not parts:
        st.info(t("common.no_data", lang))
        return
    matrix = pd.concat(parts, ignore_index=True)
    labels = {}
    for r in matrix.drop_duplicates("indicator_code").to_dict("records"):
        labels[r["indicator_code"]] = _period(r).label(lang)
    matrix = matrix.assign(
        name=[names.get(c, n) for c, n in zip(matrix["unit_code"], matrix["unit_name"], strict=True)],
        period_label=[labels[c] for c in matrix["indicator_code"]],
    )
    catalogue = indicators.assign(name=[_name(r, lang) for r in indicators.to_dict("records")])
    title = t("units.heatmap_title", lang, group=t(f"area.all.{which.level}", lang))
    fig = unit_charts.heatmap(matrix, catalogue[["code", "name", "unit", "direction"]], title=title, lang=lang)
    st.plotly_chart(fig, key="districts-heatmap", config=PLOTLY_CONFIG)
    st.caption(t("units.heatmap_caption", lang))


def _trends(which: area.Area, code: str, info, frame: pd.DataFrame, names: dict, lang: str, db,
            indicator_name: str, by: str, province: str) -> None:
    st.subheader(t("units.section.trend", lang))
    options = list(frame["unit_code"])
    top3 = list(unit_charts.best_first(frame, info["direction"])["unit_code"][:3])
    chosen = url_multiselect(t("units.choose_units", lang), options, "units",
                             format_func=lambda c: names.get(c, c), default=top3,
                             placeholder=t("common.choose_many", lang))
    if not chosen:
        st.info(t("units.no_units_chosen", lang))
        return
    kind = area_query("area_dominant_kind", code, province, db_path=db)
    series = data.query("unit_series", code, list(chosen), period_kind=kind, db_path=db)
    if series.empty:
        st.info(t("common.no_data", lang))
        return
    series = series.assign(
        name=[names.get(c, n) for c, n in zip(series["unit_code"], series["unit_name"], strict=True)],
        period_label=[_period(r).label(lang) for r in series.to_dict("records")],
    )
    line = None
    if info["unit"] != "yesno":
        line = data.query("province_values", code, period_kind=kind, province=province, db_path=db)
        line = line[line["value"].notna()]
        line = line.assign(period_label=[_period(r).label(lang) for r in line.to_dict("records")])
    title = t("units.trend_title", lang, indicator=indicator_name, by=by)
    fig = unit_charts.trend_lines(series, line, unit=info["unit"], title=title, lang=lang)
    st.plotly_chart(fig, key="trend", config=PLOTLY_CONFIG)
