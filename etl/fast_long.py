"""The long template read and validated in bulk: DuckDB instead of a Python row loop.

`etl.layouts.parse_long` + `etl.validate.validate_values` handle a file cell by
cell in Python (about 20 µs a row). For a large CSV in the long template this
module gives the same values and the same problems, computed in SQL:

1. DuckDB `read_csv` reads the file (all VARCHAR, `header=true`, the delimiter
   that `etl.readers` would sniff, UTF-8 only: other encodings go the Python way).
2. The few *distinct* period, unit, indicator, breakdown and note strings are
   resolved in Python with the existing functions (`parse_period`, the
   catalogue's `AliasIndex`es, `clean`) and joined back as small tables.
3. Numbers: each distinct (text, unit) pair is read once into a small table:
   the common forms (`1470`, `1.470` in a count, `23,08` in a percent or score)
   in SQL by the rules of `etl.numbers.parse_number`, every other pair by
   `parse_number` itself.
4. One pass joins the file to these small tables and decides each row's fate;
   its facts columns and four flags are kept as Arrow (the facts are a slice of
   it). Only a file with a problem, or with rows a rule may apply to, has the
   pass's every column materialised as a table; the few rows with a parse
   problem are read again in full.
5. Every rule of `etl.validate` runs in bulk: duplicates by counting a dense
   integer key with numpy (or grouping in SQL when the key is too wide); unit
   lifetimes, ranges and future periods as a flag of the main pass, their queries
   run only when a row is flagged; breakdown totals only when there are parts.
   The rows that broke a rule (few) are turned into the same `Problem` records,
   in the same order, by Python.

`etl.fast_long_excel` feeds the same checks from a workbook's cells (`_run` takes
whatever fills the temp table `raw`).

The file's SHA-256 is computed in a thread while DuckDB works, and the blank-line
test (DuckDB skips blank lines) is replaced by comparing DuckDB's record count
with the file's line count; only when they differ is the file searched for one.

`check_long_csv()` returns a `FastCheck` (a `FileCheck` whose values are an Arrow
table, turned into `Value`s only when asked) or `None` when the file is not a
plain UTF-8 long-template CSV (then the Python path decides, as before).

    >>> check = check_long_csv(data, "bc.csv", min_rows=0)           # doctest: +SKIP
    >>> check.ok, check.row_count, check.facts.num_rows              # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import problems as P
from etl.layouts import (
    LONG_HEADERS,
    RATE_TOLERANCE,
    Value,
    _is_long_header,
    _long_columns,
    _text,
    column_letter,
)
from etl.numbers import NumberError, parse_number, parse_yesno
from etl.periods import Period, PeriodError, parse_period
from etl.readers import TEXT_EXTENSIONS, _cell, _sniff_delimiter, extension_of
from etl.reference import Catalogue, load_catalogue
from etl.text import UnreadableText, clean, decode_bytes
from etl.validate import SCORE_RANGES, successor_hint

ROW_THRESHOLD = 50_000  # below this the Python path is fast enough and simpler
MAX_FAST_BYTES = 2 * 1024 ** 3  # the Python path's 50 MB limit guards its per-cell lists; this one does not need it
SAMPLE_BYTES = 256 * 1024
# DuckDB's row group: the facts are handed to the loader in batches of this size, so that a load writes
# whole row groups (DuckDB's own batches of 131,072 rows, some partial, left a small row group after
# each full one: a 2 M-row load wrote 41 MB, not 22)
ROW_GROUP_ROWS = 122_880
# what etl.text.clean turns into nothing: any Unicode space and the zero-width characters
_BLANK = r"[\s\x{85}\x{a0}\x{1680}\x{2000}-\x{200d}\x{2028}\x{2029}\x{202f}\x{205f}\x{2060}\x{3000}\x{feff}]*"
ROLES = ("value", "numerator", "denominator")
FACT_COLUMNS = ["indicator_code", "unit_code", "period_kind", "period_start", "period_end", "breakdown", "value",
                "numerator", "denominator", "note", "source_sheet", "source_row", "prev_start", "prev_end"]


class _Lazy(list):
    """The `values` of a FastCheck: its length is known, the `Value`s are built on first use."""

    def __init__(self, build, n):
        super().__init__()
        self._build, self._n, self._done = build, n, False

    def _fill(self):
        if not self._done:
            self._done = True
            super().extend(self._build())

    def __len__(self):
        return self._n if not self._done else super().__len__()

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __getitem__(self, i):
        self._fill()
        return super().__getitem__(i)

    def __eq__(self, other):
        self._fill()
        return list.__eq__(self, other)

    def __bool__(self):
        return len(self) > 0


def _file_check_class():
    from etl.loader import FileCheck

    return FileCheck


def _may_apply(data: bytes, file_name: str, min_rows: int) -> bool:
    if extension_of(file_name) not in TEXT_EXTENSIONS or len(data) > MAX_FAST_BYTES:
        return False
    return _has_lines(data, min_rows)


def _has_lines(data: bytes, n: int) -> bool:
    """Whether `data` holds at least `n` line breaks, counting only as far as needed (the first
    megabytes of a large file, not its 120 MB)."""
    found, start, step = 0, 0, 1 << 20
    while found < n and start < len(data):
        found += data.count(b"\n", start, start + step)
        start += step
    return found >= n


def _has_blank_line(data: bytes) -> bool:
    # DuckDB skips blank lines, Python counts them: row numbers would differ
    return b"\n\n" in data or b"\n\r\n" in data


def _line_count(data: bytes) -> int:
    # counted a megabyte at a time: bytes.count holds the GIL, and this runs in a thread beside the
    # main one (120 MB in one call held it for 50 ms)
    step = 1 << 20
    breaks = sum(data.count(b"\n", start, start + step) for start in range(0, len(data), step))
    return breaks + (0 if data.endswith(b"\n") else 1)


def _header(data: bytes, file_name: str):
    """(encoding, delimiter, header cells, columns) when the first line is a long-template header."""
    sample = data[:SAMPLE_BYTES]
    cut = sample.rfind(b"\n")
    if cut > 0 and len(data) > SAMPLE_BYTES:
        sample = sample[: cut + 1]
    try:
        text, encoding = decode_bytes(sample)
    except UnreadableText:
        return None
    if encoding not in ("utf-8", "utf-8-sig"):
        return None  # UTF-16, cp1258, TCVN3: the Python path decodes them
    delimiter = _sniff_delimiter(text, extension_of(file_name))
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), None)
    except csv.Error:  # a cell over the field limit: the Python path refuses it with its place
        return None
    if not first:
        return None
    header = [clean(c) or None for c in first]
    cols = _long_columns(header)
    if not bulk_header(cols):
        return None
    return encoding, delimiter, header, cols


def bulk_header(cols: dict[str, int]) -> bool:
    """A long-template header with a period column (a period in a title row goes the Python way)."""
    return _is_long_header(cols) and "period" in cols


def _scratch_dir() -> str | None:
    """Where DuckDB reads the file from: memory (/dev/shm) when the system has it, else the temp folder.
    Writing a 120 MB file to disk took up to 0.2 s under load; to tmpfs it is a memory copy."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


