"""Where the query layer runs: DuckDB (the default) or Apache Spark, by configuration.

The query functions (``dashboard.queries`` and the page query modules) are
written once, in DuckDB-dialect SQL over named views (``indicator_values``,
``units``, ``indicators``, ``breakdowns``, ``loads``, ``current_facts``), and take
a cursor: ``cur.execute(sql, params).df() / .fetchone() / .fetchall()``. This
module gives them a cursor on other engines:

- ``SparkWarehouse``: the Parquet export (``etl.parquet_export``) registered as
  Spark temp views; its cursor binds the ``?`` parameters as literals, translates
  the SQL with sqlglot (DuckDB -> Spark) and runs ``spark.sql``. Results come back
  through Arrow and are turned into pandas / tuples by DuckDB itself, so a frame
  has the same dtypes whichever engine computed it.
- ``ParquetDuckDBWarehouse``: DuckDB views over the same Parquet set.

Both have ``cursor()`` and ``data_version()`` like ``etl.warehouse.Warehouse``;
``dashboard.data.warehouse()`` returns the configured one and no page knows
which it talks to.

Configuration (environment first, then ``[engine]`` in ``.streamlit/secrets.toml``)::

    DX_ENGINE=duckdb|spark       engine = "spark"
    DX_PARQUET=/data/dx-parquet  parquet = "s3a://bucket/dx-parquet"   (any Hadoop URI)
    DX_SPARK_MASTER=local[*]     spark_master = "spark://host:7077"     (default local[*])
    DX_SPARK_REMOTE=sc://host    spark_remote = "sc://spark-connect:15002"  (Spark Connect)

``DX_ENGINE=duckdb`` with ``DX_PARQUET`` reads the Parquet set with DuckDB; without
it, the DuckDB warehouse file (``DX_WAREHOUSE``) as always.

>>> to_spark_sql("SELECT 100.0 * n / d FROM t WHERE u = ? AND p = ?", ["Quảng Nam", date(2024, 3, 31)])
"SELECT CAST(100.0 AS DOUBLE) * n / d FROM t WHERE u = 'Quảng Nam' AND p = CAST('2024-03-31' AS DATE)"
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import duckdb

from etl.parquet_export import (
    SINGLE_TABLES,
    VALUE_COLUMNS,
    VALUE_SCHEMA_DDL,
    duckdb_views,
)

ENGINES = ("duckdb", "spark")
PYSPARK_PIN = "pyspark==4.3.0"  # as in requirements.txt
ENABLE_HINT = (f"install Java and pyspark to enable it: `apt-get install default-jre-headless` "
               f"and `pip install {PYSPARK_PIN}` (or `make test`, which does both when root)")

# The same formula as etl.warehouse.Warehouse.data_version.
DATA_VERSION_SQL = ("SELECT coalesce(max(load_id), 0), count(*) FILTER (WHERE status = 'undone') FROM loads")


# --------------------------------------------------------------------------- configuration
@dataclass(frozen=True)
class EngineConfig:
    engine: str = "duckdb"
    parquet: str | None = None
    spark_master: str = "local[*]"
    spark_remote: str | None = None

    @property
    def uses_warehouse_file(self) -> bool:
        """True for the default: the DuckDB warehouse file itself."""
        return self.engine == "duckdb" and not self.parquet

    @property
    def key(self) -> str:
        """A name for this configuration, usable where a warehouse path is expected."""
        digest = hashlib.sha1(repr(self).encode()).hexdigest()[:12]
        return f"dx-engine-{self.engine}-{digest}"


def _secrets_engine() -> dict:
    try:
        import streamlit as st

        section = st.secrets.get("engine", {})
        return dict(section) if section else {}
    except Exception:  # noqa: BLE001 - no secrets.toml, or not inside Streamlit: nothing configured there
        return {}


def engine_config(env=None, secrets: dict | None = None) -> EngineConfig:
    """The configured engine: ``DX_*`` environment variables, else ``[engine]`` secrets.

    >>> engine_config({"DX_ENGINE": "spark", "DX_PARQUET": "/p"}, {}).spark_master
    'local[*]'
    """
    env = os.environ if env is None else env
    secrets = _secrets_engine() if secrets is None else secrets

    def get(var: str, key: str, default=None):
        return env.get(var) or secrets.get(key) or default

    config = EngineConfig(
        engine=str(get("DX_ENGINE", "engine", "duckdb")).strip().lower(),
        parquet=get("DX_PARQUET", "parquet"),
        spark_master=get("DX_SPARK_MASTER", "spark_master", "local[*]"),
        spark_remote=get("DX_SPARK_REMOTE", "spark_remote"),
    )
    if config.engine not in ENGINES:
        raise ValueError(f"DX_ENGINE must be one of {ENGINES}, not {config.engine!r}")
    if config.engine == "spark" and not config.parquet:
        raise ValueError("DX_ENGINE=spark needs DX_PARQUET (the folder or URI of `python -m etl export-parquet`)")
    return config


_engines: dict[str, object] = {}
_engines_lock = threading.Lock()


def open_engine(config: EngineConfig):
    """The process's one engine object for ``config`` (opened on first use)."""
    with _engines_lock:
        if config.key not in _engines:
            if config.engine == "spark":
                spark = spark_session(master=config.spark_master, remote=config.spark_remote)
                _engines[config.key] = SparkWarehouse(config.parquet, spark=spark, key=config.key)
            else:
                _engines[config.key] = ParquetDuckDBWarehouse(config.parquet, key=config.key)
        return _engines[config.key]


