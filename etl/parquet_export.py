"""Export the warehouse as a Parquet dataset that DuckDB and Spark both read.

    python -m etl export-parquet [--db PATH] --out DIR

Layout of ``DIR`` (the contract of the Spark engine, docs/scaling.md):

- ``indicator_values/province_code=49/year=2024/data_0.parquet``: the current
  values (the ``indicator_values`` view's columns), Hive-partitioned by the
  province the unit belongs to and the year of ``period_end``; rows sorted by
  indicator, unit and period, so a filter on ``indicator_code`` skips row groups.
- ``units.parquet``, ``indicators.parquet``, ``breakdowns.parquet``,
  ``loads.parquet``, ``current_counts.parquet``: one file each.
- ``_dx_export.json``: schema version, data version, row counts, export time.
  (Readers skip files starting with ``_``.)

Types that survive both engines: dates stay DATE, timestamps are written at
microsecond precision without a time zone (Spark reads them as TIMESTAMP_NTZ,
so nothing shifts), HUGEINT (DuckDB's integer ``sum``) becomes BIGINT and
DECIMAL becomes DOUBLE (Spark would otherwise read a HUGEINT written by DuckDB
as a double). Partition directory names are escaped the way Spark escapes them
(only ``"#%'*/:=?\\{[]^`` and control characters), not DuckDB's percent-encoding
of every non-ASCII byte, which Spark decodes byte by byte into mojibake: a value
such as ``Quảng Nam`` is written as is and reads back exactly in both engines.

>>> export_parquet(Path("data/warehouse.duckdb"), Path("/tmp/dx-parquet"))  # doctest: +SKIP
{'indicator_values': 2236, 'units': 46, ..., 'partitions': 11}
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from etl.warehouse import SCHEMA_VERSION, Warehouse

SINGLE_TABLES = ("units", "indicators", "breakdowns", "loads", "current_counts")
PARTITION_BY = ("province_code", "year")
MANIFEST = "_dx_export.json"

# indicator_values as exported: the view's columns, then the partition columns.
VALUE_COLUMNS = ("indicator_code", "unit_code", "unit_name", "period_kind", "period_start", "period_end",
                 "value", "numerator", "denominator", "breakdown", "note", "load_id")
# The same as a Spark DDL schema (partition columns typed, so '049' stays a string).
VALUE_SCHEMA_DDL = (
    "indicator_code STRING, unit_code STRING, unit_name STRING, period_kind STRING, "
    "period_start DATE, period_end DATE, value DOUBLE, numerator DOUBLE, denominator DOUBLE, "
    "breakdown STRING, note STRING, load_id INT, province_code STRING, year INT"
)
HIVE_TYPES = {"province_code": "VARCHAR", "year": "INTEGER"}

# Characters Spark escapes in partition directory names (ExternalCatalogUtils).
_SPARK_ESCAPED = frozenset([chr(c) for c in range(1, 0x20)] + list('"#%\'*/:=?\\\x7f{[]^'))


def escape_partition_value(value: str) -> str:
    """A partition value as Spark writes it in a directory name (readable by DuckDB too).

    >>> escape_partition_value("Quảng Nam"), escape_partition_value("a/b=c%")
    ('Quảng Nam', 'a%2Fb%3Dc%25')
    """
    return "".join(f"%{ord(c):02X}" if c in _SPARK_ESCAPED else c for c in value)


def _respell_partitions(directory: Path) -> None:
    """Rename DuckDB's percent-encoded ``key=value`` directories to Spark's spelling."""
    for root, dirs, _files in os.walk(directory, topdown=False):
        for name in dirs:
            key, sep, encoded = name.partition("=")
            if not sep:
                continue
            wanted = f"{key}={escape_partition_value(urllib.parse.unquote(encoded))}"
            if wanted != name:
                os.rename(os.path.join(root, name), os.path.join(root, wanted))


def portable_select(cur, sql: str) -> str:
    """Wrap a query so its column types read the same in DuckDB and Spark.

    HUGEINT/UBIGINT -> BIGINT, DECIMAL -> DOUBLE, TIMESTAMP_S/MS/NS and
    TIMESTAMPTZ -> TIMESTAMP (microseconds, no zone; a zoned value as UTC wall time).
    """
    columns = cur.execute(f"DESCRIBE {sql}").fetchall()
    select = []
    for name, dtype, *_ in columns:
        ident = '"' + name.replace('"', '""') + '"'
        kind = dtype.upper()
        if kind in ("HUGEINT", "UHUGEINT", "UBIGINT"):
            expr = f"CAST({ident} AS BIGINT)"
        elif kind.startswith("DECIMAL"):
            expr = f"CAST({ident} AS DOUBLE)"
        elif kind in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
            expr = f"CAST(timezone('UTC', {ident}) AS TIMESTAMP)"
        elif kind in ("TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"):
            expr = f"CAST({ident} AS TIMESTAMP)"
        else:
            expr = ident
        select.append(f"{expr} AS {ident}")
    return f"SELECT {', '.join(select)} FROM ({sql})"


def write_partitioned(cur, sql: str, directory: Path, partition_by=PARTITION_BY) -> int:
    """``COPY (sql)`` as Hive-partitioned Parquet under ``directory``; returns the partition count.

    Partition values are spelled as Spark spells them (see the module docstring).
    """
    directory = Path(directory)
    columns = ", ".join(f'"{c}"' for c in partition_by)
    cur.execute(f"""COPY ({portable_select(cur, sql)}) TO '{_sql_path(directory)}'
                    (FORMAT parquet, PARTITION_BY ({columns}), COMPRESSION zstd, OVERWRITE_OR_IGNORE)""")
    if not directory.exists():  # no rows: still a readable layout (one empty partition)
        names = [r[0] for r in cur.execute(f"DESCRIBE {sql}").fetchall()]
        keep = ", ".join(f'"{c}"' for c in names if c not in partition_by)
        empty = directory.joinpath(*(f"{c}=0" for c in partition_by))
        empty.mkdir(parents=True)
        cur.execute(f"COPY (SELECT {keep} FROM ({portable_select(cur, sql)}) WHERE FALSE) "
                    f"TO '{_sql_path(empty / 'data_0.parquet')}' (FORMAT parquet)")
    _respell_partitions(directory)
    return sum(1 for _ in directory.glob("/".join("*" for _ in partition_by)))


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _province_of(units) -> dict[str, str]:
    """Each unit's province: itself for a province, else the province up its parent chain."""
    parent = {r.code: (r.parent or None) for r in units.itertuples()}
    kind = {r.code: r.kind for r in units.itertuples()}
    out = {}
    for code in parent:
        node, seen = code, set()
        while node is not None and kind.get(node) != "province" and node not in seen:
            seen.add(node)
            node = parent.get(node)
        out[code] = node if node is not None and kind.get(node) == "province" else code
    return out


