"""Plotly figures of the weekly report. Pure: a ``WeeklyReport`` in, ``go.Figure`` out.

Each figure is sized for a 16:9 slide (``WIDTH`` x ``HEIGHT`` px), uses the
reader's number separators and the app's font, and carries the source and the
data's as-of date as a footnote, so a PNG pasted anywhere still says where its
numbers come from. ``figures(report)`` gives every chart keyed by section.

"""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.formatting import fmt_percent, fmt_value, plotly_separators
from dashboard.i18n import t
from dashboard.report import Ranking, WeeklyReport, _week_short

FONT = "Be Vietnam Pro, sans-serif"
WIDTH, HEIGHT = 1280, 560
BEST, WEAKEST, PROVINCE = "#0B5CAD", "#E07A1F", "#C0392B"
SERIES = ("#9DB8D9", "#5B8CC6", "#0B5CAD")  # start of year, compare week, report week


def _finish(fig: go.Figure, report: WeeklyReport, title: str, height: int = HEIGHT) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 18}},
        separators=plotly_separators(report.lang),
        font={"family": FONT, "size": 13, "color": "#1B2433"},
        template="plotly_white",
        width=WIDTH, height=height,
        margin={"l": 10, "r": 40, "t": 60, "b": 70},
        annotations=[*fig.layout.annotations, {
            "text": report.source, "xref": "paper", "yref": "paper", "x": 0, "y": -0.1,
            "xanchor": "left", "yanchor": "top", "showarrow": False,
            "font": {"size": 11, "color": "#5B6B80"},
        }],
    )
    return fig


def headline_figure(report: WeeklyReport) -> go.Figure:
    """Percent headline indicators: as of 31/12 last year, the compare week and the report week."""
    rows = [r for r in report.headline if r.shown_unit == "percent" and r.current is not None]
    names = [r.name for r in rows]
    lang = report.lang
    series = (
        (t("report.chart.year_start", lang, year=report.week.end.year - 1), [r.year_start for r in rows]),
        (t("report.chart.compare", lang, week=_week_short(report.compare, lang)), [r.compare for r in rows]),
        (t("report.chart.current", lang, week=_week_short(report.week, lang)), [r.current for r in rows]),
    )
    fig = go.Figure()
    for (label, snaps), colour in zip(series, SERIES, strict=True):
        fig.add_bar(
            y=names, x=[s.value if s else None for s in snaps], orientation="h", name=label,
            marker_color=colour, text=[fmt_percent(s.value, 2, lang) if s else "" for s in snaps],
            textposition="outside", cliponaxis=False,
            hovertext=[f"{n}<br>{s.period.label(lang)}: {fmt_percent(s.value, 2, lang)}" if s else n
                       for n, s in zip(names, snaps, strict=True)], hoverinfo="text",
        )
    fig.update_xaxes(range=[0, 115], ticksuffix="%", tickformat=",.0f")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="group", bargap=0.25, legend={"orientation": "h", "y": 1.02, "x": 1,
                                                            "xanchor": "right", "yanchor": "bottom"})
    return _finish(fig, report, t("report.chart.headline", lang))


def ranking_figure(report: WeeklyReport, rank: Ranking) -> go.Figure:
    """Best 5 (blue, top) and weakest 5 (orange, bottom) units, with the province as a line."""
    lang, unit = report.lang, report.indicator_unit
    items = [(n, v, t("report.best", lang)) for n, v in rank.best]
    items += [(n, v, t("report.weakest", lang)) for n, v in rank.weakest]
    names = [n for n, _, _ in items]
    fig = go.Figure()
    fig.add_bar(
        y=names, x=[v for _, v, _ in items], orientation="h",
        marker_color=[BEST if g == t("report.best", lang) else WEAKEST for _, _, g in items],
        text=[fmt_value(v, unit, lang) for _, v, _ in items], textposition="outside", cliponaxis=False,
        hovertext=[f"{g}: {n}<br>{fmt_value(v, unit, lang)}" for n, v, g in items], hoverinfo="text",
        showlegend=False,
    )
    values = [v for _, v, _ in items] + ([rank.province_value] if rank.province_value is not None else [])
    top = max(values or [1]) * 1.15 or 1
    fig.update_xaxes(range=[0, top], ticksuffix="%" if unit == "percent" else "",
                     tickformat=",.0f" if unit != "score" else ",.2f")
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed")
    if rank.province_value is not None:
        fig.add_vline(x=rank.province_value, line={"color": PROVINCE, "dash": "dash", "width": 2},
                      annotation={"text": t("report.province_line", lang,
                                            value=fmt_value(rank.province_value, unit, lang)),
                                  "font": {"color": PROVINCE}}, annotation_position="top")
    if rank.best and rank.weakest:
        fig.add_hline(y=len(rank.best) - 0.5, line={"color": "#D5DEEA", "width": 1})
    period = rank.period.label(lang) if rank.period else ""
    title = t("report.chart.rank", lang, indicator=report.indicator_name,
              group=t(f"report.group.{rank.group}", lang), period=period)
    return _finish(fig, report, title)


def figures(report: WeeklyReport) -> dict[str, go.Figure]:
    """Every chart of the report, keyed by its section (only sections that have one)."""
    out = {}
    for section in report.sections:
        if not section.chart:
            continue
        if section.key == "headline":
            out["headline"] = headline_figure(report)
        elif section.key in ("districts", "departments"):
            out[section.key] = ranking_figure(report, report.ranking(section.key.rstrip("s")))
    return out
