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
