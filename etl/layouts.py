"""Turn raw tables into indicator values: the long template and the wide report.

Long template: one row per value, columns `Kỳ báo cáo | Đơn vị | Chỉ tiêu | Giá trị |
Tử số | Mẫu số | Phân tổ | Ghi chú` (English headers accepted).

Wide government report: letterhead and title rows (the period is in the title),
a header of one to six rows with merged cells, an `STT` column, a unit column,
one column per indicator or per numerator / denominator, section rows (`I`, `II`),
a totals row (`Tổng cộng`, `Toàn tỉnh`) that is checked, not loaded, and
signature lines below.

Every problem found is returned as a `Problem`; nothing here raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from etl import problems as P
from etl.numbers import NumberError, parse_number, parse_yesno
from etl.periods import Period, PeriodError, find_period, parse_period
from etl.readers import RawTable
from etl.reference import Catalogue, HeaderAlias
from etl.text import clean, fold

RATE_TOLERANCE = 0.05  # percentage points between a written rate and its parts


@dataclass
class Value:
    """One indicator value for one unit, period and breakdown, with its origin."""

    indicator_code: str
    unit_code: str
    period: Period
    breakdown: str
    value: float | None
    numerator: float | None
    denominator: float | None
    note: str | None
    sheet: str | None
    row: int


@dataclass(frozen=True)
class ColumnMapping:
    """One wide-report column: what the catalogue matched, and what is used.

    `detected` and `chosen` are `(indicator_code, role)` or None (ignored);
    they differ only where a `column_map` override corrected the match.
    """

    letter: str
    label: str
    detected: tuple[str, str] | None
    chosen: tuple[str, str] | None


@dataclass
class SheetLayout:
    """What was recognised in one sheet, for showing (and correcting) before a load."""

    sheet: str | None
    layout: str  # long | wide
    header_rows: tuple[int, int]  # first and last header row, 1-based
    period: str | None  # canonical period code; None when each row has its own (long)
    columns: list[ColumnMapping] = field(default_factory=list)  # wide only
    fields: dict[str, str] = field(default_factory=dict)  # long only: column letter -> field


@dataclass
class ParseContext:
    file_name: str
    catalogue: Catalogue
    period_override: Period | None = None
    problems: list = field(default_factory=list)
    # Wide reports: {column letter: (indicator_code, role) | None} replaces the
    # catalogue's header match for that column (None ignores it).
    column_map: dict | None = None
    sheets: list[SheetLayout] = field(default_factory=list)

    def add(self, code: str, **fields) -> None:
        self.problems.append(P.make(code, file=self.file_name, **fields))


# ---------------------------------------------------------------- helpers
def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text(cell) -> str:
    return "" if cell is None else clean(str(cell))


def _key(cell) -> str:
    """Folded header text without parenthesised parts: 'Giá trị (value)' -> 'gia tri'."""
    return fold(re.sub(r"\(.*?\)", " ", _text(cell)))


ROMAN = re.compile(r"^(?=[ivxlc]+$)m{0,3}(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})$")
TOTAL_LABELS = {"tong cong", "tong so", "toan tinh", "tong", "cong", "total", "grand total", "toan huyen", "ca tinh"}
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?(\s*=\s*[\d()+\-*/x ]+)?$")


def _is_total_label(label: str) -> bool:
    f = fold(label)
    return f in TOTAL_LABELS or f.startswith("tong cong")


FIGURE = re.compile(r"^[+\-−]?[\d.,\s]+%?$")


def _looks_like_figure(cell) -> bool:
    if cell is None or isinstance(cell, bool):
        return False
    if isinstance(cell, (int, float)):
        return True
    return bool(FIGURE.match(str(cell).strip()))


def _is_section_marker(cell) -> bool:
    if cell is None or isinstance(cell, (int, float)):
        return False
    f = fold(str(cell))
    return bool(f) and (bool(ROMAN.match(f)) or (len(f) == 1 and f.isalpha()))


LONG_HEADERS = {
    "period": {"ky bao cao", "ky", "period", "reporting period", "thoi gian", "ky so lieu"},
    "unit": {"don vi", "ten don vi", "unit", "dia phuong", "co quan", "don vi bao cao"},
    "indicator": {"chi tieu", "ten chi tieu", "ma chi tieu", "indicator", "indicator code"},
    "value": {"gia tri", "so lieu", "value"},
    "numerator": {"tu so", "numerator"},
    "denominator": {"mau so", "denominator"},
    "breakdown": {"phan to", "breakdown"},
    "note": {"ghi chu", "note", "notes"},
}
WIDE_UNIT_HEADERS = {
    "don vi", "ten don vi", "dia phuong", "co quan", "co quan don vi", "ten co quan don vi",
    "don vi bao cao", "ten don vi bao cao", "unit", "ten dia phuong", "ten co quan",
    "huyen thi xa thanh pho", "so ban nganh dia phuong", "co quan dia phuong",
}
STT_HEADERS = {"stt", "tt", "so tt", "so thu tu", "no", "#"}
# A column of GSO codes beside the names ("Mã ĐVHC"): the code names the unit when it resolves
UNIT_CODE_HEADERS = {"ma dvhc", "ma don vi hanh chinh", "ma don vi", "ma dv", "ma so dvhc", "ma dia ban",
                     "ma xa", "ma huyen", "ma tinh", "unit code", "gso code"}


def _long_columns(row: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = _key(cell)
        for name, keys in LONG_HEADERS.items():
            if key in keys and name not in found:
                found[name] = i
    return found


def _is_long_header(cols: dict[str, int]) -> bool:
    """A unit, an indicator and a value (or numerator) column: the long template."""
    return "unit" in cols and "indicator" in cols and ("value" in cols or "numerator" in cols)


def _find_long_header(table: RawTable) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(table.rows[:20]):
        cols = _long_columns(row)
        if _is_long_header(cols):
            return r, cols
    return None


def _default_year(rows: list[list]) -> int | None:
    """The year of the report's own dates (signature line), for titles without one."""
    years = []
    for row in rows:
        for cell in row:
            if isinstance(cell, date):
                years.append(cell.year)
            elif isinstance(cell, str):
                years += [int(y) for y in re.findall(r"(?:năm|/)\s*((?:19|20)\d{2})\b", cell)]
    return max(years) if years else None


