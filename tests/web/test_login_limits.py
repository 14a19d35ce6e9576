"""Login rate limiting (restvarme.store.logins): failed logins lock a user name or a client
address out for a while, on the login form and for API tokens, kept in the store. The app's
clock is one the tests move by hand: no test sleeps."""

from __future__ import annotations

import datetime as dt

import pytest

from restvarme.store import users
from restvarme.store.logins import LoginLimits

PASSWORD = "correct horse battery"
WRONG = "wrong horse battery"


class Clock:
    """Now, as the app sees it: 2030-01-01 00:00 UTC, moved on by :meth:`advance`."""

    def __init__(self) -> None:
        self.now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def secured(make_client, clock):
    """``secured(**create_app options)``: an app with login and the test's clock; users ``ana``
    (editor) and ``bo`` (viewer)."""

    def make(**options):
        client = make_client(auth=True, clock=clock, **options)
        store = client.app.state.store
        if not users.users(store):
            users.add_user(store, "ana", PASSWORD, "editor")
            users.add_user(store, "bo", PASSWORD, "viewer")
        return client

    return make


def _login(client, name: str, password: str):
    return client.post("/login", data={"name": name, "password": password}, follow_redirects=False)


def test_five_wrong_passwords_lock_the_name_out_until_the_first_is_15_minutes_old(secured, clock):
    client = secured()
    for _ in range(5):  # at 0, 60, 120, 180 and 240 s
        assert _login(client, "ana", WRONG).status_code == 401
        clock.advance(60)
    # at 300 s: five failures within 15 minutes; locked until the first (at 0 s) is 900 s old
    locked = _login(client, "ana", PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == str(900 - 300)
    assert "too many failed logins for this user name: try again in 10 minutes" in locked.text
    assert "set-cookie" not in locked.headers  # the right password does not get through
    assert _login(client, "bo", PASSWORD).status_code == 303  # another name is not locked
    clock.advance(599)  # at 899 s: one second left
    assert _login(client, "ana", PASSWORD).headers["Retry-After"] == "1"
    clock.advance(1)  # at 900 s: the first failure has left the window, four are in it
    assert _login(client, "ana", PASSWORD).status_code == 303


def test_a_successful_login_clears_the_names_failures(secured):
    client = secured()
    for _ in range(4):
        assert _login(client, "ana", WRONG).status_code == 401
    assert _login(client, "ana", PASSWORD).status_code == 303
    for _ in range(4):  # four new failures: four in the window, not nine
        assert _login(client, "ana", WRONG).status_code == 401
    assert _login(client, "ana", WRONG).status_code == 401  # the fifth is counted, then...
    assert _login(client, "ana", PASSWORD).status_code == 429  # ...the name is locked


def test_the_lockout_is_kept_in_the_store_across_a_restart(secured, clock):
    first = secured()
    for _ in range(5):
        _login(first, "ana", WRONG)
    clock.advance(100)
    restarted = secured()  # a new app (as another server process) over the same store
    locked = _login(restarted, "ana", PASSWORD)
    assert (locked.status_code, locked.headers["Retry-After"]) == (429, str(900 - 100))


def test_many_names_tried_from_one_address_lock_the_address_out(secured):
    client = secured(login_limits=LoginLimits(failures_per_name=5, failures_per_address=6))
    for n in range(6):  # six names, one failure each: no name reaches five
        assert _login(client, f"guess{n}", WRONG).status_code == 401
    locked = _login(client, "bo", PASSWORD)  # every login from this address (the TestClient's)
    assert locked.status_code == 429
    assert "too many failed logins for this address" in locked.text
    assert locked.headers["Retry-After"] == "900"  # the clock has not moved


def test_unknown_api_tokens_lock_the_address_out_of_the_api_too(secured, clock):
    client = secured(login_limits=LoginLimits(failures_per_address=3))
    good = {"Authorization": f"Bearer {users.make_token(client.app.state.store, 'ana')['token']}"}
    for n in range(3):
        answer = client.get("/api/runs", headers={"Authorization": f"Bearer rv_guess{n}"})
        assert answer.status_code == 401
        clock.advance(10)
    locked = client.get("/api/runs", headers=good)  # at 30 s, the first failure at 0 s
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == str(900 - 30)
    assert locked.json()["detail"] == (
        "too many failed logins for this address: try again in 15 minutes"
    )
    assert _login(client, "ana", PASSWORD).status_code == 429  # the form too: same address
    clock.advance(870)
    assert client.get("/api/runs", headers=good).status_code == 200


def test_failures_older_than_the_window_are_forgotten(secured, clock):
    client = secured()
    store = client.app.state.store
    for _ in range(3):
        _login(client, "ana", WRONG)
    clock.advance(901)
    _login(client, "bo", WRONG)  # recording a failure deletes those out of the window
    from sqlalchemy import func, select

    from restvarme.store.models import LoginFailure

    with store.session() as s:
        assert s.scalar(select(func.count(LoginFailure.id))) == 1


def test_the_counts_on_sqlite_and_postgresql(tmp_path, store_url):
    from restvarme.store import RunStore
    from restvarme.store.logins import clear_failures, lockout, record_failure

    store = RunStore(tmp_path, store_url)
    limits = LoginLimits(failures_per_name=3, failures_per_address=4, window_s=600)
    t0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    at = lambda s: t0 + dt.timedelta(seconds=s)  # noqa: E731
    for s, name in ((0, "ana"), (10, "ana"), (20, "bo")):
        record_failure(store, name, "10.0.0.1", at(s), limits)
    assert lockout(store, "ana", "10.0.0.2", at(30), limits) is None  # 2 of 3 for ana
    record_failure(store, "ana", "10.0.0.2", at(30), limits)
    # ana: 3 failures (0, 10, 30 s): locked until the one at 0 s is 600 s old
    assert lockout(store, "ana", "10.0.0.3", at(40), limits).retry_after_s == 600 - 40
    # 10.0.0.1: 3 of 4; with one more (at 50 s), locked until the one at 0 s leaves
    record_failure(store, "cy", "10.0.0.1", at(50), limits)
    by_address = lockout(store, "dag", "10.0.0.1", at(60), limits)
    assert (by_address.what, by_address.retry_after_s) == ("this address", 600 - 60)
    clear_failures(store, "ana")  # ana logged in: her three go, from both addresses
    assert lockout(store, "ana", "10.0.0.3", at(70), limits) is None
    assert lockout(store, "dag", "10.0.0.1", at(70), limits) is None  # bo, cy: 2 of 4 left
    store.close()
