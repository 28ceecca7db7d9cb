"""Deep links, sidebar titles, language and font in a real browser.

Every deep link is opened on a FRESH server: the ``pages/`` pitfall of
streamlit 1.67 (legacy file-name sidebar) only shows before any session has run
st.navigation, so a shared server would hide it.
"""

from __future__ import annotations

import re

import pytest

from dashboard.i18n import t
from dashboard.navigation import APP_DIR, PAGES, PageSpec
from tests.browser.conftest import open_page, screenshot

VI_TITLES = [t(spec.title_key, "vi") for spec in PAGES]
EN_TITLES = [t(spec.title_key, "en") for spec in PAGES]
FILE_NAMES = {"app"} | {spec.file.removesuffix(".py") for spec in PAGES}


def _url(base: str, spec: PageSpec, query: str = "") -> str:
    path = "" if spec.default else spec.url_path
    return f"{base}/{path}{query}"


def _sidebar_titles(page) -> list[str]:
    """The page titles in the sidebar navigation (the icon ligature text dropped)."""
    links = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    return [text.strip().splitlines()[-1].strip() for text in links]


def test_no_pages_folder_next_to_app():
    """A `pages/` folder (even empty) turns on streamlit's legacy multipage mode."""
    assert not (APP_DIR / "pages").exists(), "page modules belong in views/, see README"


@pytest.mark.browser
@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_deep_link_on_fresh_server_shows_page_and_titled_sidebar(
    spec, streamlit_server, sample_db, page
):
    base = streamlit_server(sample_db, fresh=True)
    open_page(page, _url(base, spec))
    assert page.locator("h1").first.inner_text().strip() == t(spec.title_key, "vi")
    titles = _sidebar_titles(page)
    assert titles == VI_TITLES
    assert not FILE_NAMES & set(titles)
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "Tỉnh Quảng Nam" in sidebar
    assert "Số liệu minh họa" in sidebar
    assert "Dữ liệu đến ngày" in sidebar
    screenshot(page, f"nav-{spec.url_path}")


@pytest.mark.browser
@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_lang_en_in_url_shows_english_titles(spec, streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, _url(base, spec, "?lang=en"))
    assert page.locator("h1").first.inner_text().strip() == t(spec.title_key, "en")
    assert _sidebar_titles(page) == EN_TITLES
    assert "Illustrative sample data" in page.locator("[data-testid='stSidebar']").inner_text()


@pytest.mark.browser
def test_english_is_kept_when_following_a_sidebar_link(streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/?lang=en")
    page.locator("[data-testid='stSidebarNav'] a", has_text=t("nav.steering", "en")).click()
    page.wait_for_url(re.compile(r"/steering"))
    page.wait_for_selector("h1:has-text('Steering committees')")
    assert _sidebar_titles(page) == EN_TITLES


@pytest.mark.browser
def test_language_switch_puts_lang_in_url(streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    open_page(page, f"{base}/districts")
    page.locator("[data-testid='stSidebar'] button", has_text="English").click()
    page.wait_for_selector("h1:has-text('By area')")
    assert "lang=en" in page.url
    assert "/districts" in page.url


@pytest.mark.browser
def test_font_is_be_vietnam_pro_served_by_the_app(streamlit_server, sample_db, page):
    base = streamlit_server(sample_db)
    fonts: list[tuple[str, int]] = []
    page.on("response", lambda r: fonts.append((r.url, r.status)) if ".woff" in r.url else None)
    open_page(page, f"{base}/")
    page.evaluate("document.fonts.ready")
    family = page.evaluate(
        "getComputedStyle(document.querySelector(\"[data-testid='stMain'] h1\")).fontFamily"
    )
    body = page.evaluate(
        "getComputedStyle(document.querySelector("
        "\"[data-testid='stSidebar'] [data-testid='stMarkdownContainer'] p\")).fontFamily"
    )
    assert family.startswith('"Be Vietnam Pro"') or family.startswith("Be Vietnam Pro")
    assert body.startswith('"Be Vietnam Pro"') or body.startswith("Be Vietnam Pro")
    assert page.evaluate("document.fonts.check('16px \"Be Vietnam Pro\"', 'Tổng quan')")
    local = [u for u, status in fonts if u.startswith(f"{base}/app/static/fonts/") and status == 200]
    assert any("vietnamese" in u for u in local), fonts
    assert all(u.startswith(base) for u, _ in fonts), f"font fetched from elsewhere: {fonts}"
