"""Capacity expansion: hand-checkable cases with the break-even worked out in each test.

Set-up (tests/conftest.py BASE): 4 hours; gas boiler heat costs 20/0.8 = 25 EUR/MWh. The horizon
is 4 h = 4/8760 of a year, so a unit of new capacity pays 4/8760 of its yearly cost here.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.economics import annuity_factor
from tiny_scenarios import GAS_BOILER as BOILER

YEARS = 4 / 8760
RATE, LIFE, FOM = 0.05, 20, 1400.0


def capital_for(horizon_cost_eur_per_mw: float) -> float:
    """Capital cost [EUR/MW] whose annuity + fixed O&M costs this much over the 4-hour horizon."""
    return (horizon_cost_eur_per_mw / YEARS - FOM) / annuity_factor(RATE, LIFE)


def electric_boiler(**expansion):
    return {
        "name": "eb",
        "type": "electric_boiler",
        "sink": "main",
        "capacity_mw": 0,
        "efficiency": 1.0,
        "expansion": {"fixed_om_eur_per_mw_year": FOM, "lifetime_years": LIFE, **expansion},
    }


def run(tmp_path, factory, units, **changes):
    (tmp_path / "d.csv").write_text("d\n10\n10\n2\n2\n")
    networks = {
        "main": {
            "supply_temperature_c": 70,
            "return_temperature_c": 40,
            "demand": {"series_mw": "d.csv"},
        }
    }
    return restvarme.run(
        factory(
            networks=networks,
            units=units,
            discount_rate=RATE,
            electricity={"price_eur_per_mwh": 5, "export_allowed": False},
            **changes,
        )
    )


def test_builds_up_to_the_break_even_capacity(tmp_path, scenario_factory):
    # Load 10, 10, 2, 2 MW. Electric heat at 5 EUR/MWh saves 25 - 5 = 20 EUR/MWh of gas.
    # The first 2 MW of electric boiler run 4 h: saving 80 EUR/MW; MW above 2 run 2 h: 40 EUR/MW.
    # At 60 EUR/MW over the horizon only the first 2 MW pay: build 2 MW.
    # Cost: gas 2 h * 8 MW * 25 = 400; electricity 8 MWh * 5 = 40; capacity 2 * 60 = 120 -> 560.
    ds = run(
        tmp_path,
        scenario_factory,
        [BOILER, electric_boiler(capital_cost_eur_per_mw=capital_for(60))],
    )
    assert float(ds["capacity_new"].sel(unit="eb")) == pytest.approx(2.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(560.0, rel=1e-9)
    assert float(ds["cost_eur"].sel(cost_item="capital")) == pytest.approx(120.0, rel=1e-9)
    assert float(ds["cost_eur"].sum()) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def test_cheaper_capacity_builds_for_the_peak(tmp_path, scenario_factory):
    # At 30 EUR/MW (< 40) every MW up to the 10 MW peak pays: build 10 MW.
    # Cost: electricity 24 MWh * 5 = 120; capacity 10 * 30 = 300 -> 420.
    ds = run(
        tmp_path,
        scenario_factory,
        [BOILER, electric_boiler(capital_cost_eur_per_mw=capital_for(30))],
    )
    assert float(ds["capacity_new"].sel(unit="eb")) == pytest.approx(10.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(420.0, rel=1e-9)


def test_dearer_capacity_is_not_built_unless_required(tmp_path, scenario_factory):
    # At 100 EUR/MW (> 80) nothing pays ...
    ds = run(
        tmp_path,
        scenario_factory,
        [BOILER, electric_boiler(capital_cost_eur_per_mw=capital_for(100))],
    )
    assert float(ds["capacity_new"].sel(unit="eb")) == pytest.approx(0.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(24 * 25, rel=1e-9)
    # ... but min_mw forces 3 MW: runs 10+10... 3,3,2,2 = 10 MWh electric, 14 MWh gas.
    # Cost: 10*5 + 14*25 + 3*100 = 700.
    ds = run(
        tmp_path,
        scenario_factory,
        [BOILER, electric_boiler(capital_cost_eur_per_mw=capital_for(100), min_mw=3)],
    )
    assert float(ds["capacity_new"].sel(unit="eb")) == pytest.approx(3.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(700.0, rel=1e-9)


def test_max_mw_caps_the_build(tmp_path, scenario_factory):
    ds = run(
        tmp_path,
        scenario_factory,
        [BOILER, electric_boiler(capital_cost_eur_per_mw=capital_for(30), max_mw=4)],
    )
    assert float(ds["capacity_new"].sel(unit="eb")) == pytest.approx(4.0, abs=1e-6)
    # electricity 4+4+2+2 = 12 MWh * 5 = 60; gas 12 MWh * 25 = 300; capacity 4*30 = 120 -> 480
    assert ds.attrs["objective_eur"] == pytest.approx(480.0, rel=1e-9)


def test_extendable_store_shifts_load(tmp_path, scenario_factory):
    # Flat 10 MW load; electricity 10, 100, 10, 100 EUR/MWh; existing 30 MW electric boiler.
    # A store built at k EUR/MWh over the horizon, with 1 MW charge power per MWh: each MWh of
    # store shifts 1 MWh twice (hours 1->2 and 3->4), saving 2 * 90 = 180 EUR. At k = 50 the
    # store is built up to the 10 MWh needed to cover the dear hours (power 10 MW).
    # Cost: 40 MWh bought at 10 = 400; store 10 * 50 = 500 -> 900 (vs 2200 without).
    (tmp_path / "p.csv").write_text("p\n10\n100\n10\n100\n")
    store = {
        "name": "tank",
        "type": "storage",
        "network": "main",
        "energy_mwh": 0,
        "charge_mw": 0,
        "expansion": {
            "capital_cost_eur_per_mwh": 50 / YEARS / annuity_factor(RATE, 40),
            "charge_mw_per_mwh": 1.0,
        },
    }
    eb = {
        "name": "eb",
        "type": "electric_boiler",
        "sink": "main",
        "capacity_mw": 30,
        "efficiency": 1.0,
    }
    ds = restvarme.run(
        scenario_factory(
            units=[eb, store],
            discount_rate=RATE,
            electricity={"price_eur_per_mwh": "p.csv", "export_allowed": False},
        )
    )
    assert float(ds["capacity_new"].sel(unit="tank")) == pytest.approx(10.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(900.0, rel=1e-9)
    np.testing.assert_allclose(
        ds["storage_level_mwh"].sel(storage="tank"), [10, 0, 10, 0], atol=1e-6
    )


def test_extendable_heat_pump_and_heat_exchanger_keep_their_temperature_limits(
    tmp_path, scenario_factory
):
    # An extendable heat exchanger on 55 °C waste heat into a 70/40 network can still only
    # preheat 1/3 of the load, however much is built: capacity beyond 10/3 MW is never useful.
    hx = {
        "name": "hx",
        "type": "heat_exchanger",
        "source": "w",
        "sink": "main",
        "capacity_mw": 0,
        "expansion": {"capital_cost_eur_per_mw": 1.0, "lifetime_years": 20},
    }
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, hx], waste_heat={"w": {"available_mw": 50, "temperature_c": 55}}
        )
    )
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="hx"), 10 / 3, rtol=1e-9)
    assert float(ds["capacity_new"].sel(unit="hx")) == pytest.approx(10 / 3, rel=1e-6)


@pytest.mark.parametrize("kind", ["storage", "cold_storage", "battery", "hydrogen_storage"])
def test_full_year_check_fixes_a_store_of_any_carrier(kind):
    # A store planned with 40 MWh existing + 60 MWh new and 0.25 MW per MWh: in the full-year
    # re-run it is a fixed store of 100 MWh whose power grew by 0.25 * 60 = 15 MW.
    from restvarme.api import _set_capacity

    unit = {
        "name": "s",
        "type": kind,
        "energy_mwh": 40.0,
        "charge_mw": 10.0,
        "discharge_mw": None,
        "expansion": {"charge_mw_per_mwh": 0.25},
        "commissioned_year": None,
        "retired_year": None,
    }
    _set_capacity(unit, existing=40.0, new=60.0)
    assert unit["energy_mwh"] == 100.0
    assert unit["charge_mw"] == 10.0 + 15.0
    assert unit["discharge_mw"] is None  # stays "same as charge"
    assert "capacity_mw" not in unit and unit["expansion"] is None


def test_full_year_check_fixes_a_chp_and_a_collector_field_by_their_capacity_kind():
    # The rating comes from the type's capacity kind in the registry: a CHP's heat capacity
    # (its fuel limit grows with it, 30/20 = 1.5 MW of fuel per MW of heat: 30 + 1.5 * 10 = 45),
    # a solar-thermal field's area in m².
    from restvarme.api import _set_capacity

    def planned(**unit):
        return {"expansion": {}, "commissioned_year": None, "retired_year": None, **unit}

    chp = planned(type="chp", heat_capacity_mw=20.0, fuel_capacity_mw=30.0)
    _set_capacity(chp, existing=20.0, new=10.0)
    assert chp["heat_capacity_mw"] == 30.0 and chp["fuel_capacity_mw"] == pytest.approx(45.0)
    field = planned(type="solar_thermal", area_m2=10_000.0)
    _set_capacity(field, existing=10_000.0, new=5_000.0)
    assert field["area_m2"] == 15_000.0 and "capacity_mw" not in field