_SCRATCH: duckdb.DuckDBPyConnection | None = None  # one in-memory database per process for the checks
_SCRATCH_LOCK = threading.Lock()


def _connect():
    """A connection of its own (temp tables, registered frames) to the process's scratch database:
    opening a new in-memory database each time took 20–40 ms, a cursor under 1 ms."""
    global _SCRATCH
    with _SCRATCH_LOCK:
        if _SCRATCH is None:
            _SCRATCH = duckdb.connect()
        con = _SCRATCH.cursor()
    con.execute("PRAGMA disable_progress_bar")
    return con


def _sql_text(text: str | None) -> str:
    return "NULL::VARCHAR" if text is None else "'" + text.replace("'", "''") + "'"


# ------------------------------------------------------------------ Python on distinct values
def _period_table(raws, override):
    rows = []
    for raw in raws:
        key = _text(raw)
        try:
            p = parse_period(clean(raw) or None)
        except PeriodError:
            p = None
        if p is None:
            rows.append((raw, key, "bad", None, None, None, None, None, None))
            continue
        if override and p != override:
            rows.append((raw, key, "conflict", p.kind, p.start, p.end, p.code, None, None))
            continue
        prev = p.previous()
        rows.append((raw, key, "ok", p.kind, p.start, p.end, p.code,
                     prev.start if prev else None, prev.end if prev else None))
    return pd.DataFrame(rows, columns=["raw", "key", "status", "kind", "start", "end_", "code", "prev_start",
                                       "prev_end"]).astype({"raw": "string", "code": "string"})


def _name_table(raws, index):
    rows = []
    for raw in raws:
        text = _text(raw)
        rows.append((raw, text, index.match(text) if text else None))
    return pd.DataFrame(rows, columns=["raw", "text", "code"]).astype("string")


def _unit_table(con, raws, periods, c, catalogue: Catalogue):
    """u_map: the unit of each distinct unit text, and of each (text, period) pair where the text
    names one unit before the 2025 reform and another after (Catalogue.match_unit decides, as the
    Python path does row by row). A row of `raw` joins the pair row when `by_period`, else the text's."""
    units = _name_table(raws, catalogue.unit_index)
    units["by_period"], units["praw"] = False, pd.array([None] * len(units), dtype="string")
    reused = [raw for raw in raws if raw is not None and catalogue.unit_depends_on_period(_text(raw))]
    if not reused:
        return units
    span = {raw: (start, end) for raw, status, start, end in
            periods[["raw", "status", "start", "end_"]].itertuples(index=False) if status == "ok"}
    pairs = con.execute(f"SELECT DISTINCT {c['unit']}, {c['period']} FROM raw WHERE {c['unit']} IN "
                        f"(SELECT unnest(?::VARCHAR[]))", [reused]).fetchall()
    by_period = pd.DataFrame(
        [(u_raw, _text(u_raw), catalogue.match_unit(_text(u_raw), *span.get(p_raw, (None, None))), True, p_raw)
         for u_raw, p_raw in pairs], columns=["raw", "text", "code", "by_period", "praw"])
    by_period = by_period.astype({"raw": "string", "text": "string", "code": "string", "praw": "string"})
    return pd.concat([units[~units["raw"].isin(reused)], by_period], ignore_index=True)


def _add_ids(frame, keys, valid):
    """frame["kid"]: the same small integer for the same key (1, 2 …), NULL where not `valid`."""
    ids = {}
    frame["kid"] = pd.array([ids.setdefault(k, len(ids) + 1) if ok else None for k, ok in zip(keys, valid)],
                            dtype="Int64")


def _categorical(codes: pd.Series) -> pd.Categorical:
    """A small table's code column as DuckDB reads it into an ENUM and hands it back as an Arrow
    dictionary: the main pass never turns its 2 M rows into strings. One category a distinct code
    (several spellings of a unit share it); NULL stays NULL."""
    return pd.Categorical(codes, categories=sorted(set(codes.dropna())))


def _read_cell(raw, unit: str):
    """parse_long's _parse_cell on one cleaned cell: (value, error code, expected, decision)."""
    if unit == "yesno":
        try:
            flag = parse_yesno(raw)
        except NumberError:
            return None, "bad_yesno", "x / có / không", None
        return (None if flag is None else float(flag)), None, None, None
    try:
        value, decision = parse_number(raw, unit)
    except NumberError as exc:
        return None, "bad_number", getattr(exc, "expected", "a number"), None
    return value, None, None, decision