def engine_for_key(key: str):
    """The engine opened under ``key`` (``wh.path`` of an engine object), else None."""
    return _engines.get(str(key))


# --------------------------------------------------------------------------- SQL translation
def _literal(value) -> str:
    """One parameter as a DuckDB literal (sqlglot re-spells it for the target dialect)."""
    from sqlglot import exp

    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"cannot bind {value!r}")
        return repr(float(value))
    if isinstance(value, datetime):  # before date: a datetime is a date
        return f"CAST({exp.Literal.string(value.isoformat(sep=' ')).sql('duckdb')} AS TIMESTAMP)"
    if isinstance(value, date):
        return f"CAST({exp.Literal.string(value.isoformat()).sql('duckdb')} AS DATE)"
    if isinstance(value, str):
        return exp.Literal.string(value).sql("duckdb")
    raise TypeError(f"cannot bind a parameter of type {type(value).__name__}")


def bind_params(sql: str, params=None) -> str:
    """Replace each ``?`` placeholder (not those in strings or comments) by its value as a literal."""
    params = list(params or [])
    from sqlglot import Dialect
    from sqlglot.tokens import TokenType

    spots = [t for t in Dialect.get_or_raise("duckdb").tokenize(sql) if t.token_type == TokenType.PLACEHOLDER
             and t.text == "?"]
    if len(spots) != len(params):
        raise ValueError(f"the query has {len(spots)} placeholders but {len(params)} parameters were given")
    out, last = [], 0
    for token, value in zip(spots, params):
        out.append(sql[last:token.start])
        out.append(_literal(value))
        last = token.end + 1
    out.append(sql[last:])
    return "".join(out)


@lru_cache(maxsize=1024)
def _transpile(bound_sql: str) -> str:
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(bound_sql, read="duckdb")
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            # sqlglot may drop or rewrite a table function such as read_parquet(...):
            # the query layer only ever names views.
            raise ValueError(f"query views only, not {table.this.sql('duckdb')!r}")  # noqa: TRY004

    def doubles(node):
        # DuckDB divides decimals as DOUBLE; Spark keeps DECIMAL and rounds to its scale.
        if (isinstance(node, exp.Literal) and node.is_number and any(c in node.this for c in ".eE")
                and not isinstance(node.parent, exp.Cast)):
            return exp.cast(node.copy(), "DOUBLE")
        return node

    return tree.transform(doubles).sql(dialect="spark")