def _title_period(rows: list[list], default_year: int | None) -> Period | None:
    for row in rows:
        line = " ".join(dict.fromkeys(_text(c) for c in row if c is not None))
        if not line:
            continue
        try:
            found = find_period(line, default_year=default_year)
        except PeriodError:
            found = None
        if found:
            return found
    return None


def _resolve_period(ctx: ParseContext, found: Period | None, sheet, row) -> Period | None:
    override = ctx.period_override
    if override and found and found != override:
        ctx.add("period_conflict", sheet=sheet, row=row, value=found.code, expected=override.code)
        return None
    return found or override


# ---------------------------------------------------------------- cells
def _parse_cell(ctx: ParseContext, cell, unit: str, where: dict) -> float | None:
    """A number (or yes-no as 1/0) from one cell; problems go to ctx."""
    if unit == "yesno":
        try:
            flag = parse_yesno(cell)
        except NumberError:
            ctx.add("bad_yesno", value=_text(cell), expected="x / có / không", **where)
            return None
        return None if flag is None else float(flag)
    try:
        value, decision = parse_number(cell, unit)
    except NumberError as exc:
        ctx.add("bad_number", value=_text(cell), expected=getattr(exc, "expected", "a number"), **where)
        return None
    if decision and isinstance(cell, str):
        ctx.add("number_interpretation", value=cell, expected=decision, **where)
    return value


def _assemble(ctx, indicator, given, numerator, denominator, where) -> tuple[float | None, bool]:
    """The stored value of a rate: its parts are the truth when present.

    Returns (value, ok). Percentages with parts are 100 * numerator / denominator.
    """
    if indicator.is_ratio and numerator is not None and denominator is not None:
        if denominator == 0:
            if numerator:
                ctx.add("zero_denominator", value=numerator, **where)
                return None, False
            return None, True
        computed = 100.0 * numerator / denominator
        if given is not None and abs(given - computed) > RATE_TOLERANCE:
            ctx.add("rate_mismatch", value=f"{given:g}", expected=f"{computed:.2f}", **where)
            return None, False
        return computed, True
    if given is None and (numerator is not None or denominator is not None):
        if indicator.is_ratio:
            ctx.add("missing_value", **where)
            return None, False
    return given, True


