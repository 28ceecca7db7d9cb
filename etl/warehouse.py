"""The DuckDB warehouse: schema, the one connection, and the write lock.

This module is the only place that opens the DuckDB file. A process holds one
`Warehouse`; readers take a `cursor()` each (DuckDB 2.0 connections are not to be
shared between threads), and every write goes through `transaction()`, which
serialises writers under one lock and commits or rolls back as a whole.

    >>> wh = Warehouse(Path("/tmp/w.duckdb"))          # doctest: +SKIP
    >>> with wh.transaction() as cur:                   # doctest: +SKIP
    ...     cur.execute("INSERT INTO ...")
"""

from __future__ import annotations

import hashlib
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from etl.reference import REFERENCE_DIR

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "data" / "warehouse.duckdb"
SCHEMA_VERSION = 5


def default_path() -> Path:
    """`$DX_WAREHOUSE`, else `data/warehouse.duckdb` in the project."""
    return Path(os.environ.get("DX_WAREHOUSE") or DEFAULT_PATH)


def archive_dir(db_path: Path) -> Path:
    """Where a warehouse keeps its loaded files and manifest: `<db>.archive/`."""
    return db_path.with_name(db_path.name + ".archive")


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS indicators (
    code VARCHAR PRIMARY KEY, name_vi VARCHAR, name_en VARCHAR,
    definition_vi VARCHAR, definition_en VARCHAR, unit VARCHAR, aggregation VARCHAR,
    direction VARCHAR, target DOUBLE, target_year INTEGER, source VARCHAR, topic VARCHAR,
    headline BOOLEAN, numerator_vi VARCHAR, denominator_vi VARCHAR,
    numerator_en VARCHAR, denominator_en VARCHAR);
CREATE TABLE IF NOT EXISTS units (
    code VARCHAR PRIMARY KEY, name_vi VARCHAR, name_en VARCHAR, kind VARCHAR,
    parent VARCHAR, valid_from DATE, valid_to DATE, successor VARCHAR,
    lat DOUBLE, lon DOUBLE);
CREATE TABLE IF NOT EXISTS breakdowns (
    breakdown VARCHAR PRIMARY KEY, dimension VARCHAR, code VARCHAR,
    name_vi VARCHAR, name_en VARCHAR);
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, file_hash VARCHAR NOT NULL,
    file_size BIGINT, layout VARCHAR, rows INTEGER, warnings INTEGER,
    loaded_at TIMESTAMP NOT NULL, loaded_by VARCHAR, status VARCHAR NOT NULL,
    undone_at TIMESTAMP, undone_by VARCHAR, archive_path VARCHAR, period_override VARCHAR);
CREATE TABLE IF NOT EXISTS load_warnings (
    load_id INTEGER, code VARCHAR, sheet VARCHAR, "row" INTEGER, "column" VARCHAR,
    value VARCHAR, expected VARCHAR, message_vi VARCHAR, message_en VARCHAR);
-- Every loaded value is in exactly one of two tables, so that a load writes each row
-- once: current_facts holds the current value of each key (indicator, unit, period,
-- breakdown), the newest active load's; past_facts every other loaded row (superseded
-- by a newer load, or of an undone load). Both are kept in the same transaction as
-- every load and undo (etl.loader), so that reading the current state never has to
-- rank the whole history. The view `facts` is both: every value ever loaded.
{current_facts}
CREATE TABLE IF NOT EXISTS past_facts ({fact_columns});
CREATE OR REPLACE VIEW facts AS SELECT * FROM current_facts UNION ALL SELECT * FROM past_facts;
-- How many current values (rows) and periods (distinct start and end) each indicator
-- has per unit and period kind, and its last period end: maintained with
-- current_facts (etl.current_counts), so that "the kind an indicator is
-- mostly reported in" and "its latest period" never scan the national fact table.
CREATE TABLE IF NOT EXISTS current_counts (
    indicator_code VARCHAR NOT NULL, unit_code VARCHAR NOT NULL, period_kind VARCHAR NOT NULL,
    n_rows BIGINT NOT NULL, n_periods BIGINT NOT NULL, last_end DATE NOT NULL);