# ------------------------------------------------------------------ the SQL
# A spreadsheet's number cell reaches the SQL as TYPED + repr(float): read as that number (as
# parse_number reads a float), never as text with Vietnamese separators (etl.fast_long_excel).
TYPED = "\x01"
_FAST_NUMBER = """CASE
    WHEN {c} IS NULL THEN NULL
    WHEN {u} <> 'yesno' AND regexp_full_match({c}, '\x01-?[0-9][0-9.e+-]*') THEN CAST(substr({c}, 2) AS DOUBLE)
    WHEN {u} <> 'yesno' AND regexp_full_match({c}, '[0-9]{{1,15}}') THEN CAST({c} AS DOUBLE)
    WHEN {u} = 'count' AND regexp_full_match({c}, '[0-9]{{1,3}}(\\.[0-9]{{3}})+') THEN CAST(replace({c}, '.', '') AS DOUBLE)
    WHEN {u} IN ('percent', 'score') AND regexp_full_match({c}, '[0-9]{{1,15}},[0-9]{{1,15}}') THEN CAST(replace({c}, ',', '.') AS DOUBLE)
END"""


def check_long_csv(
    data: bytes,
    file_name: str,
    catalogue: Catalogue | None = None,
    period: Period | None = None,
    today: date | None = None,
    *,
    min_rows: int | None = None,
    digest=None,  # str, or a Future computing it (etl.loader.resolve_digest)
):
    """The fast path's FileCheck, or None when the Python path must decide.

    `min_rows` defaults to `ROW_THRESHOLD` (read at call time, so tests can lower it).
    """
    if not _may_apply(data, file_name, ROW_THRESHOLD if min_rows is None else min_rows):
        return None
    found = _header(data, file_name)
    if found is None:
        return None
    catalogue = catalogue or load_catalogue()
    today = today or date.today()
    from etl.loader import resolve_digest

    encoding, delimiter, header, cols = found
    # the line count, then the hash (OpenSSL releases the GIL), are computed while DuckDB reads and
    # checks the file: the count is needed only once DuckDB has read it
    hasher = ThreadPoolExecutor(1)
    lines = hasher.submit(_line_count, data)
    hashed = hasher.submit(resolve_digest, data, digest)
    con = _connect()
    fd, tmp = tempfile.mkstemp(suffix=".csv", dir=_scratch_dir())
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            result = _run(con, lambda: _read_csv_raw(con, tmp, delimiter, len(header), lines, data),
                          header, cols, catalogue, period, today, os.path.basename(file_name))
        except duckdb.Error:
            return None  # ragged rows, invalid UTF-8 further down…: the Python path reads it
    finally:
        con.close()
        os.unlink(tmp)
        hasher.shutdown(wait=False)
    if result is None:
        return None
    return _file_check(result, file_name, hashed.result(), len(data), cols)


def _file_check(result, file_name: str, digest: str, size: int, cols: dict, sheet: str | None = None):
    """The FileCheck of a checked long table: values built from the Arrow facts only when asked."""
    facts, problems, n = result
    name = os.path.basename(file_name)
    FileCheck = _file_check_class()

    def build():
        return _values_from_arrow(facts)

    values = _Lazy(build, n)
    values.facts = facts  # the loader inserts this table directly (etl.loader._facts_frame)
    # what the upload page shows, as the Python path records it (header on row 1; periods per row)
    from etl.layouts import SheetLayout, column_letter

    sheets = [SheetLayout(sheet, "long", (1, 1), None, fields={
        column_letter(i): field for field, i in sorted(cols.items(), key=lambda kv: kv[1])})]
    return FileCheck(name, digest, size, "long", values, problems, sheets)


def _values_from_arrow(facts: pa.Table) -> list[Value]:
    out = []
    for r in facts.sort_by("source_row").to_pylist():
        out.append(Value(r["indicator_code"], r["unit_code"], Period(r["period_kind"], r["period_start"], r["period_end"]),
                         r["breakdown"], r["value"], r["numerator"], r["denominator"], r["note"],
                         r["source_sheet"], r["source_row"]))
    return out


def _read_csv_raw(con, path, delimiter, width, lines: Future, data) -> bool:
    """The CSV's cells as the temp table `raw` (c0, c1… VARCHAR, one row a line after the header);
    `lines` is the file's line count, being counted meanwhile."""
    names = [f"c{i}" for i in range(width)]
    con.execute(f"""
        CREATE TEMP TABLE raw AS
        SELECT * FROM read_csv(?, header = true, all_varchar = true, delim = ?, quote = '"', escape = '"',
                      null_padding = true, encoding = 'utf-8', auto_detect = false,
                      columns = {{{', '.join(f"'{n}': 'VARCHAR'" for n in names)}}})""",
        [path, delimiter])
    # every line a record (header included): no blank line was skipped. Otherwise look for one.
    return (con.execute("SELECT count(*) FROM raw").fetchall()[0][0] + 1 == lines.result()
            or not _has_blank_line(data))


