"""Queries and rules behind the overview and indicator pages.

Same style as ``dashboard.queries``: every function takes a DuckDB cursor first
and returns a small DataFrame; the province figures come from
``queries.province_values`` (ratio of sums, share of units, see its docstring),
so there is one definition of a province value. ``query(name, ...)`` runs one of
these functions cached under the warehouse's data version, like
``dashboard.data.query``.

>>> status_of(72.0, target=80.0, previous=None, direction="up")
'at_risk'
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from dashboard import queries
from etl.periods import Period

ON_TRACK, AT_RISK, BEHIND, NO_DATA, NO_STATUS = "on_track", "at_risk", "behind", "no_data", "no_status"
AT_RISK_SHARE = 0.8  # at least 80% of the target (direction up): at risk, not behind
TOLERANCE = 0.05  # without a target: worse than the previous period by at most 5%: at risk

# Units compared in "furthest behind": districts and departments.
CHILD_KINDS = queries.ALL_CHILD_KINDS


def _missing(x) -> bool:
    """None, NaN, pd.NA or NaT (a value a card shows as "no data")."""
    return x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x))


def status_of(value, target=None, previous=None, direction: str = "up") -> str:
    """The status of an indicator's latest value.

    - no value: ``no_data``; direction ``neutral`` (e.g. IT projects): ``no_status``.
    - with a target, direction up: ``value >= target`` on track, ``value >= 80%``
      of the target at risk, else behind. Direction down mirrors it: ``value <=
      target`` on track, ``value <= 120%`` of the target at risk, else behind.
    - without a target: compared with the previous period of the same kind.
      Not worse: on track; worse by at most 5% of the previous value: at risk;
      worse by more: behind. No previous value: ``no_status`` (nothing to compare).

    >>> status_of(100, 80), status_of(64, 80), status_of(63.9, 80)
    ('on_track', 'at_risk', 'behind')
    >>> status_of(96, None, previous=100), status_of(94, None, previous=100)
    ('at_risk', 'behind')
    """
    if _missing(value):
        return NO_DATA
    if direction == "neutral":
        return NO_STATUS
    value = float(value)
    sign = -1.0 if direction == "down" else 1.0
    if not _missing(target):
        target = float(target)
        if sign * value >= sign * target:
            return ON_TRACK
        limit = target * AT_RISK_SHARE if direction != "down" else target * (2 - AT_RISK_SHARE)
        return AT_RISK if sign * value >= sign * limit else BEHIND
    if _missing(previous):
        return NO_STATUS
    previous = float(previous)
    worse_by = sign * (previous - value)  # > 0: worse than before
    if worse_by <= 0:
        return ON_TRACK
    if previous == 0:
        return BEHIND
    return AT_RISK if worse_by / abs(previous) <= TOLERANCE else BEHIND


def as_date(d) -> date | None:
    """A DuckDB/pandas date (Timestamp, datetime64, date) as a plain ``date``."""
    if _missing(d):
        return None
    if isinstance(d, datetime):  # Timestamp is a datetime
        return d.date()
    if isinstance(d, date):
        return d
    return pd.Timestamp(d).date()


def period_label(kind: str, start, end, lang: str = "vi") -> str:
    """``Period(kind, start, end).label(lang)`` for values as DuckDB returns them."""
    return Period(kind, as_date(start), as_date(end)).label(lang)


def province_series(cur, code: str, period_kind: str | None = None, *, province: str) -> pd.DataFrame:
    """The province series of an indicator in its dominant period kind (or ``period_kind``).

    Columns as ``queries.province_values``; empty when the indicator has no data.
    """
    kind = period_kind or queries.dominant_period_kind(cur, code)
    if kind is None:
        return queries.province_values(cur, code, period_kind="__none__", province=province)
    return queries.province_values(cur, code, period_kind=kind, province=province)


_LATEST_COLUMNS = [
    "code", "name_vi", "name_en", "unit", "aggregation", "direction", "target", "target_year",
    "headline", "topic", "period_kind", "period_start", "period_end", "value", "numerator",
    "denominator", "units_reported", "prev_period_start", "prev_period_end", "prev_value", "status",
]


# The province series of every indicator (or of the chosen ones) in its dominant kind,
# exactly as ``province_series`` / ``queries.province_values`` compute them, in one
# statement: only the last two periods with a value of each indicator are returned
# (nth 1: latest, 2: the one before). The dominant kind comes from current_counts;
# only the province's own rows and its units' rows are read; a unit-period is collapsed
# over its breakdown rows (queries.UNIT_LEVEL) only where it has some; the children's
# figures and the province's own row of a period come from one pass over the rows.
_PROVINCE_LATEST = """
WITH dominant AS (
    SELECT indicator_code, period_kind FROM (
        SELECT c.indicator_code, c.period_kind, sum(c.n_rows) AS n
        FROM current_counts c JOIN units u ON u.code = c.unit_code
        WHERE {codes}
        GROUP BY ALL)
    QUALIFY row_number() OVER (PARTITION BY indicator_code ORDER BY n DESC, period_kind) = 1
),
-- the recent periods of each indicator's dominant kind: from its latest period end (current_counts)
-- back over at least six periods; none for ranges and dates, whose spacing is not known
-- (days in every branch: Spark wants one interval type)
windows AS (
    SELECT d.indicator_code,
           max(c.last_end) - CASE d.period_kind WHEN 'week' THEN INTERVAL 56 DAY WHEN 'month' THEN INTERVAL 250 DAY
                                 WHEN 'quarter' THEN INTERVAL 1100 DAY WHEN 'half' THEN INTERVAL 1470 DAY
                                 WHEN 'year' THEN INTERVAL 3660 DAY END AS since
    FROM dominant d
    JOIN current_counts c ON c.indicator_code = d.indicator_code AND c.period_kind = d.period_kind
    JOIN units u ON u.code = c.unit_code
    WHERE u.parent = ? OR u.code = ?
    GROUP BY d.indicator_code, d.period_kind
),
fact_rows AS (
    SELECT c.indicator_code, c.unit_code, c.period_kind, c.period_start, c.period_end,
           c.breakdown, c.value, c.numerator, c.denominator,
           u.code = ? AS own, coalesce(u.parent = ? AND u.kind IN {kinds}, FALSE) AS child
    FROM current_facts c JOIN units u ON u.code = c.unit_code
    {window_join}
    WHERE (u.parent = ? OR u.code = ?) AND {codes}
),
with_parts AS (
    SELECT DISTINCT indicator_code, unit_code, period_kind, period_start, period_end
    FROM fact_rows WHERE breakdown <> ''
),
unit_level AS (
    SELECT r.indicator_code, r.unit_code, r.period_kind, r.period_start, r.period_end, r.own, r.child,
           r.value AS raw_value, r.numerator, r.denominator
    FROM fact_rows r
    LEFT JOIN with_parts w ON w.indicator_code = r.indicator_code AND w.unit_code = r.unit_code
         AND w.period_kind = r.period_kind AND w.period_start = r.period_start AND w.period_end = r.period_end
    WHERE r.breakdown = '' AND w.unit_code IS NULL
    UNION ALL
    SELECT r.indicator_code, r.unit_code, r.period_kind, r.period_start, r.period_end, r.own, r.child,
           coalesce(max(r.value) FILTER (WHERE r.breakdown = ''),
                    sum(r.value) FILTER (WHERE r.breakdown <> '')) AS raw_value,
           coalesce(max(r.numerator) FILTER (WHERE r.breakdown = ''),
                    sum(r.numerator) FILTER (WHERE r.breakdown <> '')) AS numerator,
           coalesce(max(r.denominator) FILTER (WHERE r.breakdown = ''),
                    sum(r.denominator) FILTER (WHERE r.breakdown <> '')) AS denominator
    FROM fact_rows r
    JOIN with_parts w ON w.indicator_code = r.indicator_code AND w.unit_code = r.unit_code
         AND w.period_kind = r.period_kind AND w.period_start = r.period_start AND w.period_end = r.period_end
    GROUP BY r.indicator_code, r.unit_code, r.period_kind, r.period_start, r.period_end, r.own, r.child
),
unit_values AS (
    SELECT ul.indicator_code, ul.period_kind, ul.period_start, ul.period_end, ul.own, ul.child,
           ul.numerator, ul.denominator,
           CASE WHEN i.unit = 'percent' AND ul.numerator IS NOT NULL AND ul.denominator IS NOT NULL
                THEN CASE WHEN ul.denominator = 0 THEN NULL ELSE 100.0 * ul.numerator / ul.denominator END
                ELSE ul.raw_value END AS value
    FROM unit_level ul JOIN indicators i ON i.code = ul.indicator_code
),
by_period AS (
    SELECT indicator_code, period_kind, period_start, period_end,
           count(*) FILTER (WHERE child) AS children,
           sum(value) FILTER (WHERE child) AS sum_value,
           sum(numerator) FILTER (WHERE child AND denominator IS NOT NULL) AS ratio_num,
           sum(denominator) FILTER (WHERE child AND numerator IS NOT NULL) AS ratio_den,
           sum(numerator) FILTER (WHERE child) AS sum_num,
           sum(denominator) FILTER (WHERE child) AS sum_den,
           sum(CASE WHEN value = 1 THEN 1 ELSE 0 END) FILTER (WHERE child) AS yes,
           count(value) FILTER (WHERE child) AS units_reported,
           max(value) FILTER (WHERE own) AS own_value,
           max(numerator) FILTER (WHERE own) AS own_numerator,
           max(denominator) FILTER (WHERE own) AS own_denominator
    FROM unit_values
    WHERE child OR own
    GROUP BY indicator_code, period_kind, period_start, period_end
),
periods AS (
    SELECT b.*, i.aggregation FROM by_period b
    JOIN dominant d ON d.indicator_code = b.indicator_code AND d.period_kind = b.period_kind
    JOIN indicators i ON i.code = b.indicator_code
),
child_units AS (SELECT code, valid_from, valid_to FROM units WHERE parent = ? AND kind IN {kinds}),
expected AS (
    SELECT p.indicator_code, p.period_kind, p.period_start, p.period_end, count(cu.code) AS expected
    FROM periods p LEFT JOIN child_units cu
      ON (cu.valid_from IS NULL OR cu.valid_from <= p.period_end)
     AND (cu.valid_to IS NULL OR cu.valid_to >= p.period_start)
    WHERE p.aggregation = 'share'
    GROUP BY ALL
),
combined AS (
    SELECT p.indicator_code, p.period_kind, p.period_start, p.period_end, p.own_value, p.own_numerator,
           p.own_denominator,
           CASE p.aggregation
               WHEN 'sum' THEN p.sum_value
               WHEN 'ratio' THEN 100.0 * p.ratio_num / nullif(p.ratio_den, 0)
               WHEN 'share' THEN 100.0 * p.yes / nullif(e.expected, 0)
           END AS value,
           CASE WHEN p.aggregation = 'share' THEN p.yes ELSE p.sum_num END AS numerator,
           CASE WHEN p.children = 0 THEN NULL WHEN p.aggregation = 'share' THEN e.expected
                ELSE p.sum_den END AS denominator,
           p.units_reported
    FROM periods p
    LEFT JOIN expected e ON e.indicator_code = p.indicator_code AND e.period_kind = p.period_kind
         AND e.period_start = p.period_start AND e.period_end = p.period_end
),
series AS (
    SELECT indicator_code, period_kind, period_start, period_end,
           CASE WHEN own_value IS NOT NULL THEN own_value ELSE value END AS value,
           CASE WHEN own_value IS NOT NULL THEN own_numerator ELSE numerator END AS numerator,
           CASE WHEN own_value IS NOT NULL THEN own_denominator ELSE denominator END AS denominator,
           units_reported
    FROM combined
)
SELECT indicator_code, period_kind, period_start, period_end, value, numerator, denominator, units_reported,
       row_number() OVER (PARTITION BY indicator_code ORDER BY period_end DESC, period_start DESC) AS nth
