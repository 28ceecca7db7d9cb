"""current_facts holds one row per key without a PRIMARY KEY index, and past_facts every
other loaded row, each row in one of them only (schema 5): the loader keeps them so
through loads, corrections, undos and rebuilds, on both the Python and the bulk
(fast_long) path, and files of schemas 3 and 4 are upgraded in place."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from etl import current_counts, fast_long
from etl.loader import load_bytes, rebuild, undo_load
from etl.warehouse import COUNTS_SELECT, SCHEMA_VERSION, Warehouse
from tests.conftest import long_csv
from tests.test_concurrent_loads import RANKED_HISTORY

TODAY = date(2026, 11, 25)
TEAMS = "Số tổ công nghệ số cộng đồng"
UNITS = ("TP. Tam Kỳ", "TP. Hội An", "Huyện Đại Lộc", "Huyện Duy Xuyên")
KEY = "indicator_code, unit_code, period_start, period_end, breakdown"


def months_file(months, base: int, units=UNITS) -> bytes:
    return long_csv([[f"Tháng {m}/2024", u, TEAMS, str(base + m * 10 + i), None, None, None, None]
                     for m in months for i, u in enumerate(units)])


def current(wh) -> list[tuple]:
    return wh.cursor().execute("SELECT * FROM current_facts ORDER BY ALL").fetchall()


def assert_one_row_per_key_and_newest(wh) -> None:
    cur = wh.cursor()
    rows, keys = cur.execute(f"SELECT count(*), count(DISTINCT ({KEY})) FROM current_facts").fetchone()
    assert rows == keys
    assert current(wh) == cur.execute(RANKED_HISTORY).fetchall()
    # every loaded row is kept once: in current_facts or in past_facts, never in both
    assert cur.execute("SELECT coalesce(sum(rows), 0) FROM loads").fetchone()[0] == cur.execute(
        "SELECT count(*) FROM facts").fetchone()[0]
    assert cur.execute(f"SELECT count(*) FROM current_facts JOIN past_facts USING (load_id, {KEY})").fetchone()[0] == 0
    assert_counts_are_a_full_count(wh)


def assert_counts_are_a_full_count(wh) -> None:
    """current_counts, updated by what each load and undo moved, equals counting current_facts afresh."""
    cur = wh.cursor()
    assert cur.execute("SELECT * FROM current_counts ORDER BY ALL").fetchall() == cur.execute(
        COUNTS_SELECT.format(source="current_facts", where="") + " ORDER BY ALL").fetchall()


@pytest.mark.parametrize("bulk", [False, True], ids=["python-path", "bulk-path"])
@pytest.mark.parametrize("recount_below", [0, 10 ** 9], ids=["updated", "recounted"])
def test_loads_corrections_and_undos_keep_one_current_row_per_key(warehouse, monkeypatch, bulk, recount_below):
    if bulk:
        monkeypatch.setattr(fast_long, "ROW_THRESHOLD", 0)
    monkeypatch.setattr(current_counts, "RECOUNT_BELOW", recount_below)
    first = load_bytes(warehouse, months_file(range(1, 7), 100), "t1-6.csv", "a", today=TODAY)
    assert first.status == "loaded" and first.rows == 24
    assert_one_row_per_key_and_newest(warehouse)

    # a correction of months 4-6 that also adds months 7-9: 12 keys replaced, 12 new
    fix = load_bytes(warehouse, months_file(range(4, 10), 500), "t4-9.csv", "b", today=TODAY)
    assert fix.status == "loaded"
    assert_one_row_per_key_and_newest(warehouse)
    values = dict(warehouse.cursor().execute(
        "SELECT period_start, sum(value) FROM current_facts GROUP BY ALL").fetchall())
    assert len(values) == 9
    assert values[date(2024, 3, 1)] == sum(100 + 30 + i for i in range(4))  # untouched month, first load
    assert values[date(2024, 5, 1)] == sum(500 + 50 + i for i in range(4))  # corrected month

    undo_load(warehouse, fix.load_id, "b")
    assert_one_row_per_key_and_newest(warehouse)
    assert warehouse.cursor().execute("SELECT count(*), sum(value) FROM current_facts").fetchone() == (
        24, sum(100 + m * 10 + i for m in range(1, 7) for i in range(4)))

    undo_load(warehouse, first.load_id, "a")
    assert current(warehouse) == []


def test_rebuild_reproduces_current_facts_without_duplicates(warehouse, db_path):
    load_bytes(warehouse, months_file(range(1, 4), 100), "a.csv", "a", today=TODAY)
    load_bytes(warehouse, months_file(range(2, 5), 300), "b.csv", "a", today=TODAY)
    before = current(warehouse)
    warehouse.close()
    rebuild(db_path)
    with Warehouse(db_path) as wh:
        assert current(wh) == before
        assert_one_row_per_key_and_newest(wh)


def old_current_table(version: int) -> str:
    """current_facts as schemas 3 (keyed) and 4 wrote it: without the source columns."""
    return f"""CREATE TABLE current_facts (
        load_id INTEGER NOT NULL, indicator_code VARCHAR NOT NULL, unit_code VARCHAR NOT NULL,
        period_kind VARCHAR NOT NULL, period_start DATE NOT NULL, period_end DATE NOT NULL,
        breakdown VARCHAR NOT NULL DEFAULT '', value DOUBLE, numerator DOUBLE, denominator DOUBLE,
        note VARCHAR{', PRIMARY KEY (indicator_code, unit_code, period_start, period_end, breakdown)' if version == 3 else ''})"""


@pytest.mark.parametrize("version", [3, 4])
def test_an_older_file_is_upgraded_with_its_rows_and_loads_again(warehouse, db_path, version):
    load_bytes(warehouse, months_file(range(1, 4), 100), "a.csv", "a", today=TODAY)
    load_bytes(warehouse, months_file(range(2, 5), 300), "b.csv", "a", today=TODAY)  # supersedes months 2-3
    undone = load_bytes(warehouse, months_file(range(5, 6), 900), "c.csv", "a", today=TODAY)
    undo_load(warehouse, undone.load_id, "a")
    cur = warehouse.cursor()
    rows, past, counts = current(warehouse), cur.execute("SELECT * FROM past_facts ORDER BY ALL").fetchall(), \
        cur.execute("SELECT * FROM current_counts ORDER BY ALL").fetchall()
    assert len(past) == 8 + 4  # months 2-3 of a.csv, and the undone c.csv
    warehouse.close()
    # turn the file back into what that schema wrote: every row in the table `facts`, the current
    # ones again in current_facts (keyed in schema 3), that version in meta
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE facts_table AS SELECT * FROM facts; DROP VIEW facts; DROP TABLE past_facts")
    con.execute("ALTER TABLE facts_table RENAME TO facts")
    con.execute("CREATE TABLE cf_copy AS SELECT * EXCLUDE (source_sheet, source_row) FROM current_facts")
    con.execute("DROP TABLE current_facts")
    con.execute(old_current_table(version))
    con.execute("INSERT INTO current_facts SELECT * FROM cf_copy; DROP TABLE cf_copy")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    con.close()

    with Warehouse(db_path) as wh:
        cur = wh.cursor()
        assert cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        assert cur.execute("""SELECT count(*) FROM duckdb_constraints()
                              WHERE table_name = 'current_facts' AND constraint_type = 'PRIMARY KEY'""").fetchone()[0] == 0
        assert current(wh) == rows
        assert cur.execute("SELECT * FROM past_facts ORDER BY ALL").fetchall() == past
        assert cur.execute("SELECT * FROM current_counts ORDER BY ALL").fetchall() == counts
        assert cur.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == len(rows)
        assert_one_row_per_key_and_newest(wh)
        assert load_bytes(wh, months_file(range(3, 6), 700), "d.csv", "a", today=TODAY).status == "loaded"
        assert_one_row_per_key_and_newest(wh)


ITPROJECTS = "Số dự án, nhiệm vụ CNTT"


@pytest.mark.parametrize("bulk", [False, True], ids=["python-path", "bulk-path"])
@pytest.mark.parametrize("recount_below", [0, 10 ** 9], ids=["updated", "recounted"])
def test_counts_follow_breakdowns_kind_changes_and_undos(warehouse, monkeypatch, bulk, recount_below):
    """The cases where a period is gained or lost without every row of it moving, with the counts
    updated by what moved and with the touched groups counted again."""
    if bulk:
        monkeypatch.setattr(fast_long, "ROW_THRESHOLD", 0)
    monkeypatch.setattr(current_counts, "RECOUNT_BELOW", recount_below)

    def load(rows, name):
        result = load_bytes(warehouse, long_csv(rows), name, "a", today=TODAY)
        assert result.status == "loaded", result.problems
        assert_one_row_per_key_and_newest(warehouse)
        return result

    as_of = "Tính đến ngày 31/03/2024"
    parts = load([[as_of, "UBND tỉnh Quảng Nam", ITPROJECTS, "3", None, None, None, None],
                  [as_of, "UBND tỉnh Quảng Nam", ITPROJECTS, "1", None, None, "Đang thẩm định", None],
                  [as_of, "UBND tỉnh Quảng Nam", ITPROJECTS, "2", None, None, "Đã thẩm định", None]], "parts.csv")
    # one breakdown corrected: the period keeps its other rows
    fix = load([[as_of, "UBND tỉnh Quảng Nam", ITPROJECTS, "2", None, None, "Đang thẩm định", None]], "fix.csv")
    # a new breakdown of a period the group already has: one more row, no more periods
    more = load([[as_of, "UBND tỉnh Quảng Nam", ITPROJECTS, "1", None, None, "Chờ phê duyệt chủ trương", None]],
                "more.csv")
    month = load([["Tháng 3/2024", u, TEAMS, "5", None, None, None, None] for u in UNITS], "month.csv")
    # the same dates written as a range: the keys move from the 'month' kind to 'range' (a period lost)
    ranged = load([["từ ngày 01/03/2024 đến ngày 31/03/2024", u, TEAMS, "6", None, None, None, None]
                   for u in UNITS[:2]], "range.csv")
    kinds = dict(warehouse.cursor().execute(
        "SELECT period_kind, sum(n_rows) FROM current_counts WHERE indicator_code <> 'it_projects' GROUP BY 1").fetchall())
    assert kinds == {"month": 2, "range": 2}
    for undone in (ranged, fix, month, more, parts):
        undo_load(warehouse, undone.load_id, "a")
        assert_one_row_per_key_and_newest(warehouse)
    assert warehouse.cursor().execute("SELECT count(*) FROM current_counts").fetchone()[0] == 0


@pytest.mark.parametrize("recount_below", [0, 10 ** 9], ids=["updated", "recounted"])
def test_a_last_period_far_back_is_found_after_an_undo(warehouse, monkeypatch, recount_below):
    """Undoing the latest period of a group whose period before it lies years back: the new last end
    is not in the first, recent look (LAST_END_WINDOW) and is found among all its rows."""
    monkeypatch.setattr(current_counts, "RECOUNT_BELOW", recount_below)
    rows = lambda year, base: [[f"Năm {year}", u, TEAMS, str(base + i), None, None, None, None]  # noqa: E731
                               for i, u in enumerate(UNITS)]
    assert load_bytes(warehouse, long_csv(rows(2019, 10)), "2019.csv", "a", today=TODAY).status == "loaded"
    # a month of 2024 too: a row of another kind inside the recent look must not count for the years
    month = [["Tháng 1/2024", UNITS[0], TEAMS, "7", None, None, None, None]]
    assert load_bytes(warehouse, long_csv(rows(2020, 20) + month), "2020.csv", "a", today=TODAY).status == "loaded"
    latest = load_bytes(warehouse, long_csv(rows(2024, 40)), "2024.csv", "a", today=TODAY)
    assert_one_row_per_key_and_newest(warehouse)
    undo_load(warehouse, latest.load_id, "a")
    assert_one_row_per_key_and_newest(warehouse)
    ends = dict(warehouse.cursor().execute(
        "SELECT unit_code, last_end FROM current_counts WHERE period_kind = 'year'").fetchall())
    assert set(ends.values()) == {date(2020, 12, 31)}
