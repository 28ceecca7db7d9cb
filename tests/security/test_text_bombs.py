"""Issue 15, finding 2: a small text file cannot exhaust memory.

Each hostile file is checked in a child process (as the app checks an upload),
which reports the problem codes, the seconds taken and how much its peak memory
grew. The old reader padded every row to the widest one with no cell limit: the
first file below needed about 49 billion cells.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import json, resource, sys, time
from etl.loader import check_bytes
from etl.reference import load_catalogue
load_catalogue()
data = open(sys.argv[1], 'rb').read()
check_bytes(b'Ky bao cao,Don vi\\n2024,x\\n', 'warm.csv')  # imports and caches of the reading path
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = check_bytes(data, sys.argv[2])
seconds = time.perf_counter() - start
grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"codes": [p.code for p in result.problems if p.is_error],
                  "rows": [p.row for p in result.problems if p.is_error],
                  "vi": [p.message_vi for p in result.problems if p.is_error],
                  "en": [p.message_en for p in result.problems if p.is_error],
                  "seconds": seconds, "grown_mb": grown_mb}))
"""

WIDE = 49_000


def _bombs() -> dict[str, tuple[bytes, str, str]]:
    header = "Kỳ báo cáo,Đơn vị,Chỉ tiêu,Giá trị\n".encode()
    return {
        # one row of 49,000 columns, then a million blank rows: 1 MB (empty trailing cells are
        # dropped, so nothing is padded, and the file is simply not a report)
        "wide_row_then_million_rows": (b"x" + b"," * (WIDE - 1) + b"\n" * 1_000_000, "bom_rong.csv", "no_layout"),
        "wide_filled_row_then_million_rows": (b"x" + b"," * (WIDE - 1) + b"x\n" + b"\n" * 1_000_000, "bom_rong2.csv",
                                              "too_many_columns"),
        # a million blank rows, then the wide row: padding would come last
        "million_rows_then_wide_row": (b"x\n" + b"\n" * 1_000_000 + b"x" + b"," * (WIDE - 1) + b"x\n", "bom_cuoi.csv",
                                       "too_many_columns"),
        # 63 KB: 4,000 short rows and one row of 15,000 columns (60 M cells once padded)
        "short_rows_one_wide": (header + b"2024,x,y,1\n" * 4_000 + b"a" + b";" * 0 + b"," * 15_000 + b"z\n",
                                "bom_63kb.csv", "sheet_too_large"),
        # separators only: 20 MB of commas on one line
        "one_line_of_commas": (b"," * 20_000_000, "dau_phay.csv", "sheet_too_large"),
        # blank lines only after a header: 20 MB
        "blank_lines": (header + b"\r\n" * 10_000_000, "dong_trong.csv", "sheet_too_large"),
        # one cell of 200 KB (the csv module's default limit raised an uncaught error)
        "one_long_cell": (b"a" * 200_000 + b"\n", "o_dai.csv", "cell_too_long"),
        "long_quoted_cell": (header + b'2024,"' + b"x" * 100_000 + b'",y,1\n', "o_dai_ngoac.csv", "cell_too_long"),
        # a quote that never closes: the reader stops at the field limit, not at the end of memory
        "unclosed_quote": (header + b'2024,"x,y,1\n' + b"2024,x,y,1\n" * 100_000, "ngoac_mo.csv", "cell_too_long"),
    }


@pytest.mark.parametrize("case", sorted(_bombs()))
def test_a_text_bomb_is_refused_quickly_with_little_memory(case, tmp_path):
    data, name, code = _bombs()[case]
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), name], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["codes"] == [code], report
    assert report["seconds"] < 5, report
    assert report["grown_mb"] < 300, report
    assert all(report["vi"]) and all(report["en"]) and report["vi"] != report["en"]


def test_the_refusal_names_the_line_where_reading_stopped():
    from etl.loader import check_bytes

    data = "Kỳ báo cáo,Đơn vị\n2024,x\n2024,y\n".encode() + b"z" + b"," * 20_000 + b"z\n"
    result = check_bytes(data, "rong.csv")
    [problem] = [p for p in result.problems if p.is_error]
    assert (problem.code, problem.row) == ("too_many_columns", 4)
    assert "20.001" in problem.message_vi.replace(",", ".") or "20,001" in problem.message_en


def test_an_ordinary_wide_report_still_reads():
    from etl.readers import read_tables

    rows = ["Đơn vị," + ",".join(f"Cột {i}" for i in range(300))] + [f"X{r}," + ",".join(["1"] * 300) for r in range(50)]
    [table] = read_tables("\n".join(rows).encode(), "rong_hop_le.csv")
    assert len(table.rows) == 51 and len(table.rows[0]) == 301
