"""Network heat losses in the inputs: a fixed share of the demand (``heat_loss_share``) or from
the temperatures (``heat_loss``), part of the load the units cover; hand-solved on the tiny
scenario (tests/tiny_scenarios.py: 4 hours, one network "main" at 70/40 °C, demand 10 MW)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

import restvarme
from restvarme.errors import ScenarioError
from restvarme.inputs.build import build_inputs
from restvarme.scenario.schema import Scenario
from tiny_scenarios import BASE, GAS_BOILER


def network(**loss):
    return {"main": {**BASE["networks"]["main"], **loss}}


def test_loss_share_is_part_of_the_load(scenario_factory):
    # 10 MW delivered, 5 % losses: 0.5 MW lost, 10.5 MW of load (as before heat_loss existed)
    x = build_inputs(scenario_factory(networks=network(heat_loss_share=0.05)))
    np.testing.assert_allclose(x["heat_loss_mw"].sel(network="main"), 0.5)
    np.testing.assert_allclose(x["heat_demand_mw"].sel(network="main"), 10.5)
    x = build_inputs(scenario_factory())
    np.testing.assert_array_equal(x["heat_loss_mw"], 0.0)  # no losses unless stated


def test_loss_from_trench_length_by_hand(scenario_factory):
    # 5 km at 0.5 W/(m K): UA = 2500 W/K = 0.0025 MW/K; mean water (70 + 40) / 2 = 55 °C over
    # 10 °C ground: 0.0025 * 45 = 0.1125 MW lost each hour, load 10.1125 MW.
    loss = {"ground_temperature_c": 10, "trench_length_km": 5, "loss_coefficient_w_per_m_k": 0.5}
    x = build_inputs(scenario_factory(networks=network(heat_loss=loss)))
    np.testing.assert_allclose(x["heat_loss_mw"].sel(network="main"), 0.1125)
    np.testing.assert_allclose(x["heat_demand_mw"].sel(network="main"), 10.1125)


def test_loss_calibrated_to_a_share_of_supply_by_hand(scenario_factory):
    # 9 % of the heat fed in: 10 * 9 / 91 = 0.989011 MW over the modelled hours, at their mean
    # excess of 55 - 10 = 45 K: UA = 0.989011 / 45 = 0.0219780 MW/K.
    loss = {"ground_temperature_c": 10, "loss_share_of_supply": 0.09}
    x = build_inputs(scenario_factory(networks=network(heat_loss=loss)))
    np.testing.assert_allclose(x["heat_loss_mw"].sel(network="main"), 10 * 9 / 91)
    fed_in = x["heat_demand_mw"].sel(network="main")
    np.testing.assert_allclose(x["heat_loss_mw"].sel(network="main") / fed_in, 0.09)


def test_loss_calibrated_at_a_stated_temperature_by_hand(scenario_factory):
    # 8.76 GWh/yr (1 MW on average) observed at a mean water temperature of 60 °C over 10 °C
    # ground: UA = 1 / 50 = 0.02 MW/K. The network now runs at a mean of 55 °C: 0.02 * 45 =
    # 0.9 MW, 10 % less than when the loss was observed.
    loss = {
        "ground_temperature_c": 10,
        "annual_loss_gwh": 8.76,
        "calibration_mean_temperature_c": 60,
    }
    x = build_inputs(scenario_factory(networks=network(heat_loss=loss)))
    np.testing.assert_allclose(x["heat_loss_mw"].sel(network="main"), 0.9)


def test_the_units_cover_the_loss_and_results_report_it(scenario_factory):
    # UA 0.01 MW/K, mean 55 °C over 10 °C ground: 0.45 MW lost; the 80 % gas boiler makes
    # 10.45 MW: 4 h * 10.45 / 0.8 * 20 EUR/MWh = 1045 EUR; 4 * 0.45 = 1.8 MWh of losses.
    loss = {"ground_temperature_c": 10, "heat_loss_coefficient_mw_per_k": 0.01}
    ds = restvarme.run(scenario_factory(networks=network(heat_loss=loss), units=[GAS_BOILER]))
    assert ds.attrs["objective_eur"] == pytest.approx(4 * 10.45 / 0.8 * 20, rel=1e-9)
    assert float(ds["heat_loss_mwh"].sel(network="main")) == pytest.approx(1.8)
    assert float(ds["heat_demand_mwh"].sel(network="main")) == pytest.approx(41.8)


def test_one_loss_model_and_one_way_to_its_coefficient():
    def validate(**net):
        Scenario.model_validate({**BASE, "networks": network(**net)})

    loss = {"ground_temperature_c": 9, "heat_loss_coefficient_mw_per_k": 0.1}
    with pytest.raises(ValidationError, match=r"either heat_loss_share .* or heat_loss"):
        validate(heat_loss_share=0.05, heat_loss=loss)
    with pytest.raises(ValidationError, match="exactly one of"):
        validate(heat_loss={**loss, "annual_loss_gwh": 10})
    with pytest.raises(ValidationError, match="together"):
        validate(heat_loss={"ground_temperature_c": 9, "trench_length_km": 5})
    with pytest.raises(ValidationError, match="only applies"):
        validate(heat_loss={**loss, "calibration_mean_temperature_c": 60})
    validate(heat_loss=loss)  # fine on its own


def test_calibration_below_ground_is_a_located_error(scenario_factory):
    # ground at 60 °C is above the 55 °C mean water temperature: nothing to calibrate against
    loss = {"ground_temperature_c": 60, "loss_share_of_supply": 0.09}
    with pytest.raises(ScenarioError, match="ground temperature") as err:
        build_inputs(scenario_factory(networks=network(heat_loss=loss)))
    assert err.value.problems[0].path == ("networks", "main", "heat_loss", "loss_share_of_supply")


def test_lund_example_losses_are_as_its_sources_state():
    # examples/lund/SOURCES.md: the main network loses 9 % of the heat fed in over the year; the
    # Brunnshög network 6 km * 0.4 W/(m K) = 0.0024 MW/K at (65 + 35) / 2 - 9 = 41 K:
    # 0.0984 MW, 861.984 MWh over 8760 h.
    from restvarme.examples import resolve_scenario
    from restvarme.scenario.load import load_scenario

    x = build_inputs(load_scenario(resolve_scenario("lund")))
    loss = x["heat_loss_mw"].sum("snapshot")
    fed_in = x["heat_demand_mw"].sum("snapshot")
    assert float(loss.sel(network="main") / fed_in.sel(network="main")) == pytest.approx(0.09)
    assert float(loss.sel(network="brunnshog")) == pytest.approx(861.984)


def test_both_loss_models_in_a_file_is_a_located_error(tmp_path):
    from restvarme.scenario.load import load_scenario
    from tiny_scenarios import SCENARIO_YAML

    text = SCENARIO_YAML + (
        "    heat_loss_share: 0.05\n"
        "    heat_loss: {ground_temperature_c: 9, loss_share_of_supply: 0.09}\n"
    )
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=r"scenario.yaml:13: networks.main: give either"):
        load_scenario(path)