def _run(con, read_raw, header, cols, catalogue, override, today, name, sheet=None):
    """Check the long table that `read_raw()` puts in the temp table `raw` (row i is the file's row i + 2;
    it returns False when the Python path must read the file instead). Returns (facts, problems, n) or None."""
    if not read_raw():
        return None
    width = len(header)
    c = {k: f"c{i}" for k, i in cols.items()}
    col_label = {k: f"{column_letter(i)} ({_text(header[i])})" for k, i in cols.items()}
    value_col = "value" if "value" in cols else "numerator"

    # 1. dimensions: distinct strings resolved by the existing Python functions, joined back as small tables
    def distinct(col):
        return [r[0] for r in con.execute(f"SELECT DISTINCT {col} FROM raw").fetchall()]

    periods = _period_table(distinct(c["period"]), override)
    units = _unit_table(con, distinct(c["unit"]), periods, c, catalogue)
    inds = _name_table(distinct(c["indicator"]), catalogue.indicator_index)
    info = {k: (v.unit, v.aggregation) for k, v in catalogue.indicators.items()}
    inds["unit"] = pd.array([info.get(code, (None, None))[0] if isinstance(code, str) else None
                             for code in inds["code"]], dtype="string")
    inds["aggregation"] = pd.array([info.get(code, (None, None))[1] if isinstance(code, str) else None
                                    for code in inds["code"]], dtype="string")
    life = {u.code: (u.valid_from, u.valid_to) for u in catalogue.units.values()}
    for i, col in enumerate(("valid_from", "valid_to")):
        units[col] = pd.to_datetime(pd.Series([life.get(code, (None, None))[i] if isinstance(code, str) else None
                                               for code in units["code"]], dtype="object")).dt.date
    # dense ids of the key's parts (indicator, unit, period start and end, breakdown): the duplicate check groups
    # rows by one integer made of them instead of five columns
    _add_ids(periods, list(zip(periods["start"], periods["end_"])), periods["status"] == "ok")
    _add_ids(units, list(units["code"]), units["code"].notna())
    _add_ids(inds, list(inds["code"]), inds["code"].notna())
    periods["kind_cat"], units["code_cat"], inds["code_cat"] = (
        _categorical(periods["kind"]), _categorical(units["code"]), _categorical(inds["code"]))
    sizes = [len(periods) + 1, len(units) + 1, len(inds) + 1]
    con.register("p_map", periods)
    con.register("u_map", units)
    ranges = [SCORE_RANGES.get(code) if isinstance(code, str) else None for code in inds["code"]]
    inds["lo"] = pd.array([r[0] if r else None for r in ranges], dtype="Float64")
    inds["hi"] = pd.array([r[1] if r else None for r in ranges], dtype="Float64")
    con.register("i_map", inds)
    joins = [f"LEFT JOIN p_map p ON p.raw IS NOT DISTINCT FROM r.{c['period']}",
             f"LEFT JOIN u_map u ON u.raw IS NOT DISTINCT FROM r.{c['unit']}"
             f" AND (NOT u.by_period OR u.praw IS NOT DISTINCT FROM r.{c['period']})",
             f"LEFT JOIN i_map i ON i.raw IS NOT DISTINCT FROM r.{c['indicator']}"]
    # a breakdown or note column left empty in every row is not joined at all
    bd_raws = distinct(c["breakdown"]) if "breakdown" in cols else [None]
    if bd_raws != [None]:
        b_map = _name_table(bd_raws, catalogue.breakdown_index)
        _add_ids(b_map, [code or "" for code in b_map["code"].fillna("")], b_map["code"].notna() | True)
        b_map["code_cat"] = _categorical(b_map["code"].fillna(""))
        sizes.append(len(b_map) + 2)
        con.register("b_map", b_map)
        joins.append(f"LEFT JOIN b_map b ON b.raw IS NOT DISTINCT FROM r.{c['breakdown']}")
        bd_text, bd_code, bd_id, bd_cat = "b.text", "b.code", "b.kid", "b.code_cat"
    else:
        bd_text, bd_code, bd_id, bd_cat = "''", "''", "0", "NULL"
        sizes.append(1)
    key_id = "NULL::BIGINT"
    if sizes[0] * sizes[1] * sizes[2] * sizes[3] < 2 ** 62:  # else no id: the hash of the key is grouped instead
        key_id = f"((CAST(i.kid AS BIGINT) * {sizes[1]} + u.kid) * {sizes[0]} + p.kid) * {sizes[3]} + {bd_id}"
    note_raws = distinct(c["note"]) if "note" in cols else [None]
    if note_raws != [None]:
        notes = pd.DataFrame([(raw, _text(raw) or None) for raw in note_raws],
                             columns=["raw", "note"]).astype("string")
        notes["note_cat"] = _categorical(notes["note"])
        con.register("n_map", notes)
        joins.append(f"LEFT JOIN n_map n ON n.raw IS NOT DISTINCT FROM r.{c['note']}")
        note_sel, note_cat = "n.note", "n.note_cat"
    else:
        note_sel, note_cat = "NULL::VARCHAR", "NULL"

    # 2. numbers: each distinct (text, unit) read once, the common forms in SQL, the rest by parse_number.
    # A number column left empty in every row (numerator and denominator in a file of values) is not joined.
    in_file = [role for role in ROLES if role in cols]
    counts = con.execute(f"SELECT {', '.join(f'count({c[role]})' for role in in_file)} FROM raw").fetchone()
    filled = [role for role, n in zip(in_file, counts) if n]
    role_unit = {"value": "i.unit", "numerator": "'count'", "denominator": "'count'"}
    pairs = " UNION ".join(
        f"SELECT DISTINCT r.{c[role]} AS raw, {role_unit[role]} AS unit FROM raw r "
        + (joins[2] if role == "value" else "")
        + f" WHERE r.{c[role]} IS NOT NULL" + (" AND i.unit IS NOT NULL" if role == "value" else "")
        for role in filled) or "SELECT NULL::VARCHAR AS raw, NULL::VARCHAR AS unit WHERE FALSE"
    con.execute(f"""CREATE TEMP TABLE num_fast AS
        SELECT raw, unit, {_FAST_NUMBER.format(c='raw', u='unit')} AS fv FROM ({pairs})""")
    slow_rows = []
    for raw, unit in con.execute("SELECT raw, unit FROM num_fast WHERE fv IS NULL").fetchall():
        if raw.startswith(TYPED):  # a number cell (yes-no, inf…): parse_number / parse_yesno on the number
            number = _cell(float(raw[1:]))  # what etl.readers gives the Python path: whole floats as int
            value, err, expected, decision = _read_cell(number, unit)
            slow_rows.append((raw, unit, False, value, err, expected, decision, _text(number)))
            continue
        cell = clean(raw) or None
        if cell is None:
            slow_rows.append((raw, unit, True, None, None, None, None, None))
            continue
        value, err, expected, decision = _read_cell(cell, unit)
        slow_rows.append((raw, unit, False, value, err, expected, decision, cell))
    slow = pd.DataFrame(slow_rows, columns=["raw", "unit", "empty", "value", "err", "expected", "decision", "cell"])
    slow = slow.astype({"raw": "string", "unit": "string", "err": "string", "expected": "string",
                        "decision": "string", "cell": "string", "value": "float64", "empty": "bool"})
    con.register("slow", slow)
    con.execute("""CREATE TEMP TABLE num AS
        SELECT f.raw, f.unit, coalesce(s.empty, FALSE) AS empty,
               CASE WHEN s.empty THEN NULL ELSE coalesce(f.fv, s.value) END AS value,
               s.err, s.expected, s.decision, s.cell
        FROM num_fast f LEFT JOIN slow s ON s.raw = f.raw AND s.unit = f.unit""")
    num_cols = []
    for role in ROLES:
        if role in filled:
            s = f"s_{role}"
            joins.append(f"LEFT JOIN num {s} ON {s}.raw = r.{c[role]} AND {s}.unit = {role_unit[role]}")
            num_cols.append(f"""{s}.value AS v_{role}, coalesce(NOT {s}.empty, FALSE) AS has_{role},
                {s}.err AS err_{role}, {s}.expected AS exp_{role}, {s}.decision AS dec_{role}, {s}.cell AS cell_{role},
                r.{c[role]} AS raw_{role}""")
        else:
            num_cols.append(f"""NULL::DOUBLE AS v_{role}, FALSE AS has_{role}, NULL::VARCHAR AS err_{role},
                NULL::VARCHAR AS exp_{role}, NULL::VARCHAR AS dec_{role}, NULL::VARCHAR AS cell_{role},
                NULL::VARCHAR AS raw_{role}""")
    join_sql = " ".join(joins)
    # a row with a known unit, indicator or period is no blank row (the common case first: CASE tests
    # the next condition only on the rows left, so most rows never have their cells coalesced)
    blank_all = f"""CASE WHEN u.code IS NOT NULL OR i.code IS NOT NULL OR p.status = 'ok' THEN FALSE
                    WHEN coalesce({', '.join(f"r.c{i}" for i in range(width))}) IS NULL THEN TRUE
                    ELSE ({' AND '.join(f"(r.c{i} IS NULL OR regexp_full_match(r.c{i}, '{_BLANK}'))" for i in range(width))})
               END"""

    # 3. the row's fate, in parse_long's order of checks: one pass over the file.
    # Its facts columns and a few flags are kept as Arrow (the facts are a slice of it); the rest (the
    # fate as text, the indicator's unit…) is converted only for files that need it: `full()` below.
    decide_sql = f"""
        SELECT indicator_code, unit_code, kind AS period_kind, start AS period_start, end_ AS period_end,
               coalesce(b_code, '') AS breakdown,
               CASE WHEN aggregation = 'ratio' AND v_numerator IS NOT NULL AND v_denominator IS NOT NULL
                    THEN CASE WHEN v_denominator = 0 THEN NULL ELSE 100.0 * v_numerator / v_denominator END
                    ELSE v_value END AS value,
               v_numerator AS numerator, v_denominator AS denominator, note, {_sql_text(sheet)} AS source_sheet,
               CAST(rownum AS INTEGER) AS source_row, prev_start, prev_end,
               fate, has_dec, p_code, ind_unit, aggregation, unit_out, key_id, i_cat, u_cat, k_cat, b_cat, n_cat,
               value IS NOT NULL AND NOT coalesce(numerator > denominator, FALSE)
                 AND ((ind_unit = 'percent' AND NOT (value BETWEEN 0 AND 100))
                   OR (ind_unit = 'count' AND (value < 0 OR value <> floor(value)))
                   OR (ind_unit = 'score' AND NOT (value BETWEEN coalesce(lo, 0) AND coalesce(hi, 100)))) AS range_bad,
               -- any rule of validate_values may apply to the row: clean files skip the rule queries
               coalesce(unit_out, FALSE) OR coalesce(numerator < 0 OR denominator < 0 OR numerator > denominator, FALSE)
                 OR coalesce(range_bad, FALSE) OR period_start > DATE '{today.isoformat()}' AS flagged,
               coalesce(aggregation = 'sum' AND value IS NOT NULL AND breakdown <> '', FALSE) AS sum_part
        FROM (
          SELECT *,
            CASE WHEN blank_all THEN 'blank'
                 WHEN p_status = 'bad' THEN 'bad_period'
                 WHEN p_status = 'conflict' THEN 'period_conflict'
                 WHEN unit_code IS NULL THEN 'unknown_unit'
                 WHEN indicator_code IS NULL THEN 'unknown_indicator'
                 WHEN b_text IS NOT NULL AND b_text <> '' AND b_code IS NULL THEN 'unknown_breakdown'
                 WHEN coalesce(err_value, err_numerator, err_denominator) IS NOT NULL THEN 'bad_cell'
                 WHEN NOT (has_value OR has_numerator OR has_denominator) THEN 'missing_value'
                 WHEN aggregation = 'ratio' AND v_numerator IS NOT NULL AND v_denominator IS NOT NULL THEN
                      CASE WHEN v_denominator = 0 AND v_numerator <> 0 THEN 'zero_denominator'
                           WHEN v_denominator = 0 THEN 'ok'
                           WHEN v_value IS NOT NULL AND abs(v_value - 100.0 * v_numerator / v_denominator) > {RATE_TOLERANCE}
                                THEN 'rate_mismatch'
                           ELSE 'ok' END
                 WHEN v_value IS NULL AND aggregation = 'ratio' THEN 'missing_value'
                 ELSE 'ok' END AS fate,
            coalesce(dec_value, dec_numerator, dec_denominator) IS NOT NULL AS has_dec
          FROM (
            SELECT r.rowid + 2 AS rownum, {blank_all} AS blank_all,
                   p.status AS p_status, p.kind, p.start, p.end_, p.code AS p_code, p.prev_start, p.prev_end,
                   u.code AS unit_code, i.code AS indicator_code, {bd_text} AS b_text, {bd_code} AS b_code,
                   {note_sel} AS note, i.unit AS ind_unit, i.aggregation,
                   {key_id} AS key_id, i.lo, i.hi,
                   i.code_cat AS i_cat, u.code_cat AS u_cat, p.kind_cat AS k_cat, {bd_cat} AS b_cat,
                   {note_cat} AS n_cat,
                   (u.valid_from IS NOT NULL AND p.end_ < u.valid_from)
                     OR (u.valid_to IS NOT NULL AND p.start > u.valid_to) AS unit_out,
                   {', '.join(num_cols)}
            FROM raw r {join_sql}))"""
    # the text columns leave DuckDB as ENUMs, i.e. Arrow dictionaries (materialising 2 M strings cost
    # more than the checks themselves); the facts columns are these, with the constant ones added
    # by _facts_columns
    slim = con.sql(f"""SELECT i_cat AS indicator_code, u_cat AS unit_code, k_cat AS period_kind,
                              period_start, period_end, b_cat AS breakdown, value, numerator, denominator,
                              n_cat AS note, source_row, prev_start, prev_end,
                              fate = 'ok' AS ok, {_LOOK_AGAIN} AS look_again,
                              key_id, flagged, sum_part FROM ({decide_sql})""").to_arrow_table()

    def full() -> None:
        """The temp table `decided` (every column of the pass) and the view `vals` (its values), once."""
        if not full.done:
            full.done = True
            con.execute(f"CREATE TEMP TABLE decided AS {decide_sql}")
            con.execute("CREATE TEMP VIEW vals AS SELECT * FROM decided WHERE fate = 'ok'")
    full.done = False

    # rows with a parse problem (errors, and number warnings on rows that go on): few, read again in full
    problem_rows = []
    if pc.any(slim["look_again"]).as_py():
        full()
        problem_rows = _problem_rows(con, join_sql, bd_text, num_cols)
    problems = _parse_problems(problem_rows, cols, col_label, value_col, catalogue, name, override, sheet)

    # 4. the values, and validate_values (in SQL, over `vals`, only where a rule may apply)
    n = pc.sum(slim["ok"]).as_py() or 0
    facts = slim if n == slim.num_rows else slim.filter(slim["ok"])
    problems += _validation_problems(con, catalogue, name, today, facts, sheet, full)
    if n == 0 and not P.has_errors(problems):
        problems.append(P.make("no_values", file=name))  # the Python path names no sheet either
    facts = _facts_columns(facts, has_breakdown=bd_raws != [None], has_note=note_raws != [None], sheet=sheet)
    return facts, problems, n


