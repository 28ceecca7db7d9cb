"""The weekly report in a real browser at 1920x1080: no horizontal overflow, every
section fits one screen, diacritics render in Be Vietnam Pro (not tofu), and the
picture matches the committed reference within a tolerance.

Reference: tests/browser/reference/report_2024-W16.png, the report column (the
main area, without the sidebar that other pages change) of the first screen.
To renew it after a deliberate change of the page: run this test with
``DX_UPDATE_REFERENCE=1``, then look at the image before committing it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.browser.conftest import open_page, screenshot

REFERENCE = Path(__file__).resolve().parent / "reference" / "report_2024-W16.png"
MAX_MEAN_DIFF = 6.0  # mean absolute difference per channel, 0–255
SECTIONS = "[class*='st-key-report_section_']"


def _main_column(page) -> dict:
    """The main area's box inside the 1920x1080 viewport (the sidebar is left out)."""
    box = page.locator("[data-testid='stMain']").bounding_box()
    x = max(0, int(box["x"]))
    return {"x": x, "y": 0, "width": 1920 - x, "height": 1080}


def _mean_abs_diff(a_png: bytes, b_png: bytes) -> float:
    from PIL import Image, ImageChops, ImageStat

    a = Image.open(io.BytesIO(a_png)).convert("RGB")
    b = Image.open(io.BytesIO(b_png)).convert("RGB")
    assert a.size == b.size, (a.size, b.size)
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


@pytest.mark.browser
def test_report_page_fits_1920x1080_renders_diacritics_and_matches_reference(streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/report?week=2024-W16")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(800)  # plotly's transitions settle

    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Báo cáo tuần — Tỉnh Quảng Nam — Tuần 16/2024 (15/04–21/04/2024)" in main
    assert "Nguồn: kho dữ liệu chỉ tiêu CĐS, số liệu minh họa; dữ liệu đến ngày 21/04/2024" in main

    # nothing overflows the viewport horizontally
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    # each section fits one 1080-pixel screen, and nothing inside it is clipped
    boxes = page.evaluate(f"""[...document.querySelectorAll("{SECTIONS}")].map(e => ({{
        key: [...e.classList].find(c => c.startsWith('st-key-')),
        width: e.getBoundingClientRect().width, height: e.getBoundingClientRect().height,
        scroll: e.scrollHeight, client: e.clientHeight, right: e.getBoundingClientRect().right}}))""")
    assert [b["key"] for b in boxes] == [f"st-key-report_section_{k}" for k in
                                          ("headline", "districts", "departments", "not_reported", "deadlines")]
    for b in boxes:
        assert b["height"] <= 1080, b
        assert b["right"] <= 1920, b
        assert b["scroll"] <= b["client"] + 1, b  # content fits its 16:9 panel
        assert abs(b["width"] / b["height"] - 16 / 9) < 0.02, b

    # the page's font has the Vietnamese glyphs (no fallback, no tofu)
    assert page.evaluate("""document.fonts.check('16px "Be Vietnam Pro"', 'Tuần ƯỚC ĐỔI ỹ')""")
    family = page.evaluate("""getComputedStyle(document.querySelector('.rpt-title')).fontFamily""")
    assert "Be Vietnam Pro" in family

    screenshot(page, "report-2024-W16")
    shot = page.screenshot(clip=_main_column(page))
    if os.environ.get("DX_UPDATE_REFERENCE") == "1" or not REFERENCE.exists():
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        REFERENCE.write_bytes(shot)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"reference image missing: {REFERENCE}")
    diff = _mean_abs_diff(shot, REFERENCE.read_bytes())
    print(f"mean pixel difference against {REFERENCE.name}: {diff:.2f}")
    assert diff < MAX_MEAN_DIFF, f"mean pixel difference {diff:.2f} against {REFERENCE.name}"
