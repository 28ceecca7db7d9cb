"""What a load would change, before it is committed.

    >>> preview_changes(cur, check.values)            # doctest: +SKIP
       indicator_code unit_code  period breakdown  old_value  new_value   change
    0  online_dossier_rate   502  2025-05             NaN       40.0       new

Each value of a checked file is compared with the current value
(`indicator_values`) for the same indicator, unit, period and breakdown:

- `new`: nothing is current for that key yet;
- `changed`: the value (or its numerator / denominator) differs; `old_value`
  holds what the load would supersede;
- `unchanged`: the same figures are already current.

Pure query: reads through the cursor it is given, writes nothing.
"""

from __future__ import annotations

import pandas as pd

from etl.layouts import Value

TOLERANCE = 1e-9
COLUMNS = ["indicator_code", "unit_code", "period", "period_start", "period_end", "breakdown",
           "old_value", "new_value", "old_numerator", "new_numerator", "old_denominator",
           "new_denominator", "old_load_id", "change", "sheet", "row"]
CHANGES = ("new", "changed", "unchanged")


def _frame(values: list[Value]) -> pd.DataFrame:
    return pd.DataFrame({
        "pos": range(len(values)),
        "indicator_code": [v.indicator_code for v in values],
        "unit_code": [v.unit_code for v in values],
        "period": [v.period.code for v in values],
        "period_start": [v.period.start for v in values],
        "period_end": [v.period.end for v in values],
        "breakdown": [v.breakdown for v in values],
        "new_value": pd.array([v.value for v in values], dtype="Float64"),
        "new_numerator": pd.array([v.numerator for v in values], dtype="Float64"),
        "new_denominator": pd.array([v.denominator for v in values], dtype="Float64"),
        "sheet": pd.array([v.sheet for v in values], dtype="string"),
        "row": [v.row for v in values],
    })


def _same(a: str, b: str) -> str:
    """SQL: both missing, or both present and within the tolerance."""
    return f"(({a} IS NULL AND {b} IS NULL) OR coalesce(abs({a} - {b}) <= $tol, false))"


def preview_changes(cur, values: list[Value]) -> pd.DataFrame:
    """One row per value: `new`, `changed` (old → new) or `unchanged`, in file order."""
    if not values:
        return pd.DataFrame({c: [] for c in COLUMNS})
    cur.register("preview_values", _frame(values))
    try:
        frame = cur.execute(
            """
            SELECT p.indicator_code, p.unit_code, p.period, p.period_start, p.period_end, p.breakdown,
                   iv.value AS old_value, p.new_value, iv.numerator AS old_numerator, p.new_numerator,
                   iv.denominator AS old_denominator, p.new_denominator, iv.load_id AS old_load_id,
                   CASE
                     WHEN iv.indicator_code IS NULL THEN 'new'
                     WHEN {same_value} AND {same_num} AND {same_den} THEN 'unchanged'
                     ELSE 'changed'
                   END AS change,
                   p.sheet, p."row"
            FROM preview_values p
            LEFT JOIN indicator_values iv
              ON iv.indicator_code = p.indicator_code AND iv.unit_code = p.unit_code
             AND iv.period_start = p.period_start AND iv.period_end = p.period_end
             AND iv.breakdown = p.breakdown
            ORDER BY p.pos
            """.format(
                same_value=_same("p.new_value", "iv.value"),
                same_num=_same("p.new_numerator", "iv.numerator"),
                same_den=_same("p.new_denominator", "iv.denominator"),
            ),
            {"tol": TOLERANCE},
        ).df()
    finally:
        cur.unregister("preview_values")
    return frame[COLUMNS]


def count_changes(frame: pd.DataFrame) -> dict[str, int]:
    """`{'new': n, 'changed': n, 'unchanged': n}` of a preview."""
    counts = frame["change"].value_counts() if len(frame) else {}
    return {c: int(counts.get(c, 0)) for c in CHANGES}
