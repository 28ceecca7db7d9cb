"""`python -m etl users add NAME [--password-stdin] | list | remove NAME`: analyst accounts.

Accounts are kept in `$DX_USERS_FILE`, else `.streamlit/users.toml` (outside git),
as salted scrypt hashes (see dashboard/auth.py). Without `--password-stdin` the
password is asked twice on the terminal; with it, the first line of stdin is the
password (for scripts: `printf '%s\\n' "$PW" | python -m etl users add lan --password-stdin`).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from dashboard import auth

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _path(args) -> Path:
    return Path(args.users_file) if args.users_file else auth.users_file()


def _read_password(args) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu / password: ")
    if first != getpass.getpass("Nhập lại / again: "):
        print("Hai lần nhập không khớp / the passwords differ", file=sys.stderr)
        return None
    return first


def cmd_users(args) -> int:
    path = _path(args)
    if args.action == "list":
        users = auth.load_users(path)
        if not users:
            print(f"Chưa có tài khoản nào / no accounts yet ({path})")
        for name, record in sorted(users.items()):
            print(f"{name:<24} {record.get('created_at', '')}")
        return EXIT_OK
    if not args.name:
        print("Cần tên người dùng / a NAME is needed", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "remove":
        if not auth.remove_user(args.name, path):
            print(f"Không có tài khoản “{args.name}” / no account “{args.name}”", file=sys.stderr)
            return EXIT_USAGE
        print(f"Đã xóa tài khoản {args.name} / account {args.name} removed")
        return EXIT_OK
    password = _read_password(args)
    if password is None:
        return EXIT_USAGE
    try:
        auth.add_user(args.name, password, path)
    except auth.AccountError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    print(f"Đã lưu tài khoản {args.name} vào {path} / account {args.name} saved to {path}")
    return EXIT_OK


def register(sub, add) -> None:
    p = add("users", cmd_users, "Tài khoản chuyên viên (tải lên, hoàn tác) / analyst accounts (upload, undo)")
    p.add_argument("action", choices=["add", "list", "remove"])
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--password-stdin", action="store_true",
                   help="đọc mật khẩu từ dòng đầu của stdin / read the password from the first line of stdin")
    p.add_argument("--users-file", default=None,
                   help="tệp tài khoản / accounts file (default: $DX_USERS_FILE or .streamlit/users.toml)")
