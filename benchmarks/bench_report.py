"""Benchmark: a full weekly deck (PPTX) for the sample data, against a baseline measured in the same run.

    python benchmarks/bench_report.py [--week 2024-W26] [--repeat 3]

Measured (wall clock, best of --repeat):
- full:      build_report (SQL) + every chart through kaleido/Chromium (one browser start) + PPTX;
- baseline:  a bare python-pptx deck with the same number of slides and the same
             pre-rendered pictures (no SQL, no kaleido): the floor of the file-writing part;
- one_png:   a single kaleido ``fig.to_image`` (one browser start, one chart),
             times the number of charts: what rendering each chart separately would cost.
Prints the times and full / baseline, full / one_png-per-chart ratios. Target:
full under 20 s on the 2-core machine (a benchmark, not a timed test).
"""

from __future__ import annotations

import argparse
import io
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_S = 20.0


def best_of(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", default="2024-W26")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", default=None, help="warehouse (default: a fresh one built from data/sample)")
    args = parser.parse_args(argv)

    import streamlit.logger

    streamlit.logger.set_log_level("error")
    import tempfile

    import duckdb

    from benchmarks.query_cases import PROVINCE
    from dashboard import report_charts
    from dashboard import report_export as rx
    from dashboard.report import build_report

    if rx.resolve_browser() is None:
        print(rx.browser_problem("en"))
        return 1
    if args.db:
        db = Path(args.db)
    else:
        from etl.bootstrap import open_warehouse

        db = Path(tempfile.mkdtemp()) / "warehouse.duckdb"
        open_warehouse(db).close()
    con = duckdb.connect(str(db), read_only=True)

    def full():
        report = build_report(con.cursor(), args.week, province=PROVINCE)
        return rx.report_pptx(report)  # renders every chart in one kaleido session

    report = build_report(con.cursor(), args.week, province=PROVINCE)
    figs = report_charts.figures(report)
    pngs = rx.report_pngs(report)  # also warms up the browser binary's disk cache

    def baseline():
        from pptx import Presentation
        from pptx.util import Inches

        deck = Presentation()
        deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
        images = list(pngs.values())
        for i in range(len(report.sections)):
            slide = deck.slides.add_slide(deck.slide_layouts[5])
            slide.shapes.title.text = report.sections[i].title
            if i < len(images):
                slide.shapes.add_picture(io.BytesIO(images[i]), Inches(0.5), Inches(1.2), Inches(12.3))
        buf = io.BytesIO()
        deck.save(buf)
        return buf.getvalue()

    first = next(iter(figs.values()))
    t_full, deck = best_of(args.repeat, full)
    t_base, _ = best_of(args.repeat, baseline)
    t_one, _ = best_of(args.repeat, lambda: rx.chart_png(first))
    con.close()

    n_charts, n_slides = len(figs), len(report.sections)
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
          f"python {platform.python_version()}, cpus {__import__('os').cpu_count()}")
    print(f"week {args.week}: {n_slides} slides, {n_charts} charts, deck {len(deck) / 1024:.0f} KiB")
    print(f"full deck (SQL + kaleido + PPTX), best of {args.repeat}: {t_full:.2f} s")
    print(f"baseline bare python-pptx deck, same slides and pictures: {t_base:.3f} s  -> ratio {t_full / t_base:.1f}x")
    print(f"one fig.to_image: {t_one:.2f} s; x {n_charts} charts = {t_one * n_charts:.2f} s "
          f"-> ratio {t_full / (t_one * n_charts):.2f}x")
    verdict = "OK" if t_full < TARGET_S else "OVER"
    print(f"target < {TARGET_S:.0f} s: {verdict}")
    return 0 if t_full < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