CREATE OR REPLACE VIEW indicator_values AS
SELECT c.indicator_code, c.unit_code, u.name_vi AS unit_name, c.period_kind,
       c.period_start, c.period_end, c.value, c.numerator, c.denominator,
       c.breakdown, c.note, c.load_id
FROM current_facts c JOIN units u ON u.code = c.unit_code;
"""
FACT_COLUMNS_DDL = """
    load_id INTEGER NOT NULL, indicator_code VARCHAR NOT NULL, unit_code VARCHAR NOT NULL,
    period_kind VARCHAR NOT NULL, period_start DATE NOT NULL, period_end DATE NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '', value DOUBLE, numerator DOUBLE, denominator DOUBLE,
    note VARCHAR, source_sheet VARCHAR, source_row INTEGER"""
# current_facts: one row per key (indicator_code, unit_code, period_start, period_end, breakdown),
# kept by the loader's set-based delete-then-insert (etl.loader._supersede) and by
# validation (a file never holds a key twice). No PRIMARY KEY: its index cost more
# than half of a national-size load and of the commit (issue 6, benchmarks/RESULTS.md),
# and no query looks a key up. tests/test_current_facts.py checks the invariant.
CURRENT_FACTS_DDL = f"CREATE TABLE IF NOT EXISTS current_facts ({FACT_COLUMNS_DDL});"
SCHEMA = SCHEMA.replace("{current_facts}", CURRENT_FACTS_DDL).replace("{fact_columns}", FACT_COLUMNS_DDL)
KEY = "indicator_code, unit_code, period_start, period_end, breakdown"

# current_facts and past_facts from every loaded row (the relation `{rows}`): the newest
# active row of each key is current, every other row is past.
SPLIT_FACTS = f"""
INSERT INTO current_facts
SELECT f.* FROM {{rows}} f JOIN loads l ON l.load_id = f.load_id AND l.status = 'active'
QUALIFY row_number() OVER (PARTITION BY {', '.join('f.' + k for k in KEY.split(', '))} ORDER BY f.load_id DESC) = 1;
INSERT INTO past_facts
SELECT * FROM {{rows}} ANTI JOIN current_facts USING (load_id, {KEY});
"""

# Schemas 1-4 kept every loaded row in the table `facts` (and, from 2, the current ones
# again in current_facts, with fewer columns): its rows are split into the two tables.
OLD_FACTS_ASIDE = "ALTER TABLE facts RENAME TO facts_before_5;\nDROP TABLE IF EXISTS current_facts;"
OLD_FACTS_SPLIT = SPLIT_FACTS.format(rows="facts_before_5") + "DROP TABLE facts_before_5;"

# Derive both tables again from every loaded row (a check of what the loader maintains).
REBUILD_CURRENT = ("CREATE OR REPLACE TEMP TABLE facts_all AS SELECT * FROM facts;\n"
                   "DELETE FROM current_facts;\nDELETE FROM past_facts;\n"
                   + SPLIT_FACTS.format(rows="facts_all") + "DROP TABLE facts_all;")

# current_counts from current_facts (`{source}`): all of it (REBUILD_COUNTS), or the groups a
# `{where}` clause names, or from the rows of a load that only adds groups (etl.current_counts,
# which otherwise updates the counts by what a load or an undo moved, in the same transaction).
# Two levels (periods, then pairs) rather than count(DISTINCT (start, end)): a third faster.
COUNTS_SELECT = """
SELECT indicator_code, unit_code, period_kind, sum(n)::BIGINT AS n_rows,
       count(*) AS n_periods, max(period_end) AS last_end
FROM (SELECT indicator_code, unit_code, period_kind, period_start, period_end, count(*) AS n
      FROM {source} {where} GROUP BY indicator_code, unit_code, period_kind, period_start, period_end)
