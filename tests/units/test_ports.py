"""Ports: one account of each unit's flows for the model, the results and the accounting.

Two wrong answers the per-type string lists used to give (issue 11), reproduced by hand, and
generic checks over the registry.

Set-up as tests/model/test_cooling.py: 4 hours, outdoor air 0 °C; heat network "main" at 70/40 °C,
cooling network "dc" at 6/16 °C with a flat 5 MW. The heat-recovery heat pump condenses at
70 + 4 K = 347.15 K and evaporates at 6 - 4 K = 275.15 K: COP = 0.5 · 347.15 / 72 = 2.41076.
Covering the 5 MW of cooling takes Q = 5 / (1 - 1/COP) = 8.544 MW of condenser heat and
P = Q / COP = 3.544 MW of electricity (test_cooling.py: cheapest only because it serves both).
"""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

import restvarme
from restvarme.accounting.emissions import unit_heat_emissions_t
from restvarme.accounting.indicators import network_indicators
from restvarme.accounting.sectors import emissions_by_sector
from restvarme.scenario import schema
from restvarme.units.ports import CARRIERS, ORIGINS
from restvarme.units.registry import REGISTRY, unit_type_of

COP = 0.5 * 347.15 / 72
Q = 5 / (1 - 1 / COP)
P = Q / COP
GRID_T_PER_MWH = 0.1


def _hrhp_run(factory, **targets):
    return restvarme.run(
        factory(
            units=[
                {
                    "name": "boiler",
                    "type": "boiler",
                    "fuel": "gas",
                    "sink": "main",
                    "capacity_mw": 20,
                    "efficiency": 0.8,
                },
                {
                    "name": "ch",
                    "type": "chiller",
                    "sink": "dc",
                    "capacity_mw": 20,
                    "condenser": "sea",
                },
                {
                    "name": "hr",
                    "type": "heat_recovery_heat_pump",
                    "cooling_network": "dc",
                    "heat_network": "main",
                    "capacity_mw": 20,
                },
            ],
            networks={
                "main": {
                    "supply_temperature_c": 70,
                    "return_temperature_c": 40,
                    "demand": {"series_mw": 10},
                }
            },
            cooling_networks={
                "dc": {
                    "supply_temperature_c": 6,
                    "return_temperature_c": 16,
                    "demand": {"series_mw": 5},
                }
            },
            fuels={"gas": {"price_eur_per_mwh": 10.0, "emission_t_per_mwh": 0.2}},
            ambient={"sea": {"temperature_c": 25}},
            electricity={
                "price_eur_per_mwh": 40.0,
                "export_allowed": False,
                "emission_t_per_mwh": GRID_T_PER_MWH,
            },
            targets=targets,
        )
    )


def test_a_heat_recovery_heat_pumps_electricity_is_charged_to_its_heat_and_cooling(
    scenario_factory,
):
    # Its emissions are P · 0.1 t/MWh each hour; by the energy rule (restvarme.accounting.
    # outputs) its heat delivered Q and its cooling 5 MW share them: heat Q / (Q + 5).
    # Before the registry the heat carried 0 t (emissions.py knew heat pumps and electric
    # boilers only) while sectors.py booked all of it to cooling.
    ds = _hrhp_run(scenario_factory)
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="hr"), Q, rtol=1e-9)
    own_t = 4 * P * GRID_T_PER_MWH
    heat_t = float(unit_heat_emissions_t(ds).sel(unit="hr").sum())
    assert heat_t == pytest.approx(own_t * Q / (Q + 5), rel=1e-9)
    sectors = emissions_by_sector(ds)["emissions_t"]
    boiler_t = 4 * (10 - Q) / 0.8 * 0.2  # the boiler's gas: 0.2 t per MWh of fuel
    assert sectors["heat"] == pytest.approx(boiler_t + own_t * Q / (Q + 5), rel=1e-9)
    assert sectors["cooling"] == pytest.approx(own_t * 5 / (Q + 5), rel=1e-9)
    assert sectors.sum() == pytest.approx(float(ds["emissions_t"].sum()), rel=1e-9)


def test_the_model_and_the_indicators_count_recovered_heat_alike(scenario_factory):
    # The heat it delivers, Q, came from the cooled network (Q - P = 5 MW) and from electricity
    # (P): 20 of the 40 MWh of heat are waste heat (RED II Art. 2(9)), a share of 0.5. A target of
    # 0.45 is met: no shortfall, no penalty. Before the registry the model counted none of it
    # (shortfall 18 MWh, 180,000 EUR) while network_indicators said 0.5.
    ds = _hrhp_run(scenario_factory, min_waste_heat_share=0.45)
    assert float(ds["waste_heat_shortfall_mwh"]) == pytest.approx(0.0, abs=1e-9)
    assert float(ds["cost_eur"].sel(cost_item="target_shortfall_penalty")) == pytest.approx(0.0)
    share = float(network_indicators(ds)["waste_heat_share"].sel(network="main"))
    assert share == pytest.approx(4 * 5 / 40, rel=1e-9)
    # 0.55 cannot be met without more cooling to recover: 0.55 · 40 - 20 = 2 MWh short
    short = _hrhp_run(scenario_factory, min_waste_heat_share=0.55)
    assert float(short["waste_heat_shortfall_mwh"]) == pytest.approx(2.0, rel=1e-6)


