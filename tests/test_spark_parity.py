"""The query layer gives the same answers on Spark as on the DuckDB warehouse.

Every query function (dashboard.queries and the page query modules) runs on the
real sample warehouse (DuckDB) and on Spark (``local[1]``, one session for the
run) over the Parquet set exported from it; the results must be equal:
Vietnamese text, merged units (Nông Sơn -> Quế Sơn) and rates as ratios of sums
included. Marked ``spark``: skipped without Java or pyspark (says how to enable
them), a failure with ``DX_REQUIRE_SPARK=1``.
"""

from __future__ import annotations

import pytest

from dashboard import queries
from tests.conftest import sample_cursor
from tests.spark_support import (  # noqa: F401
    QUERY_CASES,
    assert_same,
    query_functions,
    sample_parquet,
    spark,
)

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_wh(spark, sample_parquet):  # noqa: F811
    from dashboard.engines import SparkWarehouse

    return SparkWarehouse(sample_parquet, spark=spark)


@pytest.fixture
def duck(sample_db):
    cur = sample_cursor(sample_db)
    yield cur
    cur.close()


def test_every_query_function_has_a_parity_case():
    covered = {f"{func.__module__}.{func.__name__}" for _, func, _, _ in QUERY_CASES}
    assert query_functions() - covered == set()


@pytest.mark.parametrize("func, args, kwargs", [c[1:] for c in QUERY_CASES], ids=[c[0] for c in QUERY_CASES])
def test_query_gives_the_same_result_on_spark_as_on_duckdb(func, args, kwargs, duck, spark_wh):
    expected = func(duck, *args, **kwargs)
    got = func(spark_wh.cursor(), *args, **kwargs)
    assert_same(expected, got)


def test_data_version_on_spark_is_the_warehouse_data_version(sample_db, spark_wh):
    from dashboard.data import warehouse

    assert spark_wh.data_version() == warehouse(sample_db).data_version()


def test_vietnamese_names_and_the_merged_unit_come_back_exactly_from_spark(spark_wh):
    frame = queries.unit_values(spark_wh.cursor(), "digitised_dossier_rate", QUERY_CASES[12][2][1],
                                QUERY_CASES[12][2][2], province="49")
    nong_son = frame[frame["unit_code"] == "519"].iloc[0]
    assert nong_son["unit_name"] == "Huyện Nông Sơn"
    assert nong_son["successor"] == "509" and nong_son["successor_name"] == "Huyện Quế Sơn"


def test_spark_province_rate_is_the_ratio_of_the_unit_sums(duck, spark_wh):
    units = queries.unit_values(duck, "online_dossier_rate", *QUERY_CASES[13][2][1:], province="49", kinds=queries.ALL_CHILD_KINDS)
    units = units[units["numerator"].notna() & units["denominator"].notna()]
    expected = 100.0 * units["numerator"].sum() / units["denominator"].sum()
    series = queries.province_values(spark_wh.cursor(), "online_dossier_rate", period_kind="month", province="49")
    row = series[series["period_end"] == series["period_end"].max()].iloc[0]
    assert row["source"] == "combined"
    assert row["value"] == pytest.approx(expected, rel=1e-12)
    assert row["value"] != pytest.approx(units["value"].mean(), rel=1e-6)  # not a mean of percentages


def test_spark_cursor_binds_quotes_and_backslashes_as_text(spark_wh):
    tricky = "Quảng Nam's \\ 'x' ?"
    assert spark_wh.cursor().execute("SELECT ? AS s, ? AS d", [tricky, QUERY_CASES[12][2][1]]).fetchone() == (
        tricky, QUERY_CASES[12][2][1])
    assert spark_wh.cursor().execute("SELECT count(*) FROM units WHERE name_vi = ?", ["x' OR '1'='1"]).fetchone() == (0,)


def _rounded(obj):
    """Dataclasses, tuples and floats with floats rounded: engines may differ in the last bit."""
    import dataclasses

    if dataclasses.is_dataclass(obj):
        return tuple((f.name, _rounded(getattr(obj, f.name))) for f in dataclasses.fields(obj))
    if isinstance(obj, (tuple, list)):
        return tuple(_rounded(x) for x in obj)
    if isinstance(obj, float):
        return round(obj, 9)
    return obj


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_weekly_report_is_the_same_on_spark_as_on_duckdb(duck, spark_wh, lang):
    """The report's own SQL (as-of day, rankable indicators, group periods, deadlines)
    runs on both engines: every section, table and figure must agree."""
    import pandas as pd

    from dashboard.report import build_report

    expected = build_report(duck, "2024-W16", lang=lang, province="49")
    got = build_report(spark_wh.cursor(), "2024-W16", lang=lang, province="49")
    for field in ("week", "compare", "title", "subtitle", "as_of", "source", "indicator"):
        assert getattr(got, field) == getattr(expected, field), field
    for field in ("headline", "rankings", "missing", "deadlines"):
        assert _rounded(getattr(got, field)) == _rounded(getattr(expected, field)), field
    assert [s.title for s in got.sections] == [s.title for s in expected.sections]
    for mine, theirs in zip(got.sections, expected.sections):
        pd.testing.assert_frame_equal(mine.table.reset_index(drop=True), theirs.table.reset_index(drop=True))
