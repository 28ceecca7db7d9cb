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


# --- warehouses with one and with two provinces (dashboard/province.py, views/national.py) -----------

# Two Sóc Trăng (94) districts added to the reference: with them both 49 and 94 combine from their units.
SOC_TRANG_UNITS = [
    "944,Huyện Kế Sách,Ke Sach District,district,94,H. Kế Sách|UBND huyện Kế Sách|Kế Sách,,2025-06-30,,,",
    "945,Huyện Mỹ Tú,My Tu District,district,94,H. Mỹ Tú|UBND huyện Mỹ Tú|Mỹ Tú,,2025-06-30,,,",
]
MONTH = "Tháng 12/2024"
RATE_NAME = "Tỷ lệ hồ sơ trực tuyến"
TEAMS_NAME = "Số tổ công nghệ số cộng đồng"
# The online dossier rate of December 2024: Quảng Nam 100/1100 = 9.09% (its units' mean of
# percentages would be 49.55%), Sóc Trăng 60/200 = 30% (mean 30%): ranked by the ratio of sums,
# Sóc Trăng is first; by a mean of percentages it would not be.
QUANG_NAM_ROWS = [
    [MONTH, "TP. Tam Kỳ", RATE_NAME, None, "99", "100", None, None],
    [MONTH, "Huyện Đại Lộc", RATE_NAME, None, "1", "1000", None, None],
    [MONTH, "TP. Tam Kỳ", TEAMS_NAME, "12", None, None, None, None],
    [MONTH, "Huyện Đại Lộc", TEAMS_NAME, "5", None, None, None, None],
]
SOC_TRANG_ROWS = [
    [MONTH, "Huyện Kế Sách", RATE_NAME, None, "30", "100", None, None],
    [MONTH, "Huyện Mỹ Tú", RATE_NAME, None, "30", "100", None, None],
]


def build_warehouse(path: Path, rows, with_soc_trang_units: bool) -> Path:
    """A warehouse holding ``rows`` (long template), loaded with a reference that knows Sóc Trăng's
    two districts when asked. The file then records the bundled reference's hash, so that the app,
    which opens it with data/reference, keeps its units instead of refreshing them."""
    import shutil

    from etl.loader import load_bytes
    from etl.reference import REFERENCE_DIR, Catalogue
    from etl.warehouse import _reference_hash

    ref = path.parent / "reference"
    shutil.copytree(REFERENCE_DIR, ref)
    known = (ref / "units.csv").read_text(encoding="utf-8")
    missing = [line for line in SOC_TRANG_UNITS if f"\n{line.split(',')[0]}," not in known]
    if with_soc_trang_units and missing:  # the bundled reference, built from the dataset, may know them already
        with (ref / "units.csv").open("a", encoding="utf-8") as handle:
            handle.write("\n".join(missing) + "\n")
    with Warehouse(path, reference_dir=ref) as wh:
        result = load_bytes(wh, long_csv(rows), "hai_tinh.csv", who="test", catalogue=Catalogue(ref))
        assert result.status == "loaded", [p.message_en for p in result.problems]
        with wh.transaction() as tx:
            tx.execute("UPDATE meta SET value = ? WHERE key = 'reference_hash'", [_reference_hash(REFERENCE_DIR)])
    return path


@pytest.fixture(scope="session")
def two_province_db(tmp_path_factory) -> Path:
    """Quảng Nam (49) and Sóc Trăng (94), each with two districts that reported December 2024."""
    folder = tmp_path_factory.mktemp("two_provinces")
    return build_warehouse(folder / "warehouse.duckdb", QUANG_NAM_ROWS + SOC_TRANG_ROWS, True)


@pytest.fixture(scope="session")
def one_province_db(tmp_path_factory) -> Path:
    """Quảng Nam (49) only."""
    folder = tmp_path_factory.mktemp("one_province")
    return build_warehouse(folder / "warehouse.duckdb", QUANG_NAM_ROWS, False)


@pytest.fixture
def app_on(monkeypatch):
    """AppTest factory on any warehouse: ``app_on(db, "views/national.py", lang="en", province="94")``."""
    from streamlit.testing.v1 import AppTest

    def make(db: Path, page: str | None = None, lang: str = "vi", **params) -> AppTest:
        monkeypatch.setenv("DX_WAREHOUSE", str(db))
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
