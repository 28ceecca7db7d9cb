"""CSV and XLSX downloads: diacritics survive, formulas never run."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pandas as pd
import pytest

from dashboard import exports

DANGEROUS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_safe_text_prefixes_an_apostrophe_to_formula_starts(text):
    assert exports.safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Hội An", "23,08%", "", "a=b", "'quoted"])
def test_safe_text_leaves_ordinary_text_alone(text):
    assert exports.safe_text(text) == text


def _frame():
    return pd.DataFrame({
        "Đơn vị": ["Thành phố Hội An", "=cmd|' /C calc'!A0", "-tấn công", "@x"],
        "Giá trị": [23.08, -5.0, None, 1470.0],
        "Kỳ": [date(2024, 1, 1)] * 4,
    })


def test_csv_has_a_utf8_bom_and_the_diacritics():
    data = exports.to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Đơn vị,Giá trị,Kỳ"
    assert "Thành phố Hội An" in text


def test_csv_defuses_formula_text_but_keeps_negative_numbers():
    text = exports.to_csv_bytes(_frame()).decode("utf-8-sig")
    rows = text.splitlines()
    assert rows[2].startswith("\"'=cmd|' /C calc'!A0\"") or rows[2].startswith("'=cmd")
    assert rows[2].endswith(",-5.0,2024-01-01")  # a number stays a number
    assert rows[3].startswith("'-tấn công,")
    assert rows[4].startswith("'@x,")
    assert rows[3].split(",")[1] == ""  # missing is empty, not 0


def test_csv_defuses_a_dangerous_header():
    text = exports.to_csv_bytes(pd.DataFrame({"=evil": ["x"]})).decode("utf-8-sig")
    assert text.splitlines()[0] == "'=evil"


def _sheet_xml(data: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode(), z.read("xl/sharedStrings.xml").decode()


def test_xlsx_writes_formula_text_as_strings_never_formulas():
    sheet, strings = _sheet_xml(exports.to_xlsx_bytes(_frame(), "online_dossier_rate"))
    assert "<f>" not in sheet  # no formula cell anywhere
    assert "=cmd|' /C calc'!A0" in strings.replace("&apos;", "'")
    assert "-tấn công" in strings
    assert "Thành phố Hội An" in strings


def test_xlsx_keeps_numbers_as_numbers_and_leaves_missing_blank():
    sheet, _ = _sheet_xml(exports.to_xlsx_bytes(_frame()))
    numbers = re.findall(r'<c r="B(\d+)"[^>]*?(?:/>|><v>([^<]*)</v>)', sheet)
    values = {row: v for row, v in numbers}
    assert values["2"] == "23.08"
    assert values["3"] == "-5"
    assert values.get("4", "") == ""  # blank cell, not 0
