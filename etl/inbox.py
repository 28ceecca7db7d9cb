"""The inbox: files handed to the process that owns the warehouse.

DuckDB lets one process open a file for writing, and while the dashboard runs,
that process is the app. `python -m etl load` then cannot open the warehouse
(`WarehouseBusy`); instead of failing it *enqueues* each file here, and the app
imports the inbox at the start of every script run and from a background thread
every few seconds (`dashboard/inbox_watch.py`). Nothing is lost and nobody sees
a lock error.

Layout of `<warehouse>.inbox/`:

    20261125T101500123456-1a2b3c4d--bao_cao.xlsx        the file, as submitted
    20261125T101500123456-1a2b3c4d--bao_cao.xlsx.json   sidecar: name, who, period, submitted_at
    done/     imported (loaded, or already loaded), each with its sidecar + the result
    failed/   not loaded, each with its sidecar + the problems (bilingual) as JSON

The sidecar is written last, each through a temporary file and `os.replace`, so
an entry is complete exactly when its `.json` exists: the importer looks only at
sidecars, oldest first (their names sort by submission time).

    >>> enqueue(Path("kho.duckdb"), data, "bc.xlsx", who="lan", period="2025-05")  # doctest: +SKIP
    >>> import_inbox(wh)                                                            # doctest: +SKIP
    [LoadResult(file_name='bc.xlsx', status='loaded', load_id=33, ...)]
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from datetime import datetime
from pathlib import Path

from etl.loader import LoadResult, load_bytes
from etl.periods import PeriodError, parse_period
from etl.warehouse import Warehouse

SIDECAR = ".json"
_SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def inbox_dir(db_path: Path) -> Path:
    """`<warehouse>.inbox/` beside the warehouse file."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".inbox")


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def enqueue(db_path: Path, data: bytes, name: str, who: str, period: str | None = None,
            *, now: datetime | None = None) -> Path:
    """Put one file in the inbox for the running app; returns the sidecar's path.

    `period` is the text of `--period` (canonical or as typed), or None.
    """
    folder = inbox_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now()
    base_name = Path(name).name
    stem = f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}--{_SAFE.sub('_', base_name)}"
    _write_atomically(folder / stem, data)
    sidecar = folder / (stem + SIDECAR)
    meta = {"file_name": base_name, "who": who, "period": period, "submitted_at": now.isoformat()}
    _write_atomically(sidecar, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    return sidecar


def pending(db_path: Path) -> list[Path]:
    """Sidecars waiting in the inbox, oldest first."""
    folder = inbox_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(SIDECAR)
                  and not p.name.startswith("."))


def _lock_for(folder: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(folder.resolve()), threading.Lock())


def _move(sidecar: Path, target: Path, result: dict) -> None:
    target.mkdir(exist_ok=True)
    data_file = sidecar.with_name(sidecar.name[: -len(SIDECAR)])
    if data_file.exists():
        os.replace(data_file, target / data_file.name)
    (target / (data_file.name + ".result.json")).write_text(
        json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(sidecar, target / sidecar.name)


def _import_one(wh: Warehouse, sidecar: Path) -> LoadResult:
    folder = sidecar.parent
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        data = sidecar.with_name(sidecar.name[: -len(SIDECAR)]).read_bytes()
        period = parse_period(meta["period"]) if meta.get("period") else None
        result = load_bytes(wh, data, meta["file_name"], meta.get("who") or "inbox", period)
    except (OSError, ValueError, KeyError, PeriodError) as exc:
        # a broken entry must not block the ones behind it
        result = LoadResult(sidecar.name[: -len(SIDECAR)], "invalid")
        _move(sidecar, folder / "failed", {"status": "invalid", "error": f"{type(exc).__name__}: {exc}"})
        return result
    record = {"status": result.status, "load_id": result.load_id, "rows": result.rows,
              "problems": [p.as_dict() for p in result.problems]}
    _move(sidecar, folder / ("done" if result.status in ("loaded", "already_loaded") else "failed"), record)
    return result


def import_inbox(wh: Warehouse) -> list[LoadResult]:
    """Load every waiting file into `wh`, oldest first; returns their results.

    Safe to call from several threads at once: one imports, the others return
    `[]` at once (they would only find the same files).
    """
    folder = inbox_dir(wh.path)
    if not folder.is_dir():
        return []
    lock = _lock_for(folder)
    if not lock.acquire(blocking=False):
        return []
    try:
        return [_import_one(wh, sidecar) for sidecar in pending(wh.path)]
    finally:
        lock.release()

