"""Named, tested queries over the warehouse's `indicator_values` view.

Every function takes a DuckDB cursor first and returns a small, aggregated
pandas DataFrame (or a scalar). All aggregation happens in DuckDB; no function
pulls the fact table into pandas. The SQL speaks only of the contract's views and
tables (`indicator_values`, `units`, `indicators`, `breakdowns`, `loads`).

How figures combine (the catalogue's `aggregation`), written down once here:

- unit value: a total row (breakdown '') wins over the sum of its breakdown rows;
  a rate with parts is 100 * numerator / denominator.
- province value: the province's own row when it reported one; otherwise its
  child units combined: `sum` adds values; `ratio` is 100 * sum(numerators) /
  sum(denominators) over units that gave parts (never a mean of percentages);
  `share` is units with yes over units that existed in the period; `latest` has
  no meaningful combination across units, so it needs the province's own row.
- a period with no rows is "no data" (NULL), never 0.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

# "commune": since the 2025 reorganisation communes sit directly under a province (national data)
DISTRICT_KINDS = ("city", "town", "district", "commune")
DEPARTMENT_KINDS = ("department",)
ALL_CHILD_KINDS = DISTRICT_KINDS + DEPARTMENT_KINDS

# Deadlines the source articles give (meeting of April 2022; meeting of 06/03/2023).
DEADLINES = {
    "steering_committee_formed": date(2022, 5, 10),
}

_AGGREGATIONS = {"sum", "ratio", "share", "latest"}


def _kinds_sql(kinds) -> tuple[str, list]:
    kinds = tuple(kinds or ALL_CHILD_KINDS)
    return "(" + ", ".join("?" for _ in kinds) + ")", list(kinds)


# The per-unit value of one indicator in every period, breakdown collapsed.
UNIT_LEVEL = """
unit_level AS (
    SELECT indicator_code, unit_code, period_kind, period_start, period_end,
           coalesce(max(value) FILTER (WHERE breakdown = ''),
                    sum(value) FILTER (WHERE breakdown <> '')) AS raw_value,
           coalesce(max(numerator) FILTER (WHERE breakdown = ''),
                    sum(numerator) FILTER (WHERE breakdown <> '')) AS numerator,
           coalesce(max(denominator) FILTER (WHERE breakdown = ''),
                    sum(denominator) FILTER (WHERE breakdown <> '')) AS denominator
    FROM indicator_values
    WHERE indicator_code = ?
    GROUP BY ALL
),
unit_values AS (
    -- a percent with parts is recomputed from them; a count with parts
    -- (11 of 14 databases connected) keeps its value
    SELECT ul.*, CASE WHEN i.unit = 'percent' AND numerator IS NOT NULL AND denominator IS NOT NULL
                   THEN CASE WHEN denominator = 0 THEN NULL ELSE 100.0 * numerator / denominator END
                   ELSE raw_value END AS value
    FROM unit_level ul JOIN indicators i ON i.code = ul.indicator_code
)
"""


def indicator_info(cur, code: str) -> dict | None:
    frame = cur.execute("SELECT * FROM indicators WHERE code = ?", [code]).df()
    return None if frame.empty else frame.iloc[0].to_dict()


def indicators(cur) -> pd.DataFrame:
    return cur.execute("SELECT * FROM indicators ORDER BY topic, code").df()


def units(cur, kinds=None, *, province: str | None = None) -> pd.DataFrame:
    """Units of the kinds (every province's; only ``province``'s children when given)."""
    sql, params = _kinds_sql(kinds)
    where, extra = ("AND u.parent = ?", [province]) if province is not None else ("", [])
    return cur.execute(
        f"""SELECT u.*, s.name_vi AS successor_name FROM units u
            LEFT JOIN units s ON s.code = u.successor
            WHERE u.kind IN {sql} {where} ORDER BY u.code""",
        [*params, *extra],
    ).df()


def province_as_of(cur, province: str) -> date | None:
    """The last period end reported by `province`, its units, or the provinces it was formed from
    (their units included): the sidebar's "data up to" for one province of a national warehouse.
    Read from current_counts (one row per indicator, unit and period kind), never the fact table."""
    row = cur.execute(
        """WITH scope AS (SELECT ? AS code UNION SELECT code FROM units WHERE kind = 'province' AND successor = ?),
                members AS (SELECT code FROM scope UNION SELECT u.code FROM units u JOIN scope s ON u.parent = s.code
                            UNION SELECT c.code FROM units c JOIN units d ON c.parent = d.code
                                  JOIN scope s ON d.parent = s.code)
           SELECT max(cc.last_end) FROM current_counts cc JOIN members m ON m.code = cc.unit_code""",
        [province, province]).fetchone()
    return None if row is None or row[0] is None else pd.Timestamp(row[0]).date()


def holds_sample_data(cur) -> bool:
    """Whether any active load is the bundled sample (loaded by etl.bootstrap as who='sample')."""
    return bool(cur.execute(
        "SELECT count(*) FROM loads WHERE status = 'active' AND loaded_by = 'sample'").fetchone()[0])


def as_of(cur) -> dict:
    """The data's 'as of': last period end reported and last load time."""
    # max(period_end) of current_facts comes from the column's statistics (no scan);
    # it is the view's answer as soon as one row of that day belongs to a known unit
    top = cur.execute("SELECT max(period_end) FROM current_facts").fetchall()[0][0]
    if top is not None and not cur.execute(
            "SELECT 1 FROM current_facts c JOIN units u ON u.code = c.unit_code WHERE c.period_end = ? LIMIT 1",
            [top]).fetchall():
        top = cur.execute("SELECT max(period_end) FROM indicator_values").fetchall()[0][0]
    row = cur.execute(
        """SELECT (SELECT max(loaded_at) FROM loads WHERE status = 'active'),
                  (SELECT count(*) FROM loads WHERE status = 'active')"""
    ).fetchall()[0]
    return {"period_end": top, "loaded_at": row[0], "loads": row[1]}


