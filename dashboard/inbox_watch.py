"""The app imports the inbox (files the CLI queued while the app held the warehouse).

Two triggers, both in the app process, the only one that may write:

- `import_pending(db_path)` at the start of every script run (app.py), so a user
  who opens or refreshes a page sees what was queued;
- one daemon thread per warehouse and process (a module dictionary, not
  `st.cache_resource`, which any client can empty with a `clear_cache` message)
  that calls `etl.inbox.import_inbox` every `DX_INBOX_POLL` seconds (default 3), so
  files arrive even when nobody is using the app.

The thread calls no Streamlit command (it has no script-run context): it only
loads through the shared `Warehouse`, whose write lock serialises it with the
sessions' commits. `import_inbox` lets one caller import at a time; the data
version changes with each load, so cached pages refresh on their next run.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from dashboard.data import warehouse
from etl.inbox import import_inbox, inbox_dir
from etl.loader import LoadResult
from etl.warehouse import Warehouse

log = logging.getLogger(__name__)


def poll_seconds() -> float:
    try:
        return max(0.2, float(os.environ.get("DX_INBOX_POLL", "3")))
    except ValueError:
        return 3.0


def import_pending(db_path: Path) -> list[LoadResult]:
    """Import whatever waits in the inbox now (cheap when it is empty)."""
    if not inbox_dir(db_path).is_dir():
        return []
    results = import_inbox(warehouse(db_path))
    for r in results:
        log.info("inbox: %s -> %s (load %s, %s rows)", r.file_name, r.status, r.load_id, r.rows)
    return results


class InboxWatcher:
    """A daemon thread importing the inbox of one warehouse every few seconds."""

    def __init__(self, wh: Warehouse, interval: float):
        self.wh = wh  # the app's own Warehouse: no cached Streamlit call from the thread
        self.interval = interval
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"inbox-{wh.path.name}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop_event.wait(self.interval):
            try:
                if inbox_dir(self.wh.path).is_dir():
                    import_inbox(self.wh)
            except Exception:  # the thread must outlive a bad file or a closed warehouse
                log.exception("inbox import failed for %s", self.wh.path)

    def stop(self) -> None:
        self.stop_event.set()


_watchers: dict[str, InboxWatcher] = {}
_watchers_lock = threading.Lock()


def _watcher(db_path: str) -> InboxWatcher:
    """The process's one watcher for `db_path`, started on first use."""
    with _watchers_lock:
        watcher = _watchers.get(db_path)
        if watcher is None or not watcher.thread.is_alive():
            watcher = _watchers[db_path] = InboxWatcher(warehouse(Path(db_path)), poll_seconds())
            log.info("inbox watcher started: %s", db_path)
        return watcher


def stop(db_path: str) -> None:
    """Stop the watcher of `db_path` (before its warehouse is closed)."""
    with _watchers_lock:
        watcher = _watchers.pop(str(db_path), None)
    if watcher is not None:
        watcher.stop()
        watcher.thread.join(timeout=30)


def running() -> int:
    """Watcher threads alive in this process."""
    return sum(w.thread.is_alive() for w in _watchers.values())


def start(db_path: Path) -> list[LoadResult]:
    """Make sure the watcher runs, and import what is waiting now."""
    _watcher(str(db_path))
    return import_pending(db_path)
