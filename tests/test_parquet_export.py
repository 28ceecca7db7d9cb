"""The Parquet export: layout, portable types, diacritics in partition values, and
the DuckDB engine over it (the Spark side of the same checks is marked ``spark``)."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from dashboard import engines
from etl.parquet_export import escape_partition_value, write_partitioned
from tests.conftest import long_csv, sample_cursor
from tests.spark_support import QUERY_CASES, assert_same, sample_parquet, spark  # noqa: F401

TRICKY = ["Quảng Nam", "Thừa Thiên Huế", "a/b=c%d #x"]


def _partitioned(tmp_path):
    con = duckdb.connect()
    sql = """SELECT * FROM (VALUES ('Quảng Nam', 2024, 1), ('Thừa Thiên Huế', 2024, 2), ('a/b=c%d #x', 2023, 3),
                                   ('Quảng Nam', 2024, 4)) t(province, year, n)"""
    grouped = f"SELECT province, year, sum(n) AS total, TIMESTAMP '2024-03-31 08:15:00.123456' AS at FROM ({sql}) GROUP BY ALL"
    write_partitioned(con, grouped, tmp_path / "t", partition_by=("province", "year"))
    return tmp_path / "t"


def test_export_is_hive_partitioned_by_province_and_year(sample_parquet):  # noqa: F811
    assert (sample_parquet / "indicator_values" / "province_code=49" / "year=2024").is_dir()
    for table in ("units", "indicators", "breakdowns", "loads"):
        assert (sample_parquet / f"{table}.parquet").is_file()
    assert (sample_parquet / "_dx_export.json").is_file()


def test_exported_columns_keep_dates_and_microsecond_timestamps(sample_parquet):  # noqa: F811
    values = pq.read_schema(next((sample_parquet / "indicator_values").rglob("*.parquet")))
    assert str(values.field("period_start").type) == "date32[day]"
    assert str(values.field("value").type) == "double"
    assert "province_code" not in values.names  # partition columns live in the path
    loads = pq.read_schema(sample_parquet / "loads.parquet")
    assert str(loads.field("loaded_at").type) == "timestamp[us]"


def test_integer_sums_are_written_as_bigint_not_double(tmp_path):
    files = list(_partitioned(tmp_path).rglob("*.parquet"))
    assert str(pq.read_schema(files[0]).field("total").type) == "int64"


def test_partition_value_with_diacritics_round_trips_in_duckdb(tmp_path):
    root = _partitioned(tmp_path)
    assert (root / "province=Quảng Nam").is_dir()  # written as is, not percent-encoded
    rows = duckdb.connect().execute(
        f"SELECT province, year, total FROM read_parquet('{root}/**/*.parquet', hive_partitioning = true, "
        "hive_types = {'province': VARCHAR, 'year': INTEGER}) ORDER BY total").fetchall()
    assert rows == [("Thừa Thiên Huế", 2024, 2), ("a/b=c%d #x", 2023, 3), ("Quảng Nam", 2024, 5)]


@pytest.mark.spark
def test_partition_value_with_diacritics_round_trips_in_spark(tmp_path, spark):  # noqa: F811
    root = _partitioned(tmp_path)
    frame = (spark.read.schema("total BIGINT, at TIMESTAMP_NTZ, province STRING, year INT")
             .option("basePath", str(root)).parquet(str(root)))
    rows = sorted((r.province, r.year, r.total, r.at) for r in frame.collect())
    at = datetime(2024, 3, 31, 8, 15, 0, 123456)
    assert rows == [("Quảng Nam", 2024, 5, at), ("Thừa Thiên Huế", 2024, 2, at), ("a/b=c%d #x", 2023, 3, at)]
    assert dict(spark.read.parquet(str(next(root.rglob("*.parquet")))).dtypes)["total"] == "bigint"


@pytest.mark.parametrize("value, spelled", [("Quảng Nam", "Quảng Nam"), ("a/b", "a%2Fb"), ("x=1%", "x%3D1%25")])
def test_partition_values_are_escaped_like_spark(value, spelled):
    assert escape_partition_value(value) == spelled


@pytest.mark.parametrize("func, args, kwargs", [c[1:] for c in QUERY_CASES], ids=[c[0] for c in QUERY_CASES])
def test_duckdb_over_parquet_gives_the_warehouse_results(func, args, kwargs, sample_db, sample_parquet):  # noqa: F811
    expected = func(sample_cursor(sample_db), *args, **kwargs)
    wh = engines.ParquetDuckDBWarehouse(sample_parquet)
    try:
        assert_same(expected, func(wh.cursor(), *args, **kwargs))
    finally:
        wh.close()


def test_app_reads_the_parquet_set_when_configured(sample_db, sample_parquet, monkeypatch):  # noqa: F811
    from dashboard import data

    monkeypatch.setenv("DX_ENGINE", "duckdb")
    monkeypatch.setenv("DX_PARQUET", str(sample_parquet))
    wh = data.warehouse()
    assert isinstance(wh, engines.ParquetDuckDBWarehouse)
    assert data._open(str(wh.path)) is wh  # the page caches find it again by its key
    assert wh.data_version() == data._open(str(sample_db)).data_version()
    assert data.query("as_of")["period_end"] == data.query("as_of", db_path=sample_db)["period_end"]


def test_engine_configuration_comes_from_environment_then_secrets():
    config = engines.engine_config({"DX_ENGINE": "spark"}, {"parquet": "s3a://b/dx", "spark_remote": "sc://h:15002"})
    assert (config.engine, config.parquet, config.spark_remote) == ("spark", "s3a://b/dx", "sc://h:15002")
    assert engines.engine_config({}, {}).uses_warehouse_file
    with pytest.raises(ValueError, match="DX_PARQUET"):
        engines.engine_config({"DX_ENGINE": "spark"}, {})
    with pytest.raises(ValueError, match="DX_ENGINE"):
        engines.engine_config({"DX_ENGINE": "oracle"}, {})


def test_parameters_are_bound_as_escaped_literals():
    sql = engines.to_spark_sql("SELECT '?' AS q, ? AS s, ? AS d, ? AS n FROM units WHERE code IN (?)",
                               ["it's a \\ test", date(2024, 3, 31), 1.5, None])
    assert sql == ("SELECT '?' AS q, 'it\\'s a \\\\ test' AS s, CAST('2024-03-31' AS DATE) AS d, "
                   "CAST(1.5 AS DOUBLE) AS n FROM units WHERE code IN (NULL)")


def test_decimal_literals_become_doubles_on_spark():
    assert "CAST(100.0 AS DOUBLE) * n / d" in engines.to_spark_sql("SELECT 100.0 * n / d FROM t")


def test_table_functions_are_refused_because_sqlglot_would_rewrite_them():
    with pytest.raises(ValueError, match="views only"):
        engines.to_spark_sql("SELECT * FROM read_parquet('x.parquet')")


def test_wrong_number_of_parameters_is_an_error():
    with pytest.raises(ValueError, match="placeholders"):
        engines.to_spark_sql("SELECT ? FROM t", [])


def test_cli_exports_a_warehouse(db_path, tmp_path):
    from etl.cli import main
    from etl.loader import load_bytes
    from etl.warehouse import Warehouse

    with Warehouse(db_path) as wh:
        load_bytes(wh, long_csv([["Tháng 3/2024", "Huyện Quế Sơn", "Tỷ lệ hồ sơ trực tuyến", None, 3, 4, None, None]]),
                   "bc.csv", who="test")
    out = tmp_path / "pq"
    assert main(["export-parquet", "--db", str(db_path), "--out", str(out)]) == 0
    rows = duckdb.connect().execute(
        f"SELECT unit_code, province_code, year, value FROM read_parquet('{out}/indicator_values/**/*.parquet', "
        "hive_partitioning = true)").fetchall()
    assert rows == [("509", 49, 2024, 75.0)] or rows == [("509", "49", 2024, 75.0)]
    assert main(["export-parquet", "--db", str(tmp_path / "none.duckdb"), "--out", str(out)]) == 2
