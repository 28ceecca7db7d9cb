"""Shared by the engine tests: the Spark session fixture, the query cases, result comparison.

Spark tests need Java and pyspark. Without them they skip with a message saying
how to enable them, unless ``DX_REQUIRE_SPARK=1`` (set by ``.ci/run``), which makes
a missing Spark a failure.
"""

from __future__ import annotations

import math
import os
from datetime import date

import pandas as pd
import pytest

from dashboard import area, national_queries, overview_queries, province, queries, topic_queries, unit_queries

# Modules whose functions take a cursor first: the query layer (tests check none is missed).
QUERY_MODULES = (queries, overview_queries, unit_queries, topic_queries, national_queries, province, area)

Q4_2024 = (date(2024, 10, 1), date(2024, 12, 31))
PROVINCE = "49"  # the bundled sample data is Quảng Nam
P = {"province": PROVINCE}

# (id, function, args, kwargs): every query function at least once, on the sample data.
QUERY_CASES = [
    ("indicators", queries.indicators, (), {}),
    ("indicator_info", queries.indicator_info, ("online_dossier_rate",), {}),
    ("units", queries.units, (), {}),
    ("units_departments", queries.units, (queries.DEPARTMENT_KINDS,), {}),
    ("as_of", queries.as_of, (), {}),
    ("periods", queries.periods, ("online_dossier_rate",), P),
    ("dominant_period_kind", queries.dominant_period_kind, ("ontime_dossier_rate",), {}),
    ("province_values_ratio", queries.province_values, ("online_dossier_rate",), {"period_kind": "month", **P}),
    ("province_values_ratio_districts", queries.province_values, ("ontime_dossier_rate",),
     {"kinds": queries.DISTRICT_KINDS, **P}),
    ("province_values_share", queries.province_values, ("steering_committee_formed",), P),
    ("province_values_sum", queries.province_values, ("specialised_db_operational",), P),
    ("province_values_latest", queries.province_values, ("dti_score",), P),
    # Nông Sơn (519) still listed in Q4 2024, merged into Quế Sơn (509) afterwards
    ("unit_values_merged", queries.unit_values, ("digitised_dossier_rate", *Q4_2024), P),
    ("unit_values_districts", queries.unit_values, ("online_dossier_rate", date(2024, 12, 1), date(2024, 12, 31)),
     {"kinds": queries.DISTRICT_KINDS, **P}),
    # several indicators, each at its own period (the merged unit among them); none
    ("unit_values_at", queries.unit_values_at, ([("digitised_dossier_rate", *Q4_2024),
                                                 ("online_dossier_rate", date(2024, 12, 1), date(2024, 12, 31)),
                                                 ("steering_committee_formed", date(2022, 5, 10), date(2022, 5, 10))],),
     P),
    ("unit_values_at_none", queries.unit_values_at, ([],), P),
    ("unit_series", queries.unit_series, ("online_dossier_rate", ["502", "509", "519"]), {"period_kind": "month"}),
    ("unit_series_empty", queries.unit_series, ("online_dossier_rate", []), {}),
    ("latest_values_matrix", queries.latest_values_matrix, (), P),
    ("breakdown_values", queries.breakdown_values, ("it_projects",), P),
    ("breakdown_values_unit", queries.breakdown_values, ("specialised_db_operational",), {"unit_code": PROVINCE, **P}),
    ("breakdown_by_unit", queries.breakdown_by_unit, ("it_projects", date(2024, 3, 31), date(2024, 3, 31)), P),
    ("yes_no_status", queries.yes_no_status, ("steering_committee_formed",), P),
    ("headline_codes", queries.headline_codes, (), {}),
    ("province_series", overview_queries.province_series, ("work_files_online_rate",), P),
    ("indicator_latest", overview_queries.indicator_latest, (), P),
    ("furthest_behind", overview_queries.furthest_behind, (), P),
    ("unit_options", overview_queries.unit_options, ("online_dossier_rate", "month"), P),
    ("period_kinds", overview_queries.period_kinds, ("online_dossier_rate",), {}),
    ("indicators_with_unit_data", unit_queries.indicators_with_unit_data, (queries.DISTRICT_KINDS,), P),
    ("dominant_kind_for_units", unit_queries.dominant_kind_for_units,
     ("online_dossier_rate", queries.DEPARTMENT_KINDS), P),
    ("steering_status", topic_queries.steering_status,
     ("steering_committee_formed", queries.DEADLINES["steering_committee_formed"]), P),
    ("overdue_appraisal", topic_queries.overdue_appraisal, ("it_projects", date(2024, 3, 31), date(2024, 3, 31)), P),
    ("unit_names", topic_queries.unit_names, (), P),
    ("reporting_units", topic_queries.reporting_units, ("specialised_db_progress",), P),
    ("indicator_target", topic_queries.indicator_target, ("online_dossier_rate",), {}),
    ("province_choices", province.province_choices, (), {}),
    ("default_province", province.default_province, ("Sóc Trăng",), {}),
    ("national_indicators", national_queries.national_indicators, (), {}),
    ("national_periods", national_queries.national_periods, ("dti_score",), {}),
    # ratio combined for Quảng Nam; Sóc Trăng and Cần Thơ without a value
    ("national_values_ratio", national_queries.national_values,
     ("online_dossier_rate", "month", date(2024, 12, 1), date(2024, 12, 31)), {}),
    ("national_values_share", national_queries.national_values,
     ("steering_committee_formed", "date", date(2022, 5, 10), date(2022, 5, 10)), {}),
    # latest: both provinces' own rows, ranked
    ("national_values_latest", national_queries.national_values,
     ("dti_score", "year", date(2022, 1, 1), date(2022, 12, 31)), {}),
    # today's Đà Nẵng before 2025-07-01: its former provinces combined (the former Đà Nẵng has no data)
    ("province_values_former", queries.province_values, ("online_dossier_rate",), {"province": "48"}),
    ("former_provinces", queries.former_provinces, ("48",), {}),
    ("former_province_rows", queries.former_province_rows, ("48",), {}),
    ("all_provinces", province.all_provinces, (), {}),
    ("province_as_of_former", queries.province_as_of, ("48",), {}),
    ("province_as_of", queries.province_as_of, ("49",), {}),
    ("holds_sample_data", queries.holds_sample_data, (), {}),
    # the 'By area' page (dashboard/area.py): Quảng Nam's districts, Nông Sơn merged in Q4 2024
    ("area_of", area.area_of, ("48", date(2024, 12, 31)), {}),
    ("area_indicators", area.area_indicators, (PROVINCE,), {}),
    ("area_periods", area.area_periods, ("online_dossier_rate", PROVINCE), {}),
    ("area_dominant_kind", area.area_dominant_kind, ("online_dossier_rate", PROVINCE), {}),
    ("area_values", area.area_values, ("digitised_dossier_rate", *Q4_2024), P),
    ("named_units", area.named_units, (("49", "cu-48"),), {}),
]


