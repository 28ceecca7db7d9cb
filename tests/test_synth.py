"""The synthetic generator: deterministic, and dossier rates that add up by hand."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import duckdb
import pytest

from etl import synth
from etl.cli import main

SMALL = synth.NationalSize(provinces=3, communes=20, weeks=4)


def _rows(path):
    return duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY ALL").fetchall()


def test_national_generator_is_deterministic(tmp_path):
    a = synth.generate_national(tmp_path / "a", SMALL, seed=7, csv_chunk_rows=500, warehouse=False, log=lambda *_: None)
    b = synth.generate_national(tmp_path / "b", SMALL, seed=7, csv_chunk_rows=500, warehouse=False, log=lambda *_: None)
    c = synth.generate_national(tmp_path / "c", SMALL, seed=8, warehouse=False, log=lambda *_: None)
    assert a["rows"] == SMALL.values == 20 * 30 * 4
    for name in ("units.csv", "indicators.csv", "indicator_aliases.csv", "breakdowns.csv"):
        assert (a["reference"] / name).read_bytes() == (b["reference"] / name).read_bytes()
    assert [p.read_bytes() for p in a["csv"]] == [p.read_bytes() for p in b["csv"]]
    assert _rows(a["values"]) == _rows(b["values"])
    assert _rows(a["values"]) != _rows(c["values"])


def test_national_reference_has_province_49_and_communes_with_parents(tmp_path):
    out = synth.generate_national(tmp_path, SMALL, warehouse=False, log=lambda *_: None)
    units = duckdb.sql(f"SELECT * FROM read_csv('{out['reference'] / 'units.csv'}', all_varchar=true)").df()
    provinces = units[units["kind"] == "province"]
    communes = units[units["kind"] == "commune"]
    assert len(provinces) == 3 and "49" in set(provinces["code"])
    assert len(communes) == 20 and set(communes["parent"]) <= set(provinces["code"])
    assert (units["valid_from"][units["kind"] == "commune"] == "2021-01-01").all()
    assert (communes["parent"] == "49").any()


def test_csv_chunks_load_through_the_etl_with_no_problem(tmp_path):
    from etl.loader import check_bytes
    from etl.reference import Catalogue

    out = synth.generate_national(tmp_path, SMALL, csv_chunk_rows=10_000, warehouse=False, log=lambda *_: None)
    catalogue = Catalogue(out["reference"])
    check = check_bytes(out["csv"][0].read_bytes(), "values_0001.csv", catalogue, today=date(2026, 6, 1))
    assert check.ok, check.problems[:3]
    assert len(check.values) == SMALL.values


def test_warehouse_is_built_in_bulk_with_current_values(tmp_path):
    from etl.warehouse import Warehouse

    out = synth.generate_national(tmp_path, SMALL, log=lambda *_: None)
    with Warehouse(out["warehouse"], reference_dir=out["reference"]) as wh:
        cur = wh.cursor()
        assert cur.execute("SELECT count(*) FROM facts").fetchall()[0][0] == SMALL.values
        assert cur.execute("SELECT count(*) FROM indicator_values").fetchall()[0][0] == SMALL.values
        assert cur.execute("SELECT status, rows FROM loads").fetchall() == [("active", SMALL.values)]
        assert cur.execute("SELECT count(*) FROM units WHERE kind = 'commune'").fetchall()[0][0] == 20


def test_dossier_rates_equal_the_rates_counted_by_hand(tmp_path):
    target = synth.generate_dossiers(tmp_path, 1000, seed=3, size=SMALL, log=lambda *_: None)
    con = duckdb.connect()
    records = con.execute(f"""SELECT unit_code, province_code, received_date, channel, resolved_date, due_date, status
                              FROM read_parquet('{target}/**/*.parquet', hive_partitioning = true,
                                                hive_types = {{'province_code': VARCHAR, 'year': INTEGER}})""").fetchall()
    assert len(records) == 1000
    counts = defaultdict(lambda: [0, 0])
    for unit, province, received, channel, resolved, due, status in records:
        key = (unit, province, received.replace(day=1), "online_dossier_rate")
        counts[key][1] += 1
        counts[key][0] += channel == "online"
        if status == "resolved":
            key = (unit, province, resolved.replace(day=1), "ontime_dossier_rate")
            counts[key][1] += 1
            counts[key][0] += resolved <= due
    rates = synth.dossier_rates(con, f"{target}/**/*.parquet")
    got = {(r.unit_code, r.province_code, r.month, r.indicator_code): [r.numerator, r.denominator]
           for r in rates.itertuples()}
    got = {(u, p, m.date() if hasattr(m, "date") else m, i): v for (u, p, m, i), v in got.items()}
    assert got == dict(counts)


def test_dossiers_are_deterministic_and_partitioned_by_province_and_year(tmp_path):
    a = synth.generate_dossiers(tmp_path / "a", 1000, seed=3, size=SMALL, log=lambda *_: None)
    b = synth.generate_dossiers(tmp_path / "b", 1000, seed=3, size=SMALL, log=lambda *_: None)
    assert {p.relative_to(a).parts[:2] for p in a.rglob("*.parquet")} == \
        {p.relative_to(b).parts[:2] for p in b.rglob("*.parquet")}
    assert any(p.relative_to(a).parts[0] == "province_code=49" for p in a.rglob("*.parquet"))
    assert _rows(f"{a}/**/*.parquet") == _rows(f"{b}/**/*.parquet")


@pytest.mark.parametrize("scale", ["national", "dossiers"])
def test_synth_command_writes_the_scale(tmp_path, scale, capsys):
    args = ["synth", "--scale", scale, "--out", str(tmp_path), "--communes", "20", "--weeks", "4",
            "--provinces", "3", "--dossiers", "1000"]
    assert main(args) == 0
    assert (tmp_path / ("warehouse.duckdb" if scale == "national" else "dossiers")).exists()
