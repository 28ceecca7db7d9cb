"""Concurrent writers lose nothing: two sessions committing at once, and the CLI
loading while the app process holds the warehouse (inbox)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

from dashboard.uploads import commit, review_upload
from etl.inbox import import_inbox, inbox_dir, pending
from etl.loader import load_bytes, read_manifest, rebuild
from etl.warehouse import Warehouse
from tests.conftest import long_csv, wide_xlsx

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 25)
TEAMS = "Số tổ công nghệ số cộng đồng"

RANKED_HISTORY = """
SELECT f.*
FROM facts f JOIN loads l ON l.load_id = f.load_id AND l.status = 'active'
QUALIFY row_number() OVER (PARTITION BY f.indicator_code, f.unit_code, f.period_start, f.period_end, f.breakdown
                           ORDER BY f.load_id DESC) = 1
ORDER BY ALL"""


def consistent(wh) -> None:
    """current_facts is exactly the newest active value of every key, and no row is lost."""
    cur = wh.cursor()
    assert cur.execute("SELECT * FROM current_facts ORDER BY ALL").fetchall() == cur.execute(RANKED_HISTORY).fetchall()
    assert cur.execute("SELECT sum(rows) FROM loads").fetchone()[0] == cur.execute(
        "SELECT count(*) FROM facts").fetchone()[0]


def month_file(month: int, value: int, units=("TP. Tam Kỳ", "TP. Hội An", "Huyện Đại Lộc")) -> bytes:
    return long_csv([[f"Tháng {month}/2024", u, TEAMS, str(value + i), None, None, None, None]
                     for i, u in enumerate(units)])


def run_at_once(*jobs):
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(i, job):
        barrier.wait()
        try:
            results[i] = job()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_two_analysts_committing_at_once_both_land_consistently(warehouse):
    base = load_bytes(warehouse, month_file(3, 10), "base.csv", who="sample", today=TODAY)
    a, b = month_file(3, 20), month_file(4, 30)  # a overlaps base, b is new

    def analyst(data, name, who):
        cur = warehouse.cursor()  # one cursor per thread, as a script run has
        review = review_upload(cur, data, name, today=TODAY)
        return commit(warehouse, review, who)

    for _ in range(5):  # several rounds: the race must never show
        ra, rb = run_at_once(lambda: analyst(a, "a.csv", "lan"), lambda: analyst(b, "b.csv", "binh"))
        assert {ra.status, rb.status} <= {"loaded", "already_loaded"}
    loads = warehouse.cursor().execute("SELECT load_id, file_name, loaded_by FROM loads ORDER BY load_id").fetchall()
    assert sorted(row[1:] for row in loads) == [("a.csv", "lan"), ("b.csv", "binh"), ("base.csv", "sample")]
    assert loads[0][0] == base.load_id and len({row[0] for row in loads}) == 3
    consistent(warehouse)
    assert warehouse.cursor().execute(
        "SELECT value FROM indicator_values WHERE unit_code = '502' ORDER BY period_start").fetchall() == [(20.0,), (30.0,)]
    # the manifest lists the loads in load-id order, so rebuild gives the same current values
    assert [e["load_id"] for e in read_manifest(warehouse.path)] == [row[0] for row in loads]


def test_many_concurrent_commits_of_overlapping_files_rebuild_to_the_same_state(db_path):
    wh = Warehouse(db_path)
    files = [month_file(3, 10 * i) for i in range(1, 7)]
    results = run_at_once(*[lambda d=d, i=i: load_bytes(wh, d, f"f{i}.csv", who=f"u{i}", today=TODAY)
                            for i, d in enumerate(files)])
    assert sorted(r.load_id for r in results) == list(range(1, 7))
    consistent(wh)
    before = wh.cursor().execute("SELECT * FROM current_facts ORDER BY ALL").fetchall()
    wh.close()
    rebuild(db_path)
    with Warehouse(db_path) as again:
        assert again.cursor().execute("SELECT * FROM current_facts ORDER BY ALL").fetchall() == before


def test_the_same_file_committed_twice_at_once_is_loaded_once(warehouse):
    data = month_file(5, 1)
    results = run_at_once(*[lambda: load_bytes(warehouse, data, "same.csv", who="lan", today=TODAY)] * 2)
    assert sorted(r.status for r in results) == ["already_loaded", "loaded"]
    assert warehouse.cursor().execute("SELECT count(*) FROM loads").fetchone() == (1,)


def test_the_cli_queues_into_the_inbox_while_the_app_holds_the_warehouse(db_path, tmp_path):
    app = Warehouse(db_path)  # this process plays the app: it holds the file open for writing
    report = tmp_path / "bao_cao_thang_5.xlsx"
    report.write_bytes(wide_xlsx("TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG 5/2024", [("TP. Tam Kỳ", 100, 40, 90, 80, None)]))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = subprocess.Popen(
        [sys.executable, "-m", "etl", "load", "--db", str(db_path), "--who", "cli-user", str(report)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # meanwhile an analyst commits in the app
    in_app = load_bytes(app, month_file(5, 7), "in_app.csv", who="lan", today=TODAY)
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 0, (out, err)
    assert "queued" in out and "lock" not in (out + err).lower()
    assert len(pending(db_path)) == 1

    [queued] = import_inbox(app)  # what the app does at its next script run or poll
    assert (queued.status, queued.rows) == ("loaded", 2)
    rows = app.cursor().execute("SELECT load_id, file_name, loaded_by FROM loads ORDER BY load_id").fetchall()
    assert rows == [(in_app.load_id, "in_app.csv", "lan"), (queued.load_id, "bao_cao_thang_5.xlsx", "cli-user")]
    consistent(app)
    assert list((inbox_dir(db_path) / "done").glob("*.result.json"))
    app.close()


def test_the_cli_still_refuses_an_invalid_file_instead_of_queueing_it(db_path, tmp_path):
    app = Warehouse(db_path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(long_csv([["Tháng 3/2024", "Nowhere", TEAMS, "1", None, None, None, None]]))
    done = subprocess.run([sys.executable, "-m", "etl", "load", "--db", str(db_path), str(bad)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Unknown unit" in done.stdout
    assert pending(db_path) == []
    app.close()


def test_the_cli_refuses_to_rebuild_a_warehouse_the_app_holds(db_path):
    app = Warehouse(db_path)
    load_bytes(app, month_file(5, 1), "a.csv", who="lan", today=TODAY)
    before = app.cursor().execute("SELECT * FROM current_facts ORDER BY ALL").fetchall()
    done = subprocess.run([sys.executable, "-m", "etl", "rebuild", "--db", str(db_path)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "History page" in done.stderr
    assert app.cursor().execute("SELECT * FROM current_facts ORDER BY ALL").fetchall() == before
    app.close()
