"""The topic pages in a real browser: deep link with filters, no error, a known figure on screen.

Screenshots (1920x1080) go to test-artifacts/screenshots/topic-*.png.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page, screenshot

CASES = [
    # (url path and query, name, texts that must be on screen)
    ("databases?period=2022-04", "topic-databases-vi", ("141", "49", "92")),
    ("steering?period=2022-04-30", "topic-steering-vi", ("16/18 huyện (88,89%)", "7/20 sở, ngành (35%)")),
    ("projects?period=2024-03-11", "topic-projects-vi", ("17", "Quá hạn thẩm định (hạn 22/03/2023)")),
    ("online-services?period=2022-04", "topic-online-services-vi", ("1.470", "1.403")),
    ("online-services?period=2022-02-01..2022-03-31&lang=en", "topic-online-services-range-en", ("23.08%",)),
]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "name", "texts"), CASES, ids=[c[1] for c in CASES])
def test_topic_page_deep_link_shows_its_figures(path, name, texts, streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/{path}")
    # plotly charts render after the script is idle; wait for them so the screenshot shows them
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    main = page.locator("[data-testid='stMain']").inner_text()
    for text in texts:
        assert text in main, (text, main[:3000])
    assert "Traceback" not in main
    screenshot(page, name)
