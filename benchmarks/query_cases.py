"""Every query function the pages call, with realistic arguments at national size."""

from __future__ import annotations

from datetime import date

from dashboard import overview_queries as oq
from dashboard import queries as q
from dashboard import topic_queries as tq
from dashboard import unit_queries as uq

DISTRICTS = q.DISTRICT_KINDS
DEPARTMENTS = q.DEPARTMENT_KINDS
PROVINCE = "49"  # Quảng Nam, one of the national warehouse's 34 (etl/synth.py)
P = {"province": PROVINCE}


def cases(cur) -> list[tuple[str, object, tuple, dict]]:
    """(label, function, args, kwargs): the province is 49, its latest week, real indicators."""
    week = cur.execute("""SELECT period_start, period_end FROM current_facts
                          WHERE indicator_code = 'online_dossier_rate' ORDER BY period_end DESC LIMIT 1""").fetchall()
    start, end = week[0] if week else (date(2025, 12, 22), date(2025, 12, 28))
    communes = [r[0] for r in cur.execute(
        "SELECT code FROM units WHERE parent = ? ORDER BY code LIMIT 3", [PROVINCE]).fetchall()]
    rate, count, yesno = "online_dossier_rate", "online_services", "steering_committee_formed"
    return [
        ("queries.indicators", q.indicators, (), {}),
        ("queries.indicator_info", q.indicator_info, (rate,), {}),
        ("queries.units", q.units, (), {"kinds": DISTRICTS}),
        ("queries.as_of", q.as_of, (), {}),
        ("queries.periods", q.periods, (rate, DISTRICTS), P),
        ("queries.dominant_period_kind", q.dominant_period_kind, (rate,), {}),
        ("queries.province_values rate", q.province_values, (rate,), {"period_kind": "week", **P}),
        ("queries.province_values count", q.province_values, (count,), {"kinds": DISTRICTS, **P}),
        ("queries.province_values share", q.province_values, (yesno,), {"kinds": DISTRICTS, **P}),
        ("queries.unit_values", q.unit_values, (rate, start, end, DISTRICTS), P),
        ("queries.unit_values_at", q.unit_values_at,
         ([(rate, start, end), ("ontime_dossier_rate", start, end), (yesno, start, end)],), P),
        ("queries.unit_series", q.unit_series, (rate, communes), {"period_kind": "week"}),
        ("queries.latest_values_matrix", q.latest_values_matrix, (DISTRICTS,), P),
        ("queries.breakdown_values", q.breakdown_values, ("it_projects",), {"unit_code": PROVINCE, **P}),
        ("queries.breakdown_by_unit", q.breakdown_by_unit, ("it_projects", start, end), P),
        ("queries.yes_no_status", q.yes_no_status, (yesno,), {"kinds": DISTRICTS, **P}),
        ("queries.headline_codes", q.headline_codes, (), {}),
        ("overview.province_series", oq.province_series, (rate,), P),
        ("overview.indicator_latest", oq.indicator_latest, (), P),
        ("overview.furthest_behind", oq.furthest_behind, (), P),
        ("overview.unit_options", oq.unit_options, (rate, "week"), P),
        ("overview.period_kinds", oq.period_kinds, (rate,), {}),
        ("units.indicators_with_unit_data", uq.indicators_with_unit_data, (DISTRICTS,), P),
        ("units.dominant_kind_for_units", uq.dominant_kind_for_units, (rate, DISTRICTS), P),
        ("topics.steering_status", tq.steering_status, (yesno, date(2022, 5, 10)), P),
        ("topics.overdue_appraisal", tq.overdue_appraisal, ("it_projects", start, end), P),
        ("topics.unit_names", tq.unit_names, (DISTRICTS,), P),
        ("topics.reporting_units", tq.reporting_units, ("specialised_db_progress",), P),
        ("topics.indicator_target", tq.indicator_target, (rate,), {}),
    ]


# --------------------------------------------------------------------------- the area and national pages (issue 13)
def area_national_cases(cur) -> list[tuple[str, object, tuple, dict]]:
    """Every query function of dashboard.area and dashboard.national_queries: province 49 (97 communes; the
    most any province has is 98), the latest week (after 01/07/2025: the commune level)."""
    from dashboard import area
    from dashboard import national_queries as nq

    start, end = _latest_week(cur)
    rate, count, yesno, score = "online_dossier_rate", "online_services", "steering_committee_formed", "dti_score"
    communes = tuple(r[0] for r in cur.execute(
        "SELECT code FROM units WHERE parent = ? ORDER BY code LIMIT 2", [PROVINCE]).fetchall())
    return [
        ("area.area_of", area.area_of, (PROVINCE, end), {}),
        ("area.area_indicators", area.area_indicators, (PROVINCE,), {}),
        ("area.area_periods", area.area_periods, (rate, PROVINCE), {}),
        ("area.area_dominant_kind", area.area_dominant_kind, (rate, PROVINCE), {}),
        ("area.area_values rate", area.area_values, (rate, start, end), P),
        ("area.area_values count", area.area_values, (count, start, end), P),
        ("area.named_units", area.named_units, (communes,), {}),
        ("national.national_indicators", nq.national_indicators, (), {}),
        ("national.national_periods", nq.national_periods, (rate,), {}),
        ("national.national_values rate", nq.national_values, (rate, "week", start, end), {}),
        ("national.national_values count", nq.national_values, (count, "week", start, end), {}),
        ("national.national_values share", nq.national_values, (yesno, "week", start, end), {}),
        ("national.national_values latest", nq.national_values, (score, "week", start, end), {}),
    ]


