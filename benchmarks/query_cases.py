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
