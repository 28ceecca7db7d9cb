"""The upload page through AppTest with real files, the warehouse checked with SQL.

AppTest in streamlit 1.67 drives `st.file_uploader` itself
(`at.file_uploader(key=...).set_value([(name, bytes, mime)])`), so these tests
go through the real widget, the page's review and its commit button. Each test
has its own copy of the sample warehouse (`fresh_db`).
"""

from __future__ import annotations

import pytest

from dashboard.uploads import MAX_UPLOAD_BYTES
from etl.loader import read_manifest, rebuild
from tests.conftest import long_csv, wide_xlsx
from tests.upload_support import (  # noqa: F401  (fixtures)
    ANALYST,
    commit_button,
    formulas_and_merges,
    fresh_db,
    may_2025_report,
    nfd,
    open_app,
    proper_csv,
    sign_in,
    sql,
    state,
    table_with,
    teams_row,
    to_cp1258,
    upload,
    users_file,
    xlsx_bomb,
)

PAGE = "views/upload.py"


def signed_in_page(lang="vi"):
    return sign_in(open_app(PAGE, lang))


def rate(db, unit, start):
    return sql(db, """SELECT value, numerator, denominator FROM indicator_values
                      WHERE indicator_code = 'online_dossier_rate' AND unit_code = ? AND period_start = ?""",
               [unit, start])


# ------------------------------------------------------------------ sign-in
def test_the_upload_page_asks_for_sign_in_and_shows_no_uploader_before(fresh_db):
    at = open_app(PAGE)
    assert not at.file_uploader
    assert at.text_input(key="auth.password")


def test_a_wrong_password_is_refused_and_nothing_opens(fresh_db):
    at = sign_in(open_app(PAGE), password="sai-mat-khau")
    assert [e.value for e in at.error] == ["Sai tên đăng nhập hoặc mật khẩu."]
    assert not at.file_uploader


def test_five_wrong_passwords_lock_the_name_even_with_the_right_one(fresh_db):
    at = open_app(PAGE, lang="en")
    for _ in range(5):
        sign_in(at, password="wrong-password")
    sign_in(at)  # the right password, but locked for 60 s
    assert "Too many failed attempts" in at.error[0].value
    assert not at.file_uploader


# ------------------------------------------------------------------ a good file
def test_a_good_wide_report_shows_layout_preview_and_loads_as_the_analyst(fresh_db):
    before = state(fresh_db)
    data = may_2025_report()
    at = upload(signed_in_page(), ("bao_cao_thang_5.xlsx", data))

    detected = table_with(at, "Bố cục")
    assert detected.iloc[0].to_dict() == {"Trang tính": "Biểu 01", "Bố cục": "báo cáo ngang (mỗi cột một chỉ tiêu)",
                                          "Dòng tiêu đề": "7–10", "Kỳ trong tệp": "2025-05"}
    labels = {s.label: s.value for s in at.selectbox if s.key and s.key.startswith("upload.map.")}
    assert labels["D: Số hồ sơ nhận giải quyết Trực tuyến"] == "online_dossier_rate|numerator"
    assert {m.label: m.value for m in at.metric} == {"Mới": "4", "Thay đổi": "0", "Không đổi": "0"}
    assert state(fresh_db) == before  # nothing written before the commit

    commit_button(at, data).click().run()
    assert not at.exception
    [load_id] = sql(fresh_db, "SELECT max(load_id) FROM loads")[0]
    assert at.success[0].value == (f"Đã nạp **bao\\_cao\\_thang\\_5\\.xlsx**: lần nạp số {load_id}, 4 giá trị "
                                   "(4 mới, 0 thay đổi, 0 không đổi).")
    assert sql(fresh_db, "SELECT loaded_by, rows, status FROM loads WHERE load_id = ?", [load_id]) == [
        (ANALYST, 4, "active")]
    assert rate(fresh_db, "502", "2025-05-01") == [(75.0, 150.0, 200.0)]
    assert read_manifest(fresh_db)[-1]["loaded_by"] == ANALYST
    # after the commit the preview compares with the new warehouse
    assert {m.label: m.value for m in at.metric} == {"Mới": "0", "Thay đổi": "0", "Không đổi": "4"}


def test_a_changed_value_is_previewed_old_to_new(fresh_db):
    [(old,)] = sql(fresh_db, """SELECT value FROM indicator_values WHERE indicator_code = 'community_tech_teams'
                                AND unit_code = '502' AND period_start = '2022-04-30'""")
    data = long_csv([["30/04/2022", "TP. Tam Kỳ", "Số tổ công nghệ số cộng đồng", str(int(old) + 5),
                      None, None, None, None]])
    at = upload(signed_in_page("en"), ("correction.csv", data))
    preview = table_with(at, "Old value")
    assert preview[["Old value", "New value", "Change"]].values.tolist() == [[old, old + 5, "Changed"]]
    commit_button(at, data).click().run()
    assert sql(fresh_db, """SELECT value FROM indicator_values WHERE indicator_code = 'community_tech_teams'
                            AND unit_code = '502' AND period_start = '2022-04-30'""") == [(old + 5,)]


