"""An infeasible model names the balance it cannot meet, and bad series never reach the solver."""

from __future__ import annotations

import pytest

from restvarme.errors import InfeasibleError, ScenarioError
from restvarme.inputs.build import build_inputs
from restvarme.model.build import build_model
from restvarme.model.solve import solve


def test_infeasible_names_the_heat_balance(scenario_factory):
    # A load of -5 MW (heat to be taken out of network "main") cannot be met: no unit can absorb
    # heat, and the unserved slack only adds heat. Scenario validation rejects negative demand,
    # so the inputs are altered after validation to reach the solver's infeasibility path.
    sf = scenario_factory(
        units=[{"name": "b", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 20}]
    )
    inputs = build_inputs(sf)
    inputs["heat_demand_mw"][1, 0] = -5.0
    with pytest.raises(InfeasibleError) as info:
        solve(build_model(inputs))
    message = str(info.value)
    assert "heat balance at network main cannot be met" in message
    assert "5 MWh" in message and "2030-01-01 01:00:00" in message


def test_negative_demand_series_is_a_located_error(tmp_path, scenario_factory):
    (tmp_path / "d.csv").write_text("demand\n10\n-3\n10\n10\n")
    sf = scenario_factory(
        networks={
            "main": {
                "supply_temperature_c": 70,
                "return_temperature_c": 40,
                "demand": {"series_mw": "d.csv"},
            }
        }
    )
    with pytest.raises(ScenarioError) as info:
        build_inputs(sf)
    text = str(info.value)
    assert "networks.main.demand.series_mw" in text
    assert "below 0" in text and "CSV line 3" in text


def test_negative_constant_availability_is_rejected(scenario_factory):
    sf = scenario_factory(
        waste_heat={"w": {"available_mw": -1, "temperature_c": 40}},
        units=[
            {
                "name": "hx",
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 1,
            }
        ],
    )
    with pytest.raises(
        ScenarioError, match=r"waste_heat\.w\.available_mw: got -1; expected a number >= 0"
    ):
        build_inputs(sf)


def test_supply_not_above_return_is_rejected(tmp_path, scenario_factory):
    (tmp_path / "ret.csv").write_text("t\n40\n40\n75\n40\n")
    sf = scenario_factory(
        networks={
            "main": {
                "supply_temperature_c": 70,
                "return_temperature_c": "ret.csv",
                "demand": {"series_mw": 10},
            }
        }
    )
    with pytest.raises(
        ScenarioError, match=r"networks\.main\.supply_temperature_c: supply temperature 70"
    ):
        build_inputs(sf)
