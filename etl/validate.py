"""Rules every value must pass before anything is written.

These rules look at the values themselves (and the catalogue); the rules that
need the warehouse (large changes since the previous period) live in
`etl.loader`. Each broken rule is a `Problem`; errors block the load.
"""

from __future__ import annotations

from datetime import date

from etl import problems as P
from etl.layouts import Value, column_letter  # noqa: F401  (re-exported for callers)
from etl.reference import Catalogue

SCORE_RANGES = {"dti_score": (0.0, 1.0)}  # other scores are points of 100


def successor_hint(catalogue: Catalogue, unit, start) -> dict[str, str]:
    """ " (đã sáp nhập vào …)": the unit(s) a ceased unit went into, the default first.

    Only for a period after the unit ceased; a commune divided in 2025 names every part.
    """
    if not unit.valid_to or start <= unit.valid_to:
        return {"hint_vi": "", "hint_en": ""}
    names = [catalogue.units[c].name_vi for c, _ in catalogue.successors(unit.code) if c in catalogue.units]
    if not names:
        return {"hint_vi": "", "hint_en": ""}
    if len(names) == 1:
        return {"hint_vi": f" (đã sáp nhập vào {names[0]})", "hint_en": f" (merged into {names[0]})"}
    listed = ", ".join(names)
    return {"hint_vi": f" (đã chia vào: {listed}; mặc định {names[0]})",
            "hint_en": f" (divided among: {listed}; default {names[0]})"}


def _fmt(x: float) -> str:
    return f"{x:g}"


def validate_values(values: list[Value], catalogue: Catalogue, file_name: str, today: date) -> list[P.Problem]:
    out: list[P.Problem] = []

    def add(code, v: Value, **fields):
        out.append(P.make(code, file=file_name, sheet=v.sheet, row=v.row, **fields))

    first_row: dict[tuple, Value] = {}
    future_reported: set[str] = set()
    for v in values:
        ind = catalogue.indicators[v.indicator_code]
        unit = catalogue.units[v.unit_code]
        period = v.period

        if period.start > today and period.code not in future_reported:
            future_reported.add(period.code)
            add("future_period", v, value=period.code, expected=f"≤ {today.isoformat()}")

        if not unit.exists_during(period.start, period.end):
            add("unit_not_in_period", v, value=unit.name_vi, period=period.code,
                expected=f"{unit.valid_from or '…'} – {unit.valid_to or '…'}",
                **successor_hint(catalogue, unit, period.start))

        key = (v.indicator_code, v.unit_code, period.start, period.end, v.breakdown)
        if key in first_row:
            add("duplicate_row", v, value=v.indicator_code, first_row=first_row[key].row)
        else:
            first_row[key] = v

        for part_name, part in (("numerator", v.numerator), ("denominator", v.denominator)):
            if part is not None and part < 0:
                add("negative_count", v, value=_fmt(part), column=part_name)
        if v.numerator is not None and v.denominator is not None and v.numerator > v.denominator:
            add("numerator_above_denominator", v, value=_fmt(v.numerator), expected=_fmt(v.denominator))
            continue  # the rate above 100 % is the same mistake: say it once

        x = v.value
        if x is None:
            continue
        if ind.unit == "percent" and not 0 <= x <= 100:
            add("percent_out_of_range", v, value=_fmt(x), expected="0–100")
        elif ind.unit == "count":
            if x < 0:
                add("negative_count", v, value=_fmt(x), expected="≥ 0")
            elif not float(x).is_integer():
                add("fractional_count", v, value=_fmt(x), expected="0, 1, 2 …")
        elif ind.unit == "score":
            low, high = SCORE_RANGES.get(ind.code, (0.0, 100.0))
            if not low <= x <= high:
                add("score_out_of_range", v, value=_fmt(x), expected=f"{low:g}–{high:g}")

    out += _check_breakdown_totals(values, catalogue, file_name)
    return out


def _check_breakdown_totals(values, catalogue, file_name) -> list[P.Problem]:
    """Where a file gives both a total and its breakdown, they must agree."""
    totals: dict[tuple, Value] = {}
    parts: dict[tuple, float] = {}
    for v in values:
        key = (v.indicator_code, v.unit_code, v.period.start, v.period.end)
        if catalogue.indicators[v.indicator_code].aggregation != "sum" or v.value is None:
            continue
        if v.breakdown:
            dim_key = key + (v.breakdown.split(":")[0],)  # each dimension adds up on its own
            parts[dim_key] = parts.get(dim_key, 0.0) + v.value
        else:
            totals[key] = v
    out = []
    for dim_key, summed in parts.items():
        total = totals.get(dim_key[:4])
        if total is not None and abs(summed - total.value) > 1e-6:
            out.append(P.make("breakdown_total_mismatch", file=file_name, sheet=total.sheet, row=total.row,
                              value=_fmt(total.value), expected=_fmt(summed)))
    return out