# ---------------------------------------------------------------- long
def parse_long(table: RawTable, header_row: int, cols: dict[str, int], ctx: ParseContext) -> list[Value]:
    cat = ctx.catalogue
    sheet = table.sheet
    header = table.rows[header_row]
    title_period = None
    if "period" not in cols:
        rows_above = table.rows[:header_row]
        title_period = _resolve_period(
            ctx, _title_period(rows_above, _default_year(table.rows)), sheet, None
        )
    ctx.sheets.append(SheetLayout(
        sheet, "long", (header_row + 1, header_row + 1), title_period.code if title_period else None,
        fields={column_letter(i): name for name, i in sorted(cols.items(), key=lambda kv: kv[1])},
    ))
    if "period" not in cols and title_period is None:
        if not any(p.code == "period_conflict" for p in ctx.problems):
            ctx.add("no_period", sheet=sheet)
        return []

    def col_name(name: str) -> str:
        i = cols[name]
        return f"{column_letter(i)} ({_text(header[i])})"

    period_cache: dict[str, Period | None] = {}
    values: list[Value] = []
    for r in range(header_row + 1, len(table.rows)):
        row = table.rows[r]
        if all(c is None for c in row):
            continue
        rownum = r + 1
        base = {"sheet": sheet, "row": rownum}

        # period
        if "period" in cols:
            cell = row[cols["period"]]
            key = _text(cell) if not isinstance(cell, date) else cell.isoformat()
            if key not in period_cache:
                try:
                    period_cache[key] = parse_period(cell)
                except PeriodError:
                    period_cache[key] = None
            period = period_cache[key]
            if period is None:
                ctx.add("bad_period", value=key, expected="Tháng 3/2024, Quý I/2024, 2024-03 …",
                        column=col_name("period"), **base)
                continue
            if ctx.period_override and period != ctx.period_override:
                ctx.add("period_conflict", value=period.code, expected=ctx.period_override.code,
                        column=col_name("period"), **base)
                continue
        else:
            period = title_period

        # unit
        unit_text = _text(row[cols["unit"]])
        unit_code = cat.match_unit(unit_text, period.start, period.end) if unit_text else None
        if unit_code is None:
            ctx.add("unknown_unit", value=unit_text, column=col_name("unit"),
                    **P.suggestion_hints(cat.unit_index.suggest(unit_text)), **base)
            continue

        # indicator
        ind_text = _text(row[cols["indicator"]])
        ind_code = cat.indicator_index.match(ind_text) if ind_text else None
        if ind_code is None:
            ctx.add("unknown_indicator", value=ind_text, column=col_name("indicator"),
                    **P.suggestion_hints(cat.indicator_index.suggest(ind_text)), **base)
            continue
        indicator = cat.indicators[ind_code]

        # breakdown
        breakdown = ""
        if "breakdown" in cols:
            bd_text = _text(row[cols["breakdown"]])
            if bd_text:
                breakdown = cat.breakdown_index.match(bd_text) or ""
                if not breakdown:
                    ctx.add("unknown_breakdown", value=bd_text, column=col_name("breakdown"),
                            **P.suggestion_hints(cat.breakdown_index.suggest(bd_text)), **base)
                    continue

        parts = {}
        ok = True
        for role in ("value", "numerator", "denominator"):
            if role in cols and row[cols[role]] is not None:
                unit = indicator.unit if role == "value" else "count"
                before = len(ctx.problems)
                parts[role] = _parse_cell(ctx, row[cols[role]], unit, {**base, "column": col_name(role)})
                ok = ok and not any(p.is_error for p in ctx.problems[before:])
            else:
                parts[role] = None
        if not ok:
            continue
        if all(v is None for v in parts.values()):
            ctx.add("missing_value", column=col_name("value" if "value" in cols else "numerator"), **base)
            continue
        value, ok = _assemble(ctx, indicator, parts["value"], parts["numerator"], parts["denominator"],
                              {**base, "column": col_name("value" if "value" in cols else "numerator")})
        if not ok:
            continue
        note = _text(row[cols["note"]]) if "note" in cols else ""
        values.append(Value(ind_code, unit_code, period, breakdown, value, parts["numerator"],
                            parts["denominator"], note or None, sheet, rownum))
    return values


# ---------------------------------------------------------------- wide
@dataclass(frozen=True)
class WideColumn:
    index: int
    label: str
    alias: HeaderAlias | None

    def name(self) -> str:
        return f"{column_letter(self.index)} ({self.label})"


