"""A large long-template workbook checked in bulk: calamine's cells to Arrow columns, then
the same DuckDB checks as a large CSV (`etl.fast_long`).

The Python path turns every cell into a Python value (`etl.readers._cell`) and parses it
row by row: about 20 µs a row on top of calamine's read. Here each column is built once:

- text columns (period, unit, indicator, breakdown, note) go to DuckDB as the strings the
  sheet holds, and are resolved per distinct string like a CSV's;
- a number cell in the value, numerator or denominator column goes as `fast_long.TYPED` +
  `repr(float)`, which the checks read as that very number (never as text with Vietnamese
  separators, which could read `23.471` in a count as 23 471);
- columns outside the template only decide whether a row is blank.

It applies only to what it can read exactly like the Python path: one sheet, the header in
its first row, no merged cells, text in the text columns, text or numbers in the number
columns. Anything else (dates as periods,
formulas' booleans, title rows, several sheets…) returns None and the Python path reads
the file. Tests compare both paths on the same workbooks (tests/test_fast_long_excel.py).

    >>> check = check_long_excel(data, "bc.xlsx", min_rows=0)        # doctest: +SKIP
"""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

from etl import fast_long
from etl.layouts import _long_columns
from etl.periods import Period
from etl.readers import MAX_SHEET_CELLS, ReadError, _check_zip, extension_of
from etl.reference import Catalogue, load_catalogue
from etl.text import clean

EXCEL_EXTENSIONS = {".xlsx", ".xlsm"}
TEXT_FIELDS = ("period", "unit", "indicator", "breakdown", "note")
NUMBER_FIELDS = ("value", "numerator", "denominator")
MIN_BYTES_PER_ROW = 8  # a compressed long-template row takes 20 bytes or more (benchmarks: 22)


def check_long_excel(
    data: bytes,
    file_name: str,
    catalogue: Catalogue | None = None,
    period: Period | None = None,
    today: date | None = None,
    *,
    min_rows: int | None = None,
    digest=None,  # str, or a Future computing it (etl.loader.resolve_digest)
):
    """The bulk path's FileCheck for a large long-template workbook, or None (the Python path decides)."""
    if extension_of(file_name) not in EXCEL_EXTENSIONS:
        return None
    min_rows = fast_long.ROW_THRESHOLD if min_rows is None else min_rows
    if len(data) < min_rows * MIN_BYTES_PER_ROW:
        return None  # too small to hold min_rows rows: not worth opening twice
    try:
        _check_zip(data)  # the same bomb guard as the Python path, before calamine allocates
        sheet_name, rows = _read_single_sheet(data, min_rows)
    except ReadError:
        return None  # the Python path reports it
    except Exception:  # noqa: BLE001 - calamine raises bare errors on corrupt files: the Python path reports them
        return None
    if rows is None:
        return None
    header = [clean(c) or None if isinstance(c, str) else c for c in rows[0]]
    if any(c is not None and not isinstance(c, str) for c in header):
        return None
    cols = _long_columns(header)
    if not fast_long.bulk_header(cols):
        return None
    columns = _arrow_columns(rows, len(header), cols)
    if columns is None:
        return None
    catalogue = catalogue or load_catalogue()
    today = today or date.today()
    from etl.loader import resolve_digest

    with ThreadPoolExecutor(1) as hasher:
        hashed = hasher.submit(resolve_digest, data, digest)
        con = fast_long._connect()
        try:
            con.register("sheet_cells", columns)
            result = fast_long._run(
                con, lambda: _raw_from_arrow(con, columns.column_names), header, cols, catalogue, period, today,
                os.path.basename(file_name), sheet_name)
        except duckdb.Error:
            return None
        finally:
            con.close()
        if result is None:
            return None
        return fast_long._file_check(result, file_name, hashed.result(), len(data), cols, sheet_name)


def _read_single_sheet(data: bytes, min_rows: int) -> tuple[str | None, list | None]:
    """(sheet name, rows) of a workbook with one sheet of at least `min_rows` data rows and no merged
    cells; (None, None) otherwise."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        if len(workbook.sheet_names) != 1:
            return None, None
        name = workbook.sheet_names[0]
        sheet = workbook.get_sheet_by_name(name)
        if sheet.total_height * sheet.total_width > MAX_SHEET_CELLS or sheet.total_height - 1 < min_rows:
            return None, None
        if sheet.merged_cell_ranges:
            return None, None
        rows = sheet.to_python(skip_empty_area=False)
    finally:
        workbook.close()
    return (name, rows) if rows else (None, None)


def _arrow_columns(rows: list[list], width: int, cols: dict[str, int]) -> pa.Table | None:
    """The data rows as VARCHAR columns c0… for `fast_long._run`, or None when a cell needs the Python path."""
    if len(rows) < 2:
        return None
    grid = np.array(rows[1:], dtype=object)  # one C pass; a column is then a view (zip(*rows) took 3× as long)
    if grid.ndim != 2 or grid.shape[1] != width:
        return None  # calamine gives a rectangle as wide as its header row; anything else goes the Python way
    role_of = {i: field for field, i in cols.items()}
    arrays = {}
    for i in range(width):
        column = grid[:, i]
        kinds = set(map(type, column))
        field = role_of.get(i)
        if kinds <= {str}:
            array = pa.array(column, pa.string())
        elif field in NUMBER_FIELDS and kinds <= {str, float, int}:
            array = pa.array(_typed_texts(column), pa.string())
            numbers = len(column) - list(map(type, column)).count(str)
            if pc.sum(pc.starts_with(array, fast_long.TYPED)).as_py() != numbers:
                return None  # a text cell that starts like a typed number
        elif field is None and kinds <= {str, float, int, bool, date, datetime, time, timedelta}:
            # outside the template: only whether the cell is empty matters (a blank row is skipped)
            array = pa.array([c if c.__class__ is str else "x" for c in column], pa.string())
        else:
            return None  # a date as a period, a number as a unit name…: the Python path reads those
        arrays[f"c{i}"] = array  # an empty cell ('') becomes NULL in _raw_from_arrow, as in a CSV
    return pa.table(arrays)


def _typed_texts(column) -> list[str]:
    """Text cells as they are, number cells as TYPED + repr(float): each distinct number written once
    (counts repeat; repr was most of the time). Zero is never looked up: 0.0 and -0.0 are equal keys."""
    typed = {}

    def write(c) -> str:
        text = typed[c] = fast_long.TYPED + repr(float(c))
        return text

    return [c if c.__class__ is str else (typed.get(c) if c else None) or write(c) for c in column]


def _raw_from_arrow(con, names: list[str]) -> bool:
    con.execute("CREATE TEMP TABLE raw AS SELECT " + ", ".join(f"nullif({n}, '') AS {n}" for n in names)
                + " FROM sheet_cells")
    return True


__all__ = ["check_long_excel", "EXCEL_EXTENSIONS"]