def _facts_columns(slim: pa.Table, *, has_breakdown: bool, has_note: bool, sheet: str | None) -> pa.Table:
    """The facts (FACT_COLUMNS) of the value rows of the main pass: its own columns, and the ones the file
    leaves constant (no breakdown or note column, the sheet) as a one-entry dictionary each; in batches of
    ROW_GROUP_ROWS rows."""
    own = slim.select([name for name in FACT_COLUMNS if name in slim.column_names])
    own = pa.Table.from_batches(own.combine_chunks().to_batches(ROW_GROUP_ROWS), own.schema)

    def constant(text: str | None) -> pa.ChunkedArray:
        if text is None:
            return _constant_like(own["source_row"], pa.scalar(None, pa.string()))
        return _constant_like(own["source_row"], pa.scalar(text, pa.dictionary(pa.int32(), pa.string())))

    columns = {name: own[name] for name in own.column_names}
    if not has_breakdown:
        columns["breakdown"] = constant("")
    if not has_note:
        columns["note"] = constant(None)
    columns["source_sheet"] = constant(sheet)
    return pa.table({name: columns[name] for name in FACT_COLUMNS})


# rows whose problems are read again in full: errors, and number warnings on rows that go on
_LOOK_AGAIN = """(fate NOT IN ('ok', 'blank')
                  OR (fate IN ('ok', 'missing_value', 'zero_denominator', 'rate_mismatch') AND has_dec))"""


