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
import streamlit as st

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


def province_series(cur, code: str, period_kind: str | None = None) -> pd.DataFrame:
    """The province series of an indicator in its dominant period kind (or ``period_kind``).

    Columns as ``queries.province_values``; empty when the indicator has no data.
    """
    kind = period_kind or queries.dominant_period_kind(cur, code)
    if kind is None:
        return queries.province_values(cur, code, period_kind="__none__")
    return queries.province_values(cur, code, period_kind=kind)


_LATEST_COLUMNS = [
    "code", "name_vi", "name_en", "unit", "aggregation", "direction", "target", "target_year",
    "headline", "topic", "period_kind", "period_start", "period_end", "value", "numerator",
    "denominator", "units_reported", "prev_period_start", "prev_period_end", "prev_value", "status",
]


def indicator_latest(cur) -> pd.DataFrame:
    """One row per indicator of the catalogue: its latest province value and status.

    The latest value is the newest period (of the indicator's dominant kind) that
    has a province value; the previous one is the period of the same kind before it
    that has a value. Status by :func:`status_of`. An indicator with no data has a
    row with NULL value and status ``no_data``.
    """
    catalogue = queries.indicators(cur)
    rows = []
    for info in catalogue.to_dict("records"):
        series = province_series(cur, info["code"])
        series = series[series["value"].notna()]
        row = {k: info.get(k) for k in _LATEST_COLUMNS if k in info}
        row.update({k: None for k in _LATEST_COLUMNS if k not in row})
        if not series.empty:
            last = series.iloc[-1]
            row.update(period_kind=last["period_kind"], period_start=as_date(last["period_start"]),
                       period_end=as_date(last["period_end"]), value=float(last["value"]),
                       numerator=last["numerator"], denominator=last["denominator"],
                       units_reported=int(last["units_reported"]))
            if len(series) > 1:
                prev = series.iloc[-2]
                row.update(prev_period_start=as_date(prev["period_start"]),
                           prev_period_end=as_date(prev["period_end"]), prev_value=float(prev["value"]))
        row["status"] = status_of(row["value"], row["target"], row["prev_value"], row["direction"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=_LATEST_COLUMNS)
    for col in ("value", "numerator", "denominator", "prev_value", "target"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def furthest_behind(cur, n: int = 5) -> pd.DataFrame:
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
    for code in queries.headline_codes(cur):
        info = catalogue.loc[code]
        if info["unit"] not in ("percent", "yesno"):
            continue
        series = province_series(cur, code)
        series = series[series["value"].notna()]
        if series.empty:
            continue
        last = series.iloc[-1]
        units = queries.unit_values(cur, code, as_date(last["period_start"]), as_date(last["period_end"]),
                                    kinds=CHILD_KINDS)
        units = units[units["value"].notna()].copy()
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


def unit_options(cur, code: str, period_kind: str | None) -> pd.DataFrame:
    """Units (districts and departments) that reported the indicator in that kind of period."""
    kind = period_kind or ""
    return cur.execute(
        """SELECT DISTINCT u.code AS unit_code, u.name_vi, u.name_en
           FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE iv.indicator_code = ? AND iv.period_kind = ? AND u.parent = ?
           ORDER BY u.name_vi""",
        [code, kind, queries.PROVINCE],
    ).df()


def period_kinds(cur, code: str) -> list[str]:
    """The period kinds an indicator has data in, the dominant one first."""
    rows = cur.execute(
        """SELECT period_kind FROM indicator_values WHERE indicator_code = ?
           GROUP BY period_kind ORDER BY count(*) DESC, min(period_kind)""",
        [code],
    ).fetchall()
    return [r[0] for r in rows]


# -- cached access, keyed by the warehouse's data version (as dashboard.data.query)

@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, db_path: str, version: int, args: tuple, kwargs: tuple):
    from dashboard import data

    cur = data.warehouse(Path(db_path)).cursor()
    try:
        return globals()[name](cur, *args, **dict(kwargs))
    finally:
        cur.close()


def query(name: str, *args, db_path: Path | None = None, **kwargs):
    """Run ``overview_queries.<name>(cursor, *args, **kwargs)``, cached by data version."""
    from dashboard import data

    wh = data.warehouse(db_path)
    return _cached(name, str(wh.path), wh.data_version(), tuple(args), tuple(sorted(kwargs.items())))
