"""Tiny hand-solvable dispatch cases: the expected cost is worked out in each test.

Common set-up (tests/conftest.py BASE): 4 hours, network "main" at 70/40 °C with 10 MW demand,
gas at 20 EUR/MWh emitting 0.2 t/MWh, electricity at 40 EUR/MWh, no export.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from tiny_scenarios import GAS_BOILER as BOILER


def run(factory, **changes):
    return restvarme.run(factory(**changes))


def test_boiler_only_cost_and_marginal_price(scenario_factory):
    # Fuel per MWh heat = 1/0.8 = 1.25 MWh; cost per MWh heat = 1.25*(20 + 50*0.2) = 37.5 EUR.
    # 4 h * 10 MW = 40 MWh -> 1500 EUR: fuel 40*1.25*20 = 1000, carbon 40*1.25*0.2*50 = 500.
    ds = run(scenario_factory, units=[BOILER], carbon_price_eur_per_t=50)
    assert ds.attrs["objective_eur"] == pytest.approx(1500.0, rel=1e-9)
    assert float(ds["cost_eur"].sel(cost_item="fuel")) == pytest.approx(1000.0)
    assert float(ds["cost_eur"].sel(cost_item="carbon")) == pytest.approx(500.0)
    assert float(ds["emissions_t"].sel(emission_source="gas")) == pytest.approx(10.0)
    np.testing.assert_allclose(ds["marginal_heat_price_eur_per_mwh"], 37.5, rtol=1e-9)


def test_direct_route_is_used_and_valued(scenario_factory):
    # Source at 80 °C, approach 5 K -> 75 °C >= 70 °C supply: direct use, limited only by the
    # 6 MW available. Boiler covers 4 MW at 37.5 EUR/MWh (carbon 50 EUR/t as above).
    # Per hour 6*5 + 4*37.5 = 180 EUR; 4 h -> 720 EUR. One more MWh of waste heat replaces
    # boiler heat: value 37.5 - 5 = 32.5 EUR/MWh.
    ds = run(
        scenario_factory,
        carbon_price_eur_per_t=50,
        waste_heat={"w": {"available_mw": 6, "temperature_c": 80, "price_eur_per_mwh": 5}},
        units=[
            BOILER,
            {
                "name": "hx",
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 20,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(720.0, rel=1e-9)
    used = ds["waste_heat_used_mwh"].sel(waste_source="w")
    assert float(used.sel(route="direct")) == pytest.approx(24.0)
    assert float(used.sel(route="preheat")) == pytest.approx(0.0)
    np.testing.assert_allclose(ds["waste_heat_value_eur_per_mwh"].sel(waste_source="w"), 32.5)


def test_preheat_route_limited_by_temperature_share(scenario_factory):
    # Source at 55 °C, approach 5 K -> 50 °C: below the 70 °C supply, so only preheating of the
    # 40 °C return: share = (50 - 40)/(70 - 40) = 1/3 of the 10 MW load -> 3.333 MW per hour
    # although 10 MW are available. Boiler (no carbon price: 20/0.8 = 25 EUR/MWh) covers the rest.
    # Cost = 4 h * (10 - 10/3) MW * 25 = 666.67 EUR; waste heat is free and not scarce: value 0.
    ds = run(
        scenario_factory,
        waste_heat={"w": {"available_mw": 10, "temperature_c": 55}},
        units=[
            BOILER,
            {
                "name": "hx",
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 20,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (10 - 10 / 3) * 25, rel=1e-9)
    used = ds["waste_heat_used_mwh"].sel(waste_source="w")
    assert float(used.sel(route="preheat")) == pytest.approx(40 / 3)
    assert float(used.sel(route="direct")) == pytest.approx(0.0)
    np.testing.assert_allclose(ds["waste_heat_value_eur_per_mwh"], 0.0, atol=1e-9)


@pytest.mark.parametrize("resolution_h", [1, 2])
def test_two_sources_share_the_preheat_limit_in_blocks_too(scenario_factory, resolution_h):
    # Two sources at 55 °C offering 2 MW each, an exchanger on each preheating the same 40 °C
    # return: together they preheat at most 1/3 of the 10 MW load (as above), 3.333 MW < 4 MW.
    # Boiler covers the rest: 4 h * (10 - 10/3) MW * 25 EUR/MWh = 666.67 EUR, hourly or on
    # 2-hour blocks (constant inputs: the block means are the hours' values). The blocks once
    # capped the shared preheat limit at one source's 2 MW: 4 * 8 * 25 = 800 EUR
    # (heat_exchanger.finite_limits).
    exchanger = {"type": "heat_exchanger", "sink": "main", "capacity_mw": 20}
    ds = run(
        scenario_factory,
        horizon={"hours": 4, "resolution_h": resolution_h},
        waste_heat={
            "a": {"available_mw": 2, "temperature_c": 55},
            "b": {"available_mw": 2, "temperature_c": 55},
        },
        units=[
            BOILER,
            {**exchanger, "name": "hx_a", "source": "a"},
            {**exchanger, "name": "hx_b", "source": "b"},
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (10 - 10 / 3) * 25, rel=1e-9)
    used = ds["waste_heat_used_mwh"].sel(route="preheat").sum("waste_source")
    assert float(used) == pytest.approx(4 * 10 / 3)


def test_no_preheat_when_disallowed(scenario_factory):
    ds = run(
        scenario_factory,
        waste_heat={"w": {"available_mw": 10, "temperature_c": 55}},
        units=[
            BOILER,
            {
                "name": "hx",
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 20,
                "allow_preheat": False,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(4 * 10 * 25, rel=1e-9)


def test_heat_pump_route_on_cold_waste_heat(scenario_factory):
    # Source at 28 °C cannot even preheat 40 °C return water; a heat pump lifts it.
    # Carnot, grade 0.5, approaches 4/5 K: T_cond = 74 °C = 347.15 K, T_evap = 23 °C = 296.15 K,
    # COP = 0.5 * 347.15 / 51 = 3.40343. Heat pump heat costs 40/COP = 11.753 EUR/MWh < 25 (boiler).
    # With 8 MW waste heat the evaporator limit gives Q(1 - 1/COP) <= 8 -> Q <= 11.3 MW, so the
    # 10 MW capacity binds: 4 h * 10 MW * 40/COP.
    cop = 0.5 * 347.15 / 51
    ds = run(
        scenario_factory,
        waste_heat={"w": {"available_mw": 8, "temperature_c": 28}},
        units=[
            BOILER,
            {
                "name": "hx",
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 20,
            },
            {
                "name": "hp",
                "type": "heat_pump",
                "cop_method": "carnot",
                "source": "w",
                "sink": "main",
                "capacity_mw": 10,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(4 * 10 * 40 / cop, rel=1e-9)
    used = ds["waste_heat_used_mwh"].sel(waste_source="w")
    assert float(used.sel(route="heat_pump")) == pytest.approx(40 * (1 - 1 / cop))
    assert float(used.sel(route="direct") + used.sel(route="preheat")) == pytest.approx(0.0)
    np.testing.assert_allclose(ds["heat_pump_cop"].sel(heat_pump="hp"), cop, rtol=1e-12)
    assert float(ds["electricity_mwh"].sel(unit="hp")) == pytest.approx(-40 / cop)


def test_heat_pump_evaporator_limited_by_waste_heat(scenario_factory):
    # Same heat pump with only 3 MW of waste heat: Q(1 - 1/COP) <= 3 -> Q = 3*COP/(COP - 1);
    # the boiler covers the rest at 25 EUR/MWh. Waste heat is then worth what one more MWh at the
    # evaporator saves: it yields COP/(COP-1) MWh of heat replacing boiler heat and costing
    # electricity: value = COP/(COP-1) * (25 - 40/COP).
    cop = 0.5 * 347.15 / 51
    q = 3 * cop / (cop - 1)
    ds = run(
        scenario_factory,
        waste_heat={"w": {"available_mw": 3, "temperature_c": 28}},
        units=[
            BOILER,
            {
                "name": "hp",
                "type": "heat_pump",
                "cop_method": "carnot",
                "source": "w",
                "sink": "main",
                "capacity_mw": 10,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (q * 40 / cop + (10 - q) * 25), rel=1e-9)
    np.testing.assert_allclose(
        ds["waste_heat_value_eur_per_mwh"].sel(waste_source="w"),
        cop / (cop - 1) * (25 - 40 / cop),
        rtol=1e-9,
    )


def test_air_source_heat_pump_uses_outdoor_temperature(scenario_factory):
    # Outdoor 0 °C, grade 0.4: T_cond 347.15 K, T_evap -5 °C = 268.15 K: COP = 0.4*347.15/79.
    cop = 0.4 * 347.15 / 79
    ds = run(
        scenario_factory,
        units=[
            BOILER,
            {
                "name": "ashp",
                "type": "heat_pump",
                "cop_method": "carnot",
                "source": "air",
                "sink": "main",
                "capacity_mw": 4,
                "quality_grade": 0.4,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (4 * 40 / cop + 6 * 25), rel=1e-9)


def test_back_pressure_chp_sells_power(scenario_factory):
    # CHP: η_heat 0.5, η_el 0.4 on gas at 20 EUR/MWh (no carbon price); export at 40 EUR/MWh.
    # Per MWh heat: fuel 2 MWh = 40 EUR, power 0.8 MWh sold for 32 EUR -> net 8 EUR/MWh heat,
    # cheaper than the boiler (25). 4 h * 10 MW * 8 = 320 EUR.
    ds = run(
        scenario_factory,
        electricity={"price_eur_per_mwh": 40, "export_allowed": True},
        units=[
            BOILER,
            {
                "name": "chp",
                "type": "chp",
                "fuel": "gas",
                "sink": "main",
                "heat_capacity_mw": 15,
                "efficiency_heat": 0.5,
                "efficiency_el": 0.4,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(320.0, rel=1e-9)
    assert float(ds["electricity_mwh"].sel(unit="chp")) == pytest.approx(32.0)
    assert float(ds["cost_eur"].sel(cost_item="electricity_sales")) == pytest.approx(-4 * 8 * 40)


def test_extraction_chp_moves_along_its_pq_region(scenario_factory):
    # Extraction CHP: F_max 30 MW, η_el(condensing) 0.45, cv 0.15, cb 0.6, heat cap 20 MW.
    # Power P = 0.45 F - 0.15 Q with P >= 0.6 Q. With power sold at 100 EUR/MWh and fuel at
    # 20 EUR/MWh, every MWh of fuel earns 0.45*100 - 20 > 0, so F = 30 MW. Heat costs
    # 0.15*100 = 15 EUR/MWh of lost power (< boiler 25), so Q is as high as the back-pressure line
    # allows: 0.45*30 - 0.15 Q = 0.6 Q -> Q = 18 MW (> 10 demand) -> Q = 10 MW.
    # Per hour: fuel 600, power 0.45*30 - 1.5 = 12 MW sold for 1200 -> -600 EUR/h; 4 h -> -2400.
    ds = run(
        scenario_factory,
        electricity={"price_eur_per_mwh": 100, "export_allowed": True},
        units=[
            BOILER,
            {
                "name": "chp",
                "type": "chp",
                "mode": "extraction",
                "fuel": "gas",
                "sink": "main",
                "heat_capacity_mw": 20,
                "fuel_capacity_mw": 30,
                "efficiency_el": 0.45,
                "cv": 0.15,
                "cb": 0.6,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(-2400.0, rel=1e-9)
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="chp"), 10.0)
    np.testing.assert_allclose(ds["electricity_mw"].sel(unit="chp"), 12.0)


def test_storage_shifts_cheap_electricity(tmp_path, scenario_factory):
    # Electric boiler (η 1) with prices 10, 100, 10, 100 EUR/MWh and a 10 MW load; a tank of
    # 20 MWh, 10 MW, η_c = η_d = 1, no loss. Optimal: in cheap hours heat 10 MW load + 10 MW
    # into the tank; in dear hours discharge 10 MW. Cost = 2 h * 20 MWh * 10 EUR = 400 EUR.
    (tmp_path / "price.csv").write_text("price\n10\n100\n10\n100\n")
    ds = run(
        scenario_factory,
        electricity={"price_eur_per_mwh": "price.csv", "export_allowed": False},
        units=[
            {
                "name": "eb",
                "type": "electric_boiler",
                "sink": "main",
                "capacity_mw": 30,
                "efficiency": 1.0,
            },
            {
                "name": "tank",
                "type": "storage",
                "network": "main",
                "energy_mwh": 20,
                "charge_mw": 10,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(400.0, rel=1e-9)
    np.testing.assert_allclose(
        ds["storage_level_mwh"].sel(storage="tank"), [10, 0, 10, 0], atol=1e-9
    )


def test_storage_losses_are_paid_for(tmp_path, scenario_factory):
    # As above with η_c = η_d = 0.9 and a 1 %/h standing loss. Discharging 10 MW in a dear hour
    # needs 10/0.9 MWh from the store, i.e. 10/0.9/0.99 MWh stored an hour earlier, i.e.
    # 10/(0.9*0.99*0.9) MWh charged. Still cheaper than 100 EUR/MWh: cost per cycle =
    # 10*10 (load) + 10*10/(0.81*0.99) (charge) -> 2 cycles.
    (tmp_path / "price.csv").write_text("price\n10\n100\n10\n100\n")
    ds = run(
        scenario_factory,
        electricity={"price_eur_per_mwh": "price.csv", "export_allowed": False},
        units=[
            {
                "name": "eb",
                "type": "electric_boiler",
                "sink": "main",
                "capacity_mw": 30,
                "efficiency": 1.0,
            },
            {
                "name": "tank",
                "type": "storage",
                "network": "main",
                "energy_mwh": 20,
                "charge_mw": 15,
                "efficiency_charge": 0.9,
                "efficiency_discharge": 0.9,
                "standing_loss_per_hour": 0.01,
            },
        ],
    )
    per_cycle = 10 * 10 + 10 * 10 / (0.81 * 0.99)
    assert ds.attrs["objective_eur"] == pytest.approx(2 * per_cycle, rel=1e-9)


def test_unserved_heat_is_reported_and_penalised(scenario_factory):
    # A 6 MW boiler for a 10 MW load: 4 MW unserved each hour at 5000 EUR/MWh.
    small = {**BOILER, "capacity_mw": 6}
    ds = run(scenario_factory, units=[small])
    assert float(ds["unserved_heat_mwh"].sel(network="main")) == pytest.approx(16.0)
    assert ds.attrs["objective_eur"] == pytest.approx(4 * 6 * 25 + 16 * 5000, rel=1e-9)
    np.testing.assert_allclose(ds["marginal_heat_price_eur_per_mwh"], 5000.0)


def test_two_networks_balance_separately(scenario_factory):
    # "lt" (10 MW) has only an electric boiler (40 EUR/MWh), main only the gas boiler (25).
    networks = {
        "main": {
            "supply_temperature_c": 70,
            "return_temperature_c": 40,
            "demand": {"series_mw": 10},
        },
        "lt": {"supply_temperature_c": 55, "return_temperature_c": 30, "demand": {"series_mw": 5}},
    }
    ds = run(
        scenario_factory,
        networks=networks,
        units=[
            BOILER,
            {
                "name": "eb",
                "type": "electric_boiler",
                "sink": "lt",
                "capacity_mw": 10,
                "efficiency": 1.0,
            },
        ],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (10 * 25 + 5 * 40), rel=1e-9)
    np.testing.assert_allclose(ds["marginal_heat_price_eur_per_mwh"].sel(network="lt"), 40.0)
    np.testing.assert_allclose(ds["marginal_heat_price_eur_per_mwh"].sel(network="main"), 25.0)


def test_outage_removes_waste_heat(scenario_factory):
    # Direct waste heat 10 MW, but out for the first two hours: the boiler covers those.
    ds = run(
        scenario_factory,
        waste_heat={
            "w": {
                "available_mw": 10,
                "temperature_c": 90,
                "outages": [{"start": "2030-01-01 00:00", "end": "2030-01-01 02:00"}],
            }
        },
        units=[
            BOILER,
            {
                "name": "hx",
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 10,
            },
        ],
    )
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="hx"), [0, 0, 10, 10])
    assert ds.attrs["objective_eur"] == pytest.approx(2 * 10 * 25, rel=1e-9)


def test_cost_items_add_up_to_objective(scenario_factory):
    ds = run(
        scenario_factory,
        carbon_price_eur_per_t=80,
        electricity={
            "price_eur_per_mwh": 30,
            "export_allowed": True,
            "grid_fee_eur_per_mwh": 7,
            "emission_t_per_mwh": 0.1,
        },
        waste_heat={"w": {"available_mw": 3, "temperature_c": 30, "price_eur_per_mwh": 2}},
        units=[
            {**BOILER, "vom_eur_per_mwh": 1.5, "capacity_mw": 5},
            {
                "name": "hp",
                "type": "heat_pump",
                "cop_method": "carnot",
                "source": "w",
                "sink": "main",
                "capacity_mw": 3,
                "vom_eur_per_mwh": 2,
            },
            {
                "name": "chp",
                "type": "chp",
                "fuel": "gas",
                "sink": "main",
                "heat_capacity_mw": 3,
                "efficiency_heat": 0.5,
                "efficiency_el": 0.35,
                "vom_eur_per_mwh": 3,
            },
        ],
    )
    total = float(ds["cost_eur"].sum())
    assert total == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def test_yearly_outage_repeats_in_another_year(scenario_factory):
    # An outage written for 2026 with every_year: true also stops the source in 2030 (the
    # scenario's year): the first two hours fall back on the boiler, as in the dated case above.
    ds = run(
        scenario_factory,
        waste_heat={
            "w": {
                "available_mw": 10,
                "temperature_c": 90,
                "outages": [
                    {"start": "2026-01-01 00:00", "end": "2026-01-01 02:00", "every_year": True}
                ],
            }
        },
        units=[
            BOILER,
            {
                "name": "hx",
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 10,
            },
        ],
    )
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="hx"), [0, 0, 10, 10])
