"""Readers and layouts: the shapes real offices send, and what they become."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import date

import pytest
import xlsxwriter

from etl.loader import check_bytes
from etl.sample_data import encode_cp1258
from tests.conftest import LONG_HEADER, long_csv, wide_xlsx
from tests.upload_support import xlsx_bomb

TODAY = date(2026, 11, 25)
ROW = ["Tháng 3/2024", "TP. Tam Kỳ", "Số tổ công nghệ số cộng đồng", "1.470", None, None, None, None]


def values_of(check):
    return [(v.indicator_code, v.unit_code, v.period.code, v.breakdown, v.value, v.numerator, v.denominator)
            for v in check.values]


# ----------------------------------------------------------------- encodings and separators
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_the_long_template_reads_in_every_encoding_and_separator(delimiter, encoding):
    text_rows = [ROW]
    if encoding == "cp1258":
        # Windows-1258 stores tone marks as combining characters
        data = encode_cp1258(long_csv(text_rows, delimiter=delimiter, encoding="utf-8").decode("utf-8"))
    else:
        data = long_csv(text_rows, delimiter=delimiter, encoding=encoding)
    check = check_bytes(data, "bao_cao.txt" if encoding == "utf-16" else "bao_cao.csv", today=TODAY)
    assert check.ok, check.problems
    assert values_of(check) == [("community_tech_teams", "502", "2024-03", "", 1470.0, None, None)]


def test_nfd_text_and_look_alike_d_match_units_and_indicators():
    row = ["Tháng 3/2024", "Huyện Ðại Lộc", "Số tổ công nghệ số cộng đồng", "3", None, None, None, None]
    data = unicodedata.normalize("NFD", long_csv([row]).decode("utf-8-sig")).encode("utf-8")
    check = check_bytes(data, "nfd.csv", today=TODAY)
    assert check.ok, check.problems
    assert check.values[0].unit_code == "506"


@pytest.mark.parametrize("unit_text", ["TP. Tam Kỳ", "TP Tam Ky", "Thành phố Tam Kỳ", "tam kỳ", "  TAM  KỲ ", "UBND thành phố Tam Kỳ"])
def test_unit_names_match_regardless_of_prefix_case_and_diacritics(unit_text):
    check = check_bytes(long_csv([["Tháng 3/2024", unit_text, "community_tech_teams", "3", None, None, None, None]]),
                        "u.csv", today=TODAY)
    assert check.ok, check.problems
    assert check.values[0].unit_code == "502"


def test_english_headers_and_iso_periods_are_accepted():
    header = ["Period", "Unit", "Indicator", "Value", "Numerator", "Denominator", "Breakdown", "Note"]
    data = long_csv([["2024-Q1", "Dai Loc", "online_dossier_rate", None, "25", "100", None, None]], header=header)
    check = check_bytes(data, "en.csv", today=TODAY)
    assert check.ok, check.problems
    assert values_of(check) == [("online_dossier_rate", "506", "2024-Q1", "", 25.0, 25.0, 100.0)]


def test_a_breakdown_is_stored_as_dimension_and_code():
    rows = [["Tháng 4/2022", "Tỉnh Quảng Nam", "specialised_db_operational", "49", None, None, "Trung ương", None],
            ["Tháng 4/2022", "Tỉnh Quảng Nam", "specialised_db_operational", "92", None, None, "Tỉnh", None]]
    check = check_bytes(long_csv(rows), "db.csv", today=TODAY)
    assert check.ok, check.problems
    assert sorted(v.breakdown for v in check.values) == ["owner:central", "owner:provincial"]


def test_a_long_file_without_period_column_takes_it_from_the_title():
    header = LONG_HEADER[1:]
    body = long_csv([r[1:] for r in [ROW]], header=header).decode("utf-8-sig")
    data = ("BÁO CÁO SỐ LIỆU CHUYỂN ĐỔI SỐ QUÝ II/2024\r\n\r\n" + body).encode("utf-8")
    check = check_bytes(data, "t.csv", today=TODAY)
    assert check.ok, check.problems
    assert check.values[0].period.code == "2024-Q2"


def test_a_file_with_no_period_anywhere_needs_the_period_option():
    from etl.periods import parse_period

    data = long_csv([r[1:] for r in [ROW]], header=LONG_HEADER[1:])
    assert [p.code for p in check_bytes(data, "t.csv", today=TODAY).errors] == ["no_period"]
    check = check_bytes(data, "t.csv", period=parse_period("Tháng 5/2024"), today=TODAY)
    assert check.ok and check.values[0].period.code == "2024-05"


def test_a_period_option_that_contradicts_the_file_is_an_error():
    from etl.periods import parse_period

    check = check_bytes(long_csv([ROW]), "t.csv", period=parse_period("2024-05"), today=TODAY)
    assert [p.code for p in check.errors] == ["period_conflict"]


# ----------------------------------------------------------------- wide reports
UNITS = [
    ("TP. Tam Kỳ", 1000, 300, 900, 880, 30.0),
    ("H. Đại Lộc", 500, 50, 480, 470, 10.0),
    ("Huyện Nông Sơn", 100, 10, 90, 90, 10.0),
]
TOTAL = [1600, 360, 1470, 1440, 22.5]


def test_the_wide_report_loads_parts_of_rates_and_skips_title_sections_totals_and_signatures():
    data = wide_xlsx("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH QUÝ II/2024", UNITS, total=TOTAL)
    check = check_bytes(data, "rong.xlsx", today=TODAY)
    assert check.ok, check.problems
    assert check.layout == "wide"
    got = {(v.indicator_code, v.unit_code): (v.value, v.numerator, v.denominator) for v in check.values}
    assert got[("online_dossier_rate", "502")] == (30.0, 300.0, 1000.0)
    assert got[("ontime_dossier_rate", "506")] == (pytest.approx(100 * 470 / 480), 470.0, 480.0)
    assert {v.period.code for v in check.values} == {"2024-Q2"}
    assert {v.unit_code for v in check.values} == {"502", "506", "519"}
    assert check.values[0].row == 12  # Excel row numbers, as the analyst sees them


def test_a_totals_row_that_does_not_add_up_is_an_error_naming_the_cell():
    data = wide_xlsx("BÁO CÁO THÁNG 3/2024", UNITS, total=[1601, 360, 1470, 1440, 22.5])
    [problem] = check_bytes(data, "rong.xlsx", today=TODAY).errors
    assert problem.code == "totals_mismatch"
    assert problem.row == 15 and problem.column.startswith("C") and problem.value == "1601" and problem.expected == "1600"


def test_rates_stored_as_excel_fractions_are_read_as_percent():
    data = wide_xlsx("BÁO CÁO THÁNG 3/2024", UNITS, fraction_rates=True)
    check = check_bytes(data, "rong.xlsx", today=TODAY)
    assert check.ok, check.problems
    assert "percent_as_fraction" in [p.code for p in check.warnings]


def test_a_written_rate_that_contradicts_its_parts_is_an_error():
    units = [("TP. Tam Kỳ", 1000, 300, 900, 880, 45.0)]
    [problem] = check_bytes(wide_xlsx("BÁO CÁO THÁNG 3/2024", units), "r.xlsx", today=TODAY).errors
    assert problem.code == "rate_mismatch" and problem.expected == "30.00"


def test_an_unknown_unit_row_is_an_error_with_the_closest_names():
    units = UNITS + [("Huyện Đại Lôc Mới", 10, 1, 10, 10, 10.0)]
    errors = check_bytes(wide_xlsx("BÁO CÁO THÁNG 3/2024", units), "r.xlsx", today=TODAY).errors
    assert [p.code for p in errors] == ["unknown_unit"]
    assert "Đại Lộc" in errors[0].message_vi


def test_a_wide_csv_with_parents_written_once_and_vietnamese_numbers_as_text():
    text = "\n".join([
        "UBND TỈNH QUẢNG NAM;;;",
        "SỐ LIỆU TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG TÍNH ĐẾN NGÀY 30/4/2022;;;",
        "STT;Đơn vị;Số tổ công nghệ số cộng đồng;Ghi chú",
        "1;Thị xã Điện Bàn;1.020;",
        "2;H. Quế Sơn;15;",
        ";Tổng cộng;1.035;",
    ])
    check = check_bytes(text.encode("utf-8"), "to_cn.csv", today=TODAY)
    assert check.ok, check.problems
    assert values_of(check) == [
        ("community_tech_teams", "507", "2022-04-30", "", 1020.0, None, None),
        ("community_tech_teams", "509", "2022-04-30", "", 15.0, None, None),
    ]


def test_a_title_with_the_year_only_once_gives_a_range():
    text = "\n".join([
        "TỶ LỆ HỒ SƠ TRỰC TUYẾN (từ 01/02 đến 31/3/2022)",
        "STT,Đơn vị,Số hồ sơ nhận giải quyết Tổng số,Số hồ sơ nhận giải quyết Trực tuyến",
        "1,TP. Hội An,200,50",
    ])
    check = check_bytes(text.encode("utf-8"), "r.csv", today=TODAY)
    assert check.ok, check.problems
    assert values_of(check) == [("online_dossier_rate", "503", "2022-02-01..2022-03-31", "", 25.0, 50.0, 200.0)]


# ----------------------------------------------------------------- files that cannot be read
@pytest.mark.parametrize("name,data,code", [
    ("empty.csv", b"", "empty_file"),
    ("blank.csv", b"  \r\n\r\n", "empty_file"),
    ("header_only.csv", long_csv([]), "no_values"),
    ("binary.csv", bytes(range(256)) * 10, "unreadable_file"),
    ("fake.xlsx", b"this is not a spreadsheet", "unreadable_file"),
    ("report.pdf", b"%PDF-1.4", "unsupported_type"),
    ("noise.csv", "a,b\nc,d\n".encode(), "no_layout"),
])
def test_unreadable_files_give_one_clear_error(name, data, code):
    check = check_bytes(data, name, today=TODAY)
    assert [p.code for p in check.errors] == [code]
    assert check.errors[0].message_vi and check.errors[0].message_en and check.errors[0].file == name


def test_a_sheet_that_declares_a_huge_range_is_refused_before_reading():
    check = check_bytes(xlsx_bomb(), "bomb.xlsx", today=TODAY)
    assert [p.code for p in check.errors] == ["sheet_too_large"]


def test_text_that_looks_like_a_far_cell_reference_does_not_refuse_a_sheet():
    """The bomb guard's quick scan matches 'c r="…"' anywhere; a hit is measured again on real cells."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Kỳ báo cáo", "Đơn vị", "Chỉ tiêu", "Giá trị", "Ghi chú"])
    ws.write_row(1, 0, ["Tháng 3/2024", "TP. Tam Kỳ", "Số tổ công nghệ số cộng đồng", 12, 'xem c r="XFD1048576"'])
    wb.close()
    # the note as an inline string in the sheet's XML, its quotes unescaped (valid XML in text, as some writers do)
    data = _rewrite_member(buf.getvalue(), "xl/worksheets/sheet1.xml", lambda xml: re.sub(
        rb'<c r="E2" t="s"><v>\d+</v></c>', b'<c r="E2" t="inlineStr"><is><t>xem c r="XFD1048576"</t></is></c>', xml))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the text sits in the sheet's XML, outside a cell tag
        assert b'c r="XFD1048576"' in archive.read("xl/worksheets/sheet1.xml")
    check = check_bytes(data, "note.xlsx", today=TODAY)
    assert check.ok and [v.note for v in check.values] == ['xem c r="XFD1048576"']


def _rewrite_member(data: bytes, member: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, change(content) if info.filename == member else content)
    return out.getvalue()
