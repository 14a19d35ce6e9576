"""Login, roles, API tokens and CSRF tokens (issue 16, "Security"): each role's allowed and
denied routes, browser sessions with their CSRF token, secrets kept only as hashes, and
``restvarme serve`` refusing to share an app without login."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select
from typer.testing import CliRunner
from web_helpers import boiler_scenario, yaml_bytes

from restvarme.cli import app as cli_app
from restvarme.store import users
from restvarme.store.models import ApiToken, User

PASSWORD = "correct horse battery"


@pytest.fixture
def secured(make_client):
    """An app with login, its store holding one user of each role, and a token for each."""
    client = make_client(workers=1, max_waiting=2, auth=True)
    store = client.app.state.store
    tokens = {}
    for role in ("viewer", "editor", "admin"):
        users.add_user(store, role, PASSWORD, role)
        tokens[role] = users.make_token(store, role, "test")["token"]
    version = store.add_version("tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    run_id = store.create_run(version)  # queued: the worker pool takes runs it is given only
    return client, tokens, version, run_id


def _as(token: str | None) -> dict[str, str]:
    return {} if token is None else {"Authorization": f"Bearer {token}"}


# (method, path, the least role that may, the status it then gets)
ROUTES = [
    ("GET", "/api/scenarios", "viewer", 200),
    ("GET", "/api/versions/{version}", "viewer", 200),
    ("GET", "/api/runs", "viewer", 200),
    ("GET", "/api/runs/{run}", "viewer", 200),
    ("GET", "/api/me", "viewer", 200),
    ("GET", "/", "viewer", 200),
    ("GET", "/scenarios/tiny", "viewer", 200),
    ("POST", "/api/versions/{version}/validate", "editor", 200),
    ("POST", "/api/examples/the_hague", "editor", 201),
    ("POST", "/api/versions/{version}/edit", "editor", 201),
    ("GET", "/scenarios/tiny/edit", "viewer", 200),
    ("POST", "/api/runs/{run}/cancel", "editor", 200),
    ("GET", "/api/users", "admin", 200),
    ("GET", "/users", "admin", 200),
    ("GET", "/api/tokens", "admin", 200),
    ("POST", "/api/users/viewer/tokens", "admin", 201),
]
RANK = {"viewer": 0, "editor": 1, "admin": 2}


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_each_role_gets_its_routes_and_is_refused_the_others(secured, role):
    client, tokens, version, run_id = secured
    for method, path, least, allowed in ROUTES:
        url = path.format(version=version, run=run_id)
        body = {"files": {}} if path.endswith("/edit") else {} if path.endswith("/tokens") else None
        answer = client.request(method, url, headers=_as(tokens[role]), json=body)
        expected = allowed if RANK[role] >= RANK[least] else 403
        assert answer.status_code == expected, (role, method, url, answer.text)
        if expected == 403:
            assert answer.json()["detail"] == f"forbidden: {role} is a {role}; this needs {least}"


def test_without_a_user_the_api_answers_401_and_the_pages_send_to_login(secured):
    client, _tokens, _version, run_id = secured
    for headers in ({}, _as("rv_not-a-token")):
        answer = client.get(f"/api/runs/{run_id}", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        assert client.post("/api/examples/lund", headers=headers).status_code == 401
    page = client.get("/scenarios/tiny?version=1", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fscenarios%2Ftiny%3Fversion%3D1"
    assert client.get("/api/health").status_code == 200  # open: a load balancer's check
    assert client.get("/login").status_code == 200
    assert client.app.state.store.scenarios()[0]["name"] == "tiny"  # nothing stored by them


def test_a_revoked_token_and_a_removed_user_let_no_one_in(secured):
    client, tokens, _version, _run = secured
    admin = _as(tokens["admin"])
    (listed,) = [
        t for t in client.get("/api/tokens", headers=admin).json() if t["user"] == "editor"
    ]
    assert "token" not in listed or listed["token"] is None  # the secret is shown once only
    assert client.delete(f"/api/tokens/{listed['id']}", headers=admin).status_code == 204
    assert client.get("/api/runs", headers=_as(tokens["editor"])).status_code == 401
    assert client.delete("/api/users/viewer", headers=admin).status_code == 204
    assert client.get("/api/runs", headers=_as(tokens["viewer"])).status_code == 401
    last = client.delete("/api/users/admin", headers=admin)
    assert last.status_code == 409
    assert last.json()["detail"] == (
        "'admin' is the last admin and cannot be removed: make another admin first"
    )


def test_an_admin_adds_a_user_whose_new_token_works_with_its_role(secured):
    client, tokens, _version, _run = secured
    admin = _as(tokens["admin"])
    added = client.post(
        "/api/users", headers=admin, json={"name": "ana", "password": PASSWORD, "role": "editor"}
    )
    assert added.status_code == 201 and added.json()["role"] == "editor"
    short = client.post(
        "/api/users", headers=admin, json={"name": "bo", "password": "short", "role": "viewer"}
    )
    assert short.status_code == 422  # fewer than 10 characters
    assert client.patch("/api/users/nobody", headers=admin, json={}).status_code == 404
    unchanged = client.patch("/api/users/ana", headers=admin, json={})
    assert unchanged.status_code == 200 and unchanged.json()["role"] == "editor"
    token = client.post("/api/users/ana/tokens", headers=admin, json={"label": "laptop"})
    me = client.get("/api/me", headers=_as(token.json()["token"])).json()
    assert me == {"name": "ana", "role": "editor", "via": "token"}


@pytest.mark.real_password_hashes
def test_the_store_hashes_with_rfc_9106s_second_recommended_option():
    # RFC 9106 (Argon2), section 4, second recommended option: argon2id with 3 passes over
    # 64 MiB (m = 2^16 KiB) and 4 lanes; the PHC string records them. The other tests of the
    # web app hash at the lowest cost (tests/web/conftest.py), so this one pins the real cost.
    hashed = users.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), hashed
    assert users._hasher().verify(hashed, PASSWORD)


def test_passwords_and_tokens_are_stored_as_hashes_only(secured):
    client, tokens, _version, _run = secured
    store = client.app.state.store
    with store.session() as s:
        hashed = s.scalar(select(User.password_hash).where(User.name == "editor"))
        kept = set(s.scalars(select(ApiToken.token_sha256)))
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert hashlib.sha256(tokens["editor"].encode()).hexdigest() in kept
    assert tokens["editor"] not in kept
    assert users.check_password(store, "editor", PASSWORD).role == "editor"
    assert users.check_password(store, "editor", PASSWORD + "!") is None
    assert users.check_password(store, "nobody", PASSWORD) is None


def _csrf(page_text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_text).group(1)


def test_a_browser_logs_in_and_its_changes_need_the_csrf_token(secured):
    client, _tokens, _version, _run = secured
    wrong = client.post("/login", data={"name": "editor", "password": "wrong password"})
    assert wrong.status_code == 401 and "wrong name or password" in wrong.text
    logged = client.post(
        "/login",
        data={"name": "editor", "password": PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert logged.status_code == 303
    assert logged.headers["location"] == "/"  # never to another site
    cookie = logged.headers["set-cookie"]
    assert cookie.startswith("restvarme_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    index = client.get("/")
    assert '<span class="muted" id="user">editor (editor)</span>' in index.text
    token = _csrf(index.text)
    without = client.post("/examples/the_hague", follow_redirects=False)
    assert without.status_code == 403
    assert without.json()["detail"].startswith("refused: a change made with a browser's login")
    forged = client.post("/examples/the_hague", data={"csrf_token": "x" * 43})
    assert forged.status_code == 403
    done = client.post("/examples/the_hague", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    by_header = client.post("/api/examples/barcelona", headers={"X-CSRF-Token": token})
    assert by_header.status_code == 201
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert client.get("/", follow_redirects=False).status_code == 303  # logged out


def test_a_viewer_logged_in_may_read_but_not_run(secured):
    client, _tokens, version, _run = secured
    client.post("/login", data={"name": "viewer", "password": PASSWORD})
    token = _csrf(client.get("/").text)
    assert client.get(f"/scenarios/tiny?version={version}").status_code == 200
    refused = client.post(f"/versions/{version}/run", data={"csrf_token": token})
    assert refused.status_code == 403


def test_secure_cookies_when_asked(make_client):
    client = make_client(auth=True, secure_cookies=True)
    users.add_user(client.app.state.store, "ana", PASSWORD, "admin")
    logged = client.post(
        "/login", data={"name": "ana", "password": PASSWORD}, follow_redirects=False
    )
    assert "Secure" in logged.headers["set-cookie"]


def test_serve_refuses_to_share_the_app_without_login_or_without_an_admin(tmp_path):
    runner = CliRunner()
    refused = runner.invoke(cli_app, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path)])
    assert refused.exit_code == 2
    assert "without login the app listens on this machine only" in refused.output
    no_admin = runner.invoke(
        cli_app, ["serve", "--host", "0.0.0.0", "--auth", "--data", str(tmp_path)]
    )
    assert no_admin.exit_code == 2
    assert "the store has no admin to log in as" in no_admin.output


def test_users_commands_add_list_and_make_a_token(tmp_path):
    runner = CliRunner()
    store = ["--store", str(tmp_path)]
    added = runner.invoke(
        cli_app,
        ["users", "add", "ana", "--role", "admin", "--password-stdin", *store],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    assert "Added ana (admin)" in added.output
    made = runner.invoke(cli_app, ["users", "token", "ana", "--label", "ci", *store])
    assert made.exit_code == 0
    token = made.output.strip()
    from restvarme.store import RunStore

    s = RunStore(tmp_path)
    assert users.principal_of_token(s, token).name == "ana"
    s.close()
    listed = runner.invoke(cli_app, ["users", "list", *store])
    assert "│ ana  │ admin │ 1 ci" in listed.output
    bad = runner.invoke(
        cli_app,
        ["users", "add", "bo", "--role", "boss", "--password-stdin", *store],
        input=PASSWORD + "\n",
    )
    assert bad.exit_code == 2
    assert "role 'boss': expected one of viewer, editor, admin" in bad.output
