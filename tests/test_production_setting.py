"""Issue 15 (Low): a real deployment (DX_PRODUCTION=1) never starts over from the sample data
and shows no sample badge; the badge otherwise follows the data, not the build."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import data
from etl.warehouse import Warehouse

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BADGE = "Số liệu minh họa"


def _run(monkeypatch, db: Path, **env) -> AppTest:
    monkeypatch.setenv("DX_WAREHOUSE", str(db))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _text(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(e.value) for e in at.error)


def test_the_sample_warehouse_shows_its_badge(sample_app):
    assert BADGE in _text(sample_app(province="49"))


def test_a_warehouse_without_sample_loads_shows_no_badge(monkeypatch, tmp_path):
    db = tmp_path / "that.duckdb"
    Warehouse(db).close()
    try:
        assert BADGE not in _text(_run(monkeypatch, db, DX_NO_SAMPLE="1"))
    finally:
        data.close_warehouse(db)


def test_production_refuses_a_missing_warehouse_instead_of_building_the_sample(monkeypatch, tmp_path):
    db = tmp_path / "mat.duckdb"
    at = _run(monkeypatch, db, DX_PRODUCTION="1")
    assert "warehouse" in _text(at).lower() or "kho" in _text(at).lower()
    assert at.error and "Traceback" not in _text(at)
    assert not db.exists()  # nothing was created, least of all from the sample


def test_production_hides_the_badge_even_on_sample_data(monkeypatch, sample_db):
    at = _run(monkeypatch, sample_db, DX_PRODUCTION="1", DX_PROVINCE="49")
    assert BADGE not in _text(at)
    assert "Tỉnh Quảng Nam" in _text(at)
