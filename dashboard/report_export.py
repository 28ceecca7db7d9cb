"""The weekly report as files: each chart as PNG, the whole report as PDF and as a PPTX deck.

Charts are drawn by kaleido 1.x in a headless Chromium. Kaleido finds the browser
through ``BROWSER_PATH`` (else choreographer's search); with no browser it can
hang or fail late, so :func:`resolve_browser` decides first, and every export
raises :class:`NoBrowser` (the page disables its buttons, the CLI exits 1) with
a bilingual message instead. ``BROWSER_PATH`` set to a path that is not an
executable file means "no browser": it is never silently replaced.

The Be Vietnam Pro TTFs in ``static/fonts/`` (OFL) give every output full
Vietnamese diacritics: fpdf2 embeds them in the PDF, the PPTX names the font on
every text run, and Chromium finds them through a private fontconfig file
(``FONTCONFIG_FILE``), so the PNGs use the app's font too.

    >>> from dashboard.report_export import SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN
    >>> round(SLIDE_WIDTH_IN / SLIDE_HEIGHT_IN, 3)  # 16:9
    1.778
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import plotly.graph_objects as go

from dashboard.i18n import t
from dashboard.report import WeeklyReport
from dashboard.report_charts import HEIGHT, WIDTH, figures

FONT_NAME = "Be Vietnam Pro"
FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_FILES = {"": "BeVietnamPro-Regular.ttf", "B": "BeVietnamPro-Bold.ttf", "SB": "BeVietnamPro-SemiBold.ttf"}
SYSTEM_CHROMIUM = "/usr/bin/chromium"
SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
FORMATS = ("pptx", "pdf", "png")
PNG_MIME = "image/png"
PDF_MIME = "application/pdf"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
CHART_SCALE = 1.5  # PNG pixels per CSS pixel: sharp on a projector, small files

_render_lock = threading.Lock()


class NoBrowser(RuntimeError):
    """No Chromium for kaleido: charts cannot be drawn (``.path`` is what was tried)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        super().__init__(t("report.no_browser", "vi", path=path or "—"))


# -- the browser ------------------------------------------------------------------------

def resolve_browser() -> str | None:
    """The Chromium kaleido will use, or None; sets ``BROWSER_PATH`` when it finds one.

    ``BROWSER_PATH`` wins when set (a missing file there means no browser); else
    ``/usr/bin/chromium``; else choreographer's own search (PATH and the usual places).
    """
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if Path(env).is_file() and os.access(env, os.X_OK) else None
    if Path(SYSTEM_CHROMIUM).is_file() and os.access(SYSTEM_CHROMIUM, os.X_OK):
        os.environ["BROWSER_PATH"] = SYSTEM_CHROMIUM
        return SYSTEM_CHROMIUM
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # any failure of the search is "no browser"
        found = None
    if found and Path(found).is_file():
        os.environ["BROWSER_PATH"] = str(found)
        return str(found)
    return None


def browser_problem(lang: str = "vi") -> str | None:
    """The bilingual explanation shown when no browser resolves, else None."""
    if resolve_browser() is not None:
        return None
    return t("report.no_browser", lang, path=os.environ.get("BROWSER_PATH") or "—")


def _use_app_fonts() -> None:
    """Let Chromium see static/fonts (Be Vietnam Pro) besides the system fonts."""
    if os.environ.get("FONTCONFIG_FILE", "").endswith("dx_report_fonts.conf"):
        return
    folder = Path(tempfile.gettempdir()) / f"dx-report-fonts-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    conf = folder / "dx_report_fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONTS_DIR}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    os.environ["FONTCONFIG_FILE"] = str(conf)


def _require_browser() -> None:
    if resolve_browser() is None:
        raise NoBrowser(os.environ.get("BROWSER_PATH"))
    _use_app_fonts()


# -- PNG ------------------------------------------------------------------------------------

def chart_png(fig: go.Figure, scale: float = CHART_SCALE) -> bytes:
    """One chart as PNG with ``fig.to_image`` (kaleido, one browser start)."""
    _require_browser()
    width = fig.layout.width or WIDTH
    height = fig.layout.height or HEIGHT
    with _render_lock:
        return fig.to_image(format="png", width=width, height=height, scale=scale)


