"""Overview and indicator detail in a real browser on the sample warehouse.

Figures are read from text on screen (metrics, markdown); the tables are drawn
on a canvas, so their cells are checked in the AppTest tests instead.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page, screenshot
from tests.conftest import sample_cursor

ONLINE_RATE_SQL = """
    SELECT 100.0 * sum(iv.numerator) / sum(iv.denominator)
    FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
    WHERE iv.indicator_code = 'online_dossier_rate' AND iv.period_kind = ?
      AND iv.breakdown = '' AND u.parent = '49'
    GROUP BY iv.period_start ORDER BY iv.period_start DESC LIMIT 1
"""


def _rate_vi(cur, kind: str) -> str:
    rate = cur.execute(ONLINE_RATE_SQL, [kind]).fetchone()[0]
    return f"{rate:.2f}".replace(".", ",") + "%"


@pytest.mark.browser
def test_overview_shows_the_headline_online_rate(streamlit_server, sample_db, page):
    expected = _rate_vi(sample_cursor(sample_db), "month")
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/")
    page.wait_for_selector("[data-testid='stMetric']")
    assert page.locator("h1").first.inner_text().strip() == "Tổng quan"
    main = page.locator("[data-testid='stMain']").inner_text()
    assert expected in main
    assert "Tình trạng các chỉ tiêu" in main
    screenshot(page, "overview")


@pytest.mark.browser
def test_indicator_deep_link_shows_chart_and_latest_figure(streamlit_server, sample_db, page):
    expected = _rate_vi(sample_cursor(sample_db), "month")
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/indicator?indicator=online_dossier_rate")
    assert page.locator("h1").first.inner_text().strip() == "Chi tiết chỉ tiêu"
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg")
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Tỷ lệ hồ sơ trực tuyến (%) — Tỉnh Quảng Nam, theo tháng" in main
    assert expected in main
    assert "indicator=online_dossier_rate" in page.url
    screenshot(page, "indicator-online_dossier_rate")


@pytest.mark.browser
def test_indicator_range_deep_link_shows_the_23_08_percent_fact(streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/indicator?indicator=online_dossier_rate&kind=range")
    page.wait_for_selector("[data-testid='stMetric']")
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "01/02/2022–31/03/2022" in main
    assert "23,08%" in main
