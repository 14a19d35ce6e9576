"""Login rate limiting: failed logins counted per user name and per client address, in the store.

Every failed login (a wrong name or password at ``/login``, an unknown API token) is a row of
``login_failure``: the name tried (``""`` for a token), the client's address, the time. A name
with :attr:`LoginLimits.failures_per_name` failures within :attr:`LoginLimits.window_s`, or an
address with :attr:`LoginLimits.failures_per_address`, is locked out: its logins are refused
(HTTP 429 with ``Retry-After``) without checking the password, until the oldest of those
failures leaves the window. A refused attempt is not counted, so a lockout ends on time.

A successful login clears the failures against that name, from any address: its owner is back.
They also leave the addresses' counts; failures against other names stay counted there.

Kept in the store, not in the server's memory, so that a restart does not reset the counts and
several server processes (``uvicorn --workers``, or servers sharing a PostgreSQL store) count
together. Counting and recording are two statements, not one transaction: attempts racing in
parallel may get a few more tries than the limit, never unlimited ones.

Why a user name and an address both: per name stops guessing one account's password from many
addresses; per address stops trying many names from one. The address limit is higher (20 by
default) because many people may share one address (an office's NAT). The address is what the
server sees: behind a reverse proxy, run uvicorn with ``--proxy-headers`` and
``--forwarded-allow-ips`` so that it is the client's, not the proxy's. A name can be locked out
by anyone who fails at it five times (OWASP's "account lockout" trade-off): the lockout is short
(15 minutes), and an admin can still reach the app with an API token.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

from sqlalchemy import delete, select

from restvarme.store.models import LoginFailure
from restvarme.store.runs import RunStore

MAX_NAME_CHARS = 64
MAX_ADDRESS_CHARS = 64


@dataclass(frozen=True)
class LoginLimits:
    """How many failed logins lock a name or an address out, within how long."""

    failures_per_name: int = 5
    """Failures against one user name within the window that lock it out."""
    failures_per_address: int = 20
    """Failures from one client address within the window that lock it out."""
    window_s: float = 900.0
    """The window [s]: 15 minutes."""


@dataclass(frozen=True)
class Lockout:
    """A refusal: what is locked out and for how many more seconds."""

    retry_after_s: int
    """Seconds until a login may be tried again (the ``Retry-After`` header) [s]."""
    what: str
    """``"this user name"`` or ``"this address"``."""

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after_s / 60)
        return (
            f"too many failed logins for {self.what}: try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}"
        )


def _aware(t: _dt.datetime) -> _dt.datetime:
    """A time with its zone (SQLite gives times back without one; they are UTC)."""
    return t if t.tzinfo else t.replace(tzinfo=_dt.UTC)


def lockout(
    store: RunStore, name: str, address: str, now: _dt.datetime, limits: LoginLimits
) -> Lockout | None:
    """Whether a login for ``name`` (``""``: an API token, no name) from ``address`` is locked
    out at ``now``; the longer lockout if both are."""
    window = _dt.timedelta(seconds=limits.window_s)
    since = now - window
    checks = [
        (LoginFailure.name, name[:MAX_NAME_CHARS], limits.failures_per_name, "this user name"),
        (
            LoginFailure.address,
            address[:MAX_ADDRESS_CHARS],
            limits.failures_per_address,
            "this address",
        ),
    ]
    found: Lockout | None = None
    with store.session() as s:
        for column, key, limit, what in checks:
            if not key or limit <= 0:
                continue
            newest = s.scalars(
                select(LoginFailure.at)
                .where(column == key, LoginFailure.at > since)
                .order_by(LoginFailure.at.desc())
                .limit(limit)
            ).all()
            if len(newest) < limit:
                continue
            # locked until the limit-th newest failure leaves the window: then fewer are in it
            left = (_aware(newest[-1]) + window - now).total_seconds()
            wait = max(1, math.ceil(left))
            if found is None or wait > found.retry_after_s:
                found = Lockout(wait, what)
    return found


def record_failure(
    store: RunStore, name: str, address: str, now: _dt.datetime, limits: LoginLimits
) -> None:
    """Count a failed login; forget failures that have left the window (anyone's)."""
    since = now - _dt.timedelta(seconds=limits.window_s)
    with store.session() as s:
        s.execute(delete(LoginFailure).where(LoginFailure.at <= since))
        s.add(LoginFailure(name=name[:MAX_NAME_CHARS], address=address[:MAX_ADDRESS_CHARS], at=now))


def clear_failures(store: RunStore, name: str) -> None:
    """Forget the failures against ``name`` (its owner has just logged in)."""
    with store.session() as s:
        s.execute(delete(LoginFailure).where(LoginFailure.name == name[:MAX_NAME_CHARS]))


__all__ = ["Lockout", "LoginLimits", "clear_failures", "lockout", "record_failure"]
