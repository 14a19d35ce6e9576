"""The users page (``/users``, admins only): every user with their role, and forms to add a
user, change a role, reset a password and remove a user.

The forms post to this app with the session's CSRF token (:mod:`restvarme.web.auth` checks it
before a handler runs) and go back to the page (303) when done; a change the store refuses is
shown on the page with its status: 409 for the last admin or a name taken, 404 for no such
user, 422 for a bad name, role or password. The same changes are in the API (``/api/users``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from restvarme.store import users
from restvarme.store.models import Role
from restvarme.store.runs import ConflictError, NotFoundError, RunStore, StoreError

router = APIRouter(include_in_schema=False)
"""The page's routes; :func:`restvarme.web.app.create_app` lets admins only through."""

Password = Annotated[str, Form(max_length=users.MAX_PASSWORD_CHARS)]
RoleField = Annotated[str, Form(max_length=16)]


def _store(request: Request) -> RunStore:
    store: RunStore = request.app.state.store
    return store


def _page(request: Request, error: str = "", status_code: int = 200) -> HTMLResponse:
    from restvarme.web.pages import page

    return page(
        request,
        "users.html",
        status_code,
        users=users.users(_store(request)),
        roles=[r.value for r in Role],
        min_password_chars=users.MIN_PASSWORD_CHARS,
        error=error,
    )


def status_of(error: StoreError) -> int:
    """The HTTP status of a refused change, as the API's."""
    if isinstance(error, NotFoundError):
        return 404
    return 409 if isinstance(error, ConflictError) else 422


def _change(request: Request, change: Callable[[RunStore], Any]) -> Response:
    try:
        change(_store(request))
    except StoreError as error:
        return _page(request, str(error), status_of(error))
    return RedirectResponse("/users", 303)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request) -> HTMLResponse:
    return _page(request)


@router.post("/users")
def add(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Password,
    role: RoleField,
) -> Response:
    return _change(request, lambda s: users.add_user(s, name, password, role))


@router.post("/users/{name}/role")
def change_role(request: Request, name: str, role: RoleField) -> Response:
    return _change(request, lambda s: users.set_role(s, name, role))


@router.post("/users/{name}/password")
def reset_password(request: Request, name: str, password: Password) -> Response:
    """A new password for a user (ends their browser sessions)."""
    return _change(request, lambda s: users.set_password(s, name, password))


@router.post("/users/{name}/remove")
def remove(request: Request, name: str) -> Response:
    return _change(request, lambda s: users.remove_user(s, name))
