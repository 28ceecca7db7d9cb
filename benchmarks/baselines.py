"""The physical floor the ETL figures are compared with: DuckDB's bare `read_csv` of a file into a table."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb


def bare_read_csv(csv_path: Path, into_file: bool = False, runs: int = 3) -> float:
    """Median seconds of `CREATE TABLE t AS SELECT * FROM read_csv(…, all_varchar)`: in memory, or
    (`into_file`) into a new DuckDB file, committed (autocommit) as a load is: its rows written to the
    file, no CHECKPOINT (a load does not checkpoint either; one adds about 0.3 s to 2 M rows here)."""
    times = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp())
        con = duckdb.connect(str(folder / "bare.duckdb") if into_file else ":memory:")
        try:
            start = time.perf_counter()
            con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv_path}', header = true, all_varchar = true)")
            times.append(time.perf_counter() - start)
        finally:
            con.close()
            shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(times)


def facts_write(facts, reference_dir: Path, runs: int = 3) -> float:
    """Median seconds of writing a checked file's facts (the Arrow table the loader inserts) into
    `current_facts` of a new warehouse file, committed: the write every load of the file makes,
    whatever its checks. With `bare_read_csv` in memory, the floor of a load into this schema."""
    from etl.warehouse import Warehouse

    times = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp())
        wh = Warehouse(folder / "floor.duckdb", reference_dir=reference_dir)
        try:
            with wh.transaction() as tx:
                tx.register("checked_facts", facts)
                start = time.perf_counter()
                tx.execute("INSERT INTO current_facts SELECT * FROM checked_facts")
            times.append(time.perf_counter() - start)  # the commit included
        finally:
            wh.close()
            shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(times)
