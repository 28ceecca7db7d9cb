"""The app's access to the warehouse: one open file per process, cached queries.

The Streamlit process owns the DuckDB file (style.md): `warehouse()` opens it
once (building it from the sample reports on first start), every query runs on a
fresh cursor, and results are cached under the warehouse's data version, which
changes with every load and undo, so a new upload shows at once and nothing stale
is served.
"""

from __future__ import annotations

import importlib
import os
from datetime import date
from pathlib import Path

import streamlit as st

from dashboard import engines, queries
from etl.bootstrap import open_warehouse
from etl.warehouse import Warehouse, default_path


@st.cache_resource(show_spinner="Đang chuẩn bị dữ liệu… / Preparing the data…")
def _open(db_path: str) -> Warehouse:
    if (engine := engines.engine_for_key(db_path)) is not None:
        return engine  # Spark, or DuckDB over Parquet (dashboard/engines.py)
    # DX_NO_SAMPLE=1 starts on an empty warehouse (tests of empty pages, real deployments)
    with_sample = os.environ.get("DX_NO_SAMPLE", "") not in ("1", "true", "yes")
    return open_warehouse(Path(db_path), with_sample=with_sample)


def warehouse(db_path: Path | None = None) -> Warehouse:
    """The configured engine's warehouse (DX_ENGINE, dashboard/engines.py); by default the DuckDB file."""
    config = engines.engine_config()
    if not config.uses_warehouse_file:
        return engines.open_engine(config)  # its .path is a key that _open() maps back to it
    return _open(str(db_path or default_path()))


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


def as_of_date(db_path: Path | None = None) -> date | None:
    info = query("as_of", db_path=db_path)
    return info["period_end"]
