"""Emissions by unit, fuel and network in the accounting and decision perspectives.

System (4 h, network "main" 70/40 °C, 10 MW, outdoor 0 °C): a gas back-pressure CHP
(η_th 0.5, η_el 0.3, 4 MW heat), a gas boiler (η 0.8) and an air heat pump (3 MW); gas
0.2 t/MWh, electricity 40 EUR/MWh at 0.1 t/MWh, export allowed.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.accounting.emissions import (
    accounting_perspective,
    decision_perspective,
    electricity_factor_t_per_mwh,
    emissions_by_unit,
    fuel_emissions_t,
    network_heat_emissions_t,
    system_emissions_t,
    unit_heat_emissions_t,
)
from tiny_scenarios import make_scenario

UNITS = [
    {
        "name": "chp",
        "type": "chp",
        "fuel": "gas",
        "sink": "main",
        "heat_capacity_mw": 4,
        "efficiency_heat": 0.5,
        "efficiency_el": 0.3,
    },
    {
        "name": "boiler",
        "type": "boiler",
        "fuel": "gas",
        "sink": "main",
        "capacity_mw": 20,
        "efficiency": 0.8,
    },
    {
        "name": "hp",
        "type": "heat_pump",
        "cop_method": "carnot",
        "source": "air",
        "sink": "main",
        "capacity_mw": 3,
    },
]


@pytest.fixture(scope="module")
def mixed():
    sf = make_scenario(
        electricity={"price_eur_per_mwh": 40.0, "export_allowed": True, "emission_t_per_mwh": 0.1},
        units=UNITS,
    )
    return restvarme.run(sf)


def test_dispatch_is_the_expected_one(mixed):
    # CHP heat costs (2*20 - 0.6*40)= 16 EUR/MWh, the heat pump 40/COP with COP = 0.5*347.15/79
    # = 2.197 -> 18.2 EUR/MWh, the boiler 25: all three run, CHP and HP at capacity.
    heat = mixed["heat_mwh"].to_series()
    assert heat["chp"] == pytest.approx(16.0)
    assert heat["hp"] == pytest.approx(12.0)
    assert heat["boiler"] == pytest.approx(12.0)


def test_fuel_emissions_per_unit(mixed):
    # CHP fuel 4/0.5 = 8 MW -> 1.6 t/h; boiler fuel 3/0.8 = 3.75 MW -> 0.75 t/h; 4 h.
    per_unit = fuel_emissions_t(mixed).sum("snapshot").to_series()
    assert per_unit["chp"] == pytest.approx(6.4)
    assert per_unit["boiler"] == pytest.approx(3.0)
    assert per_unit["hp"] == 0.0


def test_accounting_perspective_reproduces_the_engine_totals(mixed):
    # Fuel 9.4 t; the CHP's 2.4 MW more than covers the heat pump's 3/2.197 = 1.365 MW, so
    # nothing is imported: electricity 0 t. Same as ds["emissions_t"].
    total = system_emissions_t(mixed)
    assert total["gas"] == pytest.approx(9.4)
    assert total["electricity"] == pytest.approx(0.0, abs=1e-9)
    assert total.sum() == pytest.approx(float(mixed["emissions_t"].sum()), rel=1e-9)


def test_network_heat_emissions_accounting(mixed):
    # energy method: CHP heat share 4/(4 + 2.4) = 0.625 -> 0.625*6.4 = 4.0 t;
    # boiler 3.0 t; heat pump uses 12/COP MWh at the average 0.1 t/MWh.
    cop = 0.5 * 347.15 / 79
    net = network_heat_emissions_t(mixed, accounting_perspective("energy")).sum()
    assert float(net) == pytest.approx(4.0 + 3.0 + 12 / cop * 0.1, rel=1e-9)
    per_unit = unit_heat_emissions_t(mixed, accounting_perspective("energy")).sum("snapshot")
    assert float(per_unit.sel(unit="chp")) == pytest.approx(4.0)


def test_decision_perspective_adds_up_to_the_system_view(mixed):
    # Marginal 0.7 t/MWh on the net exchange: fuel 9.4 - exports (2.4 - 1.365 MW)*4 h*0.7.
    cop = 0.5 * 347.15 / 79
    view = decision_perspective(0.7)
    export_mwh = (2.4 - 3 / cop) * 4
    assert system_emissions_t(mixed, view).sum() == pytest.approx(9.4 - 0.7 * export_mwh)
    assert float(network_heat_emissions_t(mixed, view).sum()) == pytest.approx(
        system_emissions_t(mixed, view).sum(), rel=1e-9
    )
    # the CHP's heat: 6.4 - 9.6 MWh*0.7 = -0.32 t (power bonus: it avoids more than it emits)
    assert float(
        unit_heat_emissions_t(mixed, view).sum("snapshot").sel(unit="chp")
    ) == pytest.approx(6.4 - 9.6 * 0.7)


def test_hourly_electricity_factor(mixed):
    hourly = np.array([0.1, 0.2, 0.3, 0.4])
    factor = electricity_factor_t_per_mwh(mixed, hourly)
    np.testing.assert_allclose(factor, hourly)
    cop = 0.5 * 347.15 / 79
    view = accounting_perspective("energy", electricity_factor_t_per_mwh=hourly)
    hp = unit_heat_emissions_t(mixed, view).sel(unit="hp")
    np.testing.assert_allclose(hp, 3 / cop * hourly)
    with pytest.raises(ValueError, match="one value per snapshot"):
        electricity_factor_t_per_mwh(mixed, [0.1, 0.2])


def test_emissions_by_unit_table(mixed):
    table = emissions_by_unit(mixed, accounting_perspective("energy"))
    assert table.loc["chp", "heat_t"] + table.loc["chp", "power_t"] == pytest.approx(6.4)
    assert table.loc["chp", "power_t"] == pytest.approx(2.4)
    assert table.loc["boiler", "direct_t"] == pytest.approx(3.0)
    assert "energy" in accounting_perspective("energy").describe(mixed)
