"""Plotly figures for the topic pages: pure functions, data and texts in, figure out.

Every figure has a title that explains a screenshot, ``layout.separators`` for the
language (``1.470`` / ``1,470``), and hover templates and axes in the indicator's
number format. Dates on the x axis are shown ``mm/yyyy`` or ``dd/mm/yyyy``.
Tested without Streamlit through ``fig.to_dict()`` (tests/test_topic_charts.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import fmt_percent, hover_value, plotly_separators

PALETTE = ("#1f5fa8", "#e07b24", "#2e9e5b", "#c0392b", "#7d4ea6", "#8c6d31", "#17a2b8", "#d35d9c")
LATE_COLOUR = "#c0392b"
OK_COLOUR = "#2e9e5b"


def _base(title: str, lang: str, *, x_title: str | None = None, y_title: str | None = None) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=plotly_separators(lang),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.3, "x": 0},
        hoverlabel={"namelength": -1},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def stacked_breakdown_bars(frame: pd.DataFrame, *, x: str, series: str, value: str, title: str,
                           lang: str, y_title: str, unit: str = "count",
                           order: Sequence[str] | None = None, x_is_date: bool = True,
                           horizontal: bool = False) -> go.Figure:
    """One bar per x, stacked by ``series`` (e.g. databases by owner per month).

    ``horizontal=True`` lays category bars (long unit names) along the y axis.
    """
    if horizontal:
        fig = _base(title, lang, x_title=y_title)
    else:
        fig = _base(title, lang, y_title=y_title)
    names = list(order) if order else list(dict.fromkeys(frame[series]))
    for i, name in enumerate(names):
        part = frame[frame[series] == name]
        if horizontal:
            fig.add_bar(y=list(part[x]), x=list(part[value]), name=str(name), orientation="h",
                        marker_color=PALETTE[i % len(PALETTE)],
                        hovertemplate=f"{name}<br>%{{y}}: {hover_value(unit, 'x')}<extra></extra>")
            continue
        fig.add_bar(
            x=list(part[x]), y=list(part[value]), name=str(name),
            marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate=f"{name}<br>%{{x{'|%m/%Y' if x_is_date else ''}}}: {hover_value(unit)}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    if horizontal:
        fig.update_xaxes(tickformat=",d" if unit == "count" else ",.0f")
        fig.update_yaxes(autorange="reversed")
        fig.update_layout(legend_traceorder="normal")
        return fig
    fig.update_yaxes(tickformat=",d" if unit == "count" else ",.0f")
    if x_is_date:
        fig.update_xaxes(tickformat="%m/%Y")
    return fig


def progress_bars(frame: pd.DataFrame, *, label: str, value: str, title: str, lang: str,
                  x_title: str, target: float | None = 100.0, target_text: str = "") -> go.Figure:
    """Horizontal bars of percent complete by unit, with a vertical target line."""
    frame = frame.sort_values(value, ascending=True)
    fig = _base(title, lang, x_title=x_title)
    colours = [OK_COLOUR if (target is not None and v >= target) else PALETTE[0] for v in frame[value]]
    fig.add_bar(
        y=list(frame[label]), x=list(frame[value]), orientation="h", marker_color=colours,
        text=[fmt_percent(v, 1, lang) for v in frame[value]], textposition="auto",
        hovertemplate="%{y}: " + hover_value("percent", "x") + "<extra></extra>", showlegend=False,
    )
    if target is not None:
        fig.add_vline(x=target, line_dash="dash", line_color=LATE_COLOUR,
                      annotation_text=target_text, annotation_position="top")
    fig.update_xaxes(range=[0, max(105.0, float(frame[value].max() or 0) + 5)], ticksuffix="%")
    return fig


def line_series(frame: pd.DataFrame, *, x: str, series: str, value: str, title: str, lang: str,
                y_title: str, unit: str, target: float | None = None, target_text: str = "",
                x_tickformat: str = "%m/%Y") -> go.Figure:
    """One line per ``series`` over dates (unit series, province series)."""
    fig = _base(title, lang, y_title=y_title)
    for i, (name, part) in enumerate(frame.groupby(series, sort=False)):
        fig.add_scatter(
            x=list(part[x]), y=list(part[value]), name=str(name), mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)]},
            hovertemplate=f"{name}<br>%{{x|{x_tickformat}}}: {hover_value(unit)}<extra></extra>",
        )
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color=LATE_COLOUR,
                      annotation_text=target_text, annotation_position="top left")
    fig.update_xaxes(tickformat=x_tickformat)
    if unit == "percent":
        fig.update_yaxes(ticksuffix="%", tickformat=",.0f")
    else:
        fig.update_yaxes(tickformat=",d")
    return fig


def share_by_date(frame: pd.DataFrame, *, x: str, group: str, value: str, text: str, title: str,
                  lang: str, y_title: str, deadline: date | None = None, deadline_text: str = "") -> go.Figure:
    """Grouped bars: share of units (percent) per reporting date and group, labelled '16/18 (88,89%)'."""
    fig = _base(title, lang, y_title=y_title)
    for i, (name, part) in enumerate(frame.groupby(group, sort=False)):
        fig.add_bar(
            x=list(part[x]), y=list(part[value]), name=str(name), text=list(part[text]),
            textposition="outside", marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate=f"{name}<br>%{{x}}: %{{text}}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 115], ticksuffix="%", tickformat=",.0f")
    fig.update_xaxes(type="category")
    if deadline is not None and deadline_text:
        fig.add_annotation(text=deadline_text, xref="paper", yref="paper", x=1, y=1.08,
                           showarrow=False, xanchor="right", font={"color": LATE_COLOUR})
    return fig


def status_bars(frame: pd.DataFrame, *, label: str, value: str, title: str, lang: str,
                x_title: str, highlight: Sequence[str] = ()) -> go.Figure:
    """Horizontal bars, one per status, in pipeline order (first at the top)."""
    fig = _base(title, lang, x_title=x_title)
    labels = list(frame[label])
    colours = [LATE_COLOUR if lab in highlight else PALETTE[0] for lab in labels]
    fig.add_bar(
        y=labels, x=list(frame[value]), orientation="h", marker_color=colours,
        text=[f"{v:,.0f}" for v in frame[value]], textposition="auto", showlegend=False,
        hovertemplate="%{y}: " + hover_value("count", "x") + "<extra></extra>",
    )
    if lang == "vi":  # the text labels are strings: group thousands the Vietnamese way
        fig.data[0].text = tuple(t.replace(",", ".") for t in fig.data[0].text)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=",d")
    return fig


def online_services_chart(frame: pd.DataFrame, *, x: str, series: str, value: str, title: str,
                          lang: str, y_title: str, break_date: date, break_text: str) -> go.Figure:
    """Service counts over time with the Decree 42/2022 series break marked."""
    fig = line_series(frame, x=x, series=series, value=value, title=title, lang=lang,
                      y_title=y_title, unit="count")
    iso = break_date.isoformat()
    fig.add_shape(type="line", x0=iso, x1=iso, y0=0, y1=1, yref="paper",
                  line={"dash": "dot", "color": "#555", "width": 2})
    fig.add_annotation(x=iso, y=1, yref="paper", text=break_text, showarrow=False,
                       xanchor="left", yanchor="bottom", font={"size": 12}, bgcolor="rgba(255,255,255,0.8)")
    return fig
