"""'By area' (``/districts``) and 'By department' in a real browser on the sample warehouse."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page, screenshot


@pytest.mark.browser
def test_district_page_deep_link_shows_province_rate(streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/districts?indicator=online_dossier_rate&period=2022-02-01..2022-03-31")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    main = page.locator("[data-testid='stMain']")
    assert "23,08%" in main.locator("[data-testid='stMetric']").first.inner_text()
    assert page.get_by_text("23,08", exact=False).count() > 0
    assert "Toàn tỉnh: 23,08%" in main.inner_text()  # the province line's label on the chart
    assert page.locator("[data-testid='stPlotlyChart']").count() == 4
    assert page.locator("h1").first.inner_text().strip() == "Theo địa bàn"
    assert "Kỳ trước 01/07/2025: cấp huyện (huyện, thị xã, thành phố)" in main.inner_text()
    assert "không kèm ranh giới hành chính" in main.inner_text()  # the map's caption
    screenshot(page, "units-districts")


@pytest.mark.browser
def test_area_page_search_and_show_all_in_english(streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/districts?lang=en&indicator=online_dossier_rate&period=2024-12")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    main = page.locator("[data-testid='stMain']")
    assert page.locator("h1").first.inner_text().strip() == "By area"
    assert "Periods before 01/07/2025: district level (districts, towns, cities)" in main.inner_text()
    assert main.get_by_text("Show all").count() == 1
    search = main.get_by_label("Find a unit")
    search.fill("tam ky")
    search.press("Enter")
    # the ranking (the first chart) redraws with the one unit whose name folds to "tam ky"
    page.wait_for_function(
        """() => {
            const chart = document.querySelector("[data-testid='stPlotlyChart']");
            const ticks = chart ? [...chart.querySelectorAll('.ytick text')].map(e => e.textContent) : [];
            return ticks.length === 1 && ticks[0] === 'Tam Ky City';
        }""", timeout=30_000)
    screenshot(page, "units-area-search")


@pytest.mark.browser
def test_department_page_opens_without_error(streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/departments")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    assert page.locator("h1").first.inner_text().strip() == "Theo sở ngành"
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3
    screenshot(page, "units-departments")
