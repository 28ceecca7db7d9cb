"""The national page: every province ranked on one indicator, combined as queries.province_values does."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import national_queries as nq
from dashboard import queries
from dashboard.data import warehouse
from etl.periods import Period
from tests.conftest import sample_cursor

DEC_2024 = ("month", date(2024, 12, 1), date(2024, 12, 31))


def _expected(cur, code, kind, start, end, province):
    """``province_values`` of one province at one period (None when it has no row there)."""
    series = queries.province_values(cur, code, period_kind=kind, province=province)
    rows = series[(pd.to_datetime(series["period_start"]) == pd.Timestamp(start))
                  & (pd.to_datetime(series["period_end"]) == pd.Timestamp(end))]
    return None if rows.empty else rows.iloc[0]


def _assert_matches_province_values(cur, code, kind, start, end):
    frame = nq.national_values(cur, code, kind, start, end)
    assert not frame.empty
    for row in frame.to_dict("records"):
        expected = _expected(cur, code, kind, start, end, row["province"])
        if expected is None or pd.isna(expected["value"]):
            assert pd.isna(row["value"]), (code, row["province"])
            assert row["reason"] in nq.REASONS
            continue
        assert row["value"] == pytest.approx(expected["value"], rel=1e-12), (code, row["province"])
        assert row["source"] == expected["source"]
        for col in ("numerator", "denominator"):
            if pd.isna(expected[col]):
                assert pd.isna(row[col])
            else:
                assert row[col] == pytest.approx(expected[col], rel=1e-12)
        if expected["source"] == "combined":
            assert row["units_reported"] == expected["units_reported"]


# every aggregation on the sample (Quảng Nam combined or reported; Sóc Trăng's own rows; Cần Thơ none)
@pytest.mark.parametrize(("code", "period"), [
    ("online_dossier_rate", DEC_2024),                                     # ratio, combined
    ("online_dossier_rate", ("week", date(2024, 4, 15), date(2024, 4, 21))),
    ("specialised_db_operational", ("month", date(2024, 12, 1), date(2024, 12, 31))),  # sum, own row
    ("steering_committee_formed", ("date", date(2022, 5, 10), date(2022, 5, 10))),   # share
    ("steering_committee_formed", ("date", date(2022, 4, 30), date(2022, 4, 30))),
    ("dti_score", ("year", date(2022, 1, 1), date(2022, 12, 31))),         # latest: both provinces' own rows
    ("digitised_dossier_rate", ("quarter", date(2024, 10, 1), date(2024, 12, 31))),  # a merged unit
])
def test_each_province_value_is_province_values_of_that_province(sample_db, code, period):
    _assert_matches_province_values(sample_cursor(sample_db), code, *period)


def test_on_two_provinces_each_is_the_ratio_of_its_summed_parts_and_they_rank_by_it(two_province_db):
    cur = warehouse(two_province_db).cursor()
    frame = nq.national_values(cur, "online_dossier_rate", *DEC_2024)
    valued = frame[frame["value"].notna()]
    assert list(valued["province"]) == ["94", "49"]  # by the ratio of sums; a mean of rates would swap them
    assert list(valued["rank"]) == [1, 2]
    by_code = valued.set_index("province")
    assert by_code.loc["94", "value"] == pytest.approx(100.0 * 60 / 200)
    assert by_code.loc["49", "value"] == pytest.approx(100.0 * 100 / 1100)
    assert by_code.loc["49", "value"] != pytest.approx((99.0 + 0.1) / 2)
    assert set(valued["source"]) == {"combined"}
    assert by_code.loc["49", "units_reported"] == 2
    # the former Cần Thơ (cu-92) existed and reported nothing; today's Đà Nẵng and Cần Thơ
    # (from 01/07/2025) did not exist yet
    missing = frame[frame["value"].isna()].set_index("province")
    assert missing.loc["cu-92", "reason"] == "not_reported"
    assert not {"48", "92"} & set(frame["province"])
    _assert_matches_province_values(cur, "online_dossier_rate", *DEC_2024)
    _assert_matches_province_values(cur, "community_tech_teams", *DEC_2024)
    cur.close()


def test_a_province_whose_units_did_not_report_is_listed_with_the_reason(two_province_db):
    cur = warehouse(two_province_db).cursor()
    frame = nq.national_values(cur, "community_tech_teams", *DEC_2024).set_index("province")
    assert frame.loc["49", "value"] == 17
    assert pd.isna(frame.loc["94", "value"]) and frame.loc["94", "reason"] == "not_reported"
    cur.close()


def test_latest_needs_the_province_own_row(sample_db):
    cur = sample_cursor(sample_db)
    # dti_score 2021: Quảng Nam reported, Sóc Trăng did not
    frame = nq.national_values(cur, "dti_score", "year", date(2021, 1, 1), date(2021, 12, 31)).set_index("province")
    assert frame.loc["49", "source"] == "reported"
    assert frame.loc["94", "reason"] == "not_reported"


def test_the_national_indicators_and_periods_come_from_the_current_values(two_province_db):
    cur = warehouse(two_province_db).cursor()
    assert set(nq.national_indicators(cur)["code"]) == {"online_dossier_rate", "community_tech_teams"}
    periods = nq.national_periods(cur, "online_dossier_rate")
    assert periods.to_dict("records") == [{"period_kind": "month", "period_start": pd.Timestamp(2024, 12, 1),
                                           "period_end": pd.Timestamp(2024, 12, 31)}]
    cur.close()


# --- the page ---------------------------------------------------------------------------------------

def test_the_national_page_ranks_the_two_provinces(app_on, two_province_db):
    at = app_on(two_province_db, "views/national.py", indicator="online_dossier_rate")
    assert at.title[0].value == "Toàn quốc"
    table = at.dataframe[0].value
    assert list(table["Tỉnh, thành phố"]) == ["Tỉnh Sóc Trăng (đến 30/06/2025)", "Tỉnh Quảng Nam (đến 30/06/2025)"]
    assert list(table["Giá trị"]) == pytest.approx([30.0, 100.0 * 100 / 1100])
    assert list(table["Giá trị (hiển thị)"]) == ["30,00%", "9,09%"]
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "Thành phố Cần Thơ (đến 30/06/2025): tỉnh và các đơn vị trực thuộc chưa báo cáo kỳ này" in text


def test_every_widget_label_of_the_national_page_follows_lang_en(app_on, two_province_db):
    from dashboard.i18n import t

    at = app_on(two_province_db, "views/national.py", lang="en", indicator="online_dossier_rate")
    assert at.title[0].value == "Nationwide"
    labels = {s.label for s in at.selectbox}
    assert labels == {t("national.indicator", "en"), t("national.period", "en"), t("sidebar.province", "en")}
    cur = warehouse(two_province_db).cursor()
    english = dict(cur.execute("SELECT code, name_en FROM indicators").fetchall())
    cur.close()
    assert sorted(at.selectbox(key="url__indicator").options) == sorted(
        english[c] for c in ("online_dossier_rate", "community_tech_teams"))
    assert at.selectbox(key="url__period").options == [Period.month(2024, 12).label("en")]
    assert all("Tỉnh" not in o for o in at.sidebar.selectbox(key="province_picker").options)
    table = at.dataframe[0].value
    assert list(table.columns) == ["Rank", "Province", "Value", "Value (formatted)", "Source", "Units reported"]
    assert list(table["Source"]) == ["Combined from its units"] * 2


def test_the_national_page_on_the_sample_has_no_error(sample_app):
    at = sample_app("views/national.py")
    assert not at.exception and not at.warning
    assert len(at.dataframe[0].value) >= 1
