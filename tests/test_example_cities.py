"""End to end: the Barcelona and The Hague examples over a full 8,760-hour year.

Each city is solved once per session (tests/conftest.py), and the tests on its full year are
marked ``slow``. What we pin is that the year is fully served, that every balance closes hour by
hour, that the cost items add up to the objective, and a few plausibility checks whose reasons
are written next to them. The inputs are partly assumed (see each example's SOURCES.md), so
plausibility checks are ranges or orderings with a reason, never exact figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import restvarme

ATOL_MW = 1e-5


@pytest.fixture
def barcelona(barcelona_year) -> xr.Dataset:
    """The full Barcelona year (the session's shared solve, tests/conftest.py)."""
    return barcelona_year.results


@pytest.fixture
def the_hague(the_hague_year) -> xr.Dataset:
    """The full The Hague year (the session's shared solve, tests/conftest.py)."""
    return the_hague_year.results


@pytest.fixture(params=["barcelona", "the_hague"])
def city(request) -> xr.Dataset:
    return request.getfixturevalue(request.param)


def _flh(ds: xr.Dataset, unit: str, capacity_mw: float) -> float:
    """Full-load hours of a unit's heat output [h]."""
    return float(ds["heat_mwh"].sel(unit=unit)) / capacity_mw


# --- every city ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_full_year_solves_without_unserved_heat_or_cooling(city):
    assert city.sizes["snapshot"] == 8760
    assert city.attrs["status"] == "optimal"
    np.testing.assert_allclose(city["unserved_heat_mw"], 0.0, atol=1e-6)
    if "unserved_cooling_mw" in city:
        np.testing.assert_allclose(city["unserved_cooling_mw"], 0.0, atol=1e-6)


@pytest.mark.slow
def test_heat_cooling_and_electricity_balance_every_hour(city):
    for network in city["network"].values:
        into = city["heat_mw"].where(city["unit_sink"] == network, 0).sum("unit")
        np.testing.assert_allclose(
            into + city["unserved_heat_mw"].sel(network=network),
            city["heat_demand_mw"].sel(network=network),
            atol=ATOL_MW,
        )
    for network in city["cooling_network"].values if "cooling_network" in city.dims else []:
        into = city["cooling_mw"].where(city["unit_sink"] == network, 0).sum("unit")
        np.testing.assert_allclose(
            into + city["unserved_cooling_mw"].sel(cooling_network=network),
            city["cooling_demand_mw"].sel(cooling_network=network),
            atol=ATOL_MW,
        )
    electricity = (
        city["electricity_mw"].sum("unit") + city["grid_import_mw"] - city["grid_export_mw"]
    )
    # electric buses charge from the same bus (a demand, not a unit)
    np.testing.assert_allclose(electricity, city["fleet_electricity_mw"], atol=ATOL_MW)


@pytest.mark.slow
def test_waste_heat_taken_never_exceeds_what_is_available(city):
    used = city["waste_heat_used_mw"].sum("route")
    assert bool((used <= city["waste_heat_available_mw"] + ATOL_MW).all())


@pytest.mark.slow
def test_cost_items_sum_to_the_objective(city):
    assert float(city["cost_eur"].sum()) == pytest.approx(city.attrs["objective_eur"], rel=1e-6)
    # Nothing is built and no penalty is paid in a fully served dispatch year.
    for item in ("capital", "unserved_heat_penalty", "target_shortfall_penalty"):
        assert float(city["cost_eur"].sel(cost_item=item)) == pytest.approx(0.0, abs=1e-6)


DIESEL_BUS_KWH_PER_KM = 3.9  # the model's diesel city bus (assumed, docs/scenario.md#fleets)
DIESEL_T_PER_MWH = 74.1 * 3.6 / 1000  # 74,100 kg CO2/TJ, IPCC 2006 Vol. 2 Table 3.2.1


@pytest.mark.slow
def test_every_bus_fleet_beats_its_diesel_baseline(city):
    from restvarme.accounting.sectors import emissions_by_sector, fleet_emissions

    fleets = fleet_emissions(city)
    # Baseline by hand: the same km in diesel buses (tank to wheel), per fleet.
    baseline = fleets["km"] * DIESEL_BUS_KWH_PER_KM / 1000 * DIESEL_T_PER_MWH
    np.testing.assert_allclose(fleets["baseline_t"], baseline, rtol=1e-9)
    assert bool((fleets["avoided_t"] > 0).all())
    table = emissions_by_sector(city)
    assert table["emissions_t"].sum() == pytest.approx(float(city["emissions_t"].sum()))
    assert table.loc["transport", "emissions_t"] == pytest.approx(fleets["emissions_t"].sum())
    assert table.loc["transport", "avoided_t"] > 0


# --- Barcelona -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_barcelona_demand_is_connected_load_times_full_load_hours(barcelona):
    # SOURCES.md: 51 MW heat x 1,100 h = 56.1 GWh plus 5 % losses; 73 MW cold x 1,200 h = 87.6 GWh
    # plus 3 % heat gains; Ecoenergies 30 GWh plus 3 %.
    assert float(barcelona["heat_demand_mwh"].sum()) == pytest.approx(56_100 * 1.05, rel=1e-9)
    cold = barcelona["cooling_demand_mwh"]
    assert float(cold.sel(cooling_network="districlima_cold")) == pytest.approx(87_600 * 1.03)
    assert float(cold.sel(cooling_network="ecoenergies_cold")) == pytest.approx(30_000 * 1.03)
    # The peak stays below the connected load (51 MW heat, 73 MW cold): not every building
    # peaks in the same hour.
    assert float(barcelona["heat_demand_mw"].max()) < 51
    assert float(barcelona["cooling_demand_mw"].sel(cooling_network="districlima_cold").max()) < 73


@pytest.mark.slow
def test_barcelona_incineration_steam_is_the_base_load(barcelona):
    # TERSA steam at 15 EUR/MWh undercuts gas boilers (35 EUR/MWh gas + 90 EUR/t x 0.203 t/MWh,
    # over 0.92: about 58 EUR/MWh of heat), and Districlima burns gas only as backup
    # (greenbestpractice.jrc.ec.europa.eu). So the boilers may run only in hours the steam is
    # gone (the assumed two-week outage) or fully drawn, and steam carries most of the heat.
    gas = barcelona["heat_mw"].sel(unit="gas_boilers")
    steam_left = barcelona["waste_heat_available_mw"].sel(waste_source="tersa_steam") - barcelona[
        "waste_heat_used_mw"
    ].sum("route").sel(waste_source="tersa_steam")
    hx_left = 40 - barcelona["heat_mw"].sel(unit="tersa_hx")
    assert bool(((gas <= ATOL_MW) | (steam_left <= ATOL_MW) | (hx_left <= ATOL_MW)).all())
    steam_mwh = float(barcelona["heat_mwh"].sel(unit="tersa_hx"))
    assert steam_mwh > 0.85 * float(barcelona["heat_demand_mwh"].sum())
    # Outside the outage, the exchanger delivers heat in every hour (base load).
    outage = (barcelona["snapshot"] >= np.datetime64("2030-02-02")) & (
        barcelona["snapshot"] < np.datetime64("2030-02-16")
    )
    assert bool((barcelona["heat_mw"].sel(unit="tersa_hx").where(~outage, 1.0) > 0).all())


@pytest.mark.slow
def test_barcelona_storage_carries_the_cooling_peak(barcelona):
    # The peak cooling demand (about 54 MW) exceeds the 35.9 MW of chillers plus 9 MW of
    # absorption, as in the real plant with 40 MW chilled-water and 80 MW ice storage
    # (efidistrict.eu): in the peak hour the stores must discharge.
    demand = barcelona["cooling_demand_mw"].sel(cooling_network="districlima_cold")
    peak = int(demand.argmax("snapshot"))
    assert float(demand[peak]) > 35.9 + 9
    stores = barcelona["cooling_mw"].sel(unit=["chilled_water_store", "ice_store"])
    assert float(stores.isel(snapshot=peak).sum()) > 0


@pytest.mark.slow
def test_barcelona_lng_cold_serves_ecoenergies(barcelona):
    # LNG waste cold costs only pumping (0.02 MWh electricity per MWh); the seawater chiller is
    # a backup. It should carry nearly all Ecoenergies cooling, within its 18 MW limit.
    cooling = barcelona["cooling_mwh"]
    demand = float(barcelona["cooling_demand_mwh"].sel(cooling_network="ecoenergies_cold"))
    assert float(cooling.sel(unit="lng_free_cooling")) > 0.9 * demand
    assert float(barcelona["cooling_mw"].sel(unit="lng_free_cooling").max()) <= 18 + ATOL_MW


@pytest.mark.slow
def test_barcelona_chillers_work_harder_when_the_sea_is_warm(barcelona):
    # The condenser sits on sea water (about 13 °C in February, 25.5 °C in August, assumed):
    # a higher condensing temperature means a lower EER.
    eer = barcelona["chiller_eer"].sel(chiller="sea_chillers").to_series()
    assert eer["2030-02"].mean() > eer["2030-08"].mean()
    assert 3 < eer.min() and eer.max() < 10


# --- The Hague -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_hague_geothermal_runs_almost_all_year(the_hague):
    # The doublet's heat (5 EUR/MWh + 2 EUR/MWh O&M) is the cheapest in the city network and the
    # 75 °C water can always at least preheat the 40 °C return: it runs at full output except
    # in the assumed one-week outage (8,592 h possible). Full output is what the exchanger can
    # take from the stream: its 5 MW are counted from 75 down to the 30 °C reinjection
    # (C = 5/45 MW/K) and the exchanger cools it to the 40 °C return + 3 K approach only:
    # C · (75 - 43) = 3.56 MW.
    stream_limit_mw = 5 / 45 * (75 - 43)
    assert 8_000 < _flh(the_hague, "geothermal_hx", stream_limit_mw) <= 8_592 + 1e-6


@pytest.mark.slow
def test_the_hague_port_heat_carries_the_city_network(the_hague):
    # WarmtelinQ heat at 20 EUR/MWh beats gas; it is limited only by its assumed 100 MW and the
    # June outage, so most of the city's heat is port heat.
    city_heat = float(the_hague["heat_demand_mwh"].sel(network="city"))
    assert float(the_hague["heat_mwh"].sel(unit="warmtelinq_hx")) > 0.6 * city_heat


@pytest.mark.slow
def test_the_hague_ates_stores_summer_heat_for_winter(the_hague):
    # Canal water is warmer in summer (higher COP) and the 6 MW of heat pumps cannot cover the
    # winter peak (about 11 MW) alone, so the seasonal store charges in summer and discharges in
    # winter, displacing the gas boiler.
    net = (the_hague["storage_discharge_mw"] - the_hague["storage_charge_mw"]).sel(storage="ates")
    monthly = net.to_series().resample("MS").sum()
    assert monthly.loc[["2030-06", "2030-07", "2030-08"]].sum() < 0
    assert monthly.loc[["2030-01", "2030-02", "2030-12"]].sum() > 0
    level = the_hague["storage_level_mwh"].sel(storage="ates").to_series()
    assert level["2030-10"].mean() > level["2030-03"].mean()


def test_the_hague_without_the_chp_still_serves_every_hour():
    # The CHP's retired_year is 2032: run the first cold fortnight as 2032 and the gas boilers
    # and port heat must take over with no gap (the phase-out is covered).
    sf = restvarme.load("the_hague")
    later = sf.scenario.model_copy(
        update={
            "year": 2032,
            "horizon": sf.scenario.horizon.model_copy(update={"hours": 336}),
        }
    )
    ds = restvarme.run(type(sf)(later, sf.path, sf.base_dir))
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="gas_chp"), 0.0, atol=1e-9)
    np.testing.assert_allclose(ds["unserved_heat_mw"], 0.0, atol=1e-6)


