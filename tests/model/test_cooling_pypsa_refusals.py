"""The PyPSA peer refuses, by name, the cooling physics of issue 19 it does not map
(restvarme_peers.pypsa_sectors): the joint pre-cooling limit of several free-cooling units on one
cooling network, and absorption chillers whose characteristic equation gives an hourly COP.
Scenarios that have them stay out of the cross-check instead of being mapped wrongly.

The set-up is tests/model/test_cooling.py's: a cooling network "dc" at 6/16 °C taking a flat
5 MW and a heat network "main" at 70/40 °C.
"""

from __future__ import annotations

import pytest

from extras import require
from restvarme.inputs.build import build_inputs
from restvarme_peers import pypsa_network as peer

require("pypsa")  # looked up, not imported: the tests import it (tests/extras.py)

DC = {"dc": {"supply_temperature_c": 6, "return_temperature_c": 16, "demand": {"series_mw": 5}}}
MAIN = {
    "main": {"supply_temperature_c": 70, "return_temperature_c": 40, "demand": {"series_mw": 0}}
}
CHILLER = {"name": "ch", "type": "chiller", "sink": "dc", "capacity_mw": 20}


def test_two_free_cooling_units_on_one_return_are_refused_by_name(scenario_factory):
    # Sea at 5 °C and a lake at 8 °C both pre-cool dc's return: restvarme limits them together
    # (free_cooling_network_limit), which the peer does not map.
    fc = {"type": "free_cooling", "sink": "dc", "capacity_mw": 10}
    sf = scenario_factory(
        cooling_networks=DC,
        networks=MAIN,
        ambient={"sea": {"temperature_c": 5.0}, "lake": {"temperature_c": 8.0}},
        units=[
            CHILLER,
            {**fc, "name": "sea_fc", "source": "sea"},
            {**fc, "name": "lake_fc", "source": "lake"},
        ],
    )
    with pytest.raises(
        ValueError, match=r"cooling network\(s\) dc have more than one free_cooling"
    ):
        peer.to_pypsa(build_inputs(sf))


def test_one_free_cooling_unit_is_mapped(scenario_factory):
    sf = scenario_factory(
        cooling_networks=DC,
        networks=MAIN,
        ambient={"sea": {"temperature_c": 5.0}},
        units=[
            CHILLER,
            {
                "name": "sea_fc",
                "type": "free_cooling",
                "sink": "dc",
                "capacity_mw": 10,
                "source": "sea",
            },
        ],
    )
    n = peer.to_pypsa(build_inputs(sf))
    assert "sea_fc" in n.links.index


def test_absorption_chiller_with_an_hourly_characteristic_cop_is_refused_by_name(
    scenario_factory, tmp_path
):
    # The Kühn & Ziegler characteristic on a cooling tower at 18, 22, 26, 30 °C: the COP
    # changes by the hour (cooling water warmer, characteristic temperature difference lower),
    # which the peer's constant-efficiency Link cannot carry.
    (tmp_path / "tower.csv").write_text("value\n18\n22\n26\n30\n")
    absorption = {
        "name": "abs",
        "type": "absorption_chiller",
        "sink": "dc",
        "source": "main",
        "capacity_mw": 8,
        "characteristic": "kuehn",
        "cooling_water": "tower",
    }
    boiler = {
        "name": "gas_boiler",
        "type": "boiler",
        "fuel": "gas",
        "sink": "main",
        "capacity_mw": 30,
        "efficiency": 0.8,
    }
    sf = scenario_factory(
        cooling_networks=DC,
        networks=MAIN,
        ambient={"tower": {"temperature_c": "tower.csv"}},
        units=[CHILLER, boiler, absorption],
    )
    inputs = build_inputs(sf)
    cop = inputs["absorption_chiller_thermal_cop"].sel(absorption_chiller="abs")
    assert float(cop.max() - cop.min()) > 0.01  # the COP does vary by the hour
    with pytest.raises(ValueError, match=r"absorption chiller\(s\) abs have an hourly COP"):
        peer.to_pypsa(inputs)
