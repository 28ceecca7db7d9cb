"""Loading into a real DuckDB file: atomicity, re-upload, correction, undo, rebuild."""

from __future__ import annotations

from datetime import date

import pytest

from etl.loader import check_bytes, history, load_bytes, rebuild, undo_load
from etl.warehouse import Warehouse, archive_dir
from tests.conftest import long_csv

TODAY = date(2026, 11, 25)


def current(wh, indicator, unit):
    return wh.cursor().execute(
        """SELECT period_start, value, numerator, denominator, load_id FROM indicator_values
           WHERE indicator_code = ? AND unit_code = ? ORDER BY period_start""",
        [indicator, unit],
    ).fetchall()


def good_file(value="12", month="Tháng 3/2024"):
    return long_csv([
        [month, "TP. Tam Kỳ", "Số tổ công nghệ số cộng đồng", value, None, None, None, None],
        [month, "Huyện Đại Lộc", "Tỷ lệ hồ sơ trực tuyến", None, "30", "120", None, None],
    ])


def snapshot(wh):
    cur = wh.cursor()
    return {t: cur.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("loads", "facts", "load_warnings", "units", "indicators", "breakdowns")}


def test_a_good_file_loads_with_its_load_id_and_parts(warehouse):
    result = load_bytes(warehouse, good_file(), "bao_cao.csv", who="analyst", today=TODAY)
    assert result.status == "loaded" and result.rows == 2
    assert current(warehouse, "community_tech_teams", "502") == [(date(2024, 3, 1), 12.0, None, None, result.load_id)]
    [(start, value, num, den, load_id)] = current(warehouse, "online_dossier_rate", "506")
    assert (num, den) == (30.0, 120.0) and value == pytest.approx(25.0)


def test_a_file_with_one_bad_row_leaves_the_warehouse_file_byte_for_byte_unchanged(db_path):
    with Warehouse(db_path) as wh:
        load_bytes(wh, good_file(), "first.csv", who="a", today=TODAY)
    before = db_path.read_bytes()
    bad = long_csv([
        ["Tháng 4/2024", "TP. Tam Kỳ", "Số tổ công nghệ số cộng đồng", "15", None, None, None, None],
        ["Tháng 4/2024", "Huyện Đại Lộc", "Tỷ lệ hồ sơ trực tuyến", "140", None, None, None, None],
    ])
    with Warehouse(db_path) as wh:
        result = load_bytes(wh, bad, "second.csv", who="a", today=TODAY)
        assert result.status == "invalid"
        assert [p.code for p in result.problems if p.is_error] == ["percent_out_of_range"]
    assert db_path.read_bytes() == before


def test_a_failure_inside_the_transaction_rolls_back_every_row(warehouse, monkeypatch):
    import etl.loader as loader

    def broken_frame(values, load_id):
        frame = real(values, load_id)
        frame.loc[1, "indicator_code"] = None  # NOT NULL violation on the second row
        return frame

    real = loader._facts_frame
    monkeypatch.setattr(loader, "_facts_frame", broken_frame)
    with pytest.raises(Exception):
        load_bytes(warehouse, good_file(), "x.csv", who="a", today=TODAY)
    cur = warehouse.cursor()
    assert cur.execute("SELECT count(*) FROM facts").fetchone()[0] == 0
    assert cur.execute("SELECT count(*) FROM loads").fetchone()[0] == 0


def test_loading_the_same_content_again_is_a_no_op_that_names_the_first_load(warehouse):
    first = load_bytes(warehouse, good_file(), "a.csv", who="a", today=TODAY)
    again = load_bytes(warehouse, good_file(), "a_copy.csv", who="b", today=TODAY)
    assert again.status == "already_loaded" and again.load_id == first.load_id
    assert warehouse.cursor().execute("SELECT count(*) FROM loads").fetchone()[0] == 1


def test_a_file_loaded_before_is_reported_as_loaded_even_when_its_check_fails_today(warehouse):
    first = load_bytes(warehouse, good_file(), "a.csv", who="a", today=TODAY)
    # checked on a day before its period: the check alone says future_period
    early = date(2024, 1, 1)
    assert not check_bytes(good_file(), "a.csv", today=early).ok
    again = load_bytes(warehouse, good_file(), "a.csv", who="b", today=early)
    assert again.status == "already_loaded" and again.load_id == first.load_id
    assert not [p for p in archive_dir(warehouse.path).iterdir() if p.name.endswith(".tmp")]


