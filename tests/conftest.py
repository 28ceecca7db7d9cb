"""Shared fixtures: real DuckDB files in a temporary folder, and report-file makers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import xlsxwriter

from etl.warehouse import Warehouse

LONG_HEADER = ["Kỳ báo cáo", "Đơn vị", "Chỉ tiêu", "Giá trị", "Tử số", "Mẫu số", "Phân tổ", "Ghi chú"]


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "kho.duckdb"


@pytest.fixture
def warehouse(db_path):
    wh = Warehouse(db_path)
    yield wh
    wh.close()


def long_csv(rows, header=LONG_HEADER, delimiter=",", encoding="utf-8-sig") -> bytes:
    """A long-template CSV from rows of cells (None -> empty)."""
    lines = [delimiter.join(header)]
    for row in rows:
        cells = ["" if c is None else str(c) for c in row]
        cells = [f'"{c}"' if delimiter in c else c for c in cells]
        lines.append(delimiter.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def wide_xlsx(title: str, units: list[tuple], *, total=None, fraction_rates=False, extra_rows=()) -> bytes:
    """A wide government report like the ones offices send (see spreadsheets.md).

    units: (name, received_total, online, ontime_total, ontime_ok, rate) tuples.
    """
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Biểu 01")
    ws.write(0, 0, "UBND TỈNH QUẢNG NAM")
    ws.write(0, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    ws.write(1, 0, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    ws.write(1, 5, "Độc lập - Tự do - Hạnh phúc")
    ws.merge_range(3, 0, 3, 7, title)
    ws.merge_range(4, 0, 4, 7, "(Kèm theo Báo cáo số 45/BC-STTTT ngày 02/7/2024)")
    ws.write(5, 7, "Đơn vị tính: hồ sơ")
    ws.merge_range(6, 0, 8, 0, "STT")
    ws.merge_range(6, 1, 8, 1, "Đơn vị")
    ws.merge_range(6, 2, 6, 3, "Số hồ sơ nhận giải quyết")
    ws.merge_range(7, 2, 8, 2, "Tổng số")
    ws.merge_range(7, 3, 8, 3, "Trực tuyến")
    ws.merge_range(6, 4, 6, 5, "Kết quả giải quyết")
    ws.merge_range(7, 4, 8, 4, "Tổng số")
    ws.merge_range(7, 5, 8, 5, "Đúng hạn")
    ws.merge_range(6, 6, 8, 6, "Tỷ lệ hồ sơ trực tuyến (%)")
    ws.merge_range(6, 7, 8, 7, "Ghi chú")
    for c in range(8):
        ws.write(9, c, f"({c + 1})")
    r = 10
    ws.write(r, 0, "I")
    ws.write(r, 1, "UBND cấp huyện")
    r += 1
    for i, (name, received, online, done, ontime, rate) in enumerate(units, start=1):
        ws.write_row(r, 0, [i, name, received, online, done, ontime])
        if rate is not None:
            ws.write(r, 6, rate / 100 if fraction_rates else rate)
        r += 1
    for row in extra_rows:
        ws.write_row(r, 0, row)
        r += 1
    if total is not None:
        ws.write_row(r, 0, [None, "Tổng cộng", *total])
        r += 1
    ws.write(r + 1, 5, "Quảng Nam, ngày 02 tháng 7 năm 2024")
    ws.write(r + 2, 5, "NGƯỜI LẬP BIỂU")
    wb.close()
    return buf.getvalue()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A warehouse built from data/sample once per test session (read it, do not write)."""
    from etl.bootstrap import open_warehouse

    path = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    open_warehouse(path).close()
    return path


@pytest.fixture
def sample_app(sample_db, monkeypatch):
    """AppTest factory on the sample warehouse: `sample_app("views/districts.py", lang="en")`."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DX_WAREHOUSE", str(sample_db))

    def make(page: str | None = None, lang: str = "vi", **params) -> AppTest:
        at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
        if lang == "en":
            at.query_params["lang"] = "en"
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception, at.exception
        return at

    return make


def sample_cursor(sample_db):
    """A cursor on the sample warehouse, for computing expected figures in tests."""
    from dashboard.data import warehouse

    return warehouse(sample_db).cursor()
