"""Render every page through AppTest; print JSON timings.

- cold: the first render in the process (empty query caches), in a new session;
- warm: the same page run again in that session (caches warm): what a person waits for
  after any click, and the page's own time;
- new_session: a second new session (caches warm), which also pays AppTest's start (a
  scan of the installed packages for components, about 0.2 s, once per AppTest) and the
  home page, run before the switch to the page.

`python -m benchmarks.render_pages districts.py national.py` renders only those pages, after one
untimed render of the home page (as in a full run, where the home page is rendered first).

Run in a subprocess with DX_WAREHOUSE, DX_REFERENCE_DIR and DX_NO_SAMPLE=1 set
(`python -m benchmarks.render_pages`): the warehouse file may be held by one
process only, and Streamlit's caches are per process.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def render(page) -> tuple[AppTest, float, list[str]]:
    """A new session opening the page (the home page first, then a switch to it)."""
    at = AppTest.from_file(APP, default_timeout=300)
    start = time.perf_counter()
    at.run()
    if not page.default:
        at.switch_page(page.path)
        at.run()
    elapsed = time.perf_counter() - start
    return at, elapsed, _errors(at)


def rerun(at: AppTest) -> tuple[float, list[str]]:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start, _errors(at)


def _errors(at: AppTest) -> list[str]:
    return [str(e.value)[:200] for e in at.exception]


def main(argv=None) -> int:
    wanted = set(sys.argv[1:] if argv is None else argv)
    pages = [p for p in PAGES if not wanted or p.file in wanted]
    if unknown := wanted - {p.file for p in PAGES}:
        raise SystemExit(f"unknown pages: {sorted(unknown)}")
    if wanted:
        render(next(p for p in PAGES if p.default))  # the home page first, untimed, as in a full run
    out = {}
    for page in pages:
        at, cold, errors = render(page)
        warm, errors2 = rerun(at)
        _, new_session, errors3 = render(page)
        out[page.file] = {"cold": cold, "warm": warm, "new_session": new_session,
                          "errors": errors + errors2 + errors3}
    status = Path("/proc/self/status").read_text()
    out["_vmhwm_kb"] = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
