"""The 'By area' page (AppTest): districts before 01/07/2025, communes after, and the tools
that keep 94 communes readable (search, best and weakest N, table, centroid map).

The sample warehouse holds Quảng Nam (49) only; the Đà Nẵng (48) cases load a small
long-template file: a few communes in August 2025 and one district of each former
province (Quảng Nam 49, the former Đà Nẵng cu-48) in December 2024.
"""

from __future__ import annotations

import json

import pytest

from dashboard.i18n import t
from tests.conftest import build_warehouse

RATE = "Tỷ lệ hồ sơ trực tuyến"
AUGUST = "Tháng 8/2025"
# online dossier rate, August 2025: numerator of 100 dossiers, best first
COMMUNE_RATES = {"Phường Hải Châu": 90, "Phường Hòa Cường": 80, "Phường Sơn Trà": 70, "Phường Cẩm Lệ": 60,
                 "Phường Thanh Khê": 50, "Xã Thăng Bình": 10}
DA_NANG_ROWS = [[AUGUST, name, RATE, None, str(num), "100", None, None] for name, num in COMMUNE_RATES.items()]
DA_NANG_ROWS += [
    ["Tháng 12/2024", "Huyện Thăng Bình", RATE, None, "40", "100", None, None],
    ["Tháng 12/2024", "Quận Hải Châu", RATE, None, "70", "100", None, None],
]


@pytest.fixture(scope="module")
def da_nang_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("da_nang")
    return build_warehouse(folder / "warehouse.duckdb", DA_NANG_ROWS, False)


def _charts(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _ranking(at) -> list[str]:
    return next(c for c in _charts(at) if c["data"][0]["type"] == "bar")["data"][0]["y"]


def _table(at):
    return at.dataframe[0].value


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_2024_period_lists_the_districts_and_says_so(sample_app, lang):
    at = sample_app("views/districts.py", lang=lang, province="49", indicator="online_dossier_rate", period="2024-12")
    assert at.title[0].value == t("nav.districts", lang) == ("Theo địa bàn" if lang == "vi" else "By area")
    said = [i.value for i in at.info]
    assert ("Kỳ trước 01/07/2025: cấp huyện (huyện, thị xã, thành phố)" if lang == "vi"
            else "Periods before 01/07/2025: district level (districts, towns, cities)") in said
    names = list(_table(at)["name"])
    assert len(names) == 18
    assert ("Thành phố Tam Kỳ" if lang == "vi" else "Tam Ky City") in names


def test_august_2025_lists_the_communes_of_da_nang(app_on, da_nang_db):
    at = app_on(da_nang_db, "views/districts.py", province="48", indicator="online_dossier_rate", period="2025-08")
    assert "Từ 01/07/2025: cấp xã (xã, phường, đặc khu)" in [i.value for i in at.info]
    table = _table(at)
    assert len(table) == 94
    assert list(table["name"][:6]) == list(COMMUNE_RATES)  # reported ones first, best first
    assert table["value"].iloc[0] == 90.0
    assert _ranking(at) == list(COMMUNE_RATES)
    assert "Tỷ lệ hồ sơ trực tuyến theo xã, phường — Tháng 8/2025" in json.dumps(_charts(at), ensure_ascii=False)
    not_reported = next(m.value for m in at.markdown if m.value.startswith("**Chưa báo cáo**"))
    assert "(88)" in not_reported


def test_december_2024_for_da_nang_lists_the_districts_of_its_former_provinces(app_on, da_nang_db):
    at = app_on(da_nang_db, "views/districts.py", province="48", indicator="online_dossier_rate",
                period="2024-12", lang="en")
    level = next(i.value for i in at.info if i.value.startswith("Periods before"))
    assert "Including the districts of: Quang Nam Province, Da Nang City." in level
    assert _ranking(at) == ["Hai Chau District", "Thang Binh District"]
    assert {"Lien Chieu District", "Tam Ky City"} <= set(_table(at)["name"])


def test_search_filters_the_ranking_and_the_table_without_diacritics(app_on, da_nang_db):
    at = app_on(da_nang_db, "views/districts.py", province="48", indicator="online_dossier_rate", period="2025-08")
    at.text_input(key="area_search").input("hai chau").run()
    assert list(_table(at)["name"]) == ["Phường Hải Châu"]
    assert _ranking(at) == ["Phường Hải Châu"]
    at.text_input(key="area_search").input("xyz").run()
    assert "Không có đơn vị nào có tên chứa “xyz”." in [w.value for w in at.warning]


def test_top_and_bottom_n_and_show_all(app_on, da_nang_db):
    at = app_on(da_nang_db, "views/districts.py", province="48", indicator="online_dossier_rate", period="2025-08")
    assert at.number_input(key="area_ends").value == 10
    at.number_input(key="area_ends").set_value(2).run()
    assert _ranking(at) == ["Phường Hải Châu", "Phường Hòa Cường", "Phường Thanh Khê", "Xã Thăng Bình"]
    assert t("area.ends_caption", "vi", n=2, total=6) in [c.value for c in at.caption]
    at.toggle(key="area_all").set_value(True).run()
    assert at.toggle(key="area_all").label == "Xem tất cả"
    assert _ranking(at) == list(COMMUNE_RATES)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_map_places_markers_at_centroids_and_says_no_boundaries_are_bundled(app_on, da_nang_db, lang):
    at = app_on(da_nang_db, "views/districts.py", lang=lang, province="48", indicator="online_dossier_rate",
                period="2025-08")
    assert t("area.map_caption", lang) in [c.value for c in at.caption]
    assert "vietnamadminunits" in t("area.map_caption", lang)
    scatter = [c for c in _charts(at) if c["data"][0]["type"] == "scatter" and "yaxis" in c["layout"]
               and c["layout"]["yaxis"].get("scaleanchor") == "x"]
    assert len(scatter) == 1
    placed = sum(len(d["hovertext"]) for d in scatter[0]["data"])
    assert placed == 94


def test_the_table_has_sortable_numeric_columns_with_labels_in_the_language(app_on, da_nang_db):
    at = app_on(da_nang_db, "views/districts.py", province="48", indicator="online_dossier_rate", period="2025-08",
                lang="en")
    table = _table(at)
    assert str(table["value"].dtype) == "float64" and str(table["rank"].dtype) == "Int64"
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["rank"]["label"] == "Rank" and config["value"]["label"] == "Value (%)"
