"""The pages in a real browser (Playwright for Python driving Debian's Chromium through
``executable_path``; no browser is downloaded) against a real server with login: log in, pick
the Lund example, run it and watch its progress, open the report, run Barcelona and compare the
two; upload a folder with an error and see the located message; edit a scenario, see a typo
located beside its line as one types, and save the fix as a new version."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
"""Playwright's assertions wait for the page (a title read right after a click may see the
document before it loaded: CI saw ``''`` once)."""
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,  # two example years solved by a worker: a minute or more
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
    ),
]
PASSWORD = "correct horse battery"
GUARD_MS = 600_000
"""How long a run may take before the test gives up (a guard against hanging, not a timing)."""
STEP_MS = 120_000
"""And any other step."""

SEEN = """
window.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("status"), phase = document.getElementById("phase");
  if (!status || !phase) return;
  const record = () => {
    const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
    seen.push(status.textContent + "/" + phase.textContent);
    sessionStorage.setItem("seen", JSON.stringify(seen));
  };
  record();
  for (const el of [status, phase])
    new MutationObserver(record).observe(el, {childList: true, characterData: true, subtree: true});
});
"""
"""Records every status/phase the run page shows (across its reload at the end)."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``restvarme serve --auth`` on a free loopback port, with an editor ``ana``."""
    data = tmp_path_factory.mktemp("browser") / "data"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cli = [sys.executable, "-m", "restvarme.cli"]
    subprocess.run(
        [*cli, "users", "add", "ana", "--role", "editor", "--password-stdin", "--store", str(data)],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*cli, "users", "add", "root", "--role", "admin", "--password-stdin", "--store", str(data)],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [*cli, "serve", "--auth", "--port", str(port), "--data", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 120
        while time.monotonic() < end:
            try:
                if httpx.get(f"{base}/api/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


def _is_error(message) -> bool:
    """A console error, but not the browser's note of a failed request (those are recorded
    with their address by ``_failed``)."""
    return message.type == "error" and not message.text.startswith("Failed to load resource")


def _failed(response) -> str | None:
    """A request the app refused, but not a 422: the validate endpoint's answer for a scenario
    with problems, which the editor shows."""
    if response.status >= 400 and response.status != 422:
        return f"{response.status} {response.url}"
    return None


@pytest.fixture
def page(browser, server):
    """A page logged in as the editor; JavaScript errors and console errors are collected in
    ``page.errors`` and must stay empty."""
    context = browser.new_context(base_url=server)
    context.add_init_script(SEEN)
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if _is_error(m) else None)
    page.on("response", lambda r: page.errors.append(_failed(r)) if _failed(r) else None)
    page.goto("/")
    assert page.url.startswith(f"{server}/login?next=")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    assert page.inner_text("#user") == "ana (editor)"
    yield page
    context.close()


def _run_example(page, name: str) -> int:
    """Pick an example on the index, run it from its page, watch it to the end; its run id."""
    page.goto("/")
    page.click(f"form[action='/examples/{name}'] button")
    assert page.inner_text("#validation").startswith("ok: ")
    page.evaluate("sessionStorage.removeItem('seen')")
    page.click("button:has-text('Run it')")
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    run_id = int(re.search(r"/runs/(\d+)$", page.url).group(1))
    # the events turn the status to succeeded, then the page reloads with the summary
    page.locator("#summary").wait_for(timeout=GUARD_MS)
    page.wait_for_load_state()
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    assert seen[-1] == "succeeded/done"
    assert "running/solve" in seen  # pushed by the server-sent events while it ran
    return run_id


def test_pick_lund_run_watch_report_and_compare_with_barcelona(page):
    lund = _run_example(page, "lund")
    objective = page.request.get(f"/api/runs/{lund}").json()["objective_eur"]
    assert page.inner_text("#objective") == f"{objective:,.0f}"  # as the API has it
    assert (
        page.inner_text("#summary").strip()
        == page.request.get(f"/api/runs/{lund}/summary").json()["text"].strip()
    )
    page.click("#report")
    expect(page).to_have_title("Lund 2030")
    page.locator("div.chart .js-plotly-plot").first.wait_for()  # plotly drew a chart
    barcelona = _run_example(page, "barcelona")
    page.goto("/")
    page.check(f"input[aria-label='compare run {lund}']")
    page.check(f"input[aria-label='compare run {barcelona}']")
    page.click("button:has-text('Compare the runs ticked')")
    # as listed: newest first
    expect(page).to_have_title("Comparison: Barcelona 2030 vs Lund 2030")
    assert page.errors == []


def test_an_upload_with_an_error_shows_the_located_message(page):
    text = "name: broken\nyear: 2030\nlocation: {name: Lund, climate: lund}\ncarbon_prise: 90\n"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("broken/scenario.yaml", text)
    page.goto("/")
    page.fill("input[name=name]", "broken")
    page.set_input_files(
        "input[name=archive]",
        {"name": "broken.zip", "mimeType": "application/zip", "buffer": archive.getvalue()},
    )
    page.click("button:has-text('Upload and validate')")
    page.locator("#problems tr").first.wait_for()  # the next page has loaded
    rows = page.locator("#problems tr").all_inner_texts()
    assert any(row.startswith("scenario.yaml\t4\tcarbon_prise\t") for row in rows), rows
    assert page.errors == []


def test_editing_shows_a_typo_beside_its_line_and_saves_the_fix(page):
    page.goto("/")
    page.click("form[action='/examples/the_hague'] button")
    page.click("#edit")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('ok')")
    original = page.input_value("#text")
    lines = original.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("carbon_price_eur_per_t:"))
    typo = original.replace("carbon_price_eur_per_t:", "carbon_price_eur_per_tonne:", 1)
    page.fill("#text", typo)
    note = page.locator(".notes span.bad")
    note.wait_for()
    assert note.get_attribute("data-line") == str(at + 1)  # beside its line
    assert note.inner_text().startswith("● carbon_price_eur_per_tonne: ")
    assert page.locator(".gutter span.bad").inner_text() == str(at + 1)
    page.fill("#text", original.replace("carbon_price_eur_per_t: ", "carbon_price_eur_per_t: 1", 1))
    page.wait_for_function("document.getElementById('status').textContent.startsWith('ok')")
    assert page.locator(".notes span.bad").count() == 0
    page.fill("#message", "carbon price times ten plus")
    page.click("#save")
    page.wait_for_url(re.compile(r"/scenarios/the_hague\?version=\d+$"))
    assert "ana · carbon price times ten plus" in page.inner_text("p.muted")
    assert page.inner_text("#validation").startswith("ok: ")
    assert page.errors == []