def _problem_rows(con, join_sql, bd_text, num_cols):
    """The few rows that make a parse problem, with every detail, in row order."""
    con.execute(f"""CREATE TEMP TABLE bad AS
        SELECT source_row AS rownum, fate FROM decided WHERE {_LOOK_AGAIN}""")
    if not con.execute("SELECT count(*) FROM bad").fetchall()[0][0]:
        return []
    return con.execute(f"""
        SELECT d.rownum, d.fate, x.p_key, x.p_code, x.u_text, x.i_text, x.b_text,
               {', '.join(f"x.raw_{role}, x.err_{role}, x.exp_{role}, x.dec_{role}, x.cell_{role}" for role in ROLES)},
               x.v_value, x.v_numerator, x.v_denominator
        FROM bad d JOIN (
            SELECT r.rowid + 2 AS rn, p.key AS p_key, p.code AS p_code, u.text AS u_text, i.text AS i_text,
                   {bd_text} AS b_text, {', '.join(num_cols)}
            FROM (SELECT rowid, * FROM raw WHERE rowid + 2 IN (SELECT rownum FROM bad)) r {join_sql}) x
          ON x.rn = d.rownum
        ORDER BY d.rownum""").fetchall()


def _parse_problems(rows, cols, col_label, value_col, catalogue, name, override, sheet=None):
    out = []
    for (rownum, fate, p_key, p_code, u_text, i_text, b_text, *rest) in rows:
        cells = {role: rest[i * 5: i * 5 + 5] for i, role in enumerate(ROLES)}
        v_value, v_num, v_den = rest[15:18]
        base = {"file": name, "sheet": sheet, "row": rownum}
        if fate == "bad_period":
            out.append(P.make("bad_period", value=p_key, expected="Tháng 3/2024, Quý I/2024, 2024-03 …",
                              column=col_label["period"], **base))
            continue
        if fate == "period_conflict":
            out.append(P.make("period_conflict", value=p_code, expected=override.code,
                              column=col_label["period"], **base))
            continue
        if fate == "unknown_unit":
            out.append(P.make("unknown_unit", value=u_text or "", column=col_label["unit"],
                              **P.suggestion_hints(catalogue.unit_index.suggest(u_text or "")), **base))
            continue
        if fate == "unknown_indicator":
            out.append(P.make("unknown_indicator", value=i_text or "", column=col_label["indicator"],
                              **P.suggestion_hints(catalogue.indicator_index.suggest(i_text or "")), **base))
            continue
        if fate == "unknown_breakdown":
            out.append(P.make("unknown_breakdown", value=b_text, column=col_label["breakdown"],
                              **P.suggestion_hints(catalogue.breakdown_index.suggest(b_text)), **base))
            continue
        for role in ROLES:
            raw, err, expected, decision, cell = cells[role]
            if role not in cols:
                continue
            if err:
                out.append(P.make(err, value=cell, expected=expected, column=col_label[role], **base))
            elif decision:
                out.append(P.make("number_interpretation", value=cell, expected=decision, column=col_label[role], **base))
        where = {**base, "column": col_label[value_col]}
        if fate == "missing_value":
            out.append(P.make("missing_value", **where))
        elif fate == "zero_denominator":
            out.append(P.make("zero_denominator", value=v_num, **where))
        elif fate == "rate_mismatch":
            out.append(P.make("rate_mismatch", value=f"{v_value:g}", expected=f"{100.0 * v_num / v_den:.2f}", **where))
    return out


