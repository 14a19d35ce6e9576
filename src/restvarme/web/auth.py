"""Who may do what in the web app: users with roles, API tokens, browser logins, CSRF tokens.

Without login (``create_app(auth=False)``, what ``restvarme serve`` does on loopback) every
request acts as the local user, with every right. With login (``serve --auth``, required to
listen beyond loopback) every route but ``/login``, ``/api/health`` and the API's own
description needs a user:

========  ==========================================================================
role      may
========  ==========================================================================
viewer    read: scenarios, versions, runs, results, reports, accounts, price lists
editor    and change: upload and edit scenarios, validate, start and cancel runs
admin     and manage users and their API tokens (the ``/users`` page, ``/api/users``,
          ``/api/tokens``); the last admin cannot be removed or demoted (409)
========  ==========================================================================

A request shows its user by ``Authorization: Bearer <token>`` (an API token, made by an admin
or ``restvarme users token``) or by the session cookie a browser gets at ``/login``. The cookie
is ``HttpOnly``, ``SameSite=Strict`` and, when the app is reached over HTTPS or started with
``--secure-cookies``, ``Secure``. A request made with the cookie that changes something must
carry the session's CSRF token, as the form field ``csrf_token`` (the pages put it in every
form) or the header ``X-CSRF-Token`` (the editor's script sends it): a page of another site
can make a browser send the cookie, never the token. Requests with a bearer token carry no
ambient credential and need none.

Failed logins lock out guessing (:mod:`restvarme.store.logins`): five wrong passwords for one
name, or twenty failures (passwords or unknown API tokens) from one address, within 15 minutes
are answered 429 with ``Retry-After`` until the oldest of them is 15 minutes old.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from restvarme.store import logins, users
from restvarme.store.models import Role
from restvarme.store.runs import RunStore
from restvarme.store.users import Principal
from restvarme.web.params import DbId

SESSION_COOKIE = "restvarme_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCAL = Principal("local", Role.admin, "local")
"""Who acts when the app runs without login (on loopback only)."""


class LoginRequired(Exception):
    """No valid token or session: the API answers 401, the pages send to ``/login``."""


def _store(request: Request) -> RunStore:
    store: RunStore = request.app.state.store
    return store


async def principal(request: Request) -> Principal | None:
    """The user a request shows (token or session cookie), or None."""
    if not request.app.state.auth:
        return LOCAL
    store = _store(request)
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return await run_in_threadpool(_token_principal, request, header[7:].strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return await run_in_threadpool(users.principal_of_session, store, cookie)
    return None


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: see
    :mod:`restvarme.store.logins`)."""
    return request.client.host if request.client else ""


def too_many(locked: logins.Lockout) -> HTTPException:
    """429 with ``Retry-After``: a locked-out name or address."""
    return HTTPException(429, locked.message, headers={"Retry-After": str(locked.retry_after_s)})


def _token_principal(request: Request, token: str) -> Principal | None:
    """The user of an API token, with the lockout of an address that has sent too many unknown
    ones (:mod:`restvarme.store.logins`; tokens have 256 random bits, so this stops no guess
    that could succeed, but it keeps a client that tries from hammering the store)."""
    store, address = _store(request), client_address(request)
    limits, now = request.app.state.login_limits, request.app.state.clock()
    if locked := logins.lockout(store, "", address, now, limits):
        raise too_many(locked)
    who = users.principal_of_token(store, token)
    if who is None:
        logins.record_failure(store, "", address, now, limits)
    return who


async def _check_csrf(request: Request, who: Principal) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            field = (await request.form()).get(CSRF_FIELD)
            sent = field if isinstance(field, str) else ""
    if not sent or not secrets.compare_digest(sent.encode(), who.csrf_token.encode()):
        raise HTTPException(
            403, "refused: a change made with a browser's login needs its CSRF token"
        )


def require(role: Role | None = None) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that lets a request through if its user has ``role`` (by default: a viewer
    to read with GET, an editor for anything else), and checks the CSRF token of a change made
    with a session cookie. Sets ``request.state.principal``."""

    async def authorise(request: Request) -> Principal:
        who = await principal(request)
        if who is None:
            raise LoginRequired()
        request.state.principal = who
        needed = role or (Role.viewer if request.method in SAFE_METHODS else Role.editor)
        if not who.role.allows(needed):
            raise HTTPException(
                403, f"forbidden: {who.name} is a {who.role.value}; this needs {needed.value}"
            )
        if who.via == "session" and request.method not in SAFE_METHODS:
            await _check_csrf(request, who)
        return who

    return authorise


authorised = Depends(require())
"""The routes' default: read as a viewer, change as an editor."""
admin_only = Depends(require(Role.admin))


def csrf_token(request: Request) -> str:
    """The CSRF token the pages put in their forms ("" without login)."""
    who = getattr(request.state, "principal", None)
    return who.csrf_token if who is not None else ""


# -- login pages -------------------------------------------------------------------------------