@pytest.mark.slow
def test_barcelona_buses_against_their_diesel_baseline(barcelona):
    # SOURCES.md (assumed 2030 fleet): 300 electric, 550 CNG, 200 diesel-hybrid and 46 hydrogen
    # buses, 50,000 km each, against diesel buses at 3.9 kWh/km and 74,100 kg/TJ
    # (IPCC 2006 Vol. 2 Table 3.2.1): 1,096 * 50,000 km * 3.9 kWh/km * 0.26676 t/MWh = 57,012 t.
    from restvarme.accounting.sectors import emissions_by_sector, fleet_emissions

    fleets = fleet_emissions(barcelona)
    km = {
        "electric_buses": 300 * 50_000,
        "cng_buses": 550 * 50_000,
        "hybrid_diesel_buses": 200 * 50_000,
        "hydrogen_buses": 46 * 50_000,
    }
    np.testing.assert_allclose(fleets["km"], pd.Series(km)[fleets.index], rtol=1e-9)
    assert fleets["baseline_t"].sum() == pytest.approx(1_096 * 50_000 * 3.9e-3 * 74.1 * 3.6e-3)
    emitted = fleets["emissions_t"]
    # Diesel hybrids burn 3.2 kWh/km of diesel at 0.2668 t/MWh: 10 Mkm * 3.2 / 1000 * 0.2668.
    assert emitted["hybrid_diesel_buses"] == pytest.approx(10e6 * 3.2e-3 * 0.2668)
    # Electric buses: 15 Mkm * 1.5 kWh/km = 22,500 MWh, all of it imported at 0.11 t/MWh
    # (the example generates no electricity).
    assert emitted["electric_buses"] == pytest.approx(22_500 * 0.11, rel=1e-6)
    # Hydrogen is bought from the station, with no emission factor in the model.
    assert emitted["hydrogen_buses"] == pytest.approx(0.0, abs=1e-6)
    # CNG buses take 27.5 Mkm * 4.5 kWh/km = 123,750 MWh of vehicle gas; biomethane covers part
    # of it, so they emit less than all of it from the grid at 0.202 t/MWh would.
    assert 0 < emitted["cng_buses"] < 123_750 * 0.202
    assert emissions_by_sector(barcelona).loc["transport", "avoided_t"] > 0.3 * 57_012


