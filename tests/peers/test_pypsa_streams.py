"""Cross-check of waste-heat streams (restvarme.model.streams) against the PyPSA peer.

The hand cases of ``tests/units/test_streams.py``, solved by both tools from the same inputs:
one network at 70/40 °C with a flat 10 MW load, a gas boiler at 25 EUR/MWh of heat (gas 20
EUR/MWh at 80 %), electricity at 40 EUR/MWh, 4 h. The stream is 5 MW from 75 °C counted down
to 30 °C, so C = 5 / 45 = 1/9 MW/K; a heat exchanger (approach 5 K) cools it to 45 °C.

* exchanger alone: H = C · (75 - 45) = 3.333 MW;
* exchanger held to 2 MW in parallel with a heat pump (source cooling 5 K, [70, 75] °C): the
  heat pump takes the rest of the flow, 0.4 · C · 5 = 2/9 MW;
* heat pump in series after the exchanger (``source_after``): [40, 45] °C, C · 5 = 0.556 MW
  beside the exchanger's 3.333 MW;
* counted down to 50 °C instead (reference_temperature_c 50, minimum 30): C = 5 / 25 = 0.2
  MW/K and the exchanger takes 0.2 · 30 = 6 MW, more than the 5 MW "available" (which is
  counted over [50, 75] °C only): the stream's Generator must not cap what routes draw at A;
* an extendable exchanger (nothing existing, 1 EUR/MW) on the stream with minimum
  55 °C: it builds and uses C · (75 - 55) = 2.222 MW.

Each case: the objectives agree to 1e-9 relative, and PyPSA's heat drawn by each route is the
hand value.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest

import restvarme
from extras import require
from restvarme.inputs.build import build_inputs
from restvarme_peers import pypsa_network as peer
from tiny_scenarios import GAS_BOILER

require("pypsa")  # looked up, not imported: the tests import it (tests/extras.py)

C = 5 / 45  # MW/K
HOURS = 4
GEO = {"available_mw": 5.0, "temperature_c": 75.0, "reference_temperature_c": 30.0}
HX = {"name": "hx", "type": "heat_exchanger", "source": "geo", "sink": "main", "capacity_mw": 10}
HP = {
    "name": "hp",
    "type": "heat_pump",
    "source": "geo",
    "sink": "main",
    "capacity_mw": 10,
    "cop_method": "carnot",
}


@pytest.fixture(autouse=True)
def _quiet_pypsa():
    loggers = [logging.getLogger(name) for name in ("pypsa", "linopy")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


def _both(sf):
    """(restvarme's results, the solved PyPSA network) of one scenario."""
    ours = restvarme.run(sf)
    n = peer.to_pypsa(build_inputs(sf))
    assert peer.optimize(n, log_to_console=False) == ("ok", "optimal")
    assert float(n.objective) == pytest.approx(ours.attrs["objective_eur"], rel=1e-9)
    return ours, n


def _drawn(n, link: str) -> np.ndarray:
    """Heat Link ``link`` takes from its waste bus [MW]: p of its port on ``waste geo``."""
    links = n.c["Link"].static
    port = next(i for i in range(3) if links.at[link, f"bus{i}"] == "waste geo")
    return n.c["Link"].dynamic[f"p{port}"][link].to_numpy()


CASES = {
    "exchanger alone": (GEO, [HX], {"hx": C * 30}),
    "parallel": (GEO, [{**HX, "capacity_mw": 2.0}, HP], {"hx": 2.0, "hp": 0.4 * C * 5}),
    "series": (GEO, [HX, {**HP, "source_after": "hx"}], {"hx": C * 30, "hp": C * 5}),
    "counted to 50 °C": (
        {**GEO, "reference_temperature_c": 50.0, "min_temperature_c": 30.0},
        [HX],
        {"hx": 0.2 * 30},
    ),
    "extendable": (
        {**GEO, "min_temperature_c": 55.0},
        [
            {
                **HX,
                "capacity_mw": 0,
                "expansion": {"capital_cost_eur_per_mw": 1},
            }
        ],
        {"hx temperature limit": C * 20},
    ),
}

SLOW_CASES = ("parallel", "series", "counted to 50 °C")
"""Cases left to the slow run (further PyPSA solves, tests/conftest.py): the fast loop
cross-checks the exchanger alone (dispatch) and the extendable exchanger (expansion)."""


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=pytest.mark.slow) if c in SLOW_CASES else c for c in CASES]
)
def test_stream_routes_match_pypsa_and_the_hand_values(scenario_factory, case):
    geo, units, drawn = CASES[case]
    ours, n = _both(scenario_factory(waste_heat={"geo": geo}, units=[GAS_BOILER, *units]))
    for link, mw in drawn.items():
        assert _drawn(n, link) == pytest.approx([mw] * HOURS, rel=1e-9), link
    assert ours["source_heat_mw"].sel(unit=units[0]["name"]).values == pytest.approx(
        [next(iter(drawn.values()))] * HOURS, rel=1e-9
    )


@pytest.mark.slow  # the extendable case solved again (its routes: the test above, fast)
def test_extendable_exchanger_builds_what_the_stream_gives(scenario_factory):
    geo, units, _ = CASES["extendable"]
    ours, n = _both(scenario_factory(waste_heat={"geo": geo}, units=[GAS_BOILER, *units]))
    assert float(peer.capacity_new(n)["hx"]) == pytest.approx(C * 20, rel=1e-9)
    assert float(ours["capacity_new"].sel(unit="hx")) == pytest.approx(C * 20, rel=1e-9)


def test_an_electrolyser_feeding_a_stream_is_refused_by_name(scenario_factory):
    """restvarme counts an electrolyser's heat into the stream's use; the peer does not map
    that and says so, naming the unit and the stream."""
    sf = scenario_factory(
        waste_heat={"geo": GEO},
        hydrogen={"demand_mw": 1.0},
        units=[
            GAS_BOILER,
            HX,
            {
                "name": "ely",
                "type": "electrolyser",
                "capacity_mw": 2,
                "efficiency": 0.6,
                "waste_heat": "geo",
                "waste_heat_temperature_c": 80.0,
            },
        ],
    )
    with pytest.raises(ValueError, match=r"electrolyser ely into geo"):
        peer.to_pypsa(build_inputs(sf))
