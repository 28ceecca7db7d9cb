"""`python -m etl aggregate`: dossier records -> online and on-time rates, on DuckDB and Spark.

A small deterministic dossier set over the real units of Quảng Nam (the units
must exist in the reference for the warehouse to load the result); the rates
are computed by hand here and must equal both engines' integer counts.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from etl.aggregate import rates_duckdb, rates_spark
from etl.cli import main
from etl.loader import check_bytes
from tests.spark_support import spark, spark_or_skip  # noqa: F401

COLUMNS = ["dossier_id", "unit_code", "province_code", "received_date", "channel", "resolved_date", "due_date",
           "status"]


def _units_of_quang_nam() -> list[str]:
    import csv

    from etl.reference import REFERENCE_DIR

    with (REFERENCE_DIR / "units.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # districts and departments that existed for the whole of 2024
    return [r["code"] for r in rows if r["parent"] == "49"
            and (not r["valid_from"] or r["valid_from"] <= "2024-01-01")
            and (not r["valid_to"] or r["valid_to"] >= "2024-12-31")]


def make_dossiers(n: int = 1500, seed: int = 7) -> pd.DataFrame:
    """Dossiers received Jan-Nov 2024, resolved within 20 days (4% still pending)."""
    rnd = random.Random(seed)
    units = _units_of_quang_nam()
    rows = []
    for i in range(n):
        received = date(2024, 1, 1) + timedelta(days=rnd.randrange(334))
        pending = rnd.random() < 0.04
        rows.append({
            "dossier_id": i, "unit_code": rnd.choice(units), "province_code": "49",
            "received_date": received, "channel": "online" if rnd.random() < 0.55 else "direct",
            "resolved_date": None if pending else received + timedelta(days=rnd.randrange(21)),
            "due_date": received + timedelta(days=5 + rnd.randrange(11)),
            "status": "pending" if pending else "resolved",
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def by_hand(frame: pd.DataFrame) -> dict[tuple, tuple[int, int]]:
    """{(unit, first day of month, indicator): (numerator, denominator)} with plain loops."""
    received, online, resolved, ontime = Counter(), Counter(), Counter(), Counter()
    for r in frame.itertuples():
        key = (r.unit_code, r.received_date.replace(day=1))
        received[key] += 1
        online[key] += r.channel == "online"
        if r.status == "resolved":
            key = (r.unit_code, r.resolved_date.replace(day=1))
            resolved[key] += 1
            ontime[key] += r.resolved_date <= r.due_date
    out = {(u, m, "online_dossier_rate"): (online[(u, m)], n) for (u, m), n in received.items()}
    out.update({(u, m, "ontime_dossier_rate"): (ontime[(u, m)], n) for (u, m), n in resolved.items()})
    return out


def as_dict(rates: pd.DataFrame) -> dict[tuple, tuple[int, int]]:
    return {(r.unit_code, pd.Timestamp(r.month).date(), r.indicator_code): (r.numerator, r.denominator)
            for r in rates.itertuples()}


@pytest.fixture(scope="module")
def dossier_set(tmp_path_factory):
    """The dossiers as Hive-partitioned Parquet (province_code, year), like `etl synth --scale dossiers`."""
    frame = make_dossiers()
    root = tmp_path_factory.mktemp("dossiers") / "dossiers"
    con = duckdb.connect()
    con.register("frame", frame)
    con.execute(f"""COPY (SELECT dossier_id, unit_code, province_code, CAST(received_date AS DATE) AS received_date,
                                 channel, CAST(resolved_date AS DATE) AS resolved_date,
                                 CAST(due_date AS DATE) AS due_date, status, year(received_date) AS year
                          FROM frame) TO '{root}' (FORMAT parquet, PARTITION_BY (province_code, year))""")
    return frame, root


def test_duckdb_rates_equal_the_hand_computation(dossier_set):
    frame, root = dossier_set
    rates = rates_duckdb(str(root))
    assert as_dict(rates) == by_hand(frame)
    assert str(rates["numerator"].dtype) == "int64" and str(rates["denominator"].dtype) == "int64"


@pytest.mark.spark
def test_spark_rates_are_identical_to_duckdb_and_to_the_hand_computation(dossier_set, spark):  # noqa: F811
    frame, root = dossier_set
    on_spark, on_duckdb = rates_spark(str(root), spark), rates_duckdb(str(root))
    pd.testing.assert_frame_equal(on_spark, on_duckdb)  # same rows, order and integer dtypes
    assert as_dict(on_spark) == by_hand(frame)


def test_aggregate_writes_a_long_template_that_check_accepts_and_the_warehouse_loads(dossier_set, tmp_path, db_path):
    from dashboard import queries
    from etl.loader import load_bytes
    from etl.warehouse import Warehouse

    frame, root = dossier_set
    out = tmp_path / "rates.csv"
    assert main(["aggregate", "--engine", "duckdb", "--dossiers", str(root), "--out", str(out)]) == 0
    head = out.read_text(encoding="utf-8-sig").splitlines()[:2]
    assert head[0] == "Kỳ báo cáo,Đơn vị,Chỉ tiêu,Giá trị,Tử số,Mẫu số,Phân tổ,Ghi chú"
    assert head[1].startswith("Tháng 1/2024,")
    check = check_bytes(out.read_bytes(), out.name)
    assert check.ok, [p.message_en for p in check.errors]
    assert main(["check", str(out)]) == 0
    with Warehouse(db_path) as wh:
        assert load_bytes(wh, out.read_bytes(), out.name, who="test").status == "loaded"
        province = queries.province_values(wh.cursor(), "online_dossier_rate", period_kind="month", province="49")
    march = province[province["period_start"] == pd.Timestamp("2024-03-01")].iloc[0]
    in_march = frame[frame["received_date"].map(lambda d: (d.year, d.month)) == (2024, 3)]
    assert march["value"] == pytest.approx(100.0 * (in_march["channel"] == "online").sum() / len(in_march))
    assert (march["numerator"], march["denominator"]) == ((in_march["channel"] == "online").sum(), len(in_march))


@pytest.mark.spark
def test_both_engines_write_the_same_file(dossier_set, tmp_path, spark):  # noqa: F811
    _, root = dossier_set
    files = {}
    for engine in ("duckdb", "spark"):
        files[engine] = tmp_path / f"{engine}.csv"
        assert main(["aggregate", "--engine", engine, "--dossiers", str(root), "--out", str(files[engine])]) == 0
    assert files["spark"].read_bytes() == files["duckdb"].read_bytes()
