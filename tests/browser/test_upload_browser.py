"""Upload in a real browser: sign in, drop an XLSX on the file input, commit, see the
new figure on the overview page."""

from __future__ import annotations

import pytest

from dashboard import auth
from tests.browser.conftest import IDLE, open_page, screenshot
from tests.upload_support import ANALYST, PASSWORD, may_2025_report

RATE_NAME = "Tỷ lệ hồ sơ trực tuyến"


def _wait_idle(page) -> None:
    page.wait_for_timeout(300)  # let the rerun start before waiting for it to end
    page.wait_for_selector(IDLE, timeout=60_000)


def _rate_card(page) -> str:
    card = page.locator("[data-testid='stMetric']", has_text=RATE_NAME).first
    return card.locator("[data-testid='stMetricValue']").inner_text().strip()


@pytest.mark.browser
def test_analyst_uploads_an_xlsx_commits_and_sees_the_new_month_on_the_overview(
    streamlit_server, sample_db, page, tmp_path, monkeypatch
):
    users = tmp_path / "users.toml"
    auth.add_user(ANALYST, PASSWORD, users)
    monkeypatch.setenv("DX_USERS_FILE", str(users))  # read by the server started below
    base = streamlit_server(sample_db, fresh=True)

    open_page(page, f"{base}/")
    before = _rate_card(page)

    open_page(page, f"{base}/upload")
    page.locator("input[aria-label='Tên đăng nhập']").fill(ANALYST)
    page.locator("input[aria-label='Mật khẩu']").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text(f"Đã đăng nhập: {ANALYST}").wait_for(timeout=30_000)

    report = tmp_path / "bao_cao_thang_5_2025.xlsx"
    report.write_bytes(may_2025_report())  # Tam Kỳ 150/200, Đại Lộc 40/100 online in May 2025
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(report))
    page.get_by_role("heading", name=report.name).wait_for(timeout=30_000)
    _wait_idle(page)
    new = page.locator("[data-testid='stMetric']", has_text="Mới").locator("[data-testid='stMetricValue']")
    assert new.inner_text().strip() == "4"  # four values the warehouse does not have (tables are canvas)
    screenshot(page, "upload-review")

    commit = page.get_by_role("button", name="Nạp vào kho")
    assert commit.is_enabled()
    commit.click()
    page.get_by_text("Đã nạp bao_cao_thang_5_2025.xlsx").wait_for(timeout=30_000)
    _wait_idle(page)
    screenshot(page, "upload-committed")

    open_page(page, f"{base}/")
    assert before != "63,33%"
    assert _rate_card(page) == "63,33%"  # (150 + 40) / (200 + 100), the province's latest month
    assert "31/05/2025" in page.locator("[data-testid='stSidebar']").inner_text()