def to_spark_sql(sql: str, params=None) -> str:
    """DuckDB-dialect SQL with ``?`` parameters as one Spark SQL statement."""
    return _transpile(bind_params(sql, params))


# --------------------------------------------------------------------------- Spark
def spark_unavailable() -> str | None:
    """Why Spark cannot run here (no Java, no pyspark), or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return f"pyspark is not installed: {ENABLE_HINT}"
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        return f"no Java runtime (java not on PATH): {ENABLE_HINT}"
    return None


_session_lock = threading.Lock()


def spark_session(master: str | None = None, remote: str | None = None, app_name: str = "dx-dashboard",
                  driver_memory: str | None = None):
    """The process's one SparkSession: local mode by default, or Spark Connect with ``remote``.

    Local mode listens on loopback only (``SPARK_LOCAL_IP=127.0.0.1``), has no UI,
    4 shuffle partitions, a modest driver and UTC as session time zone (dates
    never shift). ANSI mode is off so that, as in DuckDB, x / 0 is NULL.
    """
    from pyspark.sql import SparkSession

    with _session_lock:
        if remote:
            builder = SparkSession.builder.remote(remote).appName(app_name)
        else:
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = (SparkSession.builder.master(master or "local[*]").appName(app_name)
                       .config("spark.ui.enabled", "false")
                       .config("spark.ui.showConsoleProgress", "false")
                       .config("spark.driver.memory", driver_memory or os.environ.get("DX_SPARK_DRIVER_MEMORY", "1g"))
                       .config("spark.driver.host", "127.0.0.1")
                       .config("spark.driver.bindAddress", "127.0.0.1")
                       .config("spark.sql.shuffle.partitions", "4")
                       .config("spark.default.parallelism", "4")
                       .config("spark.log.level", "ERROR"))
        spark = builder.getOrCreate()
        for key, value in (("spark.sql.session.timeZone", "UTC"), ("spark.sql.ansi.enabled", "false")):
            spark.conf.set(key, value)
        return spark


def _join(root: str, *parts: str) -> str:
    return "/".join([root.rstrip("/"), *parts])


class _ArrowCursor:
    """The DuckDB-cursor surface over an Arrow result: ``df()``, ``fetchone()``, ``fetchall()``.

    DuckDB converts the Arrow table, so dtypes are exactly what a DuckDB cursor
    gives for the same SQL types (dates, str, int64, float64, booleans).
    """

    def __init__(self):
        self._converter = duckdb.connect()
        self._table = None
        self._rows = None

    def _set(self, table) -> None:
        self._table, self._rows = table, None

    def _relation(self):
        if self._table is None:
            raise RuntimeError("no query executed")
        return self._converter.from_arrow(self._table)

    def df(self):
        return self._relation().df()

    def fetchall(self) -> list[tuple]:
        if self._rows is None:
            self._rows = self._relation().fetchall()
            self._pos = 0
        rows, self._pos = self._rows[self._pos:], len(self._rows)
        return rows

    def fetchone(self):
        if self._rows is None:
            self._rows = self._relation().fetchall()
            self._pos = 0
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def arrow(self):
        return self._table

    def close(self) -> None:
        self._converter.close()


class _Results:
    """Arrow results by Spark SQL text, for one data version (the Parquet set is immutable
    until the next export). Spark plans and runs even a tiny query in tens of
    milliseconds to seconds; pages ask some of the same questions twice."""

    def __init__(self, size: int = 512):
        self.size = size
        self._lock = threading.Lock()
        self._tables: OrderedDict[str, object] = OrderedDict()

    def get(self, sql: str):
        with self._lock:
            table = self._tables.get(sql)
            if table is not None:
                self._tables.move_to_end(sql)
            return table

    def put(self, sql: str, table) -> None:
        with self._lock:
            self._tables[sql] = table
            while len(self._tables) > self.size:
                self._tables.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._tables.clear()


class SparkCursor(_ArrowCursor):
    """``execute(sql, params)`` on Spark: bind, translate with sqlglot, ``spark.sql``."""

    def __init__(self, spark, results: _Results | None = None):
        super().__init__()
        self._spark = spark
        self._results = results
        self.last_sql: str | None = None

    def execute(self, sql: str, params=None) -> SparkCursor:
        self.last_sql = to_spark_sql(sql, params)
        table = self._results.get(self.last_sql) if self._results is not None else None
        if table is None:
            table = self._spark.sql(self.last_sql).toArrow()
            if self._results is not None:
                self._results.put(self.last_sql, table)
        self._set(table)
        return self


class SparkWarehouse:
    """The Parquet export served by Spark SQL, with the warehouse's reading interface.

    >>> wh = SparkWarehouse("/data/dx-parquet", spark=spark_session("local[2]"))  # doctest: +SKIP
    >>> wh.cursor().execute("SELECT count(*) FROM indicator_values").fetchone()  # doctest: +SKIP
    """

    def __init__(self, parquet: str | Path, spark=None, key: str | None = None, version_ttl: float = 5.0):
        self.parquet = str(parquet)
        self.spark = spark or spark_session()
        self.path = Path(key or EngineConfig("spark", self.parquet).key)
        self.version_ttl = version_ttl
        self._lock = threading.Lock()
        self._version: int | None = None
        self._checked = 0.0
        self.results = _Results()
        self._register()

    def _register(self) -> None:
        """(Re)create the temp views; a new file listing, so a new export is seen."""
        read = self.spark.read
        for table in SINGLE_TABLES:
            read.parquet(_join(self.parquet, f"{table}.parquet")).createOrReplaceTempView(table)
        values_dir = _join(self.parquet, "indicator_values")
        values = read.schema(VALUE_SCHEMA_DDL).option("basePath", values_dir).parquet(values_dir)
        values.selectExpr(*VALUE_COLUMNS, "province_code", "year").createOrReplaceTempView("indicator_values")
        self.spark.sql("""CREATE OR REPLACE TEMP VIEW current_facts AS
            SELECT load_id, indicator_code, unit_code, period_kind, period_start, period_end,
                   breakdown, value, numerator, denominator, note FROM indicator_values""")
        self._version = self._read_version()
        self._checked = time.monotonic()
        self.results.clear()

    def _read_version(self) -> int:
        loads = self.spark.read.parquet(_join(self.parquet, "loads.parquet"))
        loads.createOrReplaceTempView("dx_loads_now")
        row = self.spark.sql(DATA_VERSION_SQL.replace("FROM loads", "FROM dx_loads_now")).collect()[0]
        return int(row[0]) * 100_000 + int(row[1])

    def cursor(self) -> SparkCursor:
        return SparkCursor(self.spark, self.results)

    def data_version(self) -> int:
        """As ``Warehouse.data_version``, from ``loads.parquet``; a changed export re-registers the views.

        Read at most every ``version_ttl`` seconds (each read is a Spark job).
        """
        with self._lock:
            if time.monotonic() - self._checked >= self.version_ttl:
                version = self._read_version()
                self._checked = time.monotonic()
                if version != self._version:
                    self._register()
            return self._version

    def close(self) -> None:
        """Nothing to release: the SparkSession is the process's, shared."""


class ParquetDuckDBWarehouse:
    """The Parquet export served by an in-memory DuckDB (views named like the warehouse)."""

    def __init__(self, parquet: str | Path, key: str | None = None):
        self.parquet = str(parquet)
        self.path = Path(key or EngineConfig("duckdb", self.parquet).key)
        self._con = duckdb.connect()
        duckdb_views(self._con, self.parquet)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    def data_version(self) -> int:
        cur = self._con.cursor()
        try:
            row = cur.execute(DATA_VERSION_SQL).fetchone()
        finally:
            cur.close()
        return int(row[0]) * 100_000 + int(row[1])

    def close(self) -> None:
        self._con.close()
