"""Read a report file's bytes into plain tables of cells.

A `RawTable` is one sheet (or the whole of a CSV): a list of rows, each a list of
cells (str, float, int, date or None), with merged ranges filled in so that a
merged header's text stands in every column it spans. Nothing here knows about
indicators: `etl.layouts` turns tables into values.

Supported: CSV/TSV/TXT in UTF-8 (with or without BOM), UTF-16 ("Unicode text"
from Excel), Windows-1258 and TCVN3; separators `,` `;` tab; XLSX, XLSM, XLS and
ODS through python-calamine.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from python_calamine import CalamineError, CalamineWorkbook

from etl.text import UnreadableText, clean, decode_bytes

TEXT_EXTENSIONS = {".csv", ".tsv", ".txt"}
EXCEL_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}

MAX_FILE_BYTES = 50 * 1024 * 1024
# A sheet may declare a huge used range (an "XLSX bomb") while the file stays
# small; refuse before materialising it.
MAX_SHEET_CELLS = 2_000_000
# Zip bombs: refuse an archive that inflates beyond this.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
# Text files are bounded while they are read (issue 15, finding 2): a few kilobytes of
# separators or blank lines would otherwise become millions of cells once rows are
# padded to the widest one. A report has tens of columns; Excel's own widest sheet
# has 16,384, and its longest cell 32,767 characters.
MAX_TEXT_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
csv.field_size_limit(MAX_CELL_CHARS)  # explicit: the module default (131,072) is not a decision


class ReadError(ValueError):
    """The file cannot be turned into tables; `code` is a problems.MESSAGES key."""

    def __init__(self, code: str, value: str = "", detail: str = "", row: int | None = None):
        super().__init__(detail or value or code)
        self.code = code
        self.value = value
        self.detail = detail
        self.row = row  # the file's line where reading stopped, when known


@dataclass
class RawTable:
    sheet: str | None
    rows: list[list] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


def extension_of(file_name: str) -> str:
    dot = file_name.rfind(".")
    return file_name[dot:].lower() if dot >= 0 else ""


def read_tables(data: bytes, file_name: str) -> list[RawTable]:
    """Read every sheet of a file. Raises ReadError with a problem code."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadError("file_too_large", f"{len(data) / 1024 / 1024:.1f} MB > {MAX_FILE_BYTES // 1024 // 1024} MB")
    if not data.strip():
        raise ReadError("empty_file")
    ext = extension_of(file_name)
    if ext not in TEXT_EXTENSIONS | EXCEL_EXTENSIONS:
        raise ReadError("unsupported_type", ext or file_name)
    try:
        return [_read_text(data, ext)] if ext in TEXT_EXTENSIONS else _read_excel(data)
    except ReadError:
        raise
    except Exception as exc:  # whatever a reader raises, the file is refused with a message
        raise ReadError("unreadable_file", detail=f"{type(exc).__name__}: {exc}") from exc


def _sniff_delimiter(text: str, ext: str) -> str:
    sample = "\n".join(text[:65_536].splitlines()[:50])  # never split the whole text into lines
    if ext == ".tsv":
        return "\t"
    counts = {d: sample.count(d) for d in ("\t", ";", ",")}
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t;,").delimiter
    except csv.Error:
        # The sniffer gives up on ragged title rows: take the most frequent
        # separator, preferring tab and semicolon, which rarely appear in text.
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_text(data: bytes, ext: str) -> RawTable:
    try:
        text, encoding = decode_bytes(data)
    except UnreadableText as exc:
        raise ReadError("unreadable_file", detail=str(exc)) from exc
    delimiter = _sniff_delimiter(text, ext)
    # Every cell ends at a separator or a line break: their count bounds the cells before any is made.
    most_cells = text.count(delimiter) + text.count("\n") + text.count("\r") + 1
    if most_cells > MAX_SHEET_CELLS:
        raise ReadError("sheet_too_large", f"{most_cells:,} > {MAX_SHEET_CELLS:,}")
    rows: list[list] = []
    width = 0  # of the widest row, once trailing empty cells are dropped
    filled = 0  # rows up to the last one with a value: these are padded to `width`
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for raw_row in reader:
            cells = [clean(cell) or None for cell in raw_row]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
            if not cells:
                continue
            if len(cells) > MAX_TEXT_COLUMNS:
                raise ReadError("too_many_columns", f"{len(cells):,} > {MAX_TEXT_COLUMNS:,}", row=reader.line_num)
            width, filled = max(width, len(cells)), len(rows)
            if width * filled > MAX_SHEET_CELLS:
                raise ReadError("sheet_too_large", f"{filled:,} × {width:,} > {MAX_SHEET_CELLS:,}",
                                row=reader.line_num)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadError("cell_too_long", f"{MAX_CELL_CHARS:,}", row=reader.line_num) from exc
        raise ReadError("unreadable_file", detail=str(exc), row=reader.line_num) from exc
    rows = _trim(rows[:filled])
    if not rows:
        raise ReadError("empty_file")
    return RawTable(sheet=None, rows=rows, encoding=encoding, delimiter=delimiter)


CELL_REF = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})([0-9]{1,7})"')
DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="(?:[A-Z]+[0-9]+:)?([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _check_zip(data: bytes) -> None:
    """Refuse zip and sheet bombs before calamine allocates anything.

    Calamine materialises a sheet's whole range, so one cell written at XFD1048576
    in a 10 kB file would ask for 17 billion cells: read the furthest cell
    reference from the sheet XML first.
    """
    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            inflated = sum(info.file_size for info in infos)
            if inflated > MAX_UNZIPPED_BYTES:
                raise ReadError("file_too_large", f"{inflated / 1024 / 1024:.0f} MB unzipped")
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _check_sheet_extent(archive, info)
    except zipfile.BadZipFile as exc:
        raise ReadError("unreadable_file", detail=f"not a valid XLSX (zip) file: {exc}") from exc


