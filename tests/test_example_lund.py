"""End to end: the built-in Lund example over a full 8,760-hour year.

Regression figures are ranges with a reason, not exact numbers: the example's inputs are partly
assumed (examples/lund/SOURCES.md), so what we pin is that the result stays physically and
historically plausible.

The year is solved once per session (``lund_year`` in tests/conftest.py) and its tests are marked
``slow``; the pathway test plans two weeks only (slow too: a pathway of an example).
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.results.io import read_results


@pytest.fixture
def lund(lund_year):
    """The results of the full Lund year (the session's shared solve)."""
    return lund_year.results


@pytest.mark.slow
def test_full_year_without_unserved_heat_cooling_or_hydrogen(lund):
    assert lund.sizes["snapshot"] == 8760
    assert lund.attrs["status"] == "optimal"
    np.testing.assert_allclose(lund["unserved_heat_mwh"], 0.0, atol=1e-6)
    np.testing.assert_allclose(lund["unserved_cooling_mwh"], 0.0, atol=1e-6)
    assert float(lund["unserved_hydrogen_mwh"]) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.slow
def test_every_hour_balances(lund):
    for network in lund["network"].values:
        into = lund["heat_mw"].where(lund["unit_sink"] == network, 0).sum("unit")
        np.testing.assert_allclose(
            into + lund["unserved_heat_mw"].sel(network=network),
            lund["heat_demand_mw"].sel(network=network),
            atol=1e-5,
        )
    electricity = (
        lund["electricity_mw"].sum("unit") + lund["grid_import_mw"] - lund["grid_export_mw"]
    )
    # the electric city buses charge from the same bus (a demand, not a unit)
    np.testing.assert_allclose(electricity, lund["fleet_electricity_mw"], atol=1e-5)
    biogas = lund["biogas_mw"].sum("unit") + lund["biogas_made_mw"] - lund["biogas_flared_mw"]
    np.testing.assert_allclose(biogas, 0.0, atol=1e-5)
    vehicle_gas = (
        lund["vehicle_gas_upgraded_mw"]
        + lund["gas_grid_import_mw"]
        - lund["gas_grid_export_mw"]
        + lund["unserved_vehicle_gas_mw"]
    )
    np.testing.assert_allclose(
        vehicle_gas, lund["vehicle_gas_demand_mw"] + lund["fleet_vehicle_gas_mw"], atol=1e-5
    )


@pytest.mark.slow
def test_annual_demand_and_cost_split(lund):
    # 1,000 GWh main + 40 GWh Brunnshög delivered, 30 GWh of cooling and 1.5 MW of hydrogen all
    # year, as the scenario states. The heat load adds the networks' losses (SOURCES.md): the
    # main network loses 9 % of the heat fed in, 1,000 * 9 / 91 = 98.901 GWh; Brunnshög
    # 0.0024 MW/K * 41 K * 8760 h = 861.984 MWh.
    loss = lund["heat_loss_mwh"]
    assert float(loss.sel(network="main")) == pytest.approx(1_000_000 * 9 / 91, rel=1e-9)
    assert float(loss.sel(network="brunnshog")) == pytest.approx(861.984, rel=1e-9)
    delivered = lund["heat_demand_mwh"] - loss
    assert float(delivered.sum()) == pytest.approx(1_040_000, rel=1e-9)
    assert float(lund["cooling_demand_mwh"].sum()) == pytest.approx(30_000, rel=1e-9)
    assert float(lund["hydrogen_demand_mw"].sum()) == pytest.approx(1.5 * 8760, rel=1e-9)
    assert float(lund["cost_eur"].sum()) == pytest.approx(lund.attrs["objective_eur"], rel=1e-6)


@pytest.mark.slow
def test_ortofta_runs_like_the_real_plant(lund):
    # Örtofta delivers about 500 GWh heat and 220 GWh power a year (bioenergyinternational.com,
    # kraftringen.se). The example's CHP is sized from that; the optimum should stay within 20 %.
    heat = float(lund["heat_mwh"].sel(unit="ortofta_chp"))
    power = float(lund["electricity_mwh"].sel(unit="ortofta_chp"))
    assert 400_000 < heat < 600_000
    assert power / heat == pytest.approx(0.27 / 0.62, rel=1e-9)


@pytest.mark.slow
def test_waste_heat_routes_and_temperatures(lund):
    used = lund["waste_heat_used_mwh"]
    # ESS at 75 °C feeds the main network directly only while its supply is at most 70 °C
    # (75 - 5 K approach), i.e. in mild weather; in cold weather it can only preheat.
    assert float(used.sel(waste_source="ess_75c", route="direct")) > 0
    assert float(used.sel(waste_source="ess_75c", route="preheat")) > 0
    # ESS at 28 °C is below both return temperatures (45 and 35 °C): heat pump only.
    assert float(used.sel(waste_source="ess_28c", route=["direct", "preheat"]).sum()) == 0
    assert float(used.sel(waste_source="ess_28c", route="heat_pump")) > 0
    # Never more than available, hour by hour.
    assert bool(
        (lund["waste_heat_used_mw"].sum("route") <= lund["waste_heat_available_mw"] + 1e-6).all()
    )
    # A heat pump from 28 °C to the 65 °C Brunnshög network has a higher COP than to the main
    # network (70-100 °C) in every hour.
    cop = lund["heat_pump_cop"]
    assert bool((cop.sel(heat_pump="ess_28c_hp_lt") > cop.sel(heat_pump="ess_28c_hp_main")).all())


@pytest.mark.slow
def test_district_cooling_in_northern_lund(lund):
    # Every hour balances on the cooling network.
    into = lund["cooling_mw"].where(lund["unit_cooling_network"] == "north_dc", 0).sum("unit")
    np.testing.assert_allclose(
        into + lund["unserved_cooling_mw"].sel(cooling_network="north_dc"),
        lund["cooling_demand_mw"].sel(cooling_network="north_dc"),
        atol=1e-5,
    )
    cooling = lund["cooling_mwh"].to_series()
    # MAX IV's heat-recovery heat pumps cool the network and heat Brunnshög: about 20 GWh/yr of
    # heat to the low-temperature network (cooldh.eu); the example's optimum stays within 30 %.
    heat = float(lund["heat_mwh"].sel(unit="maxiv_hrhp"))
    assert 14_000 < heat < 26_000
    assert cooling["maxiv_hrhp"] > 5_000
    assert str(lund["unit_sink"].sel(unit="maxiv_hrhp").values) == "brunnshog"
    # Free cooling from outdoor air pre-cools the 16 °C return: it runs only in hours below
    # 16 - 2 = 14 °C, and takes at most (16 - outdoor - 2) / (16 - 6) of the load, all of it at
    # or below 6 - 2 = 4 °C.
    free = lund["cooling_mw"].sel(unit="north_dc_free_cooling")
    assert float(free.sum()) > 0
    outdoor = lund["outdoor_temperature_c"].values
    running = free.values > 1e-6
    assert (outdoor[running] < 14).all()
    share = np.clip((16 - outdoor - 2) / 10, 0, 1)
    load = lund["cooling_demand_mw"].sel(cooling_network="north_dc").values
    assert (free.values <= share * load + 1e-6).all()
    assert bool((running & (outdoor > 4)).any())  # partial pre-cooling is used
    # Chillers cover the summer peak.
    assert cooling["north_dc_chillers"] > 5_000


@pytest.mark.slow
def test_electrolyser_heat_reaches_the_heat_networks(lund):
    # 1.5 MW of hydrogen all year from the electrolyser (no import); 30 % of its electricity is
    # offered as heat at 60 °C (heat_share default 1 - 0.65 - 0.05), which preheats Brunnshög's
    # return and feeds a heat pump to the main network.
    hydrogen = float(lund["hydrogen_mwh"].sel(unit="h2_electrolyser"))
    assert hydrogen == pytest.approx(1.5 * 8760, rel=1e-6)
    electricity = -float(lund["electricity_mwh"].sel(unit="h2_electrolyser"))
    assert electricity == pytest.approx(hydrogen / 0.65, rel=1e-9)
    offered = float(lund["waste_heat_offered_mw"].sel(waste_source="h2_heat").sum())
    assert offered == pytest.approx(0.30 * electricity, rel=1e-9)
    used = lund["waste_heat_used_mwh"].sel(waste_source="h2_heat")
    assert float(used.sel(route="preheat")) > 1_000
    assert float(used.sel(route="heat_pump")) > 100
    assert float(used.sum()) <= offered + 1e-6
    # The store shifts production to cheaper hours: it fills and empties during the year.
    level = lund["hydrogen_storage_level_mwh"].sel(hydrogen_storage="h2_storage")
    assert float(level.max()) > 30 and float(level.min()) < 1


@pytest.mark.slow
def test_biogas_and_buses_against_their_baseline(lund):
    # Källby and Ellinge make 7.5 + 12.2 = 19.7 GWh of biogas a year (SOURCES.md), all of it
    # upgraded (0.98) rather than flared: the gas grid buys what the overnight bus fuelling
    # needs beyond the upgraders' 3.5 MW and takes the daytime surplus.
    from restvarme.accounting.sectors import emissions_by_sector, fleet_emissions

    assert float(lund["biogas_made_mwh"]) == pytest.approx(19_700, rel=1e-9)
    assert float(lund["biogas_flared_mwh"]) == pytest.approx(0.0, abs=1e-3)
    assert float(lund["vehicle_gas_upgraded_mwh"]) == pytest.approx(19_700 * 0.98, rel=1e-6)
    np.testing.assert_allclose(lund["unserved_vehicle_gas_mwh"], 0.0, atol=1e-6)
    # 60 city buses * 60,000 km and 40 regional buses * 70,000 km against diesel buses at
    # 3.9 kWh/km and 0.2668 t/MWh: 6.4 Mkm * 3.9 / 1000 * 0.26676 = 6,658 t of baseline.
    fleets = fleet_emissions(lund)
    assert fleets["baseline_t"].sum() == pytest.approx(6.4e6 * 3.9e-3 * 74.1 / 277.7777777778)
    # The electric buses emit only their share of imported electricity (0.059 t/MWh on
    # 4.7 GWh at most); the gas buses carry part of the grid gas they need at night.
    assert 0 < fleets.loc["city_buses", "emissions_t"] < 4716 * 0.059
    assert 0 < fleets.loc["regional_buses", "emissions_t"] < 14_000 * 0.202
    table = emissions_by_sector(lund)
    assert table["emissions_t"].sum() == pytest.approx(float(lund["emissions_t"].sum()))
    assert table.loc["transport", "avoided_t"] > 0.8 * table.loc["transport", "baseline_t"]


@pytest.mark.slow
def test_results_round_trip_through_the_output_folder(lund_year):
    lund = lund_year.results
    back = read_results(lund_year.folder)
    np.testing.assert_allclose(back["heat_mw"], lund["heat_mw"])
    assert back["heat_mw"].attrs["units"] == "MW"
    assert back.attrs["objective_eur"] == pytest.approx(lund.attrs["objective_eur"])


@pytest.mark.slow  # a pathway of an example
def test_lund_2030_pathway_plans_every_period():
    # The pathway example over its three periods, on the first two weeks only (336 h as 4
    # typical days) so the test stays fast. It must solve, report per period, honour "build
    # from 2028" for the second Örtofta unit, and report the 2030 cap as met or missed, never
    # drop it.
    sf = restvarme.load("lund_2030")
    short = sf.scenario.model_copy(
        update={"horizon": sf.scenario.horizon.model_copy(update={"hours": 336, "typical_days": 4})}
    )
    ds = restvarme.run(type(sf)(short, sf.path, sf.base_dir))
    assert list(ds["period"].values) == [2026, 2028, 2030]
    np.testing.assert_allclose(
        ds["capacity_built"].sel(unit="ortofta_2", period=2026), 0.0, atol=1e-9
    )
    assert np.isnan(float(ds["emission_cap_t"].sel(period=2026)))
    assert float(ds["emission_cap_t"].sel(period=2030)) == pytest.approx(6500 * 336 / 8760)
    assert float(ds["discounted_cost_eur"].sum()) == pytest.approx(
        ds.attrs["objective_eur"], rel=1e-6
    )
    np.testing.assert_allclose(ds["unserved_heat_mwh"], 0.0, atol=1e-6)
