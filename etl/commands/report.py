"""`python -m etl report`: the weekly meeting report as PPTX / PDF / PNG files, unattended.

    python -m etl report --week 2026-W47 --format pptx,pdf --out /srv/reports [--db PATH] [--lang vi|en]
                         [--province 48]

Writes ``bao_cao_tuan_2026-W47.pptx`` and ``.pdf`` (and ``..._<section>.png``
with ``png``) into ``--out``. Without ``--week``: the week containing the data's
as-of date. ``--province`` (a code or a name) defaults to the deployment's setting
(``DX_PROVINCE``, else ``province`` in ``.streamlit/secrets.toml``), else the only
(the first) province the warehouse holds values for. Exit codes: 0 written; 1 no
Chromium to draw the charts, or the warehouse cannot be opened; 2 a bad week,
format, language or province.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _quiet_streamlit() -> None:
    """The query modules carry Streamlit cache decorators; outside the app they only warn."""
    import streamlit.logger

    streamlit.logger.set_log_level("error")


def _connect_read_only(db: Path):
    """A read-only connection; on a snapshot copy when another connection holds the file.

    The app keeps the warehouse open for writing while it runs, and DuckDB then
    locks every other process out (read-only included). A weekly job must not
    fail for that, so it reads a copy of the file (and its WAL) taken now.
    """
    import shutil
    import tempfile

    import duckdb

    try:
        return duckdb.connect(str(db), read_only=True)
    except (duckdb.IOException, duckdb.ConnectionException) as exc:
        folder = Path(tempfile.mkdtemp(prefix="dx-report-"))
        copy = folder / db.name
        for suffix in ("", ".wal"):
            source = Path(str(db) + suffix)
            if source.exists():
                shutil.copy2(source, Path(str(copy) + suffix))
        print(f"Kho dữ liệu đang bận, đọc bản sao / warehouse busy ({exc.__class__.__name__}), "
              f"reading a copy: {copy}", file=sys.stderr)
        return duckdb.connect(str(copy), read_only=False)


def _province(cur, wanted: str | None) -> str | None:
    """The code of ``--province`` (else the setting, else the warehouse's first); None, said why, if none."""
    from dashboard.province import (
        choose_province,
        configured_province,
        province_choices,
        provinces_of,
        resolve_province,
    )

    choices = provinces_of(province_choices(cur))
    if wanted is not None:
        code = resolve_province(wanted, choices)
        if code is None:
            known = ", ".join(f"{p.code} {p.name_vi}" for p in choices) or "-"
            print(f"Kho dữ liệu không có số liệu của tỉnh / no figures for province {wanted!r} "
                  f"(có / known: {known})", file=sys.stderr)
        return code
    choice = choose_province(None, configured_province(), choices)
    if choice.notice:
        print(f"Tỉnh cấu hình không có số liệu / the configured province {choice.ignored!r} has no figures; "
              f"using {choice.code}", file=sys.stderr)
    if choice.code is None:
        print("Kho dữ liệu chưa có tỉnh nào có số liệu / no province in the warehouse has figures",
              file=sys.stderr)
    return choice.code


def cmd_report(args) -> int:
    _quiet_streamlit()
    from dashboard.report import WeekError, build_report, default_week, parse_week
    from dashboard.report_export import NoBrowser, parse_formats, write_report

    try:
        week = parse_week(args.week) if args.week else None
        compare = parse_week(args.compare) if args.compare else None
        formats = parse_formats(args.format)
    except (WeekError, ValueError) as exc:
        print(f"Tham số không hợp lệ / invalid argument: {exc}", file=sys.stderr)
        return EXIT_USAGE
    db = Path(args.db)
    if not db.is_file():
        print(f"Không tìm thấy kho dữ liệu / warehouse not found: {db}", file=sys.stderr)
        return EXIT_USAGE
    try:
        con = _connect_read_only(db)
    except Exception as exc:  # noqa: BLE001 any failure to open is reported, never a traceback
        print(f"Không mở được kho dữ liệu / cannot open the warehouse {db}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        cur = con.cursor()
        province = _province(cur, args.province)
        if province is None:
            return EXIT_USAGE if args.province is not None else EXIT_FAILED
        week = week or default_week(cur)
        if week is None:
            print("Kho dữ liệu chưa có số liệu / the warehouse has no data", file=sys.stderr)
            return EXIT_FAILED
        report = build_report(cur, week, compare, indicator=args.indicator, lang=args.lang, province=province)
    finally:
        con.close()
    try:
        written = write_report(report, formats, Path(args.out))
    except NoBrowser as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    for path in written:
        print(path)
    return EXIT_OK


def register(sub, add) -> None:
    p = add("report", cmd_report, "Báo cáo tuần (PPTX, PDF, PNG) / weekly meeting report files")
    p.add_argument("--week", help="tuần ISO / ISO week, e.g. 2026-W47 (default: the week of the data's as-of date)")
    p.add_argument("--compare", help="tuần so sánh / week to compare with (default: the week before)")
    p.add_argument("--format", default="pptx,pdf", help="pptx,pdf,png (default: %(default)s)")
    p.add_argument("--out", default=".", help="thư mục ghi tệp / output folder (default: %(default)s)")
    p.add_argument("--indicator", default=None, help="chỉ tiêu xếp hạng / indicator to rank (default: online_dossier_rate)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language (default: %(default)s)")
    p.add_argument("--province", default=None,
                   help="mã hoặc tên tỉnh / province code or name (default: DX_PROVINCE or secrets `province`, "
                        "else the warehouse's only or first province)")
