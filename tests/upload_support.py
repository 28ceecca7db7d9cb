"""Helpers for the upload, history and concurrency tests: a private warehouse per
test, an analyst account, report files, and AppTest steps (sign in, upload)."""

from __future__ import annotations

import csv
import io
import shutil
import unicodedata
from pathlib import Path

import pytest
import xlsxwriter

from etl.loader import file_hash
from etl.sample_data import encode_cp1258
from tests.conftest import LONG_HEADER, long_csv, wide_xlsx

APP = Path(__file__).resolve().parent.parent / "app.py"
ANALYST, PASSWORD = "lan", "mat-khau-dai-1"


def copy_warehouse(source: Path, target_dir: Path) -> Path:
    """A private copy of a warehouse file and its archive (loads write to both)."""
    target = target_dir / "warehouse.duckdb"
    shutil.copy2(source, target)
    archive = source.with_name(source.name + ".archive")
    if archive.exists():
        shutil.copytree(archive, target.with_name(target.name + ".archive"))
    return target


@pytest.fixture(scope="session")
def users_file(tmp_path_factory) -> Path:
    from dashboard import auth

    path = tmp_path_factory.mktemp("users") / "users.toml"
    auth.add_user(ANALYST, PASSWORD, path)
    return path


@pytest.fixture
def fresh_db(sample_db, tmp_path, monkeypatch, users_file) -> Path:
    """A copy of the sample warehouse for one test; the app and the accounts point at it."""
    from dashboard import auth

    db = copy_warehouse(sample_db, tmp_path)
    monkeypatch.setenv("DX_WAREHOUSE", str(db))
    monkeypatch.setenv("DX_USERS_FILE", str(users_file))
    monkeypatch.setenv("DX_INBOX_POLL", "3600")  # tests import the inbox themselves
    monkeypatch.setattr(auth, "LIMITER", auth.LoginLimiter())
    return db


def state(db: Path) -> dict:
    """What a write would change: counts of loads, facts, current values, manifest lines."""
    from dashboard.data import warehouse
    from etl.loader import read_manifest

    cur = warehouse(db).cursor()
    try:
        counts = cur.execute(
            """SELECT (SELECT count(*) FROM loads), (SELECT count(*) FROM facts),
                      (SELECT count(*) FROM current_facts),
                      (SELECT count(*) FROM loads WHERE status = 'undone')"""
        ).fetchone()
    finally:
        cur.close()
    return {"loads": counts[0], "facts": counts[1], "current": counts[2], "undone": counts[3],
            "manifest": len(read_manifest(db))}


def sql(db: Path, query: str, params=()) -> list[tuple]:
    from dashboard.data import warehouse

    cur = warehouse(db).cursor()
    try:
        return cur.execute(query, list(params)).fetchall()
    finally:
        cur.close()


# ------------------------------------------------------------------ AppTest steps
def open_app(page: str, lang: str = "vi"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    if lang == "en":
        at.query_params["lang"] = "en"
    # Straight to the page: before the first run AppTest names a page by its file
    # name, which is also the URL path of the upload and history pages.
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value in {"Tải lên báo cáo", "Upload reports", "Lịch sử nạp", "Load history"}
    return at


def sign_in(at, name: str = ANALYST, password: str = PASSWORD):
    at.text_input(key="auth.name").input(name)
    at.text_input(key="auth.password").input(password)
    next(b for b in at.button if b.label in ("Đăng nhập", "Sign in")).click()
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at, *files: tuple[str, bytes]):
    at.file_uploader(key="upload.files").set_value(
        [(name, data, "application/octet-stream") for name, data in files])
    at.run()
    assert not at.exception, at.exception
    return at


def commit_button(at, data: bytes):
    return at.button(key=f"upload.commit.{file_hash(data)[:12]}")


def table_with(at, column: str):
    """The first dataframe on the page with this column."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}: {[list(f.value.columns) for f in at.dataframe]}")


# ------------------------------------------------------------------ report files
MAY_2025 = "TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÁNG 5/2025"


def may_2025_report(title: str = MAY_2025) -> bytes:
    """A wide XLSX with a month the sample does not have (units still existed in May 2025)."""
    return wide_xlsx(title, [("TP. Tam Kỳ", 200, 150, 180, 171, None),
                             ("Huyện Đại Lộc", 100, 40, 90, 81, None)])


def proper_csv(rows, header=LONG_HEADER) -> bytes:
    """A CSV through the csv module (quotes commas and quotes in cells)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return buf.getvalue().encode("utf-8-sig")


TEAMS = "Số tổ công nghệ số cộng đồng"


def teams_row(unit="TP. Tam Kỳ", value="12", period="Tháng 3/2025"):
    return [period, unit, TEAMS, value, None, None, None, None]


def to_cp1258(text: str) -> bytes:
    """Windows-1258: base letters precomposed, tone marks combining (as old Windows did)."""
    return encode_cp1258(text)


def nfd(data: bytes) -> bytes:
    return unicodedata.normalize("NFD", data.decode("utf-8-sig")).encode("utf-8")


def xlsx_bomb() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write(0, 0, "STT")
    ws.write(1_048_575, 16_383, 1)
    wb.close()
    return buf.getvalue()


def formulas_and_merges() -> bytes:
    """A wide report with merged headers and a totals row written as formulas (with cached results)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Biểu 01")
    ws.merge_range(0, 0, 0, 4, "TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG 4/2025")
    ws.merge_range(2, 0, 3, 0, "STT")
    ws.merge_range(2, 1, 3, 1, "Đơn vị")
    ws.merge_range(2, 2, 2, 3, "Số hồ sơ nhận giải quyết")
    ws.write(3, 2, "Tổng số")
    ws.write(3, 3, "Trực tuyến")
    ws.write_row(4, 0, [1, "TP. Tam Kỳ", 200, 120])
    ws.write_row(5, 0, [2, "TP. Hội An", 100, 30])
    ws.write(6, 1, "Tổng cộng")
    ws.write_formula(6, 2, "=SUM(C5:C6)", None, 300)
    ws.write_formula(6, 3, "=SUM(D5:D6)", None, 150)
    wb.close()
    return buf.getvalue()
