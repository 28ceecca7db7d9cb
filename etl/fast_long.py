"""The long template read and validated in bulk: DuckDB instead of a Python row loop.

`etl.layouts.parse_long` + `etl.validate.validate_values` handle a file cell by
cell in Python (about 20 µs a row). For a large CSV in the long template this
module gives the same values and the same problems, computed in SQL:

1. DuckDB `read_csv` reads the file (all VARCHAR, `header=true`, the delimiter
   that `etl.readers` would sniff, UTF-8 only: other encodings go the Python way).
2. The few *distinct* period, unit, indicator, breakdown and note strings are
   resolved in Python with the existing functions (`parse_period`, the
   catalogue's `AliasIndex`es, `clean`) and joined back as small tables.
3. Numbers: the common forms (`1470`, `1.470` in a count, `23,08` in a percent
   or score) are read in SQL by the rules of `etl.numbers.parse_number`; every
   other distinct (text, unit) pair is read by `parse_number` itself.
4. Every rule of `etl.validate` runs in SQL (duplicates by a window count,
   ranges, numerator above denominator, unit lifetime, future periods, breakdown
   totals). The rows that broke a rule (few) are turned into the same `Problem`
   records, in the same order, by Python.

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
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa

from etl import problems as P
from etl.layouts import LONG_HEADERS, RATE_TOLERANCE, Value, _long_columns, _text, column_letter
from etl.numbers import NumberError, parse_number, parse_yesno
from etl.periods import Period, PeriodError, parse_period
from etl.readers import TEXT_EXTENSIONS, _sniff_delimiter, extension_of
from etl.reference import Catalogue, load_catalogue
from etl.text import UnreadableText, clean, decode_bytes
from etl.validate import SCORE_RANGES

ROW_THRESHOLD = 50_000  # below this the Python path is fast enough and simpler
MAX_FAST_BYTES = 2 * 1024 ** 3  # the Python path's 50 MB limit guards its per-cell lists; this one does not need it
SAMPLE_BYTES = 256 * 1024
# what etl.text.clean turns into nothing: any Unicode space and the zero-width characters
_BLANK = r"[\s\x{85}\x{a0}\x{1680}\x{2000}-\x{200d}\x{2028}\x{2029}\x{202f}\x{205f}\x{2060}\x{3000}\x{feff}]*"
ROLES = ("value", "numerator", "denominator")


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


@dataclass
class FastResult:
    file_name: str
    file_hash: str
    file_size: int
    facts: pa.Table  # indicator_code … source_row, the columns of `facts` without load_id
    problems: list[P.Problem] = field(default_factory=list)


def estimate_rows(data: bytes) -> int:
    return data.count(b"\n")


def applies(data: bytes, file_name: str, min_rows: int = ROW_THRESHOLD) -> bool:
    """Cheap test: a text file with at least `min_rows` lines and no blank lines."""
    if extension_of(file_name) not in TEXT_EXTENSIONS or len(data) > MAX_FAST_BYTES:
        return False
    if b"\n\n" in data or b"\n\r\n" in data:
        return False  # DuckDB skips blank lines, Python counts them: row numbers would differ
    return estimate_rows(data) >= min_rows


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
    first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), None)
    if not first:
        return None
    header = [clean(c) or None for c in first]
    cols = _long_columns(header)
    if not ("unit" in cols and "indicator" in cols and ("value" in cols or "numerator" in cols) and "period" in cols):
        return None
    return encoding, delimiter, header, cols


def _connect():
    con = duckdb.connect()
    con.execute("PRAGMA disable_progress_bar")
    return con


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


def _read_cell(raw: str, unit: str):
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
_FAST_NUMBER = """CASE
    WHEN {c} IS NULL THEN NULL
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
):
    """The fast path's FileCheck, or None when the Python path must decide.

    `min_rows` defaults to `ROW_THRESHOLD` (read at call time, so tests can lower it).
    """
    if not applies(data, file_name, ROW_THRESHOLD if min_rows is None else min_rows):
        return None
    found = _header(data, file_name)
    if found is None:
        return None
    catalogue = catalogue or load_catalogue()
    today = today or date.today()
    from etl.loader import file_hash

    encoding, delimiter, header, cols = found
    con = _connect()
    fd, tmp = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            result = _run(con, tmp, encoding, delimiter, header, cols, catalogue, period, today, os.path.basename(file_name))
        except duckdb.Error:
            return None  # ragged rows, invalid UTF-8 further down…: the Python path reads it
    finally:
        con.close()
        os.unlink(tmp)
    facts, problems, n = result
    name = os.path.basename(file_name)
    FileCheck = _file_check_class()

    def build():
        return _values_from_arrow(facts)

    values = _Lazy(build, n)
    values.facts = facts  # the loader inserts this table directly (etl.loader._facts_frame)
    return FileCheck(name, file_hash(data), len(data), "long", values, problems)


