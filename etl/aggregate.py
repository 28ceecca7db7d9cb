"""Dossier records -> indicator values: the heavy batch, on DuckDB or on Spark.

    python -m etl aggregate --engine spark|duckdb --dossiers PATH --out FILE.csv

``PATH`` is dossier-level Parquet, Hive-partitioned by ``province_code`` and
``year`` (``python -m etl synth --scale dossiers``), a local folder or, for Spark,
any Hadoop URI. The rates are ``etl.synth.DOSSIER_RATES_SQL``, one text run by
both engines (Spark gets it through sqlglot, like the dashboard's queries):

- ``online_dossier_rate``: dossiers received online / dossiers received, by unit
  and the month received;
- ``ontime_dossier_rate``: dossiers resolved by their due date / dossiers
  resolved, by unit and the month resolved.

Counts are integers (BIGINT on both engines), so both give identical values. The
output is the long template (``Kỳ báo cáo`` ``Tháng M/YYYY``, ``Đơn vị`` the unit
code, ``Chỉ tiêu`` the indicator code, ``Tử số``, ``Mẫu số``): ``python -m etl
check`` accepts it and ``python -m etl load`` loads it like any report, so the raw
dossiers never have to be on the dashboard's machine.

>>> aggregate("out/dossiers", Path("rates.csv"), engine="duckdb")  # doctest: +SKIP
AggregateResult(engine='duckdb', rows=4560, seconds=1.2, path=...)
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.synth import DOSSIER_RATES_SQL

LONG_HEADER = ["Kỳ báo cáo", "Đơn vị", "Chỉ tiêu", "Giá trị", "Tử số", "Mẫu số", "Phân tổ", "Ghi chú"]
RATE_COLUMNS = ["unit_code", "province_code", "month", "indicator_code", "numerator", "denominator"]


@dataclass
class AggregateResult:
    engine: str
    rows: int
    seconds: float
    path: Path | None


def _parquet_glob(dossiers: str) -> str:
    path = str(dossiers).rstrip("/")
    if "*" in path or path.endswith(".parquet"):
        return path
    return f"{path}/**/*.parquet"


def rates_duckdb(dossiers: str, con=None) -> pd.DataFrame:
    """The rates computed by DuckDB (columns ``RATE_COLUMNS``)."""
    import duckdb

    own = con is None
    con = con or duckdb.connect()
    try:
        glob = _parquet_glob(dossiers).replace("'", "''")
        con.execute(f"""CREATE OR REPLACE TEMP VIEW dossiers AS
                        SELECT * FROM read_parquet('{glob}', hive_partitioning = true,
                                                   hive_types = {{'province_code': VARCHAR, 'year': INTEGER}})""")
        return con.execute(DOSSIER_RATES_SQL).df()[RATE_COLUMNS]
    finally:
        if own:
            con.close()


def rates_spark(dossiers: str, spark=None) -> pd.DataFrame:
    """The same rates computed by Spark SQL (the DuckDB text translated by sqlglot)."""
    from dashboard.engines import SparkCursor, spark_session

    spark = spark or spark_session()
    root = str(dossiers).rstrip("/")
    key = "spark.sql.sources.partitionColumnTypeInference.enabled"
    previous = spark.conf.get(key)
    spark.conf.set(key, "false")  # province_code stays a string ('049' keeps its zero)
    try:
        spark.read.option("basePath", root).parquet(root).createOrReplaceTempView("dossiers")
    finally:
        spark.conf.set(key, previous)
    cur = SparkCursor(spark)
    try:
        return cur.execute(DOSSIER_RATES_SQL).df()[RATE_COLUMNS]
    finally:
        cur.close()


def write_long_csv(rates: pd.DataFrame, out: Path) -> int:
    """Rates as a long-template CSV (UTF-8 with BOM, like the template); returns the row count."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = rates[rates["denominator"] > 0].sort_values(["month", "unit_code", "indicator_code"])
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(LONG_HEADER)
        for r in rows.itertuples(index=False):
            month = pd.Timestamp(r.month)
            writer.writerow([f"Tháng {month.month}/{month.year}", r.unit_code, r.indicator_code, "",
                             int(r.numerator), int(r.denominator), "", ""])
    return len(rows)


def aggregate(dossiers: str, out: Path | None, engine: str = "duckdb", spark=None) -> AggregateResult:
    """Compute the rates on ``engine`` and write them to ``out`` (None: compute only)."""
    start = time.perf_counter()
    if engine == "spark":
        rates = rates_spark(dossiers, spark)
    elif engine == "duckdb":
        rates = rates_duckdb(dossiers)
    else:
        raise ValueError(f"engine must be 'duckdb' or 'spark', not {engine!r}")
    rows = write_long_csv(rates, out) if out is not None else len(rates)
    return AggregateResult(engine, rows, time.perf_counter() - start, out)
