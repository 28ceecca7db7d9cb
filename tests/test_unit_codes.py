"""Units given by their GSO code in a "Mã ĐVHC" column of a wide report (issue 13, point 5)."""

from __future__ import annotations

import io
from datetime import date

import xlsxwriter

from etl.loader import check_bytes

TODAY = date(2026, 12, 1)


def _report(title: str, rows: list[tuple], code_header: str = "Mã ĐVHC", numbers_as_numbers: bool = True) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Biểu 01")
    ws.merge_range(0, 0, 0, 5, title)
    ws.merge_range(2, 0, 3, 0, "STT")
    ws.merge_range(2, 1, 3, 1, code_header)
    ws.merge_range(2, 2, 3, 2, "Đơn vị")
    ws.merge_range(2, 3, 2, 4, "Số hồ sơ nhận giải quyết")
    ws.write(3, 3, "Tổng số")
    ws.write(3, 4, "Trực tuyến")
    for i, (code, name, total, online) in enumerate(rows, start=1):
        ws.write(3 + i, 0, i)
        if numbers_as_numbers and code.isdigit():
            ws.write_number(3 + i, 1, int(code))  # Excel drops the leading zeros
        else:
            ws.write_string(3 + i, 1, code)
        ws.write(3 + i, 2, name)
        ws.write(3 + i, 3, total)
        ws.write(3 + i, 4, online)
    wb.close()
    return buf.getvalue()


def _units(check) -> dict[str, tuple]:
    return {v.unit_code: (v.numerator, v.denominator) for v in check.values if v.indicator_code == "online_dossier_rate"}


def test_the_code_column_names_the_unit_and_is_not_an_indicator_column():
    # 20242 is "Phường Hải Châu" since 2025-07-01; a name in upper case without its type still matches
    data = _report("TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG 8/2025", [("20242", "HẢI CHÂU", 200, 150),
                                                          ("20308", "Xã Bà Nà", 100, 40)])
    check = check_bytes(data, "ma_dvhc.xlsx", today=TODAY)
    assert not [p for p in check.problems if p.is_error], [p.message_en for p in check.problems]
    assert "unmapped_column" not in {p.code for p in check.problems}
    units = _units(check)
    assert units["20242"] == (150, 200)
    assert set(units) == {"20242", "20308"}


def test_a_code_before_the_reform_is_the_former_commune():
    data = _report("TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG 3/2025", [("20233", "Phường Thạch Thang", 80, 60)])
    check = check_bytes(data, "ma_cu.xlsx", today=TODAY)
    assert set(_units(check)) == {"cu-20233"}, [p.message_en for p in check.problems]


def test_a_code_that_contradicts_the_name_is_an_error_naming_both():
    data = _report("TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG 8/2025", [("20242", "Xã Bà Nà", 200, 150)])
    check = check_bytes(data, "sai_ma.xlsx", today=TODAY)
    [problem] = [p for p in check.problems if p.is_error]
    assert problem.code == "unit_code_mismatch"
    assert (problem.row, problem.column.split()[0]) == (5, "B")
    assert "Xã Bà Nà" in problem.message_vi and "Phường Hải Châu" in problem.message_en
