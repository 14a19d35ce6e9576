"""Cross-check unit commitment against PyPSA's committable components
(:mod:`restvarme_peers.pypsa_commitment`): the hand-solved cases of
``tests/units/test_commitment.py`` solved by ``restvarme.run`` and, from the same inputs, by
PyPSA as committable Generators (boilers), Links (back-pressure CHPs, heat pumps)."""

from __future__ import annotations

import logging

import pytest

import restvarme
from extras import require
from restvarme.inputs.build import build_inputs
from restvarme_peers import pypsa_network as peer
from tiny_scenarios import make_scenario

require("pypsa")  # looked up, not imported: the tests import it (tests/extras.py)

FUELS = {
    "gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.0},
    "oil": {"price_eur_per_mwh": 50.0, "emission_t_per_mwh": 0.0},
}
PEAK = {"name": "peak", "type": "boiler", "fuel": "oil", "sink": "main", "capacity_mw": 20,
        "efficiency": 1.0}  # fmt: skip
CHEAP = {"name": "cheap", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 20,
         "efficiency": 1.0}  # fmt: skip


@pytest.fixture(autouse=True)
def _quiet_pypsa():
    loggers = [logging.getLogger(name) for name in ("pypsa", "linopy")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


def _scenario(tmp_path, demand_mw, cheap):
    (tmp_path / "demand.csv").write_text("mw\n" + "\n".join(map(str, demand_mw)) + "\n")
    network = {"supply_temperature_c": 70.0, "return_temperature_c": 40.0,
               "demand": {"series_mw": "demand.csv"}}  # fmt: skip
    return make_scenario(
        tmp_path, horizon={"hours": len(demand_mw)}, fuels=FUELS, networks={"main": network},
        units=[cheap, PEAK],
    )  # fmt: skip


def _pypsa_objective(sf) -> float:
    n = peer.to_pypsa(build_inputs(sf))
    status, _ = peer.optimize(n)
    assert status == "ok"
    return float(n.objective)


@pytest.mark.parametrize(
    ("demand", "commitment", "expected_eur"),
    [
        # tests/units/test_commitment.py, where each optimum is worked out
        ([10, 5, 5, 5], {"min_load_share": 0.5, "min_up_time_h": 2}, 1250.0),
        # the fast loop cross-checks the first (and the CHP and heat pump below); the others are
        # further PyPSA solves, marked slow (tests/conftest.py)
        pytest.param(
            [10, 2, 2, 10],
            {"min_load_share": 0.25, "startup_cost_eur": 150},
            900.0,
            marks=pytest.mark.slow,
        ),
        pytest.param(
            [12, 2, 10, 10],
            {"min_load_share": 0.25, "min_down_time_h": 2, "initial_state": "on"},
            1040.0,
            marks=pytest.mark.slow,
        ),
        pytest.param(
            [10, 10, 4, 4],
            {
                "min_load_share": 0.5,
                "min_up_time_h": 3,
                "initial_state": "on",
                "initial_hours_in_state_h": 1,
            },
            800.0,
            marks=pytest.mark.slow,
        ),
    ],
)
def test_committed_boiler_matches_pypsa(tmp_path, demand, commitment, expected_eur):
    sf = _scenario(tmp_path, demand, {**CHEAP, "commitment": commitment})
    assert restvarme.run(sf).attrs["objective_eur"] == pytest.approx(expected_eur, rel=1e-9)
    assert _pypsa_objective(sf) == pytest.approx(expected_eur, rel=1e-6)


def test_committed_back_pressure_chp_and_heat_pump_match_pypsa(tmp_path):
    # A back-pressure CHP (fuel-rated minimum load) and an air heat pump (heat-rated minimum
    # load, p_min_pu = share / COP on its electricity) with start-up costs and minimum times;
    # restvarme and PyPSA must reach the same optimum.
    chp = {"name": "chp", "type": "chp", "fuel": "gas", "sink": "main", "heat_capacity_mw": 8,
           "efficiency_el": 0.3, "efficiency_heat": 0.6,
           "commitment": {"min_load_share": 0.5, "startup_cost_eur": 80, "min_up_time_h": 3,
                          "min_down_time_h": 2}}  # fmt: skip
    hp = {"name": "hp", "type": "heat_pump", "source": "air", "sink": "main", "capacity_mw": 6,
          "commitment": {"min_load_share": 0.4, "startup_cost_eur": 30, "min_up_time_h": 2,
                         "initial_state": "on"}}  # fmt: skip
    demand = [9, 14, 3, 2, 12, 15, 6, 4]
    (tmp_path / "demand.csv").write_text("mw\n" + "\n".join(map(str, demand)) + "\n")
    network = {"supply_temperature_c": 70.0, "return_temperature_c": 40.0,
               "demand": {"series_mw": "demand.csv"}}  # fmt: skip
    sf = make_scenario(
        tmp_path, horizon={"hours": len(demand)}, fuels=FUELS, networks={"main": network},
        units=[chp, hp, PEAK],
    )  # fmt: skip
    ours = restvarme.run(sf)
    assert ours.attrs["mip_gap"] <= 1e-4
    assert _pypsa_objective(sf) == pytest.approx(ours.attrs["objective_eur"], rel=1e-6)


def test_commitment_on_an_extraction_chp_is_refused_by_name(tmp_path):
    chp = {"name": "kvv", "type": "chp", "mode": "extraction", "fuel": "gas", "sink": "main",
           "heat_capacity_mw": 8, "fuel_capacity_mw": 20, "efficiency_el": 0.4, "cv": 0.15,
           "cb": 0.6, "commitment": {"min_load_share": 0.4}}  # fmt: skip
    sf = make_scenario(tmp_path, horizon={"hours": 4}, fuels=FUELS, units=[chp, PEAK])
    with pytest.raises(ValueError, match="extraction CHPs \\(kvv\\)"):
        peer.to_pypsa(build_inputs(sf))