def charts_png(figs: dict[str, go.Figure], scale: float = CHART_SCALE) -> dict[str, bytes]:
    """Several charts as PNG in one kaleido session (one browser start for all)."""
    if not figs:
        return {}
    _require_browser()
    import kaleido

    async def render() -> dict[str, bytes]:
        out = {}
        async with kaleido.Kaleido(n=1, mathjax=False) as k:
            for key, fig in figs.items():
                opts = {"format": "png", "width": fig.layout.width or WIDTH,
                        "height": fig.layout.height or HEIGHT, "scale": scale}
                out[key] = await k.calc_fig(fig, opts=opts)
        return out

    with _render_lock:
        return asyncio.run(render())


def report_pngs(report: WeeklyReport) -> dict[str, bytes]:
    """Every chart of the report as PNG, keyed by section."""
    return charts_png(figures(report))


# -- PDF --------------------------------------------------------------------------------------

def _col_weights(frame) -> tuple[int, ...]:
    """Relative column widths from the longest text of each column (capped, so long lists wrap)."""
    lengths = [max([len(str(c))] + [len(str(v)) for v in frame.iloc[:, i]]) for i, c in enumerate(frame.columns)]
    return tuple(min(n, 90) + 4 for n in lengths)


def _pdf_fonts(pdf) -> None:
    pdf.add_font("BVP", "", str(FONTS_DIR / FONT_FILES[""]))
    pdf.add_font("BVP", "B", str(FONTS_DIR / FONT_FILES["B"]))


def report_pdf(report: WeeklyReport, pngs: dict[str, bytes] | None = None) -> bytes:
    """The report as a 16:9 PDF, one page per section, fonts embedded."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pngs = report_pngs(report) if pngs is None else pngs
    width_mm, height_mm = SLIDE_WIDTH_IN * 25.4, SLIDE_HEIGHT_IN * 25.4
    pdf = FPDF(orientation="L", unit="mm", format=(height_mm, width_mm))
    pdf.set_title(report.title)
    pdf.set_author(t("app.title", report.lang))
    pdf.set_lang("vi" if report.lang == "vi" else "en")
    _pdf_fonts(pdf)
    pdf.set_margins(12, 10, 12)
    pdf.set_auto_page_break(True, margin=14)
    body_w = width_mm - 24
    for section in report.sections:
        pdf.add_page()
        pdf.set_font("BVP", "B", 18)
        pdf.set_text_color(11, 92, 173)
        pdf.multi_cell(body_w, 9, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("BVP", "", 10)
        pdf.set_text_color(27, 36, 51)
        sub = section.caption or (report.subtitle if section.key == "headline" else "")
        if sub:
            pdf.multi_cell(body_w, 5.5, sub, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        png = pngs.get(section.key)
        show_table = not (png and section.key in ("districts", "departments"))
        if show_table and not section.table.empty:
            pdf.set_font("BVP", "", 9)
            with pdf.table(line_height=5, text_align="LEFT", width=body_w, padding=1,
                           col_widths=_col_weights(section.table),
                           headings_style=FontFace(emphasis="BOLD", fill_color=(234, 241, 250)),
                           first_row_as_headings=True) as table:
                header = table.row()
                for col in section.table.columns:
                    header.cell(str(col))
                for values in section.table.itertuples(index=False):
                    row = table.row()
                    for value in values:
                        row.cell(str(value))
        if png:
            room = height_mm - pdf.get_y() - 18
            img_w = min(body_w, room * WIDTH / HEIGHT)
            if img_w > 60:
                pdf.image(io.BytesIO(png), x=(width_mm - img_w) / 2, y=pdf.get_y() + 2, w=img_w)
        pdf.set_auto_page_break(False)  # the footer sits inside the bottom margin
        pdf.set_y(height_mm - 12)
        pdf.set_font("BVP", "", 8)
        pdf.set_text_color(91, 107, 128)
        pdf.cell(body_w, 5, report.source)
        pdf.set_auto_page_break(True, margin=14)
    return bytes(pdf.output())


# -- PPTX -------------------------------------------------------------------------------------

def _style_runs(text_frame, size: int, bold: bool = False, colour=None) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    for paragraph in text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.name = FONT_NAME
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour:
                run.font.color.rgb = RGBColor(*colour)


def _text_box(slide, left, top, width, height, text, size, bold=False, colour=(27, 36, 51)):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = text
    _style_runs(frame, size, bold, colour)
    return box


def _table(slide, frame, left, top, width, max_height):
    from pptx.util import Emu, Pt

    rows, cols = len(frame) + 1, len(frame.columns)
    row_h = min(Emu(int(max_height / rows)), Pt(30))
    shape = slide.shapes.add_table(rows, cols, left, top, width, Emu(int(row_h * rows)))
    table = shape.table
    weights = _col_weights(frame)
    for i, weight in enumerate(weights):
        table.columns[i].width = Emu(int(width * weight / sum(weights)))
    size = 12 if rows <= 8 and max(weights) < 64 else 10
    for c, col in enumerate(frame.columns):
        table.cell(0, c).text = str(col)
        _style_runs(table.cell(0, c).text_frame, size, bold=True)
    for r, values in enumerate(frame.itertuples(index=False), start=1):
        for c, value in enumerate(values):
            table.cell(r, c).text = str(value)
            _style_runs(table.cell(r, c).text_frame, size)
    return shape


def report_pptx(report: WeeklyReport, pngs: dict[str, bytes] | None = None) -> bytes:
    """The report as a 16:9 deck (13.333 x 7.5 in): one slide per section, notes in the report's language."""
    from pptx import Presentation
    from pptx.util import Inches

    pngs = report_pngs(report) if pngs is None else pngs
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    blank = deck.slide_layouts[5]  # "Title Only": a real title placeholder (outline, accessibility)
    margin, body_w = Inches(0.5), Inches(SLIDE_WIDTH_IN - 1.0)
    for section in report.sections:
        slide = deck.slides.add_slide(blank)
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = margin, Inches(0.25), body_w, Inches(0.8)
        title.text = section.title
        _style_runs(title.text_frame, 26, bold=True, colour=(11, 92, 173))
        top = Inches(1.05)
        sub = section.caption or (report.subtitle if section.key == "headline" else "")
        if sub:
            _text_box(slide, margin, top, body_w, Inches(0.4), sub, 14)
            top += Inches(0.45)
        bottom = Inches(SLIDE_HEIGHT_IN - 0.5)
        png = pngs.get(section.key)
        if section.key in ("districts", "departments") and png:
            _picture(slide, png, top, bottom)
        else:
            if not section.table.empty:
                table_h = (bottom - top) * (0.45 if png else 1.0)
                shape = _table(slide, section.table, margin, top, body_w, table_h)
                top += shape.height + Inches(0.15)
            if png:
                _picture(slide, png, top, bottom)
        _text_box(slide, margin, bottom, body_w, Inches(0.35), report.source, 11, colour=(91, 107, 128))
        notes = slide.notes_slide.notes_text_frame
        notes.text = section.notes
        _style_runs(notes, 12)
    buf = io.BytesIO()
    deck.save(buf)
    return buf.getvalue()


