"""District cooling: hand-solvable cases for every cooling unit type, with the arithmetic in the
comments, and a Hypothesis property that every balance closes.

Common set-up (tests/tiny_scenarios.py BASE): 4 hours, outdoor air at 0 °C, electricity at
40 EUR/MWh without export, gas at 20 EUR/MWh. Here a cooling network "dc" at 6/16 °C takes a flat
5 MW, and the heat network "main" (70/40 °C) has no heat demand unless a test says so.
Temperatures in kelvin: 6 - 4 K evaporator approach = 2 °C = 275.15 K; 70 + 4 K = 347.15 K.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

import restvarme
from restvarme.economics import annuity_factor
from restvarme.errors import ScenarioError
from restvarme.inputs.build import build_inputs
from restvarme.inputs.demand import cooling_degree_hour_profile
from restvarme.scenario import references
from restvarme.scenario.schema import Scenario

DC = {"dc": {"supply_temperature_c": 6, "return_temperature_c": 16, "demand": {"series_mw": 5}}}


def heat_net(demand_mw: float | str = 0.0):
    return {
        "main": {
            "supply_temperature_c": 70,
            "return_temperature_c": 40,
            "demand": {"series_mw": demand_mw},
        }
    }


def chiller(name="ch", **extra):
    # condenser on outdoor air at 0 °C: ideal EER 0.45 * 275.15 / 3 = 41.3, capped at 15 (no
    # condensing floor here, so that the cap binds; the floor is tested on its own below)
    return {
        "name": name,
        "type": "chiller",
        "sink": "dc",
        "capacity_mw": 20,
        "min_condensing_c": None,
        **extra,
    }


def run(factory, units, cooling=None, networks=None, **changes):
    return restvarme.run(
        factory(
            units=units, cooling_networks=cooling or DC, networks=networks or heat_net(), **changes
        )
    )


def write(tmp_path, name, values):
    (tmp_path / name).write_text("value\n" + "\n".join(f"{v:.6f}" for v in values) + "\n")
    return name


# --- inputs -------------------------------------------------------------------------------------


def test_cooling_degree_hour_profile_by_hand():
    # degrees above 18 °C: 0, 2, 4, 0 (sum 6); base share 0.2 spread flat: 0.05 each hour
    w = cooling_degree_hour_profile(
        np.array([10.0, 20.0, 22.0, 18.0]), cooling_limit_c=18.0, base_load_share=0.2
    )
    np.testing.assert_allclose(w, [0.05, 0.05 + 0.8 * 2 / 6, 0.05 + 0.8 * 4 / 6, 0.05])
    np.testing.assert_allclose(cooling_degree_hour_profile(np.zeros(3)), 1 / 3)  # never warm


def test_annual_cooling_demand_and_heat_gains(scenario_factory):
    # 4 hours at 25 °C (all equally warm): 8.76 GWh/yr over 8760 h is 1 MW each hour, plus 10 %
    # pipe heat gains.
    cooling = {
        "dc": {
            "supply_temperature_c": 6,
            "return_temperature_c": 16,
            "heat_gain_share": 0.1,
            "demand": {"annual_gwh": 8.76},
        }
    }
    sf = scenario_factory(
        cooling_networks=cooling, location={"name": "x", "outdoor_temperature_c": 25.0}
    )
    x = build_inputs(sf)
    np.testing.assert_allclose(x["cooling_demand_mw"].sel(cooling_network="dc"), 1.1)


def test_cooling_network_temperatures_and_references_are_checked(scenario_factory):
    with pytest.raises(ValueError, match="below return_temperature_c"):
        Scenario.model_validate(
            {
                **_minimal(),
                "cooling_networks": {
                    "dc": {
                        "supply_temperature_c": 16,
                        "return_temperature_c": 6,
                        "demand": {"series_mw": 1},
                    }
                },
            }
        )
    sc = Scenario.model_validate(
        {
            **_minimal(),
            "cooling_networks": DC,
            "units": [
                {
                    "name": "c",
                    "type": "chiller",
                    "sink": "main",
                    "capacity_mw": 1,
                    "condenser": "lake",
                },
                {
                    "name": "a",
                    "type": "absorption_chiller",
                    "source": "dc",
                    "sink": "dc",
                    "capacity_mw": 1,
                },
                {
                    "name": "h",
                    "type": "heat_recovery_heat_pump",
                    "cooling_network": "main",
                    "heat_network": "dc",
                    "capacity_mw": 1,
                },
                {
                    "name": "s",
                    "type": "cold_storage",
                    "network": "main",
                    "energy_mwh": 1,
                    "charge_mw": 1,
                },
            ],
        }
    )
    paths = [p.path for p in references.check_references(sc)]
    assert paths == [
        ("units", 0, "sink"),
        ("units", 0, "condenser"),
        ("units", 1, "source"),
        ("units", 2, "cooling_network"),
        ("units", 2, "heat_network"),
        ("units", 3, "network"),
    ]


def _minimal():
    return {
        "name": "x",
        "location": {"name": "a", "outdoor_temperature_c": 0},
        "electricity": {"price_eur_per_mwh": 1},
        "networks": heat_net(1.0),
    }


def test_hourly_cooling_supply_above_return_is_located(tmp_path, scenario_factory):
    cooling = {
        "dc": {
            "supply_temperature_c": write(tmp_path, "s.csv", [6, 6, 17, 6]),
            "return_temperature_c": 16,
            "demand": {"series_mw": 1},
        }
    }
    with pytest.raises(ScenarioError, match="not below the return"):
        build_inputs(scenario_factory(cooling_networks=cooling))


# --- chillers -----------------------------------------------------------------------------------


def test_chiller_cost_eer_and_marginal_cooling_price(scenario_factory):
    # Condenser on sea water at 25 °C: T_cond = 30 °C = 303.15 K, T_evap = 275.15 K,
    # EER = 0.45 * 275.15 / 28 = 4.42205. Cooling costs 40 / EER = 9.0456 EUR/MWh;
    # 4 h * 5 MW = 20 MWh -> 180.91 EUR, all of it electricity bought.
    eer = 0.45 * 275.15 / 28
    ds = run(scenario_factory, [chiller(condenser="sea")], ambient={"sea": {"temperature_c": 25}})
    assert ds.attrs["objective_eur"] == pytest.approx(20 * 40 / eer, rel=1e-9)
    np.testing.assert_allclose(ds["chiller_eer"].sel(chiller="ch"), eer, rtol=1e-12)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="ch"), 5.0)
    assert float(ds["electricity_mwh"].sel(unit="ch")) == pytest.approx(-20 / eer)
    assert float(ds["cooling_mwh"].sel(unit="ch")) == pytest.approx(20.0)
    np.testing.assert_allclose(ds["marginal_cooling_price_eur_per_mwh"], 40 / eer, rtol=1e-9)
    purchase = float(ds["cost_eur"].sel(cost_item="electricity_purchase"))
    assert purchase == pytest.approx(20 * 40 / eer)


def test_chiller_condensing_floor_holds_the_eer_down(scenario_factory):
    # Outdoor air at 0 °C: condensing at 0 + 5 = 5 °C is held at the default floor of 21 °C, so
    # EER = 0.45 * 275.15 / (294.15 - 275.15) = 6.5167 instead of the cap of 15; 20 MWh of
    # cooling cost 20 * 40 / 6.5167 = 122.76 EUR.
    spec = chiller()
    del spec["min_condensing_c"]  # the default
    ds = run(scenario_factory, [spec])
    eer = 0.45 * 275.15 / 19
    np.testing.assert_allclose(ds["chiller_eer"].sel(chiller="ch"), eer, rtol=1e-12)
    assert ds.attrs["objective_eur"] == pytest.approx(20 * 40 / eer, rel=1e-9)


def test_unserved_cooling_is_reported_and_penalised(scenario_factory):
    # A 3 MW chiller (EER 15 on 0 °C air) for a 5 MW load: 2 MW unserved each hour at 5000.
    ds = run(scenario_factory, [chiller(capacity_mw=3)])
    assert float(ds["unserved_cooling_mwh"].sel(cooling_network="dc")) == pytest.approx(8.0)
    assert ds.attrs["objective_eur"] == pytest.approx(12 * 40 / 15 + 8 * 5000, rel=1e-9)
    assert float(ds["cost_eur"].sel(cost_item="unserved_cooling_penalty")) == pytest.approx(40_000)
    np.testing.assert_allclose(ds["marginal_cooling_price_eur_per_mwh"], 5000.0)


# --- free cooling -------------------------------------------------------------------------------


def test_free_cooling_pre_cools_the_return_by_hand(tmp_path, scenario_factory):
    # Sea at 3, 5, 8, 15 °C; the network runs 6/16 °C, approach 2 K. Free cooling can cool the
    # return down to sea + 2 K, a share (16 - sea - 2) / (16 - 6) of the 5 MW load:
    #   3 °C: 1.1 -> 1 (all), 5 °C: 0.9, 8 °C: 0.6, 15 °C: -0.1 -> 0
    # so 5, 4.5, 3, 0 MW; the chiller (EER 15 on 0 °C air) the rest: 0, 0.5, 2, 5 MW.
    # Cost: 12.5 MWh * 0.02 * 40 = 10 (pumps) + 7.5 MWh * 40 / 15 = 20.
    sea = {"sea": {"temperature_c": write(tmp_path, "sea.csv", [3, 5, 8, 15])}}
    fc = {"name": "fc", "type": "free_cooling", "source": "sea", "sink": "dc", "capacity_mw": 10}
    ds = run(scenario_factory, [chiller(), fc], ambient=sea)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="fc"), [5, 4.5, 3, 0], atol=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(10 + 20, rel=1e-9)
    # the last MW of the partial hours comes from the chiller
    np.testing.assert_allclose(
        ds["marginal_cooling_price_eur_per_mwh"].sel(cooling_network="dc"),
        [0.8, 40 / 15, 40 / 15, 40 / 15],
    )
    # with only 3 MW available from the sea: 3, 3, 3, 0 MW; chiller 2, 2, 2, 5 MW
    ds = run(scenario_factory, [chiller(), {**fc, "available_mw": 3}], ambient=sea)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="fc"), [3, 3, 3, 0], atol=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(9 * 0.8 + 11 * 40 / 15, rel=1e-9)


def test_two_free_cooling_units_pre_cool_the_same_return_once(scenario_factory):
    # Sea at 5 °C (share 0.9) and a lake at 8 °C (share 0.6) on one 5 MW network: together they
    # can cool the return only down to 7 °C, the colder source's reach: 0.9 * 5 = 4.5 MW, not
    # 4.5 + 3. The chiller covers the last 0.5 MW.
    ambient = {"sea": {"temperature_c": 5.0}, "lake": {"temperature_c": 8.0}}
    fc = {"type": "free_cooling", "sink": "dc", "capacity_mw": 10}
    units = [chiller(), {**fc, "name": "sea_fc", "source": "sea"}]
    units.append({**fc, "name": "lake_fc", "source": "lake"})
    ds = run(scenario_factory, units, ambient=ambient)
    free = ds["cooling_mw"].sel(unit=["sea_fc", "lake_fc"]).sum("unit")
    np.testing.assert_allclose(free, 4.5, atol=1e-9)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="ch"), 0.5, atol=1e-9)


def test_extendable_free_cooling_cannot_run_in_warm_hours(tmp_path, scenario_factory):
    # However cheap the capacity, free cooling serves only its share of the load (5, 4.5, 3, 0
    # MW as above): 5 MW are built.
    sea = {"sea": {"temperature_c": write(tmp_path, "sea.csv", [3, 5, 8, 15])}}
    fc = {
        "name": "fc",
        "type": "free_cooling",
        "source": "sea",
        "sink": "dc",
        "capacity_mw": 0,
        "expansion": {"capital_cost_eur_per_mw": 1.0},
    }
    ds = run(scenario_factory, [chiller(), fc], ambient=sea)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="fc"), [5, 4.5, 3, 0], atol=1e-9)
    assert float(ds["capacity_new"].sel(unit="fc")) == pytest.approx(5.0, rel=1e-6)


# --- absorption chillers ------------------------------------------------------------------------

ABSORPTION = {
    "name": "abs",
    "type": "absorption_chiller",
    "sink": "dc",
    "capacity_mw": 10,
    "thermal_cop": 0.7,
    "electricity_mwh_per_mwh": 0.01,
}
BOILER = {
    "name": "gas_boiler",
    "type": "boiler",
    "fuel": "gas",
    "sink": "main",
    "capacity_mw": 30,
    "efficiency": 0.8,
}


def test_absorption_chiller_on_network_heat(scenario_factory):
    # Heat network 10 MW; the absorption chiller draws 5/0.7 = 7.143 MW more from it, which the
    # gas boiler makes at 20/0.8 = 25 EUR/MWh. Cooling costs 25/0.7 + 0.01*40 = 36.114 EUR/MWh.
    # Cost: 4 h * [(10 + 5/0.7) * 25 + 5 * 0.4] = 1714.29 + 8.
    ds = run(scenario_factory, [BOILER, {**ABSORPTION, "source": "main"}], networks=heat_net(10))
    assert ds.attrs["objective_eur"] == pytest.approx(4 * ((10 + 5 / 0.7) * 25 + 5 * 0.4), rel=1e-9)
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="abs"), -5 / 0.7)
    np.testing.assert_allclose(ds["marginal_cooling_price_eur_per_mwh"], 25 / 0.7 + 0.4, rtol=1e-9)
    # the heat balance still closes over all units, the consumer included
    np.testing.assert_allclose(ds["heat_mw"].sum("unit"), ds["heat_demand_mw"].sel(network="main"))


def test_absorption_chiller_needs_hot_enough_driving_heat(scenario_factory):
    # 70 °C supply is below an 80 °C minimum: no cooling at all, 20 MWh unserved at 5000.
    ds = run(
        scenario_factory,
        [BOILER, {**ABSORPTION, "source": "main", "min_driving_temperature_c": 80}],
    )
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="abs"), 0.0)
    assert ds.attrs["objective_eur"] == pytest.approx(20 * 5000, rel=1e-9)


def test_absorption_chiller_derated_by_its_characteristic_equation(scenario_factory):
    # The Kühn & Ziegler 10 kW machine (characteristic "kuehn") scaled to 8 MW, on network heat
    # at 70 °C (generator mean 70 - 10/2 = 65 °C), cooling water 8 K above a 22 °C tower
    # (mean 30 °C), chilled water 6/16 °C (mean 11 °C):
    #   ΔΔt' = 65 - 2.5 * 30 + 1.8 * 11 = 9.8 K
    #   cooling 0.42 * 9.8 + 0.9 = 5.016 kW of the nominal 10: share 0.5016 -> 4.0128 MW
    #   driving heat 0.51 * 9.8 + 2 = 6.998 kW: COP 5.016 / 6.998 = 0.716776
    # so 4.0128 MW of the 5 MW load (0.9872 MW unserved), drawing 4.0128 / 0.716776 = 5.5984 MW.
    chiller_spec = {
        **ABSORPTION,
        "source": "main",
        "capacity_mw": 8,
        "characteristic": "kuehn",
        "cooling_water": "tower",
    }
    del chiller_spec["thermal_cop"]
    ambient = {"tower": {"temperature_c": 22.0}}
    ds = run(scenario_factory, [BOILER, chiller_spec], ambient=ambient)
    cop = 5.016 / 6.998
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="abs"), 4.0128, rtol=1e-9)
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="abs"), -4.0128 / cop, rtol=1e-9)
    np.testing.assert_allclose(ds["unserved_cooling_mw"].sel(cooling_network="dc"), 0.9872)


def test_absorption_characteristic_replaces_thermal_cop():
    spec = {**ABSORPTION, "source": "main", "characteristic": "kuehn"}
    with pytest.raises(ValueError, match=r"either thermal_cop .* or characteristic"):
        Scenario.model_validate({**_minimal(), "cooling_networks": DC, "units": [spec]})
    custom = {"a": 2.5, "e": 1.8, "s_e": 0.42, "r_e": 0.9, "s_g": 0.51, "r_g": 2.0}
    spec = {k: v for k, v in spec.items() if k != "thermal_cop"}
    sc = {**_minimal(), "cooling_networks": DC}
    Scenario.model_validate({**sc, "units": [{**spec, "characteristic": "kuehn"}]})
    with pytest.raises(ValueError, match="nominal_cooling_kw"):
        Scenario.model_validate({**sc, "units": [{**spec, "characteristic": custom}]})
    custom["nominal_cooling_kw"] = 10.0
    Scenario.model_validate({**sc, "units": [{**spec, "characteristic": custom}]})


def test_absorption_chiller_on_waste_heat_values_the_waste_heat(scenario_factory):
    # 4 MW of 90 °C waste heat at 2 EUR/MWh gives up to 2.8 MW of cooling at 2/0.7 + 0.4 =
    # 3.257 EUR/MWh, cheaper than a sea-cooled chiller (25 °C sea: EER 4.42205, 9.0456 EUR/MWh),
    # which covers the other 2.2 MW. One more MWh of waste heat would replace 0.7 MWh of chiller
    # cooling: value 0.7 * (40/EER - 0.4) - 2.
    eer = 0.45 * 275.15 / 28
    ds = run(
        scenario_factory,
        [chiller(condenser="sea"), {**ABSORPTION, "source": "w"}],
        ambient={"sea": {"temperature_c": 25}},
        waste_heat={"w": {"available_mw": 4, "temperature_c": 90, "price_eur_per_mwh": 2}},
    )
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="abs"), 2.8)
    expected = 4 * (4 * 2 + 2.8 * 0.4 + 2.2 * 40 / eer)
    assert ds.attrs["objective_eur"] == pytest.approx(expected, rel=1e-9)
    used = ds["waste_heat_used_mwh"].sel(waste_source="w")
    assert float(used.sel(route="absorption")) == pytest.approx(16.0)
    assert float(ds["cost_eur"].sel(cost_item="waste_heat")) == pytest.approx(32.0)
    np.testing.assert_allclose(
        ds["waste_heat_value_eur_per_mwh"].sel(waste_source="w"),
        0.7 * (40 / eer - 0.4) - 2,
        rtol=1e-9,
    )


# --- cold storage -------------------------------------------------------------------------------


def test_cold_storage_shifts_cooling_to_cheap_hours(tmp_path, scenario_factory):
    # Electricity 10, 100, 10, 100 EUR/MWh; chiller EER 15; a 10 MWh store with 5 MW charge.
    # Cheap hours: 5 MW load + 5 MW into the store; dear hours: the store covers the load.
    # Cost = 2 h * 10 MW * 10/15 = 13.333 EUR (vs 2*5*10/15 + 2*5*100/15 = 73.33 without).
    price = write(tmp_path, "p.csv", [10, 100, 10, 100])
    store = {
        "name": "ice",
        "type": "cold_storage",
        "network": "dc",
        "medium": "ice",
        "energy_mwh": 10,
        "charge_mw": 5,
    }
    ds = run(
        scenario_factory,
        [chiller(), store],
        electricity={"price_eur_per_mwh": price, "export_allowed": False},
    )
    assert ds.attrs["objective_eur"] == pytest.approx(20 * 10 / 15, rel=1e-9)
    np.testing.assert_allclose(
        ds["cold_storage_level_mwh"].sel(cold_storage="ice"), [5, 0, 5, 0], atol=1e-9
    )
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="ice"), [-5, 5, -5, 5], atol=1e-9)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="ch"), [10, 0, 10, 0], atol=1e-9)


def test_extendable_cold_store(tmp_path, scenario_factory):
    # As above, with the store built at k = 50 EUR/MWh over the horizon (1 MW per MWh): each MWh
    # shifts 1 MWh twice, saving 2 * 90/15 = 12 EUR < 50, so nothing is built; at k = 5 the
    # store is built to the 5 MWh the dear hours need. Cost then 20 * 10/15 + 5 * 5 = 38.33.
    price = write(tmp_path, "p.csv", [10, 100, 10, 100])

    def store(k):
        return {
            "name": "tank",
            "type": "cold_storage",
            "network": "dc",
            "energy_mwh": 0,
            "charge_mw": 0,
            "expansion": {
                "capital_cost_eur_per_mwh": k / (4 / 8760) / annuity_factor(0.05, 40),
                "charge_mw_per_mwh": 1,
            },
        }

    el = {"price_eur_per_mwh": price, "export_allowed": False}
    ds = run(scenario_factory, [chiller(), store(50)], electricity=el)
    assert float(ds["capacity_new"].sel(unit="tank")) == pytest.approx(0.0, abs=1e-6)
    ds = run(scenario_factory, [chiller(), store(5)], electricity=el)
    assert float(ds["capacity_new"].sel(unit="tank")) == pytest.approx(5.0, rel=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(20 * 10 / 15 + 25, rel=1e-9)


def test_cold_store_cycles_within_each_typical_day(tmp_path, scenario_factory):
    # Four days: on days 1-2 electricity costs 10 EUR/MWh in hours 0-11 and 100 in hours 12-23,
    # on days 3-4 a flat 50. Two typical days are exact. A 60 MWh ice store (5 MW) charges 60 MWh
    # in the cheap half of a day 1-2 and covers the dear half: 12 h * 10 MW * 10/15 = 80 EUR per
    # day; days 3-4 gain nothing: 24 h * 5 MW * 50/15 = 400. Total 960, hourly or typical.
    day = [10.0] * 12 + [100.0] * 12
    price = write(tmp_path, "p.csv", day * 2 + [50.0] * 48)
    store = {
        "name": "ice",
        "type": "cold_storage",
        "network": "dc",
        "medium": "ice",
        "energy_mwh": 60,
        "charge_mw": 5,
    }
    el = {"price_eur_per_mwh": price, "export_allowed": False}
    for typical in (None, 2):
        ds = run(
            scenario_factory,
            [chiller(), store],
            electricity=el,
            horizon={"hours": 96, "typical_days": typical},
        )
        assert ds.attrs["objective_eur"] == pytest.approx(960.0, rel=1e-9)
    level = ds["cold_storage_level_mwh"].sel(cold_storage="ice")
    assert ds.sizes["snapshot"] == 48 and float(level.max()) == pytest.approx(60.0)


# --- heat-recovery heat pumps -------------------------------------------------------------------
# Heat network 70 °C, cooling network 6 °C: COP_h = 0.5 * 347.15 / (74 - 2) = 2.41076. Per MWh of
# condenser heat it uses 1/COP = 0.41481 MWh of electricity (16.59 EUR) and cools 1 - 1/COP =
# 0.58519 MWh. Gas at 10 EUR/MWh in a 0.8 boiler makes heat at 12.5 EUR/MWh; the sea-cooled
# chiller cools at 40/4.42205 = 9.0456 EUR/MWh.
#   heat alone:    16.59 EUR > 12.5 (boiler)
#   cooling alone: 16.59 / 0.58519 = 28.35 EUR > 9.05 (chiller)
#   both:          16.59 EUR < 12.5 + 0.58519 * 9.0456 = 17.79 EUR  -> cheapest only for both.
COP = 0.5 * 347.15 / 72
EER_SEA = 0.45 * 275.15 / 28
HRHP = {
    "name": "hr",
    "type": "heat_recovery_heat_pump",
    "cooling_network": "dc",
    "heat_network": "main",
    "capacity_mw": 20,
}
CHEAP_GAS = {"gas": {"price_eur_per_mwh": 10.0, "emission_t_per_mwh": 0.2}}


def hrhp_run(factory, heat_mw, **hrhp):
    return run(
        factory,
        [BOILER, chiller(condenser="sea"), {**HRHP, **hrhp}],
        networks=heat_net(heat_mw),
        fuels=CHEAP_GAS,
        ambient={"sea": {"temperature_c": 25}},
    )


def test_heat_recovery_heat_pump_is_cheapest_only_because_it_serves_both(scenario_factory):
    # Both networks want it: it covers the 5 MW of cooling with Q = 5 / (1 - 1/COP) = 8.544 MW
    # of heat (< 10 MW heat demand), the boiler the remaining 1.456 MW.
    # Cost: 4 h * [Q/COP * 40 + (10 - Q) * 12.5].
    q = 5 / (1 - 1 / COP)
    ds = hrhp_run(scenario_factory, 10)
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="hr"), q, rtol=1e-9)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="hr"), 5.0, rtol=1e-9)
    np.testing.assert_allclose(ds["electricity_mw"].sel(unit="hr"), -q / COP, rtol=1e-9)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="ch"), 0.0, atol=1e-9)
    with_it = 4 * (q / COP * 40 + (10 - q) * 12.5)
    assert ds.attrs["objective_eur"] == pytest.approx(with_it, rel=1e-9)
    # one more MWh of cooling: COP/(COP-1) MWh more condenser heat at 40/COP each, replacing
    # boiler heat at 12.5: (40 - 12.5 COP)/(COP - 1) = 6.99 EUR/MWh, below the chiller's 9.05
    np.testing.assert_allclose(
        ds["marginal_cooling_price_eur_per_mwh"], (40 - 12.5 * COP) / (COP - 1), rtol=1e-9
    )
    # the same system without it costs more: boiler 10 MW * 12.5 + chiller 5 MW * 9.0456 per hour
    assert ds.attrs["objective_eur"] < 4 * (10 * 12.5 + 5 * 40 / EER_SEA)
    # no heat wanted (free rejection): cooling alone at 28.35 EUR/MWh loses to the chiller
    ds = hrhp_run(scenario_factory, 0)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="hr"), 0.0, atol=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(4 * 5 * 40 / EER_SEA, rel=1e-9)


def test_heat_recovery_heat_pump_rejects_heat_only_where_allowed(scenario_factory):
    # Only the heat-recovery heat pump can cool (chiller capacity 0), and the heat network takes
    # 4 MW, less than the Q = 8.544 MW of condenser heat that 5 MW of cooling comes with.
    q = 5 / (1 - 1 / COP)
    units = [BOILER, chiller(capacity_mw=0, condenser="sea")]
    kw = {"networks": heat_net(4), "fuels": CHEAP_GAS, "ambient": {"sea": {"temperature_c": 25}}}
    # With rejection at 1 EUR/MWh: Q = 8.544, 4 MW to the network, 4.544 MW rejected.
    ds = run(scenario_factory, [*units, {**HRHP, "heat_rejection_cost_eur_per_mwh": 1}], **kw)
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="hr"), 4.0, rtol=1e-9)
    np.testing.assert_allclose(
        ds["heat_rejection_mw"].sel(heat_recovery_heat_pump="hr"), q - 4, rtol=1e-9
    )
    assert float(ds["cost_eur"].sel(cost_item="heat_rejection")) == pytest.approx(4 * (q - 4))
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (q / COP * 40 + (q - 4)), rel=1e-9)
    # Without rejection: Q <= 4 MW, cooling 4 * (1 - 1/COP) = 2.341 MW, the rest unserved.
    ds = run(scenario_factory, [*units, {**HRHP, "heat_rejection": False}], **kw)
    np.testing.assert_allclose(ds["cooling_mw"].sel(unit="hr"), 4 * (1 - 1 / COP), rtol=1e-9)
    np.testing.assert_allclose(
        ds["unserved_cooling_mw"].sel(cooling_network="dc"), 5 - 4 * (1 - 1 / COP), rtol=1e-9
    )


# --- expansion ----------------------------------------------------------------------------------


def test_extendable_chiller_break_even(tmp_path, scenario_factory):
    # Cooling load 10, 10, 2, 2 MW. The existing chiller runs at EER 2 (capped: 20 EUR/MWh), a
    # new one would run at EER 8 (5 EUR/MWh): it saves 15 EUR/MWh. Its first 2 MW run 4 h
    # (saving 60 EUR/MW), the MW above run 2 h (30 EUR/MW). At 45 EUR/MW over the horizon only the
    # first 2 MW pay: build 2 MW. Cost: new 8 MWh * 5 + old 16 MWh * 20 + 2 * 45 = 450.
    cooling = {
        "dc": {
            "supply_temperature_c": 6,
            "return_temperature_c": 16,
            "demand": {"series_mw": write(tmp_path, "d.csv", [10, 10, 2, 2])},
        }
    }
    new = {
        "name": "new",
        "type": "chiller",
        "sink": "dc",
        "capacity_mw": 0,
        "max_eer": 8,
        "min_condensing_c": None,
        "expansion": {"capital_cost_eur_per_mw": 45 / (4 / 8760) / annuity_factor(0.05, 25)},
    }
    ds = run(scenario_factory, [chiller(max_eer=2), new], cooling=cooling)
    assert float(ds["capacity_new"].sel(unit="new")) == pytest.approx(2.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(450.0, rel=1e-9)
    assert float(ds["cost_eur"].sel(cost_item="capital")) == pytest.approx(90.0, rel=1e-9)
    # at 25 EUR/MW (< 30) every MW up to the 10 MW peak pays: 24 MWh * 5 + 10 * 25 = 370
    new["expansion"]["capital_cost_eur_per_mw"] *= 25 / 45
    ds = run(scenario_factory, [chiller(max_eer=2), new], cooling=cooling)
    assert float(ds["capacity_new"].sel(unit="new")) == pytest.approx(10.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(370.0, rel=1e-9)


def test_cooling_in_a_pathway(scenario_factory):
    # Two periods of 2 years (r = 0): an extendable heat-recovery heat pump and absorption chiller
    # next to a chiller; the run is dimension-agnostic and its costs add up per period.
    hr = {**HRHP, "capacity_mw": 0, "expansion": {"capital_cost_eur_per_mw": 1000.0}}
    ab = {
        **ABSORPTION,
        "source": "main",
        "capacity_mw": 0,
        "expansion": {"capital_cost_eur_per_mw": 1000.0},
    }
    ds = run(
        scenario_factory,
        [BOILER, chiller(), hr, ab],
        networks=heat_net(10),
        discount_rate=0.0,
        pathway={"periods": [{"year": 2026}, {"year": 2028}], "last_period_years": 2},
    )
    assert ds["cooling_mw"].dims == ("period", "snapshot", "unit")
    total = float(ds["discounted_cost_eur"].sum())
    assert total == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)
    supplied = ds["cooling_mw"].sum("unit") + ds["unserved_cooling_mw"].sel(cooling_network="dc")
    np.testing.assert_allclose(supplied, 5.0, atol=1e-6)


# --- all together -------------------------------------------------------------------------------


def _all_units():
    return [
        {**BOILER, "vom_eur_per_mwh": 1.0},
        chiller(capacity_mw=2, vom_eur_per_mwh=0.5),
        {
            "name": "fc",
            "type": "free_cooling",
            "source": "air",
            "sink": "dc",
            "capacity_mw": 1,
            "vom_eur_per_mwh": 0.2,
            "approach_k": 2,
        },
        {**ABSORPTION, "source": "w", "capacity_mw": 1, "vom_eur_per_mwh": 0.3},
        {
            "name": "abs_net",
            "type": "absorption_chiller",
            "source": "main",
            "sink": "dc",
            "capacity_mw": 1,
        },
        {
            "name": "ice",
            "type": "cold_storage",
            "network": "dc",
            "energy_mwh": 3,
            "charge_mw": 1,
            "efficiency_charge": 0.9,
            "standing_loss_per_hour": 0.01,
            "vom_eur_per_mwh": 0.1,
        },
        {**HRHP, "capacity_mw": 3, "vom_eur_per_mwh": 0.7, "heat_rejection_cost_eur_per_mwh": 2},
    ]


def test_cost_items_add_up_to_objective_with_cooling(tmp_path, scenario_factory):
    price = write(tmp_path, "p.csv", [10, 100, 30, 60])
    ds = run(
        scenario_factory,
        _all_units(),
        networks=heat_net(2),
        carbon_price_eur_per_t=80,
        electricity={
            "price_eur_per_mwh": price,
            "grid_fee_eur_per_mwh": 7,
            "emission_t_per_mwh": 0.1,
            "export_allowed": False,
        },
        waste_heat={"w": {"available_mw": 1, "temperature_c": 90, "price_eur_per_mwh": 2}},
    )
    assert float(ds["cost_eur"].sum()) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)
    assert float(ds["cost_eur"].sel(cost_item="variable_om")) > 0


def test_summary_and_files_show_cooling(tmp_path, scenario_factory):
    from restvarme.cli import print_summary
    from restvarme.results.io import read_results, summary_tables, write_results

    ds = run(
        scenario_factory,
        _all_units(),
        networks=heat_net(2),
        waste_heat={"w": {"available_mw": 1, "temperature_c": 90}},
    )
    tables = summary_tables(ds)
    assert float(tables["cooling_networks"].loc["dc", "cooling_demand_mwh"]) == pytest.approx(20.0)
    assert "cooling_mwh" in tables["units"]
    console = Console(record=True, width=160)
    print_summary(ds, console)
    text = console.export_text()
    assert "Cooling by unit" in text and "Cooling networks" in text
    assert "absorption GWh" in text  # waste heat driving absorption chillers
    out = write_results(ds, tmp_path / "out")
    assert (out / "cooling_networks.csv").exists() and (out / "hourly_cooling_mw.csv").exists()
    assert read_results(out)["cooling_mw"].shape == ds["cooling_mw"].shape


def test_heat_only_runs_keep_their_layout(scenario_factory):
    ds = restvarme.run(scenario_factory(units=[BOILER]))
    assert "cooling_demand_mw" not in ds
    assert "unserved_cooling_penalty" not in ds["cost_item"].values
    np.testing.assert_allclose(ds["cooling_mw"], 0.0)
    console = Console(record=True, width=160)
    from restvarme.cli import print_summary

    print_summary(ds, console)
    # No cooling tables, but one line saying the sector is absent (issue #5: every sector shown).
    text = console.export_text()
    assert "Cooling by unit" not in text and "Cooling networks" not in text
    assert "Cooling: no cooling network in this scenario" in text


# --- property: every balance closes -------------------------------------------------------------

HOURS = 8
values = st.lists(st.floats(min_value=0.0, max_value=20.0), min_size=HOURS, max_size=HOURS)
size = st.floats(min_value=0.0, max_value=10.0)


SOLVES = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}
SYSTEMS = {
    "cooling": values,
    "heat": values,
    "prices": values,
    "sea": values,
    "sizes": st.lists(size, min_size=7, max_size=7),
}


@pytest.mark.slow  # 6 solves (the fast loop draws 3: the test below)
@settings(max_examples=6, **SOLVES)
@given(**SYSTEMS)
def test_every_balance_closes(tmp_path, scenario_factory, cooling, heat, prices, sea, sizes):
    _check_every_balance_closes(tmp_path, scenario_factory, cooling, heat, prices, sea, sizes)


@settings(max_examples=3, **SOLVES)
@given(**SYSTEMS)
def test_every_balance_closes_in_3_draws(
    tmp_path, scenario_factory, cooling, heat, prices, sea, sizes
):
    # the fast loop's share of the property above, checked the same way
    _check_every_balance_closes(tmp_path, scenario_factory, cooling, heat, prices, sea, sizes)


def _check_every_balance_closes(tmp_path, scenario_factory, cooling, heat, prices, sea, sizes):
    units = _all_units()
    units[1]["condenser"] = "sea"
    for unit, s in zip(units, sizes, strict=True):
        unit["energy_mwh" if unit["type"] == "cold_storage" else "capacity_mw"] = s
    ds = run(
        scenario_factory,
        units,
        cooling={
            "dc": {
                "supply_temperature_c": 6,
                "return_temperature_c": 16,
                "demand": {"series_mw": write(tmp_path, "c.csv", cooling)},
            }
        },
        networks=heat_net(write(tmp_path, "h.csv", heat)),
        horizon={"hours": HOURS},
        ambient={"sea": {"temperature_c": write(tmp_path, "s.csv", sea)}},
        electricity={
            "price_eur_per_mwh": write(tmp_path, "p.csv", prices),
            "export_allowed": False,
        },
        waste_heat={"w": {"available_mw": 1, "temperature_c": 90, "price_eur_per_mwh": 1}},
    )
    # cooling: every unit's cooling plus unserved equals the demand, hour by hour
    supplied = ds["cooling_mw"].sum("unit") + ds["unserved_cooling_mw"].sel(cooling_network="dc")
    demand = ds["cooling_demand_mw"].sel(cooling_network="dc")
    np.testing.assert_allclose(supplied, demand, atol=1e-6)
    # heat: the absorption chiller on network heat counts as a consumer
    supplied = ds["heat_mw"].sum("unit") + ds["unserved_heat_mw"].sel(network="main")
    np.testing.assert_allclose(supplied, ds["heat_demand_mw"].sel(network="main"), atol=1e-6)
    el = ds["electricity_mw"].sum("unit") + ds["grid_import_mw"] - ds["grid_export_mw"]
    np.testing.assert_allclose(el, 0.0, atol=1e-6)
    # the heat-recovery heat pump: condenser heat = cooling + electricity, rejection within it
    hr = ds.sel(unit="hr")
    rejected = ds["heat_rejection_mw"].sel(heat_recovery_heat_pump="hr")
    np.testing.assert_allclose(
        hr["heat_mw"] + rejected, hr["cooling_mw"] - hr["electricity_mw"], atol=1e-6
    )
    assert bool((rejected >= -1e-9).all()) and bool((hr["heat_mw"] >= -1e-9).all())
    # no cold from nowhere in the store, and costs add up
    net_in = (0.9 * ds["cold_storage_charge_mw"] - ds["cold_storage_discharge_mw"]).sum()
    assert float(net_in) >= -1e-6
    assert bool((ds["cost_eur"] >= -1e-6).all())
    np.testing.assert_allclose(
        float(ds["cost_eur"].sum()), ds.attrs["objective_eur"], rtol=1e-7, atol=1e-6
    )