def periods(cur, code: str, kinds=None, *, province: str) -> pd.DataFrame:
    """Periods with data for an indicator (newest first), and how many of the province's units
    (itself and its children of the kinds) reported."""
    sql, params = _kinds_sql(tuple(kinds or ALL_CHILD_KINDS) + ("province",))
    # count(DISTINCT unit_code) without hashing every row: a total row (breakdown '') is the
    # only one of its unit and period; a unit-period with breakdown rows only is added once
    return cur.execute(
        f"""WITH r AS (
                SELECT c.unit_code, c.period_kind, c.period_start, c.period_end, c.breakdown
                FROM current_facts c JOIN units u ON u.code = c.unit_code
                WHERE c.indicator_code = ? AND u.kind IN {sql} AND (u.parent = ? OR u.code = ?)),
            parts_only AS (
                SELECT b.unit_code, b.period_kind, b.period_start, b.period_end
                FROM (SELECT DISTINCT unit_code, period_kind, period_start, period_end
                      FROM r WHERE breakdown <> '') b
                LEFT JOIN r t ON t.breakdown = '' AND t.unit_code = b.unit_code
                     AND t.period_kind = b.period_kind AND t.period_start = b.period_start
                     AND t.period_end = b.period_end
                WHERE t.unit_code IS NULL),
            reported AS (
                SELECT period_kind, period_start, period_end FROM r WHERE breakdown = ''
                UNION ALL SELECT period_kind, period_start, period_end FROM parts_only)
            SELECT period_kind, period_start, period_end, count(*) AS units
            FROM reported GROUP BY ALL ORDER BY period_end DESC, period_start""",
        [code, *params, province, province],
    ).df()


def dominant_period_kind(cur, code: str) -> str | None:
    """The period kind an indicator is mostly reported in (its natural series)."""
    row = cur.execute(
        """SELECT period_kind FROM indicator_values WHERE indicator_code = ?
           GROUP BY period_kind ORDER BY count(*) DESC, min(period_kind) LIMIT 1""",
        [code],
    ).fetchone()
    return row[0] if row else None