def _fmt(x: float) -> str:
    return f"{x:g}"


def _maybe_duplicates(con, vals: pa.Table, full) -> bool:
    """Whether two values may share a key: counted per key id by numpy when the ids are few, else grouped in SQL."""
    if not vals.num_rows:
        return False
    if vals["key_id"].null_count == 0:
        keys = vals["key_id"].to_numpy()
        top = int(keys.max())
        if top < 16_000_000:
            seen = np.zeros(top + 1, dtype=np.bool_)  # one byte a possible key: cheaper than counting each
            seen[keys] = True
            return int(np.count_nonzero(seen)) < len(keys)
    full()
    return con.execute("""SELECT count(*) FROM (
        SELECT coalesce(key_id, hash(indicator_code, unit_code, period_start, period_end, breakdown)) AS h
        FROM vals GROUP BY h HAVING count(*) > 1)""").fetchall()[0][0] > 0


def _any(vals: pa.Table, flag: str) -> bool:
    """Whether any value row has the boolean column `flag` set."""
    return bool(vals.num_rows) and bool(pc.any(vals[flag]).as_py())


def _validation_problems(con, catalogue, name, today, vals, sheet, full):
    """validate_values in SQL: (row, order) -> Problem, then the breakdown totals.

    `vals` is the Arrow table of the values (key_id, flagged, sum_part among its columns);
    `full()` makes the SQL view `vals` with every column, which only the rules that may
    apply need."""
    low_high = ", ".join(f"('{k}', {lo}, {hi})" for k, (lo, hi) in SCORE_RANGES.items()) or "('', 0, 100)"
    # duplicates and future periods are rare: found first, joined back only when there are some
    # a hash of the key first (one column to group by); the exact key only when two rows share a hash
    maybe_dup = _maybe_duplicates(con, vals, full)
    # every other rule only where the main pass flagged a row (none, in a clean file)
    flagged = _any(vals, "flagged")
    has_parts = _any(vals, "sum_part")
    if not (maybe_dup or flagged or has_parts):
        return []
    full()
    con.execute(f"""CREATE TEMP TABLE dup AS
        SELECT indicator_code, unit_code, period_start, period_end, breakdown, min(source_row) AS first_row
        FROM vals {'' if maybe_dup else 'WHERE FALSE'} GROUP BY ALL HAVING count(*) > 1""")
    con.execute(f"""CREATE TEMP TABLE fut AS
        SELECT period_kind, period_start, period_end, min(source_row) AS first_of_period
        FROM vals WHERE {'' if flagged else 'FALSE AND'} period_start > $1 GROUP BY ALL""", [today])
    has_dup = con.execute("SELECT count(*) FROM dup").fetchall()[0][0] > 0
    has_fut = con.execute("SELECT count(*) FROM fut").fetchall()[0][0] > 0
    branches = []
    if has_fut:
        branches.append("""SELECT first_of_period, 1, 'future_period', any_value(v.p_code), NULL::VARCHAR, NULL::DOUBLE, NULL::DOUBLE
            FROM fut JOIN vals v ON v.source_row = fut.first_of_period GROUP BY ALL""")
    if flagged:
        branches.append("""SELECT v.source_row, 2, 'unit_not_in_period', v.unit_code, v.p_code, NULL::DOUBLE, NULL::DOUBLE
            FROM vals v WHERE unit_out""")
    if has_dup:
        branches.append("""SELECT v.source_row, 3, 'duplicate_row', v.indicator_code, NULL, dup.first_row, NULL
            FROM vals v JOIN dup USING (indicator_code, unit_code, period_start, period_end, breakdown)
            WHERE v.source_row <> dup.first_row""")
    if flagged:
        branches.append(f"""SELECT source_row, 4, 'negative_count', 'numerator', NULL, numerator, NULL FROM vals WHERE numerator < 0
        UNION ALL
        SELECT source_row, 5, 'negative_count', 'denominator', NULL, denominator, NULL FROM vals WHERE denominator < 0
        UNION ALL
        SELECT source_row, 6, 'numerator_above_denominator', NULL, NULL, numerator, denominator FROM vals WHERE numerator > denominator
        UNION ALL
        SELECT v.source_row, 7,
               CASE WHEN ind_unit = 'percent' AND NOT (value BETWEEN 0 AND 100) THEN 'percent_out_of_range'
                    WHEN ind_unit = 'count' AND value < 0 THEN 'negative_count'
                    WHEN ind_unit = 'count' AND value <> floor(value) THEN 'fractional_count'
                    WHEN ind_unit = 'score' AND NOT (value BETWEEN coalesce(r.lo, 0) AND coalesce(r.hi, 100)) THEN 'score_out_of_range'
               END AS code, NULL, v.indicator_code, value, NULL
        FROM (SELECT * FROM vals WHERE range_bad) v LEFT JOIN (SELECT * FROM (VALUES {low_high}) t(code, lo, hi)) r
          ON r.code = v.indicator_code
        WHERE value IS NOT NULL AND NOT coalesce(numerator > denominator, FALSE)
          AND ((ind_unit = 'percent' AND NOT (value BETWEEN 0 AND 100))
            OR (ind_unit = 'count' AND (value < 0 OR value <> floor(value)))
            OR (ind_unit = 'score' AND NOT (value BETWEEN coalesce(r.lo, 0) AND coalesce(r.hi, 100))))""")
    found = [] if not branches else con.execute(" UNION ALL ".join(branches) + """
        ORDER BY 1, 2""").fetchall()
    out = []
    for row, _order, code, a, t2, b, c in found:
        base = {"file": name, "sheet": sheet, "row": row}
        if code == "future_period":
            out.append(P.make(code, value=a, expected=f"≤ {today.isoformat()}", **base))
        elif code == "unit_not_in_period":
            unit = catalogue.units[a]
            hint = successor_hint(catalogue, unit, parse_period(t2).start)
            out.append(P.make(code, value=unit.name_vi, period=t2,
                              expected=f"{unit.valid_from or '…'} – {unit.valid_to or '…'}", **hint, **base))
        elif code == "duplicate_row":
            out.append(P.make(code, value=a, first_row=int(b), **base))
        elif code == "negative_count" and a in ("numerator", "denominator"):
            out.append(P.make(code, value=_fmt(b), column=a, **base))
        elif code == "numerator_above_denominator":
            out.append(P.make(code, value=_fmt(b), expected=_fmt(c), **base))
        elif code == "percent_out_of_range":
            out.append(P.make(code, value=_fmt(b), expected="0–100", **base))
        elif code == "negative_count":
            out.append(P.make(code, value=_fmt(b), expected="≥ 0", **base))
        elif code == "fractional_count":
            out.append(P.make(code, value=_fmt(b), expected="0, 1, 2 …", **base))
        elif code == "score_out_of_range":
            lo, hi = SCORE_RANGES.get(t2, (0.0, 100.0))
            out.append(P.make(code, value=_fmt(b), expected=f"{lo:g}–{hi:g}", **base))
    # breakdown totals: each dimension of a sum indicator adds up to its total row (the last one)
    totals = [] if not has_parts else con.execute("""
        WITH sums AS (
            SELECT indicator_code, unit_code, period_start, period_end, split_part(breakdown, ':', 1) AS dim,
                   sum(value) AS summed, min(source_row) AS first_part
            FROM vals WHERE aggregation = 'sum' AND value IS NOT NULL AND breakdown <> '' GROUP BY ALL),
        tot AS (
            SELECT indicator_code, unit_code, period_start, period_end,
                   arg_max(value, source_row) AS value, max(source_row) AS row
            FROM vals WHERE aggregation = 'sum' AND value IS NOT NULL AND breakdown = '' GROUP BY ALL)
        SELECT t.row, t.value, s.summed FROM sums s JOIN tot t USING (indicator_code, unit_code, period_start, period_end)
        WHERE abs(s.summed - t.value) > 1e-6 ORDER BY s.first_part, s.dim""").fetchall()
    for row, value, summed in totals:
        out.append(P.make("breakdown_total_mismatch", file=name, sheet=sheet, row=row,
                          value=_fmt(value), expected=_fmt(summed)))
    return out


