"""Collecting the results: the fast paths against linopy's and numpy's own way, bit for bit.

Set-up (tests/tiny_scenarios.py BASE): 4 hours, network "main" with 10 MW demand, gas at
20 EUR/MWh, electricity at 40 EUR/MWh. Units in the scenario's order: a gas boiler (80 %,
25 EUR/MWh of heat), an electric boiler (100 %, 40 EUR/MWh of heat) and a second gas boiler
(90 %, 22.2 EUR/MWh of heat, 6 MW), and a tank (whose flows are linopy expressions): the
cheaper second boiler runs at its 6 MW and the first makes the other 4 MW, the electric boiler
nothing; at flat prices the tank saves nothing, and ends the horizon as it began. The boilers are
one unit type, so the type's block (gas_boiler, gas_2) is reordered around the others on the
results' ``unit`` axis.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from restvarme.inputs.build import build_inputs
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from restvarme.results import collect
from tiny_scenarios import E_BOILER, GAS_BOILER

GAS_2 = {**GAS_BOILER, "name": "gas_2", "capacity_mw": 6, "efficiency": 0.9}
TANK = {"name": "tank", "type": "storage", "network": "main", "energy_mwh": 20, "charge_mw": 10}


@pytest.fixture
def solved(scenario_factory):
    built = build_model(build_inputs(scenario_factory(units=[GAS_BOILER, E_BOILER, TANK, GAS_2])))
    return built, solve(built, "highs", None)


def test_expression_solutions_are_linopys(solved):
    built, _ = solved
    solutions = collect._Solutions(built.model)
    terms = [
        flow.term
        for ports in built.units.values()
        for flow in [*ports.flows.values(), *ports.origins.values(), *ports.routes.values()]
    ]
    assert any(type(t).__name__ == "LinearExpression" for t in terms)
    for term in terms:
        ours, linopys = solutions.of(term), term.solution
        assert ours.dims == linopys.dims
        assert np.array_equal(ours.values, linopys.values, equal_nan=True)
        xr.testing.assert_identical(ours, linopys)  # coordinates, name and attributes too


def test_unit_axis_is_what_concatenating_and_reordering_gives(solved):
    built, result = solved
    flows = collect._unit_flows(built, collect._keep)
    assert list(flows["unit"].values) == ["gas_boiler", "e_boiler", "tank", "gas_2"]
    # by hand: gas_2 at its 6 MW, gas_boiler the other 4 MW, e_boiler nothing (4 hours)
    ds = collect.collect_results(built, result)
    assert ds["heat_mwh"].values.tolist() == pytest.approx([16.0, 0.0, 0.0, 24.0], abs=1e-9)
    assert ds["fuel_mwh"].values.tolist() == pytest.approx([20.0, 0.0, 0.0, 24.0 / 0.9])
    # the old way: the blocks concatenated, then reordered by a fancy index; the same values
    # and the same memory layout (sums over the hours depend on it)
    solutions = collect._Solutions(built.model)
    blocks = [
        collect._unit_block(built, ports, collect._keep, solutions)
        for ports in built.units.values()
    ]
    names = np.concatenate([blk["unit"] for blk in blocks])
    order = [list(names).index(u) for u in built.inputs["unit_order"].values]
    for key in (*collect.FLOW_KEYS, "heat_origin_mw", "source_heat_route_mw"):
        old = np.concatenate([blk[key] for blk in blocks], axis=1)[:, order]
        new = flows[key].values
        assert np.array_equal(old, new), key
        assert old.strides == new.strides, key
