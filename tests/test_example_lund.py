"""End to end: the built-in Lund example over a full 8,760-hour year.

Regression figures are ranges with a reason, not exact numbers: the example's inputs are partly
assumed (examples/lund/SOURCES.md), so what we pin is that the result stays physically and
historically plausible.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.results.io import read_results, write_results


@pytest.fixture(scope="module")
def lund():
    return restvarme.run("lund")


def test_full_year_without_unserved_heat(lund):
    assert lund.sizes["snapshot"] == 8760
    assert lund.attrs["status"] == "optimal"
    np.testing.assert_allclose(lund["unserved_heat_mwh"], 0.0, atol=1e-6)


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
    np.testing.assert_allclose(electricity, 0.0, atol=1e-5)


def test_annual_demand_and_cost_split(lund):
    # 1,000 GWh main + 40 GWh Brunnshög, as the scenario states.
    assert float(lund["heat_demand_mwh"].sum()) == pytest.approx(1_040_000, rel=1e-9)
    assert float(lund["cost_eur"].sum()) == pytest.approx(lund.attrs["objective_eur"], rel=1e-6)


def test_ortofta_runs_like_the_real_plant(lund):
    # Örtofta delivers about 500 GWh heat and 220 GWh power a year (bioenergyinternational.com,
    # kraftringen.se). The example's CHP is sized from that; the optimum should stay within 20 %.
    heat = float(lund["heat_mwh"].sel(unit="ortofta_chp"))
    power = float(lund["electricity_mwh"].sel(unit="ortofta_chp"))
    assert 400_000 < heat < 600_000
    assert power / heat == pytest.approx(0.27 / 0.62, rel=1e-9)


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


def test_results_round_trip_through_the_output_folder(lund, tmp_path):
    write_results(lund, tmp_path)
    back = read_results(tmp_path)
    np.testing.assert_allclose(back["heat_mw"], lund["heat_mw"])
    assert back["heat_mw"].attrs["units"] == "MW"
    assert back.attrs["objective_eur"] == pytest.approx(lund.attrs["objective_eur"])


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
