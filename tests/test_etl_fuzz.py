"""No input makes the ETL crash: every file gives values or problems."""

from __future__ import annotations

import io
import re
from datetime import date

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.loader import check_bytes

cells = st.one_of(st.none(), st.text(max_size=12), st.integers(-10**6, 10**6),
                  st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(
                      ["STT", "Đơn vị", "Tổng cộng", "Tháng 3/2024", "TP. Tam Kỳ", "1.470", "23,08%", "x", "I"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.txt", "a.xlsx", "a.xls", "a.tsv"]))
def test_random_bytes_never_crash_the_reader(data, name):
    check = check_bytes(data, name, today=date(2026, 11, 25))
    assert check.values or check.problems


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=1, max_size=8), min_size=1, max_size=12),
       st.sampled_from([",", ";", "\t"]))
def test_random_csv_tables_never_crash(rows, delimiter):
    text = "\n".join(delimiter.join("" if c is None else str(c).replace(delimiter, " ").replace("\n", " ")
                                    for c in row) for row in rows)
    check = check_bytes(text.encode("utf-8"), "r.csv", today=date(2026, 11, 25))
    assert check.values or check.problems


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=1, max_size=8), min_size=1, max_size=10))
def test_random_xlsx_sheets_never_crash(rows):
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not None:
                ws.write(r, c, cell)
    wb.close()
    check = check_bytes(buf.getvalue(), "r.xlsx", today=date(2026, 11, 25))
    assert check.values or check.problems


# the bomb guard's quick scan, as regular expressions: what _quick_extent must never fall short of
_CELL_COLUMN = re.compile(rb'c r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'c r="[A-Z]{1,3}([0-9]{1,7})"')
_PIECES = [b'c r="', b'<c r="', b'<x:c r="', b'"', b"A", b"Z", b"AB", b"XFD", b"ABCD", b"0", b"1", b"9", b"42",
           b"1048576", b"12345678", b"c", b" ", b"<", b"/>", b"r", b"=", b"\xc3\xa1", b"t=\"s\""]


_REFERENCES = st.builds(lambda start, letters, digits, end: start + letters + digits + end,
                        st.sampled_from([b'c r="', b'<c r="', b'<x:c r="']),
                        st.from_regex(rb"[A-Z]{1,4}", fullmatch=True),
                        st.from_regex(rb"[0-9]{1,9}", fullmatch=True), st.sampled_from([b'"', b"", b"x", b'" t="s"']))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), _REFERENCES), max_size=60))
def test_the_bomb_guards_quick_scan_reaches_every_reference_the_expressions_find(pieces):
    from etl.readers import _column_number, _quick_extent

    block = b"".join(pieces)
    rows, columns = _quick_extent(block)
    assert columns == max(map(_column_number, _CELL_COLUMN.findall(block)), default=0)
    assert rows >= max(map(int, _CELL_ROW.findall(block)), default=0)