def _aggregation(cur, code: str) -> str:
    row = cur.execute("SELECT aggregation FROM indicators WHERE code = ?", [code]).fetchone()
    if row is None or row[0] not in _AGGREGATIONS:
        raise KeyError(f"unknown indicator {code!r}")
    return row[0]


def _combine_sql(aggregation: str) -> str:
    if aggregation == "sum":
        return "sum(c.value)"
    if aggregation == "ratio":
        return ("100.0 * sum(c.numerator) FILTER (WHERE c.denominator IS NOT NULL) / "
                "nullif(sum(c.denominator) FILTER (WHERE c.numerator IS NOT NULL), 0)")
    if aggregation == "share":
        return "100.0 * sum(CASE WHEN c.value = 1 THEN 1 ELSE 0 END) / nullif(any_value(e.expected), 0)"
    return "NULL"  # latest: only the province's own report


def former_provinces(cur, province: str) -> list[str]:
    """The provinces that became `province` (Quảng Nam 49 and the former Đà Nẵng cu-48 -> 48)."""
    return [r[0] for r in cur.execute(
        "SELECT code FROM units WHERE kind = 'province' AND successor = ? AND code <> ? ORDER BY code",
        [province, province]).fetchall()]


def former_province_rows(cur, province: str) -> pd.DataFrame:
    """code, name_vi, name_en, valid_to of the provinces that became `province`."""
    return cur.execute(
        "SELECT code, name_vi, name_en, valid_to FROM units WHERE kind = 'province' AND successor = ? "
        "AND code <> ? ORDER BY code", [province, province]).df()


def province_values(cur, code: str, kinds=None, period_kind: str | None = None, *,
                    province: str) -> pd.DataFrame:
    """The province's value for every period of an indicator, oldest first.

    Columns: period_kind, period_start, period_end, value, numerator, denominator,
    units_reported, units_expected, source ('reported' | 'combined' | 'former' |
    'former_partial'), formers_missing (codes of the former provinces without a usable value,
    comma-separated).

    A province formed from others on 1 July 2025 has, before it began, the series of its
    former provinces combined ('former'), by the same rule as units: sum, ratio of the summed
    parts, share of units that existed. Where one of them has no value (or a rate without its
    parts, or an indicator of kind `latest`), the period is 'former_partial' with no value:
    a part is never passed off as the whole.
    """
    own = _province_values_own(cur, code, kinds, period_kind, province=province)
    formers = former_provinces(cur, province)
    if not formers:
        return own.assign(formers_missing=pd.Series([None] * len(own), dtype="object"))
    began = cur.execute("SELECT valid_from FROM units WHERE code = ?", [province]).fetchone()[0]
    parts = {f: _province_values_own(cur, code, kinds, period_kind, province=f) for f in formers}
    before = combine_former_provinces(parts, _aggregation(cur, code), began)
    if began is not None:
        own = own[pd.to_datetime(own["period_end"]) >= pd.Timestamp(began)] if len(own) else own
    own = own.assign(formers_missing=pd.Series([None] * len(own), dtype="object"))
    frame = pd.concat([f for f in (before, own) if len(f)], ignore_index=True) if len(before) or len(own) else own
    return frame.sort_values(["period_end", "period_start"], ignore_index=True)


