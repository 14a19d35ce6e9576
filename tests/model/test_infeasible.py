"""An infeasible model names the balance it cannot meet, and bad series never reach the solver."""

from __future__ import annotations

import pytest
import xarray as xr

from restvarme.errors import InfeasibleError, ScenarioError
from restvarme.inputs.build import build_inputs
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from tiny_scenarios import GAS_BOILER


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


BATTERY = {
    "name": "bat",
    "type": "battery",
    "energy_mwh": 20,
    "charge_mw": 2.5,
    "efficiency_charge": 1.0,
    "efficiency_discharge": 1.0,
}
"""A 20 MWh battery charging at 2.5 MW at most, without losses."""


def _must_charge(inputs, level_mwh: float):
    """The battery starts empty and must end the 4 hours at least ``level_mwh`` full: the rule
    each window of a rolling-horizon operation sets (restvarme.operate.rolling)."""
    at = {"battery": inputs["battery"]}
    inputs["battery_initial_level_mwh"] = xr.DataArray([0.0], coords=at, dims="battery")
    inputs["battery_final_level_min_mwh"] = xr.DataArray([level_mwh], coords=at, dims="battery")
    return inputs


def test_infeasible_names_the_connection_whose_import_limit_is_exceeded(scenario_factory):
    # The battery must store 10 MWh in 4 h at 2.5 MW at most: 2.5 MW in every hour, all through
    # its meter, which imports 1 MW at most. 1.5 MW over in each of the 4 hours: 6 MWh.
    conns = {"site": {"units": ["bat"], "import_capacity_mw": 1}}
    sf = scenario_factory(
        units=[GAS_BOILER, BATTERY],
        electricity={"price_eur_per_mwh": 40.0, "export_allowed": False, "connections": conns},
    )
    inputs = _must_charge(build_inputs(sf), 10.0)
    with pytest.raises(InfeasibleError) as info:
        solve(build_model(inputs))
    message = str(info.value)
    assert (
        "the import limit of connection 'site' (electricity.connections.site.import_capacity_mw, "
        "1 MW) is exceeded by 6 MWh over 4 snapshot(s): 2030-01-01 00:00, 2030-01-01 01:00, "
        "2030-01-01 02:00, 2030-01-01 03:00"
    ) in message
    assert "balance" not in message  # the balances close; only the meter's limit does not
    # with 9 MWh to store, the hours need 9/4 = 2.25 MW each: 1.25 MW over, 5 MWh
    inputs = _must_charge(build_inputs(sf), 9.0)
    with pytest.raises(InfeasibleError, match=r"'site' .* exceeded by 5 MWh over 4 snapshot"):
        solve(build_model(inputs))


@pytest.mark.parametrize(
    ("expansion", "key", "limit_mw"),
    [
        (None, "capacity_groups.supply.capacity_mw", 1),
        (
            # at most 0.5 MW more: the elastic optimum builds it (far cheaper than the penalty),
            # and 2.5 - 1.5 = 1 MW remains over in each hour
            {"capital_cost_eur_per_mw": 1000, "max_mw": 0.5},
            "capacity_groups.supply.capacity_mw and capacity_groups.supply.expansion",
            1.5,
        ),
    ],
)
def test_infeasible_names_the_capacity_group_that_cannot_hold(
    scenario_factory, expansion, key, limit_mw
):
    # The same battery in an input group limiting its electricity to 1 MW (plus what may be
    # built): it must take 2.5 MW in every hour, 2.5 - limit over in each of the 4.
    group = {"units": ["bat"], "direction": "input", "carrier": "electricity", "capacity_mw": 1}
    if expansion is not None:
        group["expansion"] = expansion
    sf = scenario_factory(units=[GAS_BOILER, BATTERY], capacity_groups={"supply": group})
    inputs = _must_charge(build_inputs(sf), 10.0)
    with pytest.raises(InfeasibleError) as info:
        solve(build_model(inputs))
    over = 4 * (2.5 - limit_mw)
    assert (
        f"the shared capacity of capacity group 'supply' ({key}, {limit_mw:g} MW) is exceeded "
        f"by {over:g} MWh over 4 snapshot(s): 2030-01-01 00:00"
    ) in str(info.value)


def test_a_model_infeasible_even_when_relaxed_says_so(scenario_factory):
    # A 20 MWh battery that must end the hours 30 MWh full: no balance or limit to relax would
    # help (its own level bound forbids it); the message says so instead of failing itself.
    sf = scenario_factory(units=[GAS_BOILER, BATTERY])
    with pytest.raises(InfeasibleError, match="and so is its elastic form"):
        solve(build_model(_must_charge(build_inputs(sf), 30.0)))
