"""Every figure of shared/domain/seed-facts.md reads back from a freshly built warehouse.

The expected numbers are written here from the source articles (not read from
the sample generator), and each is computed with plain SQL on `indicator_values`.
"""

from __future__ import annotations

from datetime import date

import pytest

from etl.bootstrap import sample_files
from etl.readers import read_tables
from tests.conftest import sample_cursor

DISTRICTS = ("city", "town", "district")


@pytest.fixture(scope="module")
def cur(sample_db):
    return sample_cursor(sample_db)


def one(cur, sql, params=()):
    return cur.execute(sql, list(params)).fetchone()


def value(cur, code, unit, start, end, breakdown=""):
    return one(cur, """SELECT value, numerator, denominator FROM indicator_values
                       WHERE indicator_code = ? AND unit_code = ? AND period_start = ? AND period_end = ?
                         AND breakdown = ?""", [code, unit, start, end, breakdown])


APRIL_2022 = (date(2022, 4, 1), date(2022, 4, 30))
AS_OF_APRIL = (date(2022, 4, 30), date(2022, 4, 30))


def test_1470_online_services_and_1403_on_the_national_portal_in_april_2022(cur):
    assert value(cur, "online_services", "49", *APRIL_2022)[0] == 1470
    assert value(cur, "services_on_national_portal", "49", *APRIL_2022)[0] == 1403


def test_141_specialised_databases_49_central_and_92_provincial(cur):
    central = value(cur, "specialised_db_operational", "49", *APRIL_2022, "owner:central")[0]
    provincial = value(cur, "specialised_db_operational", "49", *APRIL_2022, "owner:provincial")[0]
    assert (central, provincial, central + provincial) == (49, 92, 141)


def test_online_dossiers_were_23_08_percent_from_1_february_to_31_march_2022_as_a_ratio_of_sums(cur):
    num, den, units = one(cur, """SELECT sum(numerator), sum(denominator), count(*) FROM indicator_values
                                  WHERE indicator_code = 'online_dossier_rate'
                                    AND period_start = '2022-02-01' AND period_end = '2022-03-31'""")
    assert units == 38  # 18 districts and 20 departments
    assert round(100 * num / den, 2) == 23.08


@pytest.mark.parametrize("kinds,yes,of", [(DISTRICTS, 16, 18), (("department",), 7, 20)])
def test_steering_committees_formed_in_16_of_18_districts_and_7_of_20_departments(cur, kinds, yes, of):
    placeholders = ", ".join("?" for _ in kinds)
    got = one(cur, f"""SELECT sum(CASE WHEN iv.value = 1 THEN 1 ELSE 0 END), count(*)
                       FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
                       WHERE iv.indicator_code = 'steering_committee_formed'
                         AND iv.period_start = ? AND u.kind IN ({placeholders})""", [AS_OF_APRIL[0], *kinds])
    assert got == (yes, of)


@pytest.mark.parametrize("code,expected", [("community_tech_teams", 355), ("communes_video_conference", 205)])
def test_355_community_teams_and_205_communes_with_video_conferencing(cur, code, expected):
    total = one(cur, """SELECT sum(value), count(*) FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
                        WHERE indicator_code = ? AND period_start = ? AND u.kind IN ('city', 'town', 'district')""",
                [code, AS_OF_APRIL[0]])
    assert total == (expected, 18)


def test_lgsp_connected_11_of_14_central_databases_and_fibre_reaches_every_commune_centre(cur):
    assert value(cur, "lgsp_connected_dbs", "49", *APRIL_2022) == (11, 11, 14)
    assert value(cur, "commune_fiber_coverage", "49", *APRIL_2022)[0] == 100


def test_17_it_projects_4_appraised_7_under_appraisal_6_awaiting_policy_on_11_march_2024(cur):
    rows = dict(cur.execute("""SELECT breakdown, sum(value) FROM indicator_values
                               WHERE indicator_code = 'it_projects' AND period_start = '2024-03-11'
                               GROUP BY breakdown""").fetchall())
    assert rows == {"status:appraised": 4, "status:under_appraisal": 7, "status:awaiting_policy": 6}
    assert sum(rows.values()) == 17


def test_older_figures_60_percent_of_resolution_36a_and_soc_trang_2015(cur):
    assert value(cur, "task_completion_rate", "49", date(2018, 9, 7), date(2018, 9, 7))[0] == 60
    assert value(cur, "agencies_with_lan", "94", date(2015, 7, 14), date(2015, 7, 14)) == (31, 31, 31)
    assert value(cur, "computers_per_official", "94", date(2015, 7, 14), date(2015, 7, 14))[0] == 81.5


def test_the_766_index_is_82_8_for_2024(cur):
    assert value(cur, "service_index_766", "49", date(2024, 1, 1), date(2024, 12, 31))[0] == 82.8


def test_every_district_and_department_reports_from_2021_to_2024(cur):
    units, first, last = one(cur, """SELECT count(DISTINCT unit_code), min(period_start), max(period_end)
                                     FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
                                     WHERE u.kind IN ('city', 'town', 'district', 'department')""")
    assert units == 38 and first <= date(2021, 1, 31) and last == date(2024, 12, 31)


def test_every_sample_file_says_it_is_illustrative():
    for path in sample_files():
        text = " ".join(str(c) for t in read_tables(path.read_bytes(), path.name) for row in t.rows for c in row if c)
        assert "minh họa" in text.lower(), path.name
