"""Fixtures for browser tests: a real ``streamlit run`` server and headless Chromium.

- ``streamlit_server(db_path)``: factory (session scope) that starts
  ``streamlit run app.py`` on 127.0.0.1 with a free port and ``DX_WAREHOUSE=db_path``,
  waits for ``/_stcore/health`` and returns the base URL. ``fresh=True`` always
  starts a new server (deep-link tests need a server no session has used yet).
  The log is printed when a test fails; every server is killed at the end.
- ``browser``: Playwright Chromium from Debian (``/usr/bin/chromium``). Missing
  chromium skips the browser tests, except under ``CI=true`` where it fails.
- ``open_page(page, url)``: go to ``url``, wait until the script is idle, assert
  that no exception or error element is on screen.
- ``screenshot(page, name)``: 1920x1080 PNG in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS = APP_DIR / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1920, "height": 1080}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
ERRORS = (
    "[data-testid='stException'], [data-testid='stAlertContentError'], "
    "[data-testid='stError'], .stException"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """One ``streamlit run app.py`` subprocess; its output goes to a log file."""

    def __init__(self, db_path: Path, log_dir: Path, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"streamlit-{self.port}.log"
        self.db_path = db_path
        # The sample opens on today's Thành phố Đà Nẵng; the browser tests check Quảng Nam's history (the
        # articles' figures), so their servers are set up for Quảng Nam unless a test names a province.
        env = {**os.environ, "DX_WAREHOUSE": str(db_path), "PYTHONUNBUFFERED": "1", "DX_PROVINCE": "49",
               **(env or {})}
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.headless", "true",
                "--server.port", str(self.port),
                "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
            ],
            cwd=APP_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"streamlit not healthy after {timeout}s\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


_servers: list[StreamlitServer] = []


def _private_copy(db_path: Path, tmp_path_factory) -> Path:
    """Each server gets its own copy of the warehouse (and its archive).

    A DuckDB file open for writing in one process locks out every other process,
    and the app process owns its file; the test process itself may hold the
    sample warehouse open for AppTest.
    """
    target = tmp_path_factory.mktemp("server-db") / db_path.name
    for suffix in ("", ".wal"):
        source = Path(str(db_path) + suffix)
        if source.exists():
            shutil.copy2(source, Path(str(target) + suffix))
    archive = db_path.with_name(db_path.name + ".archive")
    if archive.exists():
        shutil.copytree(archive, target.with_name(target.name + ".archive"))
    return target


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory) -> Iterator[Callable[..., str]]:
    """Factory: ``streamlit_server(db_path, fresh=False) -> base URL``."""
    log_dir = tmp_path_factory.mktemp("streamlit-logs")
    by_db: dict[str, StreamlitServer] = {}

    def start(db_path: Path | str, *, fresh: bool = False, env: dict[str, str] | None = None) -> str:
        key = str(db_path)
        if not fresh and not env and key in by_db:
            return by_db[key].url
        server = StreamlitServer(_private_copy(Path(db_path), tmp_path_factory), log_dir, env)
        _servers.append(server)
        server.wait_healthy()
        if not fresh and not env:
            by_db[key] = server
        return server.url

    yield start
    for server in _servers:
        server.stop()


@pytest.fixture(scope="session")
def empty_warehouse(tmp_path_factory) -> Path:
    """An empty warehouse file (no sample loaded): pages must say "no data"."""
    from etl.warehouse import Warehouse

    path = tmp_path_factory.mktemp("empty") / "warehouse.duckdb"
    Warehouse(path).close()
    return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Print the logs of the servers this session started when a test fails."""
    report = yield
    if report.when == "call" and report.failed and "browser" in item.keywords:
        for server in _servers:
            report.sections.append((f"streamlit log {server.url}", server.log()[-20000:]))
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: install it with `apt-get install chromium`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


def open_page(page, url: str, timeout: float = 60_000) -> None:
    """Navigate, wait for the script to finish, assert no error on screen."""
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=timeout)
    # The first idle state can come before the first run has started on a new
    # session; wait for the main block to exist, then for idle again.
    page.wait_for_selector("[data-testid='stMain']", timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    errors = page.locator(ERRORS)
    if errors.count():
        raise AssertionError(f"error on {url}: {errors.first.inner_text()[:2000]}")


def screenshot(page, name: str) -> Path:
    """Save a 1920x1080 screenshot as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORT)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
