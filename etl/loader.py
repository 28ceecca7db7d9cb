"""Check, load, undo and rebuild: the ETL's operations on a warehouse.

    check_bytes(data, name)            -> FileCheck (values + problems), writes nothing
    load_bytes(wh, data, name, who)    -> LoadResult, one transaction per file
    undo_load(wh, load_id, who)        -> marks a load undone (what it superseded returns)
    rebuild(db_path)                   -> replays the archive's manifest into a fresh file

Rules, in one place:
- A file whose content (SHA-256) is already loaded and active is a no-op.
- A file with any error writes nothing; warnings are recorded with the load.
- A newer load supersedes older values for the same indicator, unit, period and
  breakdown; the `indicator_values` view picks the newest active load.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from etl import current_counts
from etl import problems as P
from etl.layouts import ParseContext, SheetLayout, Value, parse_tables
from etl.periods import Period, PeriodError, parse_period
from etl.readers import ReadError, extension_of, read_tables
from etl.reference import Catalogue, load_catalogue
from etl.validate import validate_values
from etl.warehouse import KEY, Warehouse, archive_dir

JUMP_THRESHOLD = 0.5  # a value that moves more than 50 % since the previous period is flagged


@dataclass
class FileCheck:
    file_name: str
    file_hash: str
    file_size: int
    layout: str | None
    values: list[Value]
    problems: list[P.Problem]
    sheets: list[SheetLayout] = field(default_factory=list)  # what was recognised, per sheet

    @property
    def ok(self) -> bool:
        return not P.has_errors(self.problems)

    @property
    def errors(self) -> list[P.Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[P.Problem]:
        return [p for p in self.problems if not p.is_error]


@dataclass
class LoadResult:
    file_name: str
    status: str  # loaded | already_loaded | invalid
    load_id: int | None = None
    rows: int = 0
    problems: list[P.Problem] = field(default_factory=list)


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def resolve_digest(data: bytes, digest: str | Future | None) -> str:
    """The file's SHA-256: `digest` when the caller has it (a string, or a Future that is computing
    it while the file is checked), else computed here."""
    if digest is None:
        return file_hash(data)
    return digest if isinstance(digest, str) else digest.result()


def parse_period_option(text: str | None) -> Period | None:
    """The --period option; raises PeriodError for text that is no period."""
    return parse_period(text) if text else None


def check_bytes(
    data: bytes,
    file_name: str,
    catalogue: Catalogue | None = None,
    period: Period | None = None,
    today: date | None = None,
    column_map: dict | None = None,
    digest: str | Future | None = None,
) -> FileCheck:
    """Read and validate one file. Never raises for bad content.

    `column_map` ({column letter: (indicator_code, role) | None}) corrects how a
    wide report's columns are matched to indicators (None ignores a column).
    `digest` is the file's SHA-256 when the caller has it already, or a Future computing it
    (not computed twice).
    """
    catalogue = catalogue or load_catalogue()
    today = today or date.today()
    name = Path(file_name).name
    if not column_map:
        # a large long-template CSV: validated in bulk by DuckDB, same values and problems
        from etl import fast_long

        fast = fast_long.check_long_csv(data, name, catalogue, period, today, digest=digest)
        if fast is None:  # a large long-template workbook: the same checks from its cells
            from etl import fast_long_excel

            fast = fast_long_excel.check_long_excel(data, name, catalogue, period, today, digest=digest)
        if fast is not None:
            return fast
    ctx = ParseContext(name, catalogue, period, column_map=column_map or None)
    values: list[Value] = []
    layout = None
    try:
        tables = read_tables(data, name)
    except ReadError as exc:
        ctx.add(exc.code, value=exc.value or None, detail=exc.detail, row=exc.row)
    else:
        values, layout = parse_tables(tables, ctx)
        ctx.problems += validate_values(values, catalogue, name, today)
    return FileCheck(name, resolve_digest(data, digest), len(data), layout, values, ctx.problems, ctx.sheets)


def _facts_frame(values: list[Value], load_id: int) -> pd.DataFrame:
    if hasattr(values, "facts"):  # etl.fast_long: already a table, never turned into Values
        from etl import fast_long

        return fast_long.facts_table(values.facts, load_id)
    return pd.DataFrame(
        {
            "load_id": [load_id] * len(values),
            "indicator_code": [v.indicator_code for v in values],
            "unit_code": [v.unit_code for v in values],
            "period_kind": [v.period.kind for v in values],
            "period_start": [v.period.start for v in values],
            "period_end": [v.period.end for v in values],
            "breakdown": [v.breakdown for v in values],
            "value": pd.array([v.value for v in values], dtype="Float64"),
            "numerator": pd.array([v.numerator for v in values], dtype="Float64"),
            "denominator": pd.array([v.denominator for v in values], dtype="Float64"),
            "note": pd.array([v.note for v in values], dtype="string"),
            "source_sheet": pd.array([v.sheet for v in values], dtype="string"),
            "source_row": [v.row for v in values],
        }
    )


def _warnings_frame(warnings: list[P.Problem], load_id: int) -> pd.DataFrame:
    """The columns of load_warnings, in order."""
    return pd.DataFrame({
        "load_id": pd.array([load_id] * len(warnings), dtype="Int32"),
        "code": pd.array([w.code for w in warnings], dtype="string"),
        "sheet": pd.array([w.sheet for w in warnings], dtype="string"),
        "row": pd.array([w.row for w in warnings], dtype="Int32"),
        "column": pd.array([w.column for w in warnings], dtype="string"),
        "value": pd.array([None if w.value is None else str(w.value) for w in warnings], dtype="string"),
        "expected": pd.array([None if w.expected is None else str(w.expected) for w in warnings], dtype="string"),
        "message_vi": pd.array([w.message_vi for w in warnings], dtype="string"),
        "message_en": pd.array([w.message_en for w in warnings], dtype="string"),
    })


def jump_warnings(cur, check: FileCheck, threshold: float = JUMP_THRESHOLD) -> list[P.Problem]:
    """Values that moved more than `threshold` since the previous period in the warehouse."""
    if hasattr(check.values, "facts"):  # etl.fast_long: one join, no Python loop
        from etl import fast_long

        return fast_long.jump_warnings(cur, check, threshold)
    rows = []
    for v in check.values:
        prev = v.period.previous()
        if prev is None or v.value is None:
            continue
        rows.append((v.indicator_code, v.unit_code, v.breakdown, prev.start, prev.end, v.value, v.sheet, v.row))
    if not rows:
        return []
    frame = pd.DataFrame(rows, columns=["indicator_code", "unit_code", "breakdown", "prev_start",
                                        "prev_end", "value", "sheet", "row"])
    cur.register("new_values", frame)
    try:
        found = cur.execute(
            """
            SELECT n.sheet, n."row", n.value, iv.value AS old
            FROM new_values n
            JOIN indicator_values iv
              ON iv.indicator_code = n.indicator_code AND iv.unit_code = n.unit_code
             AND iv.breakdown = n.breakdown AND iv.period_start = n.prev_start
             AND iv.period_end = n.prev_end
            WHERE iv.value IS NOT NULL AND iv.value <> 0
              AND abs(n.value - iv.value) / abs(iv.value) > ?
            ORDER BY n."row"
            """,
            [threshold],
        ).fetchall()
    finally:
        cur.unregister("new_values")
    return [
        P.make("large_change", file=check.file_name, sheet=sheet, row=int(row),
               value=f"{new:g}", expected=f"{old:g}")
        for sheet, row, new, old in found
    ]


def _active_load_of(cur, digest: str) -> int | None:
    row = cur.execute(
        "SELECT load_id FROM loads WHERE file_hash = ? AND status = 'active' ORDER BY load_id LIMIT 1",
        [digest],
    ).fetchone()
    return int(row[0]) if row else None


def _append_manifest(db_path: Path, event: dict) -> None:
    folder = archive_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "manifest.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _stage_archive(db_path: Path, data: bytes, digest: str, file_name: str) -> tuple[Path | None, Path]:
    """Write the original file into the archive under a temporary name (runs while
    the file is checked); `_publish_archive` moves it into place once it is loaded,
    so a rejected file leaves nothing behind. Returns (temporary file or None when
    the archive has the content already, content-addressed target)."""
    folder = archive_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (digest + extension_of(file_name))
    if target.exists():
        return None, target
    # a temporary name per thread: two sessions may archive the same file at once
    tmp = target.with_suffix(target.suffix + f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    return tmp, target


def _publish_archive(tmp: Path | None, target: Path) -> str:
    if tmp is not None:
        os.replace(tmp, target)
    return target.name


def _discard_archive(tmp: Path | None) -> None:
    if tmp is not None:
        tmp.unlink(missing_ok=True)


def load_bytes(
    wh: Warehouse,
    data: bytes,
    file_name: str,
    who: str,
    period: Period | None = None,
    today: date | None = None,
    *,
    catalogue: Catalogue | None = None,
    replay: dict | None = None,
    column_map: dict | None = None,
) -> LoadResult:
    """Validate and load one file in one transaction (all of it or nothing).

    `replay` (used by rebuild) fixes the load id and time to those recorded.
    `column_map` corrects a wide report's column matches (see check_bytes); it is
    recorded in the manifest so that rebuild reproduces the load.
    """
    name = Path(file_name).name
    loaded_at = datetime.fromisoformat(replay["loaded_at"]) if replay else datetime.now().replace(microsecond=0)
    today = loaded_at.date() if replay else (today or date.today())
    # The hash, then the archive copy (named by the hash), are computed in a thread while the file is
    # checked: hashing 120 MB first took 0.08 s of a 2 M-row load, with the second core idle.
    with ThreadPoolExecutor(1) as pool:
        hashing = pool.submit(file_hash, data)
        staging = pool.submit(lambda: _stage_archive(wh.path, data, hashing.result(), name))
        try:
            check = check_bytes(data, name, catalogue, period, today, column_map=column_map, digest=hashing)
        except BaseException:
            _discard_archive(staging.result()[0])
            raise
        digest, staged = hashing.result(), staging.result()
    if replay is None:
        already = _active_load_of(wh.cursor(), digest)
        if already:  # a file loaded before is reported as such, whatever its check says today
            _discard_archive(staged[0])
            return LoadResult(name, "already_loaded", already)
    if not check.ok:
        _discard_archive(staged[0])
        return LoadResult(name, "invalid", problems=check.problems)
    archived = _publish_archive(*staged)
    # The write lock is held until the manifest line is written, so that the
    # manifest lists loads in load-id order even when sessions commit at once
    # (rebuild replays it in that order).
    with wh.write_lock:
        if replay is None:
            already = _active_load_of(wh.cursor(), digest)  # the same file committed meanwhile
            if already:
                return LoadResult(name, "already_loaded", already)
        with wh.transaction() as tx:
            warnings = check.warnings + jump_warnings(tx, check)
            load_id = replay["load_id"] if replay else tx.execute(
                "SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()[0]
            tx.execute(
                "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', NULL, NULL, ?, ?)",
                [load_id, name, digest, check.file_size, check.layout, len(check.values), len(warnings),
                 loaded_at, who, archived, period.code if period else None],
            )
            tx.register("new_facts", _facts_frame(check.values, load_id))
            _supersede(tx, "new_facts")
            tx.unregister("new_facts")
            if warnings:  # one INSERT from a frame: executemany took 7 s for 13,000 warnings
                tx.register("new_warnings", _warnings_frame(warnings, load_id))
                tx.execute("INSERT INTO load_warnings SELECT * FROM new_warnings")
                tx.unregister("new_warnings")
        if replay is None:
            event = {
                "event": "load", "load_id": load_id, "file_name": name, "file_hash": digest,
                "archive": archived, "loaded_at": loaded_at.isoformat(), "loaded_by": who,
                "period": period.code if period else None,
            }
            if column_map:
                event["column_map"] = {k: list(v) if v else None for k, v in column_map.items()}
            _append_manifest(wh.path, event)
    return LoadResult(name, "loaded", int(load_id), len(check.values), warnings)


class UndoError(ValueError):
    pass


def _move_to_past(tx, rows) -> None:
    """Keep the rows (Arrow) that left current_facts in past_facts: the history loses nothing."""
    if rows.num_rows:
        tx.register("leaving_rows", rows)
        tx.execute("INSERT INTO past_facts SELECT * FROM leaving_rows")
        tx.unregister("leaving_rows")


def _supersede(tx, new_facts: str) -> None:
    """The new load's values (the registered relation `new_facts`, the facts columns) become
    current: a newer load always wins.

    Each row is written once: the current rows of the keys the load holds move to
    past_facts (none for a new week), then the load's rows go into current_facts.
    A load never holds a key twice (validation: duplicate_row), so each key stays one
    row without a PRIMARY KEY index (see etl.warehouse).
    """
    # the load's period range first: a cheap date test (and, on a file where loads arrive week by week,
    # zone maps) keeps most of a national table out of the key lookup (a new week: 0.3 s -> 3 ms)
    first, last, breakdowns = tx.execute(
        f"SELECT min(period_start), max(period_start), bool_or(breakdown <> '') FROM {new_facts}").fetchall()[0]
    moved = tx.sql(f"""DELETE FROM current_facts
        WHERE period_start BETWEEN DATE '{first.isoformat()}' AND DATE '{last.isoformat()}'
          AND ({KEY}) IN (SELECT ({KEY}) FROM {new_facts})
        RETURNING *""").to_arrow_table()
    _move_to_past(tx, moved)
    tx.execute(f"INSERT INTO current_facts SELECT * FROM {new_facts}")
    tx.register("superseded_rows", moved)
    current_counts.apply_change(tx, "superseded_rows", f"(SELECT {current_counts.PERIOD} FROM {new_facts})",
                                one_row_a_period=not breakdowns)
    tx.unregister("superseded_rows")


def _restore_superseded(tx, load_id: int) -> None:
    """After an undo: each key the load held as current goes back to its newest active value."""
    load_id = int(load_id)
    undone = tx.sql(f"DELETE FROM current_facts WHERE load_id = {load_id} RETURNING *").to_arrow_table()
    _move_to_past(tx, undone)
    tx.register("undone_rows", undone)
    f_key = ", ".join("f." + k for k in KEY.split(", "))
    tx.execute(f"""CREATE OR REPLACE TEMP TABLE restored_rows AS
        SELECT f.* FROM past_facts f JOIN loads l ON l.load_id = f.load_id AND l.status = 'active'
        WHERE ({f_key}) IN (SELECT ({KEY}) FROM undone_rows)
        QUALIFY row_number() OVER (PARTITION BY {f_key} ORDER BY f.load_id DESC) = 1""")
    tx.execute(f"DELETE FROM past_facts WHERE (load_id, {KEY}) IN (SELECT (load_id, {KEY}) FROM restored_rows)")
    tx.execute("INSERT INTO current_facts SELECT * FROM restored_rows")
    current_counts.apply_change(tx, "undone_rows", "restored_rows")
    tx.unregister("undone_rows")
    tx.execute("DROP TABLE restored_rows")


def undo_load(wh: Warehouse, load_id: int, who: str, *, at: datetime | None = None, record: bool = True) -> None:
    """Mark a load undone; the values it superseded become current again."""
    at = at or datetime.now().replace(microsecond=0)
    with wh.write_lock:  # held through the manifest line, as in load_bytes
        with wh.transaction() as tx:
            row = tx.execute("SELECT status FROM loads WHERE load_id = ?", [load_id]).fetchone()
            if row is None:
                raise UndoError(f"Không có lần nạp {load_id} / no load {load_id}")
            if row[0] != "active":
                raise UndoError(f"Lần nạp {load_id} đã được hoàn tác / load {load_id} is already undone")
            tx.execute("UPDATE loads SET status = 'undone', undone_at = ?, undone_by = ? WHERE load_id = ?",
                       [at, who, load_id])
            _restore_superseded(tx, load_id)
        if record:
            _append_manifest(wh.path, {"event": "undo", "load_id": load_id, "at": at.isoformat(), "by": who})


def history(wh: Warehouse) -> pd.DataFrame:
    return wh.cursor().execute(
        """SELECT load_id, file_name, layout, rows, warnings, loaded_at, loaded_by, status,
                  undone_at, undone_by, file_hash
           FROM loads ORDER BY load_id"""
    ).df()


def read_manifest(db_path: Path) -> list[dict]:
    path = archive_dir(db_path) / "manifest.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _replay_into(scratch: Path, db_path: Path, progress=None) -> int:
    """Replay the archive manifest of `db_path` into a new file `scratch`."""
    events = read_manifest(db_path)
    for leftover in (scratch, Path(str(scratch) + ".wal")):
        leftover.unlink(missing_ok=True)
    folder = archive_dir(db_path)
    loads = 0
    with Warehouse(scratch) as wh:
        # loads replayed here are archived and recorded under the real warehouse's name
        wh.path = db_path
        for event in events:
            if progress:
                progress(event)
            if event["event"] == "load":
                data = (folder / event["archive"]).read_bytes()
                period = parse_period(event["period"]) if event.get("period") else None
                column_map = {k: tuple(v) if v else None for k, v in (event.get("column_map") or {}).items()}
                result = load_bytes(wh, data, event["file_name"], event["loaded_by"], period, replay=event,
                                    column_map=column_map or None)
                if result.status != "loaded":
                    raise RuntimeError(f"replay of load {event['load_id']} failed: {result.status}")
                loads += 1
            elif event["event"] == "undo":
                undo_load(wh, event["load_id"], event["by"], at=datetime.fromisoformat(event["at"]), record=False)
    return loads


def rebuild(db_path: Path, progress=None) -> int:
    """Rebuild the warehouse file from its archive; returns the number of loads replayed.

    For a file nobody holds open (the CLI). The new file is built beside the old
    one and swapped in only when complete, so a failed rebuild leaves the old
    warehouse in place.
    """
    db_path = Path(db_path)
    scratch = db_path.with_name(db_path.name + ".rebuild")
    loads = _replay_into(scratch, db_path, progress)
    os.replace(scratch, db_path)
    Path(str(db_path) + ".wal").unlink(missing_ok=True)
    return loads


# the reference tables come from data/reference at every open; everything else is history
NOT_REBUILT = ("meta", "units", "indicators", "breakdowns")


def rebuild_live(wh: Warehouse, progress=None) -> int:
    """Rebuild the warehouse a running app holds open, without closing it.

    The archive is replayed into a scratch file while the write lock keeps other
    writers out; then every history table's rows are replaced in one
    transaction, so readers see the old state or the new one, never a mix.
    """
    scratch = wh.path.with_name(wh.path.name + ".rebuild")
    with wh.write_lock:
        loads = _replay_into(scratch, wh.path, progress)
        cur = wh.cursor()
        cur.execute("ATTACH ? AS rebuilt (READ_ONLY)", [str(scratch)])
        try:
            tables = [row[0] for row in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'rebuilt'").fetchall()
                if row[0] not in NOT_REBUILT]
            with wh.transaction() as tx:
                for table in tables:
                    tx.execute(f"DELETE FROM {table}")
                    tx.execute(f"INSERT INTO {table} SELECT * FROM rebuilt.{table}")
        finally:
            cur.execute("DETACH rebuilt")
            cur.close()
    for leftover in (scratch, Path(str(scratch) + ".wal")):
        leftover.unlink(missing_ok=True)
    return loads


def load_paths(wh: Warehouse, paths: list[Path], who: str, period: Period | None = None) -> list[LoadResult]:
    return [load_bytes(wh, Path(p).read_bytes(), Path(p).name, who, period) for p in paths]


__all__ = [
    "FileCheck", "LoadResult", "check_bytes", "load_bytes", "undo_load", "history", "rebuild", "rebuild_live",
    "read_manifest", "parse_period_option", "PeriodError", "UndoError", "load_paths",
]