def test_a_corrected_file_supersedes_earlier_values_and_keeps_history(warehouse):
    first = load_bytes(warehouse, good_file("12"), "a.csv", who="a", today=TODAY)
    second = load_bytes(warehouse, good_file("14"), "a_sua.csv", who="a", today=TODAY)
    assert [r[1] for r in current(warehouse, "community_tech_teams", "502")] == [14.0]
    kept = warehouse.cursor().execute(
        "SELECT load_id, value FROM facts WHERE indicator_code = 'community_tech_teams' ORDER BY load_id"
    ).fetchall()
    assert kept == [(first.load_id, 12.0), (second.load_id, 14.0)]


def test_undoing_a_load_restores_what_was_current_before_it(warehouse):
    load_bytes(warehouse, good_file("12"), "a.csv", who="a", today=TODAY)
    before = snapshot(warehouse)["facts"]
    view_before = warehouse.cursor().execute("SELECT * FROM indicator_values ORDER BY ALL").fetchall()
    second = load_bytes(warehouse, good_file("14"), "b.csv", who="a", today=TODAY)
    undo_load(warehouse, second.load_id, who="lead")
    assert warehouse.cursor().execute("SELECT * FROM indicator_values ORDER BY ALL").fetchall() == view_before
    assert len(snapshot(warehouse)["facts"]) == len(before) + 2  # history kept
    frame = history(warehouse)
    assert frame.loc[frame.load_id == second.load_id, "status"].item() == "undone"
    assert frame.loc[frame.load_id == second.load_id, "undone_by"].item() == "lead"


def test_undoing_twice_or_an_unknown_load_is_refused(warehouse):
    from etl.loader import UndoError

    loaded = load_bytes(warehouse, good_file(), "a.csv", who="a", today=TODAY)
    undo_load(warehouse, loaded.load_id, who="a")
    with pytest.raises(UndoError):
        undo_load(warehouse, loaded.load_id, who="a")
    with pytest.raises(UndoError):
        undo_load(warehouse, 999, who="a")


def test_an_undone_file_can_be_loaded_again(warehouse):
    first = load_bytes(warehouse, good_file(), "a.csv", who="a", today=TODAY)
    undo_load(warehouse, first.load_id, who="a")
    again = load_bytes(warehouse, good_file(), "a.csv", who="a", today=TODAY)
    assert again.status == "loaded" and again.load_id == first.load_id + 1