def combine_former_provinces(parts: dict[str, pd.DataFrame], aggregation: str, began) -> pd.DataFrame:
    """One row per period before `began`: the former provinces' values combined (see province_values)."""
    key = ["period_kind", "period_start", "period_end"]
    columns = key + ["value", "numerator", "denominator", "units_reported", "units_expected", "source",
                     "formers_missing"]
    rows = []
    frames = [f.assign(former=code) for code, f in parts.items() if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    stacked = pd.concat(frames, ignore_index=True)
    if began is not None:
        stacked = stacked[pd.to_datetime(stacked["period_end"]) < pd.Timestamp(began)]
    for period, group in stacked.groupby(key, sort=True):
        by_former = {r.former: r for r in group.itertuples(index=False)}
        if aggregation == "sum":
            usable = {f for f, r in by_former.items() if pd.notna(r.value)}
        elif aggregation in ("ratio", "share"):
            usable = {f for f, r in by_former.items() if pd.notna(r.numerator) and pd.notna(r.denominator)}
        else:  # latest: no meaningful combination across provinces
            usable = set()
        missing = [f for f in parts if f not in usable]
        value = numerator = denominator = None
        if not missing:
            if aggregation == "sum":
                value = float(sum(by_former[f].value for f in usable))
            else:
                numerator = float(sum(by_former[f].numerator for f in usable))
                denominator = float(sum(by_former[f].denominator for f in usable))
                value = 100.0 * numerator / denominator if denominator else None
        rows.append((*period, value, numerator, denominator,
                     int(group["units_reported"].fillna(0).sum()), int(group["units_expected"].fillna(0).sum()),
                     "former" if not missing else "former_partial", ", ".join(missing) or None))
    return pd.DataFrame(rows, columns=columns)


def _province_values_own(cur, code: str, kinds=None, period_kind: str | None = None, *,
                         province: str) -> pd.DataFrame:
    """province_values of one province from its own rows and its children only."""
    aggregation = _aggregation(cur, code)
    kinds_sql, kinds_params = _kinds_sql(kinds)
    kind_filter = "AND period_kind = ?" if period_kind else ""
    kind_params = [period_kind] if period_kind else []
    share_num = "sum(CASE WHEN c.value = 1 THEN 1 ELSE 0 END)" if aggregation == "share" else "sum(c.numerator)"
    share_den = "any_value(e.expected)" if aggregation == "share" else "sum(c.denominator)"
    # only the province's own rows and its children's are read (national data: one province of 34)
    unit_level = UNIT_LEVEL.replace(
        "WHERE indicator_code = ?",
        "WHERE indicator_code = ? AND unit_code IN (SELECT code FROM units WHERE parent = ? OR code = ?)")
    sql = f"""
    WITH {unit_level},
    child_units AS (
        SELECT code, valid_from, valid_to FROM units WHERE parent = ? AND kind IN {kinds_sql}
    ),
    children AS (
        SELECT v.* FROM unit_values v JOIN child_units cu ON cu.code = v.unit_code
        WHERE TRUE {kind_filter}
    ),
    periods AS (SELECT DISTINCT period_kind, period_start, period_end FROM children
                UNION SELECT DISTINCT period_kind, period_start, period_end FROM unit_values
                      WHERE unit_code = ? {kind_filter}),
    expected AS (
        SELECT p.period_kind, p.period_start, p.period_end, count(cu.code) AS expected
        FROM periods p LEFT JOIN child_units cu
          ON (cu.valid_from IS NULL OR cu.valid_from <= p.period_end)
         AND (cu.valid_to IS NULL OR cu.valid_to >= p.period_start)
        GROUP BY ALL
    ),
    combined AS (
        SELECT c.period_kind, c.period_start, c.period_end,
               {_combine_sql(aggregation)} AS value,
               {share_num} AS numerator, {share_den} AS denominator,
               count(c.value) AS units_reported
        FROM children c JOIN expected e USING (period_kind, period_start, period_end)
        GROUP BY ALL
    ),
    own AS (SELECT * FROM unit_values WHERE unit_code = ? {kind_filter})
    SELECT p.period_kind, p.period_start, p.period_end,
           CASE WHEN o.value IS NOT NULL THEN o.value ELSE cb.value END AS value,
           CASE WHEN o.value IS NOT NULL THEN o.numerator ELSE cb.numerator END AS numerator,
           CASE WHEN o.value IS NOT NULL THEN o.denominator ELSE cb.denominator END AS denominator,
           coalesce(cb.units_reported, 0) AS units_reported, e.expected AS units_expected,
           CASE WHEN o.value IS NOT NULL THEN 'reported' ELSE 'combined' END AS source
    FROM periods p
    LEFT JOIN own o USING (period_kind, period_start, period_end)
    LEFT JOIN combined cb USING (period_kind, period_start, period_end)
    LEFT JOIN expected e USING (period_kind, period_start, period_end)
    ORDER BY p.period_end, p.period_start
    """
    params = [code, province, province, province, *kinds_params, *kind_params, province, *kind_params, province,
              *kind_params]
    return cur.execute(sql, params).df()


def unit_values(cur, code: str, period_start: date, period_end: date, kinds=None, *,
                province: str) -> pd.DataFrame:
    """Every unit of the kinds that existed in the period, with its value (NULL: not reported).

    Columns: unit_code, unit_name, name_en, kind, value, numerator, denominator,
    reported, valid_to, successor, successor_name, lat, lon. Best first by value.
    """
    kinds_sql, kinds_params = _kinds_sql(kinds)
    sql = f"""
    WITH {UNIT_LEVEL}
    SELECT u.code AS unit_code, u.name_vi AS unit_name, u.name_en, u.kind,
           v.value, v.numerator, v.denominator, v.value IS NOT NULL AS reported,
           u.valid_to, u.successor, s.name_vi AS successor_name, u.lat, u.lon
    FROM units u
    LEFT JOIN unit_values v ON v.unit_code = u.code AND v.period_start = ? AND v.period_end = ?
    LEFT JOIN units s ON s.code = u.successor
    WHERE u.parent = ? AND u.kind IN {kinds_sql}
      AND (u.valid_from IS NULL OR u.valid_from <= ?)
      AND (u.valid_to IS NULL OR u.valid_to >= ?)
    ORDER BY v.value DESC NULLS LAST, u.name_vi
    """
    return cur.execute(sql, [code, period_start, period_end, province, *kinds_params, period_end, period_start]).df()


def unit_values_at(cur, wanted: list[tuple[str, date, date]], kinds=None, *,
                   province: str) -> pd.DataFrame:
    """``unit_values`` of several indicators in one statement, each in its own period.

    ``wanted``: (indicator code, period start, period end) tuples. Columns: indicator_code,
    period_start, period_end, then those of ``unit_values``; ordered by indicator and period,
    then as ``unit_values``.
    """
    columns = ["indicator_code", "period_start", "period_end", "unit_code", "unit_name", "name_en", "kind",
               "value", "numerator", "denominator", "reported", "valid_to", "successor", "successor_name",
               "lat", "lon"]
    if not wanted:
        return pd.DataFrame(columns=columns)
    kinds_sql, kinds_params = _kinds_sql(kinds)
    wanted_sql = " UNION ALL ".join(
        "SELECT CAST(? AS VARCHAR) AS w_code, CAST(? AS DATE) AS w_start, CAST(? AS DATE) AS w_end" for _ in wanted)
    # only the wanted periods of the province's own units are read (national data: one province of 34)
    unit_level = UNIT_LEVEL.replace(
        "FROM indicator_values\n    WHERE indicator_code = ?",
        """FROM indicator_values JOIN wanted
      ON indicator_code = w_code AND period_start = w_start AND period_end = w_end
    WHERE unit_code IN (SELECT code FROM units WHERE parent = ?)""")
    sql = f"""
    WITH wanted AS ({wanted_sql}),
    {unit_level}
    SELECT w.w_code AS indicator_code, w.w_start AS period_start, w.w_end AS period_end,
           u.code AS unit_code, u.name_vi AS unit_name, u.name_en, u.kind,
           v.value, v.numerator, v.denominator, v.value IS NOT NULL AS reported,
           u.valid_to, u.successor, s.name_vi AS successor_name, u.lat, u.lon
    FROM wanted w
    JOIN units u ON u.parent = ? AND u.kind IN {kinds_sql}
      AND (u.valid_from IS NULL OR u.valid_from <= w.w_end)
      AND (u.valid_to IS NULL OR u.valid_to >= w.w_start)
    LEFT JOIN unit_values v ON v.indicator_code = w.w_code AND v.unit_code = u.code
      AND v.period_start = w.w_start AND v.period_end = w.w_end
    LEFT JOIN units s ON s.code = u.successor
    ORDER BY w.w_code, w.w_start, w.w_end, v.value DESC NULLS LAST, u.name_vi
    """
    params = [p for row in wanted for p in row] + [province, province, *kinds_params]
    return cur.execute(sql, params).df()[columns]


def unit_series(cur, code: str, unit_codes: list[str], period_kind: str | None = None) -> pd.DataFrame:
    """Each chosen unit's values over time (oldest first)."""
    if not unit_codes:
        return pd.DataFrame(columns=["unit_code", "unit_name", "period_kind", "period_start", "period_end",
                                     "value", "numerator", "denominator"])
    placeholders = ", ".join("?" for _ in unit_codes)
    kind_filter = "AND v.period_kind = ?" if period_kind else ""
    sql = f"""
    WITH {UNIT_LEVEL}
    SELECT v.unit_code, u.name_vi AS unit_name, v.period_kind, v.period_start, v.period_end,
           v.value, v.numerator, v.denominator
    FROM unit_values v JOIN units u ON u.code = v.unit_code
    WHERE v.unit_code IN ({placeholders}) {kind_filter}
    ORDER BY v.unit_code, v.period_end, v.period_start
    """
    return cur.execute(sql, [code, *unit_codes, *([period_kind] if period_kind else [])]).df()


def latest_values_matrix(cur, kinds=None, *, province: str) -> pd.DataFrame:
    """Units × indicators: each indicator's latest period in its dominant kind (heatmap).

    The dominant kind is the one with most unit-periods among the province's units
    of the kinds; its latest period the last period end there (both from
    ``current_counts``, so only the latest period's values are read).

    Columns: indicator_code, period_kind, period_start, period_end, unit_code,
    unit_name, value.
    """
    kinds_sql, kinds_params = _kinds_sql(kinds)
    sql = f"""
    WITH child AS (SELECT code, name_vi FROM units WHERE parent = ? AND kind IN {kinds_sql}),
    counts AS (
        SELECT c.indicator_code, c.period_kind, sum(c.n_periods) AS n, max(c.last_end) AS last_end
        FROM current_counts c JOIN child u ON u.code = c.unit_code
        GROUP BY ALL
    ),
    dominant AS (
        SELECT indicator_code, arg_max(period_kind, n) AS period_kind FROM counts GROUP BY indicator_code
    ),
    latest AS (
        SELECT d.indicator_code, d.period_kind, c.last_end AS period_end
        FROM dominant d JOIN counts c ON c.indicator_code = d.indicator_code AND c.period_kind = d.period_kind
    ),
    totals AS (
        SELECT iv.indicator_code, iv.unit_code, iv.period_kind, iv.period_start, iv.period_end,
               coalesce(max(iv.value) FILTER (WHERE iv.breakdown = ''), sum(iv.value) FILTER (WHERE iv.breakdown <> '')) AS raw_value,
               coalesce(max(iv.numerator) FILTER (WHERE iv.breakdown = ''), sum(iv.numerator) FILTER (WHERE iv.breakdown <> '')) AS numerator,
               coalesce(max(iv.denominator) FILTER (WHERE iv.breakdown = ''), sum(iv.denominator) FILTER (WHERE iv.breakdown <> '')) AS denominator
        FROM indicator_values iv
        JOIN latest l ON l.indicator_code = iv.indicator_code AND l.period_kind = iv.period_kind
                     AND l.period_end = iv.period_end
        WHERE iv.unit_code IN (SELECT code FROM child)
        GROUP BY iv.indicator_code, iv.unit_code, iv.period_kind, iv.period_start, iv.period_end
    )
    SELECT t.indicator_code, t.period_kind, t.period_start, t.period_end, t.unit_code,
           u.name_vi AS unit_name,
           CASE WHEN i.unit = 'percent' AND t.numerator IS NOT NULL AND t.denominator IS NOT NULL
                THEN 100.0 * t.numerator / nullif(t.denominator, 0) ELSE t.raw_value END AS value
    FROM totals t
    JOIN child u ON u.code = t.unit_code
    JOIN indicators i ON i.code = t.indicator_code
    ORDER BY t.indicator_code, u.name_vi
    """
    return cur.execute(sql, [province, *kinds_params]).df()


def breakdown_values(cur, code: str, unit_code: str | None = None, kinds=None, *,
                     province: str) -> pd.DataFrame:
    """Values by breakdown over time: for one unit, or summed over the province's units of the kinds.

    Columns: period_kind, period_start, period_end, breakdown, name_vi, name_en, value.
    """
    if unit_code:
        where, params = "iv.unit_code = ?", [unit_code]
    else:
        kinds_sql, kinds_params = _kinds_sql(kinds)
        where, params = f"u.parent = ? AND u.kind IN {kinds_sql}", [province, *kinds_params]
    return cur.execute(
        f"""SELECT iv.period_kind, iv.period_start, iv.period_end, iv.breakdown,
                   b.name_vi, b.name_en, sum(iv.value) AS value
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            LEFT JOIN breakdowns b ON b.breakdown = iv.breakdown
            WHERE iv.indicator_code = ? AND iv.breakdown <> '' AND {where}
            GROUP BY ALL ORDER BY iv.period_end, iv.breakdown""",
        [code, *params],
    ).df()


def breakdown_by_unit(cur, code: str, period_start: date, period_end: date, *, province: str) -> pd.DataFrame:
    """One period's values by the province's units and breakdown (e.g. IT projects by department and status)."""
    return cur.execute(
        """SELECT iv.unit_code, u.name_vi AS unit_name, u.kind, iv.breakdown, b.name_vi, b.name_en,
                  iv.value
           FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           LEFT JOIN breakdowns b ON b.breakdown = iv.breakdown
           WHERE iv.indicator_code = ? AND iv.period_start = ? AND iv.period_end = ? AND iv.breakdown <> ''
             AND u.parent = ?
           ORDER BY u.name_vi, iv.breakdown""",
        [code, period_start, period_end, province],
    ).df()


def yes_no_status(cur, code: str, kinds=None, *, province: str) -> pd.DataFrame:
    """For a yes-no indicator: each unit's latest answer and the first period it said yes.

    Columns: unit_code, unit_name, kind, formed (bool or NULL), first_yes (date),
    latest_period_end (date), valid_to.
    """
    kinds_sql, kinds_params = _kinds_sql(kinds)
    return cur.execute(
        f"""WITH answers AS (
                SELECT unit_code, period_start, period_end, value FROM indicator_values
                WHERE indicator_code = ? AND breakdown = '')
            SELECT u.code AS unit_code, u.name_vi AS unit_name, u.kind,
                   arg_max(a.value, a.period_end) = 1 AS formed,
                   min(a.period_end) FILTER (WHERE a.value = 1) AS first_yes,
                   max(a.period_end) AS latest_period_end, u.valid_to
            FROM units u LEFT JOIN answers a ON a.unit_code = u.code
            WHERE u.parent = ? AND u.kind IN {kinds_sql}
              -- only units that existed while the indicator was reported
              AND (u.valid_from IS NULL OR u.valid_from <= (SELECT max(period_end) FROM answers))
              AND (u.valid_to IS NULL OR u.valid_to >= (SELECT min(period_start) FROM answers))
            GROUP BY ALL ORDER BY formed NULLS FIRST, u.kind, u.name_vi""",
        [code, province, *kinds_params],
    ).df()


def headline_codes(cur) -> list[str]:
    return [r[0] for r in cur.execute("SELECT code FROM indicators WHERE headline ORDER BY topic, code").fetchall()]