def test_two_files_at_once_each_get_their_own_review_and_commit(fresh_db):
    a, b = may_2025_report(), long_csv([teams_row()])
    at = upload(signed_in_page(), ("a.xlsx", a), ("b.csv", b))
    assert [h.value for h in at.subheader] == ["a\\.xlsx", "b\\.csv"]
    commit_button(at, b).click().run()
    assert sql(fresh_db, "SELECT file_name FROM loads ORDER BY load_id DESC LIMIT 1") == [("b.csv",)]
    assert not commit_button(at, a).disabled


# ------------------------------------------------------------------ corrections
def test_a_period_correction_lets_a_report_without_period_load_in_that_period(fresh_db):
    data = may_2025_report(title="TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    at = upload(signed_in_page(), ("khong_ky.xlsx", data))
    assert "no_period" in _codes(at) and commit_button(at, data).disabled

    at.text_input(key=_key(at, "upload.period.")).input("Tháng 5/2025").run()
    assert not at.error and not commit_button(at, data).disabled
    commit_button(at, data).click().run()
    assert rate(fresh_db, "506", "2025-05-01") == [(40.0, 40.0, 100.0)]
    assert sql(fresh_db, "SELECT period_override FROM loads ORDER BY load_id DESC LIMIT 1") == [("2025-05",)]


def test_a_period_that_is_no_period_is_a_clear_error(fresh_db):
    data = may_2025_report(title="TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    at = upload(signed_in_page("en"), ("p.xlsx", data))
    at.text_input(key=_key(at, "upload.period.")).input("sometime soon").run()
    problems = table_with(at, "Problem")
    assert "Invalid period “sometime soon”" in problems["Problem"].tolist()
    assert commit_button(at, data).disabled


def test_a_column_mapping_correction_is_loaded_and_replayed_by_rebuild(fresh_db):
    # "Nộp qua mạng" is no known header: the online numerator is missing until mapped
    data = wide_xlsx("TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG 5/2025", [("TP. Tam Kỳ", 200, 150, 180, 171, None)])
    data = _rename_header(data, "Trực tuyến", "Nộp qua mạng")
    at = upload(signed_in_page(), ("sua_cot.xlsx", data))
    assert "missing_value" in _codes(at) or "unmapped_column" in _codes(at)
    column_d = next(s for s in at.selectbox if s.key and s.key.endswith(".D"))
    assert column_d.value == ""  # ignored: matched nothing
    column_d.set_value("online_dossier_rate|numerator").run()
    assert not commit_button(at, data).disabled, _codes(at)
    commit_button(at, data).click().run()
    assert rate(fresh_db, "502", "2025-05-01") == [(75.0, 150.0, 200.0)]
    event = read_manifest(fresh_db)[-1]
    assert event["column_map"] == {"D": ["online_dossier_rate", "numerator"]}

    current = sql(fresh_db, "SELECT * FROM current_facts ORDER BY ALL")
    from dashboard.data import close_warehouse

    close_warehouse(fresh_db)  # rebuild replaces the file: let go of it first
    rebuild(fresh_db)
    assert sql(fresh_db, "SELECT * FROM current_facts ORDER BY ALL") == current
    close_warehouse(fresh_db)


# ------------------------------------------------------------------ bad input never hurts
SQL_TEXT = "'; DROP TABLE facts; --"
FORMULA_TEXT = '=HYPERLINK("http://example.invalid","bấm")'

BAD_FILES = {
    "empty": ("rong.csv", b"", "empty_file", "The file holds no data"),
    "header_only": ("chi_tieu_de.csv", long_csv([]), "no_values", "No data rows were found"),
    "wrong_extension": ("bao_cao.pdf", b"%PDF-1.4 ...", "unsupported_type", "File type “.pdf” is not supported"),
    "binary_as_csv": ("anh.csv", bytes(range(256)) * 20, "unreadable_file", "The file cannot be read"),
    "xlsx_bomb": ("bom.xlsx", xlsx_bomb(), "sheet_too_large", "The sheet declares too many cells"),
    "duplicate_rows": ("trung.csv", long_csv([teams_row(), teams_row()]), "duplicate_row", "Duplicates row 2"),
    "conflicting_rows": ("mau_thuan.csv", long_csv([teams_row(value="12"), teams_row(value="15")]),
                         "duplicate_row", "Duplicates row 2"),
    "unknown_unit": ("don_vi.csv", long_csv([teams_row(unit="TP. Tam Ky xyz")]), "unknown_unit",
                     "Unknown unit “TP. Tam Ky xyz” (closest: “TP. Tam Kỳ”"),
    "out_of_range": ("vuot.csv", long_csv([["Tháng 3/2025", "TP. Tam Kỳ", "Tỷ lệ hồ sơ trực tuyến", "140",
                                            None, None, None, None]]), "percent_out_of_range",
                     "Percentage 140 is outside 0–100"),
    "future_period": ("tuong_lai.csv", long_csv([teams_row(period="Tháng 3/2099")]), "future_period",
                      "Period 2099-03 has not started yet"),
    "sql_text": ("sql.csv", proper_csv([teams_row(unit=SQL_TEXT)]), "unknown_unit", f"Unknown unit “{SQL_TEXT}”"),
    "formula_text": ("cong_thuc.csv", proper_csv([teams_row(unit=FORMULA_TEXT)]), "unknown_unit",
                     f"Unknown unit “{FORMULA_TEXT}”"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_input_gets_a_clear_message_writes_nothing_and_the_app_stays_up(fresh_db, kind):
    name, data, code, english = BAD_FILES[kind]
    before = state(fresh_db)
    at = upload(signed_in_page("en"), (name, data))
    assert not at.exception
    problems = table_with(at, "Problem")
    assert any(english in text for text in problems["Problem"]), problems["Problem"].tolist()
    assert commit_button(at, data).disabled
    assert at.error[0].value.startswith("The file has")
    assert state(fresh_db) == before
    assert sql(fresh_db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'facts'") == [(1,)]
    assert code in _codes(at)


def test_bad_input_message_in_vietnamese_names_the_closest_unit(fresh_db):
    data = long_csv([teams_row(unit="TP. Tam Ky xyz")])
    at = upload(signed_in_page(), ("don_vi.csv", data))
    problems = table_with(at, "Vấn đề")
    assert problems.iloc[0][["Dòng", "Cột", "Giá trị"]].tolist() == [2, "B (Đơn vị)", "TP. Tam Ky xyz"]
    assert "gần nhất: “TP. Tam Kỳ”" in problems.iloc[0]["Vấn đề"]


def test_a_file_over_the_size_limit_is_refused_without_reading_it(fresh_db):
    before = state(fresh_db)
    data = b"x" * (MAX_UPLOAD_BYTES + 1)
    at = upload(signed_in_page("en"), ("lon.csv", data))
    assert "The file is too large (20.0 MB > 20 MB)" in table_with(at, "Problem")["Problem"].tolist()
    assert commit_button(at, data).disabled and state(fresh_db) == before


@pytest.mark.parametrize("kind", ["utf16", "cp1258", "nfd"])
def test_other_encodings_and_decomposed_text_are_read_and_load(fresh_db, kind):
    text_csv = long_csv([teams_row(value="17", unit="Huyện Đại Lộc")], encoding="utf-8")
    data = {
        "utf16": long_csv([teams_row(value="17", unit="Huyện Đại Lộc")], delimiter="\t", encoding="utf-16"),
        "cp1258": to_cp1258(text_csv.decode("utf-8")),
        "nfd": nfd(text_csv),
    }[kind]
    name = "bao_cao.txt" if kind == "utf16" else "bao_cao.csv"
    at = upload(signed_in_page(), (name, data))
    commit_button(at, data).click().run()
    assert sql(fresh_db, """SELECT value FROM indicator_values WHERE indicator_code = 'community_tech_teams'
                            AND unit_code = '506' AND period_start = '2025-03-01'""") == [(17.0,)]


def test_formulas_and_merged_cells_are_read_from_their_cached_results(fresh_db):
    data = formulas_and_merges()
    at = upload(signed_in_page(), ("cong_thuc.xlsx", data))
    commit_button(at, data).click().run()
    assert rate(fresh_db, "502", "2025-04-01") == [(60.0, 120.0, 200.0)]
    assert rate(fresh_db, "503", "2025-04-01") == [(30.0, 30.0, 100.0)]


# ------------------------------------------------------------------ helpers
def _codes(at) -> set[str]:
    """Problem codes of the page's validation table (matched by their English message)."""
    from etl.problems import MESSAGES

    texts = []
    for frame in at.dataframe:
        for column in ("Vấn đề", "Problem"):
            if column in frame.value.columns:
                texts += frame.value[column].tolist()
    found = set()
    for code, (_, vi, en) in MESSAGES.items():
        head_vi, head_en = vi.split("{")[0], en.split("{")[0]
        if any(t.startswith(head_vi) or t.startswith(head_en) for t in texts if head_vi and head_en):
            found.add(code)
    return found


def _key(at, prefix: str) -> str:
    return next(w.key for w in at.text_input if w.key and w.key.startswith(prefix))


def _rename_header(xlsx: bytes, old: str, new: str) -> bytes:
    """The same workbook with one header text replaced (in the shared strings)."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                content = content.replace(f">{old}<".encode(), f">{new}<".encode())
            target.writestr(item, content)
    return out.getvalue()


def test_a_file_name_is_shown_as_text_never_as_markdown(fresh_db):
    """Issue 15 (Low): a name like `[x](https://…).csv` drew a link (or an image) in the review and
    in the confirmation."""
    name = "![x](https://example.invalid/a.png) [bấm](https://example.invalid) :red[đỏ].csv"
    data = long_csv([teams_row()])
    at = upload(signed_in_page(), (name, data))
    [heading] = [h.value for h in at.subheader if "example" in h.value]
    assert "](" not in heading and "\\[bấm\\]\\(https\\://example\\.invalid\\)" in heading
    commit_button(at, data).click().run()
    [message] = [m.value for m in at.success]
    assert "](" not in message and ":red[" not in message
    assert "\\:red\\[đỏ\\]" in message  # the stored name is the part after the last "/"