def test_heat_origins_add_up_to_the_heat_each_unit_delivers(scenario_factory):
    # For every unit with origins, Σ origins = the heat it produces (hour by hour).
    ds = _hrhp_run(scenario_factory)
    produced = ds["heat_mw"].clip(min=0)
    np.testing.assert_allclose(
        ds["heat_origin_mw"].sum("origin").sel(unit=["boiler", "hr"]),
        produced.sel(unit=["boiler", "hr"]),
        rtol=1e-9,
    )
    np.testing.assert_allclose(ds["heat_origin_mw"].sel(unit="ch"), 0.0, atol=1e-12)


def test_every_scenario_unit_type_has_a_registered_module():
    # The scenario's `type` strings and the registry agree: no type string unknown to the
    # model, results and accounting (the cause of the silent zeros).
    union, _ = get_args(schema.Unit)
    specs = set(get_args(union))
    registered = {spec for t in REGISTRY.values() for spec in t.specs}
    assert specs == registered
    for spec in specs:
        literal = spec.model_fields["type"].annotation.__args__[0]
        assert unit_type_of(literal) is not None, literal


def test_every_unit_type_declares_ports_within_the_catalogue():
    # Each type module names itself after its dimension and declares a capacity kind, label and
    # colour; ports use only the known carriers and origins (checked when built, below).
    for name, unit_type in REGISTRY.items():
        module = __import__(f"restvarme.units.{name}", fromlist=["UNIT"])
        assert module.UNIT is unit_type
        assert unit_type.label and unit_type.colour.startswith("#")
        assert unit_type.capacity.rating in unit_type.capacity.keys


@pytest.mark.slow
@pytest.mark.parametrize("city", ["lund", "barcelona", "the_hague"])
def test_the_example_cities_ports_are_consistent(city):
    # Every unit type in the reference cities: carriers and origins from the catalogue, origins
    # summing to the heat produced, and the model's waste-heat count equal to the indicators'.
    from restvarme.inputs.build import build_inputs
    from restvarme.model.build import build_model
    from restvarme.model.solve import solve
    from restvarme.results.collect import collect_results

    built = build_model(build_inputs(restvarme.load(city)))
    for ports in built.units.values():
        assert set(ports.flows) <= set(CARRIERS)
        assert set(ports.origins) <= set(ORIGINS)
    solved = solve(built)
    ds = collect_results(built, solved)
    producers = [u for u in ds["unit"].values if ds["heat_origin_mw"].sel(unit=u).any()]
    np.testing.assert_allclose(
        ds["heat_origin_mw"].sum("origin").sel(unit=producers),
        ds["heat_mw"].sel(unit=producers),
        rtol=1e-9,
        atol=1e-9,
    )
    w = ds["snapshot_weight_h"]
    model_waste = sum(
        float((ports.origins["waste_heat"].solution() * w).sum())
        for ports in built.units.values()
        if "waste_heat" in ports.origins
    )
    indicators = network_indicators(ds)
    shares = indicators["waste_heat_share"] * indicators["produced_heat_mwh"]
    assert float(shares.sum()) == pytest.approx(model_waste, rel=1e-9)


FUEL_PROPERTY_DIMS = {
    "per fuel": ("fuel",),
    "hourly": ("snapshot", "fuel"),
    "a pathway's periods and hours": ("period", "snapshot", "fuel"),
}


@pytest.mark.parametrize("case", FUEL_PROPERTY_DIMS)
def test_fuel_factor_is_xarrays_selection_by_label(case, monkeypatch):
    import pandas as pd
    import xarray as xr

    from restvarme.units.ports import fuel_factor

    axes = {
        "fuel": pd.Index(["gas", "biogas", "oil"], name="fuel"),
        "snapshot": pd.date_range("2030-01-01", periods=5, freq="h", name="snapshot"),
        "period": pd.Index([2026, 2030], name="period"),
    }
    dims = FUEL_PROPERTY_DIMS[case]
    values = np.random.default_rng(3).random(tuple(len(axes[d]) for d in dims))
    inputs = xr.Dataset(
        {"fuel_price_eur_per_mwh": (dims, values, {"units": "EUR/MWh"})},
        coords={d: axes[d] for d in dims},
    )
    labels = xr.DataArray(
        ["oil", "gas", "oil", "biogas"], coords={"boiler": list("abcd")}, dims="boiler"
    )
    theirs = inputs["fuel_price_eur_per_mwh"].sel(fuel=labels).drop_vars("fuel")
    monkeypatch.setattr(xr.DataArray, "sel", lambda *a, **k: pytest.fail("xarray's sel used"))
    ours = fuel_factor(inputs, labels, "price_eur_per_mwh")
    monkeypatch.undo()
    xr.testing.assert_identical(ours, theirs)
    assert list(ours.coords) == list(theirs.coords)
    assert ours.values.strides == theirs.values.strides  # the same layout: sums keep their bits


def test_fuel_factor_of_an_unknown_fuel_is_xarrays_key_error():
    import xarray as xr

    from restvarme.units.ports import fuel_factor

    inputs = xr.Dataset({"fuel_renewable": ("fuel", [False])}, coords={"fuel": ["gas"]})
    labels = xr.DataArray(["gas", "coal"], coords={"boiler": ["a", "b"]}, dims="boiler")
    with pytest.raises(KeyError, match="not all values found in index 'fuel'"):
        fuel_factor(inputs, labels, "renewable")
