"""The bulk path for large long-template workbooks gives the Python path's values and problems."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import xlsxwriter

from etl import fast_long
from etl.fast_long_excel import check_long_excel
from etl.loader import check_bytes, load_bytes
from tests.conftest import LONG_HEADER
from tests.test_current_facts import assert_one_row_per_key_and_newest
from tests.test_fast_long import BAD, BREAKDOWNS, GOOD, TODAY, _problems

PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")  # what a spreadsheet would hold as a number cell


def workbook(rows, *, typed=True, sheet="Báo cáo", extra_sheet=False, title=None) -> bytes:
    """An XLSX in the long template; with `typed`, plain numbers in the number columns are number cells."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    top = 0
    if title:
        ws.write_string(0, 0, title)
        top = 2
    for c, text in enumerate(LONG_HEADER):
        ws.write_string(top, c, text)
    for r, row in enumerate(rows, start=top + 1):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if typed and 3 <= c <= 5 and PLAIN_NUMBER.match(cell):
                ws.write_number(r, c, float(cell))
            else:
                ws.write_string(r, c, cell)
    if extra_sheet:
        book.add_worksheet("Hướng dẫn").write_string(0, 0, "Điền mỗi dòng một giá trị")
    book.close()
    return buf.getvalue()


def both(data, today=TODAY, **kwargs):
    slow = check_bytes(data, "bc.xlsx", today=today, **kwargs)  # small: the Python path
    fast = check_long_excel(data, "bc.xlsx", today=today, min_rows=0, **kwargs)
    assert fast is not None, "the bulk path declined a plain long-template workbook"
    return slow, fast


def same(slow, fast):
    assert _problems(fast) == _problems(slow)
    assert [p.sheet for p in fast.problems] == [p.sheet for p in slow.problems]
    assert list(fast.values) == slow.values
    assert fast.ok == slow.ok and fast.layout == slow.layout and fast.sheets == slow.sheets
    assert fast.file_hash == slow.file_hash and fast.file_size == slow.file_size


YESNO_AND_FLOATS = [
    ["Tháng 3/2024", "Núi Thành", "steering_committee_formed", "1", None, None, None, None],
    ["Tháng 3/2024", "Phú Ninh", "steering_committee_formed", "0", None, None, None, None],
    ["Tháng 3/2024", "Tiên Phước", "steering_committee_formed", "2", None, None, None, None],  # not yes-no
    ["Tháng 3/2024", "Hội An", "agencies_with_lan", "23.471", None, None, None, None],  # not 23 471: fractional
    ["Tháng 3/2024", "Hội An", "online_dossier_rate", "58.25", None, None, None, None],
    ["Tháng 3/2024", "Tam Kỳ", "online_dossier_rate", None, "1165", "2000", None, None],
    ["Tháng 3/2024", "Đại Lộc", "online_dossier_rate", "0.5825", None, None, None, None],
]


@pytest.mark.parametrize("rows", [GOOD, BAD, BREAKDOWNS, GOOD + BAD + GOOD, YESNO_AND_FLOATS],
                         ids=["good", "bad", "breakdowns", "duplicates", "number-cells"])
@pytest.mark.parametrize("typed", [True, False], ids=["number-cells", "text-cells"])
def test_bulk_path_gives_the_same_values_and_problems_as_the_python_path(rows, typed):
    same(*both(workbook(rows, typed=typed)))


def test_a_merged_unit_and_a_future_period_are_reported_with_the_sheet():
    rows = GOOD + [["Tháng 3/2025", "Nông Sơn", "online_services", "12", None, None, None, None],
                   ["Tháng 9/2027", "Hội An", "online_services", "12", None, None, None, None]]
    slow, fast = both(workbook(rows), today=date(2026, 11, 25))
    same(slow, fast)
    assert {"unit_not_in_period", "future_period"} <= {p.code for p in fast.problems}
    assert {p.sheet for p in fast.problems} == {"Báo cáo"}


