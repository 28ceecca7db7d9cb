"""Reference CSVs (data/reference) and the illustrative sample generator (etl/sample_data.py)."""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
SAMPLE = ROOT / "data" / "sample"

CATALOGUE_CODES = {
    "online_services", "online_services_full", "online_services_full_share", "services_on_national_portal",
    "online_dossier_rate", "ontime_dossier_rate", "digitised_dossier_rate", "online_payment_rate",
    "service_index_766", "dti_score", "work_files_online_rate", "specialised_db_operational",
    "specialised_db_progress", "steering_committee_formed", "community_tech_teams",
    "communes_video_conference", "commune_fiber_coverage", "lgsp_connected_dbs", "it_projects",
    "task_completion_rate", "agencies_with_lan", "computers_per_official",
}


# ------------------------------------------------------------------ helpers
def fold_tokens(text: str) -> list[str]:
    """Fold as the ETL does: lower case, no diacritics, đ->d, punctuation -> space."""
    s = unicodedata.normalize("NFD", text.replace("Đ", "d").replace("đ", "d").replace("Ð", "d"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^0-9a-z]+", " ", s).split()


def fold(text: str) -> str:
    return " ".join(fold_tokens(text))


def is_subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(tok in it for tok in needle)


def read_csv(name: str) -> tuple[list[str], list[dict]]:
    text = (REF / name).read_text(encoding="utf-8")
    assert not text.startswith("\ufeff"), f"{name}: no BOM expected"
    assert unicodedata.normalize("NFC", text) == text, f"{name} is not NFC"
    rows = list(csv.DictReader(io.StringIO(text)))
    return list(rows[0].keys()), rows


def read_long(path: Path) -> list[dict]:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1258")
    text = unicodedata.normalize("NFC", text)
    first = text.splitlines()[0]
    sep = "\t" if "\t" in first else (";" if ";" in first else ",")
    return list(csv.DictReader(io.StringIO(text), delimiter=sep))


def vn_num(s: str) -> float | None:
    s = s.strip()
    return None if not s else float(s.replace(".", "").replace(",", "."))


COUNT_WITH_PARTS = {"Số CSDL trung ương kết nối qua LGSP", "Số cơ quan có mạng LAN"}  # value = count, not %


def long_files():
    return sorted(p for p in SAMPLE.iterdir() if p.name.endswith(("_dai.csv", "_dai.txt")) or "soc_trang" in p.name)


# --------------------------------------------------------------- indicators
IND_COLS = ("code,name_vi,name_en,definition_vi,definition_en,unit,aggregation,direction,target,target_year,"
            "source,topic,headline,numerator_vi,denominator_vi,numerator_en,denominator_en").split(",")


def test_indicators_columns_and_codes():
    cols, rows = read_csv("indicators.csv")
    assert cols == IND_COLS
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert set(codes) == CATALOGUE_CODES
    md = ROOT.parent / "shared" / "domain" / "indicators.md"
    if md.exists():  # the shared catalogue, when checked out next to the repo
        md_codes = set(re.findall(r"^\| ([a-z0-9_]+) \|", md.read_text(encoding="utf-8"), re.M)) - {"code"}
        assert md_codes <= set(codes)
    for r in rows:
        assert r["unit"] in {"count", "percent", "yesno", "score"}, r["code"]
        assert r["aggregation"] in {"sum", "ratio", "share", "latest"}, r["code"]
        assert r["direction"] in {"up", "down", "neutral"}, r["code"]
        assert r["topic"] in {"services", "dossiers", "databases", "governance", "infrastructure", "projects", "index"}
        assert r["headline"] in {"true", "false"}
        if r["target"]:
            float(r["target"])
        if r["target_year"]:
            assert re.fullmatch(r"20\d\d", r["target_year"])
        if r["aggregation"] == "ratio":
            assert all(r[k] for k in ("numerator_vi", "denominator_vi", "numerator_en", "denominator_en")), r["code"]
        assert r["name_vi"] and r["name_en"] and r["source"]
    by = {r["code"]: r for r in rows}
    assert {c for c, r in by.items() if r["headline"] == "true"} == {
        "online_services", "online_dossier_rate", "ontime_dossier_rate", "specialised_db_operational",
        "steering_committee_formed", "community_tech_teams"}
    assert (by["steering_committee_formed"]["unit"], by["steering_committee_formed"]["aggregation"]) == ("yesno", "share")
    assert (by["lgsp_connected_dbs"]["unit"], by["lgsp_connected_dbs"]["aggregation"]) == ("count", "latest")
    assert by["service_index_766"]["unit"] == by["dti_score"]["unit"] == "score"
    assert by["online_dossier_rate"]["numerator_vi"] == "Số hồ sơ trực tuyến"
    assert by["online_dossier_rate"]["denominator_vi"] == "Tổng số hồ sơ tiếp nhận"


# ------------------------------------------------------------------ aliases
def load_aliases():
    cols, rows = read_csv("indicator_aliases.csv")
    assert cols == ["indicator_code", "role", "alias"]
    return rows


def test_aliases_valid_and_unambiguous():
    rows = load_aliases()
    _, inds = read_csv("indicators.csv")
    codes = {r["code"] for r in inds}
    owner: dict[str, tuple] = {}
    for r in rows:
        assert r["indicator_code"] in codes
        assert r["role"] in {"value", "numerator", "denominator"}
        key = fold(r["alias"])
        assert key, r
        target = (r["indicator_code"], r["role"])
        # equally long token-subsequence == identical folded token list
        assert owner.setdefault(key, target) == target, f"alias {r['alias']!r}: {owner[key]} vs {target}"
    for r in inds:  # each name is a value alias
        assert owner.get(fold(r["name_vi"])) == (r["code"], "value")
        assert owner.get(fold(r["name_en"])) == (r["code"], "value")


def match_header(path_text: str, aliases: list[dict]):
    """The lead's rule: all alias tokens in order in the header path; most tokens wins."""
    hay = fold_tokens(path_text)
    hits = [(len(fold_tokens(a["alias"])), (a["indicator_code"], a["role"])) for a in aliases
            if is_subsequence(fold_tokens(a["alias"]), hay)]
    if not hits:
        return None
    best = max(n for n, _ in hits)
    winners = {t for n, t in hits if n == best}
    assert len(winners) == 1, f"ambiguous header {path_text!r}: {winners}"
    return winners.pop()


def xlsx_header_paths(path: Path, first=7, last=9) -> list[str]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    grid = [[str(c) for c in row] for row in sheet.to_python()]
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid[r][c] = grid[r0][c0]
    paths = []
    for c in range(len(grid[first])):
        parts: list[str] = []
        for r in range(first, last + 1):
            if grid[r][c] and (not parts or parts[-1] != grid[r][c]):
                parts.append(grid[r][c])
        paths.append(" ".join(parts))
    return paths


def test_sample_wide_headers_map_unambiguously():
    aliases = load_aliases()
    paths = xlsx_header_paths(SAMPLE / "2022-02_tu_0102_den_3103_tthc_rong.xlsx")
    got = {p: match_header(p, aliases) for p in paths}
    assert got == {
        "STT": None,
        "Đơn vị": None,
        "Số hồ sơ nhận giải quyết Tổng số": ("online_dossier_rate", "denominator"),
        "Số hồ sơ nhận giải quyết Trong kỳ Trực tuyến": ("online_dossier_rate", "numerator"),
        "Số hồ sơ nhận giải quyết Trong kỳ Trực tiếp, BCCI": None,
        "Số hồ sơ nhận giải quyết Kỳ trước": None,
        "Kết quả giải quyết Tổng số": ("ontime_dossier_rate", "denominator"),
        "Kết quả giải quyết Đúng hạn": ("ontime_dossier_rate", "numerator"),
        "Kết quả giải quyết Quá hạn": None,
        "Tỷ lệ hồ sơ trực tuyến (%)": ("online_dossier_rate", "value"),
    }
    # the wide CSV
    text = (SAMPLE / "2022-04_to_cns_hntt_rong.csv").read_text(encoding="utf-8-sig")
    header = next(r for r in csv.reader(io.StringIO(text), delimiter=";") if r and r[0] == "STT")
    assert [match_header(h, aliases) for h in header] == [
        None, None, ("community_tech_teams", "value"), ("communes_video_conference", "value"), None]
    # other report wordings named in the brief
    for text, want in [("Đã giải quyết Tổng số", ("ontime_dossier_rate", "denominator")),
                       ("Tỷ lệ hồ sơ trực tuyến", ("online_dossier_rate", "value")),
                       ("Số DVCTT toàn trình", ("online_services_full", "value")),
                       ("DVC trực tuyến", ("online_services", "value"))]:
        assert match_header(text, aliases) == want, text


def test_long_sample_indicator_cells_resolve():
    aliases = load_aliases()
    value_aliases = {fold(a["alias"]): a["indicator_code"] for a in aliases if a["role"] == "value"}
    for p in long_files():
        for r in read_long(p):
            assert fold(r["Chỉ tiêu"]) in value_aliases, (p.name, r["Chỉ tiêu"])


# -------------------------------------------------------------------- units
UNIT_COLS = "code,name_vi,name_en,kind,parent,aliases,valid_from,valid_to,successor,lat,lon".split(",")


def unit_at(name: str, year: str) -> str | None:
    """The unit a report of `year` means by `name` (names are reused across the 2025 reform)."""
    import datetime as dt

    from etl.reference import load_catalogue

    y = int(year)
    return load_catalogue(REF).match_unit(name, dt.date(y, 1, 1), dt.date(y, 12, 31))


def test_units():
    cols, rows = read_csv("units.csv")
    assert cols == UNIT_COLS
    by = {r["code"]: r for r in rows}
    assert len(by) == len(rows)
    assert {str(c) for c in range(502, 520)} <= set(by)
    for r in rows:
        assert r["kind"] in {"province", "city", "town", "district", "department", "commune", "former_commune"}
        assert not r["parent"] or r["parent"] in by
        assert not r["successor"] or r["successor"] in by, r
        if r["valid_from"] and r["valid_to"]:
            assert r["valid_from"] <= r["valid_to"]
        for d in (r["valid_from"], r["valid_to"]):
            assert not d or re.fullmatch(r"\d{4}-\d\d-\d\d", d)
        if r["successor"]:
            s = by[r["successor"]]
            assert r["valid_to"] and (not s["valid_from"] or s["valid_from"] <= _next_day(r["valid_to"]))
        assert "toan tinh" not in {fold(a) for a in r["aliases"].split("|")}
    assert (by["519"]["valid_to"], by["519"]["successor"]) == ("2024-12-31", "509")
    assert (by["49"]["successor"], by["94"]["successor"]) == ("48", "92")
    assert sum(r["kind"] == "department" and r["valid_from"] < "2025-03-01" for r in rows) == 20
    assert sum(r["kind"] in {"city", "town", "district"} and r["parent"] == "49" for r in rows) == 18
    assert sum(r["kind"] == "commune" and r["parent"] == "48" for r in rows) == 94
    assert by["STTTT"]["successor"] == "SKHCN"


def test_every_unit_can_be_named_in_a_day_of_its_life():
    """Names are reused across the reform (Phường Hải Châu before and after 2025-07-01), so they
    cannot be unique; each unit has a spelling that means it alone on a day it existed (a former
    commune whose name recurs in another district is written with its district)."""
    import datetime as dt

    from etl.reference import Catalogue

    cat = Catalogue(REF)
    _, rows = read_csv("units.csv")
    for r in rows:
        day = dt.date.fromisoformat(r["valid_to"]) if r["valid_to"] else dt.date(2026, 1, 1)
        spellings = [r["name_vi"], r["code"].removeprefix("cu-")] + [a for a in r["aliases"].split("|") if a]
        assert any(cat.match_unit(s, day, day) == r["code"] for s in spellings), r["code"]


def test_bundled_units_are_built_from_the_dataset(tmp_path):
    """data/reference/units.csv is what `python -m etl reference` writes from vietnamadminunits
    (plus unit_amendments.csv, each row with its legal source): nobody typed the units."""
    from etl.commands.reference import write_reference

    write_reference(["48", "92"], tmp_path, departments_of="49")
    for name in ("units.csv", "unit_successors.csv"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (REF / name).read_text(encoding="utf-8"), name


def _next_day(d: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(d) + dt.timedelta(days=1)).isoformat()


def test_units_lat_lon_match_vietnamadminunits():
    """Quảng Nam's district centroids as the package's legacy data gives them (Nông Sơn 519: none)."""
    pytest.importorskip("vietnamadminunits")
    import importlib.resources

    data = json.loads((importlib.resources.files("vietnamadminunits") / "data" / "parser_legacy.json")
                      .read_text(encoding="utf-8"))
    dist = {v["districtCode"]: (v["districtLat"], v["districtLon"])
            for v in data["DICT_PROVINCE_DISTRICT"]["tinhquangnam"].values()}
    _, rows = read_csv("units.csv")
    by = {r["code"]: r for r in rows}
    for code, want in dist.items():
        assert (float(by[code]["lat"]), float(by[code]["lon"])) == pytest.approx(want), code
    assert len(dist) == 17 and by["519"]["lat"] == by["519"]["lon"] == ""


def test_breakdowns():
    cols, rows = read_csv("breakdowns.csv")
    assert cols == ["dimension", "code", "name_vi", "name_en", "aliases"]
    keys = {f"{r['dimension']}:{r['code']}" for r in rows}
    assert len(keys) == len(rows)
    assert {"owner:central", "owner:provincial", "status:appraised", "status:under_appraisal",
            "status:awaiting_policy", "status:approved", "status:in_progress", "status:done"} <= keys
    seen: dict[tuple, str] = {}
    for r in rows:
        for n in [r["name_vi"], r["name_en"]] + [a for a in r["aliases"].split("|") if a]:
            k = (r["dimension"], fold(n))
            assert seen.setdefault(k, r["code"]) == r["code"], n


# ------------------------------------------------------------------ sample
def test_generator_is_deterministic(tmp_path):
    from etl import sample_data

    a = sample_data.generate(tmp_path / "a")
    b = sample_data.generate(tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    # the committed sample is what the generator produces
    for p in a:
        assert (SAMPLE / p.name).read_bytes() == p.read_bytes(), f"data/sample/{p.name} is stale"
    assert len(a) <= 60 and sum(p.stat().st_size for p in a) <= 3_000_000


def test_sample_files_are_marked_illustrative():
    for p in SAMPLE.iterdir():
        if p.suffix == ".xlsx":
            from python_calamine import CalamineWorkbook

            wb = CalamineWorkbook.from_path(str(p))
            for name in wb.sheet_names:
                cells = [c for row in wb.get_sheet_by_name(name).to_python() for c in row]
                assert "Số liệu minh họa (illustrative sample data)" in cells, (p.name, name)
        elif p.suffix in (".csv", ".txt") and p.name.endswith(("_dai.csv", "_dai.txt", "2015.csv")):
            assert all("Số liệu minh họa" in r["Ghi chú"] for r in read_long(p)), p.name
        elif p.suffix == ".csv":
            assert "Số liệu minh họa" in p.read_text(encoding="utf-8-sig")


def test_long_sample_units_resolve_and_exist():
    from etl.periods import parse_period
    from etl.reference import load_catalogue

    cat = load_catalogue(REF)
    _, rows = read_csv("units.csv")
    by = {r["code"]: r for r in rows}
    for p in long_files():
        rows_ = read_long(p)
        assert list(rows_[0].keys()) == ["Kỳ báo cáo", "Đơn vị", "Chỉ tiêu", "Giá trị", "Tử số", "Mẫu số",
                                         "Phân tổ", "Ghi chú"]
        for r in rows_:
            # by the row's own period, as the ETL does: "Phường Hải Châu" in 2025 is a former commune
            # until 30 June and a new one from 1 July, so a whole year cannot say which
            period = parse_period(r["Kỳ báo cáo"])
            code = cat.match_unit(r["Đơn vị"], period.start, period.end)
            assert code, (p.name, r["Đơn vị"], period.code)
            assert not by[code]["valid_to"] or period.start.isoformat() <= by[code]["valid_to"]
            assert not by[code]["valid_from"] or period.end.isoformat() >= by[code]["valid_from"]
            num, den = vn_num(r["Tử số"]), vn_num(r["Mẫu số"])
            if num is not None and den is not None and r["Chỉ tiêu"] not in COUNT_WITH_PARTS:
                assert 0 <= num <= den
                assert vn_num(r["Giá trị"]) == pytest.approx(100 * num / den, abs=0.006)


def test_sample_encodings():
    names = {p.name: p.read_bytes() for p in SAMPLE.iterdir()}
    assert names["2021-01_chi_so_dti_766_dai.txt"].startswith(b"\xff\xfe")
    soc = names["2015-07_soc_trang_2015.csv"]
    with pytest.raises(UnicodeDecodeError):
        soc.decode("utf-8")
    assert "Sóc Trăng" in unicodedata.normalize("NFC", soc.decode("cp1258"))
    nfd = names["2018-09_nhiem_vu_cqdt_dai.csv"].decode("utf-8-sig")
    assert unicodedata.normalize("NFD", nfd) == nfd != unicodedata.normalize("NFC", nfd)
    assert names["2024-03_du_an_cntt_dai.csv"].decode("utf-8-sig").splitlines()[0].count(";") == 7


def test_seed_facts_in_wide_reports():
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(SAMPLE / "2022-02_tu_0102_den_3103_tthc_rong.xlsx")).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert "01/02/2022" in rows[3][0] and "31/03/2022" in rows[3][0]
    units = [r for r in rows[11:] if isinstance(r[0], float)]
    assert len(units) == 38
    num, den = sum(r[3] for r in units), sum(r[2] for r in units)
    assert round(100 * num / den, 2) == 23.08
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert (total[3], total[2], total[9]) == (num, den, 23.08)
    for r in units + [total]:
        assert r[2] == r[3] + r[4] + r[5] and r[6] == r[7] + r[8] and r[3] <= r[2]
        assert r[9] == round(100 * r[3] / r[2], 2)

    text = (SAMPLE / "2022-04_to_cns_hntt_rong.csv").read_text(encoding="utf-8-sig")
    grid = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert any("30/04/2022" in c for row in grid for c in row)
    body = [r for r in grid if r and r[0].isdigit()]
    assert len(body) == 18
    assert sum(int(r[2]) for r in body) == 355 and sum(int(r[3]) for r in body) == 205
    tot = next(r for r in grid if len(r) > 1 and r[1] == "Toàn tỉnh")
    assert (tot[2], tot[3]) == ("355", "205")


def test_seed_facts_in_long_reports():
    rows = read_long(SAMPLE / "2022-04_bao_cao_cds_dai.csv")
    db = [r for r in rows if r["Chỉ tiêu"] == "Số cơ sở dữ liệu chuyên ngành đang vận hành"]
    assert {r["Phân tổ"]: vn_num(r["Giá trị"]) for r in db} == {"Trung ương": 49, "Tỉnh": 92}
    assert sum(vn_num(r["Giá trị"]) for r in db) == 141
    get = {r["Chỉ tiêu"]: r for r in rows}
    assert vn_num(get["Số dịch vụ công trực tuyến"]["Giá trị"]) == 1470
    assert get["Số dịch vụ công trực tuyến"]["Giá trị"] == "1.470"
    assert vn_num(get["Số DVC trực tuyến tích hợp trên Cổng DVC quốc gia"]["Giá trị"]) == 1403
    lg = get["Số CSDL trung ương kết nối qua LGSP"]
    assert (vn_num(lg["Giá trị"]), vn_num(lg["Tử số"]), vn_num(lg["Mẫu số"])) == (11, 11, 14)
    sc = [r for r in rows if r["Chỉ tiêu"] == "Đã thành lập Ban chỉ đạo CCHC và CĐS"]
    assert all("30/04/2022" in r["Kỳ báo cáo"] for r in sc)
    dist = [r for r in sc if unit_at(r["Đơn vị"], "2022").isdigit()]
    dept = [r for r in sc if not unit_at(r["Đơn vị"], "2022").isdigit()]
    assert (len(dist), sum(r["Giá trị"] == "1" for r in dist)) == (18, 16)
    assert (len(dept), sum(r["Giá trị"] == "1" for r in dept)) == (20, 7)

    pr = read_long(SAMPLE / "2024-03_du_an_cntt_dai.csv")
    assert all("11/03/2024" in r["Kỳ báo cáo"] for r in pr)
    by: dict[str, float] = {}
    for r in pr:
        by[r["Phân tổ"]] = by.get(r["Phân tổ"], 0) + vn_num(r["Giá trị"])
    assert by == {"Đã thẩm định": 4, "Đang thẩm định": 7, "Chờ phê duyệt chủ trương": 6}

    dti = {r["Chỉ tiêu"]: r for r in read_long(SAMPLE / "2021-01_chi_so_dti_766_dai.txt")}
    assert dti["Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp (766)"]["Giá trị"] == "82,8"
    soc = {r["Chỉ tiêu"]: r for r in read_long(SAMPLE / "2015-07_soc_trang_2015.csv")}
    assert soc["Tỷ lệ máy tính trên cán bộ, công chức"]["Giá trị"] == "81,5"
    assert [soc["Số cơ quan có mạng LAN"][k] for k in ("Giá trị", "Tử số", "Mẫu số")] == ["31"] * 3


def test_expected_seed_facts_json():
    items = json.loads((SAMPLE / "expected_seed_facts.json").read_text(encoding="utf-8"))
    facts = [i for i in items if "check" not in i]
    checks = {(i["check"], i["indicator_code"], i.get("kind")): i for i in items if "check" in i}
    got = {(f["indicator_code"], f["unit_code"], f["period_code"], f["breakdown"]): f["value"] for f in facts}
    for key, value in {
        ("online_services", "49", "2022-04", ""): 1470,
        ("services_on_national_portal", "49", "2022-04", ""): 1403,
        ("specialised_db_operational", "49", "2022-04", "owner:central"): 49,
        ("specialised_db_operational", "49", "2022-04", "owner:provincial"): 92,
        ("lgsp_connected_dbs", "49", "2022-04", ""): 11,
        ("service_index_766", "49", "2024", ""): 82.8,
        ("task_completion_rate", "49", "2018-09-07", ""): 60,
        ("agencies_with_lan", "94", "2015-07-14", ""): 31,
        ("computers_per_official", "94", "2015-07-14", ""): 81.5,
    }.items():
        assert got[key] == value, key
    assert checks[("ratio_of_sums", "online_dossier_rate", None)]["expected"] == 23.08
    assert (checks[("share", "steering_committee_formed", "district")]["yes"],
            checks[("share", "steering_committee_formed", "department")]["yes"]) == (16, 7)
    assert checks[("sum_breakdown", "it_projects", None)]["expected"] == 17


def test_template():
    raw = (ROOT / "data" / "templates" / "mau_bao_cao_dai.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Kỳ báo cáo", "Đơn vị", "Chỉ tiêu", "Giá trị", "Tử số", "Mẫu số", "Phân tổ", "Ghi chú"]
    assert len(rows) == 4