FROM series
WHERE value IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY indicator_code ORDER BY period_end DESC, period_start DESC) <= 2
ORDER BY indicator_code, nth
"""


def _province_latest(cur, province: str, codes=None, need: int = 2) -> dict[str, list[dict]]:
    """Each indicator's last two province values (latest first), as ``province_series`` has them.

    ``codes``: only these indicators (default: all). Indicators without a value are absent.
    ``need``: how many of the two the caller uses (1: only the latest must be exact).

    The recent periods are computed first (a national province holds 260 weeks of every
    commune: the whole series took most of the overview's time); an indicator that has
    fewer than ``need`` values there is computed again over all its periods. Exact either
    way: the periods before the window are older than every period in it.
    """
    out = _province_latest_rows(cur, province, codes, windowed=True)
    # only indicators that can have a value: rows of a child, or (aggregation 'latest', whose province
    # value is the province's own row) of the province itself
    can_have = {code for (code,) in cur.execute(
        """SELECT DISTINCT c.indicator_code FROM current_counts c
           JOIN units u ON u.code = c.unit_code JOIN indicators i ON i.code = c.indicator_code
           WHERE u.code = ? OR (u.parent = ? AND i.aggregation <> 'latest')""",
        [province, province]).fetchall()}
    short = [code for code in (list(codes) if codes is not None else sorted(can_have))
             if code in can_have and len(out.get(code, [])) < need]
    if short:
        for code, rows in _province_latest_rows(cur, province, short, windowed=False).items():
            out[code] = rows
    return out


def _province_latest_rows(cur, province: str, codes, windowed: bool) -> dict[str, list[dict]]:
    codes = list(codes) if codes is not None else None
    # the codes are bound twice (current_counts, current_facts), the kinds twice (children, expected)
    codes_sql = "TRUE" if codes is None else ("c.indicator_code IN (" + ", ".join("?" for _ in codes) + ")"
                                              if codes else "FALSE")
    kinds_sql, kinds_params = queries._kinds_sql(None)
    window_join = ("JOIN windows w ON w.indicator_code = c.indicator_code "
                   "AND c.period_end >= coalesce(w.since, DATE '0001-01-01')") if windowed else ""
    sql = _PROVINCE_LATEST.format(codes=codes_sql, kinds=kinds_sql, window_join=window_join)
    code_params = list(codes or [])
    params = [*code_params, province, province, province, province, *kinds_params, province, province,
              *code_params, province, *kinds_params]
    out: dict[str, list[dict]] = {}
    for rec in cur.execute(sql, params).df().to_dict("records"):
        out.setdefault(rec["indicator_code"], []).append(rec)
    return out


def indicator_latest(cur, *, province: str) -> pd.DataFrame:
    """One row per indicator of the catalogue: its latest province value and status.

    The latest value is the newest period (of the indicator's dominant kind) that
    has a province value; the previous one is the period of the same kind before it
    that has a value. Status by :func:`status_of`. An indicator with no data has a
    row with NULL value and status ``no_data``.
    """
    catalogue = queries.indicators(cur)
    latest = _province_latest(cur, province)  # the province series of every indicator, in one statement
    rows = []
    for info in catalogue.to_dict("records"):
        series = latest.get(info["code"], [])
        row = {k: info.get(k) for k in _LATEST_COLUMNS if k in info}
        row.update({k: None for k in _LATEST_COLUMNS if k not in row})
        if series:
            last = series[0]
            row.update(period_kind=last["period_kind"], period_start=as_date(last["period_start"]),
                       period_end=as_date(last["period_end"]), value=float(last["value"]),
                       numerator=last["numerator"], denominator=last["denominator"],
                       units_reported=int(last["units_reported"]))
            if len(series) > 1:
                prev = series[1]
                row.update(prev_period_start=as_date(prev["period_start"]),
                           prev_period_end=as_date(prev["period_end"]), prev_value=float(prev["value"]))
        row["status"] = status_of(row["value"], row["target"], row["prev_value"], row["direction"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=_LATEST_COLUMNS)
    for col in ("value", "numerator", "denominator", "prev_value", "target"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def furthest_behind(cur, n: int = 5, *, province: str) -> pd.DataFrame:
    """For each headline rate (percent) or share (yes-no) indicator, the ``n`` units worst off.

    Only units worse than the province value are listed (a unit at 100% is not
    "behind" even when fewer than ``n`` units are below the province).

    Latest period of the indicator's dominant kind with a province value; units are
    districts and departments that existed then and reported. A yes-no answer
    counts as 100 (yes) or 0 (no), so its gap to the province share is in points.
    Lowest first for direction up (highest first for down).

    Columns: code, period_kind, period_start, period_end, unit_code, unit_name,
    name_en, value, numerator, denominator, province_value, gap.
    """
    columns = ["code", "period_kind", "period_start", "period_end", "unit_code", "unit_name", "name_en",
               "value", "numerator", "denominator", "province_value", "gap"]
    frames = []
    catalogue = queries.indicators(cur).set_index("code")
    codes = [code for code in queries.headline_codes(cur) if catalogue.loc[code]["unit"] in ("percent", "yesno")]
    latest = _province_latest(cur, province, codes, need=1)  # the province series' latest values
    codes = [code for code in codes if code in latest]
    # every indicator's units at its own latest period, in one statement (one each took 15 ms)
    at_latest = queries.unit_values_at(cur, [(code, as_date(latest[code][0]["period_start"]),
                                              as_date(latest[code][0]["period_end"])) for code in codes],
                                       kinds=CHILD_KINDS, province=province)
    for code in codes:
        info = catalogue.loc[code]
        last = latest[code][0]
        units = at_latest[(at_latest["indicator_code"] == code) & at_latest["value"].notna()].copy()
        if units.empty:
            continue
        if info["unit"] == "yesno":
            units["value"] = 100.0 * units["value"]
        down = info["direction"] == "down"
        worse = units["value"] > last["value"] if down else units["value"] < last["value"]
        units = units[worse].sort_values(["value", "unit_name"], ascending=[not down, True]).head(n)
        if units.empty:
            continue
        units["code"] = code
        units["period_kind"] = last["period_kind"]
        units["period_start"] = as_date(last["period_start"])
        units["period_end"] = as_date(last["period_end"])
        units["province_value"] = float(last["value"])
        units["gap"] = units["value"] - units["province_value"]
        frames.append(units[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def unit_options(cur, code: str, period_kind: str | None, *, province: str) -> pd.DataFrame:
    """The province's units (districts and departments) that reported the indicator in that kind of period."""
    kind = period_kind or ""
    return cur.execute(
        """SELECT DISTINCT u.code AS unit_code, u.name_vi, u.name_en
           FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE iv.indicator_code = ? AND iv.period_kind = ? AND u.parent = ?
           ORDER BY u.name_vi""",
        [code, kind, province],
    ).df()


def period_kinds(cur, code: str) -> list[str]:
    """The period kinds an indicator has data in, the dominant one first."""
    rows = cur.execute(
        """SELECT period_kind FROM indicator_values WHERE indicator_code = ?
           GROUP BY period_kind ORDER BY count(*) DESC, min(period_kind)""",
        [code],
    ).fetchall()
    return [r[0] for r in rows]


def former_province_names(series: pd.DataFrame, lang: str, *, province: str,
                          db_path: Path | None = None) -> dict[str, str]:
    """{code: "Tỉnh Quảng Nam (đến 30/06/2025)"} of the former provinces a series is combined from
    (empty when no period of it is: queries.province_values' source 'former' / 'former_partial')."""
    from dashboard import data
    from dashboard.formatting import fmt_date

    if "source" not in series or not series["source"].isin(["former", "former_partial"]).any():
        return {}
    rows = data.query("former_province_rows", province, db_path=db_path)
    until = "đến" if lang == "vi" else "until"
    out = {}
    for code, vi, en, valid_to in rows.itertuples(index=False):
        name = en if lang == "en" and isinstance(en, str) and en else vi
        out[code] = f"{name} ({until} {fmt_date(pd.Timestamp(valid_to).date(), lang)})" if not _missing(valid_to) else name
    return out


# -- cached access, keyed by the warehouse's data version (as dashboard.data.query)

def query(name: str, *args, db_path: Path | None = None, **kwargs):
    """Run ``overview_queries.<name>(cursor, *args, **kwargs)``, cached by data version."""
    from dashboard import data

    return data.query_in(__name__, name, *args, db_path=db_path, **kwargs)