def _latest_week(cur) -> tuple[date, date]:
    week = cur.execute("""SELECT period_start, period_end FROM current_facts
                          WHERE indicator_code = 'online_dossier_rate' ORDER BY period_end DESC LIMIT 1""").fetchall()
    return week[0] if week else (date(2025, 12, 22), date(2025, 12, 28))


def _scan(code: str, units: list[str] | None = None, period_kind: str | None = None,
          period: tuple[date, date] | None = None) -> tuple[str, list]:
    """One bare statement over the fact rows a query reads: same indicator, units, period; no join, no grouping."""
    where, params = ["indicator_code = ?"], [code]
    if units is not None:
        where.append("unit_code IN (" + ", ".join("?" for _ in units) + ")")
        params += units
    if period_kind is not None:
        where.append("period_kind = ?")
        params.append(period_kind)
    if period is not None:
        where.append("period_start = ? AND period_end = ?")
        params += list(period)
    return f"SELECT count(*), sum(value) FROM current_facts WHERE {' AND '.join(where)}", params


def baselines(cur) -> dict[str, tuple[str, list]]:
    """label -> (sql, params): the bare DuckDB scan of the rows each query case reads (its floor).

    Unit lists are literal codes (read once here from ``units``), so the scan pays for no join: a query's
    ratio to it is the cost of its joins, grouping and ordering on top of reading its rows.
    """
    start, end = _latest_week(cur)
    week = (start, end)
    children = [r[0] for r in cur.execute("SELECT code FROM units WHERE parent = ? ORDER BY code", [PROVINCE]).fetchall()]
    own = children + [PROVINCE]
    kinds = list(DISTRICTS)
    district_children = [r[0] for r in cur.execute(
        f"SELECT code FROM units WHERE parent = ? AND kind IN ({', '.join('?' for _ in kinds)}) ORDER BY code",
        [PROVINCE, *kinds]).fetchall()]
    rate, count, yesno, score = "online_dossier_rate", "online_services", "steering_committee_formed", "dti_score"
    counts = ("SELECT count(*), sum(n_periods) FROM current_counts WHERE unit_code IN ("
              + ", ".join("?" for _ in own) + ")", own)
    units_table = "SELECT count(*), count(lat) FROM units WHERE "
    return {
        # existing cases
        "queries.province_values rate": _scan(rate, own, "week"),
        "queries.province_values count": _scan(count, own),
        "queries.province_values share": _scan(yesno, own),
        "queries.unit_values": _scan(rate, district_children, period=week),
        "queries.unit_series": _scan(rate, children[:3], "week"),
        "queries.periods": _scan(rate, own),
        # every indicator at its latest period (here the same week for all) for the province's units
        "queries.latest_values_matrix": (
            "SELECT count(*), sum(value) FROM current_facts WHERE unit_code IN ("
            + ", ".join("?" for _ in district_children) + ") AND period_start = ? AND period_end = ?",
            [*district_children, start, end]),
        # the area page
        "area.area_of": (units_table + "kind = 'province' AND successor = ?", [PROVINCE]),
        "area.area_indicators": counts,
        "area.area_periods": _scan(rate, own),
        "area.area_dominant_kind": ("SELECT count(*), sum(n_periods) FROM current_counts WHERE indicator_code = ? "
                                    "AND unit_code IN (" + ", ".join("?" for _ in children) + ")", [rate, *children]),
        "area.area_values rate": _scan(rate, children, period=week),
        "area.area_values count": _scan(count, children, period=week),
        "area.named_units": (units_table + "code IN (?, ?)", children[:2]),
        # the national page
        "national.national_indicators": ("SELECT count(*), sum(n_periods) FROM current_counts", []),
        "national.national_periods": _scan(rate),
        "national.national_values rate": _scan(rate, None, "week", week),
        "national.national_values count": _scan(count, None, "week", week),
        "national.national_values share": _scan(yesno, None, "week", week),
        "national.national_values latest": _scan(score, None, "week", week),
    }