# ------------------------------------------------------------------ loading
def facts_table(facts: pa.Table, load_id: int) -> pa.Table:
    """The Arrow facts with `load_id` first: the columns of the `facts` table, in order."""
    facts = facts.drop_columns(["prev_start", "prev_end"])
    return facts.add_column(0, "load_id", _constant_like(facts["source_row"], pa.scalar(load_id, pa.int32())))


def _constant_like(template: pa.ChunkedArray, value: pa.Scalar) -> pa.ChunkedArray:
    """`value` in every row, chunked as `template`: every column of the facts keeps the main pass's
    row-group-sized batches (see ROW_GROUP_ROWS)."""
    return pa.chunked_array([pa.repeat(value, len(chunk)) for chunk in template.chunks], value.type)


def jump_warnings(cur, check, threshold: float) -> list[P.Problem]:
    """etl.loader.jump_warnings over the Arrow facts (one join instead of a Python loop)."""
    cur.register("fast_new", check.values.facts)
    try:
        found = cur.execute(
            """SELECT n.source_sheet, n.source_row, n.value, iv.value AS old
               FROM fast_new n
               JOIN indicator_values iv
                 ON iv.indicator_code = n.indicator_code AND iv.unit_code = n.unit_code
                AND iv.breakdown = n.breakdown AND iv.period_start = n.prev_start AND iv.period_end = n.prev_end
               WHERE n.value IS NOT NULL AND iv.value IS NOT NULL AND iv.value <> 0
                 AND abs(n.value - iv.value) / abs(iv.value) > ?
               ORDER BY n.source_row""",
            [threshold],
        ).fetchall()
    finally:
        cur.unregister("fast_new")
    return [P.make("large_change", file=check.file_name, sheet=sheet, row=int(row), value=f"{new:g}", expected=f"{old:g}")
            for sheet, row, new, old in found]


__all__ = ["check_long_csv", "facts_table", "jump_warnings", "ROW_THRESHOLD", "LONG_HEADERS"]
