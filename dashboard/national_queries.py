"""Queries of the national page: every province of the warehouse on one indicator and period.

Same style as ``dashboard.queries``: a cursor first, DuckDB-dialect SQL, a small
DataFrame out (and the same SQL on Spark, tests/test_spark_parity.py). A
province's value is computed exactly as ``queries.province_values`` computes it,
for all provinces in one statement (GROUP BY province), never one query each:

- its own row when it reported one (``source = 'reported'``);
- else its child units of the kinds combined by the catalogue's aggregation
  (``source = 'combined'``): ``sum`` adds; ``ratio`` is 100 × Σ numerators /
  Σ denominators over the units that gave both parts (never a mean of
  percentages); ``share`` is the units with yes over the units that existed in the
  period; ``latest`` has no combination, so it needs the province's own row.

Provinces that existed in the period and have no value are listed too, with
``reason``: ``not_reported`` (no row of it or of its units), ``needs_own_row``
(``latest``: only units reported) or ``no_figure`` (units reported, but nothing to
combine: no parts, a zero denominator, empty values).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import queries

REASONS = ("not_reported", "needs_own_row", "no_figure")


def national_indicators(cur) -> pd.DataFrame:
    """Catalogue rows (code, name_vi, name_en, unit, aggregation, direction) of indicators with any current value."""
    return cur.execute(
        """SELECT i.code, i.name_vi, i.name_en, i.unit, i.aggregation, i.direction FROM indicators i
           WHERE i.code IN (SELECT DISTINCT indicator_code FROM current_counts)
           ORDER BY i.headline DESC, i.topic, i.code"""
    ).df()


def national_periods(cur, code: str) -> pd.DataFrame:
    """Periods in which any unit reported the indicator, newest first: period_kind, period_start, period_end."""
    return cur.execute(
        """SELECT DISTINCT period_kind, period_start, period_end FROM current_facts
           WHERE indicator_code = ? ORDER BY period_end DESC, period_start DESC, period_kind""",
        [code],
    ).df()


def national_values(cur, code: str, period_kind: str, period_start: date, period_end: date,
                    kinds=None) -> pd.DataFrame:
    """Every province that existed in the period, with its value of ``code`` (best first).

    Columns: province, name_vi, name_en, valid_to, value, numerator, denominator,
    units_reported, units_expected, source ('reported' | 'combined' | NULL),
    reason (NULL when there is a value, else one of :data:`REASONS`), rank (1 = best
    by the indicator's direction; NULL without a value). Provinces without a value
    come last, by name.
    """
    aggregation = queries._aggregation(cur, code)
    kinds_sql, kinds_params = queries._kinds_sql(kinds)
    unit_level = queries.UNIT_LEVEL.replace(
        "WHERE indicator_code = ?",
        "WHERE indicator_code = ? AND period_kind = ? AND period_start = ? AND period_end = ?")
    combine = {
        "sum": "cb.sum_value",
        "ratio": "100.0 * cb.ratio_num / nullif(cb.ratio_den, 0)",
        "share": "100.0 * cb.yes / nullif(e.expected, 0)",
        "latest": "NULL",
    }[aggregation]
    numerator = "cb.yes" if aggregation == "share" else "cb.sum_num"
    denominator = "e.expected" if aggregation == "share" else "cb.sum_den"
    sql = f"""
    WITH {unit_level},
    provinces AS (
        SELECT code, name_vi, name_en, valid_to FROM units
        WHERE kind = 'province' AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)
    ),
    child_units AS (
        SELECT u.code, u.parent AS province, u.valid_from, u.valid_to
        FROM units u JOIN provinces p ON p.code = u.parent
        WHERE u.kind IN {kinds_sql}
    ),
    expected AS (
        SELECT province, count(*) AS expected FROM child_units
        WHERE (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)
        GROUP BY province
    ),
    combined AS (
        SELECT cu.province,
               sum(v.value) AS sum_value,
               sum(v.numerator) FILTER (WHERE v.denominator IS NOT NULL) AS ratio_num,
               sum(v.denominator) FILTER (WHERE v.numerator IS NOT NULL) AS ratio_den,
               sum(CASE WHEN v.value = 1 THEN 1 ELSE 0 END) AS yes,
               sum(v.numerator) AS sum_num, sum(v.denominator) AS sum_den,
               count(v.value) AS units_reported
        FROM unit_values v JOIN child_units cu ON cu.code = v.unit_code
        GROUP BY cu.province
    ),
    own AS (
        SELECT v.unit_code AS province, v.value, v.numerator, v.denominator
        FROM unit_values v JOIN provinces p ON p.code = v.unit_code
    ),
    valued AS (
        SELECT p.code AS province, p.name_vi, p.name_en, p.valid_to,
               CASE WHEN o.value IS NOT NULL THEN o.value
                    WHEN cb.province IS NOT NULL THEN {combine} END AS value,
               CASE WHEN o.value IS NOT NULL THEN o.numerator
                    WHEN cb.province IS NOT NULL THEN {numerator} END AS numerator,
               CASE WHEN o.value IS NOT NULL THEN o.denominator
                    WHEN cb.province IS NOT NULL THEN {denominator} END AS denominator,
               coalesce(cb.units_reported, 0) AS units_reported,
               coalesce(e.expected, 0) AS units_expected,
               o.value IS NOT NULL AS own_value,
               o.province IS NULL AND cb.province IS NULL AS nothing
        FROM provinces p
        LEFT JOIN own o ON o.province = p.code
        LEFT JOIN combined cb ON cb.province = p.code
        LEFT JOIN expected e ON e.province = p.code
    ),
    ordered AS (
        SELECT *, CASE WHEN value IS NULL THEN 1 ELSE 0 END AS missing,
               CASE WHEN ? = 'down' THEN value ELSE -value END AS badness
        FROM valued
    )
    SELECT province, name_vi, name_en, valid_to, value, numerator, denominator, units_reported, units_expected,
           CASE WHEN value IS NULL THEN NULL WHEN own_value THEN 'reported' ELSE 'combined' END AS source,
           CASE WHEN value IS NOT NULL THEN NULL
                WHEN nothing THEN 'not_reported'
                WHEN ? = 'latest' THEN 'needs_own_row'
                ELSE 'no_figure' END AS reason,
           CASE WHEN value IS NOT NULL THEN rank() OVER (ORDER BY missing, badness) END AS rank
    FROM ordered
    ORDER BY missing, badness, name_vi, province
    """
    direction = cur.execute("SELECT direction FROM indicators WHERE code = ?", [code]).fetchone()[0]
    return cur.execute(sql, [code, period_kind, period_start, period_end, period_end, period_start,
                             *kinds_params, period_end, period_start, direction, aggregation]).df()


def national_query(name: str, *args, db_path: Path | None = None, **kwargs):
    """Run ``national_queries.<name>(cursor, *args, **kwargs)``, cached by the warehouse's data version."""
    from dashboard.data import query_in

    return query_in(__name__, name, *args, db_path=db_path, **kwargs)
