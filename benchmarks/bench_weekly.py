"""The weekly national upload: one week of every indicator of every commune loaded into the
national warehouse (26 M current values), as a new week and as a correction of the last week,
then undone. Run by `python -m benchmarks` (section "weekly"), on a copy of the warehouse.

The baseline is DuckDB's bare `read_csv` of the same file into a table, in the same run.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from etl.synth import LONG_HEADER

TODAY = date(2026, 11, 25)

# the last week's values again, as an office would send them: unit names, Vietnamese decimals
WEEK_SQL = """
SELECT ? AS period, u.name_vi, c.indicator_code,
       CASE WHEN c.numerator IS NOT NULL THEN NULL
            WHEN c.value + c.bump = floor(c.value + c.bump) THEN CAST(CAST(c.value + c.bump AS BIGINT) AS VARCHAR)
            ELSE replace(CAST(round(c.value + c.bump, 4) AS VARCHAR), '.', ',') END,
       CAST(CAST(c.numerator AS BIGINT) AS VARCHAR), CAST(CAST(c.denominator + c.bump AS BIGINT) AS VARCHAR)
FROM (SELECT c.*, CASE WHEN i.unit = 'count' THEN ? ELSE 0 END AS bump
      FROM current_facts c JOIN indicators i ON i.code = c.indicator_code
      WHERE c.period_start = ?) c
JOIN units u ON u.code = c.unit_code
ORDER BY ALL"""


def week_file(con, last_start: date, label: str, bump: int) -> bytes:
    """A long-template CSV of the week that starts on `last_start`, labelled `label`;
    counts moved by `bump` (a correction)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_HEADER)
    writer.writerows([*row, None, None] for row in con.execute(WEEK_SQL, [label, bump, last_start]).fetchall())
    return out.getvalue().encode("utf-8")


def run(national_db: Path, reference: Path) -> list[tuple[str, int, float, float]]:
    """[(figure, rows, our seconds, bare read_csv seconds)] for a new week, a correction and the undo."""
    from benchmarks.baselines import bare_read_csv
    from etl.loader import load_bytes, undo_load
    from etl.reference import Catalogue
    from etl.warehouse import Warehouse

    work = Path(tempfile.mkdtemp(dir=national_db.parent))
    try:
        copy = work / "warehouse.duckdb"
        shutil.copyfile(national_db, copy)
        catalogue = Catalogue(reference)
        with Warehouse(copy, reference_dir=reference) as wh:
            cur = wh.cursor()
            last = cur.execute("SELECT max(period_start) FROM current_facts WHERE period_kind = 'week'").fetchone()[0]
            nxt = last + timedelta(days=7)
            year, week, _ = nxt.isocalendar()
            last_year, last_week, _ = last.isocalendar()
            files = [("new week", week_file(cur, last, f"{year}-W{week:02d}", 0)),
                     ("correction of the last week", week_file(cur, last, f"{last_year}-W{last_week:02d}", 1))]
            out = []
            for figure, data in files:
                rows = data.count(b"\n") - 1
                start = time.perf_counter()
                result = load_bytes(wh, data, f"{figure}.csv", "bench", today=TODAY, catalogue=catalogue)
                took = time.perf_counter() - start
                assert result.status == "loaded" and result.rows == rows, (result.status, result.problems[:3])
                with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
                    handle.write(data)
                    handle.flush()
                    bare = bare_read_csv(Path(handle.name))
                out.append((f"{figure}: load", rows, took, bare))
                start = time.perf_counter()
                undo_load(wh, result.load_id, "bench")
                out.append((f"{figure}: undo", rows, time.perf_counter() - start, out[-1][3]))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
