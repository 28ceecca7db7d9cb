"""Weekly meeting report ("Báo cáo tuần"): one screen per section, ready to screenshot.

Pick an ISO week (default: the week of the data's as-of date), a week to compare
with (default: the week before) and the indicator to rank. Each section is a
fixed 16:9 panel that fits a 1920x1080 screen: headline indicators with their
change, the best and weakest districts and departments, units that have not
reported, deadlines passed or due. Under every chart: the source and the data's
as-of date. Downloads: each chart as PNG, the whole report as PDF and PPTX
(rendered on click; disabled, with the reason, when no Chromium is available).

Figures and texts come from ``dashboard.report.build_report``; charts from
``dashboard.report_charts``; files from ``dashboard.report_export``.
"""

from __future__ import annotations

import html
import logging
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import report_charts
from dashboard import report_export as rx
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.report import report_query
from dashboard.url_state import url_selectbox

log = logging.getLogger(__name__)

ctx = current_context()
lang = ctx.lang
st.title(t("nav.report", lang))

# Compact styling for the report panels only (keys become `st-key-<key>` classes).
CSS = """
<style>
.st-key-report_sheet .rpt-title { font-size: 1.55rem; font-weight: 700; line-height: 1.25; color: #1B2433; }
.st-key-report_sheet .rpt-section { font-size: 1.2rem; font-weight: 600; line-height: 1.3; color: #0B5CAD; }
.st-key-report_sheet .rpt-sub { font-size: .92rem; line-height: 1.35; color: #5B6B80; }
.st-key-report_sheet [class*="st-key-report_section_"] {
  aspect-ratio: 16 / 9; max-height: 1040px; overflow: hidden; gap: .4rem;
  padding: .8rem 1.1rem; background: #FFFFFF;
}
.st-key-report_sheet table.rpt { border-collapse: collapse; width: 100%; font-size: .92rem; line-height: 1.3; }
.st-key-report_sheet table.rpt th { background: #EAF1FA; text-align: left; padding: .3rem .45rem;
  border-bottom: 2px solid #D5DEEA; font-weight: 600; }
.st-key-report_sheet table.rpt td { padding: .28rem .45rem; border-bottom: 1px solid #E6ECF4; vertical-align: top; }
.st-key-report_sheet table.rpt td.best { color: #0B5CAD; font-weight: 600; }
.st-key-report_sheet table.rpt td.weak { color: #B35C12; font-weight: 600; }
.st-key-report_sheet .rpt-source { font-size: .8rem; color: #5B6B80; }
</style>
"""


def html_table(frame: pd.DataFrame, classes: dict[int, str] | None = None) -> str:
    """A compact HTML table of already formatted strings (escaped)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for i, values in enumerate(frame.itertuples(index=False)):
        css = (classes or {}).get(i, "")
        cells = "".join(f'<td class="{css}">{html.escape(str(v))}</td>' if j == 0 and css
                        else f"<td>{html.escape(str(v))}</td>" for j, v in enumerate(values))
        rows.append(f"<tr>{cells}</tr>")
    return f'<table class="rpt"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def source_line(report) -> None:
    st.html(f'<div class="rpt-source">{html.escape(report.source)}</div>')


def png_button(fig, key: str, stem: str, problem: str | None) -> None:
    st.download_button(
        t("report.download.png", lang), data=(lambda: rx.chart_png(fig)) if problem is None else b"",
        file_name=f"{stem}_{key}.png", mime=rx.PNG_MIME, key=f"png_{key}", on_click="ignore",
        disabled=problem is not None, help=problem or t("report.download.help", lang),
        icon=":material/image:",
    )


def chart(fig, height: int, key: str, report) -> None:
    """The figure at the panel's size; the source line goes under it as text (not inside the plot)."""
    shown = go_copy(fig)
    shown.update_layout(width=None, height=height, margin={"l": 10, "r": 30, "t": 40, "b": 30},
                        annotations=[a for a in shown.layout.annotations if a.text != report.source],
                        title={"font": {"size": 15}})
    if key == "headline":
        shown.update_layout(title=None, legend={"orientation": "h", "y": 1.02, "x": 0, "xanchor": "left",
                                                "yanchor": "bottom"})
    st.plotly_chart(shown, key=f"chart_{key}", config={"displayModeBar": False}, theme=None)
    source_line(report)


def go_copy(fig):
    import plotly.graph_objects as go

    return go.Figure(fig)


