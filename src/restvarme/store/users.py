"""Users, roles, API tokens and browser sessions of the web app, kept in the run store.

Passwords are hashed with argon2id (``argon2-cffi``, its default parameters: RFC 9106's second
recommended option). API tokens and session cookies are 256-bit random strings
(:func:`secrets.token_urlsafe`); the store keeps only their SHA-256, so a copy of the database
lets no one in. A token is shown once, when it is made.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from restvarme.store.models import ApiToken, Role, User, WebSession, utcnow
from restvarme.store.runs import NAME_PATTERN, ConflictError, NotFoundError, RunStore, StoreError

SESSION_HOURS = 12
"""A browser login lasts this long."""
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024
"""Passwords longer than this are refused before hashing (a cheap denial of service otherwise)."""


@dataclass(frozen=True)
class Principal:
    """Who makes a request: a user's name and role, and how they showed it (``token``,
    ``session``, or ``local``: the app runs without login on loopback)."""

    name: str
    role: Role
    via: str
    csrf_token: str = ""


def _hasher() -> Any:
    try:
        from argon2 import PasswordHasher
    except ImportError as error:  # pragma: no cover - depends on the installation
        from restvarme.errors import MissingExtraError

        raise MissingExtraError(f"users need {error.name}: pip install 'restvarme[web]'") from None
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of a password (a PHC string with its salt and parameters)."""
    check_password_rules(password)
    return str(_hasher().hash(password))


