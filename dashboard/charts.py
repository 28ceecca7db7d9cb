"""Plotly figures for the overview and indicator pages.

Pure functions: DataFrames and a language in, ``go.Figure`` out, no Streamlit.
Every figure uses the Vietnamese (or English) separators of
``formatting.plotly_separators``, hover templates with the indicator's number
format and period labels, the app's font, and a title that explains the chart
on a screenshot ("Tỷ lệ hồ sơ trực tuyến (%) — Tỉnh Quảng Nam, theo tháng").
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import fmt_value, hover_value, plotly_separators
from dashboard.i18n import t

FONT = "Be Vietnam Pro, sans-serif"
PROVINCE_COLOR = "#1f4e79"
TARGET_COLOR = "#c0392b"
BREAK_COLOR = "#7f8c8d"
UNIT_COLORS = ("#2e86c1", "#28b463", "#d68910", "#8e44ad", "#17a589", "#cb4335", "#5d6d7e", "#b7950b")

# online_services changed meaning with Decree 42/2022 (levels 3-4 -> partial/full process)
BREAKS = {"online_services": date(2022, 7, 1)}
# 34 provinces and communes without districts: a series before it is the former provinces combined
REFORM_DAY = date(2025, 7, 1)

_TICKS = {"week": "%d/%m/%Y", "date": "%d/%m/%Y", "range": "%d/%m/%Y", "month": "%m/%Y",
          "quarter": "%m/%Y", "half": "%m/%Y", "year": "%Y"}


def _unit_suffix(unit: str, lang: str) -> str:
    return {"percent": " (%)", "yesno": " (%)"}.get(unit, "")


def chart_title(name: str, unit: str, period_kind: str | None, lang: str, place: str | None = None) -> str:
    """``'Tỷ lệ hồ sơ trực tuyến (%) — Tỉnh Quảng Nam, theo tháng'`` (``place``: the province's name)."""
    place = place or t("indicator.province_name", lang)
    kind = f", {t('indicator.kind.' + period_kind, lang)}" if period_kind else ""
    return f"{name}{_unit_suffix(unit, lang)} — {place}{kind}"


def _base_layout(fig: go.Figure, lang: str) -> None:
    fig.update_layout(
        separators=plotly_separators(lang),
        font={"family": FONT},
        hoverlabel={"font": {"family": FONT}},
        template="plotly_white",
    )


def _value_unit(unit: str) -> str:
    # a yes-no indicator at province level is a share of units: a percent
    return "percent" if unit == "yesno" else unit


def series_figure(province: pd.DataFrame, *, name: str, unit: str, lang: str = "vi",
                  period_kind: str | None = None, target: float | None = None,
                  break_date: date | None = None, units: pd.DataFrame | None = None,
                  labels: list[str] | None = None, unit_labels: list[str] | None = None,
                  place: str | None = None) -> go.Figure:
    """The province series as a line, with the target line, break markers and unit lines.

    Where the series holds periods combined from former provinces (``source`` 'former' or
    'former_partial', queries.province_values), the reform of 1 July 2025 is marked too.

    ``province``: columns ``period_start`` and ``value`` (oldest first); ``labels``:
    the period label of each row, shown in the hover. ``units``: optional
    ``unit_name, period_start, value`` rows (one line per unit), ``unit_labels``
    their period labels. Missing values leave gaps, never zeros.
    """
    vunit = _value_unit(unit)
    fig = go.Figure()
    x = list(pd.to_datetime(province["period_start"])) if len(province) else []
    hover = "%{customdata}<br>" + hover_value(vunit) + "<extra>%{fullData.name}</extra>"
    province_name = place or t("indicator.province_name", lang)
    fig.add_trace(go.Scatter(
        x=x, y=province["value"].astype("float64").tolist() if len(province) else [],
        mode="lines+markers", name=province_name, customdata=labels or [],
        line={"color": PROVINCE_COLOR, "width": 3}, hovertemplate=hover, connectgaps=False,
    ))
    if units is not None and len(units):
        ulabels = pd.Series(unit_labels if unit_labels is not None else [""] * len(units), index=units.index)
        for i, (unit_name, rows) in enumerate(units.groupby("unit_name", sort=True)):
            fig.add_trace(go.Scatter(
                x=list(pd.to_datetime(rows["period_start"])), y=rows["value"].astype("float64").tolist(),
                mode="lines+markers", name=str(unit_name), customdata=list(ulabels.loc[rows.index]),
                line={"color": UNIT_COLORS[i % len(UNIT_COLORS)], "width": 1.5}, hovertemplate=hover,
            ))
    if target is not None and not pd.isna(target):
        fig.add_hline(
            y=float(target), line={"color": TARGET_COLOR, "dash": "dash"},
            annotation_text=t("indicator.target_line", lang, target=fmt_value(target, vunit, lang)),
            annotation_position="top left",
        )
    breaks = [(break_date, t("indicator.break", lang))] if break_date is not None else []
    if "source" in province and province["source"].isin(["former", "former_partial"]).any():
        breaks.append((REFORM_DAY, t("indicator.reform_break", lang)))
    for day, text in breaks:
        stamp = pd.Timestamp(day)
        fig.add_shape(type="line", x0=stamp, x1=stamp, y0=0, y1=1, yref="paper",
                      line={"color": BREAK_COLOR, "dash": "dot"})
        fig.add_annotation(x=stamp, y=1, yref="paper", text=text,
                           showarrow=False, xanchor="left", yanchor="bottom", font={"color": BREAK_COLOR})
    fig.update_layout(
        title={"text": chart_title(name, unit, period_kind, lang, province_name)},
        yaxis={"tickformat": ",.2f" if vunit == "score" else ",.0f",
               "ticksuffix": "%" if vunit == "percent" else "", "rangemode": "tozero"},
        xaxis={"tickformat": _TICKS.get(period_kind or "", "%m/%Y"), "type": "date"},
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 70},
    )
    _base_layout(fig, lang)
    return fig


def sparkline(values: pd.Series | list, *, unit: str, lang: str = "vi",
              labels: list[str] | None = None, height: int = 60) -> go.Figure:
    """A small line with no axes (card trend); hover shows the period and value."""
    vunit = _value_unit(unit)
    values = [float(v) for v in values]
    fig = go.Figure(go.Scatter(
        x=list(range(len(values))), y=values, mode="lines", customdata=labels or [""] * len(values),
        line={"color": PROVINCE_COLOR, "width": 2}, fill="tozeroy", fillcolor="rgba(31,78,121,0.1)",
        hovertemplate="%{customdata}: " + hover_value(vunit) + "<extra></extra>",
    ))
    fig.update_layout(
        height=height, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False,
        xaxis={"visible": False}, yaxis={"visible": False},
    )
    _base_layout(fig, lang)
    return fig