login_router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Where to go after login: a path of this app only (never ``//host`` or a URL)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@login_router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    from restvarme.web.pages import page

    return page(request, "login.html", next=_safe_next(next), error="")


@login_router.post("/login")
async def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=users.MAX_PASSWORD_CHARS)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check a name and password; on success set the session cookie and go on to ``next``.
    A name or address with too many failed logins is refused (429, :mod:`restvarme.store.logins`)
    without checking the password; a failure is counted, a success clears the name's."""
    from restvarme.web.pages import page

    store = _store(request)
    if not request.app.state.auth:
        return RedirectResponse(_safe_next(next), 303)
    address, limits = client_address(request), request.app.state.login_limits
    now = request.app.state.clock()
    locked = await run_in_threadpool(logins.lockout, store, name, address, now, limits)
    if locked:
        refused = page(request, "login.html", 429, next=_safe_next(next), error=locked.message)
        refused.headers["Retry-After"] = str(locked.retry_after_s)
        return refused
    who = await run_in_threadpool(users.check_password, store, name, password)
    if who is None:
        await run_in_threadpool(logins.record_failure, store, name, address, now, limits)
        return page(
            request, "login.html", 401, next=_safe_next(next), error="wrong name or password"
        )
    await run_in_threadpool(logins.clear_failures, store, who.name)
    cookie, _csrf = await run_in_threadpool(users.open_session, store, who.name)
    response = RedirectResponse(_safe_next(next), 303)
    secure = request.app.state.secure_cookies or request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=users.SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )
    return response


@login_router.post("/logout")
async def logout(
    request: Request, who: Annotated[Principal, Depends(require(Role.viewer))]
) -> Response:
    """End the browser's session (a viewer may log out: it changes nothing but the session)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        await run_in_threadpool(users.close_session, _store(request), cookie)
    response = RedirectResponse("/login", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- users and tokens (admins) -----------------------------------------------------------------

users_router = APIRouter(prefix="/api", tags=["users"])


class UserOut(BaseModel):
    name: str
    role: Role
    created_at: str


class UserIn(BaseModel):
    name: str = Field(pattern=r"^[\w][\w.-]{0,63}$")
    password: str = Field(min_length=users.MIN_PASSWORD_CHARS, max_length=users.MAX_PASSWORD_CHARS)
    role: Role


class UserChange(BaseModel):
    role: Role | None = None
    password: str | None = Field(
        None, min_length=users.MIN_PASSWORD_CHARS, max_length=users.MAX_PASSWORD_CHARS
    )


class Refusal(BaseModel):
    detail: str


CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": Refusal, "description": "A name taken, or the last admin"}
}
"""What the user routes answer when the store refuses: a user of that name exists, or the change
would leave no admin."""


class TokenIn(BaseModel):
    label: str = Field("", max_length=200)


class TokenOut(BaseModel):
    id: int
    user: str
    label: str
    created_at: str | None = None
    token: str | None = Field(None, description="The token itself: shown once, when made")


class Me(BaseModel):
    name: str
    role: Role
    via: str = Field(description="token, session or local (no login, on loopback)")


@users_router.get("/me", response_model=Me)
def me(who: Annotated[Principal, Depends(require(Role.viewer))]) -> dict[str, Any]:
    """Who the request is made by."""
    return {"name": who.name, "role": who.role, "via": who.via}


@users_router.get("/users", response_model=list[UserOut], dependencies=[admin_only])
def list_users(request: Request) -> list[dict[str, Any]]:
    """Every user and their role."""
    return users.users(_store(request))


@users_router.post(
    "/users",
    response_model=UserOut,
    status_code=201,
    dependencies=[admin_only],
    responses=CONFLICT,
)
def add_user(request: Request, body: UserIn) -> dict[str, Any]:
    """Add a user with a password (hashed with argon2id) and a role."""
    return users.add_user(_store(request), body.name, body.password, body.role.value)


@users_router.patch(
    "/users/{name}", response_model=UserOut, dependencies=[admin_only], responses=CONFLICT
)
def change_user(request: Request, name: str, body: UserChange) -> dict[str, Any]:
    """Change a user's role or password (a new password ends their browser sessions). The
    last admin cannot be made viewer or editor (409): make another admin first."""
    store = _store(request)
    if body.role is not None:  # first: if it is refused, the password is not changed either
        users.set_role(store, name, body.role.value)
    if body.password is not None:
        users.set_password(store, name, body.password)
    return users.user(store, name)


@users_router.delete(
    "/users/{name}", status_code=204, dependencies=[admin_only], responses=CONFLICT
)
def remove_user(request: Request, name: str) -> Response:
    """Remove a user, their tokens and sessions (never the last admin: 409)."""
    users.remove_user(_store(request), name)
    return Response(status_code=204)


@users_router.get("/tokens", response_model=list[TokenOut], dependencies=[admin_only])
def list_tokens(request: Request) -> list[dict[str, Any]]:
    """Every API token, without its secret."""
    return users.tokens(_store(request))


@users_router.post(
    "/users/{name}/tokens", response_model=TokenOut, status_code=201, dependencies=[admin_only]
)
def make_token(request: Request, name: str, body: TokenIn) -> dict[str, Any]:
    """A new API token for a user; the answer holds the token, shown this once."""
    return users.make_token(_store(request), name, body.label)


@users_router.delete("/tokens/{token_id}", status_code=204, dependencies=[admin_only])
def revoke_token(request: Request, token_id: DbId) -> Response:
    """Revoke an API token."""
    users.revoke_token(_store(request), token_id)
    return Response(status_code=204)


__all__ = [
    "CSRF_FIELD",
    "LOCAL",
    "SESSION_COOKIE",
    "LoginRequired",
    "authorised",
    "csrf_token",
    "login_router",
    "require",
    "users_router",
]
