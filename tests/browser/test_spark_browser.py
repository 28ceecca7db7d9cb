"""The app configured for Spark (DX_ENGINE=spark over the exported sample) shows the
same overview figures as the app on the DuckDB warehouse."""

from __future__ import annotations

import pytest

from tests.browser.conftest import IDLE, open_page, screenshot
from tests.spark_support import sample_parquet, spark_or_skip  # noqa: F401

SPARK_PAGE_TIMEOUT = 240_000  # ms: Spark local mode plans and runs each query in ~0.1-3 s


def _headline_figures(page) -> list[str]:
    """The overview's metric values once the page has stopped drawing them: the cards appear one
    after another, so a single read can catch two of five (seen once in CI under load)."""
    import time

    page.wait_for_selector("[data-testid='stMetricValue']", timeout=SPARK_PAGE_TIMEOUT)
    page.wait_for_selector(IDLE, timeout=SPARK_PAGE_TIMEOUT)
    deadline = time.monotonic() + SPARK_PAGE_TIMEOUT / 1000
    last: list[str] = []
    while time.monotonic() < deadline:
        now = [t.strip() for t in page.locator("[data-testid='stMetricValue']").all_inner_texts()]
        if now and now == last:
            return now
        last = now
        page.wait_for_timeout(1500)
    return last


@pytest.mark.browser
@pytest.mark.spark
def test_overview_on_spark_shows_the_same_headline_figures_as_on_duckdb(
        streamlit_server, sample_db, sample_parquet, page, monkeypatch):  # noqa: F811
    spark_or_skip()
    open_page(page, f"{streamlit_server(sample_db)}/")
    on_duckdb = _headline_figures(page)
    assert on_duckdb and any("%" in f for f in on_duckdb)

    monkeypatch.setenv("DX_ENGINE", "spark")
    monkeypatch.setenv("DX_PARQUET", str(sample_parquet))
    monkeypatch.setenv("DX_SPARK_MASTER", "local[2]")
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    spark_url = streamlit_server(sample_db, fresh=True)  # the server copies this environment
    open_page(page, f"{spark_url}/", timeout=SPARK_PAGE_TIMEOUT)
    assert _headline_figures(page) == on_duckdb
    assert page.locator("h1").first.inner_text().strip() == "Tổng quan"
    screenshot(page, "overview-spark")