def render() -> None:
    weeks = report_query("week_options", date.today(), db_path=ctx.db_path)
    if not weeks:
        st.info(t("report.empty", lang))
        return
    default = report_query("default_week", db_path=ctx.db_path)
    by_code = {w.code: w for w in weeks}
    codes = list(by_code)
    indicators = report_query("rankable_indicators", province=ctx.province, db_path=ctx.db_path)
    ind_names = {r["code"]: (r["name_en"] if lang == "en" and isinstance(r["name_en"], str) else r["name_vi"])
                 for r in indicators.to_dict("records")}
    c1, c2, c3 = st.columns([2, 2, 3])
    week_code = url_selectbox(t("report.week", lang), codes, key="week", container=c1,
                              default=default.code if default else codes[0],
                              format_func=lambda c: by_code[c].label(lang), placeholder=t("common.choose_one", lang))
    earlier = codes[codes.index(week_code) + 1:] or [week_code]
    compare_code = url_selectbox(t("report.compare", lang), earlier, key="compare", container=c2,
                                 default=earlier[0], format_func=lambda c: by_code[c].label(lang),
                                 placeholder=t("common.choose_one", lang))
    ind_codes = list(ind_names) or ["online_dossier_rate"]
    indicator = url_selectbox(t("report.indicator", lang), ind_codes, key="indicator", container=c3,
                              default="online_dossier_rate", format_func=lambda c: ind_names.get(c, c),
                              placeholder=t("common.choose_one", lang))
    report = report_query("build_report", week_code, compare_code, indicator=indicator, lang=lang, province=ctx.province,
                          db_path=ctx.db_path)
    figs = report_charts.figures(report)
    problem = rx.browser_problem(lang)

    # exports
    with st.container(horizontal=True, key="report_exports"):
        st.download_button(
            t("report.download.pdf", lang), data=(lambda: rx.report_pdf(report)) if problem is None else b"",
            file_name=f"{report.file_stem}.pdf", mime=rx.PDF_MIME, key="pdf", on_click="ignore",
            disabled=problem is not None, help=problem or t("report.download.help", lang),
            icon=":material/picture_as_pdf:", type="primary",
        )
        st.download_button(
            t("report.download.pptx", lang), data=(lambda: rx.report_pptx(report)) if problem is None else b"",
            file_name=f"{report.file_stem}.pptx", mime=rx.PPTX_MIME, key="pptx", on_click="ignore",
            disabled=problem is not None, help=problem or t("report.download.help", lang),
            icon=":material/slideshow:",
        )
    if problem:
        st.warning(problem, icon=":material/block:")

    st.html(CSS)
    with st.container(key="report_sheet", gap="medium"):
        for section in report.sections:
            with st.container(key=f"report_section_{section.key}", border=True, gap="small"):
                if section.key == "headline":
                    heading = (f'<div class="rpt-title">{html.escape(report.title)}</div>'
                               f'<div class="rpt-sub">{html.escape(report.subtitle)}</div>'
                               f'<div class="rpt-section">{html.escape(t("report.section.headline", lang))}</div>')
                else:
                    heading = f'<div class="rpt-section">{html.escape(section.title)}</div>'
                    if section.caption:
                        heading += f'<div class="rpt-sub">{html.escape(section.caption)}</div>'
                st.html(heading)
                fig = figs.get(section.key)
                _section_body(report, section, fig, problem)
                if fig is None:
                    source_line(report)


def _section_body(report, section, fig, problem) -> None:
    if section.key == "headline":
        left, right = st.columns([1.4, 1])
        with left:
            st.html(html_table(section.table))
        with right:
            if fig is not None:
                chart(fig, 430, section.key, report)
                png_button(fig, section.key, report.file_stem, problem)
    elif section.key in ("districts", "departments"):
        left, right = st.columns([3, 2])
        with left:
            if fig is not None:
                chart(fig, 520, section.key, report)
                png_button(fig, section.key, report.file_stem, problem)
        with right:
            if not section.table.empty:
                n_best = len(report.ranking(section.key.rstrip("s")).best)
                classes = {i: ("best" if i < n_best else "weak") for i in range(len(section.table))}
                st.html(html_table(section.table, classes))
    else:
        if section.table.empty:
            st.write(section.caption or t("report.empty", lang))
        else:
            st.html(html_table(section.table))


try:
    render()
except Exception as exc:  # a message, never a traceback; Streamlit's own signals pass
    if type(exc).__name__ in {"StopException", "RerunException"}:
        raise
    log.exception("weekly report failed")
    st.warning(t("error.query", lang))