def export_parquet(db_path: Path | str, out_dir: Path | str, warehouse: Warehouse | None = None) -> dict:
    """Write the warehouse at ``db_path`` as the Parquet dataset ``out_dir`` (replaced whole).

    The dataset is written next to ``out_dir`` and moved into place at the end, so
    a failed export leaves the previous one intact. Returns row counts per table,
    the number of partitions and the warehouse's data version. ``warehouse``: an
    already open ``Warehouse`` of ``db_path`` to read through (a process may open
    a DuckDB file only once), else the file is opened read-only.
    """
    out_dir = Path(out_dir)
    staging = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    wh = warehouse or Warehouse(Path(db_path), read_only=True)
    try:
        cur = wh.cursor()
        counts: dict[str, int] = {}
        for table in SINGLE_TABLES:
            cur.execute(f"COPY ({portable_select(cur, f'SELECT * FROM {table}')}) "
                        f"TO '{_sql_path(staging / (table + '.parquet'))}' (FORMAT parquet, COMPRESSION zstd)")
            counts[table] = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        provinces = _province_of(cur.execute("SELECT code, parent, kind FROM units").df())
        cur.execute("CREATE OR REPLACE TEMP TABLE dx_unit_province (code VARCHAR, province_code VARCHAR)")
        cur.executemany("INSERT INTO dx_unit_province VALUES (?, ?)", list(provinces.items()))
        columns = ", ".join(f"iv.{c}" for c in VALUE_COLUMNS)
        sql = f"""SELECT {columns}, coalesce(p.province_code, iv.unit_code) AS province_code,
                         CAST(year(iv.period_end) AS INTEGER) AS year
                  FROM indicator_values iv LEFT JOIN dx_unit_province p ON p.code = iv.unit_code
                  ORDER BY iv.indicator_code, iv.unit_code, iv.period_start, iv.period_end, iv.breakdown"""
        partitions = write_partitioned(cur, sql, staging / "indicator_values")
        counts["indicator_values"] = cur.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        cur.execute("DROP TABLE dx_unit_province")
        version = wh.data_version()
        cur.close()
    finally:
        if warehouse is None:
            wh.close()
    summary = {**counts, "partitions": partitions, "data_version": version}
    manifest = {"schema_version": SCHEMA_VERSION, "exported_at": datetime.now(UTC).isoformat(),
                "source": str(db_path), "partition_by": list(PARTITION_BY), **summary}
    (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        out_dir.rename(old)
        staging.rename(out_dir)
        shutil.rmtree(old)
    else:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(out_dir)
    return summary


def duckdb_views(con, root: str) -> None:
    """Create the warehouse's names as DuckDB views over an exported dataset at ``root``.

    ``root`` is a local folder or a URI DuckDB can read (``s3://`` needs httpfs).
    """
    root = root.rstrip("/")
    quote = lambda p: p.replace("'", "''")
    for table in SINGLE_TABLES:
        con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{quote(root)}/{table}.parquet')")
    hive_types = "{" + ", ".join(f"'{k}': {v}" for k, v in HIVE_TYPES.items()) + "}"
    columns = ", ".join(VALUE_COLUMNS)
    con.execute(f"""CREATE OR REPLACE VIEW indicator_values AS
                    SELECT {columns}, province_code, year
                    FROM read_parquet('{quote(root)}/indicator_values/**/*.parquet',
                                      hive_partitioning = true, hive_types = {hive_types})""")
    con.execute("""CREATE OR REPLACE VIEW current_facts AS
                   SELECT load_id, indicator_code, unit_code, period_kind, period_start, period_end,
                          breakdown, value, numerator, denominator, note FROM indicator_values""")
