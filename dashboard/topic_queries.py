"""Queries for the topic pages (databases, steering committees, IT projects, online services).

Same style as ``dashboard.queries``: a DuckDB cursor first, SQL in DuckDB, a small
DataFrame out. Only what ``dashboard.queries`` does not already give lives here;
the pages call those functions for the rest. ``topic_query(name, ...)`` runs one
of these functions cached by the warehouse's data version, like ``data.query``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.queries import DEPARTMENT_KINDS, DISTRICT_KINDS, _kinds_sql
from etl.periods import Period

# Meeting of 06/03/2023 on preparing and appraising IT / DX projects (seed-facts,
# article 004): "two tasks must be appraised before 2023-03-22". A project still
# under appraisal or awaiting approval after this date is overdue.
APPRAISAL_DEADLINE = date(2023, 3, 22)

# Statuses that mean "not yet appraised" (still in the appraisal pipeline).
NOT_APPRAISED = ("status:under_appraisal", "status:awaiting_policy")

# Decree 42/2022/NĐ-CP: from mid-2022 online services are "partial" / "full-process"
# instead of levels 3 and 4, so the online_services series breaks here.
SERIES_BREAK = date(2022, 7, 1)


def steering_status(cur, code: str, deadline: date, kinds=None, *, province: str) -> pd.DataFrame:
    """Units that existed at the deadline, when they formed one, and whether they are late.

    Columns: unit_code, name_vi, name_en, kind, group ('district' | 'department'),
    first_yes (date or NaT), latest_period_end, status, late (bool). ``status``:
    'on_time' (yes on or before the deadline), 'formed_late' (first yes after it),
    'not_formed_late' (no yes and reports reach the deadline), 'pending' (no yes
    yet, deadline not reached in the data), 'not_reported'. Late units first.
    """
    kinds_sql, kinds_params = _kinds_sql(kinds)
    district_sql, district_params = _kinds_sql(DISTRICT_KINDS)
    return cur.execute(
        f"""WITH answers AS (
                SELECT unit_code, period_end, value FROM indicator_values
                WHERE indicator_code = ? AND breakdown = ''),
            per_unit AS (
                SELECT u.code AS unit_code, u.name_vi, u.name_en, u.kind,
                       CASE WHEN u.kind IN {district_sql} THEN 'district' ELSE 'department' END AS "group",
                       min(a.period_end) FILTER (WHERE a.value = 1) AS first_yes,
                       max(a.period_end) AS latest_period_end
                FROM units u LEFT JOIN answers a ON a.unit_code = u.code
                WHERE u.parent = ? AND u.kind IN {kinds_sql}
                  AND (u.valid_from IS NULL OR u.valid_from <= ?)
                  AND (u.valid_to IS NULL OR u.valid_to >= ?)
                GROUP BY ALL),
            classified AS (
                SELECT *, CASE WHEN first_yes IS NOT NULL AND first_yes <= ? THEN 'on_time'
                               WHEN first_yes IS NOT NULL THEN 'formed_late'
                               WHEN latest_period_end IS NULL THEN 'not_reported'
                               WHEN latest_period_end >= ? THEN 'not_formed_late'
                               ELSE 'pending' END AS status
                FROM per_unit)
            SELECT *, status IN ('formed_late', 'not_formed_late') AS late FROM classified
            ORDER BY late DESC, "group" DESC, name_vi""",
        [code, *district_params, province, *kinds_params, deadline, deadline, deadline, deadline],
    ).df()


def overdue_appraisal(cur, code: str, period_start: date, period_end: date,
                      deadline: date = APPRAISAL_DEADLINE, *, province: str) -> pd.DataFrame:
    """The province's departments with projects not yet appraised in a period that ends after the deadline.

    Columns: unit_code, name_vi, name_en, under_appraisal, awaiting_policy, total.
    Empty when the period ends on or before the deadline (nothing is overdue yet).
    """
    under, awaiting = NOT_APPRAISED
    return cur.execute(
        """SELECT iv.unit_code, u.name_vi, u.name_en,
                  coalesce(sum(iv.value) FILTER (WHERE iv.breakdown = ?), 0) AS under_appraisal,
                  coalesce(sum(iv.value) FILTER (WHERE iv.breakdown = ?), 0) AS awaiting_policy,
                  sum(iv.value) AS total
           FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE iv.indicator_code = ? AND iv.period_start = ? AND iv.period_end = ?
             AND iv.breakdown IN (?, ?) AND iv.value > 0 AND iv.period_end > ? AND u.parent = ?
           GROUP BY ALL ORDER BY total DESC, u.name_vi""",
        [under, awaiting, code, period_start, period_end, under, awaiting, deadline, province],
    ).df()


def unit_names(cur, kinds=None, *, province: str) -> pd.DataFrame:
    """Codes with their Vietnamese and English names (to label unit series in English)."""
    kinds_sql, kinds_params = _kinds_sql(kinds)
    return cur.execute(
        f"SELECT code AS unit_code, name_vi, name_en FROM units WHERE parent = ? AND kind IN {kinds_sql}",
        [province, *kinds_params],
    ).df()


def reporting_units(cur, code: str, kinds=DEPARTMENT_KINDS, *, province: str) -> list[str]:
    """The province's units that ever reported the indicator (e.g. departments building a priority database)."""
    kinds_sql, kinds_params = _kinds_sql(kinds)
    rows = cur.execute(
        f"""SELECT DISTINCT iv.unit_code FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = ? AND u.kind IN {kinds_sql} AND u.parent = ? ORDER BY 1""",
        [code, *kinds_params, province],
    ).fetchall()
    return [r[0] for r in rows]


