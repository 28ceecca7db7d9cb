"""Each validation rule, one test each: errors block, warnings do not."""

from __future__ import annotations

from datetime import date

import pytest

from etl.loader import check_bytes
from tests.conftest import long_csv

TODAY = date(2026, 11, 25)


def codes(rows):
    check = check_bytes(long_csv(rows), "r.csv", today=TODAY)
    return [p.code for p in check.errors]


def row(unit="TP. Tam Kỳ", indicator="community_tech_teams", value="3", num=None, den=None,
        period="Tháng 3/2024", breakdown=None):
    return [period, unit, indicator, value, num, den, breakdown, None]


@pytest.mark.parametrize("rows,expected", [
    ([row(unit="Huyện Tam Kỳ Mới")], ["unknown_unit"]),
    ([row(indicator="Số tổ công nghệ")], ["unknown_indicator"]),
    ([row(unit="Huyện Nông Sơn", period="Quý I/2025")], ["unit_not_in_period"]),
    ([row(indicator="online_dossier_rate", value="100,5")], ["percent_out_of_range"]),
    ([row(indicator="online_dossier_rate", value="-1")], ["percent_out_of_range"]),
    ([row(value="-3")], ["negative_count"]),
    ([row(value="2,5")], ["fractional_count"]),
    ([row(indicator="online_dossier_rate", value=None, num="12", den="10")], ["numerator_above_denominator"]),
    ([row(indicator="online_dossier_rate", value=None, num="3", den="0")], ["zero_denominator"]),
    ([row(indicator="online_dossier_rate", value="50", num="3", den="10")], ["rate_mismatch"]),
    ([row(indicator="online_dossier_rate", value=None, num="3", den=None)], ["missing_value"]),
    ([row(value=None)], ["missing_value"]),
    ([row(value="ba")], ["bad_number"]),
    ([row(indicator="steering_committee_formed", value="chắc có")], ["bad_yesno"]),
    ([row(indicator="dti_score", value="1,5", unit="Tỉnh Quảng Nam", period="Năm 2023")], ["score_out_of_range"]),
    ([row(), row(value="4")], ["duplicate_row"]),
    ([row(), row()], ["duplicate_row"]),
    ([row(period="Tháng 12/2026", unit="Thành phố Đà Nẵng")], ["future_period"]),
    ([row(period="Tháng 13/2024")], ["bad_period"]),
    ([row(breakdown="Nước ngoài", indicator="specialised_db_operational")], ["unknown_breakdown"]),
    ([row(indicator="specialised_db_operational", value="141", unit="Tỉnh Quảng Nam"),
      row(indicator="specialised_db_operational", value="49", unit="Tỉnh Quảng Nam", breakdown="Trung ương"),
      row(indicator="specialised_db_operational", value="90", unit="Tỉnh Quảng Nam", breakdown="Tỉnh")],
     ["breakdown_total_mismatch"]),
])
def test_a_broken_rule_is_an_error(rows, expected):
    assert codes(rows) == expected


@pytest.mark.parametrize("rows", [
    [row(unit="Huyện Nông Sơn", period="Năm 2024")],
    [row(unit="Huyện Nông Sơn", period="Tính đến ngày 31/12/2024")],
    [row(indicator="steering_committee_formed", value="x"), row(unit="Huyện Đại Lộc", indicator="steering_committee_formed", value="Không")],
    [row(indicator="online_dossier_rate", value="23,08")],
    [row(indicator="online_dossier_rate", value="30", num="3", den="10")],
    [row(indicator="online_dossier_rate", value=None, num="0", den="0")],
    [row(period="Tháng 11/2026", unit="Thành phố Đà Nẵng")],
    [row(indicator="specialised_db_operational", value="141", unit="Tỉnh Quảng Nam"),
     row(indicator="specialised_db_operational", value="49", unit="Tỉnh Quảng Nam", breakdown="Trung ương"),
     row(indicator="specialised_db_operational", value="92", unit="Tỉnh Quảng Nam", breakdown="Tỉnh")],
])
def test_values_within_the_rules_pass(rows):
    assert codes(rows) == []


def test_each_problem_names_file_row_column_value_and_says_it_in_both_languages():
    check = check_bytes(long_csv([row(), row(indicator="online_dossier_rate", value="140")]), "bc.csv", today=TODAY)
    [p] = check.errors
    assert (p.file, p.row, p.value) == ("bc.csv", 3, "140")
    assert "0–100" in p.message_vi and "0–100" in p.message_en and p.message_vi != p.message_en


def test_an_unknown_unit_suggests_the_closest_known_names():
    check = check_bytes(long_csv([row(unit="Huyen Dai Loc x")]), "bc.csv", today=TODAY)
    assert "Đại Lộc" in check.errors[0].message_vi and "closest" in check.errors[0].message_en