def test_the_original_file_is_archived_and_every_event_is_in_the_manifest(warehouse, db_path):
    data = good_file()
    result = load_bytes(warehouse, data, "a.csv", who="a", today=TODAY)
    undo_load(warehouse, result.load_id, who="b")
    folder = archive_dir(db_path)
    archived = warehouse.cursor().execute("SELECT archive_path FROM loads").fetchone()[0]
    assert (folder / archived).read_bytes() == data
    events = [line for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(events) == 2 and '"undo"' in events[1]


def test_a_rejected_file_leaves_nothing_in_the_archive(warehouse, db_path):
    """The archive copy is written while the file is checked; a rejected file's copy is removed."""
    good = load_bytes(warehouse, good_file(), "a.csv", who="a", today=TODAY)
    before = sorted(p.name for p in archive_dir(db_path).iterdir())
    bad = load_bytes(warehouse, good_file("-3"), "b.csv", who="a", today=TODAY)
    assert good.status == "loaded" and bad.status == "invalid"
    assert sorted(p.name for p in archive_dir(db_path).iterdir()) == before
    assert len(before) == 2  # the loaded file and the manifest


def test_rebuild_reproduces_the_warehouse_exactly(db_path):
    with Warehouse(db_path) as wh:
        load_bytes(wh, good_file("12"), "a.csv", who="an", today=TODAY)
        second = load_bytes(wh, good_file("14"), "b.csv", who="binh", today=TODAY)
        load_bytes(wh, good_file("30", "Tháng 5/2024"), "c.csv", who="chi", today=TODAY)
        undo_load(wh, second.load_id, who="dung")
        before = snapshot(wh)
    assert rebuild(db_path) == 3
    with Warehouse(db_path) as wh:
        assert snapshot(wh) == before


def test_a_deleted_warehouse_is_restored_from_its_archive_on_open(db_path):
    from etl.bootstrap import open_warehouse

    with Warehouse(db_path) as wh:
        load_bytes(wh, good_file("12"), "a.csv", who="an", today=TODAY)
        before = snapshot(wh)
    db_path.unlink()
    with open_warehouse(db_path) as wh:
        assert snapshot(wh) == before


def test_a_large_change_since_the_previous_period_is_a_warning_that_does_not_block(warehouse):
    load_bytes(warehouse, good_file("10", "Tháng 3/2024"), "a.csv", who="a", today=TODAY)
    result = load_bytes(warehouse, good_file("40", "Tháng 4/2024"), "b.csv", who="a", today=TODAY)
    assert result.status == "loaded"
    assert [p.code for p in result.problems] == ["large_change"]
    stored = warehouse.cursor().execute("SELECT code, value, expected FROM load_warnings").fetchall()
    assert stored == [("large_change", "40", "10")]
    every_field = warehouse.cursor().execute("SELECT * FROM load_warnings").fetchall()
    assert every_field == [(result.load_id, w.code, w.sheet, w.row, w.column, w.value, w.expected, w.message_vi,
                            w.message_en) for w in result.problems]


def test_check_writes_nothing_and_reports_every_problem_with_its_place():
    bad = long_csv([
        ["Tháng 3/2024", "Huyện Nông Sơn", "Số tổ công nghệ số cộng đồng", "5", None, None, None, None],
        ["Tháng 3/2025", "Huyện Nông Sơn", "Số tổ công nghệ số cộng đồng", "5", None, None, None, None],
    ])
    check = check_bytes(bad, "x.csv", today=TODAY)
    [problem] = check.errors
    assert problem.code == "unit_not_in_period" and problem.row == 3
    assert "Quế Sơn" in problem.message_vi and "merged into" in problem.message_en


def test_the_downloadable_template_loads_as_it_is(tmp_path):
    from etl.warehouse import ROOT

    data = (ROOT / "data" / "templates" / "mau_bao_cao_dai.csv").read_bytes()
    check = check_bytes(data, "mau_bao_cao_dai.csv", today=TODAY)
    assert check.ok, check.problems
    assert check.layout == "long" and len(check.values) == 3


def test_current_values_always_equal_the_newest_active_value_after_any_loads_and_undos(tmp_path):
    """Property: whatever the order of loads and undos, the maintained current table
    equals the current state derived from the full history."""
    import random

    from etl.warehouse import REBUILD_COUNTS, REBUILD_CURRENT

    rng = random.Random(7)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        loaded = []
        for step in range(40):
            if loaded and rng.random() < 0.3:
                undo_load(wh, loaded.pop(rng.randrange(len(loaded))), who="t")
            else:
                month = rng.choice(["Tháng 1/2024", "Tháng 2/2024", "Tháng 3/2024"])
                rows = [[month, unit, "community_tech_teams", str(rng.randint(0, 50)), None, None, None, None]
                        for unit in rng.sample(["TP. Tam Kỳ", "TP. Hội An", "Huyện Đại Lộc", "Huyện Duy Xuyên"], 2)]
                result = load_bytes(wh, long_csv(rows), f"f{step}.csv", who="t", today=TODAY)
                if result.status == "loaded":
                    loaded.append(result.load_id)
            cur = wh.cursor()
            maintained = cur.execute("SELECT * FROM current_facts ORDER BY ALL").fetchall()
            cur.execute("BEGIN")
            counts = cur.execute("SELECT * FROM current_counts ORDER BY ALL").fetchall()
            cur.execute(REBUILD_CURRENT)
            derived = cur.execute("SELECT * FROM current_facts ORDER BY ALL").fetchall()
            cur.execute(REBUILD_COUNTS)
            derived_counts = cur.execute("SELECT * FROM current_counts ORDER BY ALL").fetchall()
            cur.execute("ROLLBACK")
            assert maintained == derived, f"step {step}"
            assert counts == derived_counts, f"step {step}"


def test_rebuild_live_reproduces_the_warehouse_without_closing_it(db_path):
    from etl.loader import rebuild_live

    with Warehouse(db_path) as wh:
        load_bytes(wh, good_file("12"), "a.csv", who="an", today=TODAY)
        second = load_bytes(wh, good_file("14"), "b.csv", who="binh", today=TODAY)
        undo_load(wh, second.load_id, who="dung")
        before = snapshot(wh)
        # damage the live state: rebuild must bring back exactly what the archive says
        wh.cursor().execute("DELETE FROM current_facts")
        reader = wh.cursor()  # a reader's cursor opened before the rebuild keeps working after it
        assert rebuild_live(wh) == 2
        assert snapshot(wh) == before
        assert reader.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == 2
