"""The vectorised long-template path gives the Python path's values and problems."""

from __future__ import annotations

from datetime import date

import pytest

from etl import fast_long
from etl.loader import check_bytes, load_bytes
from etl.periods import parse_period
from tests.conftest import long_csv

TODAY = date(2024, 6, 30)

GOOD = [
    ["Tháng 3/2024", "TP. Tam Kỳ", "Tỷ lệ hồ sơ trực tuyến", "58,25", "1.165", "2.000", None, "ghi chú"],
    ["Tháng 3/2024", "Huyện Đại Lộc", "online_dossier_rate", None, "10", "20", None, None],
    ["Quý I/2024", "Hội An", "online_services", "1.470", None, None, None, None],
    ["2024-03", "Núi Thành", "steering_committee_formed", "x", None, None, None, None],
    ["Năm 2023", "Sở Y tế", "dti_score", "0,71", None, None, None, None],
]

BAD = [
    ["Tháng 3/2024", "Đại Lộc", "online_dossier_rate", None, "10", "20", None, None],
    ["Tháng 3/2024", "Không có", "online_dossier_rate", None, "10", "20", None, None],
    ["Tháng 13/2024", "Đại Lộc", "online_dossier_rate", None, "10", "20", None, None],
    ["Tháng 3/2024", "Đại Lộc", "khong co chi tieu", None, "10", "20", None, None],
    ["Tháng 3/2024", "Đại Lộc", "ontime_dossier_rate", "abc", "10", "20", None, None],
    ["Tháng 3/2024", "Đại Lộc", "ontime_dossier_rate", "99", "10", "20", None, None],
    ["Tháng 3/2024", "Hội An", "ontime_dossier_rate", None, "30", "20", None, None],
    ["Tháng 3/2024", "Hội An", "online_dossier_rate", None, "3", "0", None, None],
    ["Tháng 3/2024", "Hội An", "online_services", "1,470", None, None, None, None],
    ["Tháng 3/2024", "Hội An", "online_services_full", "-5", None, None, None, None],
    ["Tháng 3/2024", "Hội An", "agencies_with_lan", "2,5", None, None, None, None],
    [None, None, None, None, None, None, None, None],
    ["Tháng 3/2024", "Phú Ninh", "steering_committee_formed", "có lẽ", None, None, None, None],
    ["Tháng 3/2025", "Nông Sơn", "online_services", "12", None, None, None, None],
    ["Tháng 3/2024", "Núi Thành", "dti_score", "0.7", None, None, None, None],
    ["Tháng 3/2024", "Núi Thành", "service_index_766", "120", None, None, None, None],
    ["Tháng 3/2024", "Tiên Phước", "online_dossier_rate", "150", None, None, None, None],
    ["Tháng 3/2024", "Tiên Phước", "online_services", "  ", None, None, None, None],
    ["Tháng 3/2024", "Tiên Phước", "online_dossier_rate", None, "3", None, None, None],
    ["Tháng 3/2024", "Tiên Phước", "online_dossier_rate", None, "-3", "4", None, None],
    ["Tháng 3/2024", "Tiên Phước", "xyz", "1", None, None, "Không rõ", None],
]

BREAKDOWNS = [
    ["Tính đến ngày 31/03/2024", "UBND tỉnh Quảng Nam", "Số dự án, nhiệm vụ CNTT", "4", None, None, None, None],
    ["Tính đến ngày 31/03/2024", "UBND tỉnh Quảng Nam", "Số dự án, nhiệm vụ CNTT", "1", None, None, "Đang thẩm định", None],
    ["Tính đến ngày 31/03/2024", "UBND tỉnh Quảng Nam", "Số dự án, nhiệm vụ CNTT", "2", None, None, "Đã thẩm định", None],
    ["Tính đến ngày 31/03/2024", "UBND tỉnh Quảng Nam", "Số dự án, nhiệm vụ CNTT", "1", None, None, "Không có", None],
]