def indicator_target(cur, code: str) -> tuple[float | None, int | None]:
    """(target, target_year) from the catalogue; (None, None) when there is none."""
    row = cur.execute("SELECT target, target_year FROM indicators WHERE code = ?", [code]).fetchone()
    if row is None:
        return None, None
    target = None if row[0] is None or pd.isna(row[0]) else float(row[0])
    year = None if row[1] is None or pd.isna(row[1]) else int(row[1])
    return target, year


# --- cached access for the pages (same pattern as dashboard.data._cached) ---------------

def topic_query(name: str, *args, db_path: Path | None = None, **kwargs):
    """Run ``topic_queries.<name>(cursor, *args, **kwargs)``, cached by data version."""
    from dashboard.data import query_in

    return query_in(__name__, name, *args, db_path=db_path, **kwargs)


# --- small helpers shared by the topic pages ---------------------------------------------

def period_options(frame: pd.DataFrame, kinds: tuple[str, ...] | None = None) -> dict[str, Period]:
    """``{period code: Period}`` of the frame's distinct periods, newest first (selector options)."""
    if frame is None or frame.empty:
        return {}
    rows = frame[["period_kind", "period_start", "period_end"]].drop_duplicates()
    found = [Period(k, pd.Timestamp(s).date(), pd.Timestamp(e).date()) for k, s, e in rows.itertuples(index=False)
             if kinds is None or k in kinds]
    found.sort(key=lambda p: (p.end, p.start), reverse=True)
    return {p.code: p for p in found}


def rows_of(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The frame's rows of one period (kind, start and end all equal)."""
    if frame is None or frame.empty:
        return frame
    return frame[(frame["period_kind"] == period.kind)
                 & (pd.to_datetime(frame["period_start"]) == pd.Timestamp(period.start))
                 & (pd.to_datetime(frame["period_end"]) == pd.Timestamp(period.end))]


def run_guarded(render, lang: str) -> None:
    """Run a page body; a failed query shows a short message, never a traceback."""
    import logging

    from dashboard.i18n import t

    try:
        render()
    except Exception as exc:  # Streamlit's own stop / rerun signals must pass through
        if type(exc).__name__ in {"StopException", "RerunException"}:
            raise
        logging.getLogger(__name__).exception("topic page failed")
        st.warning(t("error.query", lang))
