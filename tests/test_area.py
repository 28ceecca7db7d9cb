"""dashboard.area: which units a province shows for a period (the 2025 reform), and the helpers
that keep 90 to 170 units readable. Plain functions, on the bundled reference (sample warehouse)."""

from __future__ import annotations

import doctest
from datetime import date

import pandas as pd
import pytest

from dashboard import area
from tests.conftest import sample_cursor

DISTRICTS = ("city", "town", "district")


def test_the_module_examples_hold():
    assert doctest.testmod(area).failed == 0


@pytest.mark.parametrize(("period_end", "level", "kinds", "parents"), [
    (date(2024, 12, 31), "district", DISTRICTS, ("48", "49", "cu-48")),
    (date(2025, 6, 30), "district", DISTRICTS, ("48", "49", "cu-48")),
    (date(2025, 7, 31), "commune", ("commune",), ("48",)),
    (date(2025, 12, 31), "commune", ("commune",), ("48",)),  # the year 2025 ends after the reform
])
def test_area_for_a_new_province_before_and_after_the_reform(period_end, level, kinds, parents):
    assert area.area_for("48", period_end, ("49", "cu-48")) == area.Area("48", level, kinds, parents)


def test_a_province_without_former_provinces_shows_its_own_districts():
    assert area.area_for("49", date(2024, 3, 31)).parents == ("49",)


def test_da_nang_was_formed_from_quang_nam_and_the_former_da_nang(sample_db):
    cur = sample_cursor(sample_db)
    assert area.area_of(cur, "48", date(2024, 12, 31)) == area.area_for("48", date(2024, 12, 31), ("49", "cu-48"))
    assert area.area_of(cur, "49", date(2024, 12, 31)) == area.area_for("49", date(2024, 12, 31), ())
    assert area.area_of(cur, "48", date(2024, 12, 31)).parents == ("48", "49", "cu-48")
    assert area.area_of(cur, "48", date(2025, 8, 31)).level == "commune"


def test_da_nang_in_2024_lists_the_districts_of_both_former_provinces(sample_db):
    cur = sample_cursor(sample_db)
    units = area.area_values(cur, "online_dossier_rate", date(2024, 12, 1), date(2024, 12, 31), province="48")
    assert set(units["kind"]) <= set(DISTRICTS)
    assert set(units["parent"]) == {"49", "cu-48"}
    assert {"Huyện Thăng Bình", "Quận Hải Châu", "Huyện Nông Sơn"} <= set(units["unit_name"])
    expected = cur.execute(
        """SELECT count(*) FROM units WHERE parent IN ('49', 'cu-48') AND kind IN ('city', 'town', 'district')
           AND (valid_to IS NULL OR valid_to >= DATE '2024-12-01')""").fetchone()[0]
    assert len(units) == expected
    # Quảng Nam's districts reported December 2024 in the sample; the former Đà Nẵng's did not
    assert units[units["parent"] == "49"]["value"].notna().all()
    assert units[units["parent"] == "cu-48"]["value"].isna().all()


def test_da_nang_from_august_2025_lists_its_communes_wards_and_special_zones(sample_db):
    cur = sample_cursor(sample_db)
    units = area.area_values(cur, "online_dossier_rate", date(2025, 8, 1), date(2025, 8, 31), province="48")
    assert len(units) == 94
    assert set(units["kind"]) == {"commune"}
    assert {"Phường Hải Châu", "Xã Thăng Bình", "Đặc khu Hoàng Sa"} <= set(units["unit_name"])
    assert units["lat"].notna().all() and units["lon"].notna().all()


def test_nong_son_is_listed_until_it_merged(sample_db):
    cur = sample_cursor(sample_db)
    before = area.area_values(cur, "online_dossier_rate", date(2024, 12, 1), date(2024, 12, 31), province="49")
    after = area.area_values(cur, "online_dossier_rate", date(2025, 1, 1), date(2025, 1, 31), province="49")
    assert "519" in set(before["unit_code"]) and "519" not in set(after["unit_code"])


def test_periods_of_quang_nam_are_the_district_periods(sample_db):
    cur = sample_cursor(sample_db)
    periods = area.area_periods(cur, "online_dossier_rate", "49")
    assert not periods.empty and (pd.to_datetime(periods["period_end"]).dt.date < area.REFORM_DAY).all()
    assert periods.iloc[0]["units"] > 0


NAMES = pd.DataFrame({"name": ["Phường Hải Châu", "Xã Thăng Bình", "Phường Hòa Khánh", "Đặc khu Hoàng Sa"]})


@pytest.mark.parametrize(("text", "expected"), [
    ("hai chau", ["Phường Hải Châu"]),
    ("Hải Châu", ["Phường Hải Châu"]),
    ("HAI CHAU", ["Phường Hải Châu"]),
    ("dac khu", ["Đặc khu Hoàng Sa"]),
    ("phuong", ["Phường Hải Châu", "Phường Hòa Khánh"]),
    ("", list(NAMES["name"])),
    ("quận", []),
])
def test_search_ignores_case_and_diacritics(text, expected):
    assert list(area.search(NAMES, text)["name"]) == expected


def test_ends_are_the_best_and_the_weakest_n():
    frame = pd.DataFrame({"name": [f"Xã {i:02d}" for i in range(30)], "value": [float(i) for i in range(30)]})
    shown = area.ends(frame, "up", 10)
    assert list(shown["value"]) == [float(v) for v in [*range(29, 19, -1), *range(9, -1, -1)]]
    assert list(area.ends(frame, "down", 2)["value"]) == [0.0, 1.0, 28.0, 29.0]
    assert len(area.ends(frame.head(15), "up", 10)) == 15


def test_table_ranks_reported_units_first_and_keeps_numbers_as_numbers():
    frame = pd.DataFrame({"name": ["B", "A", "C"], "kind": ["commune"] * 3, "value": [10.0, None, 30.0],
                          "numerator": [1.0, None, 3.0], "denominator": [10.0, None, 10.0]})
    rows = area.table(frame, "up", {"commune": "Xã"}, {True: "Đã báo cáo", False: "Chưa báo cáo"})
    assert list(rows["name"]) == ["C", "B", "A"]
    assert list(rows["rank"].astype("object").where(rows["rank"].notna(), None)) == [1, 2, None]
    assert rows["value"].dtype == "float64"
    assert list(rows["status"]) == ["Đã báo cáo", "Đã báo cáo", "Chưa báo cáo"]
