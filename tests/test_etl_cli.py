"""The public command line: `python -m etl check|load|history|undo|rebuild`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from etl.cli import build_parser, main
from tests.conftest import long_csv

ROOT = Path(__file__).resolve().parent.parent
GOOD = [["Tháng 3/2024", "TP. Tam Kỳ", "Số tổ công nghệ số cộng đồng", "12", None, None, None, None]]
BAD = [["Tháng 3/2024", "TP. Tam Kỳ", "Tỷ lệ hồ sơ trực tuyến", "120", None, None, None, None]]


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "tot.csv"
    good.write_bytes(long_csv(GOOD))
    bad = tmp_path / "hong.csv"
    bad.write_bytes(long_csv(BAD))
    return good, bad


def test_check_exits_0_for_a_good_file_and_1_for_a_bad_one_with_the_problem_printed(files, capsys):
    good, bad = files
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "hong.csv › dòng/row 2" in out and "Percentage 120 is outside 0–100" in out


def test_load_history_undo_round_trip(files, tmp_path, capsys):
    good, bad = files
    db = str(tmp_path / "w.duckdb")
    assert main(["load", "--db", db, "--who", "lan", str(good)]) == 0
    assert main(["load", "--db", db, str(good)]) == 0
    assert "already loaded as load 1" in capsys.readouterr().out
    assert main(["load", "--db", db, str(bad)]) == 1
    assert "nothing written" in capsys.readouterr().out
    assert main(["history", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "lan" in out and "tot.csv" in out and "hong.csv" not in out
    assert main(["undo", "--db", db, "1"]) == 0
    assert main(["undo", "--db", db, "1"]) == 2
    assert main(["rebuild", "--db", db]) == 0
    assert main(["history", "--db", db]) == 0
    assert "undone" in capsys.readouterr().out


def test_usage_errors_exit_2(files, tmp_path):
    good, _ = files
    assert main(["check", str(tmp_path / "missing.csv")]) == 2
    assert main(["check", "--period", "tháng mười ba", str(good)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_every_subcommand_has_help_and_takes_db():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, sp in sub.choices.items():
        assert sp.description, name
        if name != "sample":
            assert any("--db" in a.option_strings for a in sp._actions), name


def test_python_dash_m_etl_runs_as_a_module(files, tmp_path):
    good, _ = files
    done = subprocess.run([sys.executable, "-m", "etl", "load", "--db", str(tmp_path / "w.duckdb"), str(good)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "loaded as load 1" in done.stdout