def check_password_rules(password: str) -> None:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise StoreError(f"a password has {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_DUMMY_HASH: list[str] = []


def _user_dict(user: User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "created_at": user.created_at.isoformat()}


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise StoreError(
            f"role {role[:32]!r}: expected one of {', '.join(r.value for r in Role)}"
        ) from None


def add_user(store: RunStore, name: str, password: str, role: str) -> dict[str, Any]:
    """Add a user; their name follows the rule of scenario names."""
    if not NAME_PATTERN.fullmatch(name):
        raise StoreError(f"user name {name[:64]!r}: letters, digits, _ . - (at most 64)")
    checked = _role(role)
    hashed = hash_password(password)
    with store.session() as s:
        if s.scalar(select(User).where(User.name == name)) is not None:
            raise ConflictError(f"there is already a user {name!r}")
        user = User(name=name, password_hash=hashed, role=checked.value)
        s.add(user)
        try:
            s.flush()
        except IntegrityError:  # added meanwhile by another request: the name is unique
            raise ConflictError(f"there is already a user {name!r}") from None
        return _user_dict(user)


def user(store: RunStore, name: str) -> dict[str, Any]:
    """A user's name, role and creation time."""
    with store.session() as s:
        return _user_dict(_user(s, name))


def users(store: RunStore) -> list[dict[str, Any]]:
    with store.session() as s:
        return [_user_dict(u) for u in s.scalars(select(User).order_by(User.name))]


def count_users(store: RunStore, role: Role | None = None) -> int:
    with store.session() as s:
        query = select(func.count(User.id))
        if role is not None:
            query = query.where(User.role == role.value)
        return int(s.scalar(query) or 0)


def _user(s: Session, name: str) -> User:
    user = s.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFoundError(f"no user {name[:64]!r}")
    return user


def _lock_admins(s: Session) -> int:
    """Lock the admins' rows (``SELECT ... FOR UPDATE``) until the transaction ends, and count
    them: on PostgreSQL two admins demoting each other at once then wait for one another."""
    return len(
        s.execute(select(User.id).where(User.role == Role.admin.value).with_for_update()).all()
    )


def _keep_an_admin(s: Session, name: str, action: str, admins_before: int) -> None:
    """After a change in ``s``: refuse it (:class:`ConflictError`, HTTP 409; the transaction
    rolls back) if it leaves no admin where there was one (a store without admins, used
    without login, may keep having none).

    Counted after the change is written, so the count is made under the write lock: SQLite has
    one writer at a time, and PostgreSQL's rows are locked first (:func:`_lock_admins`).
    """
    s.flush()
    if admins_before and not s.scalar(
        select(func.count(User.id)).where(User.role == Role.admin.value)
    ):
        raise ConflictError(
            f"{name!r} is the last admin and cannot be {action}: make another admin first"
        )


def set_role(store: RunStore, name: str, role: str) -> dict[str, Any]:
    """Change a user's role; the last admin cannot stop being one."""
    checked = _role(role)
    with store.session() as s:
        admins = _lock_admins(s)
        user = _user(s, name)
        user.role = checked.value
        _keep_an_admin(s, name, f"made {checked.value}", admins)
        return _user_dict(user)


def set_password(store: RunStore, name: str, password: str) -> None:
    """Set a user's password and end their browser sessions."""
    hashed = hash_password(password)
    with store.session() as s:
        user = _user(s, name)
        user.password_hash = hashed
        s.execute(delete(WebSession).where(WebSession.user_id == user.id))


def remove_user(store: RunStore, name: str) -> None:
    """Remove a user with their tokens and sessions; never the last admin."""
    with store.session() as s:
        admins = _lock_admins(s)
        user = _user(s, name)
        s.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        s.execute(delete(WebSession).where(WebSession.user_id == user.id))
        s.delete(user)
        _keep_an_admin(s, name, "removed", admins)


def check_password(store: RunStore, name: str, password: str) -> Principal | None:
    """The user if the password is theirs, else None; as slow for an unknown name as for a
    wrong password (a hash is verified either way)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    if len(password) > MAX_PASSWORD_CHARS:
        return None
    with store.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hasher.hash(secrets.token_urlsafe(16)))
        stored = user.password_hash if user is not None else _DUMMY_HASH[0]
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None:
            return None
        if hasher.check_needs_rehash(stored):
            user.password_hash = hasher.hash(password)
        return Principal(user.name, Role(user.role), "password")


def make_token(store: RunStore, name: str, label: str = "") -> dict[str, Any]:
    """A new API token for a user: ``token`` (shown now only) and its ``id``."""
    token = "rv_" + secrets.token_urlsafe(32)
    with store.session() as s:
        user = _user(s, name)
        row = ApiToken(user_id=user.id, token_sha256=_sha256(token), label=label[:200])
        s.add(row)
        s.flush()
        return {"id": row.id, "user": user.name, "label": row.label, "token": token}


def tokens(store: RunStore, name: str | None = None) -> list[dict[str, Any]]:
    """The tokens (without their secret), of one user or all."""
    with store.session() as s:
        query = select(ApiToken, User.name).join(User).order_by(ApiToken.id)
        if name is not None:
            query = query.where(User.name == name)
        return [
            {
                "id": t.id,
                "user": user,
                "label": t.label,
                "created_at": t.created_at.isoformat(),
            }
            for t, user in s.execute(query)
        ]


def revoke_token(store: RunStore, token_id: int) -> None:
    with store.session() as s:
        if s.execute(delete(ApiToken).where(ApiToken.id == token_id)).rowcount == 0:  # type: ignore[attr-defined]
            raise NotFoundError(f"no token {token_id}")


def principal_of_token(store: RunStore, token: str) -> Principal | None:
    """The user an API token belongs to, or None."""
    with store.session() as s:
        found = s.execute(
            select(User.name, User.role)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_sha256 == _sha256(token))
        ).first()
    return None if found is None else Principal(found[0], Role(found[1]), "token")


def open_session(store: RunStore, name: str) -> tuple[str, str]:
    """Start a browser session for a user who logged in: (cookie value, CSRF token)."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    with store.session() as s:
        user = _user(s, name)
        s.execute(delete(WebSession).where(WebSession.expires_at < now))
        s.add(
            WebSession(
                user_id=user.id,
                token_sha256=_sha256(cookie),
                csrf_token=csrf,
                expires_at=now + _dt.timedelta(hours=SESSION_HOURS),
            )
        )
    return cookie, csrf


def principal_of_session(store: RunStore, cookie: str) -> Principal | None:
    """The user of a browser session that has not expired, with its CSRF token, or None."""
    with store.session() as s:
        found = s.execute(
            select(User.name, User.role, WebSession.csrf_token, WebSession.expires_at)
            .join(WebSession, WebSession.user_id == User.id)
            .where(WebSession.token_sha256 == _sha256(cookie))
        ).first()
    if found is None:
        return None
    expires = found[3] if found[3].tzinfo else found[3].replace(tzinfo=_dt.UTC)  # SQLite
    if expires < utcnow():
        return None
    return Principal(found[0], Role(found[1]), "session", found[2])


def close_session(store: RunStore, cookie: str) -> None:
    with store.session() as s:
        s.execute(delete(WebSession).where(WebSession.token_sha256 == _sha256(cookie)))