@pytest.mark.slow
def test_barcelona_hydrogen_and_vehicle_gas_are_served_every_hour(barcelona):
    # The hydrogen buses take 46 * 50,000 km * 3.5 kWh/km = 8,050 MWh a year, all bought from
    # the Zona Franca station (no electrolyser in the example); none is unserved.
    np.testing.assert_allclose(barcelona["unserved_hydrogen_mw"], 0.0, atol=1e-6)
    np.testing.assert_allclose(barcelona["unserved_vehicle_gas_mw"], 0.0, atol=1e-6)
    assert float(barcelona["fleet_energy_mwh"].sel(fleet="hydrogen_buses")) == pytest.approx(8_050)
    np.testing.assert_allclose(
        barcelona["hydrogen_import_mw"] + barcelona["hydrogen_mw"].sum("unit"),
        barcelona["hydrogen_demand_mw"] + barcelona["fleet_hydrogen_mw"],
        atol=ATOL_MW,
    )
    vehicle_gas = (
        barcelona["vehicle_gas_upgraded_mw"]
        + barcelona["gas_grid_import_mw"]
        - barcelona["gas_grid_export_mw"]
        + barcelona["unserved_vehicle_gas_mw"]
    )
    np.testing.assert_allclose(
        vehicle_gas,
        barcelona["vehicle_gas_demand_mw"] + barcelona["fleet_vehicle_gas_mw"],
        atol=ATOL_MW,
    )
    # The digester's 19.5 GWh (assumed from 32,500 t/yr of food waste) is all upgraded at 0.98,
    # none flared: upgrading capacity (2.5 MW) exceeds the flat 2.23 MW of production.
    assert float(barcelona["biogas_made_mwh"]) == pytest.approx(19_500, rel=1e-9)
    assert float(barcelona["biogas_flared_mwh"]) == pytest.approx(0.0, abs=1e-3)
    assert float(barcelona["vehicle_gas_upgraded_mwh"]) == pytest.approx(19_500 * 0.98, rel=1e-6)
    for item in ("unserved_hydrogen_penalty", "unserved_vehicle_gas_penalty"):
        assert float(barcelona["cost_eur"].sel(cost_item=item)) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.slow
