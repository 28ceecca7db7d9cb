"""Analyst accounts: scrypt hashes in a users file, the users CLI, the rate limit."""

from __future__ import annotations

import io
import stat
import threading
import tomllib

import pytest

from dashboard import auth
from etl.cli import main


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def users_path(tmp_path, monkeypatch):
    path = tmp_path / "secret" / "users.toml"
    monkeypatch.setenv("DX_USERS_FILE", str(path))
    return path


def test_a_password_is_stored_as_salted_scrypt_with_its_parameters(users_path):
    auth.add_user("lan", "mot-mat-khau")
    auth.add_user("binh", "mot-mat-khau")
    stored = tomllib.loads(users_path.read_text())["users"]
    assert set(stored["lan"]) == {"algorithm", "n", "r", "p", "salt", "hash", "created_at"}
    assert (stored["lan"]["algorithm"], stored["lan"]["n"], stored["lan"]["r"], stored["lan"]["p"]) == (
        "scrypt", 16384, 8, 1)
    assert stored["lan"]["salt"] != stored["binh"]["salt"] and stored["lan"]["hash"] != stored["binh"]["hash"]
    assert "mot-mat-khau" not in users_path.read_text()
    assert stat.S_IMODE(users_path.stat().st_mode) == 0o600


def test_verify_accepts_the_password_and_nothing_else(users_path):
    auth.add_user("lan", "mot-mat-khau")
    record = auth.load_users()["lan"]
    assert auth.verify_password("mot-mat-khau", record)
    assert not auth.verify_password("mot-mat-khaU", record)
    assert not auth.verify_password("", record)


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, 'lan"]\n[users.x', "../etc"])
def test_names_that_could_break_the_file_are_refused(users_path, name):
    with pytest.raises(auth.AccountError):
        auth.add_user(name, "mot-mat-khau")


def test_a_short_password_is_refused(users_path):
    with pytest.raises(auth.AccountError, match="at least 8"):
        auth.add_user("lan", "ngan")


def test_users_cli_adds_lists_and_removes(users_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-tu-stdin\n"))
    assert main(["users", "add", "lan", "--password-stdin"]) == 0
    assert auth.authenticate("lan", "mat-khau-tu-stdin", limiter=auth.LoginLimiter()).ok
    assert main(["users", "list"]) == 0
    assert "lan" in capsys.readouterr().out
    assert main(["users", "remove", "lan"]) == 0
    assert main(["users", "remove", "lan"]) == 2
    assert auth.load_users() == {}


def test_five_failures_lock_a_name_for_sixty_seconds_then_it_may_try_again(users_path):
    auth.add_user("lan", "mot-mat-khau")
    clock = FakeClock()
    limiter = auth.LoginLimiter(clock=clock)
    for _ in range(4):
        assert auth.authenticate("lan", "wrong", limiter=limiter).reason == "wrong"
    fifth = auth.authenticate("lan", "wrong", limiter=limiter)
    assert (fifth.reason, fifth.retry_after) == ("locked", 60.0)
    clock.now += 30
    locked = auth.authenticate("lan", "mot-mat-khau", limiter=limiter)
    assert (locked.ok, locked.reason, locked.retry_after) == (False, "locked", 30.0)
    assert auth.authenticate("LAN", "x", limiter=limiter).reason == "locked"  # names are not case games
    clock.now += 30.5
    assert auth.authenticate("lan", "mot-mat-khau", limiter=limiter).ok


def test_an_unknown_name_is_just_a_wrong_password(users_path):
    result = auth.authenticate("nobody", "whatever", limiter=auth.LoginLimiter())
    assert (result.ok, result.reason) == (False, "wrong")


def test_the_limiter_counts_failures_from_many_threads_exactly():
    clock = FakeClock()
    limiter = auth.LoginLimiter(max_failures=1000, clock=clock)
    threads = [threading.Thread(target=lambda: [limiter.failure("lan") for _ in range(99)]) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert limiter.retry_after("lan") == 0
    limiter.failure("lan")  # the 991st
    for _ in range(9):
        limiter.failure("lan")
    assert limiter.retry_after("lan") == 60.0
