"""The server-rendered pages: upload through a form, located problems shown (escaped), a run's
page watching its events, and cross-site posts refused."""

from __future__ import annotations

from web_helpers import boiler_scenario, yaml_bytes

from tiny_scenarios import SCENARIO_YAML


def test_index_offers_the_examples_and_an_upload_form(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<form class="inline" method="post" action="/examples/lund">' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from elsewhere


def test_an_upload_with_problems_shows_them_located_and_escaped(client):
    text = SCENARIO_YAML + '"<script>alert(1)</script>": 1\n'
    line = text.splitlines().index('"<script>alert(1)</script>": 1') + 1
    sent = client.post(
        "/scenarios",
        data={"name": "bad", "author": "", "message": ""},
        files=[("files", ("bad/scenario.yaml", text.encode()))],
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"].startswith("/scenarios/bad?version=")
    page = client.get(sent.headers["location"])
    assert '<p class="bad" id="validation">1 problem(s)' in page.text
    assert f"<td>scenario.yaml</td><td>{line}</td>" in page.text
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_refused_upload_is_shown_on_the_index(client):
    page = client.post(
        "/scenarios",
        data={"name": "evil"},
        files=[("files", ("../scenario.yaml", b"name: a\n"))],
    )
    assert page.status_code == 422
    assert "&#39;..&#39; and &#39;.&#39; are not allowed in paths" in page.text


def test_a_run_page_watches_its_events(client):
    store = client.app.state.store
    version = store.add_version("tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    run_id = store.create_run(version)  # queued; no worker takes it in this test
    page = client.get(f"/runs/{run_id}")
    assert '<strong id="status">queued</strong>' in page.text
    assert f'new EventSource("/api/runs/{run_id}/events")' in page.text


def test_posts_from_another_site_are_refused(client):
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = client.post("/examples/lund", headers=headers)
        assert refused.status_code == 403
        refused = client.post("/api/runs", json={"scenario": "lund"}, headers=headers)
        assert refused.status_code == 403
    assert client.get("/api/scenarios").json() == []
    same = client.post(
        "/examples/the_hague", headers={"Origin": "http://testserver"}, follow_redirects=False
    )
    assert same.status_code == 303
