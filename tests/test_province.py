"""The deployment's province (dashboard/province.py), the sidebar's picker, and no hard-coded province."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dashboard import province as prov
from dashboard.province import Province, choose_province, configured_province, resolve_province
from tests.conftest import sample_cursor

ROOT = Path(__file__).resolve().parent.parent
QN = Province("49", "Tỉnh Quảng Nam", "Quang Nam Province", None, date(2025, 6, 30))
ST = Province("94", "Tỉnh Sóc Trăng", "Soc Trang Province", None, date(2025, 6, 30))
DN = Province("48", "Thành phố Đà Nẵng", "Da Nang City", date(2025, 7, 1), None)
CHOICES = [DN, QN, ST]


# --- the setting ---------------------------------------------------------------------------------

def test_the_environment_wins_over_the_secrets_file():
    assert configured_province({"DX_PROVINCE": "48"}, {"province": "49"}) == "48"


def test_the_secrets_file_is_read_when_the_environment_says_nothing():
    assert configured_province({"DX_PROVINCE": "  "}, {"province": "Đà Nẵng"}) == "Đà Nẵng"
    assert configured_province({}, {"province": 48}) == "48"


def test_no_setting_is_none():
    assert configured_province({}, {}) is None
    assert configured_province({}, {"province": ""}) is None
    assert configured_province({}, {"province": {"code": "48"}}) is None  # a section is not a province


@pytest.mark.parametrize("text", ["48", "Đà Nẵng", "Thành phố Đà Nẵng", "thanh pho da nang", "TP. Đà Nẵng",
                                  "Da Nang City", " đà nẵng "])
def test_a_code_or_a_name_folded_names_the_province(text):
    assert resolve_province(text, CHOICES) == "48"


@pytest.mark.parametrize("text", [None, "", "47", "Quảng", "Hà Nội"])
def test_an_unknown_text_names_no_province(text):
    assert resolve_province(text, CHOICES) is None


# --- the choice ----------------------------------------------------------------------------------

def test_a_valid_url_value_wins_over_the_setting():
    choice = choose_province("94", "49", CHOICES)
    assert (choice.code, choice.notice) == ("94", None)


def test_without_a_url_value_the_setting_chooses():
    assert choose_province(None, "Quảng Nam", CHOICES).code == "49"
    assert choose_province("", "49", CHOICES).code == "49"


def test_without_url_or_setting_the_first_choice_is_shown():
    assert choose_province(None, None, CHOICES).code == "48"


def test_an_unknown_url_value_is_ignored_with_a_notice_not_an_exception():
    choice = choose_province("99", "49", CHOICES)
    assert (choice.code, choice.notice, choice.ignored) == ("49", prov.UNKNOWN_URL, "99")


def test_a_setting_the_warehouse_does_not_hold_falls_back_to_the_first_with_a_notice():
    choice = choose_province(None, "Hà Nội", CHOICES)
    assert (choice.code, choice.notice, choice.ignored) == ("48", prov.UNKNOWN_SETTING, "Hà Nội")


def test_an_empty_warehouse_has_no_province():
    assert choose_province("49", "49", []).province is None


def test_a_former_province_says_until_when_in_both_languages():
    assert QN.label("vi") == "Tỉnh Quảng Nam (đến 30/06/2025)"
    assert QN.label("en") == "Quang Nam Province (until 30/06/2025)"
    assert DN.label("vi") == "Thành phố Đà Nẵng" and DN.label("en") == "Da Nang City"


# --- the warehouse's provinces -----------------------------------------------------------------------

def test_the_sample_holds_da_nang_then_quang_nam_by_their_units_and_soc_trang_by_its_own_rows(sample_db):
    frame = prov.province_choices(sample_cursor(sample_db))
    assert list(frame.columns) == ["code", "name_vi", "name_en", "valid_from", "valid_to"]
    # Đà Nẵng (48, current, its communes since 2025-07) first; then the former ones by name; 92 has no values
    assert list(frame["code"]) == ["48", "49", "94"]
    provinces = prov.provinces_of(frame)
    assert provinces[0].code == "48" and provinces[0].current
    assert provinces[1] == QN


def test_current_provinces_come_before_former_ones(two_province_db, tmp_path):
    from dashboard.data import warehouse

    cur = warehouse(two_province_db).cursor()
    cur.execute("CREATE TEMP TABLE units AS SELECT * FROM main.units")
    cur.execute("UPDATE units SET valid_to = NULL WHERE code = '94'")
    assert list(prov.province_choices(cur)["code"]) == ["94", "49"]
    cur.close()


def test_the_report_command_defaults_to_the_setting_else_the_first_province(sample_db, monkeypatch):
    cur = sample_cursor(sample_db)
    monkeypatch.delenv("DX_PROVINCE", raising=False)
    assert prov.default_province(cur) == "48"  # the sample's first: the current city, Đà Nẵng
    assert prov.default_province(cur, "Quảng Nam") == "49"
    assert prov.default_province(cur, "Sóc Trăng") == "94"


# --- the sidebar ----------------------------------------------------------------------------------

def _sidebar_text(at) -> str:
    return "\n".join(str(m.value) for m in at.sidebar.markdown)


@pytest.mark.parametrize(("province", "lang", "name"), [
    ("49", "vi", "Tỉnh Quảng Nam"), ("49", "en", "Quang Nam Province"), ("94", "vi", "Tỉnh Sóc Trăng"),
])
def test_the_url_province_is_the_province_shown(sample_app, province, lang, name):
    at = sample_app(lang=lang, province=province)
    assert f"**{name}**" in _sidebar_text(at)
    assert at.session_state["_page_context"].province == province
    assert at.session_state["_page_context"].province_name == name


def test_an_unknown_url_province_shows_a_notice_and_the_default(sample_app):
    at = sample_app(province="99")
    assert "**Thành phố Đà Nẵng**" in _sidebar_text(at)  # the sample's first province
    assert any("99" in w.value for w in at.sidebar.warning)


def test_one_province_shows_its_name_and_no_picker(app_on, one_province_db):
    at = app_on(one_province_db)
    assert "**Tỉnh Quảng Nam**" in _sidebar_text(at)
    assert not [s for s in at.sidebar.selectbox if s.key == "province_picker"]


@pytest.mark.parametrize(("lang", "label", "options"), [
    ("vi", "Tỉnh, thành phố", ["Tỉnh Quảng Nam (đến 30/06/2025)", "Tỉnh Sóc Trăng (đến 30/06/2025)"]),
    ("en", "Province", ["Quang Nam Province (until 30/06/2025)", "Soc Trang Province (until 30/06/2025)"]),
])
def test_several_provinces_get_a_picker_in_the_page_language(app_on, two_province_db, lang, label, options):
    at = app_on(two_province_db, lang=lang)
    picker = at.sidebar.selectbox(key="province_picker")
    assert picker.label == label
    assert list(picker.options) == options
    assert picker.value == "49"


def test_picking_a_province_writes_it_to_the_url_and_changes_the_view(app_on, two_province_db):
    at = app_on(two_province_db, page="views/districts.py")
    at.sidebar.selectbox(key="province_picker").set_value("94").run()
    assert not at.exception
    assert at.query_params["province"] in ("94", ["94"])
    assert "**Tỉnh Sóc Trăng**" in _sidebar_text(at)
    assert at.session_state["_page_context"].province == "94"


def test_a_province_link_reproduces_the_view(app_on, two_province_db):
    at = app_on(two_province_db, page="views/districts.py", province="94")
    assert at.sidebar.selectbox(key="province_picker").value == "94"
    assert at.session_state["_page_context"].province == "94"


# --- no hard-coded province ----------------------------------------------------------------------------

# a province code as a default or constant: `province: str = "49"`, `PROVINCE = "49"`,
# `queries.PROVINCE`, or a code written into SQL (`parent = '49'`)
HARD_CODED = [
    re.compile(r"""(?i)\bprovince\w*\s*(?::[^=\n]*)?=\s*["']\d{2}["']"""),
    re.compile(r"""\bPROVINCE\s*=\s*["']\d+["']"""),
    re.compile(r"""\bqueries\.PROVINCE\b"""),
    re.compile(r"""(?i)\bprovince\w*\s*:[^=\n]*=\s*[\w.]*PROVINCE\b"""),
    re.compile(r"""(?i)\b(?:parent|unit_code|code)\s*=\s*'\d{2}'"""),
]
EXEMPT = {"etl/sample_data.py", "etl/synth.py"}  # they generate the data of a named province


def _product_files():
    yield ROOT / "app.py"
    for folder in ("dashboard", "views", "etl"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.relative_to(ROOT).as_posix() not in EXEMPT:
                yield path


def test_no_product_module_keeps_a_province_code():
    found = []
    for path in _product_files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith((">>>", "#")):
                continue
            if any(p.search(line) for p in HARD_CODED):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_the_hard_coded_province_check_catches_the_old_default():
    old = ['def province_values(cur, code, province: str = PROVINCE)', 'PROVINCE = "49"',
           'province: str = "49"', "WHERE u.parent = '49'", "[queries.PROVINCE, *params]"]
    assert all(any(p.search(line) for p in HARD_CODED) for line in old)