def query_functions() -> set[str]:
    """``module.function`` for every public function of the query layer whose first parameter is ``cur``."""
    import inspect

    found = set()
    for module in QUERY_MODULES:
        for name, func in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(func) or func.__module__ != module.__name__:
                continue
            params = list(inspect.signature(func).parameters)
            if params and params[0] == "cur":
                found.add(f"{module.__name__}.{name}")
    return found


def _same_scalar(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def assert_same(expected, got) -> None:
    """Equal results: frames after normalising dtypes (floats to a tolerance), else values."""
    if isinstance(expected, pd.DataFrame):
        assert isinstance(got, pd.DataFrame), type(got)
        assert list(got.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True),
                                      check_dtype=False, check_exact=False, rtol=1e-9, atol=1e-9)
    elif isinstance(expected, dict):
        assert set(got) == set(expected)
        for key in expected:
            assert _same_scalar(expected[key], got[key]), (key, expected[key], got[key])
    elif isinstance(expected, (list, tuple)):
        assert len(got) == len(expected)
        for a, b in zip(expected, got):
            assert _same_scalar(a, b), (a, b)
    else:
        assert _same_scalar(expected, got), (expected, got)


def spark_or_skip() -> None:
    from dashboard.engines import spark_unavailable

    reason = spark_unavailable()
    if reason is None:
        return
    if os.environ.get("DX_REQUIRE_SPARK", "") == "1":
        pytest.fail(f"DX_REQUIRE_SPARK=1 but Spark cannot run: {reason}")
    pytest.skip(f"Spark tests skipped: {reason}")


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the test run: local[1], loopback only, no UI."""
    spark_or_skip()
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from dashboard.engines import spark_session

    return spark_session("local[1]", app_name="dx-tests")


@pytest.fixture(scope="session")
def sample_parquet(sample_db, tmp_path_factory):
    """The sample warehouse exported as the Parquet set (once per run)."""
    from dashboard.data import warehouse
    from etl.parquet_export import export_parquet

    out = tmp_path_factory.mktemp("parquet") / "dx-parquet"
    export_parquet(sample_db, out, warehouse=warehouse(sample_db))
    return out
