"""Issue 15, finding 1: the writer is a process-level singleton, not a cache entry."""

from __future__ import annotations

import streamlit as st

from dashboard import data, inbox_watch


def test_clearing_streamlit_caches_keeps_the_one_warehouse_and_watcher(db_path, monkeypatch):
    monkeypatch.setenv("DX_NO_SAMPLE", "1")
    try:
        first = data.warehouse(db_path)
        inbox_watch.start(db_path)
        watchers = inbox_watch.running()
        for _ in range(3):
            st.cache_resource.clear()  # what a client's clear_cache message does
            st.cache_data.clear()
            assert data.warehouse(db_path) is first
            inbox_watch.start(db_path)
        assert inbox_watch.running() == watchers
        assert first.transaction  # still the object whose lock every writer takes
    finally:
        data.close_warehouse(db_path)
    assert str(db_path) not in data._open_warehouses
    assert inbox_watch.running() == watchers - 1


def test_a_closed_warehouse_is_opened_again_on_next_use(db_path, monkeypatch):
    monkeypatch.setenv("DX_NO_SAMPLE", "1")
    first = data.warehouse(db_path)
    data.close_warehouse(db_path)
    second = data.warehouse(db_path)
    try:
        assert second is not first
        assert second.cursor().execute("SELECT count(*) FROM loads").fetchone() == (0,)
    finally:
        data.close_warehouse(db_path)
