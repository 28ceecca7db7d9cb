"""Queries of the 'By district' / 'By department' pages that dashboard.queries lacks.

Same style as dashboard/queries.py: a DuckDB cursor first, SQL in DuckDB, a
small DataFrame out. The figures themselves come from dashboard.queries
(unit_values, province_values, unit_series, latest_values_matrix).
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries import _kinds_sql


def indicators_with_unit_data(cur, kinds, *, province: str) -> pd.DataFrame:
    """Indicators that units of these kinds reported at least once, in catalogue order.

    Columns: code, name_vi, name_en, unit, aggregation, direction, target,
    numerator_vi, denominator_vi, numerator_en, denominator_en, topic.
    """
    kinds_sql, params = _kinds_sql(kinds)
    return cur.execute(
        f"""SELECT i.code, i.name_vi, i.name_en, i.unit, i.aggregation, i.direction, i.target,
                   i.numerator_vi, i.denominator_vi, i.numerator_en, i.denominator_en, i.topic
            FROM indicators i
            WHERE EXISTS (SELECT 1 FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
                          WHERE iv.indicator_code = i.code AND u.parent = ? AND u.kind IN {kinds_sql})
            ORDER BY i.topic, i.code""",
        [province, *params],
    ).df()


def dominant_kind_for_units(cur, code: str, kinds, *, province: str) -> str | None:
    """The period kind in which units of these kinds mostly report an indicator."""
    kinds_sql, params = _kinds_sql(kinds)
    row = cur.execute(
        f"""SELECT iv.period_kind FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = ? AND u.parent = ? AND u.kind IN {kinds_sql}
            GROUP BY iv.period_kind ORDER BY count(*) DESC, min(iv.period_kind) LIMIT 1""",
        [code, province, *params],
    ).fetchone()
    return row[0] if row else None
