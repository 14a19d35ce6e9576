"""Every figure the CLI prints is reachable through the API: each answer's ``text`` is what the
command prints for the same run folder, and the supplier's pages show the value of waste heat
and a price list."""

from __future__ import annotations

import html

import pytest
from typer.testing import CliRunner

import restvarme
from restvarme.cli import app as cli_app
from restvarme.results.io import resolved_scenario_json, write_results
from tiny_scenarios import GAS_BOILER, make_scenario

HEAT_PUMP = {"name": "hp", "type": "heat_pump", "source": "w", "sink": "main", "capacity_mw": 3}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """(objective, folder) of a run of a tiny scenario with a waste-heat source, its folder as
    the CLI writes it; solved once for the module (the tests read the folder, the store copies
    it)."""
    tmp_path = tmp_path_factory.mktemp("figures")
    sf = make_scenario(
        tmp_path,
        waste_heat={"w": {"available_mw": 3, "temperature_c": 28}},
        units=[GAS_BOILER, HEAT_PUMP],
    )
    ds = restvarme.run(sf)
    folder = write_results(ds, tmp_path / "cli", resolved_scenario_json(sf))
    return ds.attrs["objective_eur"], folder


@pytest.fixture
def stored_run(client, cli_run):
    """The module's run (:func:`cli_run`), recorded in the client's store as ``restvarme run
    --store`` records one; its folder as the CLI wrote it."""
    objective_eur, folder = cli_run
    store = client.app.state.store
    version = store.add_version("tiny", {"scenario.yaml": b"name: tiny\n"})["id"]
    run_id = store.create_run(version)
    store.claim(run_id)
    store.finish(run_id, folder, objective_eur=objective_eur, timings={}, solver_seconds=None)
    return run_id, folder


def _cli(*args: str) -> str:
    done = CliRunner().invoke(cli_app, list(args))
    assert done.exit_code == 0, done.output
    return done.output


@pytest.mark.slow  # a CLI run beside the web app's (steps: this file's other tests, test_cli.py)
def test_the_answers_text_is_what_the_cli_prints(client, stored_run):
    run_id, folder = stored_run
    accounts = client.get(f"/api/runs/{run_id}/accounts", params={"method": "energy"}).json()
    assert accounts["text"] == _cli("accounts", str(folder), "--method", "energy")
    value = client.get(f"/api/runs/{run_id}/waste-heat-value").json()
    assert value["text"] == _cli("waste-heat-value", str(folder))
    (source,) = value["sources"]
    assert source["source"] == "w" and source["temperature_c"] == 28.0
    listed = client.get(f"/api/runs/{run_id}/waste-heat-value/w").json()
    printed = _cli(
        "waste-heat-value", str(folder), "--source", "w", "--out", str(folder.parent / "w.csv")
    )
    assert printed.startswith(listed["text"])  # then the line naming the CSV written
    csv = client.get(f"/api/runs/{run_id}/waste-heat-value/w", params={"format": "csv"})
    assert csv.text == (folder.parent / "w.csv").read_text()


def test_bad_figure_requests_are_located_422(client, stored_run):
    run_id, _ = stored_run
    answer = client.get(f"/api/runs/{run_id}/waste-heat-value/nope")
    assert (answer.status_code, answer.json()) == (
        422,
        {"detail": "no waste-heat source 'nope'; the run has w"},
    )
    answer = client.get(f"/api/runs/{run_id}/accounts", params={"method": "magic"})
    assert answer.status_code == 422 and answer.json()["detail"].startswith("unknown method")
    answer = client.get(f"/api/runs/{run_id}/waste-heat-value/w", params={"temperatures": "a"})
    assert answer.status_code == 422


def test_the_supplier_pages_show_the_value_and_the_price_list(client, stored_run):
    run_id, _ = stored_run
    page = client.get(f"/runs/{run_id}/waste-heat")
    assert f'<a href="/runs/{run_id}/waste-heat/w">w</a>' in page.text
    listed = client.get(f"/api/runs/{run_id}/waste-heat-value/w").json()
    page = client.get(f"/runs/{run_id}/waste-heat/w")
    assert html.escape(listed["text"], quote=False) in page.text.replace("&#34;", '"')


def test_the_openapi_description_lists_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/scenarios",
        "/api/versions/{version_id}/validate",
        "/api/runs",
        "/api/runs/{run_id}/events",
        "/api/runs/{run_id}/results/{name}",
        "/api/runs/{run_id}/report",
        "/api/runs/{run_id}/accounts",
        "/api/runs/{run_id}/waste-heat-value/{source}",
        "/api/compare",
    ):
        assert path in paths, path
    assert "429" in paths["/api/runs"]["post"]["responses"]
    assert not any(p.startswith("/runs") for p in paths)  # pages are not API


def test_a_damaged_cached_run_folder_is_rebuilt_from_the_blobs(client, stored_run):
    run_id, folder = stored_run
    assert client.get(f"/api/runs/{run_id}/summary").status_code == 200
    cached = client.app.state.store.runs_dir / str(run_id)
    (cached / "units.csv").write_text("damaged")
    assert client.get(f"/api/runs/{run_id}/summary").status_code == 200
    assert (cached / "units.csv").read_bytes() == (folder / "units.csv").read_bytes()
