"""Peak memory (VmHWM) of a `streamlit run app.py` process after every page was opened.

Starts the server on 127.0.0.1 with the environment given (DX_WAREHOUSE, DX_REFERENCE_DIR,
DX_NO_SAMPLE), opens each page in headless Chromium (Playwright, /usr/bin/chromium),
waits until the script is idle, then reads /proc/<pid>/status.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dashboard.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def peak_memory(env: dict, log_path: Path, timeout: float = 240) -> dict:
    """{'vmhwm_kb', 'vmrss_kb', 'pages': {slug: seconds}} or {'error': …}."""
    port = _free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        if not Path(CHROMIUM).exists():
            return {"error": f"no Chromium at {CHROMIUM}"}
        from playwright.sync_api import sync_playwright

        pages = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            for spec in PAGES:
                start = time.perf_counter()
                page.goto(f"{url}/{'' if spec.default else spec.url_path}", timeout=timeout * 1000)
                page.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
                page.wait_for_timeout(300)
                page.wait_for_selector(IDLE, timeout=timeout * 1000)
                pages[spec.url_path] = time.perf_counter() - start
            browser.close()
        return {"vmhwm_kb": _status(proc.pid, "VmHWM"), "vmrss_kb": _status(proc.pid, "VmRSS"), "pages": pages}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
