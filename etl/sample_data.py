"""Deterministic generator of ILLUSTRATIVE sample reports (Quảng Nam 2021–2024, Đà Nẵng 2025-07–2026-09).

``python -m etl sample`` calls :func:`generate`. Every file says it is illustrative
("Số liệu minh họa (illustrative sample data)"). The figures quoted in the source
articles (see ``shared/domain/seed-facts.md``) are reproduced exactly at their date;
everything else is a smooth, noisy, made-up trend.

Output (``data/sample`` by default), named so that sorted order is chronological:

* long template CSVs (``*_dai.csv`` / ``.txt``): one row per value, header
  ``Kỳ báo cáo,Đơn vị,Chỉ tiêu,Giá trị,Tử số,Mẫu số,Phân tổ,Ghi chú``, with a few
  encodings / separators (``;``, UTF-16 tab ``.txt``, Windows-1258, NFD);
* wide government-report workbooks (``*_rong.xlsx``): dossier reports with a
  3-row merged header, section rows, a totals row and signature lines;
* one wide CSV (``*_rong.csv``, ``;``, numbers as Vietnamese text);
* ``expected_seed_facts.json`` (what the warehouse must read back) and ``README.md``;
* since 2025-07-01 (:func:`generate_da_nang`, its own seed): Thành phố Đà Nẵng (48) and
  its 94 communes as the reference catalogue lists them: monthly wide dossier workbooks
  (``*_tthc_xa_rong.xlsx``), quarterly and weekly long CSVs, the city's own rows.

No facts overlap between files: each (indicator, unit, period, breakdown) is
written once (asserted while generating). No wall-clock time and a fixed seed, so
two runs give byte-identical files.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import unicodedata
from pathlib import Path

import xlsxwriter

SEED = 20220430
NOTE = "Số liệu minh họa (illustrative sample data)"
LONG_HEADER = ["Kỳ báo cáo", "Đơn vị", "Chỉ tiêu", "Giá trị", "Tử số", "Mẫu số", "Phân tổ", "Ghi chú"]
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "sample"
XLSX_CREATED = dt.datetime(2024, 1, 1)

# --------------------------------------------------------------------------- units
# (code, display name in wide reports, variants used in long files)
DEPARTMENTS = [
    ("VPUBND", "VP UBND tỉnh", ["Văn phòng UBND tỉnh", "VP UBND tỉnh"]),
    ("SNV", "Sở Nội vụ", ["Sở Nội vụ"]),
    ("STP", "Sở Tư pháp", ["Sở Tư pháp"]),
    ("SKHDT", "Sở KH&ĐT", ["Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"]),
    ("STC", "Sở Tài chính", ["Sở Tài chính"]),
    ("SCT", "Sở Công Thương", ["Sở Công Thương", "Sở Công thương"]),
    ("SNNPTNT", "Sở NN&PTNT", ["Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"]),
    ("SGTVT", "Sở GTVT", ["Sở Giao thông vận tải", "Sở GTVT"]),
    ("SXD", "Sở Xây dựng", ["Sở Xây dựng"]),
    ("STNMT", "Sở TN&MT", ["Sở Tài nguyên và Môi trường", "Sở TN&MT"]),
    ("STTTT", "Sở TT&TT", ["Sở Thông tin và Truyền thông", "Sở TT&TT", "Sở TTTT"]),
    ("SLDTBXH", "Sở LĐ-TB&XH", ["Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH"]),
    ("SVHTTDL", "Sở VH-TT&DL", ["Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL"]),
    ("SKHCN", "Sở KH&CN", ["Sở Khoa học và Công nghệ", "Sở KH&CN", "Sở KHCN"]),
    ("SGDDT", "Sở GD&ĐT", ["Sở Giáo dục và Đào tạo", "Sở GD&ĐT"]),
    ("SYT", "Sở Y tế", ["Sở Y tế"]),
    ("TTT", "Thanh tra tỉnh", ["Thanh tra tỉnh"]),
    ("BDT", "Ban Dân tộc", ["Ban Dân tộc"]),
    ("SNGV", "Sở Ngoại vụ", ["Sở Ngoại vụ"]),
    ("BQLKKT", "Ban Quản lý các KKT và KCN",
     ["Ban Quản lý các khu kinh tế và khu công nghiệp", "Ban Quản lý các KKT và KCN"]),
]
# (code, full name, short prefix, short name, communes (illustrative), mountainous)
DISTRICTS = [
    ("502", "Thành phố Tam Kỳ", "TP.", "Tam Kỳ", 13, False),
    ("503", "Thành phố Hội An", "TP.", "Hội An", 13, False),
    ("504", "Huyện Tây Giang", "H.", "Tây Giang", 10, True),
    ("505", "Huyện Đông Giang", "H.", "Đông Giang", 10, True),
    ("506", "Huyện Đại Lộc", "H.", "Đại Lộc", 18, False),
    ("507", "Thị xã Điện Bàn", "TX.", "Điện Bàn", 20, False),
    ("508", "Huyện Duy Xuyên", "H.", "Duy Xuyên", 14, False),
    ("509", "Huyện Quế Sơn", "H.", "Quế Sơn", 13, False),
    ("510", "Huyện Nam Giang", "H.", "Nam Giang", 12, True),
    ("511", "Huyện Phước Sơn", "H.", "Phước Sơn", 12, True),
    ("512", "Huyện Hiệp Đức", "H.", "Hiệp Đức", 11, True),
    ("513", "Huyện Thăng Bình", "H.", "Thăng Bình", 22, False),
    ("514", "Huyện Tiên Phước", "H.", "Tiên Phước", 15, False),
    ("515", "Huyện Bắc Trà My", "H.", "Bắc Trà My", 13, True),
    ("516", "Huyện Nam Trà My", "H.", "Nam Trà My", 10, True),
    ("517", "Huyện Núi Thành", "H.", "Núi Thành", 17, False),
    ("518", "Huyện Phú Ninh", "H.", "Phú Ninh", 11, False),
    ("519", "Huyện Nông Sơn", "H.", "Nông Sơn", 7, True),
]
TOTAL_COMMUNES = sum(d[4] for d in DISTRICTS)  # 241


def district_display(code: str) -> str:
    """Name as the wide reports write it: 'TP. Tam Kỳ', 'TX. Điện Bàn', 'Huyện Đại Lộc'."""
    d = next(d for d in DISTRICTS if d[0] == code)
    return d[1] if d[2] == "H." else f"{d[2]} {d[3]}"


def district_variants(code: str) -> list[str]:
    d = next(d for d in DISTRICTS if d[0] == code)
    full_prefix = d[1][: -len(d[3])].strip()  # 'Thành phố' / 'Huyện' / 'Thị xã'
    out = [d[1], f"{d[2]} {d[3]}", d[3]]
    if full_prefix == "Thành phố":
        out.append(f"TP {d[3]}")
    return out


PROVINCE = "49"
PROVINCE_TEXTS = ["UBND tỉnh Quảng Nam", "Tỉnh Quảng Nam", "Quảng Nam"]

IND_VI = {
    "online_services": "Số dịch vụ công trực tuyến",
    "online_services_full": "Số dịch vụ công trực tuyến toàn trình",
    "online_services_full_share": "Tỷ lệ dịch vụ công trực tuyến toàn trình",
    "services_on_national_portal": "Số DVC trực tuyến tích hợp trên Cổng DVC quốc gia",
    "online_dossier_rate": "Tỷ lệ hồ sơ trực tuyến",
    "ontime_dossier_rate": "Tỷ lệ hồ sơ giải quyết đúng hạn",
    "digitised_dossier_rate": "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",
    "online_payment_rate": "Tỷ lệ thanh toán trực tuyến",
    "service_index_766": "Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp (766)",
    "dti_score": "Chỉ số chuyển đổi số (DTI)",
    "work_files_online_rate": "Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng",
    "specialised_db_operational": "Số cơ sở dữ liệu chuyên ngành đang vận hành",
    "specialised_db_progress": "Tiến độ xây dựng cơ sở dữ liệu chuyên ngành",
    "steering_committee_formed": "Đã thành lập Ban chỉ đạo CCHC và CĐS",
    "community_tech_teams": "Số tổ công nghệ số cộng đồng",
    "communes_video_conference": "Số xã có hội nghị truyền hình trực tuyến",
    "commune_fiber_coverage": "Tỷ lệ trung tâm xã có cáp quang",
    "lgsp_connected_dbs": "Số CSDL trung ương kết nối qua LGSP",
    "it_projects": "Số dự án, nhiệm vụ CNTT",
    "task_completion_rate": "Tỷ lệ hoàn thành nhiệm vụ được giao",
    "agencies_with_lan": "Số cơ quan có mạng LAN",
    "computers_per_official": "Tỷ lệ máy tính trên cán bộ, công chức",
}
BREAKDOWN_VI = {
    "owner:central": "Trung ương", "owner:provincial": "Tỉnh",
    "status:appraised": "Đã thẩm định", "status:under_appraisal": "Đang thẩm định",
    "status:awaiting_policy": "Chờ phê duyệt chủ trương",
}

# -------------------------------------------------------------- numbers, periods
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def vn_number(x, decimals: int = 2) -> str:
    """Vietnamese format: '1.470', '23,08', '82,8'. None -> ''."""
    if x is None:
        return ""
    if isinstance(x, int):
        s, frac = str(abs(x)), ""
    else:
        s = f"{abs(x):.{decimals}f}".rstrip("0").rstrip(".")
        s, _, frac = s.partition(".")
    groups = []
    while len(s) > 3:
        groups.insert(0, s[-3:])
        s = s[:-3]
    groups.insert(0, s)
    out = ".".join(groups) + ("," + frac if frac else "")
    return ("-" if x < 0 else "") + out


def pct(num: int, den: int) -> float:
    return round(100.0 * num / den, 2)


def months(y0=2021, y1=2024):
    return [(y, m) for y in range(y0, y1 + 1) for m in range(1, 13)]


def month_text(y, m):
    return f"Tháng {m}/{y}"


def month_code(y, m):
    return f"{y}-{m:02d}"


def quarter_text(y, q):
    return f"Quý {ROMAN[q]}/{y}"


def date_text(d: dt.date):
    return f"Tính đến ngày {d:%d/%m/%Y}"


# ------------------------------------------------------------------ fact registry
class Registry:
    """Asserts that no (indicator, unit, period, breakdown) is written twice."""

    def __init__(self):
        self.seen: dict[tuple, tuple] = {}

    def add(self, ind, unit, period, bd, value, num=None, den=None, where=""):
        key = (ind, unit, period, bd)
        assert key not in self.seen, f"duplicate fact {key} in {where} and {self.seen[key][1]}"
        if num is not None and den is not None:
            assert 0 <= num <= den or ind in ("lgsp_connected_dbs",), key
        self.seen[key] = ((value, num, den), where)


class LongFile:
    def __init__(self, name: str, reg: Registry):
        self.name, self.reg, self.rows = name, reg, []

    def add(self, ind, unit, period_code, period_text, unit_text, value=None, num=None, den=None,
            bd="", note="", decimals=2):
        if value is None and num is not None and den:
            value = pct(num, den)
        self.reg.add(ind, unit, period_code, bd, value, num, den, self.name)
        full_note = NOTE + ("; " + note if note else "")
        self.rows.append([period_text, unit_text, IND_VI[ind], vn_number(value, decimals),
                          vn_number(num), vn_number(den), BREAKDOWN_VI.get(bd, ""), full_note])

    def write(self, out_dir: Path, sep=",", encoding="utf-8-sig", nfd=False) -> Path:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
        w.writerow(LONG_HEADER)
        w.writerows(self.rows)
        return write_text(out_dir / self.name, buf.getvalue(), encoding, nfd)


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Windows software wrote it: base letters
    (incl. â ê ô ơ ư ă đ) precomposed, tone marks as combining characters."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        shape = [mk for mk in marks if mk in "\u0302\u0306\u031b"]
        tone = [mk for mk in marks if mk not in shape]
        out += unicodedata.normalize("NFC", base + "".join(shape)).encode("cp1258")
        out += "".join(tone).encode("cp1258")
    return bytes(out)


def write_text(path: Path, text: str, encoding: str, nfd: bool = False) -> Path:
    text = unicodedata.normalize("NFD" if nfd else "NFC", text)
    data = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path.write_bytes(data)
    return path


# -------------------------------------------------------------- dossier model
# Dossiers received by month, relative to the year (Tết in February, year-end rush in December)
SEASON = {1: 1.08, 2: 0.72, 3: 1.0, 4: 1.0, 5: 1.02, 6: 1.0, 7: 1.03, 8: 1.0,
          9: 0.97, 10: 1.0, 11: 1.02, 12: 1.1}


class Dossiers:
    """Monthly dossier parts for every department and district, 2021-01..2024-12."""

    def __init__(self, rng: random.Random):
        self.units = [d[0] for d in DEPARTMENTS] + [d[0] for d in DISTRICTS]
        self.data: dict[tuple, dict] = {}
        mountain = {d[0] for d in DISTRICTS if d[5]}
        ms = months()
        season = SEASON
        for u in self.units:
            is_dept = not u.isdigit()
            vol = rng.uniform(40, 1400) if is_dept else rng.uniform(500, 2600) * (0.5 if u in mountain else 1)
            off = rng.gauss(0.03 if is_dept else -0.01, 0.04) - (0.04 if u in mountain else 0)
            ontime0 = rng.uniform(0.90, 0.97)
            for i, (y, m) in enumerate(ms):
                t = i / (len(ms) - 1)
                share = min(0.95, max(0.02, 0.10 + 0.50 * t + off + rng.gauss(0, 0.015)))
                in_period = max(8, round(vol * season[m] * (1 + 0.12 * t) * rng.uniform(0.9, 1.1)))
                online = round(in_period * share)
                carried = round(in_period * rng.uniform(0.03, 0.09))
                self.data[(u, y, m)] = self._finish(u, online, in_period - online, carried,
                                                    ontime0 + (0.99 - ontime0) * t, rng)

    @staticmethod
    def _finish(u, online, direct, carried, ontime_rate, rng):
        total = online + direct + carried
        resolved = round(total * rng.uniform(0.86, 0.96))
        ontime = min(resolved, round(resolved * min(1.0, ontime_rate + rng.gauss(0, 0.008))))
        return {"total": total, "online": online, "direct": direct, "carried": carried,
                "resolved": resolved, "ontime": ontime, "late": resolved - ontime}

    def range_feb_mar_2022(self, rng: random.Random) -> dict[str, dict]:
        """Feb+Mar 2022 per unit; March is nudged so that the ratio of sums is 23.08%."""
        def combined():
            out = {}
            for u in self.units:
                f, m = self.data[(u, 2022, 2)], self.data[(u, 2022, 3)]
                online, direct = f["online"] + m["online"], f["direct"] + m["direct"]
                carried = f["carried"]
                resolved = f["resolved"] + m["resolved"]
                ontime = f["ontime"] + m["ontime"]
                out[u] = {"total": online + direct + carried, "online": online, "direct": direct,
                          "carried": carried, "resolved": resolved, "ontime": ontime,
                          "late": resolved - ontime}
            return out

        comb = combined()
        den = sum(v["total"] for v in comb.values())
        num = sum(v["online"] for v in comb.values())
        target = round(0.2308 * den)
        while round(100 * target / den, 2) != 23.08:
            target += 1 if 100 * target / den < 23.08 else -1
        delta = target - num
        order = list(self.units)
        rng.shuffle(order)
        while delta:
            moved = 0
            for u in order:
                if not delta:
                    break
                d = self.data[(u, 2022, 3)]
                chunk = max(1, abs(delta) // len(order))
                step = min(chunk, delta, d["direct"]) if delta > 0 else -min(chunk, -delta, d["online"])
                d["online"] += step
                d["direct"] -= step
                delta -= step
                moved += abs(step)
            assert moved, "cannot reach 23.08%"
        comb = combined()
        n = sum(v["online"] for v in comb.values())
        dd = sum(v["total"] for v in comb.values())
        assert round(100 * n / dd, 2) == 23.08, (n, dd)
        self.range_parts = (n, dd)
        return comb


# -------------------------------------------------------------- wide workbook
WIDE_COLS = 10


class WideWorkbook:
    """TTHC dossier report in the shape offices send (see shared/domain/spreadsheets.md)."""

    def __init__(self, path: Path):
        self.wb = xlsxwriter.Workbook(str(path))
        self.wb.set_properties({"title": "Báo cáo tình hình giải quyết TTHC (số liệu minh họa)",
                                "author": "Sở Thông tin và Truyền thông tỉnh Quảng Nam (minh họa)",
                                "comments": NOTE, "created": XLSX_CREATED})
        wb = self.wb
        base = {"font_name": "Times New Roman", "font_size": 12}
        self.f = {
            "bold_c": wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter"}),
            "ital_c": wb.add_format({**base, "italic": True, "align": "center"}),
            "ital_r": wb.add_format({**base, "italic": True, "align": "right"}),
            "title": wb.add_format({**base, "bold": True, "font_size": 13, "align": "center", "text_wrap": True}),
            "head": wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter",
                                   "text_wrap": True, "border": 1}),
            "num_h": wb.add_format({**base, "italic": True, "align": "center", "border": 1}),
            "sect": wb.add_format({**base, "bold": True, "border": 1}),
            "text": wb.add_format({**base, "border": 1}),
            "c": wb.add_format({**base, "border": 1, "align": "center"}),
            "int": wb.add_format({**base, "border": 1, "num_format": "#,##0"}),
            "rate": wb.add_format({**base, "border": 1, "num_format": "0.00"}),
            "tot": wb.add_format({**base, "bold": True, "border": 1}),
            "tot_int": wb.add_format({**base, "bold": True, "border": 1, "num_format": "#,##0"}),
            "tot_rate": wb.add_format({**base, "bold": True, "border": 1, "num_format": "0.00"}),
            "plain_c": wb.add_format({**base, "align": "center"}),
        }

    def sheet(self, name, period_title, report_no, report_date: dt.date, values: dict[str, dict],
              reg: Registry, period_code: str, file_name: str):
        ws, f = self.wb.add_worksheet(name), self.f
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 30)
        ws.set_column(2, 8, 11)
        ws.set_column(9, 9, 13)
        ws.merge_range(0, 0, 0, 3, "UBND TỈNH QUẢNG NAM", f["plain_c"])
        ws.merge_range(0, 5, 0, 9, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f["bold_c"])
        ws.merge_range(1, 0, 1, 3, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", f["bold_c"])
        ws.merge_range(1, 5, 1, 9, "Độc lập - Tự do - Hạnh phúc", f["bold_c"])
        ws.merge_range(3, 0, 3, 9, f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {period_title}", f["title"])
        ws.set_row(3, 36)
        ws.merge_range(4, 0, 4, 9, f"(Kèm theo Báo cáo số {report_no}/BC-STTTT ngày "
                                   f"{report_date.day:02d}/{report_date.month}/{report_date.year})", f["ital_c"])
        ws.merge_range(5, 0, 5, 9, NOTE, f["ital_c"])
        ws.write(6, 9, "Đơn vị tính: hồ sơ", f["ital_r"])
        h = 7
        ws.merge_range(h, 0, h + 2, 0, "STT", f["head"])
        ws.merge_range(h, 1, h + 2, 1, "Đơn vị", f["head"])
        ws.merge_range(h, 2, h, 5, "Số hồ sơ nhận giải quyết", f["head"])
        ws.merge_range(h, 6, h, 8, "Kết quả giải quyết", f["head"])
        ws.merge_range(h, 9, h + 2, 9, "Tỷ lệ hồ sơ trực tuyến (%)", f["head"])
        ws.merge_range(h + 1, 2, h + 2, 2, "Tổng số", f["head"])
        ws.merge_range(h + 1, 3, h + 1, 4, "Trong kỳ", f["head"])
        ws.merge_range(h + 1, 5, h + 2, 5, "Kỳ trước", f["head"])
        ws.merge_range(h + 1, 6, h + 2, 6, "Tổng số", f["head"])
        ws.merge_range(h + 1, 7, h + 2, 7, "Đúng hạn", f["head"])
        ws.merge_range(h + 1, 8, h + 2, 8, "Quá hạn", f["head"])
        ws.write(h + 2, 3, "Trực tuyến", f["head"])
        ws.write(h + 2, 4, "Trực tiếp, BCCI", f["head"])
        for c in range(WIDE_COLS):
            ws.write(h + 3, c, f"({c + 1})", f["num_h"])
        r = h + 4
        sums = dict.fromkeys(("total", "online", "direct", "carried", "resolved", "ontime", "late"), 0)
        for roman, label, units in (("I", "Sở, ban, ngành", [(c, disp) for c, disp, _ in DEPARTMENTS]),
                                    ("II", "UBND cấp huyện", [(d[0], district_display(d[0])) for d in DISTRICTS])):
            ws.write(r, 0, roman, f["sect"])
            ws.write(r, 1, label, f["sect"])
            for c in range(2, WIDE_COLS):
                ws.write_blank(r, c, None, f["sect"])
            r += 1
            for i, (code, disp) in enumerate(units, 1):
                v = values[code]
                ws.write_number(r, 0, i, f["c"])
                ws.write(r, 1, disp, f["text"])
                for c, k in enumerate(("total", "online", "direct", "carried", "resolved", "ontime", "late"), 2):
                    ws.write_number(r, c, v[k], f["int"])
                    sums[k] += v[k]
                ws.write_number(r, 9, pct(v["online"], v["total"]), f["rate"])
                reg.add("online_dossier_rate", code, period_code, "", pct(v["online"], v["total"]),
                        v["online"], v["total"], file_name)
                reg.add("ontime_dossier_rate", code, period_code, "", pct(v["ontime"], v["resolved"]),
                        v["ontime"], v["resolved"], file_name)
                r += 1
        ws.write_blank(r, 0, None, f["tot"])
        ws.write(r, 1, "Tổng cộng", f["tot"])
        for c, k in enumerate(("total", "online", "direct", "carried", "resolved", "ontime", "late"), 2):
            ws.write_number(r, c, sums[k], f["tot_int"])
        ws.write_number(r, 9, pct(sums["online"], sums["total"]), f["tot_rate"])
        sign = report_date
        ws.merge_range(r + 2, 6, r + 2, 9, f"Quảng Nam, ngày {sign.day:02d} tháng {sign.month} năm {sign.year}",
                       f["ital_c"])
        ws.write(r + 3, 1, "NGƯỜI LẬP BIỂU", f["bold_c"])
        ws.merge_range(r + 3, 6, r + 3, 9, "KT. GIÁM ĐỐC", f["bold_c"])
        ws.merge_range(r + 4, 6, r + 4, 9, "PHÓ GIÁM ĐỐC", f["bold_c"])
        return sums

    def close(self):
        self.wb.close()


def report_date_after(y, m) -> dt.date:
    """Reports are signed on the 2nd of the month after the period ends."""
    return dt.date(y + (m == 12), m % 12 + 1, 2)


# ----------------------------------------------------------------- generator
def _alloc(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Largest-remainder allocation of an integer total, optionally capped."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    if caps:
        out = [min(o, c) for o, c in zip(out, caps)]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    while sum(out) < total:
        for i in order:
            if sum(out) < total and (not caps or out[i] < caps[i]):
                out[i] += 1
    return out


# ------------------------------------------------- Đà Nẵng since 2025-07-01
# Quảng Nam (49) and its districts ended on 2025-06-30; their reports stop there. From
# 2025-07-01 the offices of Thành phố Đà Nẵng (48) report for its communes. The communes
# come from the reference catalogue (data/reference/units.csv, built from the official
# dataset), never from a list typed here. Their own generator, seeded apart, so the
# Quảng Nam files keep their bytes.
DA_NANG = "48"
DA_NANG_SEED = 20250701
DA_NANG_MONTHS = [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 10)]
DA_NANG_QUARTERS = [(2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)]
DA_NANG_WEEKS = (2026, (37, 38, 39))  # ISO weeks wholly inside September 2026
DA_NANG_TEXTS = ["UBND thành phố Đà Nẵng", "Thành phố Đà Nẵng", "TP. Đà Nẵng"]
UNIT_TYPES = ("Phường", "Xã", "Đặc khu")  # the type starts the name of a commune since 2025
BUNDLED_REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"


class Commune:
    """A commune-level unit of Thành phố Đà Nẵng, as the reference catalogue has it."""

    def __init__(self, code: str, name: str, mountain: bool):
        self.code, self.name, self.mountain = code, name, mountain
        self.type = next(t for t in UNIT_TYPES if name.startswith(t + " "))
        self.short = name[len(self.type) + 1:]  # 'Phường Hải Châu' -> 'Hải Châu'

    def spelling(self, style: str) -> str:
        """'full': Phường Hải Châu; 'upper': PHƯỜNG HẢI CHÂU; 'short': Hải Châu (no type)."""
        return {"full": self.name, "upper": self.name.upper(), "short": self.short}[style]


def da_nang_communes(reference_dir: Path = BUNDLED_REFERENCE) -> list[Commune]:
    """The 94 communes of Đà Nẵng since 2025-07-01: units.csv rows with parent 48 and kind
    commune, in code order. Mountainous: a former commune of one of Quảng Nam's mountainous
    districts (``DISTRICTS``) went into it (its default successor)."""
    from etl.reference import load_catalogue

    cat = load_catalogue(reference_dir)
    mountain_districts = {d[0] for d in DISTRICTS if d[5]}
    mountain = {succ for r in cat.unit_rows if r["kind"] == "former_commune" and r["parent"] in mountain_districts
                for succ, is_default in cat.successors(r["code"]) if is_default}
    rows = sorted((r for r in cat.unit_rows if r["parent"] == DA_NANG and r["kind"] == "commune"),
                  key=lambda r: r["code"])
    return [Commune(r["code"], r["name_vi"], r["code"] in mountain) for r in rows]


def _check_spellings(communes: list[Commune], spelled: dict[str, str], start: dt.date, end: dt.date):
    """Every unit name or code written resolves, in its period, to the commune meant."""
    from etl.reference import load_catalogue

    cat = load_catalogue(BUNDLED_REFERENCE)
    for c in communes:
        got = cat.match_unit(spelled[c.code], start, end)
        assert got == c.code, (spelled[c.code], start, got, c.code)


class CommuneDossiers:
    """Monthly dossiers of every commune, 2025-07..2026-09: received (online among them),
    resolved (on time among them)."""

    def __init__(self, communes: list[Commune], rng: random.Random):
        self.data: dict[tuple, dict] = {}
        last = len(DA_NANG_MONTHS) - 1
        for c in communes:
            ward = c.type == "Phường"
            if c.type == "Đặc khu":
                vol = rng.uniform(6, 12)
            elif ward:
                vol = rng.uniform(300, 1100)
            else:
                vol = rng.uniform(90, 450) * (0.6 if c.mountain else 1)
            off = rng.gauss(0.05 if ward else 0.0, 0.04) - (0.10 if c.mountain else 0)
            ontime0 = rng.uniform(0.92, 0.98)
            for i, (y, m) in enumerate(DA_NANG_MONTHS):
                t = i / last
                share = min(0.98, max(0.05, 0.62 + 0.20 * t + off + rng.gauss(0, 0.015)))
                received = max(5, round(vol * SEASON[m] * (1 + 0.05 * t) * rng.uniform(0.9, 1.1)))
                resolved = round(received * rng.uniform(0.88, 0.98))
                rate = min(1.0, ontime0 + (0.995 - ontime0) * t + rng.gauss(0, 0.006))
                self.data[(c.code, y, m)] = {"total": received, "online": round(received * share),
                                             "resolved": resolved, "ontime": min(resolved, round(resolved * rate))}


def _commune_month_workbook(path: Path, y: int, m: int, communes: list[Commune], dos: CommuneDossiers,
                            style: str, with_code: bool, with_ontime_rate: bool, report_no: int,
                            reg: Registry) -> dict:
    """One month's dossier report of the communes, as the city's department sends it now:
    title 'TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG m/y', a merged two-row header, sections
    (wards, communes, special zone), a totals row, signature lines. Returns the sums."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "Báo cáo tình hình giải quyết TTHC cấp xã (số liệu minh họa)",
                       "author": "Sở Khoa học và Công nghệ thành phố Đà Nẵng (minh họa)",
                       "comments": NOTE, "created": XLSX_CREATED})
    base = {"font_name": "Times New Roman", "font_size": 12}
    f = {k: wb.add_format({**base, **v}) for k, v in {
        "bold_c": {"bold": True, "align": "center", "valign": "vcenter"},
        "ital_c": {"italic": True, "align": "center"},
        "ital_r": {"italic": True, "align": "right"},
        "title": {"bold": True, "font_size": 13, "align": "center"},
        "head": {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1},
        "num_h": {"italic": True, "align": "center", "border": 1},
        "sect": {"bold": True, "border": 1},
        "text": {"border": 1},
        "c": {"border": 1, "align": "center"},
        "int": {"border": 1, "num_format": "#,##0"},
        "rate": {"border": 1, "num_format": "0.00"},
        "tot": {"bold": True, "border": 1},
        "tot_int": {"bold": True, "border": 1, "num_format": "#,##0"},
        "tot_rate": {"bold": True, "border": 1, "num_format": "0.00"},
    }.items()}
    ws = wb.add_worksheet(f"Tháng {m}")
    unit_col = 2 if with_code else 1
    first = unit_col + 1  # received total, online, resolved total, on time, rates
    last = first + 4 + with_ontime_rate
    ws.set_column(0, 0, 6)
    if with_code:
        ws.set_column(1, 1, 10)
    ws.set_column(unit_col, unit_col, 28)
    ws.set_column(first, last, 12)
    ws.merge_range(0, 0, 0, unit_col, "UBND THÀNH PHỐ ĐÀ NẴNG", f["ital_c"])
    ws.merge_range(0, first + 1, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f["bold_c"])
    ws.merge_range(1, 0, 1, unit_col, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", f["bold_c"])
    ws.merge_range(1, first + 1, 1, last, "Độc lập - Tự do - Hạnh phúc", f["bold_c"])
    ws.merge_range(3, 0, 3, last, f"TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG {m}/{y}", f["title"])
    signed = report_date_after(y, m) + dt.timedelta(days=3)
    ws.merge_range(4, 0, 4, last, f"(UBND các xã, phường, đặc khu; kèm theo Báo cáo số {report_no}/BC-SKHCN "
                                  f"ngày {signed.day:02d}/{signed.month}/{signed.year})", f["ital_c"])
    ws.merge_range(5, 0, 5, last, NOTE, f["ital_c"])
    ws.write(6, last, "Đơn vị tính: hồ sơ", f["ital_r"])
    h = 7
    ws.merge_range(h, 0, h + 1, 0, "STT", f["head"])
    if with_code:
        ws.merge_range(h, 1, h + 1, 1, "Mã ĐVHC", f["head"])
    ws.merge_range(h, unit_col, h + 1, unit_col, "Đơn vị", f["head"])
    ws.merge_range(h, first, h, first + 1, "Số hồ sơ nhận giải quyết", f["head"])
    ws.merge_range(h, first + 2, h, first + 3, "Kết quả giải quyết", f["head"])
    ws.merge_range(h, first + 4, h + 1, first + 4, "Tỷ lệ hồ sơ trực tuyến (%)", f["head"])
    if with_ontime_rate:
        ws.merge_range(h, first + 5, h + 1, first + 5, "Tỷ lệ giải quyết đúng hạn (%)", f["head"])
    for c, label in enumerate(("Tổng số", "Trực tuyến", "Tổng số", "Đúng hạn"), first):
        ws.write(h + 1, c, label, f["head"])
    for c in range(last + 1):
        ws.write(h + 2, c, f"({c + 1})", f["num_h"])
    r = h + 3
    keys = ("total", "online", "resolved", "ontime")
    sums = dict.fromkeys(keys, 0)
    period = month_code(y, m)
    for roman, label, kind in (("I", "Phường", "Phường"), ("II", "Xã", "Xã"), ("III", "Đặc khu", "Đặc khu")):
        ws.write(r, 0, roman, f["sect"])
        ws.write(r, unit_col, label, f["sect"])
        for c in [1] * with_code + list(range(first, last + 1)):
            ws.write_blank(r, c, None, f["sect"])
        r += 1
        for i, c in enumerate((c for c in communes if c.type == kind), 1):
            v = dos.data[(c.code, y, m)]
            ws.write_number(r, 0, i, f["c"])
            if with_code:
                ws.write_string(r, 1, c.code, f["c"])
            ws.write(r, unit_col, c.spelling(style), f["text"])
            for col, k in enumerate(keys, first):
                ws.write_number(r, col, v[k], f["int"])
                sums[k] += v[k]
            ws.write_number(r, first + 4, pct(v["online"], v["total"]), f["rate"])
            if with_ontime_rate:
                ws.write_number(r, first + 5, pct(v["ontime"], v["resolved"]), f["rate"])
            reg.add("online_dossier_rate", c.code, period, "", pct(v["online"], v["total"]),
                    v["online"], v["total"], path.name)
            reg.add("ontime_dossier_rate", c.code, period, "", pct(v["ontime"], v["resolved"]),
                    v["ontime"], v["resolved"], path.name)
            r += 1
    ws.write(r, unit_col, "Tổng cộng", f["tot"])
    for c in [0] + [1] * with_code:
        ws.write_blank(r, c, None, f["tot"])
    for col, k in enumerate(keys, first):
        ws.write_number(r, col, sums[k], f["tot_int"])
    ws.write_number(r, first + 4, pct(sums["online"], sums["total"]), f["tot_rate"])
    if with_ontime_rate:
        ws.write_number(r, first + 5, pct(sums["ontime"], sums["resolved"]), f["tot_rate"])
    ws.merge_range(r + 2, first + 2, r + 2, last,
                   f"Đà Nẵng, ngày {signed.day:02d} tháng {signed.month} năm {signed.year}", f["ital_c"])
    ws.write(r + 3, unit_col, "NGƯỜI LẬP BIỂU", f["bold_c"])
    ws.merge_range(r + 3, first + 2, r + 3, last, "KT. GIÁM ĐỐC", f["bold_c"])
    ws.merge_range(r + 4, first + 2, r + 4, last, "PHÓ GIÁM ĐỐC", f["bold_c"])
    wb.close()
    return sums


def generate_da_nang(out_dir: Path, reg: Registry, described: dict[str, str]) -> list[Path]:
    """The illustrative reports of Thành phố Đà Nẵng (48) and its 94 communes, 2025-07..2026-09."""
    rng = random.Random(DA_NANG_SEED)
    communes = da_nang_communes()
    assert len(communes) == 94, len(communes)
    written: list[Path] = []
    dos = CommuneDossiers(communes, rng)

    # a. Monthly wide dossier reports of the communes --------------------------------------
    styles = ("full", "upper", "short")
    coded, ontime_files = [], 0
    for i, (y, m) in enumerate(DA_NANG_MONTHS):
        style, with_code, with_ontime_rate = styles[i % 3], i % 2 == 1, i % 4 != 2
        coded += [f"{m}/{y}"] * with_code
        ontime_files += with_ontime_rate
        start = dt.date(y, m, 1)
        end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        _check_spellings(communes, {c.code: c.spelling(style) for c in communes}, start, end)
        name = f"{y}-{m:02d}_thang_{m:02d}_tthc_xa_rong.xlsx"
        _commune_month_workbook(out_dir / name, y, m, communes, dos, style, with_code, with_ontime_rate,
                                100 + 7 * i + rng.randint(0, 4), reg)
        written.append(out_dir / name)
    described["YYYY-MM_thang_MM_tthc_xa_rong.xlsx"] = (
        "Đà Nẵng (48), 15 báo cáo rộng hằng tháng 7/2025 – 9/2026 của 94 xã, phường, đặc khu (đơn vị lấy từ "
        "data/reference/units.csv): tiêu đề “TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG m/yyyy”, tiêu đề cột gộp 2 dòng "
        "(Số hồ sơ nhận giải quyết: Tổng số, Trực tuyến; Kết quả giải quyết: Tổng số, Đúng hạn), tỷ lệ hồ sơ "
        f"trực tuyến (và đúng hạn ở {ontime_files} tệp), dòng Tổng cộng. Tên đơn vị đầy đủ, VIẾT HOA hoặc "
        f"không có “Phường/Xã” (xoay vòng); cột “Mã ĐVHC” (mã GSO, ETL bỏ qua kèm cảnh báo) các tháng "
        f"{', '.join(coded)}.")

    # b. Quarterly long reports of the communes ---------------------------------------------
    teams = {}
    for c in communes:
        if c.type == "Đặc khu":
            teams[c.code] = 1
        else:
            teams[c.code] = rng.randint(10, 28) if c.type == "Phường" else rng.randint(5, 14 if c.mountain else 18)
    fibre_from = {c.code: (DA_NANG_QUARTERS[rng.randint(1, 3)] if c.mountain and rng.random() < 0.35
                           else DA_NANG_QUARTERS[0]) for c in communes}
    video_from = {c.code: (DA_NANG_QUARTERS[1] if c.mountain and rng.random() < 0.2 else DA_NANG_QUARTERS[0])
                  for c in communes}
    pay_off = {c.code: rng.gauss(0.04 if c.type == "Phường" else -0.02, 0.05) - (0.08 if c.mountain else 0)
               for c in communes}
    dig_off = {c.code: rng.gauss(0, 0.04) for c in communes}
    for j, (y, q) in enumerate(DA_NANG_QUARTERS):
        name = f"{y}-{3 * q - 2:02d}_Q{q}_xa_cds_dai.csv"
        lf = LongFile(name, reg)
        pc, pt = f"{y}-Q{q}", quarter_text(y, q)
        start, end = dt.date(y, 3 * q - 2, 1), dt.date(y + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
        spelled = {c.code: c.spelling(rng.choice(styles)) for c in communes}
        _check_spellings(communes, spelled, start, end)
        t = j / (len(DA_NANG_QUARTERS) - 1)
        for c in communes:
            ut = spelled[c.code]
            if j:
                teams[c.code] += rng.choice((0, 0, 0, 1))
            lf.add("community_tech_teams", c.code, pc, pt, ut, value=teams[c.code])
            fibre = int((y, q) >= fibre_from[c.code])
            lf.add("commune_fiber_coverage", c.code, pc, pt, ut, num=fibre, den=1,
                   note="" if fibre else "trung tâm xã chưa có cáp quang")
            lf.add("communes_video_conference", c.code, pc, pt, ut, value=int((y, q) >= video_from[c.code]))
            resolved = sum(dos.data[(c.code, y, mm)]["resolved"] for mm in range(3 * q - 2, 3 * q + 1))
            fee = max(1, round(resolved * rng.uniform(0.25, 0.4)))
            pay = min(0.97, max(0.05, 0.45 + 0.25 * t + pay_off[c.code] + rng.gauss(0, 0.01)))
            lf.add("online_payment_rate", c.code, pc, pt, ut, num=round(fee * pay), den=fee)
            dig = min(0.99, max(0.10, 0.62 + 0.28 * t + dig_off[c.code] + rng.gauss(0, 0.01)))
            lf.add("digitised_dossier_rate", c.code, pc, pt, ut, num=round(resolved * dig), den=resolved)
        written.append(lf.write(out_dir, sep=";" if (y, q) == (2025, 4) else ","))
    described["YYYY-MM_Qn_xa_cds_dai.csv"] = (
        "Đà Nẵng (48), theo quý III/2025 – III/2026, 94 xã, phường, đặc khu: số tổ công nghệ số cộng đồng, "
        "tỷ lệ trung tâm xã có cáp quang (1/1 hoặc 0/1), số xã có hội nghị truyền hình trực tuyến (1 hoặc 0), "
        "tỷ lệ thanh toán trực tuyến và tỷ lệ số hóa hồ sơ (có tử số, mẫu số). Tệp Quý IV/2025 phân cách "
        "bằng dấu chấm phẩy.")

    # c. Weekly online dossiers of the communes, end of September 2026 ------------------------
    y, weeks = DA_NANG_WEEKS
    name = f"{y}-09_tuan_{weeks[0]}-{weeks[-1]}_hstt_xa_dai.csv"
    lf = LongFile(name, reg)
    for wk in weeks:
        monday = dt.date.fromisocalendar(y, wk, 1)
        assert monday.month == 9 and (monday + dt.timedelta(days=6)).month == 9
        spelled = {c.code: c.spelling("full") for c in communes}
        _check_spellings(communes, spelled, monday, monday + dt.timedelta(days=6))
        for c in communes:
            mo = dos.data[(c.code, y, 9)]
            den = max(1, round(mo["total"] / 4.3 * rng.uniform(0.85, 1.15)))
            num = min(den, round(den * mo["online"] / mo["total"] * rng.uniform(0.95, 1.05)))
            lf.add("online_dossier_rate", c.code, f"{y}-W{wk:02d}", f"Tuần {wk}/{y}", spelled[c.code],
                   num=num, den=den)
    written.append(lf.write(out_dir))
    described[name] = (f"Đà Nẵng (48), hồ sơ trực tuyến theo tuần (Tuần {weeks[0]} – Tuần {weeks[-1]}/{y}, "
                       "tuần ISO) của 94 xã, phường, đặc khu, có tử số và mẫu số.")

    # d. The city's own rows: indicators reported for the province only ----------------------
    lf = LongFile("2025-07_thanh_pho_da_nang_dai.csv", reg)
    os_, full, central, provincial = 1915, 1138, 61, 117
    for i, (y, m) in enumerate(DA_NANG_MONTHS):
        pc, pt, ut = month_code(y, m), month_text(y, m), DA_NANG_TEXTS[i % 3]
        if i:
            os_ += rng.randint(0, 6)
            full = min(os_, full + rng.randint(8, 20))
            central += rng.choice((0, 0, 1))
            provincial += rng.choice((0, 1, 1, 2))
        lf.add("online_services", DA_NANG, pc, pt, ut, value=os_,
               note="một phần và toàn trình (Nghị định 42/2022/NĐ-CP)")
        lf.add("online_services_full", DA_NANG, pc, pt, ut, value=full)
        lf.add("online_services_full_share", DA_NANG, pc, pt, ut, num=full, den=os_)
        lf.add("services_on_national_portal", DA_NANG, pc, pt, ut, value=os_ - rng.randint(20, 45))
        for bd, v in (("owner:central", central), ("owner:provincial", provincial)):
            lf.add("specialised_db_operational", DA_NANG, pc, pt, ut, value=v, bd=bd)
    for j, (y, q) in enumerate(DA_NANG_QUARTERS):
        connected = min(20, 16 + j)
        lf.add("lgsp_connected_dbs", DA_NANG, f"{y}-Q{q}", quarter_text(y, q), DA_NANG_TEXTS[0],
               value=connected, num=connected, den=20, note=f"{connected}/20 CSDL chia sẻ qua NGSP")
        score = round(84 + 1.2 * j + rng.uniform(-0.8, 0.8), 1)
        lf.add("service_index_766", DA_NANG, f"{y}-Q{q}", quarter_text(y, q), DA_NANG_TEXTS[1], value=score)
    # No yearly row (DTI 2025): 'Năm 2025' of 'Thành phố Đà Nẵng' (or '48') names the former city
    # (cu-48, to 2025-06-30) as well as the new one, and the ETL rightly refuses to guess.
    written.append(lf.write(out_dir))
    described[lf.name] = (
        "Đà Nẵng (48), cấp thành phố: số DVC trực tuyến, DVC toàn trình và tỷ lệ, DVC tích hợp Cổng DVC quốc "
        "gia, số CSDL chuyên ngành theo chủ quản, hằng tháng 7/2025 – 9/2026; số CSDL kết nối qua LGSP và "
        "điểm Bộ chỉ số 766 theo quý. Không có số liệu năm 2025 (ví dụ DTI): “Năm 2025” của “Thành phố Đà "
        "Nẵng” chỉ cả thành phố cũ (đến 30/06/2025) lẫn thành phố mới.")
    return written


def generate(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    reg = Registry()
    written: list[Path] = []
    expected: list[dict] = []
    described: dict[str, str] = {}

    def seed(ind, unit, period, value, num=None, den=None, bd=""):
        expected.append({"indicator_code": ind, "unit_code": unit, "period_code": period,
                         "breakdown": bd, "value": value, "numerator": num, "denominator": den})

    def pick(variants):
        return variants[rng.randrange(len(variants))]

    def unit_text(code):
        if code == PROVINCE:
            return pick(PROVINCE_TEXTS)
        if code.isdigit():
            return pick(district_variants(code))
        return pick(next(d[2] for d in DEPARTMENTS if d[0] == code))

    all_units = [d[0] for d in DEPARTMENTS] + [d[0] for d in DISTRICTS]

    # 1. Sóc Trăng 2015 (Windows-1258) -------------------------------------
    lf = LongFile("2015-07_soc_trang_2015.csv", reg)
    p, pt = "2015-07-14", date_text(dt.date(2015, 7, 14))
    lf.add("agencies_with_lan", "94", p, pt, "UBND tỉnh Sóc Trăng", value=31, num=31, den=31,
           note="31/31 cơ quan thuộc UBND tỉnh")
    lf.add("computers_per_official", "94", p, pt, "Tỉnh Sóc Trăng", value=81.5,
           note="bình quân các sở, ngành, huyện")
    seed("agencies_with_lan", "94", p, 31, 31, 31)
    seed("computers_per_official", "94", p, 81.5)
    written.append(lf.write(out_dir, encoding="cp1258"))
    described[lf.name] = "Sóc Trăng (94), tính đến 14/07/2015: LAN 31/31, máy tính/CBCC 81,5%. Windows-1258."

    # 2. 2018 e-government tasks (NFD text) ---------------------------------
    lf = LongFile("2018-09_nhiem_vu_cqdt_dai.csv", reg)
    lf.add("task_completion_rate", PROVINCE, "2018-09-07", date_text(dt.date(2018, 9, 7)),
           "UBND tỉnh Quảng Nam", value=60, note="nhiệm vụ theo Nghị quyết 36a/NQ-CP")
    seed("task_completion_rate", PROVINCE, "2018-09-07", 60)
    written.append(lf.write(out_dir, nfd=True))
    described[lf.name] = "Tỷ lệ hoàn thành nhiệm vụ NQ 36a: 60% tính đến 07/09/2018. Văn bản NFD."

    # 3. Dossier model -----------------------------------------------------
    dos = Dossiers(rng)
    feb_mar = dos.range_feb_mar_2022(rng)

    # 4. Provincial monthly series: online services, databases --------------
    ms = months()
    lf = LongFile("2021-01_dvc_truc_tuyen_dai.csv", reg)
    os_prev = 0
    for i, (y, m) in enumerate(ms):
        if (y, m) == (2022, 4):
            continue  # in the April 2022 report
        pc, pt = month_code(y, m), month_text(y, m)
        if (y, m) < (2022, 7):
            os_ = 1180 + round(290 * i / 15) + (rng.randint(-2, 2) if i not in (15,) else 0)
            os_ = max(os_, os_prev)
            portal = min(os_ - 20, (960 + round(443 * i / 15) if i <= 15 else 1403 + 9 * (i - 15)) + rng.randint(-3, 3))
            lf.add("online_services", PROVINCE, pc, pt, unit_text(PROVINCE), value=os_, note="mức độ 3, 4")
            lf.add("services_on_national_portal", PROVINCE, pc, pt, unit_text(PROVINCE), value=portal)
        else:
            j = i - 18
            os_ = max(os_prev if j else 0, 1590 + 6 * j + rng.randint(0, 4))
            full = 760 + 22 * j + rng.randint(-5, 5)
            portal = min(os_ - 10, 1403 + 9 * (i - 15) + rng.randint(-3, 3))
            note = "một phần và toàn trình (Nghị định 42/2022/NĐ-CP)"
            lf.add("online_services", PROVINCE, pc, pt, unit_text(PROVINCE), value=os_, note=note)
            lf.add("online_services_full", PROVINCE, pc, pt, unit_text(PROVINCE), value=full)
            lf.add("online_services_full_share", PROVINCE, pc, pt, unit_text(PROVINCE), num=full, den=os_)
            lf.add("services_on_national_portal", PROVINCE, pc, pt, unit_text(PROVINCE), value=portal)
        os_prev = os_
    written.append(lf.write(out_dir))
    described[lf.name] = ("Số DVC trực tuyến (mức độ 3, 4 đến 6/2022; từ 7/2022 một phần + toàn trình, "
                          "có thêm số DVC toàn trình và tỷ lệ), số DVC tích hợp Cổng DVC quốc gia; "
                          "tỉnh, hằng tháng 2021–2024 (trừ tháng 4/2022).")

    lf = LongFile("2021-01_csdl_chuyen_nganh_dai.csv", reg)
    c_prev, p_prev = 0, 0
    for i, (y, m) in enumerate(ms):
        if (y, m) == (2022, 4):
            continue
        c = 38 + round(11 * i / 15) if i < 15 else 49 + round(9 * (i - 15) / 32)
        pv = 70 + round(22 * i / 15) if i < 15 else 92 + round(26 * (i - 15) / 32)
        c, pv = max(c, c_prev), max(pv, p_prev)
        if i < 15:
            c, pv = min(c, 49), min(pv, 92)
        for bd, v in (("owner:central", c), ("owner:provincial", pv)):
            lf.add("specialised_db_operational", PROVINCE, month_code(y, m), month_text(y, m),
                   unit_text(PROVINCE), value=v, bd=bd)
        c_prev, p_prev = c, pv
    written.append(lf.write(out_dir))
    described[lf.name] = "Số CSDL chuyên ngành đang vận hành theo chủ quản (Trung ương / Tỉnh), tỉnh, hằng tháng (trừ 4/2022)."

    # 5. DTI and 766 (UTF-16 tab, Excel 'Unicode text') ---------------------
    lf = LongFile("2021-01_chi_so_dti_766_dai.txt", reg)
    for y, v, note in ((2021, 0.3612, ""), (2022, 0.4187, "xếp hạng 31/63"), (2023, 0.4735, "")):
        lf.add("dti_score", PROVINCE, str(y), f"Năm {y}", unit_text(PROVINCE), value=v, note=note, decimals=4)
    lf.add("dti_score", "94", "2022", "Năm 2022", "Tỉnh Sóc Trăng", value=0.4023, note="xếp hạng 36/63", decimals=4)
    lf.add("service_index_766", PROVINCE, "2024", "Năm 2024", "Tỉnh Quảng Nam", value=82.8, note="xếp hạng 13/63")
    seed("service_index_766", PROVINCE, "2024", 82.8)
    written.append(lf.write(out_dir, sep="\t", encoding="utf-16"))
    described[lf.name] = "Chỉ số DTI 2021–2023 (Quảng Nam; Sóc Trăng 2022) và điểm Bộ chỉ số 766 năm 2024 (82,8). UTF-16, tab."

    # 6. Monthly wide dossier workbooks, one per quarter (3 sheets) ---------
    for y in range(2021, 2025):
        for q in range(1, 5):
            name = f"{y}-{3 * q - 2:02d}_Q{q}_tthc_rong.xlsx"
            wb = WideWorkbook(out_dir / name)
            for m in range(3 * q - 2, 3 * q + 1):
                vals = {u: dos.data[(u, y, m)] for u in all_units}
                wb.sheet(f"Tháng {m}", f"THÁNG {m}/{y}", 10 + m * 3 + rng.randint(0, 2),
                         report_date_after(y, m), vals, reg, month_code(y, m), name)
            wb.close()
            written.append(out_dir / name)
    described["YYYY-MM_Qn_tthc_rong.xlsx"] = ("16 báo cáo rộng theo quý (3 sheet = 3 tháng): số hồ sơ TTHC "
                                              "nhận, trực tuyến, kết quả giải quyết, đúng hạn của 20 sở và 18 huyện.")

    # 7. The Feb–Mar 2022 report (ratio of sums 23.08%) ---------------------
    name = "2022-02_tu_0102_den_3103_tthc_rong.xlsx"
    wb = WideWorkbook(out_dir / name)
    sums = wb.sheet("Báo cáo", "TỪ NGÀY 01/02/2022 ĐẾN NGÀY 31/03/2022", 58, dt.date(2022, 4, 5),
                    feb_mar, reg, "2022-02-01..2022-03-31", name)
    wb.close()
    assert pct(sums["online"], sums["total"]) == 23.08
    assert (sums["online"], sums["total"]) == dos.range_parts
    written.append(out_dir / name)
    described[name] = "Báo cáo rộng từ 01/02/2022 đến 31/03/2022: tỷ lệ hồ sơ trực tuyến toàn tỉnh 23,08% (tổng tử / tổng mẫu)."

    # 8. Quarterly per-unit rates (work files, payment, digitisation) --------
    unit_base = {u: (rng.uniform(300, 2500), rng.gauss(0, 0.04), rng.gauss(0, 0.05), rng.gauss(0, 0.05))
                 for u in all_units}
    for y in range(2021, 2025):
        lf = LongFile(f"{y}-01_quy_hscv_thanh_toan_so_hoa_dai.csv", reg)
        for q in range(1, 5):
            t = ((y - 2021) * 4 + q - 1) / 15
            pc, pt = f"{y}-Q{q}", quarter_text(y, q)
            for u in all_units:
                base, o1, o2, o3 = unit_base[u]
                ut = unit_text(u)
                den = round(base * rng.uniform(0.9, 1.1))
                share = min(0.99, max(0.2, 0.55 + 0.40 * t + o1 + (0.04 if not u.isdigit() else -0.03)))
                lf.add("work_files_online_rate", u, pc, pt, ut, num=round(den * share), den=den)
                if (y, q) >= (2022, 3):
                    qd = [dos.data[(u, y, mm)] for mm in range(3 * q - 2, 3 * q + 1)]
                    resolved = sum(d["resolved"] for d in qd)
                    fee = max(1, round(resolved * rng.uniform(0.25, 0.4)))
                    t2 = ((y - 2022) * 4 + q - 3) / 9
                    pay = min(0.95, max(0.01, 0.06 + 0.40 * t2 + o2 + rng.gauss(0, 0.01)))
                    dig = min(0.98, max(0.02, 0.12 + 0.65 * t2 + o3 + rng.gauss(0, 0.01)))
                    lf.add("online_payment_rate", u, pc, pt, ut, num=round(fee * pay), den=fee)
                    lf.add("digitised_dossier_rate", u, pc, pt, ut, num=round(resolved * dig), den=resolved)
        written.append(lf.write(out_dir, sep=";" if y == 2023 else ","))
    described["YYYY-01_quy_hscv_thanh_toan_so_hoa_dai.csv"] = (
        "Theo quý, 20 sở và 18 huyện: tỷ lệ hồ sơ công việc xử lý trên môi trường mạng (2021–2024); "
        "tỷ lệ thanh toán trực tuyến và tỷ lệ số hóa hồ sơ (từ Quý III/2022). Có tử số, mẫu số. "
        "Tệp 2023 phân cách bằng dấu chấm phẩy.")

    # 9. April 2022 digital transformation report --------------------------
    lf = LongFile("2022-04_bao_cao_cds_dai.csv", reg)
    pc, pt = "2022-04", month_text(2022, 4)
    lf.add("online_services", PROVINCE, pc, pt, "UBND tỉnh Quảng Nam", value=1470, note="mức độ 3, 4")
    lf.add("services_on_national_portal", PROVINCE, pc, pt, "UBND tỉnh Quảng Nam", value=1403,
           note="đã kiểm thử và tích hợp")
    lf.add("specialised_db_operational", PROVINCE, pc, pt, "UBND tỉnh Quảng Nam", value=49, bd="owner:central")
    lf.add("specialised_db_operational", PROVINCE, pc, pt, "UBND tỉnh Quảng Nam", value=92, bd="owner:provincial")
    lf.add("commune_fiber_coverage", PROVINCE, pc, pt, "UBND tỉnh Quảng Nam",
           num=TOTAL_COMMUNES, den=TOTAL_COMMUNES, note="cáp quang và sóng di động đến 100% trung tâm xã")
    lf.add("lgsp_connected_dbs", PROVINCE, pc, pt, "UBND tỉnh Quảng Nam", value=11, num=11, den=14,
           note="11/14 CSDL chia sẻ qua NGSP")
    seed("online_services", PROVINCE, pc, 1470)
    seed("services_on_national_portal", PROVINCE, pc, 1403)
    seed("specialised_db_operational", PROVINCE, pc, 49, bd="owner:central")
    seed("specialised_db_operational", PROVINCE, pc, 92, bd="owner:provincial")
    seed("commune_fiber_coverage", PROVINCE, pc, 100.0, TOTAL_COMMUNES, TOTAL_COMMUNES)
    seed("lgsp_connected_dbs", PROVINCE, pc, 11, 11, 14)
    not_formed_districts = {"504", "516"}
    formed_depts = ["VPUBND", "SNV", "STP", "STC", "STTTT", "SGDDT", "SYT"]
    p0, pt0 = "2022-04-30", date_text(dt.date(2022, 4, 30))
    for u in all_units:
        yes = (u not in not_formed_districts) if u.isdigit() else (u in formed_depts)
        day = dt.date(2022, rng.choice((1, 2, 3, 4)), rng.randint(3, 25))
        lf.add("steering_committee_formed", u, p0, pt0, unit_text(u), value=int(yes),
               note=f"thành lập ngày {day:%d/%m/%Y}" if yes else "chưa thành lập, hạn trước 10/05/2022")
    written.append(lf.write(out_dir))
    described[lf.name] = ("Báo cáo CĐS tháng 4/2022: 1.470 DVC trực tuyến mức độ 3, 4; 1.403 tích hợp Cổng DVC quốc gia; "
                          "141 CSDL chuyên ngành (49 Trung ương + 92 Tỉnh); 100% trung tâm xã có cáp quang; "
                          "LGSP kết nối 11/14 CSDL; Ban chỉ đạo tính đến 30/04/2022 (16/18 huyện, 7/20 sở).")

    # 10. Wide CSV: community technology teams and video conferencing -------
    weights = [d[4] * rng.uniform(1.0, 2.0) for d in DISTRICTS]
    teams = _alloc(355, weights)
    missing = _alloc(TOTAL_COMMUNES - 205, [(3 if d[5] else 0.6) * d[4] for d in DISTRICTS],
                     caps=[d[4] - 1 for d in DISTRICTS])
    video = [d[4] - mi for d, mi in zip(DISTRICTS, missing)]
    assert sum(teams) == 355 and sum(video) == 205
    name = "2022-04_to_cns_hntt_rong.csv"
    rows = [["UBND TỈNH QUẢNG NAM", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ""],
            ["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "", "", "Độc lập - Tự do - Hạnh phúc", ""],
            [""] * 5,
            ["", "KẾT QUẢ THÀNH LẬP TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG VÀ TRIỂN KHAI HỘI NGHỊ TRUYỀN HÌNH CẤP XÃ", "", "", ""],
            ["", "(Tính đến ngày 30/04/2022)", "", "", ""],
            ["", NOTE, "", "", ""],
            ["STT", "Đơn vị", "Số tổ công nghệ số cộng đồng", "Số xã có hội nghị truyền hình trực tuyến", "Ghi chú"]]
    for i, (d, tm, vd) in enumerate(zip(DISTRICTS, teams, video), 1):
        rows.append([str(i), district_display(d[0]), vn_number(tm), vn_number(vd),
                     "" if vd == d[4] else f"{d[4] - vd} xã chưa triển khai"])
        reg.add("community_tech_teams", d[0], p0, "", tm, where=name)
        reg.add("communes_video_conference", d[0], p0, "", vd, where=name)
    rows.append(["", "Toàn tỉnh", vn_number(sum(teams)), vn_number(sum(video)), ""])
    rows.append([""] * 5)
    rows.append(["", "", "", "Quảng Nam, ngày 05 tháng 5 năm 2022", ""])
    rows.append(["", "NGƯỜI LẬP BIỂU", "", "GIÁM ĐỐC", ""])
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    written.append(write_text(out_dir / name, buf.getvalue(), "utf-8-sig"))
    described[name] = "Báo cáo rộng (CSV ;) tính đến 30/04/2022, theo huyện: 355 tổ công nghệ số cộng đồng, 205 xã có hội nghị truyền hình trực tuyến."

    # 11. Steering committees by the 10/05/2022 deadline ---------------------
    lf = LongFile("2022-05_ban_chi_dao_dai.csv", reg)
    p1, pt1 = "2022-05-10", date_text(dt.date(2022, 5, 10))
    late_depts = {"SNGV", "BDT", "BQLKKT"}
    for u in all_units:
        yes = u.isdigit() or u not in late_depts
        lf.add("steering_committee_formed", u, p1, pt1, unit_text(u), value=int(yes),
               note="" if yes else "chưa thành lập, quá hạn")
    written.append(lf.write(out_dir))
    described[lf.name] = "Ban chỉ đạo CCHC và CĐS tính đến 10/05/2022: 18/18 huyện, 17/20 sở."

    # 12. Weekly online dossiers of districts, 2024 -------------------------
    lf = LongFile("2024-02_tuan_09-16_hstt_dai.csv", reg)
    for wk in range(9, 17):
        monday = dt.date.fromisocalendar(2024, wk, 1)
        for d in DISTRICTS:
            mo = dos.data[(d[0], 2024, monday.month)]
            den = max(5, round((mo["online"] + mo["direct"]) / 4.3 * rng.uniform(0.85, 1.15)))
            num = min(den, round(den * mo["online"] / (mo["online"] + mo["direct"]) * rng.uniform(0.93, 1.07)))
            lf.add("online_dossier_rate", d[0], f"2024-W{wk:02d}", f"Tuần {wk}/2024", unit_text(d[0]), num=num, den=den)
    written.append(lf.write(out_dir))
    described[lf.name] = "Hồ sơ trực tuyến theo tuần (Tuần 9 – Tuần 16/2024) của 18 huyện, có tử số và mẫu số."

    # 13. Specialised database progress, monthly 2024 -----------------------
    lf = LongFile("2024-01_tien_do_csdl_dai.csv", reg)
    prog_units = ["STP", "SYT", "SGDDT", "STNMT", "SNNPTNT", "SXD", "SLDTBXH", "SVHTTDL"]
    for u in prog_units:
        v, speed = rng.uniform(5, 35), rng.uniform(3, 9)
        for m in range(1, 13):
            v = min(100.0, v + speed * rng.uniform(0.4, 1.4))
            lf.add("specialised_db_progress", u, month_code(2024, m), month_text(2024, m), unit_text(u),
                   value=round(v, 1), decimals=1)
    written.append(lf.write(out_dir))
    described[lf.name] = "Tiến độ xây dựng CSDL chuyên ngành (%) hằng tháng năm 2024, 8 sở."

    # 14. IT projects by status, 11/03/2024 (semicolon) ----------------------
    lf = LongFile("2024-03_du_an_cntt_dai.csv", reg)
    p2, pt2 = "2024-03-11", date_text(dt.date(2024, 3, 11))
    projects = {"STTTT": (2, 2, 2), "SYT": (1, 1, 1), "SGDDT": (0, 2, 1), "STNMT": (1, 1, 0),
                "VPUBND": (0, 1, 1), "SNNPTNT": (0, 0, 1)}
    for u, counts in projects.items():
        for bd, n in zip(("status:appraised", "status:under_appraisal", "status:awaiting_policy"), counts):
            if n:
                lf.add("it_projects", u, p2, pt2, unit_text(u), value=n, bd=bd)
    totals = [sum(c[i] for c in projects.values()) for i in range(3)]
    assert totals == [4, 7, 6] and sum(totals) == 17
    written.append(lf.write(out_dir, sep=";"))
    described[lf.name] = "17 dự án, nhiệm vụ CNTT tính đến 11/03/2024 theo sở và tình trạng (4 đã thẩm định, 7 đang thẩm định, 6 chờ phê duyệt chủ trương). Dấu chấm phẩy."

    # 15. Đà Nẵng (48) and its communes since 2025-07-01 -------------------
    written += generate_da_nang(out_dir, reg, described)

    # expected facts and checks ---------------------------------------------
    n, dd = dos.range_parts
    expected += [
        {"check": "ratio_of_sums", "indicator_code": "online_dossier_rate", "period_code": "2022-02-01..2022-03-31",
         "unit_kinds": ["department", "city", "town", "district"], "numerator": n, "denominator": dd, "expected": 23.08},
        {"check": "share", "indicator_code": "steering_committee_formed", "period_code": "2022-04-30",
         "kind": "district", "yes": 16, "of": 18},
        {"check": "share", "indicator_code": "steering_committee_formed", "period_code": "2022-04-30",
         "kind": "department", "yes": 7, "of": 20},
        {"check": "sum", "indicator_code": "community_tech_teams", "period_code": "2022-04-30",
         "kind": "district", "expected": 355},
        {"check": "sum", "indicator_code": "communes_video_conference", "period_code": "2022-04-30",
         "kind": "district", "expected": 205},
        {"check": "sum", "indicator_code": "specialised_db_operational", "period_code": "2022-04",
         "unit_code": PROVINCE, "expected": 141},
        {"check": "sum_breakdown", "indicator_code": "it_projects", "period_code": "2024-03-11", "expected": 17,
         "by": {"status:appraised": 4, "status:under_appraisal": 7, "status:awaiting_policy": 6}},
    ]
    p = out_dir / "expected_seed_facts.json"
    p.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    written.append(p)

    lines = ["# Sample data (ILLUSTRATIVE)", "",
             f"{NOTE}. Generated by `python -m etl sample` (etl/sample_data.py, seed {SEED}); "
             "do not edit by hand. The figures quoted in the source articles are exact at their "
             "date (see `expected_seed_facts.json`); all other numbers are made up.", "",
             "Two administrations: Quảng Nam (49), its districts and departments, 2021–2024 (the province "
             "and its districts ended on 2025-06-30); then Thành phố Đà Nẵng (48) and its 94 communes (xã, phường, đặc khu), "
             "July 2025 to September 2026, the communes read from `data/reference/units.csv` (rows with "
             "parent 48, kind commune), with their own seed "
             f"({DA_NANG_SEED}) so that the Quảng Nam files never change.", "",
             "Files sort chronologically by name and never repeat an (indicator, unit, period, breakdown).", "",
             "| file | content |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in sorted(described.items())]
    lines += ["| `expected_seed_facts.json` | seed facts as the warehouse must read them back, plus province-level checks |", ""]
    p = out_dir / "README.md"
    p.write_text("\n".join(lines), encoding="utf-8")
    written.append(p)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m etl sample", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    files = generate(args.out)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