@pytest.mark.parametrize("kind", ["two-sheets", "title-row", "date-period", "merged", "typed-lookalike"])
def test_bulk_path_declines_what_only_python_reads(kind):
    if kind == "typed-lookalike":  # text that starts like the bulk path's marker of a number cell
        data = workbook(GOOD + [["Tháng 3/2024", "Hội An", "online_services", "\x01123", None, None, None, None]])
    elif kind == "two-sheets":
        data = workbook(GOOD, extra_sheet=True)
    elif kind == "title-row":
        data = workbook(GOOD, title="BÁO CÁO CHỈ TIÊU THÁNG 3/2024")
    else:
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = book.add_worksheet()
        ws.write_row(0, 0, LONG_HEADER)
        ws.write_row(1, 0, ["Tháng 3/2024", "TP. Tam Kỳ", "Số tổ công nghệ số cộng đồng", 12])
        if kind == "date-period":
            ws.write_datetime(2, 0, __import__("datetime").datetime(2024, 3, 1), book.add_format({"num_format": "dd/mm/yyyy"}))
            ws.write_row(2, 1, ["TP. Hội An", "Số tổ công nghệ số cộng đồng", 9])
        else:
            ws.merge_range(2, 0, 3, 0, "Tháng 3/2024")
            ws.write_row(2, 1, ["TP. Hội An", "Số tổ công nghệ số cộng đồng", 9])
            ws.write_row(3, 1, ["Huyện Đại Lộc", "Số tổ công nghệ số cộng đồng", 4])
        book.close()
        data = buf.getvalue()
    assert check_long_excel(data, "bc.xlsx", today=TODAY, min_rows=0) is None
    assert check_bytes(data, "bc.xlsx", today=TODAY).layout is not None  # and Python reads it


def test_a_large_workbook_loads_through_the_bulk_path_like_the_python_path(tmp_path, monkeypatch):
    from etl.warehouse import Warehouse

    units = ["TP. Tam Kỳ", "TP. Hội An", "Huyện Đại Lộc", "Huyện Duy Xuyên", "Huyện Núi Thành"]
    rows = [[f"Tháng {m}/2024", u, "Số tổ công nghệ số cộng đồng", str(m * 10 + i), None, None, None, None]
            for m in range(1, 13) for i, u in enumerate(units)]
    data = workbook(rows)
    today = date(2026, 11, 25)
    monkeypatch.setattr(fast_long, "ROW_THRESHOLD", 10)
    checked = check_bytes(data, "lon.xlsx", today=today)
    assert hasattr(checked.values, "facts"), "the bulk path was not taken"
    with Warehouse(tmp_path / "fast.duckdb") as fast_wh:
        result = load_bytes(fast_wh, data, "lon.xlsx", "a", today=today)
        assert result.status == "loaded" and result.rows == 60
        fast_rows = fast_wh.cursor().execute("SELECT * EXCLUDE (load_id) FROM facts ORDER BY source_row").fetchall()
        assert_one_row_per_key_and_newest(fast_wh)
    monkeypatch.setattr(fast_long, "ROW_THRESHOLD", 10 ** 9)
    with Warehouse(tmp_path / "python.duckdb") as py_wh:
        assert load_bytes(py_wh, data, "lon.xlsx", "a", today=today).status == "loaded"
        py_rows = py_wh.cursor().execute("SELECT * EXCLUDE (load_id) FROM facts ORDER BY source_row").fetchall()
    assert fast_rows == py_rows and fast_rows[0][10] == "Báo cáo"  # source_sheet kept


def test_number_cells_are_written_once_each_and_zero_keeps_its_sign():
    from etl.fast_long_excel import _typed_texts

    column = [713.0, "1.470", 713, -0.0, 0.0, 2.5, 713.0, 0, -0.0]
    assert _typed_texts(column) == [fast_long.TYPED + repr(float(c)) if not isinstance(c, str) else c for c in column]
    assert _typed_texts([-0.0, 0.0]) == [fast_long.TYPED + "-0.0", fast_long.TYPED + "0.0"]