def test_the_hague_electric_buses_against_their_diesel_baseline(the_hague):
    # SOURCES.md: 102 HTM buses * 55,000 km and 116 EBS buses * 70,000 km (sourced numbers,
    # assumed distances) against diesel buses at 3.9 kWh/km and 74,100 kg/TJ:
    # (5.61 + 8.12) Mkm * 3.9 / 1000 * 0.26676 = 14,284 t.
    from restvarme.accounting.sectors import fleet_emissions

    fleets = fleet_emissions(the_hague)
    km = 102 * 55_000 + 116 * 70_000
    assert fleets["baseline_t"].sum() == pytest.approx(km * 3.9e-3 * 74.1 * 3.6e-3)
    # They charge 102 * 55,000 * 1.5 + 116 * 70,000 * 1.31 = 19,051 MWh; at most all of it is
    # imported at 0.27 t/MWh (the gas CHP's power covers part of the hours).
    charged = 102 * 55_000 * 1.5e-3 + 116 * 70_000 * 1.31e-3
    assert float(the_hague["fleet_electricity_mw"].sum()) == pytest.approx(charged, rel=1e-6)
    assert 0 < fleets["emissions_t"].sum() <= charged * 0.27 + 1e-6
    # No hydrogen or biogas in this example (nothing defensible found: SOURCES.md).
    assert "hydrogen_demand_mw" not in the_hague and "vehicle_gas_demand_mw" not in the_hague


