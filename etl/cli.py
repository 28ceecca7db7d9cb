"""`python -m etl`: check, load, history, undo, rebuild, sample.

Exit codes: 0 success, 1 validation failed (nothing written), 2 usage error.
Every subcommand takes --db PATH (default: $DX_WAREHOUSE or data/warehouse.duckdb).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from tqdm import tqdm

from etl import problems as P
from etl.loader import (
    PeriodError,
    UndoError,
    check_bytes,
    history,
    load_bytes,
    parse_period_option,
    rebuild,
    undo_load,
)
from etl.warehouse import Warehouse, WarehouseBusy, default_path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _print_problems(problems: list[P.Problem], out=None) -> None:
    out = out or sys.stdout
    for p in problems:
        label = "LỖI/ERROR" if p.is_error else "CẢNH BÁO/WARNING"
        print(f"  {label} {p.where()}", file=out)
        print(f"      {p.message_vi}", file=out)
        print(f"      {p.message_en}", file=out)


def _existing_files(paths: list[str]) -> list[Path] | None:
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        for p in missing:
            print(f"Không tìm thấy tệp / file not found: {p}", file=sys.stderr)
        return None
    return [Path(p) for p in paths]


def _period(args):
    try:
        return parse_period_option(args.period)
    except PeriodError as exc:
        print(f"Kỳ báo cáo không hợp lệ / invalid --period: {args.period} ({exc})", file=sys.stderr)
        return False


def _open(args) -> Warehouse | None:
    try:
        return Warehouse(Path(args.db))
    except WarehouseBusy:
        print(
            f"Kho dữ liệu {args.db} đang được một tiến trình khác ghi (ví dụ ứng dụng); thử lại sau.\n"
            f"The warehouse {args.db} is open for writing in another process (e.g. the app); try again later.",
            file=sys.stderr,
        )
        return None


def cmd_check(args) -> int:
    files = _existing_files(args.files)
    period = _period(args)
    if files is None or period is False:
        return EXIT_USAGE
    status = EXIT_OK
    for path in files:
        check = check_bytes(path.read_bytes(), path.name, period=period)
        verdict = "OK" if check.ok else "KHÔNG HỢP LỆ / INVALID"
        print(f"{path.name}: {verdict} — {len(check.values)} giá trị / values, bố cục / layout: {check.layout}")
        _print_problems(check.problems)
        if not check.ok:
            status = EXIT_INVALID
    return status


def cmd_load(args) -> int:
    files = _existing_files(args.files)
    period = _period(args)
    if files is None or period is False:
        return EXIT_USAGE
    try:
        wh = Warehouse(Path(args.db))
    except WarehouseBusy:
        return _queue_for_app(args, files, period)
    status = EXIT_OK
    with wh:
        for path in tqdm(files, desc="Nạp / loading", unit="tệp", disable=len(files) < 3 or None):
            result = load_bytes(wh, path.read_bytes(), path.name, args.who, period)
            if result.status == "loaded":
                tqdm.write(f"{path.name}: đã nạp / loaded as load {result.load_id} ({result.rows} giá trị / values)")
            elif result.status == "already_loaded":
                tqdm.write(f"{path.name}: đã nạp trước đó / already loaded as load {result.load_id}; không thay đổi / nothing changed")
            else:
                tqdm.write(f"{path.name}: KHÔNG NẠP / NOT LOADED — không ghi gì / nothing written")
                status = EXIT_INVALID
            _print_problems(result.problems)
    return status


def _queue_for_app(args, files: list[Path], period) -> int:
    """The app holds the warehouse: check each file, then leave it in the app's inbox."""
    from etl.inbox import enqueue

    status = EXIT_OK
    for path in files:
        data = path.read_bytes()
        check = check_bytes(data, path.name, period=period)
        if not check.ok:
            print(f"{path.name}: KHÔNG NẠP / NOT LOADED — không ghi gì / nothing written")
            _print_problems(check.problems)
            status = EXIT_INVALID
            continue
        enqueue(Path(args.db), data, path.name, args.who, period.code if period else None)
        print(f"{path.name}: kho đang được ứng dụng sử dụng; đã xếp hàng để ứng dụng nạp / "
              f"the warehouse is in use by the running app; queued for it to load")
    return status


