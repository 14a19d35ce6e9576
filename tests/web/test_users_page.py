"""The users page and the user API for admins (issue 16, "admin: users"): who may reach them,
adding, changing a role, resetting a password and removing a user through the page's forms
(with the session's CSRF token), the last admin kept, and a new password taking effect."""

from __future__ import annotations

import re

import pytest

from restvarme.store import users
from restvarme.store.models import Role

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple in the battery"


@pytest.fixture
def app_with_users(make_client):
    """An app with login; one user of each role (named by it) and an API token for each."""
    client = make_client(auth=True)
    store = client.app.state.store
    tokens = {}
    for role in ("viewer", "editor", "admin"):
        users.add_user(store, role, PASSWORD, role)
        tokens[role] = {"Authorization": f"Bearer {users.make_token(store, role)['token']}"}
    return client, tokens


def _log_in(client, name: str, password: str = PASSWORD) -> str:
    """Log a browser in; return the CSRF token its pages carry."""
    logged = client.post(
        "/login", data={"name": name, "password": password}, follow_redirects=False
    )
    assert logged.status_code == 303, logged.text
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def _roles(page_text: str) -> dict[str, str]:
    """The users table of the page: name -> role."""
    rows = re.findall(r'<td class="name">([^<]+)</td><td class="role">([^<]+)</td>', page_text)
    return dict(rows)


def test_only_admins_reach_the_users_page_and_the_user_api(app_with_users):
    client, tokens = app_with_users
    body = {"name": "ana", "password": PASSWORD, "role": "viewer"}
    for role in ("viewer", "editor"):
        refused = {
            "page": client.get("/users", headers=tokens[role]),
            "page form": client.post("/users", headers=tokens[role], data=body),
            "list": client.get("/api/users", headers=tokens[role]),
            "add": client.post("/api/users", headers=tokens[role], json=body),
            "change": client.patch("/api/users/viewer", headers=tokens[role], json={}),
            "remove": client.delete("/api/users/viewer", headers=tokens[role]),
        }
        for what, answer in refused.items():
            assert answer.status_code == 403, (role, what, answer.text)
            assert answer.json()["detail"] == f"forbidden: {role} is a {role}; this needs admin"
    page = client.get("/users", headers=tokens["admin"])
    assert page.status_code == 200
    assert _roles(page.text) == {"admin": "admin", "editor": "editor", "viewer": "viewer"}
    assert client.get("/api/users", headers=tokens["admin"]).status_code == 200
    assert client.get("/api/users").status_code == 401  # no login
    assert {u["name"] for u in users.users(client.app.state.store)} == {
        "admin",
        "editor",
        "viewer",
    }  # nothing added by the refused requests


def test_the_header_links_the_users_page_for_admins_only(app_with_users):
    client, tokens = app_with_users
    link = '<a href="/users" id="users-link">users</a>'
    assert link in client.get("/", headers=tokens["admin"]).text
    assert link not in client.get("/", headers=tokens["editor"]).text


def test_an_admin_adds_changes_resets_and_removes_a_user_on_the_page(app_with_users):
    client, _tokens = app_with_users
    csrf = _log_in(client, "admin")
    form = {"csrf_token": csrf}
    without_token = client.post(
        "/users", data={"name": "ana", "password": PASSWORD, "role": "editor"}
    )
    assert without_token.status_code == 403  # the CSRF token is checked before anything
    added = client.post(
        "/users",
        data={**form, "name": "ana", "password": PASSWORD, "role": "editor"},
        follow_redirects=False,
    )
    assert (added.status_code, added.headers["location"]) == (303, "/users")
    assert _roles(client.get("/users").text)["ana"] == "editor"
    again = client.post("/users", data={**form, "name": "ana", "password": PASSWORD, "role": "x"})
    assert again.status_code == 422  # the role is checked first
    assert "role &#39;x&#39;: expected one of viewer, editor, admin" in again.text
    taken = client.post(
        "/users", data={**form, "name": "ana", "password": PASSWORD, "role": "viewer"}
    )
    assert taken.status_code == 409
    assert "there is already a user &#39;ana&#39;" in taken.text
    short = client.post("/users/ana/password", data={**form, "password": "short"})
    assert short.status_code == 422 and "a password has 10 to 1024 characters" in short.text

    changed = client.post(
        "/users/ana/role", data={**form, "role": "viewer"}, follow_redirects=False
    )
    assert changed.status_code == 303
    assert _roles(client.get("/users").text)["ana"] == "viewer"
    reset = client.post(
        "/users/ana/password", data={**form, "password": NEW_PASSWORD}, follow_redirects=False
    )
    assert reset.status_code == 303
    assert users.check_password(client.app.state.store, "ana", PASSWORD) is None
    assert users.check_password(client.app.state.store, "ana", NEW_PASSWORD).role == "viewer"
    unknown = client.post("/users/nobody/remove", data=form)
    assert unknown.status_code == 404 and "no user &#39;nobody&#39;" in unknown.text
    removed = client.post("/users/ana/remove", data=form, follow_redirects=False)
    assert removed.status_code == 303
    assert "ana" not in _roles(client.get("/users").text)