def _picture(slide, png: bytes, top, bottom) -> None:
    from pptx.util import Emu, Inches

    room_h = bottom - top
    width = min(Inches(SLIDE_WIDTH_IN - 1.0), Emu(int(room_h * WIDTH / HEIGHT)))
    height = Emu(int(width * HEIGHT / WIDTH))
    left = Emu(int((Inches(SLIDE_WIDTH_IN) - width) / 2))
    slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)


# -- files ------------------------------------------------------------------------------------

def parse_formats(text: str) -> list[str]:
    """``'pptx,pdf'`` -> ``['pptx', 'pdf']``; an unknown or empty format raises ``ValueError``.

    >>> parse_formats("PPTX, pdf")
    ['pptx', 'pdf']
    """
    chosen = [f.strip().lower() for f in str(text).split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if not chosen or unknown:
        raise ValueError(f"unknown format {', '.join(unknown) or text!r}; expected some of {', '.join(FORMATS)}")
    return list(dict.fromkeys(chosen))


def write_report(report: WeeklyReport, formats: Iterable[str], out_dir: Path) -> list[Path]:
    """Write ``bao_cao_tuan_<week>.pptx|.pdf`` (and ``..._<section>.png``) into ``out_dir``.

    Charts are rendered once and shared by every format. Files are written to a
    temporary name first, so a failed run never leaves half a file.
    """
    formats = list(formats)
    out_dir.mkdir(parents=True, exist_ok=True)
    pngs = report_pngs(report)
    written = []

    def put(name: str, data: bytes) -> None:
        target = out_dir / name
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        shutil.move(tmp, target)
        written.append(target)

    for fmt in formats:
        if fmt == "pptx":
            put(f"{report.file_stem}.pptx", report_pptx(report, pngs))
        elif fmt == "pdf":
            put(f"{report.file_stem}.pdf", report_pdf(report, pngs))
        elif fmt == "png":
            for key, data in pngs.items():
                put(f"{report.file_stem}_{key}.png", data)
    return written
