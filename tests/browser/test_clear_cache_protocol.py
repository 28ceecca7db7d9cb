"""Issue 15, finding 1: a client's `clear_cache` message must not make a second writer.

Streamlit accepts `BackMsg.clear_cache` from any client over its websocket and
empties `st.cache_resource` for every session. When the warehouse, its write lock
and the inbox watcher lived there, each such message opened another `Warehouse`
on the same file (another lock) and started another watcher thread. These tests
speak the app's own protocol to a real `streamlit run` (no browser needed) and
then check, from outside the process, that it still holds one writer: one
"warehouse opened" and one "inbox watcher started" log line, no growing thread
count, and a file queued by the CLI afterwards is imported once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from tests.conftest import long_csv

pytestmark = pytest.mark.browser
APP_DIR = Path(__file__).resolve().parents[2]


def _rerun(query: str = "") -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = ""
    return msg.SerializeToString()


def _clear_cache() -> bytes:
    msg = BackMsg()
    msg.clear_cache = True
    return msg.SerializeToString()


def _until_script_finished(ws, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        raw = ws.recv(timeout=deadline - time.monotonic())
        if isinstance(raw, str):
            continue
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        if fwd.WhichOneof("type") == "script_finished":
            return
    raise TimeoutError("no script_finished from the server")


def _session(url: str, clears: int) -> None:
    """One client: a first run, then `clears` times a clear_cache message and a rerun."""
    with connect(url.replace("http://", "ws://") + "/_stcore/stream", max_size=None) as ws:
        ws.send(_rerun())
        _until_script_finished(ws)
        for _ in range(clears):
            ws.send(_clear_cache())
            ws.send(_rerun())
            _until_script_finished(ws)


def _threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no thread count")


def _server(url: str):
    from tests.browser import conftest as browser_conftest

    return next(s for s in browser_conftest._servers if s.url == url)


def test_clear_cache_messages_keep_one_writer_and_one_watcher(streamlit_server, sample_db):
    url = streamlit_server(sample_db, fresh=True)
    server = _server(url)
    _session(url, clears=1)
    time.sleep(1.0)
    threads_before = _threads(server.proc.pid)

    _session(url, clears=6)
    time.sleep(1.0)  # script threads of the last runs end
    log = server.log()
    assert log.count("warehouse opened:") == 1, log[-4000:]
    assert log.count("inbox watcher started:") == 1, log[-4000:]
    # each extra watcher was a thread that never ends; allow for a transient script thread
    assert _threads(server.proc.pid) - threads_before < 3, (threads_before, _threads(server.proc.pid))

    # The one writer still takes the CLI's queue: a file queued now is imported once.
    db = Path(next(line.split("warehouse opened: ", 1)[1].strip()
                   for line in log.splitlines() if "warehouse opened: " in line))
    report = long_csv([("Tháng 11/2024", "TP. Tam Kỳ", "Tỷ lệ hồ sơ trực tuyến", None, "30", "40", None, None)])
    file = db.parent / "hang_doi_sau_xoa_bo_nho.csv"
    file.write_bytes(report)
    done = subprocess.run([sys.executable, "-m", "etl", "load", "--who", "kiểm thử", "--db", str(db), str(file)],
                          cwd=APP_DIR, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(APP_DIR)})
    assert done.returncode == 0, done.stdout + done.stderr
    imported = db.with_name(db.name + ".inbox") / "done"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(imported.glob("*hang_doi_sau_xoa_bo_nho.csv.json")):
        time.sleep(0.3)
    assert list(imported.glob("*hang_doi_sau_xoa_bo_nho.csv.json")), server.log()[-4000:]
    failed = db.with_name(db.name + ".inbox") / "failed"
    assert not failed.exists() or not any(failed.iterdir())
    assert "Traceback" not in server.log(), server.log()[-4000:]