@pytest.mark.slow
def test_headline_figures_equal_their_definitions_from_the_csvs(city, tmp_path):
    """key_figures.csv equals every figure recomputed from the other CSVs of the run folder."""
    import pandas as pd

    from headline_definitions import definitions_from_csv
    from restvarme.results.io import write_results

    write_results(city, tmp_path)
    written = pd.read_csv(tmp_path / "key_figures.csv", index_col=0)["value"]
    for key, value in definitions_from_csv(tmp_path).items():
        assert written[key] == pytest.approx(value, rel=1e-5), key


def test_barcelona_chiller_eer_range_as_sources_state():
    # examples/barcelona/SOURCES.md: "an EER of about 4.4-6.5 over the year". At the 4 °C
    # supply (0 °C evaporating, 273.15 K) the 21 °C condensing floor caps the EER at
    # 0.5 * 273.15 / 21 = 6.50; the warmest sea gives the low end.
    from restvarme.examples import resolve_scenario
    from restvarme.inputs.build import build_inputs
    from restvarme.scenario.load import load_scenario

    x = build_inputs(load_scenario(resolve_scenario("barcelona")))
    eer = x["chiller_eer"].sel(chiller="sea_chillers")
    assert float(eer.max()) == pytest.approx(0.5 * 273.15 / 21)
    assert round(float(eer.min()), 1) == 4.4
