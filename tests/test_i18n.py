"""UI strings: both languages complete, and the app follows ?lang= (AppTest)."""

from __future__ import annotations

import string

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import DEFAULT_LANG, LANGS, STRINGS, normalize_lang, t
from dashboard.navigation import PAGES


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_exists_in_every_language(lang):
    all_keys = set().union(*(STRINGS[other] for other in LANGS))
    missing = sorted(all_keys - set(STRINGS[lang]))
    assert not missing, f"missing in {lang}: {missing}"


def test_translations_use_the_same_placeholders():
    for key, text in STRINGS["vi"].items():
        assert _placeholders(text) == _placeholders(STRINGS["en"][key]), key


def test_no_translation_is_empty():
    for lang in LANGS:
        assert all(text.strip() for text in STRINGS[lang].values()), lang


def test_every_page_and_group_has_a_title_in_both_languages():
    for spec in PAGES:
        for lang in LANGS:
            assert t(spec.title_key, lang)
            assert t(spec.group_key, lang)


@pytest.mark.parametrize(
    ("key", "lang", "kwargs", "expected"),
    [
        ("nav.overview", "vi", {}, "Tổng quan"),
        ("nav.overview", "en", {}, "Overview"),
        ("common.no_data", "vi", {}, "Không có dữ liệu"),
        ("common.no_data", "en", {}, "No data"),
        ("sidebar.sample_badge", "vi", {}, "Số liệu minh họa"),
        ("sidebar.sample_badge", "en", {}, "Illustrative sample data"),
        ("sidebar.as_of", "vi", {"date": "31/03/2024"}, "Dữ liệu đến ngày 31/03/2024"),
        ("sidebar.as_of", "en", {"date": "31/03/2024"}, "Data as of 31/03/2024"),
        ("nav.overview", "fr", {}, "Tổng quan"),
    ],
)
def test_t_translates_and_fills_placeholders(key, lang, kwargs, expected):
    assert t(key, lang, **kwargs) == expected


def test_t_raises_on_an_unknown_key():
    with pytest.raises(KeyError):
        t("no.such.key", "vi")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "en"), ("EN", "en"), (" vi ", "vi"), (None, "vi"), ("", "vi"), ("English", "vi")],
)
def test_normalize_lang_falls_back_to_vietnamese(value, expected):
    assert normalize_lang(value) == expected
    assert DEFAULT_LANG == "vi"


# AppTest: file pages in views/ can be switched to by path after a first run.

@pytest.fixture
def tmp_path(sample_db):
    """The AppTests here read the session's sample warehouse (built once)."""
    return sample_db.parent


def _app(tmp_path, monkeypatch, lang: str | None = None) -> AppTest:
    monkeypatch.setenv("DX_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    at = AppTest.from_file("../app.py", default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def test_app_opens_in_vietnamese_with_sidebar(tmp_path, monkeypatch):
    at = _app(tmp_path, monkeypatch)
    assert not at.exception
    assert [h.value for h in at.title] == ["Tổng quan"]
    sidebar = " ".join(str(m.value) for m in at.sidebar.markdown)
    assert "Thành phố Đà Nẵng" in sidebar and "Số liệu minh họa" in sidebar  # the sample's first province
    assert "lang" not in at.query_params


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_app_switches_to_every_page_in_both_languages(spec, lang, tmp_path, monkeypatch):
    at = _app(tmp_path, monkeypatch, lang=None if lang == "vi" else lang)
    at.switch_page(spec.path).run()
    assert not at.exception
    assert [h.value for h in at.title] == [t(spec.title_key, lang)]


def test_choosing_english_puts_lang_in_the_url(tmp_path, monkeypatch):
    at = _app(tmp_path, monkeypatch)
    at.sidebar.button_group[0].set_value("en").run()
    assert at.query_params.get("lang") == "en"
    assert [h.value for h in at.title] == ["Overview"]
    at.sidebar.button_group[0].set_value("vi").run()
    assert "lang" not in at.query_params
    assert [h.value for h in at.title] == ["Tổng quan"]
