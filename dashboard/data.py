"""The app's access to the warehouse: one open file per process, cached queries.

The Streamlit process owns the DuckDB file (style.md): `warehouse()` opens it
once (building it from the sample reports on first start), every query runs on a
fresh cursor, and results are cached under the warehouse's data version, which
changes with every load and undo, so a new upload shows at once and nothing stale
is served.

The open `Warehouse` (its connection and its write lock) lives in a plain module
dictionary, not in `st.cache_resource`: any client may send Streamlit a
`clear_cache` message, which empties the resource cache for every session; a
second `Warehouse` on the same file would bring a second write lock, and writers
that no longer serialise (issue 15, finding 1). Clearing caches only drops cached
query results here.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import engines, queries
from etl.bootstrap import open_warehouse
from etl.loader import read_manifest
from etl.warehouse import Warehouse, default_path

log = logging.getLogger(__name__)

_open_warehouses: dict[str, Warehouse] = {}
_open_lock = threading.Lock()  # one opening at a time, so two sessions never open one file twice


def _open(db_path: str) -> Warehouse:
    """The process's one `Warehouse` for `db_path` (opened, and built if new, on first use)."""
    wh = _open_warehouses.get(db_path)
    if wh is not None:
        return wh
    if (engine := engines.engine_for_key(db_path)) is not None:
        return engine  # Spark, or DuckDB over Parquet (dashboard/engines.py)
    with _open_lock:
        wh = _open_warehouses.get(db_path)
        if wh is None:
            if production() and not Path(db_path).exists() and not read_manifest(Path(db_path)):
                # a real deployment never starts over silently (issue 15, Low): a missing file with
                # no archive to restore from is an error for the operator, not a new sample warehouse
                raise FileNotFoundError(f"DX_PRODUCTION: no warehouse at {db_path} and no archive to restore it")
            # DX_NO_SAMPLE=1 starts on an empty warehouse (tests of empty pages, real deployments)
            with_sample = not production() and os.environ.get("DX_NO_SAMPLE", "") not in ("1", "true", "yes")
            wh = open_warehouse(Path(db_path), with_sample=with_sample)
            _open_warehouses[db_path] = wh
            log.info("warehouse opened: %s", db_path)
        return wh


def production() -> bool:
    """`DX_PRODUCTION=1`: a real deployment. No sample data is loaded, a missing warehouse is
    restored from its archive or refused (never rebuilt from the sample), no sample badge."""
    return os.environ.get("DX_PRODUCTION", "").lower() in ("1", "true", "yes")


def close_warehouse(db_path: Path | str | None = None) -> None:
    """Close the process's warehouse at `db_path` (every one when None).

    For a rebuild that replaces the file, and for tests; a page never calls it.
    Its inbox watcher stops with it (dashboard/inbox_watch.py).
    """
    from dashboard import inbox_watch

    with _open_lock:
        keys = list(_open_warehouses) if db_path is None else [str(db_path)]
        for key in keys:
            inbox_watch.stop(key)
            wh = _open_warehouses.pop(key, None)
            if wh is not None:
                wh.close()


def open_count() -> int:
    """How many warehouses this process holds open (one per configured file)."""
    return len(_open_warehouses)


def warehouse(db_path: Path | None = None) -> Warehouse:
    """The configured engine's warehouse (DX_ENGINE, dashboard/engines.py); by default the DuckDB file."""
    config = engines.engine_config()
    if not config.uses_warehouse_file:
        return engines.open_engine(config)  # its .path is a key that _open() maps back to it
    key = str(db_path or default_path())
    if key in _open_warehouses or get_script_run_ctx() is None:
        return _open(key)
    with st.spinner("Đang chuẩn bị dữ liệu… / Preparing the data…"):
        return _open(key)


@st.cache_data(show_spinner=False, max_entries=2048)
def _cached(module: str, name: str, db_path: str, version: int, args: tuple, kwargs: tuple):
    cur = _open(db_path).cursor()
    try:
        return getattr(importlib.import_module(module), name)(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def query_in(module: str, name: str, *args, db_path: Path | None = None, **kwargs):
    """Run `<module>.<name>(cursor, *args, **kwargs)`, cached under the warehouse's data version.

    Every query module's cached access goes through here (one cache, one key rule).
    """
    wh = warehouse(db_path)
    return _cached(module, name, str(wh.path), wh.data_version(), tuple(args), tuple(sorted(kwargs.items())))


def query(name: str, *args, db_path: Path | None = None, **kwargs):
    """Run `dashboard.queries.<name>(cursor, *args, **kwargs)`, cached by data version."""
    return query_in(queries.__name__, name, *args, db_path=db_path, **kwargs)


def as_of_date(db_path: Path | None = None, province: str | None = None) -> date | None:
    """The last period end with data: the province's (and its units') when given, else the warehouse's."""
    if province:
        return query("province_as_of", province, db_path=db_path)
    info = query("as_of", db_path=db_path)
    return info["period_end"]