DIMENSION_FAST = re.compile(rb'dimension ref="(?:[A-Z]+[0-9]+:)?([A-Z]{1,3})([0-9]{1,7})"')
_REF_START = b'c r="'


def _quick_extent(block: bytes) -> tuple[int, int]:
    """At least the furthest row and column that a cell reference in `block` names: every 'c r="'
    followed by one to three capital letters and a digit counts (no "<" or namespace needed before
    it, so text that looks like a reference counts too), its row read from up to seven digits.

    Read with numpy over the bytes: a Python string for each reference cost 0.23 s of a
    100,000-row sheet. A sheet this calls too large is measured again with CELL_REF (a
    string cell holding 'c r="…"' must not reject a file)."""
    raw = np.frombuffer(block, np.uint8)
    if len(raw) < len(_REF_START) + 2:
        return 0, 0
    at = np.flatnonzero(raw[: len(raw) - len(_REF_START)] == _REF_START[0])
    for offset in range(1, len(_REF_START)):
        at = at[raw[at + offset] == _REF_START[offset]]
    if not len(at):
        return 0, 0
    padded = np.concatenate([raw, np.zeros(12, np.uint8)])  # reads past the end see no letter or digit
    ref = at + len(_REF_START)

    def byte(i):
        return padded[i].astype(np.int64)

    def letter(b):
        return (b >= 65) & (b <= 90)

    def digit(b):
        return (b >= 48) & (b <= 57)

    b0, b1, b2 = byte(ref), byte(ref + 1), byte(ref + 2)
    one = letter(b0)
    two = one & letter(b1)
    letters = one.astype(np.int64) + two + (two & letter(b2))
    first = ref + letters  # where the row's digits start
    real = one & digit(byte(first))
    if not real.any():
        return 0, 0
    column = np.where(letters == 1, b0 - 64, (b0 - 64) * 26 + b1 - 64)
    column = np.where(letters == 3, column * 26 + b2 - 64, column)
    row, reading = np.zeros(len(ref), np.int64), real
    for k in range(7):
        b = byte(first + k)
        reading = reading & digit(b)
        row = np.where(reading, row * 10 + b - 48, row)
    return int(row[real].max()), int(column[real].max())


def _check_sheet_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    max_row, max_col = _sheet_extent(archive, info, fast=True)
    if max_row * max_col > MAX_SHEET_CELLS:
        max_row, max_col = _sheet_extent(archive, info, fast=False)
    if max_row * max_col > MAX_SHEET_CELLS:
        name = info.filename.rsplit("/", 1)[-1]
        raise ReadError("sheet_too_large", f"{name}: {max_row} × {max_col}")


def _sheet_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo, fast: bool) -> tuple[int, int]:
    """The furthest row and column any cell reference (or the declared dimension) reaches."""
    max_row = max_col = 0
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            for letters, digits in (DIMENSION_FAST if fast else DIMENSION).findall(block):
                max_col = max(max_col, _column_number(letters))
                max_row = max(max_row, int(digits))
            if fast:
                rows, columns = _quick_extent(block)
                max_row, max_col = max(max_row, rows), max(max_col, columns)
            else:
                for letters, digits in CELL_REF.findall(block):
                    max_col = max(max_col, _column_number(letters))
                    max_row = max(max_row, int(digits))
            tail = block[-64:]
    return max_row, max_col


def _cell(value):
    """Calamine gives str/float/int/bool/date/datetime/time/timedelta."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return clean(value) or None
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, (date, int, float)):
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, (time, timedelta)):
        return str(value)
    return clean(str(value)) or None


def _read_excel(data: bytes) -> list[RawTable]:
    _check_zip(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise ReadError("unreadable_file", detail=str(exc)) from exc
    except Exception as exc:  # calamine raises bare errors on some corrupt files
        raise ReadError("unreadable_file", detail=str(exc)) from exc
    tables = []
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            declared = sheet.total_height * sheet.total_width
            if declared > MAX_SHEET_CELLS:
                raise ReadError("sheet_too_large", f"{name}: {sheet.total_height} × {sheet.total_width}")
            rows = [[_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            rows = _trim(rows)
            if rows:
                tables.append(RawTable(sheet=name, rows=rows))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("unreadable_file", detail=str(exc)) from exc
    finally:
        workbook.close()
    if not tables:
        raise ReadError("empty_file")
    return tables


def _fill_merged(rows: list[list], ranges) -> None:
    """Copy a merged range's value into each of its cells (headers span columns)."""
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        if value is None:
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if row[c] is None:
                    row[c] = value


def _trim(rows: list[list]) -> list[list]:
    """Pad rows to one width and drop trailing empty rows and columns.

    Row positions are kept (leading blank rows stay) so that row numbers in
    messages match what the analyst sees in Excel.
    """
    width = 0
    for row in rows:
        for i in range(len(row) - 1, -1, -1):
            if row[i] is not None:
                width = max(width, i + 1)
                break
    if width == 0:
        return []
    out = [(row + [None] * width)[:width] for row in rows]
    while out and all(c is None for c in out[-1]):
        out.pop()
    return out
