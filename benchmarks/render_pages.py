"""Render every page through AppTest twice (cold, then warm); print JSON timings.

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


def render(page) -> tuple[float, list[str]]:
    at = AppTest.from_file(APP, default_timeout=300)
    start = time.perf_counter()
    at.run()
    if not page.default:
        at.switch_page(page.path)
        at.run()
    elapsed = time.perf_counter() - start
    return elapsed, [str(e.value)[:200] for e in at.exception]


def main() -> int:
    out = {}
    for page in PAGES:
        cold, errors = render(page)
        warm, errors2 = render(page)
        out[page.file] = {"cold": cold, "warm": warm, "errors": errors + errors2}
    status = Path("/proc/self/status").read_text()
    out["_vmhwm_kb"] = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