def test_the_last_admin_is_neither_removed_nor_demoted(app_with_users):
    client, tokens = app_with_users
    admin = tokens["admin"]
    message = "'admin' is the last admin and cannot be {}: make another admin first"
    removed = client.delete("/api/users/admin", headers=admin)
    assert removed.status_code == 409
    assert removed.json()["detail"] == message.format("removed")
    demoted = client.patch(
        "/api/users/admin", headers=admin, json={"role": "editor", "password": NEW_PASSWORD}
    )
    assert demoted.status_code == 409
    assert demoted.json()["detail"] == message.format("made editor")
    store = client.app.state.store
    assert users.check_password(store, "admin", PASSWORD) is not None  # nothing changed

    csrf = _log_in(client, "admin")
    on_page = client.post("/users/admin/role", data={"csrf_token": csrf, "role": "viewer"})
    assert on_page.status_code == 409
    assert message.format("made viewer").replace("'", "&#39;") in on_page.text
    assert client.post("/users/admin/remove", data={"csrf_token": csrf}).status_code == 409
    assert _roles(client.get("/users").text)["admin"] == "admin"

    # with a second admin, the first may go: one admin is left
    assert (
        client.patch("/api/users/editor", headers=admin, json={"role": "admin"}).status_code == 200
    )
    assert client.delete("/api/users/admin", headers=tokens["editor"]).status_code == 204
    assert users.count_users(store, Role.admin) == 1


def test_a_new_password_takes_effect_and_ends_the_users_browser_login(app_with_users):
    client, tokens = app_with_users
    _log_in(client, "editor")
    assert client.get("/api/me").json() == {"name": "editor", "role": "editor", "via": "session"}
    changed = client.patch(
        "/api/users/editor", headers=tokens["admin"], json={"password": NEW_PASSWORD}
    )
    assert changed.status_code == 200 and changed.json()["role"] == "editor"
    assert client.get("/api/me").status_code == 401  # the session the old password opened ended
    old = client.post("/login", data={"name": "editor", "password": PASSWORD})
    assert old.status_code == 401 and "wrong name or password" in old.text
    _log_in(client, "editor", NEW_PASSWORD)
    assert client.get("/api/me").json()["via"] == "session"


def test_a_store_without_admins_may_keep_having_none(make_client):
    # without login the app acts as the local admin; its store may hold no admin at all
    client = make_client()
    store = client.app.state.store
    users.add_user(store, "ana", PASSWORD, "editor")
    changed = client.post("/users/ana/role", data={"role": "viewer"}, follow_redirects=False)
    assert changed.status_code == 303
    assert users.user(store, "ana")["role"] == "viewer"


def test_the_last_admin_is_kept_on_sqlite_and_postgresql(tmp_path, store_url):
    from restvarme.store import RunStore
    from restvarme.store.runs import ConflictError

    store = RunStore(tmp_path, store_url)
    users.add_user(store, "ana", PASSWORD, "admin")
    users.add_user(store, "bo", PASSWORD, "editor")
    with pytest.raises(ConflictError, match="'ana' is the last admin and cannot be made viewer"):
        users.set_role(store, "ana", "viewer")
    with pytest.raises(ConflictError, match="'ana' is the last admin and cannot be removed"):
        users.remove_user(store, "ana")
    assert users.user(store, "ana")["role"] == "admin"  # rolled back
    users.set_role(store, "bo", "admin")
    users.remove_user(store, "ana")  # bo is an admin now
    assert [(u["name"], u["role"]) for u in users.users(store)] == [("bo", "admin")]
    store.close()