def _problems(check):
    return [(p.code, p.severity, p.row, p.column, p.value, p.expected, p.message_vi, p.message_en)
            for p in check.problems]


def _both(data, **kwargs):
    slow = check_bytes(data, "bc.csv", today=TODAY, **kwargs)  # small: the Python path
    fast = fast_long.check_long_csv(data, "bc.csv", today=TODAY, min_rows=0, **kwargs)
    assert fast is not None, "the fast path declined a plain UTF-8 long CSV"
    return slow, fast


# files whose number columns are partly or wholly empty in every row (those columns are not joined)
VALUES_ONLY = [row for row in GOOD + BAD if row[3] is not None and row[4] is None and row[5] is None]
RATES_ONLY = [row for row in GOOD + BAD if row[3] is None and (row[4] or row[5])]
NO_NUMBERS = [["Tháng 3/2024", "TP. Tam Kỳ", "online_services", None, None, None, None, None],
              ["Tháng 3/2024", "Hội An", "online_dossier_rate", None, None, None, None, None]]


@pytest.mark.parametrize("rows", [GOOD, BAD, BREAKDOWNS, GOOD + BAD + GOOD, VALUES_ONLY, RATES_ONLY, NO_NUMBERS],
                         ids=["good", "bad", "breakdowns", "duplicates", "values-only", "rates-only", "no-numbers"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_fast_path_gives_the_same_values_and_problems(rows, delimiter):
    slow, fast = _both(long_csv(rows, delimiter=delimiter))
    assert _problems(fast) == _problems(slow)
    assert list(fast.values) == slow.values
    assert fast.ok == slow.ok and fast.layout == slow.layout
    assert fast.sheets == slow.sheets  # what the upload page shows for the file


ALONE = [(row, TODAY) for row in BAD if any(row)] + [  # a blank row is no problem
    (["Tháng 9/2024", "Hội An", "online_services", "12", None, None, None, None], TODAY),  # future, nothing else
    (["Tháng 3/2025", "Nông Sơn", "online_services", "12", None, None, None, None], date(2026, 11, 25)),  # merged only
]


@pytest.mark.parametrize("bad, today", ALONE, ids=[f"row{i}" for i in range(len(ALONE))])
def test_each_bad_row_alone_in_a_clean_file_is_found_by_the_fast_path(bad, today):
    """The fast path runs a rule's query only where its main pass flagged a row:
    a single bad row among good ones must still be reported exactly as Python does."""
    data = long_csv(GOOD + [bad])
    slow = check_bytes(data, "bc.csv", today=today)
    fast = fast_long.check_long_csv(data, "bc.csv", today=today, min_rows=0)
    assert _problems(fast) == _problems(slow) != []
    assert list(fast.values) == slow.values


def test_fast_path_reports_a_period_that_contradicts_the_option():
    slow, fast = _both(long_csv(GOOD[:3]), period=parse_period("Tháng 4/2024"))
    assert [p.code for p in fast.problems] == ["period_conflict"] * 3
    assert _problems(fast) == _problems(slow)


def test_fast_path_declines_what_only_python_reads():
    utf16 = long_csv(GOOD, delimiter="\t", encoding="utf-16")
    text = long_csv([["Tháng 3/2024", "Hội An", "online_services", "4", None, None, None, None]]).decode("utf-8-sig")
    cp1258 = text.encode("cp1258", errors="replace")  # á, à… as single high bytes: not UTF-8
    with_blank_line = long_csv(GOOD).replace(b"\r\n", b"\r\n\r\n", 1)
    for data in (utf16, cp1258, with_blank_line):
        assert fast_long.check_long_csv(data, "bc.csv", today=TODAY, min_rows=0) is None


def test_large_file_loads_through_the_fast_path_like_the_python_path(tmp_path, monkeypatch):
    from etl.warehouse import Warehouse

    data = long_csv(GOOD)
    slow_wh = Warehouse(tmp_path / "slow.duckdb")
    assert load_bytes(slow_wh, data, "bc.csv", "lan", today=TODAY).status == "loaded"
    monkeypatch.setattr(fast_long, "ROW_THRESHOLD", 0)
    fast_wh = Warehouse(tmp_path / "fast.duckdb")
    result = load_bytes(fast_wh, data, "bc.csv", "lan", today=TODAY)
    assert result.status == "loaded" and result.rows == len(GOOD)
    query = "SELECT * EXCLUDE (load_id) FROM facts ORDER BY source_row"
    assert fast_wh.cursor().execute(query).fetchall() == slow_wh.cursor().execute(query).fetchall()
    # a second file one period later: the large-change warning comes from the same join
    later = long_csv([["Tháng 4/2024", "TP. Tam Kỳ", "Tỷ lệ hồ sơ trực tuyến", None, "1.900", "2.000", None, None]])
    slow_w = load_bytes(slow_wh, later, "t4.csv", "lan", today=TODAY).problems
    fast_w = load_bytes(fast_wh, later, "t4.csv", "lan", today=TODAY).problems
    assert [(p.code, p.row, p.value) for p in fast_w] == [(p.code, p.row, p.value) for p in slow_w]
    assert [p.code for p in fast_w] == ["large_change"]
    slow_wh.close()
    fast_wh.close()


def test_a_large_load_writes_whole_row_groups(tmp_path):
    """The facts reach DuckDB in batches of its row-group size: batches of another size leave a small
    row group after each full one (a 2 M-row load wrote 41 MB instead of 22)."""
    from datetime import timedelta

    from etl.reference import load_catalogue
    from etl.warehouse import Warehouse

    catalogue = load_catalogue()
    first, last = date(2005, 1, 3), date(2024, 5, 13)
    units = [u.name_vi for u in catalogue.units.values()
             if (u.valid_from is None or u.valid_from <= first) and (u.valid_to is None or u.valid_to >= TODAY)
             and catalogue.match_unit(u.name_vi, first, TODAY) == u.code]  # a name alone may not say which unit
    counts = [code for code, ind in catalogue.indicators.items() if ind.unit == "count"]
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    rows = [["%d-W%02d" % day.isocalendar()[:2], unit, code, str((i * 7 + j) % 50), None, None, None, None]
            for i, day in enumerate(weeks) for j, unit in enumerate(units) for code in counts]
    assert len(rows) > 3 * fast_long.ROW_GROUP_ROWS
    wh = Warehouse(tmp_path / "w.duckdb")
    result = load_bytes(wh, long_csv(rows), "bc.csv", "lan", today=TODAY)
    assert result.status == "loaded" and result.rows == len(rows)
    sizes = [n for (n,) in wh.cursor().execute("""
        SELECT max(start + count) - min(start) FROM pragma_storage_info('current_facts')
        WHERE column_name = 'source_row' GROUP BY row_group_id ORDER BY row_group_id""").fetchall()]
    assert sum(sizes) == len(rows)
    assert all(n >= fast_long.ROW_GROUP_ROWS // 2 for n in sizes[:-1]), sizes
    wh.close()


def test_checks_running_at_once_keep_their_own_tables():
    """Checks share one scratch database: each has its own connection, temp tables and frames."""
    from concurrent.futures import ThreadPoolExecutor

    files = [long_csv(GOOD), long_csv(BAD), long_csv(BREAKDOWNS), long_csv(GOOD + BAD + GOOD)] * 2
    alone = [fast_long.check_long_csv(f, "bc.csv", today=TODAY, min_rows=0) for f in files]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda f: fast_long.check_long_csv(f, "bc.csv", today=TODAY, min_rows=0), files))
    for a, b in zip(alone, together):
        assert _problems(a) == _problems(b) and list(a.values) == list(b.values)
