"""Series across the 1 July 2025 reform: the new Thành phố Đà Nẵng (48) before it began is its former
provinces (Quảng Nam 49 and the former Đà Nẵng cu-48) combined, by the catalogue's rule."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import queries
from etl.loader import load_bytes
from tests.conftest import long_csv

RATE, TEAMS, STEERING = "Tỷ lệ hồ sơ trực tuyến", "Số tổ công nghệ số cộng đồng", "Đã thành lập Ban chỉ đạo CCHC và CĐS"
DEC, AUG = "Tháng 12/2024", "Tháng 8/2025"

BOTH = [  # Quảng Nam's districts and the former Đà Nẵng's, December 2024
    [DEC, "TP. Tam Kỳ", RATE, None, "99", "100", None, None],
    [DEC, "Huyện Đại Lộc", RATE, None, "1", "1000", None, None],
    [DEC, "Quận Hải Châu", RATE, None, "300", "400", None, None],
    [DEC, "Quận Thanh Khê", RATE, None, "50", "500", None, None],
    [DEC, "TP. Tam Kỳ", TEAMS, "12", None, None, None, None],
    [DEC, "Quận Hải Châu", TEAMS, "7", None, None, None, None],
    [AUG, "Phường Hải Châu", RATE, None, "80", "100", None, None],  # the new city's own units
    [AUG, "Xã Thăng Bình", RATE, None, "20", "100", None, None],
]


@pytest.fixture
def cur(warehouse):
    result = load_bytes(warehouse, long_csv(BOTH), "hai_tinh_cu.csv", who="test", today=date(2026, 12, 1))
    assert result.status == "loaded", [p.message_en for p in result.problems if p.is_error]
    cursor = warehouse.cursor()
    yield cursor
    cursor.close()


def _row(frame, end: date):
    rows = frame[frame["period_end"].dt.date == end]
    assert len(rows) == 1, frame
    return rows.iloc[0]


def test_before_july_2025_a_ratio_is_the_ratio_of_the_former_provinces_summed_parts(cur):
    frame = queries.province_values(cur, "online_dossier_rate", province="48")
    dec = _row(frame, date(2024, 12, 31))
    assert dec["source"] == "former"
    assert (dec["numerator"], dec["denominator"]) == (99 + 1 + 300 + 50, 100 + 1000 + 400 + 500)
    assert dec["value"] == pytest.approx(100.0 * 450 / 2000)
    # each former province by itself, then combined from their parts: never a mean of their rates
    qn = _row(queries.province_values(cur, "online_dossier_rate", province="49"), date(2024, 12, 31))
    dn = _row(queries.province_values(cur, "online_dossier_rate", province="cu-48"), date(2024, 12, 31))
    assert dec["value"] == pytest.approx(100.0 * (qn["numerator"] + dn["numerator"])
                                         / (qn["denominator"] + dn["denominator"]))
    assert dec["value"] != pytest.approx((qn["value"] + dn["value"]) / 2)


def test_after_the_reform_the_new_province_combines_its_own_communes(cur):
    frame = queries.province_values(cur, "online_dossier_rate", province="48")
    aug = _row(frame, date(2025, 8, 31))
    assert aug["source"] == "combined"
    assert aug["value"] == pytest.approx(100.0 * 100 / 200)
    assert list(frame["source"]) == ["former", "combined"]  # the break at 2025-07-01 is in the data


def test_a_sum_adds_the_former_provinces(cur):
    dec = _row(queries.province_values(cur, "community_tech_teams", province="48"), date(2024, 12, 31))
    assert (dec["source"], dec["value"]) == ("former", 19.0)


def test_a_former_province_without_a_value_makes_the_period_partial_not_smaller(warehouse):
    rows = [r for r in BOTH if r[1] in ("TP. Tam Kỳ", "Huyện Đại Lộc")]  # Quảng Nam only
    assert load_bytes(warehouse, long_csv(rows), "qn.csv", who="test", today=date(2026, 12, 1)).status == "loaded"
    frame = queries.province_values(warehouse.cursor(), "online_dossier_rate", province="48")
    dec = _row(frame, date(2024, 12, 31))
    assert dec["source"] == "former_partial"
    assert pd_isna(dec["value"]) and dec["formers_missing"] == "cu-48"


def test_a_province_that_did_not_merge_is_unchanged(cur):
    frame = queries.province_values(cur, "online_dossier_rate", province="49")
    assert set(frame["source"]) == {"combined"} and frame["formers_missing"].isna().all()


def test_former_provinces_come_from_the_reference(cur):
    assert queries.former_provinces(cur, "48") == ["49", "cu-48"]
    assert queries.former_provinces(cur, "92") == ["93", "94", "cu-92"]
    assert queries.former_provinces(cur, "49") == []


def pd_isna(x) -> bool:
    import pandas as pd

    return bool(pd.isna(x))


def test_the_data_as_of_date_is_the_chosen_provinces(cur):
    # the sidebar's "data up to": Quảng Nam's last period, not the warehouse's (Đà Nẵng's communes, 08/2025)
    assert queries.province_as_of(cur, "49") == date(2024, 12, 31)
    assert queries.province_as_of(cur, "48") == date(2025, 8, 31)
    assert queries.province_as_of(cur, "cu-48") == date(2024, 12, 31)
    assert queries.province_as_of(cur, "68") is None
