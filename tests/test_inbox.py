"""The inbox: files queued for the process that owns the warehouse, imported oldest first."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta

from etl.inbox import enqueue, import_inbox, inbox_dir, pending
from tests.conftest import long_csv

TEAMS = "Số tổ công nghệ số cộng đồng"


def teams(value, month="Tháng 3/2024"):
    return long_csv([[month, "TP. Tam Kỳ", TEAMS, value, None, None, None, None]])


def current_teams(wh):
    return wh.cursor().execute(
        "SELECT value, load_id FROM indicator_values WHERE indicator_code = 'community_tech_teams' AND unit_code = '502'"
    ).fetchall()


def test_enqueue_writes_the_file_then_its_sidecar_and_nothing_else(db_path):
    sidecar = enqueue(db_path, b"abc", "../../bao cao.csv", who="lan", period="2024-03",
                      now=datetime(2026, 11, 25, 10, 15))
    folder = inbox_dir(db_path)
    assert sidecar.parent == folder and sidecar.name.startswith("20261125T101500000000-")
    assert sidecar.name.endswith("--bao_cao.csv.json")
    assert json.loads(sidecar.read_text()) == {"file_name": "bao cao.csv", "who": "lan", "period": "2024-03",
                                               "submitted_at": "2026-11-25T10:15:00"}
    assert sidecar.with_name(sidecar.name[:-5]).read_bytes() == b"abc"
    assert sorted(p.name for p in folder.iterdir()) == sorted([sidecar.name, sidecar.name[:-5]])  # no temp left


def test_import_loads_oldest_first_and_moves_files_to_done(warehouse):
    start = datetime(2026, 11, 25, 9, 0)
    enqueue(warehouse.path, teams("20"), "late.csv", who="binh", now=start + timedelta(minutes=5))
    enqueue(warehouse.path, teams("10"), "early.csv", who="lan", now=start)
    results = import_inbox(warehouse)
    assert [(r.file_name, r.status) for r in results] == [("early.csv", "loaded"), ("late.csv", "loaded")]
    assert current_teams(warehouse) == [(20.0, results[1].load_id)]  # the newer submission wins
    assert warehouse.cursor().execute("SELECT loaded_by FROM loads ORDER BY load_id").fetchall() == [
        ("lan",), ("binh",)]
    assert pending(warehouse.path) == []
    done = inbox_dir(warehouse.path) / "done"
    assert len(list(done.glob("*.result.json"))) == 2


def test_a_file_that_fails_goes_to_failed_with_its_problems_and_the_next_still_loads(warehouse):
    start = datetime(2026, 11, 25, 9, 0)
    enqueue(warehouse.path, long_csv([["Tháng 3/2024", "Nowhere", TEAMS, "1", None, None, None, None]]),
            "bad.csv", who="lan", now=start)
    enqueue(warehouse.path, teams("7"), "good.csv", who="lan", now=start + timedelta(seconds=1))
    results = import_inbox(warehouse)
    assert [r.status for r in results] == ["invalid", "loaded"]
    [result_file] = (inbox_dir(warehouse.path) / "failed").glob("*.result.json")
    problems = json.loads(result_file.read_text())["problems"]
    assert problems[0]["code"] == "unknown_unit" and problems[0]["message_en"].startswith("Unknown unit")
    assert warehouse.cursor().execute("SELECT count(*) FROM loads").fetchone() == (1,)


def test_a_broken_sidecar_does_not_block_the_inbox(warehouse):
    folder = inbox_dir(warehouse.path)
    folder.mkdir()
    (folder / "20260101T000000000000-x--a.csv.json").write_text("{not json")
    enqueue(warehouse.path, teams("3"), "ok.csv", who="lan")
    assert [r.status for r in import_inbox(warehouse)] == ["invalid", "loaded"]
    assert len(list((folder / "failed").iterdir())) == 2  # sidecar + result


def test_the_period_of_the_sidecar_is_used(warehouse):
    data = long_csv([["TP. Tam Kỳ", TEAMS, "9"]], header=["Đơn vị", "Chỉ tiêu", "Giá trị"])
    enqueue(warehouse.path, data, "no_period.csv", who="lan", period="2024-05")
    [result] = import_inbox(warehouse)
    assert result.status == "loaded"
    assert warehouse.cursor().execute("SELECT period_start FROM facts").fetchall() == [(date(2024, 5, 1),)]


def test_two_importers_at_once_load_each_file_once(warehouse):
    for i in range(4):
        enqueue(warehouse.path, teams(str(10 + i), month=f"Tháng {i + 1}/2024"), f"f{i}.csv", who="lan")
    barrier = threading.Barrier(3)
    outcomes = []

    def run():
        barrier.wait()
        outcomes.append(import_inbox(warehouse))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(o) for o in outcomes)[-1] >= 1
    assert warehouse.cursor().execute("SELECT count(*), count(DISTINCT file_hash) FROM loads").fetchone() == (4, 4)
    assert pending(warehouse.path) == []