def _find_wide_header(table: RawTable) -> tuple[int, int | None, int] | None:
    """(header_row, stt_col, unit_col) of a wide report, or None."""
    for r, row in enumerate(table.rows[:30]):
        keys = [_key(c) for c in row]
        stt_col = next((i for i, k in enumerate(keys) if k in STT_HEADERS), None)
        unit_col = next((i for i, k in enumerate(keys) if k in WIDE_UNIT_HEADERS), None)
        if unit_col is None and stt_col is not None and stt_col + 1 < len(row):
            if isinstance(row[stt_col + 1], str):
                unit_col = stt_col + 1
        if unit_col is not None and (stt_col is not None or any(keys[unit_col + 1:])):
            return r, stt_col, unit_col
    return None


def _unit_by_code(cat, cell, span) -> str | None:
    """The unit a "Mã ĐVHC" cell names: GSO codes are 2 (province), 3 (district) or 5 digits
    (commune); a workbook that stored them as numbers lost their leading zeros."""
    if cell is None:
        return None
    text = _text(cell)
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    if not text.isdigit():
        return None
    for width in (len(text), 5, 3, 2):
        if width >= len(text):
            code = cat.match_unit(text.zfill(width), *span)
            if code is not None:
                return code
    return None


def _is_column_number_row(row: list) -> bool:
    cells = [_text(c) for c in row if c is not None]
    return bool(cells) and all(COLUMN_NUMBER.match(c.replace(" ", "")) or c.isdigit() for c in cells) and len(cells) >= 3


def _header_end(table: RawTable, start: int, stt_col, unit_col, ctx: ParseContext) -> int:
    """Index of the first row after the header block (column-number row excluded)."""
    cat = ctx.catalogue
    r = start + 1
    while r < len(table.rows) and r <= start + 6:
        row = table.rows[r]
        if _is_column_number_row(row):
            return r
        stt = row[stt_col] if stt_col is not None else None
        label = _text(row[unit_col])
        if isinstance(stt, (int, float)) or _is_section_marker(stt):
            return r
        if label and (cat.is_unit_name(label) or _is_total_label(label)):
            return r
        if any(isinstance(c, (int, float)) for i, c in enumerate(row) if i not in (stt_col, unit_col)):
            return r
        r += 1
    return r


def _header_labels(rows: list[list], width: int) -> list[str]:
    """Each column's header path, top to bottom, with spanning parents filled in.

    A blank upper-header cell takes the text on its left when something stands
    below it: that is a merged parent written once (CSV exports lose merges).
    """
    grid = [[_text(c) for c in row] for row in rows]
    for r in range(len(grid) - 1):
        for c in range(1, width):
            if not grid[r][c] and grid[r][c - 1] and any(grid[k][c] for k in range(r + 1, len(grid))):
                grid[r][c] = grid[r][c - 1]
    labels = []
    for c in range(width):
        parts: list[str] = []
        for r in range(len(grid)):
            if grid[r][c] and (not parts or parts[-1] != grid[r][c]):
                parts.append(grid[r][c])
        labels.append(" ".join(parts))
    return labels


