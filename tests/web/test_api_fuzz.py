"""A property-based test of the REST API against its own OpenAPI description (schemathesis):
for requests generated from the description, valid and not, no answer is a server error (5xx).
The store holds a scenario version and a succeeded run with a waste-heat source (id 1 each), so
the generated ids also reach the routes that read results, accounts and price lists."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from web_helpers import boiler_scenario, yaml_bytes  # noqa: E402

import restvarme  # noqa: E402
from restvarme.errors import SERVER_MODE_ENV  # noqa: E402
from restvarme.results.io import resolved_scenario_json, write_results  # noqa: E402
from tiny_scenarios import GAS_BOILER, make_scenario  # noqa: E402

pytestmark = pytest.mark.slow
HEAT_PUMP = {"name": "hp", "type": "heat_pump", "source": "w", "sink": "main", "capacity_mw": 3}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from schemathesis.python.asgi import shutdown_lifespans

    from restvarme.store import RunStore
    from restvarme.web.app import create_app

    tmp = tmp_path_factory.mktemp("fuzz")
    store = RunStore(tmp / "data")
    version = store.add_version("tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    sf = make_scenario(
        tmp,
        waste_heat={"w": {"available_mw": 3, "temperature_c": 28}},
        units=[GAS_BOILER, HEAT_PUMP],
    )
    ds = restvarme.run(sf)
    folder = write_results(ds, tmp / "cli", resolved_scenario_json(sf))
    run_id = store.create_run(version)
    store.claim(run_id)
    store.finish(
        run_id, folder, objective_eur=ds.attrs["objective_eur"], timings={}, solver_seconds=None
    )
    assert (version, run_id) == (1, 1)
    store.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SERVER_MODE_ENV, "1")  # the app sets it; restored after the module
        app = create_app(tmp / "data", workers=1, max_waiting=2)
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
        shutdown_lifespans()  # stops the queue's worker


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_generated_request_gets_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