def _values_from_arrow(facts: pa.Table) -> list[Value]:
    out = []
    for r in facts.sort_by("source_row").to_pylist():
        out.append(Value(r["indicator_code"], r["unit_code"], Period(r["period_kind"], r["period_start"], r["period_end"]),
                         r["breakdown"], r["value"], r["numerator"], r["denominator"], r["note"],
                         r["source_sheet"], r["source_row"]))
    return out


def _run(con, path, encoding, delimiter, header, cols, catalogue, override, today, name):
    width = len(header)
    names = [f"c{i}" for i in range(width)]
    enc = "utf-8"
    con.execute(f"""
        CREATE TEMP TABLE raw AS
        SELECT * FROM read_csv(?, header = true, all_varchar = true, delim = ?, quote = '"', escape = '"',
                      null_padding = true, encoding = '{enc}', auto_detect = false,
                      columns = {{{', '.join(f"'{n}': 'VARCHAR'" for n in names)}}})""",
        [path, delimiter])
    c = {k: f"c{i}" for k, i in cols.items()}
    col_label = {k: f"{column_letter(i)} ({_text(header[i])})" for k, i in cols.items()}
    value_col = "value" if "value" in cols else "numerator"

    # 1. dimensions: distinct strings resolved by the existing Python functions
    def distinct(col):
        return [r[0] for r in con.execute(f"SELECT DISTINCT {col} FROM raw").fetchall()]

    periods = _period_table(distinct(c["period"]), override)
    units = _name_table(distinct(c["unit"]), catalogue.unit_index)
    inds = _name_table(distinct(c["indicator"]), catalogue.indicator_index)
    con.register("p_map", periods)
    con.register("u_map", units)
    con.register("i_map", inds)
    ind_units = pd.DataFrame([(k, v.unit, v.aggregation) for k, v in catalogue.indicators.items()],
                             columns=["code", "unit", "aggregation"])
    con.register("ind_info", ind_units)
    if "breakdown" in cols:
        con.register("b_map", _name_table(distinct(c["breakdown"]), catalogue.breakdown_index))
        bd_join = f"LEFT JOIN b_map b ON b.raw IS NOT DISTINCT FROM r.{c['breakdown']}"
        bd_text, bd_code = "b.text", "b.code"
    else:
        bd_join, bd_text, bd_code = "", "''", "''"
    if "note" in cols:
        notes = pd.DataFrame([(raw, _text(raw) or None) for raw in distinct(c["note"])],
                             columns=["raw", "note"]).astype("string")
        con.register("n_map", notes)
        note_join, note_sel = f"LEFT JOIN n_map n ON n.raw IS NOT DISTINCT FROM r.{c['note']}", "n.note"
    else:
        note_join, note_sel = "", "NULL::VARCHAR"

    con.execute(f"""
        CREATE TEMP TABLE rows AS
        SELECT r.rowid + 2 AS rownum,
               CASE WHEN coalesce({', '.join(f"r.c{i}" for i in range(width))}) IS NULL THEN TRUE
                    WHEN u.code IS NOT NULL OR i.code IS NOT NULL OR p.status = 'ok' THEN FALSE
                    ELSE ({' AND '.join(f"(r.c{i} IS NULL OR regexp_full_match(r.c{i}, '{_BLANK}'))" for i in range(width))})
               END AS blank_all,
               p.status AS p_status, p.key AS p_key, p.kind, p.start, p.end_, p.code AS p_code,
               p.prev_start, p.prev_end,
               u.text AS u_text, u.code AS unit_code, i.text AS i_text, i.code AS indicator_code,
               {bd_text} AS b_text, {bd_code} AS b_code, {note_sel} AS note,
               info.unit AS ind_unit, info.aggregation,
               {', '.join(f"r.{c[role]} AS raw_{role}" if role in cols else f"NULL::VARCHAR AS raw_{role}" for role in ROLES)}
        FROM raw r
        LEFT JOIN p_map p ON p.raw IS NOT DISTINCT FROM r.{c['period']}
        LEFT JOIN u_map u ON u.raw IS NOT DISTINCT FROM r.{c['unit']}
        LEFT JOIN i_map i ON i.raw IS NOT DISTINCT FROM r.{c['indicator']}
        LEFT JOIN ind_info info ON info.code = i.code
        {bd_join} {note_join}""")

    # 2. numbers: the common forms in SQL, the rest by parse_number over distinct (text, unit)
    role_unit = {"value": "ind_unit", "numerator": "'count'", "denominator": "'count'"}
    fast = {role: _FAST_NUMBER.format(c=f"raw_{role}", u=role_unit[role]) for role in ROLES}
    undecided = " UNION ".join(
        f"SELECT raw_{role} AS raw, {role_unit[role]} AS unit FROM rows "
        f"WHERE raw_{role} IS NOT NULL AND ind_unit IS NOT NULL AND ({fast[role]}) IS NULL"
        for role in ROLES if role in cols)
    slow_rows = []
    if undecided:
        for raw, unit in con.execute(undecided).fetchall():
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
    parts = []
    joins = []
    for role in ROLES:
        s = f"s_{role}"
        joins.append(f"LEFT JOIN slow {s} ON {s}.raw = r.raw_{role} AND {s}.unit = {role_unit[role].replace('ind_unit', 'r.ind_unit')}")
        fast_r = _FAST_NUMBER.format(c=f"r.raw_{role}", u=role_unit[role].replace("ind_unit", "r.ind_unit"))
        parts.append(f"""
            CASE WHEN r.raw_{role} IS NULL OR {s}.empty THEN NULL ELSE coalesce({fast_r}, {s}.value) END AS v_{role},
            (r.raw_{role} IS NOT NULL AND NOT coalesce({s}.empty, FALSE)) AS has_{role},
            {s}.err AS err_{role}, {s}.expected AS exp_{role}, {s}.decision AS dec_{role}, {s}.cell AS cell_{role}""")
    con.execute(f"""
        CREATE TEMP VIEW parsed AS
        SELECT r.*, {', '.join(parts)}
        FROM rows r {' '.join(joins)}""")

    # 3. the row's fate, in parse_long's order of checks
    con.execute(f"""
        CREATE TEMP TABLE decided AS
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
          CASE WHEN aggregation = 'ratio' AND v_numerator IS NOT NULL AND v_denominator IS NOT NULL
               THEN CASE WHEN v_denominator = 0 THEN NULL ELSE 100.0 * v_numerator / v_denominator END
               ELSE v_value END AS final_value
        FROM parsed""")

    # rows with a parse problem (errors, and number warnings on rows that go on)
    problem_rows = con.execute("""
        SELECT rownum, fate, p_key, p_code, u_text, i_text, b_text,
               raw_value, err_value, exp_value, dec_value, cell_value,
               raw_numerator, err_numerator, exp_numerator, dec_numerator, cell_numerator,
               raw_denominator, err_denominator, exp_denominator, dec_denominator, cell_denominator,
               v_value, v_numerator, v_denominator
        FROM decided
        WHERE fate NOT IN ('ok', 'blank')
           OR (fate IN ('ok', 'missing_value', 'zero_denominator', 'rate_mismatch')
               AND coalesce(dec_value, dec_numerator, dec_denominator) IS NOT NULL)
        ORDER BY rownum""").fetchall()
    problems = _parse_problems(problem_rows, cols, col_label, value_col, catalogue, name, override)

    # 4. the values, and validate_values in SQL
    con.execute("""
        CREATE TEMP TABLE vals AS
        SELECT indicator_code, unit_code, kind AS period_kind, start AS period_start, end_ AS period_end,
               coalesce(b_code, '') AS breakdown, final_value AS value, v_numerator AS numerator,
               v_denominator AS denominator, note, NULL::VARCHAR AS source_sheet, CAST(rownum AS INTEGER) AS source_row,
               p_code, prev_start, prev_end, ind_unit, aggregation
        FROM decided WHERE fate = 'ok'""")
    problems += _validation_problems(con, catalogue, name, today)
    n = con.execute("SELECT count(*) FROM vals").fetchall()[0][0]
    if n == 0 and not P.has_errors(problems):
        problems.append(P.make("no_values", file=name))
    facts = con.sql("""SELECT indicator_code, unit_code, period_kind, period_start, period_end, breakdown,
                                  value, numerator, denominator, note, source_sheet, source_row,
                                  prev_start, prev_end
                           FROM vals""").to_arrow_table()
    return facts, problems, n


