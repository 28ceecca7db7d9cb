"""The illustrative sample since 2025-07-01: Thành phố Đà Nẵng (48) and its 94 communes.

etl/sample_data.py (`generate_da_nang`) writes these files; the warehouse here is the one
`etl.bootstrap.open_warehouse` builds from the whole data/sample folder on a fresh path
(the session fixture `sample_db`). Expected figures are read from the generated files
themselves, independently of the ETL, or from the reference catalogue.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.bootstrap import sample_files
from etl.loader import check_bytes
from tests.conftest import sample_cursor

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
NEW_FILES = [p for p in sample_files() if p.name >= "2025-07"]
DISTRICT_KINDS = ("city", "town", "district")


@pytest.fixture(scope="module")
def cur(sample_db):
    return sample_cursor(sample_db)


def da_nang_communes() -> set[str]:
    """The communes of 48 in the reference catalogue (not in the sample generator)."""
    from etl.reference import load_catalogue

    return {u.code for u in load_catalogue().units.values() if u.parent == "48" and u.kind == "commune"}


def test_the_new_files_are_monthly_workbooks_quarterly_weekly_and_city_reports():
    names = [p.name for p in NEW_FILES]
    assert sum(n.endswith("_tthc_xa_rong.xlsx") for n in names) == 15  # 2025-07 … 2026-09
    assert sum(n.endswith("_xa_cds_dai.csv") for n in names) == 5  # Quý III/2025 … Quý III/2026
    assert "2026-09_tuan_37-39_hstt_xa_dai.csv" in names
    assert "2025-07_thanh_pho_da_nang_dai.csv" in names
    assert len(names) == 22


@pytest.mark.parametrize("path", NEW_FILES, ids=lambda p: p.name)
def test_each_new_sample_file_passes_the_etl_checks_without_errors(path):
    check = check_bytes(path.read_bytes(), path.name)
    assert [p.message_en for p in check.problems if p.is_error] == []
    # the GSO code column "Mã ĐVHC" names the unit: no problem at all
    assert not check.problems, [p.message_en for p in check.problems]
    assert check.values


def test_every_new_file_is_an_active_load_of_the_sample_warehouse(cur):
    loaded = dict(cur.execute("SELECT file_name, rows FROM loads WHERE status = 'active'").fetchall())
    for path in NEW_FILES:
        assert loaded.get(path.name), path.name


@pytest.mark.parametrize("code,start,end", [
    ("online_dossier_rate", date(2026, 9, 1), date(2026, 9, 30)),
    ("ontime_dossier_rate", date(2026, 9, 1), date(2026, 9, 30)),
    ("online_payment_rate", date(2026, 7, 1), date(2026, 9, 30)),
    ("digitised_dossier_rate", date(2026, 7, 1), date(2026, 9, 30)),
    ("commune_fiber_coverage", date(2026, 7, 1), date(2026, 9, 30)),
    ("community_tech_teams", date(2026, 7, 1), date(2026, 9, 30)),
    ("communes_video_conference", date(2026, 7, 1), date(2026, 9, 30)),
    ("online_dossier_rate", date(2026, 9, 21), date(2026, 9, 27)),  # ISO week 39
])
def test_all_94_communes_of_da_nang_have_a_value_in_the_last_period(cur, code, start, end):
    communes = da_nang_communes()
    assert len(communes) == 94
    got = {u for (u,) in cur.execute(
        """SELECT unit_code FROM indicator_values
           WHERE indicator_code = ? AND period_start = ? AND period_end = ? AND value IS NOT NULL""",
        [code, start, end]).fetchall()}
    assert got == communes


def test_the_weekly_report_has_iso_weeks_37_to_39_of_2026(cur):
    weeks = cur.execute(
        """SELECT period_start, count(*) FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE iv.period_kind = 'week' AND u.parent = '48' GROUP BY ALL ORDER BY 1""").fetchall()
    assert weeks == [(date.fromisocalendar(2026, w, 1), 94) for w in (37, 38, 39)]


def test_rates_of_the_communes_are_the_ratio_of_their_parts(cur):
    total, without_parts, worst = cur.execute(
        """SELECT count(*), count(*) FILTER (WHERE iv.numerator IS NULL OR iv.denominator IS NULL),
                  max(abs(iv.value - 100.0 * iv.numerator / iv.denominator))
           FROM indicator_values iv JOIN indicators i ON i.code = iv.indicator_code
                JOIN units u ON u.code = iv.unit_code
           WHERE i.unit = 'percent' AND u.parent = '48'""").fetchone()
    assert total > 94 * 15 * 2 and without_parts == 0
    assert worst < 1e-9


def test_nothing_is_reported_for_quang_nam_or_its_districts_after_june_2025(cur):
    rows = cur.execute(
        """SELECT count(*) FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE (u.code = '49' OR (u.parent = '49' AND u.kind IN ('city', 'town', 'district')))
             AND iv.period_end > DATE '2025-06-30'""").fetchone()[0]
    assert rows == 0
    assert cur.execute("SELECT count(*) FROM indicator_values WHERE unit_code = '48'").fetchone()[0] > 0


def _file_parts(path: Path) -> tuple[int, int, int]:
    """(Σ online, Σ received, unit rows) read from the workbook's cells, not through the ETL."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    h = next(i for i, row in enumerate(rows) if "Đơn vị" in row)
    received = rows[h].index("Số hồ sơ nhận giải quyết")
    assert (rows[h + 1][received], rows[h + 1][received + 1]) == ("Tổng số", "Trực tuyến")
    units = [row for row in rows[h + 2:] if isinstance(row[0], float)]  # STT 1, 2, … (sections: I, II, III)
    return sum(int(r[received + 1]) for r in units), sum(int(r[received]) for r in units), len(units)


@pytest.mark.parametrize("name,start", [
    ("2025-07_thang_07_tthc_xa_rong.xlsx", date(2025, 7, 1)),  # full names
    ("2025-08_thang_08_tthc_xa_rong.xlsx", date(2025, 8, 1)),  # upper case, a "Mã ĐVHC" column
    ("2026-09_thang_09_tthc_xa_rong.xlsx", date(2026, 9, 1)),  # names without "Phường"/"Xã"
])
def test_da_nang_online_rate_is_the_ratio_of_the_sums_of_its_communes(cur, name, start):
    from dashboard.queries import province_values

    online, received, units = _file_parts(SAMPLE / name)
    assert units == 94
    frame = province_values(cur, "online_dossier_rate", period_kind="month", province="48")
    row = frame[frame["period_start"] == start.isoformat()].iloc[0]
    assert row["source"] == "combined" and row["units_reported"] == 94
    assert (row["numerator"], row["denominator"]) == (online, received)
    assert row["value"] == pytest.approx(100 * online / received, abs=1e-9)
