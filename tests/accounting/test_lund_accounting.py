"""Accounting on the built-in Lund example over its full year (the session's ``lund_year``; slow).

What is pinned: identities (costs add up to the objective item by item, the accounting view
reproduces the engine's emissions, the heat-pump route formula equals the dual wherever a heat
pump has room), plausible ranges for the indicators, and that ESS's 28 °C price list comes from
one command.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from restvarme.accounting import (
    accounting_perspective,
    cost_by_counterparty,
    cost_by_network,
    cost_by_unit,
    heat_pump_route_value_eur_per_mwh,
    indicator_table,
    network_indicators,
    system_emissions_t,
    waste_heat_value_eur_per_mwh,
)
from restvarme.cli_accounts import register
from restvarme.results.io import SCENARIO_FILE


@pytest.mark.slow
def test_costs_add_up_to_the_objective(lund_year):
    _sf, ds, _ = lund_year
    table = cost_by_unit(ds)
    objective = ds.attrs["objective_eur"]
    assert table["total"].sum() == pytest.approx(objective, rel=1e-6)
    reported = ds["cost_eur"].to_series()
    for item, value in reported.items():
        assert table[item].sum() == pytest.approx(value, rel=1e-6, abs=1e-3), item
    assert abs(table.loc["unattributed", "total"]) < 1e-6 * objective
    assert cost_by_network(ds)["total"].sum() == pytest.approx(objective, rel=1e-6)
    assert cost_by_counterparty(ds).sum() == pytest.approx(objective, rel=1e-6)


@pytest.mark.slow
def test_accounting_view_reproduces_the_engine_emissions(lund_year):
    _, ds, _ = lund_year
    assert system_emissions_t(ds).sum() == pytest.approx(float(ds["emissions_t"].sum()), rel=1e-9)


@pytest.fixture(scope="module")
def tables(lund_year):
    _, ds, _ = lund_year
    methods = (
        "energy",
        "inverse_efficiency",
        "reference_efficiency",
        "finnish",
        "carnot",
        "fixed_heat_efficiency",
    )
    return {m: indicator_table(network_indicators(ds, accounting_perspective(m))) for m in methods}


@pytest.mark.slow
def test_indicators_are_plausible(tables):
    # Fossil-free production since 2018 (kraftringen.se): no fossil fuel in the example, so the
    # fossil share is 0 and the intensity stays far below a fossil boiler's ~250-350 g/kWh.
    for method, table in tables.items():
        assert (table["fossil_pct"] == 0).all(), method
        assert ((table["g_co2e_per_kwh"] > 0) & (table["g_co2e_per_kwh"] < 60)).all(), method
        assert ((table["renewable_pct"] + table["waste_heat_pct"]) <= 100 + 1e-9).all(), method
        assert table.loc["brunnshog", "waste_heat_pct"] > 50, method  # fed by MAX IV and ESS


@pytest.mark.slow
def test_carnot_charges_the_least_heat_to_the_chp(tables):
    # Low-temperature heat has little work potential: the Carnot method gives the CHP's heat the
    # smallest part, the energy method the largest of the share methods.
    main = {m: t.loc["main", "emissions_t"] for m, t in tables.items()}
    assert (
        main["carnot"]
        < main["finnish"]
        < main["reference_efficiency"]
        < main["fixed_heat_efficiency"]
        < main["energy"]
    )


@pytest.mark.slow
def test_route_value_equals_the_dual_where_the_heat_pumps_have_room(lund_year):
    # The route formula prices a heat pump's MWh lifted from the network's return. Since heat
    # pumps share the preheated return with the exchangers (restvarme.units.heat_pump.add_levels)
    # it is the dual where the heat pump has room, lifts from the return only (its effective COP
    # is its COP from the return) and the return's water is not scarce (the preheat cascade's
    # rows and the heat pumps' flow row on its network have no shadow price); elsewhere its heat
    # also pays for water, or comes from a preheat level at a lower COP.
    _sf, ds, _ = lund_year
    vom = ds["unit_vom_eur_per_mwh"].to_series().to_dict()
    route = heat_pump_route_value_eur_per_mwh(ds, vom)
    gross = waste_heat_value_eur_per_mwh(ds)
    sink = ds["unit_sink"].to_series().astype(str).to_dict()
    rho, phi = ds["preheat_cascade_dual_eur_per_mwh"], ds["return_flow_dual_eur_per_mwh_k"]
    checked = 0
    for unit in route["unit"].values:
        q = ds["heat_mw"].sel(unit=unit)
        capacity = float(q.max())
        room = (q > 1e-4) & (q < capacity - 1e-4)
        net = sink[str(unit)]
        rows = [h for h in rho["heat_exchanger"].values if sink[str(h)] == net]
        slack = (abs(rho.sel(heat_exchanger=rows)).max("heat_exchanger") < 1e-9) & (
            abs(phi.sel(network=net)) < 1e-9
        )
        cop = ds["heat_pump_cop"].sel(heat_pump=unit)
        from_return = abs(ds["heat_pump_effective_cop"].sel(heat_pump=unit) - cop) < 1e-9
        where = room & slack & from_return
        src = str(route["unit_source"].sel(unit=unit).values)
        diff = (route.sel(unit=unit) - gross.sel(waste_source=src)).where(where, drop=True)
        np.testing.assert_allclose(diff, 0.0, atol=1e-6)
        checked += int(where.sum())
    assert checked > 1000


@pytest.mark.slow
def test_ess_28c_price_list_from_one_command(lund_year):
    _, _, folder = lund_year
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(
        app, ["waste-heat-value", str(folder), "--source", "ess_28c"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(folder / "waste_heat_price_list_ess_28c.csv")
    year = table[table["outdoor_band"] == "all"].set_index("delivery_temperature")
    assert list(year.index) == [
        "25 °C",
        "28 °C (own: model dual)",
        "40 °C",
        "55 °C",
        "70 °C",
        "85 °C",
    ]
    # hotter heat is worth at least as much per year (more routes open to it)
    revenue = year["revenue_eur_per_year"]
    assert revenue["25 °C"] <= revenue["40 °C"] <= revenue["55 °C"] <= revenue["85 °C"] + 1e-6
    # Open District Heating: 1 MW most of the year earns SEK 1.5-2.0 M (about 130-175 kEUR);
    # the example's cheap biomass and heat pumps put the 28 °C level in that order of magnitude.
    assert 30e3 < revenue["28 °C (own: model dual)"] < 400e3
    # colder weather, higher price
    bands = table[
        (table["delivery_temperature"] == "40 °C")
        & (table["hours_in_band_h"] > 0)
        & (table["outdoor_band"] != "all")
    ]
    assert bands["price_eur_per_mwh"].is_monotonic_decreasing


@pytest.mark.slow
def test_accounts_command_on_lund(lund_year):
    _, _, folder = lund_year
    assert json.loads((folder / SCENARIO_FILE).read_text())["scenario"]["name"] == "Lund 2030"
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(
        app, ["accounts", str(folder), "--method", "carnot"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "carnot" in result.output and "brunnshog" in result.output