def _parse_problems(rows, cols, col_label, value_col, catalogue, name, override):
    out = []
    for (rownum, fate, p_key, p_code, u_text, i_text, b_text, *rest) in rows:
        cells = {role: rest[i * 5: i * 5 + 5] for i, role in enumerate(ROLES)}
        v_value, v_num, v_den = rest[15:18]
        base = {"file": name, "sheet": None, "row": rownum}
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


def _validation_problems(con, catalogue, name, today):
    """validate_values in SQL: (row, order) -> Problem, then the breakdown totals."""
    units = pd.DataFrame([(u.code, u.valid_from, u.valid_to) for u in catalogue.units.values()],
                         columns=["code", "valid_from", "valid_to"])
    units["valid_from"] = pd.to_datetime(units["valid_from"]).dt.date
    units["valid_to"] = pd.to_datetime(units["valid_to"]).dt.date
    con.register("unit_life", units)
    low_high = ", ".join(f"('{k}', {lo}, {hi})" for k, (lo, hi) in SCORE_RANGES.items()) or "('', 0, 100)"
    found = con.execute(f"""
        WITH dup AS (
            SELECT indicator_code, unit_code, period_start, period_end, breakdown, min(source_row) AS first_row
            FROM vals GROUP BY ALL HAVING count(*) > 1),
        fut AS (
            SELECT period_kind, period_start, period_end, min(source_row) AS first_of_period
            FROM vals WHERE period_start > $1 GROUP BY ALL),
        v AS (
            SELECT vals.*, dup.first_row, fut.first_of_period FROM vals
            LEFT JOIN dup USING (indicator_code, unit_code, period_start, period_end, breakdown)
            LEFT JOIN fut USING (period_kind, period_start, period_end)),
        r AS (SELECT * FROM (VALUES {low_high}) t(code, lo, hi))
        SELECT source_row, 1, 'future_period', p_code, NULL::VARCHAR, NULL::DOUBLE, NULL::DOUBLE FROM v
            WHERE source_row = first_of_period
        UNION ALL
        SELECT v.source_row, 2, 'unit_not_in_period', v.unit_code, v.p_code, NULL, NULL FROM v JOIN unit_life l ON l.code = v.unit_code
            WHERE (l.valid_from IS NOT NULL AND v.period_end < l.valid_from) OR (l.valid_to IS NOT NULL AND v.period_start > l.valid_to)
        UNION ALL
        SELECT source_row, 3, 'duplicate_row', indicator_code, NULL, first_row, NULL FROM v WHERE first_row IS NOT NULL AND source_row <> first_row
        UNION ALL
        SELECT source_row, 4, 'negative_count', 'numerator', NULL, numerator, NULL FROM v WHERE numerator < 0
        UNION ALL
        SELECT source_row, 5, 'negative_count', 'denominator', NULL, denominator, NULL FROM v WHERE denominator < 0
        UNION ALL
        SELECT source_row, 6, 'numerator_above_denominator', NULL, NULL, numerator, denominator FROM v WHERE numerator > denominator
        UNION ALL
        SELECT v.source_row, 7,
               CASE WHEN ind_unit = 'percent' AND NOT (value BETWEEN 0 AND 100) THEN 'percent_out_of_range'
                    WHEN ind_unit = 'count' AND value < 0 THEN 'negative_count'
                    WHEN ind_unit = 'count' AND value <> floor(value) THEN 'fractional_count'
                    WHEN ind_unit = 'score' AND NOT (value BETWEEN coalesce(r.lo, 0) AND coalesce(r.hi, 100)) THEN 'score_out_of_range'
               END AS code, NULL, v.indicator_code, value, NULL
        FROM v LEFT JOIN r ON r.code = v.indicator_code
        WHERE value IS NOT NULL AND NOT coalesce(numerator > denominator, FALSE)
          AND ((ind_unit = 'percent' AND NOT (value BETWEEN 0 AND 100))
            OR (ind_unit = 'count' AND (value < 0 OR value <> floor(value)))
            OR (ind_unit = 'score' AND NOT (value BETWEEN coalesce(r.lo, 0) AND coalesce(r.hi, 100))))
        ORDER BY 1, 2""", [today]).fetchall()
    out = []
    for row, _order, code, a, t2, b, c in found:
        base = {"file": name, "sheet": None, "row": row}
        if code == "future_period":
            out.append(P.make(code, value=a, expected=f"≤ {today.isoformat()}", **base))
        elif code == "unit_not_in_period":
            unit = catalogue.units[a]
            successor = catalogue.units.get(unit.successor) if unit.successor else None
            hint = {"hint_vi": "", "hint_en": ""}
            if successor:
                hint = {"hint_vi": f" (đã sáp nhập vào {successor.name_vi})",
                        "hint_en": f" (merged into {successor.name_vi})"}
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
    totals = con.execute("""
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
        out.append(P.make("breakdown_total_mismatch", file=name, sheet=None, row=row,
                          value=_fmt(value), expected=_fmt(summed)))
    return out


# ------------------------------------------------------------------ loading
def facts_table(facts: pa.Table, load_id: int) -> pa.Table:
    """The Arrow facts with `load_id` first: the columns of the `facts` table, in order."""
    facts = facts.drop_columns(["prev_start", "prev_end"])
    facts = facts.set_column(facts.schema.get_field_index("source_sheet"), "source_sheet",
                             pa.nulls(facts.num_rows, pa.string()))
    return facts.add_column(0, "load_id", pa.repeat(pa.scalar(load_id, pa.int32()), facts.num_rows))


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


__all__ = ["check_long_csv", "applies", "facts_table", "jump_warnings", "ROW_THRESHOLD", "LONG_HEADERS"]