def parse_wide(table: RawTable, found: tuple[int, int | None, int], ctx: ParseContext) -> list[Value]:
    cat = ctx.catalogue
    sheet = table.sheet
    header_row, stt_col, unit_col = found
    data_start = _header_end(table, header_row, stt_col, unit_col, ctx)
    header_rows = table.rows[header_row:data_start]
    if data_start < len(table.rows) and _is_column_number_row(table.rows[data_start]):
        data_start += 1
    width = len(table.rows[0])
    labels = _header_labels(header_rows, width)

    period = _resolve_period(
        ctx, _title_period(table.rows[:header_row], _default_year(table.rows)), sheet, header_row + 1
    )

    data_rows = table.rows[data_start:]
    note_col = None
    code_col = next((c for c in range(width) if c not in (stt_col, unit_col)
                     and _key(labels[c]) in UNIT_CODE_HEADERS), None)
    columns: list[WideColumn] = []
    for c in range(width):
        if c in (stt_col, unit_col, code_col):
            continue
        if _key(labels[c]) in LONG_HEADERS["note"]:
            note_col = c
            continue
        if not any(row[c] is not None for row in data_rows):
            continue
        columns.append(WideColumn(c, labels[c], cat.match_header(labels[c]) if labels[c] else None))
    detected = {col.index: col.alias for col in columns}
    if ctx.column_map:
        columns = [_apply_column_map(col, ctx, sheet, header_row) for col in columns]
    ctx.sheets.append(SheetLayout(
        sheet, "wide", (header_row + 1, data_start), period.code if period else None,
        columns=[ColumnMapping(column_letter(col.index), col.label, _pair(detected[col.index]), _pair(col.alias))
                 for col in columns],
    ))
    if period is None:
        if not any(p.code == "period_conflict" for p in ctx.problems):
            ctx.add("no_period", sheet=sheet)
        return []

    mapped = [col for col in columns if col.alias]
    seen: dict[tuple[str, str], WideColumn] = {}
    for col in mapped:
        key = (col.alias.indicator_code, col.alias.role)
        if key in seen:
            ctx.add("duplicate_column", sheet=sheet, row=header_row + 1, column=col.name(),
                    value=f"{seen[key].label} / {col.label}", expected=f"{key[0]} ({key[1]})")
        seen[key] = col
    severity = None if mapped else P.ERROR
    for col in columns:
        if column_letter(col.index) in (ctx.column_map or {}):
            continue  # the analyst chose what this column is (or to ignore it)
        if col.alias is None and any(isinstance(row[col.index], (int, float)) or
                                     (isinstance(row[col.index], str) and any(ch.isdigit() for ch in row[col.index]))
                                     for row in data_rows):
            code = "unmapped_column" if mapped else "unknown_indicator"
            ctx.add(code, sheet=sheet, row=header_row + 1, column=col.name(), value=col.label,
                    severity=severity, **P.suggestion_hints(cat.suggest_indicator_for_header(col.label)))
    if not mapped or P.has_errors(ctx.problems):
        return []

    fraction_cols = _percent_fraction_columns(mapped, data_rows, cat)
    for col in fraction_cols:
        ctx.add("percent_as_fraction", sheet=sheet, column=col.name())

    by_indicator: dict[str, dict[str, WideColumn]] = {}
    for col in mapped:
        by_indicator.setdefault(col.alias.indicator_code, {})[col.alias.role] = col

    values: list[Value] = []
    unit_rows: list[tuple[int, dict]] = []
    totals: tuple[int, dict] | None = None
    for offset, row in enumerate(data_rows):
        rownum = data_start + offset + 1
        label = _text(row[unit_col])
        stt = row[stt_col] if stt_col is not None else None
        span = (period.start, period.end) if period else (None, None)
        unit_code = cat.match_unit(label, *span) if label else None
        by_code = _unit_by_code(cat, row[code_col], span) if code_col is not None else None
        if by_code is not None:
            if unit_code is not None and unit_code != by_code:
                ctx.add("unit_code_mismatch", sheet=sheet, row=data_start + offset + 1,
                        column=f"{column_letter(code_col)} ({labels[code_col]})", value=_text(row[code_col]),
                        name=label, code_unit=cat.units[by_code].name_vi)
                continue
            unit_code = by_code
        if unit_code or _is_total_label(label):
            has_figures = any(row[col.index] is not None for col in mapped)
        else:
            # signature and date lines below the table carry text, not figures
            has_figures = any(_looks_like_figure(row[col.index]) for col in mapped)
        if not has_figures or _is_section_marker(stt):
            continue
        base = {"sheet": sheet, "row": rownum}
        parsed: dict[tuple[str, str], float | None] = {}
        for col in mapped:
            ind = cat.indicators[col.alias.indicator_code]
            unit = ind.unit if col.alias.role == "value" else "count"
            cell = row[col.index]
            v = _parse_cell(ctx, cell, unit, {**base, "column": col.name()}) if cell is not None else None
            if v is not None and col in fraction_cols:
                v *= 100
            parsed[(col.alias.indicator_code, col.alias.role)] = v
        if _is_total_label(label):
            totals = (rownum, parsed)
            continue
        if unit_code is None:
            ctx.add("unknown_unit", value=label, column=f"{column_letter(unit_col)} ({labels[unit_col]})",
                    **P.suggestion_hints(cat.unit_index.suggest(label)), **base)
            continue
        unit_rows.append((rownum, parsed))
        note = _text(row[note_col]) if note_col is not None else ""
        for code, roles in by_indicator.items():
            given = parsed.get((code, "value"))
            num = parsed.get((code, "numerator"))
            den = parsed.get((code, "denominator"))
            if given is None and num is None and den is None:
                continue  # this unit left the indicator blank: not reported
            where = {**base, "column": roles.get("value", roles.get("numerator", next(iter(roles.values())))).name()}
            value, ok = _assemble(ctx, cat.indicators[code], given, num, den, where)
            if ok:
                values.append(Value(code, unit_code, period, "", value, num, den, note or None, sheet, rownum))
    if totals:
        _check_totals(ctx, sheet, totals, unit_rows, by_indicator)
    return values


