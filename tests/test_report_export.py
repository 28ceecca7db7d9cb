"""Report files: the PPTX deck and the PDF opened again and read, PNGs, the CLI, and no-browser behaviour.

The files are made once per module through the command line (`python -m etl
report`), the path a weekly scheduled job takes; the expected figure is computed
with SQL on the sample warehouse and formatted the Vietnamese way.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from dashboard import report_export as rx
from dashboard.formatting import fmt_percent
from etl.cli import main as etl_main
from tests.conftest import sample_cursor

WEEK = "2024-W26"  # 24/06–30/06/2024: the June 2024 figures are the newest by its end
WEEK_LABEL = "Tuần 26/2024 (24/06–30/06/2024)"
TITLES = ("Chỉ tiêu chính", "Huyện, thị xã, thành phố: 5 tốt nhất và 5 yếu nhất",
          "Sở, ban, ngành: 5 tốt nhất và 5 yếu nhất", "Đơn vị chưa báo cáo",
          "Hạn chót đã qua hoặc đến hạn trong tuần")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

needs_browser = pytest.mark.skipif(rx.resolve_browser() is None, reason="no Chromium for kaleido")


def june_2024_rate(sample_db) -> str:
    """The province online dossier rate of June 2024 (the month containing week 26), as 'xx,xx%'."""
    cur = sample_cursor(sample_db)
    value = cur.execute(
        """SELECT 100.0 * sum(numerator) / sum(denominator)
           FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE iv.indicator_code = 'online_dossier_rate' AND iv.period_kind = 'month'
             AND iv.period_start = DATE '2024-06-01' AND iv.breakdown = ''
             AND u.parent = '49' AND u.kind IN ('city', 'town', 'district', 'department')"""
    ).fetchone()[0]
    cur.close()
    return fmt_percent(value, 2, "vi")


@pytest.fixture(scope="module")
def files(sample_db, tmp_path_factory) -> dict[str, Path]:
    if rx.resolve_browser() is None:
        pytest.skip("no Chromium for kaleido")
    out = tmp_path_factory.mktemp("reports")
    code = etl_main(["report", "--db", str(sample_db), "--province", "49", "--week", WEEK,
                     "--format", "pptx,pdf,png", "--out", str(out)])
    assert code == 0
    return {p.suffix.lstrip(".") + ("" if p.suffix != ".png" else "_" + p.stem.rsplit("_", 1)[-1]): p
            for p in out.iterdir()}


def test_cli_writes_files_named_after_the_week(files):
    names = sorted(p.name for p in files.values())
    assert names == sorted([f"bao_cao_tuan_{WEEK}.pptx", f"bao_cao_tuan_{WEEK}.pdf",
                            f"bao_cao_tuan_{WEEK}_headline.png", f"bao_cao_tuan_{WEEK}_districts.png",
                            f"bao_cao_tuan_{WEEK}_departments.png"])


def test_pptx_is_16_9_with_one_slide_per_section_titles_week_and_notes_in_vietnamese(files, sample_db):
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation(str(files["pptx"]))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(deck.slides)
    assert len(slides) == 5
    for slide, title in zip(slides, TITLES, strict=True):
        assert slide.shapes.title.text == f"{title} · {WEEK_LABEL}"
        notes = slide.notes_slide.notes_text_frame.text
        assert notes and any(ch in notes for ch in "ạảãắằẳẵặầẩẫậđếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
    texts = []
    fonts = set()
    for shape in slides[0].shapes:
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for frame in frames:
            texts.append(frame.text)
            fonts |= {run.font.name for p in frame.paragraphs for run in p.runs}
    assert fonts == {"Be Vietnam Pro"}
    assert june_2024_rate(sample_db) in texts  # the headline table cell, e.g. '51,04%'
    assert "Tháng 6/2024" in texts
    pictures = [s for s in slides[1].shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1


def test_pdf_has_one_page_per_section_with_the_week_and_the_figure(files, sample_db):
    from pypdf import PdfReader

    reader = PdfReader(str(files["pdf"]))
    assert len(reader.pages) == 5
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(16 / 9, rel=1e-3)
    first = reader.pages[0].extract_text()
    assert WEEK_LABEL in first
    assert june_2024_rate(sample_db) in first
    assert "Nguồn: kho dữ liệu chỉ tiêu CĐS, số liệu minh họa; dữ liệu đến ngày 30/06/2024" in first
    for page, title in zip(reader.pages, TITLES, strict=True):
        assert title in page.extract_text()
    fonts = {str(f) for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values()}
    assert fonts  # embedded TTF fonts (fpdf2 subsets Be Vietnam Pro)


def test_pngs_are_images_of_the_charts(files):
    from PIL import Image

    for key in ("png_headline", "png_districts", "png_departments"):
        data = files[key].read_bytes()
        assert data.startswith(PNG_MAGIC)
        with Image.open(io.BytesIO(data)) as img:
            assert img.size == (int(1280 * rx.CHART_SCALE), int(560 * rx.CHART_SCALE))


@pytest.mark.parametrize("args", [
    ["--week", "2026-W54"], ["--week", "2026-13"], ["--week", "tuần sau"],
    ["--format", "docx"], ["--format", ""], ["--format", "pdf,xlsx"],
])
def test_cli_exits_2_on_a_bad_week_or_format(args, sample_db, tmp_path, capsys):
    assert etl_main(["report", "--db", str(sample_db), "--out", str(tmp_path), *args]) == 2
    assert "invalid argument" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_exits_2_on_a_missing_warehouse(tmp_path):
    assert etl_main(["report", "--db", str(tmp_path / "none.duckdb"), "--week", WEEK, "--out", str(tmp_path)]) == 2


@pytest.mark.parametrize(("text", "expected"), [("pptx,pdf", ["pptx", "pdf"]), ("PDF", ["pdf"]),
                                                ("png, pptx, png", ["png", "pptx"])])
def test_parse_formats(text, expected):
    assert rx.parse_formats(text) == expected


# --- no browser: explain, never hang ---------------------------------------------------------

@pytest.fixture
def no_browser(monkeypatch, tmp_path):
    missing = tmp_path / "no-such-chromium"
    monkeypatch.setenv("BROWSER_PATH", str(missing))
    return str(missing)


def test_a_browser_path_to_a_missing_file_means_no_browser(no_browser):
    assert rx.resolve_browser() is None
    message = rx.browser_problem("vi")
    assert "Không tìm thấy trình duyệt Chromium" in message and "No Chromium browser found" in message
    assert no_browser in message


def test_exports_raise_no_browser_at_once_instead_of_hanging(no_browser, sample_db):
    import time

    import plotly.graph_objects as go

    from dashboard.report import build_report

    cur = sample_cursor(sample_db)
    report = build_report(cur, WEEK, province="49")
    cur.close()
    started = time.monotonic()
    with pytest.raises(rx.NoBrowser):
        rx.chart_png(go.Figure())
    with pytest.raises(rx.NoBrowser):
        rx.report_pptx(report)
    with pytest.raises(rx.NoBrowser):
        rx.report_pdf(report)
    assert time.monotonic() - started < 2


def test_cli_without_a_browser_exits_1_with_the_bilingual_message(no_browser, sample_db, tmp_path, capsys):
    assert etl_main(["report", "--db", str(sample_db), "--province", "49", "--week", WEEK,
                     "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Không tìm thấy trình duyệt Chromium" in err and "No Chromium browser found" in err
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".pptx", ".pdf")]


def report_buttons(at, lang: str) -> list:
    from dashboard.i18n import t

    labels = {t(f"report.download.{k}", lang) for k in ("png", "pdf", "pptx")}
    return [b for b in at.get("download_button") if b.proto.label in labels]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_page_disables_the_downloads_and_says_why_without_a_browser(no_browser, sample_app, lang):
    at = sample_app("views/report.py", lang=lang, week=WEEK, province="49")
    buttons = report_buttons(at, lang)
    assert len(buttons) == 5  # PDF, PPTX and one PNG per chart
    assert all(b.proto.disabled for b in buttons)
    assert any("No Chromium browser found" in w.value and "Không tìm thấy" in w.value for w in at.warning)


@needs_browser
def test_report_page_offers_enabled_downloads_when_a_browser_resolves(sample_app, monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    at = sample_app("views/report.py", week=WEEK, province="49")
    buttons = report_buttons(at, "vi")
    assert len(buttons) == 5 and not any(b.proto.disabled for b in buttons)
    assert not at.warning


def test_pdf_and_pptx_build_from_prerendered_images_without_a_browser(no_browser, sample_db):
    """The file builders take images from outside: no browser needed when the PNGs exist."""
    from PIL import Image

    from dashboard.report import build_report

    buf = io.BytesIO()
    Image.new("RGB", (1280, 560), "white").save(buf, format="PNG")
    cur = sample_cursor(sample_db)
    report = build_report(cur, WEEK, province="49")
    cur.close()
    pngs = {k: buf.getvalue() for k in ("headline", "districts", "departments")}
    assert rx.report_pdf(report, pngs).startswith(b"%PDF")
    assert rx.report_pptx(report, pngs)[:2] == b"PK"
    assert report.as_of == date(2024, 6, 30)
