"""Analyst accounts: who may upload, undo and rebuild.

Viewing the dashboard needs no account. Writing does. Accounts live outside the
repository, in a TOML file at `$DX_USERS_FILE`, else `.streamlit/users.toml`
(git-ignored), managed with `python -m etl users add|list|remove`. A password is
stored as a salted scrypt hash (stdlib `hashlib.scrypt`) with its parameters:

    [users."lan"]
    algorithm = "scrypt"
    n = 16384
    r = 8
    p = 1
    salt = "9f1c…"        # 16 random bytes, hex
    hash = "4a7e…"        # 32 bytes, hex
    created_at = "2026-11-25T10:15:00"

Wrong passwords are rate-limited per name inside the process (`LoginLimiter`:
after 5 failures, 60 s of refusals), so guessing is slow for everyone at once.

The first half of this module is plain Python (the CLI uses it); the functions
at the end draw the sign-in form and import Streamlit when called. An
organisation with an OIDC provider can use `st.login` instead: see README,
"Sign-in"; `current_user()` already prefers `st.user` when it is logged in.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent
DEFAULT_USERS_FILE = APP_DIR / ".streamlit" / "users.toml"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
KEY_BYTES = 32
MIN_PASSWORD = 8
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60.0


class AccountError(ValueError):
    """A name or password that cannot be used (message in Vietnamese / English)."""


def users_file() -> Path:
    """`$DX_USERS_FILE`, else `.streamlit/users.toml` in the project."""
    return Path(os.environ.get("DX_USERS_FILE") or DEFAULT_USERS_FILE)


# ------------------------------------------------------------------ hashing
def hash_password(password: str, *, salt: bytes | None = None, **params) -> dict:
    """A record with the salt, the scrypt parameters and the hash (all text)."""
    params = {**SCRYPT, **params}
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=KEY_BYTES, maxmem=64 * 1024 * 1024,
                            **params)
    return {"algorithm": "scrypt", **params, "salt": salt.hex(), "hash": digest.hex()}


def verify_password(password: str, record: dict) -> bool:
    """True when `password` gives the stored hash (constant-time comparison)."""
    if record.get("algorithm") != "scrypt":
        return False
    try:
        again = hash_password(password, salt=bytes.fromhex(record["salt"]),
                              n=int(record["n"]), r=int(record["r"]), p=int(record["p"]))
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(again["hash"], record.get("hash", ""))


_DUMMY = hash_password("not a password", salt=b"\0" * 16)


# ------------------------------------------------------------------ the users file
def load_users(path: Path | None = None) -> dict[str, dict]:
    """Name -> hash record; an absent file means no accounts."""
    path = path or users_file()
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return dict(tomllib.load(handle).get("users", {}))


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def save_users(users: dict[str, dict], path: Path | None = None) -> None:
    """Write the file atomically, readable by its owner only."""
    path = path or users_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Analyst accounts of the dashboard: python -m etl users add|list|remove", ""]
    for name in sorted(users):
        lines.append(f"[users.{_toml_value(name)}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in users[name].items()]
        lines.append("")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    os.replace(tmp, path)


def check_name(name: str) -> str:
    if not NAME_PATTERN.match(name or ""):
        raise AccountError(
            f"Tên “{name}” không hợp lệ: chữ không dấu, số, . _ - @ (tối đa 64) / "
            f"invalid name “{name}”: ASCII letters, digits, . _ - @ (up to 64)")
    return name


def add_user(name: str, password: str, path: Path | None = None, *, now: datetime | None = None) -> None:
    """Create or replace the account `name`."""
    check_name(name)
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự / "
                           f"a password needs at least {MIN_PASSWORD} characters")
    users = load_users(path)
    users[name] = {**hash_password(password),
                   "created_at": (now or datetime.now()).replace(microsecond=0).isoformat()}
    save_users(users, path)


def remove_user(name: str, path: Path | None = None) -> bool:
    """Remove `name`; False when there was no such account."""
    users = load_users(path)
    if name not in users:
        return False
    del users[name]
    save_users(users, path)
    return True


# ------------------------------------------------------------------ rate limiting
class LoginLimiter:
    """After `max_failures` wrong passwords for a name, refuse it for `lockout` seconds.

    In-process and thread-safe (every session of the app shares one); `clock`
    is injectable so tests need not sleep.
    """

    def __init__(self, max_failures: int = MAX_FAILURES, lockout: float = LOCKOUT_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.max_failures = max_failures
        self.lockout = lockout
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._until: dict[str, float] = {}

    @staticmethod
    def _key(name: str) -> str:
        return (name or "").strip().lower()

    def retry_after(self, name: str) -> float:
        """Seconds until `name` may try again (0 when it may now)."""
        with self._lock:
            until = self._until.get(self._key(name), 0.0)
            return max(0.0, until - self.clock())

    def failure(self, name: str) -> None:
        key = self._key(name)
        with self._lock:
            count = self._failures.get(key, 0) + 1
            if count >= self.max_failures:
                self._until[key] = self.clock() + self.lockout
                count = 0
            self._failures[key] = count

    def success(self, name: str) -> None:
        key = self._key(name)
        with self._lock:
            self._failures.pop(key, None)
            self._until.pop(key, None)


LIMITER = LoginLimiter()


@dataclass(frozen=True)
class SignIn:
    ok: bool
    name: str
    reason: str  # ok | wrong | locked
    retry_after: float = 0.0


def authenticate(name: str, password: str, *, path: Path | None = None,
                 limiter: LoginLimiter | None = None) -> SignIn:
    """Check a name and password against the users file, rate-limited."""
    limiter = limiter or LIMITER
    name = (name or "").strip()
    wait = limiter.retry_after(name)
    if wait > 0:
        return SignIn(False, name, "locked", wait)
    record = load_users(path).get(name)
    # an unknown name costs the same scrypt as a known one: timing does not tell which names exist
    ok = verify_password(password or "", record or _DUMMY) and record is not None
    if ok:
        limiter.success(name)
        return SignIn(True, name, "ok")
    limiter.failure(name)
    wait = limiter.retry_after(name)
    return SignIn(False, name, "locked" if wait > 0 else "wrong", wait)


# ------------------------------------------------------------------ Streamlit
SESSION_KEY = "auth.user"


def _oidc_user() -> str | None:
    """The name from `st.login` (OIDC), when the app is configured for it."""
    import streamlit as st

    try:
        if st.user.get("is_logged_in"):
            return str(st.user.get("email") or st.user.get("name") or "oidc-user")
    except Exception:  # no [auth] section, or AppTest's stand-in for st.user
        return None
    return None


def current_user() -> str | None:
    """Who is signed in in this session (OIDC first, then a local account)."""
    import streamlit as st

    return _oidc_user() or st.session_state.get(SESSION_KEY)


def sign_in_panel(lang: str) -> str | None:
    """The signed-in name with a sign-out button, or the sign-in form (returns None)."""
    import streamlit as st

    from dashboard.i18n import t

    user = current_user()
    if user:
        cols = st.columns([4, 1])
        cols[0].caption(t("auth.signed_in_as", lang, name=user))
        if cols[1].button(t("auth.sign_out", lang), key="auth.sign_out", icon=":material/logout:"):
            st.session_state.pop(SESSION_KEY, None)
            if _oidc_user():
                st.logout()
            st.rerun()
        return user

    st.info(t("auth.needed", lang), icon=":material/lock:")
    with st.form("auth.form", enter_to_submit=True, clear_on_submit=True):
        name = st.text_input(t("auth.name", lang), key="auth.name")
        password = st.text_input(t("auth.password", lang), type="password", key="auth.password")
        submitted = st.form_submit_button(t("auth.sign_in", lang), icon=":material/login:")
    if submitted:
        result = authenticate(name, password)
        if result.ok:
            st.session_state[SESSION_KEY] = result.name
            st.rerun()
        elif result.reason == "locked":
            st.error(t("auth.locked", lang, seconds=int(result.retry_after + 0.999)))
        else:
            st.error(t("auth.wrong", lang))
    return None
