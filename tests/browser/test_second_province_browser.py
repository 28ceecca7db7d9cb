"""Issue 13: a province that is neither Quảng Nam nor Đà Nẵng, set up from the official dataset.

Tỉnh Lâm Đồng (68) was formed on 1 July 2025 from Lâm Đồng, Đắk Nông and Bình Thuận. The
test builds its reference folder with `python -m etl reference`, starts the app on an empty
warehouse configured for it (DX_REFERENCE_DIR, DX_PROVINCE), loads a report of its communes
with the CLI while the app runs (the app imports it from its inbox), then sees the communes
ranked and on the map, and that the `?province=` link reproduces the view.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import IDLE, open_page, screenshot
from tests.conftest import long_csv

pytestmark = pytest.mark.browser
APP_DIR = Path(__file__).resolve().parents[2]
MONTH = "Tháng 8/2026"


def _communes(reference: Path, n: int) -> list[dict]:
    with (reference / "units.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] == "commune" and r["parent"] == "68"]
    assert len(rows) == 124  # the dataset's count for Lâm Đồng
    return sorted(rows, key=lambda r: r["code"])[:n]


def test_a_second_province_from_the_dataset_ranks_its_communes_and_maps_them(streamlit_server, page, tmp_path):
    reference = tmp_path / "reference"
    env = {**os.environ, "PYTHONPATH": str(APP_DIR)}
    built = subprocess.run([sys.executable, "-m", "etl", "reference", "--province", "Lâm Đồng", "--out", str(reference)],
                           cwd=APP_DIR, capture_output=True, text=True, timeout=120, env=env)
    assert built.returncode == 0, built.stdout + built.stderr

    from etl.warehouse import Warehouse

    db = tmp_path / "lam_dong.duckdb"
    Warehouse(db, reference_dir=reference).close()
    settings = {"DX_REFERENCE_DIR": str(reference), "DX_PROVINCE": "68", "DX_NO_SAMPLE": "1", "DX_INBOX_POLL": "0.5"}
    base = streamlit_server(db, env=settings)
    from tests.browser import conftest as browser_conftest

    server = next(s for s in browser_conftest._servers if s.url == base)

    open_page(page, base)  # the app now holds the warehouse: a CLI load goes through its inbox
    assert "Tỉnh Lâm Đồng" in page.locator("[data-testid='stSidebar']").inner_text()

    # a report as an office writes it: unit names with their type, a few written by code
    communes = _communes(reference, 12)
    rows = []
    for i, unit in enumerate(communes):
        received = 100 + 10 * i
        name = unit["code"] if i % 4 == 0 else unit["name_vi"]
        rows.append([MONTH, name, "Tỷ lệ hồ sơ trực tuyến", None, str(received - 7 * i), str(received), None, None])
    report = tmp_path / "bao_cao_thang_8_2026.csv"
    report.write_bytes(long_csv(rows))
    loaded = subprocess.run([sys.executable, "-m", "etl", "load", "--who", "van_thu", "--db", str(server.db_path),
                             str(report)], cwd=APP_DIR, capture_output=True, text=True, timeout=120,
                            env={**env, **settings})
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    done = Path(str(server.db_path) + ".inbox") / "done"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(done.glob("*.json")):
        time.sleep(0.5)
    assert list(done.glob("*.json")), server.log()[-3000:]

    url = f"{base}/districts?province=68&indicator=online_dossier_rate&period=2026-08"
    open_page(page, url)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=60_000)
    best = communes[0]["name_vi"].split(" ", 1)[1]  # 100 % online: first in the ranking
    # wait for what is asserted: the ranking chart draws its labels after the page is idle
    expect(page.locator("[data-testid='stMain']")).to_contain_text(best, timeout=60_000)
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Tỉnh Lâm Đồng", timeout=30_000)
    # a ranking and a map of the communes (centroids from the dataset)
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 2
    screenshot(page, "second_province_lam_dong")

    # the link reproduces the view in a new tab of the same server
    other = page.context.new_page()
    open_page(other, url)
    other.wait_for_selector(IDLE)
    expect(other.locator("[data-testid='stMain']")).to_contain_text(best, timeout=60_000)
    expect(other.locator("[data-testid='stSidebar']")).to_contain_text("Tỉnh Lâm Đồng", timeout=30_000)
    other.close()
