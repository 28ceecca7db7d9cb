"""The history page through AppTest: list, original file, undo with confirmation."""

from __future__ import annotations

from dashboard.data import warehouse
from etl.loader import load_bytes
from tests.upload_support import (  # noqa: F401  (fixtures)
    ANALYST,
    fresh_db,
    may_2025_report,
    open_app,
    sign_in,
    sql,
    state,
    table_with,
    users_file,
)

PAGE = "views/history.py"


def _load_may(db):
    data = may_2025_report()
    result = load_bytes(warehouse(db), data, "thang_5.xlsx", who="minh")
    assert result.status == "loaded"
    return result.load_id, data


def test_every_load_is_listed_with_file_who_when_rows_and_status(fresh_db):
    load_id, _ = _load_may(fresh_db)
    at = open_app(PAGE, lang="en")
    table = table_with(at, "Loaded by")
    assert len(table) == sql(fresh_db, "SELECT count(*) FROM loads")[0][0]
    first = table.iloc[0]
    [(loaded_at,)] = sql(fresh_db, "SELECT loaded_at FROM loads WHERE load_id = ?", [load_id])
    assert first[["Load", "File", "Loaded by", "When", "Values", "Status"]].tolist() == [
        load_id, "thang_5.xlsx", "minh", loaded_at.strftime("%d/%m/%Y %H:%M"), 4, "Active"]


def test_the_original_file_can_be_downloaded_without_signing_in(fresh_db):
    load_id, data = _load_may(fresh_db)
    at = open_app(PAGE)
    assert at.selectbox(key="history.load").value == load_id
    # AppTest does not expose download buttons as widgets: check the archive the button serves
    from dashboard.uploads import original_file

    [(archive,)] = sql(fresh_db, "SELECT archive_path FROM loads WHERE load_id = ?", [load_id])
    assert original_file(fresh_db, archive) == data
    assert not any(b.key == "history.undo" for b in at.button)  # not signed in: no undo
    assert any("Đăng nhập" in c.value for c in at.main.caption)


def test_undo_asks_for_confirmation_then_returns_the_warehouse_to_before(fresh_db):
    before_rows = sql(fresh_db, "SELECT * FROM current_facts ORDER BY ALL")
    version_before = warehouse(fresh_db).data_version()
    load_id, _ = _load_may(fresh_db)
    assert sql(fresh_db, "SELECT * FROM current_facts ORDER BY ALL") != before_rows

    at = open_app("views/upload.py")
    sign_in(at)  # the session keeps its analyst across pages
    at.switch_page(PAGE).run()
    at.button(key="history.undo").click().run()
    assert "Hoàn tác lần nạp" in at.warning[0].value
    assert sql(fresh_db, "SELECT status FROM loads WHERE load_id = ?", [load_id]) == [("active",)]

    at.button(key="history.confirm_yes").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"Đã hoàn tác lần nạp {load_id}")
    assert sql(fresh_db, "SELECT status, undone_by FROM loads WHERE load_id = ?", [load_id]) == [
        ("undone", ANALYST)]
    assert sql(fresh_db, "SELECT * FROM current_facts ORDER BY ALL") == before_rows
    assert warehouse(fresh_db).data_version() not in (version_before,)
    assert table_with(at, "Trạng thái").iloc[0]["Trạng thái"] == "Đã hoàn tác"


def test_cancel_leaves_the_load_active(fresh_db):
    load_id, _ = _load_may(fresh_db)
    at = sign_in(open_app("views/upload.py"))
    at.switch_page(PAGE).run()
    at.button(key="history.undo").click().run()
    before = state(fresh_db)
    at.button(key="history.cancel").click().run()
    assert state(fresh_db) == before
    assert sql(fresh_db, "SELECT status FROM loads WHERE load_id = ?", [load_id]) == [("active",)]


def test_rebuild_from_the_page_replays_the_archive_while_the_app_holds_the_file(fresh_db):
    load_id, _ = _load_may(fresh_db)
    before = {t: sql(fresh_db, f"SELECT * FROM {t} ORDER BY ALL") for t in ("loads", "facts", "current_facts")}
    sql(fresh_db, "DELETE FROM current_facts WHERE load_id = ?", [load_id])  # a damaged current state

    at = sign_in(open_app("views/upload.py"))
    at.switch_page(PAGE).run()
    at.button(key="history.rebuild").click().run()
    assert at.warning and sql(fresh_db, "SELECT count(*) FROM current_facts WHERE load_id = ?", [load_id]) == [(0,)]
    at.button(key="history.rebuild_yes").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Đã dựng lại kho")
    after = {t: sql(fresh_db, f"SELECT * FROM {t} ORDER BY ALL") for t in ("loads", "facts", "current_facts")}
    assert after == before


def test_rebuild_needs_a_signed_in_analyst(fresh_db):
    _load_may(fresh_db)
    at = open_app(PAGE)
    assert not any(b.key == "history.rebuild" for b in at.button)