def _pair(alias: HeaderAlias | None) -> tuple[str, str] | None:
    return (alias.indicator_code, alias.role) if alias else None


ROLES = ("value", "numerator", "denominator")


def _apply_column_map(col: WideColumn, ctx: ParseContext, sheet, header_row: int) -> WideColumn:
    """The analyst's correction of one column's match, if any (`ctx.column_map`)."""
    letter = column_letter(col.index)
    if letter not in ctx.column_map:
        return col
    choice = ctx.column_map[letter]
    if choice is None:
        return WideColumn(col.index, col.label, None)
    code, role = choice
    if code not in ctx.catalogue.indicators or role not in ROLES:
        ctx.add("unknown_indicator", sheet=sheet, row=header_row + 1, column=col.name(), value=f"{code} ({role})",
                **P.suggestion_hints(ctx.catalogue.indicator_index.suggest(str(code))))
        return WideColumn(col.index, col.label, None)
    return WideColumn(col.index, col.label, HeaderAlias(code, role, col.label, ()))


def _percent_fraction_columns(mapped, data_rows, cat) -> set:
    """Rate columns that Excel stores as fractions (a cell shown as 23,08% holds 0.2308)."""
    out = set()
    for col in mapped:
        ind = cat.indicators[col.alias.indicator_code]
        if col.alias.role != "value" or ind.unit != "percent":
            continue
        cells = [row[col.index] for row in data_rows if row[col.index] is not None]
        numbers = [c for c in cells if isinstance(c, (int, float)) and not isinstance(c, bool)]
        if numbers and len(numbers) == len(cells) and all(0 <= n <= 1 for n in numbers) and any(0 < n < 1 for n in numbers):
            out.add(col)
    return out


def _check_totals(ctx, sheet, totals, unit_rows, by_indicator) -> None:
    """The totals row must equal the sum of the units (rates: ratio of sums)."""
    cat = ctx.catalogue
    rownum, total = totals
    for code, roles in by_indicator.items():
        ind = cat.indicators[code]
        for role, col in roles.items():
            written = total.get((code, role))
            if written is None:
                continue
            column_values = [parsed.get((code, role)) for _, parsed in unit_rows]
            if role in ("numerator", "denominator") or (role == "value" and ind.aggregation == "sum"):
                expected = sum(v for v in column_values if v is not None)
                if abs(written - expected) > 1e-6:
                    ctx.add("totals_mismatch", sheet=sheet, row=rownum, column=col.name(),
                            value=f"{written:g}", expected=f"{expected:g}")
            elif role == "value" and ind.is_ratio and "numerator" in roles and "denominator" in roles:
                nums = sum(p.get((code, "numerator")) or 0 for _, p in unit_rows)
                dens = sum(p.get((code, "denominator")) or 0 for _, p in unit_rows)
                if dens and abs(written - 100 * nums / dens) > RATE_TOLERANCE:
                    ctx.add("totals_mismatch", sheet=sheet, row=rownum, column=col.name(),
                            value=f"{written:g}", expected=f"{100 * nums / dens:.2f}")


# ---------------------------------------------------------------- entry
def parse_tables(tables: list[RawTable], ctx: ParseContext) -> tuple[list[Value], str | None]:
    """All values of all recognised sheets, and the layout name ('long' / 'wide')."""
    values: list[Value] = []
    layouts = []
    for table in tables:
        long_header = _find_long_header(table)
        if long_header:
            values += parse_long(table, *long_header, ctx)
            layouts.append("long")
            continue
        wide = _find_wide_header(table)
        if wide:
            values += parse_wide(table, wide, ctx)
            layouts.append("wide")
    if not layouts:
        ctx.add("no_layout", sheet=tables[0].sheet if tables else None)
        return [], None
    if not values and not P.has_errors(ctx.problems):
        ctx.add("no_values")
    return values, "+".join(sorted(set(layouts)))
