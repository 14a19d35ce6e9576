"""Editing a scenario in the browser: the validate endpoint checks edited text without storing
it and locates its problems by line; saving stores a new version with its author and message;
the editor page and its script are served by the app."""

from __future__ import annotations

from web_helpers import boiler_scenario, upload, yaml_bytes

SPOT = b"hour,price\n0,40\n1,40\n2,40\n3,40\n"


def _tiny(client) -> tuple[dict, str]:
    data = boiler_scenario()
    data["electricity"] = {"price_eur_per_mwh": "series/spot.csv", "export_allowed": False}
    text = yaml_bytes(data).decode()
    version = upload(client, "tiny", {"scenario.yaml": text.encode(), "series/spot.csv": SPOT})
    return version, text


def test_validate_checks_edited_text_without_storing_it(client):
    version, text = _tiny(client)
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "capacity_mw" in line)
    lines[at] = lines[at].replace("capacity_mw", "capacity_mww")
    edited = "\n".join(lines) + "\n"
    url = f"/api/versions/{version['id']}/validate"
    for quick in (True, False):
        answer = client.post(url, json={"files": {"scenario.yaml": edited}, "quick": quick})
        assert answer.status_code == 422
        (problem,) = answer.json()["problems"]
        assert (problem["file"], problem["line"]) == ("scenario.yaml", at + 1)  # 1-based
        assert problem["key_path"] == "units[0].capacity_mww"
        assert problem["suggestion"] == "capacity_mw"
    fine = client.post(url, json={"files": {"scenario.yaml": text}, "quick": True})
    assert fine.status_code == 200 and fine.json()["ok"]
    assert fine.json()["summary"].endswith("scenario and series checked")
    full = client.post(url, json={"files": {"scenario.yaml": text}})
    assert full.status_code == 200 and "1 unit(s)" in full.json()["summary"]
    assert [len(s["versions"]) for s in client.get("/api/scenarios").json()] == [1]


def test_a_bad_series_edit_is_located_by_its_key_and_line(client):
    version, _text = _tiny(client)
    answer = client.post(
        f"/api/versions/{version['id']}/validate",
        json={"files": {"series/spot.csv": "hour,price\n0,40\n1,forty\n2,40\n3,40\n"}},
    )
    assert answer.status_code == 422
    (problem,) = answer.json()["problems"]
    # located at the key naming the series, and in the series file by line and column
    assert (problem["file"], problem["key_path"]) == (
        "scenario.yaml",
        "electricity.price_eur_per_mwh",
    )
    assert problem["message"] == (
        "series file 'series/spot.csv' line 3 (data row 2), column 'price': got 'forty'; "
        "expected a number"
    )


def test_only_files_of_the_version_may_be_edited(client):
    version, text = _tiny(client)
    for path in ("other.yaml", "../scenario.yaml", "/etc/passwd"):
        answer = client.post(
            f"/api/versions/{version['id']}/validate", json={"files": {path: text}}
        )
        assert answer.status_code == 422
        assert answer.json()["detail"].endswith(f"not a file of version {version['id']}")
    big = client.post(
        f"/api/versions/{version['id']}/edit",
        json={"files": {"scenario.yaml": "#" * (1024 * 1024 + 1)}},
    )
    assert big.status_code == 413


def test_saving_an_edit_stores_a_new_version_with_author_and_message(client):
    version, text = _tiny(client)
    edited = text.replace("capacity_mw: 20", "capacity_mw: 25")
    assert edited != text
    saved = client.post(
        f"/api/versions/{version['id']}/edit",
        json={"files": {"scenario.yaml": edited}, "author": "ana", "message": "a larger boiler"},
    )
    assert saved.status_code == 201, saved.text
    new = saved.json()
    assert new["id"] != version["id"] and new["created"]
    assert (new["scenario"], new["author"], new["message"]) == ("tiny", "ana", "a larger boiler")
    assert new["validation"]["ok"]
    old_files = {f["path"]: f["sha256"] for f in version["files"]}
    new_files = {f["path"]: f["sha256"] for f in new["files"]}
    assert new_files["series/spot.csv"] == old_files["series/spot.csv"]  # kept as it was
    assert new_files["scenario.yaml"] != old_files["scenario.yaml"]
    stored = client.get(f"/api/versions/{new['id']}/files/scenario.yaml").text
    assert stored == edited


def test_the_editor_page_and_its_script_are_served_offline(client):
    version, _text = _tiny(client)
    page = client.get(f"/scenarios/tiny/edit?version={version['id']}")
    assert page.status_code == 200
    assert '<script type="module" src="/static/editor.js"></script>' in page.text
    assert 'data-file="scenario.yaml"' in page.text
    assert (
        '<textarea id="text" spellcheck="false" wrap="off" aria-label="scenario.yaml">name: '
        in page.text
    )
    assert "http://" not in page.text and "https://" not in page.text
    script = client.get("/static/editor.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert "/api/versions/${version}/validate" in script.text
    assert "http" not in script.text  # nothing fetched from elsewhere
    missing = client.get(f"/scenarios/tiny/edit?version={version['id']}&file=nope.yaml")
    assert missing.status_code == 404


def test_a_logged_in_editor_saves_under_their_own_name(make_client):
    from restvarme.store import users

    client = make_client(auth=True)
    store = client.app.state.store
    users.add_user(store, "ana", "correct horse battery", "editor")
    token = users.make_token(store, "ana")["token"]
    version = store.add_version("tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})
    saved = client.post(
        f"/api/versions/{version['id']}/edit",
        headers={"Authorization": f"Bearer {token}"},
        json={"files": {"scenario.yaml": "name: x\n"}, "author": "someone else", "message": "m"},
    )
    assert saved.status_code == 201
    assert saved.json()["author"] == "ana"
    assert not saved.json()["validation"]["ok"]  # stored even so: a version may have problems
