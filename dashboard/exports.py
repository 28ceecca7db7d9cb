"""Download bytes for a table: CSV (UTF-8 with BOM) and XLSX, safe against formula injection.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some programs, tab or carriage return) as a formula. Unit and note texts come
from uploaded reports, so every text cell is defused:

- CSV: such a text gets a leading apostrophe (``'=HYPERLINK(...)``), the OWASP
  advice; numbers stay numbers (a negative number is not text).
- XLSX: every text is written with ``write_string`` (never interpreted), and the
  workbook is opened with ``strings_to_formulas: False`` as well.

    >>> safe_text("=1+1"), safe_text("Hội An")
    ("'=1+1", 'Hội An')
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: str) -> str:
    """Prefix an apostrophe to a text a spreadsheet would read as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _defused(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [safe_text(str(c)) for c in out.columns]
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(lambda v: safe_text(v) if isinstance(v, str) else v)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows the diacritics; empty cells for missing."""
    return _defused(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """An XLSX workbook of one sheet; texts via ``write_string``, numbers as numbers, dates as dates."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(sheet_name[:31])
    bold = wb.add_format({"bold": True})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for c, name in enumerate(frame.columns):
        ws.write_string(0, c, str(name), bold)
        ws.set_column(c, c, max(12, min(50, len(str(name)) + 2)))
    for r, row in enumerate(frame.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            if _is_missing(value):
                ws.write_blank(r, c, None)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, c, float(value))
            elif isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
                day = value.date() if isinstance(value, dt.datetime) else value
                ws.write_datetime(r, c, dt.datetime(day.year, day.month, day.day), date_fmt)
            elif hasattr(value, "item"):  # numpy scalar
                ws.write_number(r, c, float(value.item()))
            else:
                ws.write_string(r, c, str(value))
    wb.close()
    return buf.getvalue()