def cmd_history(args) -> int:
    wh = _open(args)
    if wh is None:
        return EXIT_USAGE
    with wh:
        frame = history(wh)
    if frame.empty:
        print("Chưa có lần nạp nào / no loads yet")
        return EXIT_OK
    for row in frame.itertuples():
        undone = f"  hoàn tác / undone {row.undone_at:%d/%m/%Y %H:%M} ({row.undone_by})" if row.status == "undone" else ""
        print(f"{row.load_id:>5}  {row.loaded_at:%d/%m/%Y %H:%M}  {row.loaded_by:<12} {row.status:<7} "
              f"{row.rows:>6} giá trị/values  {row.file_name}{undone}")
    return EXIT_OK


def cmd_undo(args) -> int:
    wh = _open(args)
    if wh is None:
        return EXIT_USAGE
    with wh:
        try:
            undo_load(wh, args.load_id, args.who)
        except UndoError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
    print(f"Đã hoàn tác lần nạp {args.load_id} / load {args.load_id} undone")
    return EXIT_OK


def cmd_rebuild(args) -> int:
    db = Path(args.db)
    if db.exists():
        # the swap below must not pull the file from under a running app
        wh = _open(args)
        if wh is None:
            print("Dùng nút “Dựng lại kho” ở trang Lịch sử nạp của ứng dụng đang chạy.\n"
                  "Use the “Rebuild” button on the running app's History page.", file=sys.stderr)
            return EXIT_USAGE
        wh.close()
    bar = tqdm(desc="Dựng lại / rebuilding", unit="sự kiện", disable=None)
    try:
        count = rebuild(db, progress=lambda event: bar.update(1))
    except Exception as exc:  # a broken archive must not leave a half-built file
        bar.close()
        print(f"Không dựng lại được / rebuild failed: {exc}", file=sys.stderr)
        return EXIT_INVALID
    bar.close()
    print(f"Đã dựng lại {db} từ {count} lần nạp / rebuilt {db} from {count} loads")
    return EXIT_OK


def cmd_sample(args) -> int:
    from etl.sample_data import generate

    written = generate(Path(args.out))
    print(f"{len(written)} tệp mẫu / sample files written to {args.out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Nạp báo cáo chỉ tiêu vào kho dữ liệu / load indicator reports into the warehouse")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", default=str(default_path()), help="warehouse file (default: %(default)s)")
        p.set_defaults(func=func)
        return p

    p = add("check", cmd_check, "Kiểm tra tệp, không ghi gì / validate files, write nothing")
    p.add_argument("--period", help="kỳ báo cáo khi tệp không ghi / period when the file does not say (e.g. 2024-03, 'Quý I/2024')")
    p.add_argument("files", nargs="+", metavar="FILE")
    p = add("load", cmd_load, "Nạp tệp vào kho / load files into the warehouse")
    p.add_argument("--period", help="kỳ báo cáo khi tệp không ghi / period when the file does not say")
    p.add_argument("--who", default=getpass.getuser(), help="người nạp / who loads (default: %(default)s)")
    p.add_argument("files", nargs="+", metavar="FILE")
    add("history", cmd_history, "Lịch sử nạp / list loads")
    p = add("undo", cmd_undo, "Hoàn tác một lần nạp / undo a load")
    p.add_argument("--who", default=getpass.getuser(), help="người hoàn tác / who undoes")
    p.add_argument("load_id", type=int, metavar="LOAD_ID")
    add("rebuild", cmd_rebuild, "Dựng lại kho từ kho lưu trữ tệp gốc / rebuild the warehouse from archived files")
    p = add("sample", cmd_sample, "Tạo dữ liệu mẫu / regenerate the illustrative sample data")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "data" / "sample"))
    _register_command_modules(sub, add)
    return parser


def _register_command_modules(sub, add) -> None:
    import importlib
    import pkgutil

    from etl import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"etl.commands.{info.name}").register(sub, add)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