GROUP BY indicator_code, unit_code, period_kind
"""
REBUILD_COUNTS = "DELETE FROM current_counts;\nINSERT INTO current_counts " + COUNTS_SELECT.format(source="current_facts", where="") + ";"


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse file open for writing."""


def _reference_frames(directory: Path) -> dict[str, pd.DataFrame]:
    read = lambda name: pd.read_csv(directory / name, dtype=str, keep_default_na=False)  # noqa: E731
    indicators = read("indicators.csv")
    units = read("units.csv").drop(columns=["aliases"])
    breakdowns = read("breakdowns.csv")
    breakdowns.insert(0, "breakdown", breakdowns["dimension"] + ":" + breakdowns["code"])
    breakdowns = breakdowns[["breakdown", "dimension", "code", "name_vi", "name_en"]]
    return {"indicators": indicators, "units": units, "breakdowns": breakdowns}


def _reference_hash(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in ("indicators.csv", "units.csv", "breakdowns.csv"):
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()


class Warehouse:
    """One open warehouse file: a base connection, cursors, and one write lock."""

    def __init__(self, path: Path | str, read_only: bool = False, reference_dir: Path = REFERENCE_DIR):
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.RLock()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WarehouseBusy(str(exc)) from exc
            raise
        if not read_only:
            self._init_schema(reference_dir)

    # -- connections -------------------------------------------------------
    @property
    def write_lock(self) -> threading.RLock:
        """The lock `transaction()` takes; hold it to keep a write and its
        bookkeeping (the manifest line) together. Re-entrant."""
        return self._lock

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread or one script run (never share it)."""
        return self._con.cursor()

    @contextmanager
    def transaction(self):
        """Serialised write transaction: all of it commits, or none of it."""
        with self._lock:
            cur = self._con.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                cur.close()

    def close(self) -> None:
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- schema --------------------------------------------------------------
    def _init_schema(self, reference_dir: Path) -> None:
        ref_hash = _reference_hash(reference_dir)
        cur = self._con.cursor()
        exists = cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone()[0]
        if exists:
            stored = dict(cur.execute("SELECT key, value FROM meta").fetchall())
            if stored.get("reference_hash") == ref_hash and stored.get("schema_version") == str(SCHEMA_VERSION):
                return  # nothing to change: opening must not touch the file
        with self.transaction() as tx:
            version = stored.get("schema_version") if exists else str(SCHEMA_VERSION)
            older = version != str(SCHEMA_VERSION)
            if older:  # an older file (every earlier schema had the table `facts`): its rows are split once
                tx.execute(OLD_FACTS_ASIDE)
            tx.execute(SCHEMA)
            if older:
                tx.execute(OLD_FACTS_SPLIT)
                tx.execute(REBUILD_COUNTS)
            self._refresh_reference(tx, reference_dir)
            tx.execute("DELETE FROM meta")
            tx.execute("INSERT INTO meta VALUES ('schema_version', ?), ('reference_hash', ?)",
                       [str(SCHEMA_VERSION), ref_hash])

    @staticmethod
    def _refresh_reference(cur, directory: Path) -> None:
        for table, frame in _reference_frames(directory).items():
            cur.register("ref_frame", frame)
            columns = [c[0] for c in cur.execute(f"DESCRIBE {table}").fetchall()]
            select = ", ".join(f"nullif(\"{c}\", '')::{_type(cur, table, c)} AS \"{c}\"" for c in columns)
            cur.execute(f"DELETE FROM {table}")
            cur.execute(f"INSERT INTO {table} SELECT {select} FROM ref_frame")
            cur.unregister("ref_frame")

    # -- small reads -----------------------------------------------------------
    def data_version(self) -> int:
        """Changes with every load and undo: the key for caches of query results."""
        cur = self.cursor()
        row = cur.execute(
            "SELECT coalesce(max(load_id), 0), count(*) FILTER (WHERE status = 'undone') FROM loads"
        ).fetchone()
        return int(row[0]) * 100_000 + int(row[1])


def _type(cur, table: str, column: str) -> str:
    return cur.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
        [table, column],
    ).fetchone()[0]
