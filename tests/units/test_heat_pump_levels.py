"""Heat pumps whose sink is a preheated return see its temperature
(restvarme.units.heat_pump.add_levels, issue 19 item 2).

Hand case: a network at 100/45 °C with a flat 30 MW load, so its water carries
C = 30 / 55 = 0.54545 MW/K. A 75 °C stream (10 MW) preheats the return through an exchanger
with a 5 K approach, up to θ = 70 °C. A 40 MW heat pump on 10 °C sea water (Lorenz, quality
grade 0.5, approaches 4 / 5 K, source cooled 5 K) covers the rest; electricity costs
40 EUR/MWh, a gas boiler makes heat at 25 EUR/MWh. Lorenz COPs, log-mean temperatures in K::

    source 5 -> 0 °C:     T_lm = 5 / ln(278.15 / 273.15)            = 275.64 K
    sink 49 -> 104 °C:    T_lm = 55 / ln(377.15 / 322.15)           = 348.92 K
        COP_0 = 0.5 · 348.92 / (348.92 - 275.64)                     = 2.3806
    sink 74 -> 104 °C:    T_lm = 30 / ln(377.15 / 347.15)           = 361.95 K
        COP_1 = 0.5 · 361.95 / (361.95 - 275.64)                     = 2.0970

With the 10 MW preheat the heat pump makes 20 MW. Lifting h_0 from 45 °C and h_1 from 70 °C:
the preheat and h_0's water share [45, 70] (10 + h_0 · 25/55 <= C · 25 = 13.636) and all the
heat pump's water fits the return (h_0/55 + h_1/30 <= C). With h_0 + h_1 = 20 both bind:
h_0 = 8 MW, h_1 = 12 MW, electricity 8/2.3806 + 12/2.0970 = 9.083 MW where the return as
sink inlet would say 20/2.3806 = 8.401 MW (+0.682 MW, +8.1 %).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import restvarme
from tiny_scenarios import GAS_BOILER

HOURS = 4
PRICE = 40.0


def _lorenz_cop(sink_in_c: float) -> float:
    """The hand formula of the module docstring (quality grade 0.5, approaches 4 / 5 K)."""
    k = 273.15
    source = 5 / math.log((10 - 5 + k) / (10 - 5 - 5 + k))
    hot_in, hot_out = sink_in_c + 4 + k, 100 + 4 + k
    sink = (hot_out - hot_in) / math.log(hot_out / hot_in)
    return 0.5 * sink / (sink - source)


COP_0 = _lorenz_cop(45)  # 2.3806
COP_1 = _lorenz_cop(70)  # 2.0970


def _scenario(
    factory, *, preheat: bool = True, price: float = 0.0, sink: str = "main", cop: str = "lorenz"
):
    units = [
        {**GAS_BOILER, "capacity_mw": 40},
        {
            "name": "hp",
            "type": "heat_pump",
            "source": "sea",
            "sink": "main",
            "capacity_mw": 40,
            "cop_method": cop,
        },
    ]
    if preheat:
        units.append(
            {"name": "hx", "type": "heat_exchanger", "source": "a", "sink": sink, "capacity_mw": 50}
        )
    nets = {
        "main": {
            "supply_temperature_c": 100.0,
            "return_temperature_c": 45.0,
            "demand": {"series_mw": 30.0},
        }
    }
    if sink != "main":
        nets[sink] = {**nets["main"], "demand": {"series_mw": 20.0}}
        units.append({**GAS_BOILER, "name": "other_boiler", "sink": sink})
    return factory(
        networks=nets,
        waste_heat={"a": {"available_mw": 10.0, "temperature_c": 75.0, "price_eur_per_mwh": price}},
        ambient={"sea": {"temperature_c": 10.0}},
        units=units,
    )


def _levels_of(inputs, unit: str) -> dict[str, str]:
    """The preheat levels of heat pump ``unit``: exchanger -> its member of ``preheat_level``."""
    mine = inputs["preheat_level_heat_pump"] == unit
    return {
        str(x): str(member)
        for x, member in zip(
            inputs["preheat_level_exchanger"].values[mine.values],
            inputs["preheat_level"].values[mine.values],
            strict=True,
        )
    }


def test_hand_cops():
    assert COP_0 == pytest.approx(2.3806, abs=1e-4)
    assert COP_1 == pytest.approx(2.0970, abs=1e-4)


def test_preheat_raises_the_heat_pumps_inlet_and_its_electricity(scenario_factory):
    ds = restvarme.run(_scenario(scenario_factory))
    heat = ds["heat_mw"].mean("snapshot")
    assert float(heat.sel(unit="hx")) == pytest.approx(10.0, rel=1e-9)
    assert float(heat.sel(unit="hp")) == pytest.approx(20.0, rel=1e-9)
    power = 8 / COP_0 + 12 / COP_1  # 9.083 MW, not 20 / COP_0 = 8.401 MW
    assert power - 20 / COP_0 == pytest.approx(0.682, abs=1e-3)
    assert ds.attrs["objective_eur"] == pytest.approx(HOURS * PRICE * power, rel=1e-6)
    # the results' effective COP is heat over electricity; heat_pump_cop stays the one from 45 °C
    assert float(ds["heat_pump_effective_cop"].sel(heat_pump="hp").mean()) == pytest.approx(
        20 / power, rel=1e-6
    )
    assert float(ds["heat_pump_cop"].sel(heat_pump="hp").mean()) == pytest.approx(COP_0, rel=1e-6)


def test_preheat_left_unused_where_it_costs_more_than_the_cop_it_takes(scenario_factory):
    # Each MW of preheat takes h_1 = 1.2 MW and h_0 = 30 - 2.2 MW (both rows binding), so it is
    # worth 40 · (2.2/COP_0 - 1.2/COP_1) = 14.08 EUR/MWh of electricity; the return as inlet
    # would have said 40 / COP_0 = 16.80. At 15 EUR/MWh the preheat stays unused.
    worth = PRICE * (2.2 / COP_0 - 1.2 / COP_1)
    assert worth == pytest.approx(14.08, abs=0.01)
    assert worth < 15.0 < PRICE / COP_0
    ds = restvarme.run(_scenario(scenario_factory, price=15.0))
    assert float(ds["heat_mw"].sel(unit="hx").max()) == pytest.approx(0.0, abs=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(HOURS * PRICE * 30 / COP_0, rel=1e-6)


def test_network_without_preheat_is_unchanged(scenario_factory):
    # The exchanger preheats another network: the heat pump's sink has no level, the model has
    # no level variables or rows, and the heat pump makes 30 MW at COP_0.
    from restvarme.inputs.build import build_inputs
    from restvarme.model.build import build_model

    sf = _scenario(scenario_factory, sink="other")
    inputs = build_inputs(sf)
    assert "heat_pump_level_cop" not in inputs
    model = build_model(inputs).model
    assert "heat_pump_level_heat" not in model.variables
    assert "heat_pump_return_flow" not in model.constraints
    ds = restvarme.run(sf)
    assert float(ds["heat_mw"].sel(unit="hp").mean()) == pytest.approx(30.0, rel=1e-9)
    alone = restvarme.run(_scenario(scenario_factory, preheat=False))
    assert "heat_pump_level_cop" not in build_inputs(_scenario(scenario_factory, preheat=False))
    assert alone.attrs["objective_eur"] == pytest.approx(HOURS * PRICE * 30 / COP_0, rel=1e-6)


def test_carnot_heat_pump_only_shares_the_water(scenario_factory):
    # Carnot COPs depend on the supply only: every level has COP_0, so the levels only move
    # water, and the free preheat is used in full as before levels: 20 MW at the Carnot COP
    # 0.5 · 377.15 / (377.15 - 278.15) = 1.9048 (condensing 104 °C, evaporating 5 °C).
    ds = restvarme.run(_scenario(scenario_factory, cop="carnot"))
    cop = 0.5 * 377.15 / (377.15 - 278.15)
    assert float(ds["heat_mw"].sel(unit="hx").mean()) == pytest.approx(10.0, rel=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(HOURS * PRICE * 20 / cop, rel=1e-6)


@pytest.mark.slow  # a further PyPSA solve (the first in a process also imports PyPSA): seconds
def test_pypsa_maps_the_levels_to_the_same_optimum(scenario_factory):
    # The independent PyPSA model (a Link per heat pump and level, restvarme_peers.pypsa_units)
    # finds the hand optimum too.
    pytest.importorskip("pypsa")
    from restvarme.inputs.build import build_inputs
    from restvarme_peers import pypsa_network as peer

    n = peer.to_pypsa(build_inputs(_scenario(scenario_factory)))
    status, _ = peer.optimize(n)
    assert status == "ok"
    assert float(n.objective) == pytest.approx(HOURS * PRICE * (8 / COP_0 + 12 / COP_1), rel=1e-6)
    lifted = n.links_t.p0["hp from hx"] * n.links_t.efficiency["hp from hx"]
    assert float(lifted.mean()) == pytest.approx(12.0, rel=1e-6)


# Extendable heat pumps on a preheated return: tests/peers/test_pypsa_crosscheck.py's
# everything_extendable case (hp_dc lifts water hx_dc preheated) matches PyPSA's optimum.


SUPPLIERS = st.lists(
    st.tuples(st.floats(52.0, 99.0), st.floats(0.0, 20.0), st.floats(0.0, 16.0)),  # °C, MW, EUR/MWh
    min_size=1,
    max_size=3,
)
METHODS = st.sampled_from(["lorenz", "jensen2018"])
SOLVES = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


@pytest.mark.slow  # 12 solves (the fast loop draws 3: the test below)
@settings(max_examples=12, **SOLVES)
@given(SUPPLIERS, METHODS)
def test_the_optimum_is_water_the_return_can_carry(scenario_factory, suppliers, method):
    _check_the_water_the_return_can_carry(scenario_factory, suppliers, method)


@settings(max_examples=3, **SOLVES)
@given(SUPPLIERS, METHODS)
def test_the_optimum_is_water_the_return_can_carry_in_3_draws(scenario_factory, suppliers, method):
    # the fast loop's share of the property above, checked the same way
    _check_the_water_the_return_can_carry(scenario_factory, suppliers, method)


def _check_the_water_the_return_can_carry(scenario_factory, suppliers, method):
    # Property (Hall's condition, restvarme.units.heat_pump.add_levels): whatever the suppliers,
    # the solved split can be laid out on the return water interval by interval. Per elementary
    # interval i between levels, the heat pumps lifting from at or below its lower end leave
    # C·Δ_i - Σ h_k·Δ_i/(T_s - ℓ_k) >= 0; the preheat, coldest exchanger first, fills the room
    # of the intervals below its θ from the bottom up and all of it finds room. And the heat
    # pump's electricity is Σ_k h_k / COP_k.
    from restvarme.inputs.build import build_inputs
    from restvarme.model.build import build_model
    from restvarme.model.solve import solve

    units = [
        {**GAS_BOILER, "capacity_mw": 40},
        {"name": "hp", "type": "heat_pump", "source": "sea", "sink": "main", "capacity_mw": 40,
         "cop_method": method},
    ] + [
        {"name": f"hx{i}", "type": "heat_exchanger", "source": f"s{i}", "sink": "main",
         "capacity_mw": 50}
        for i in range(len(suppliers))
    ]  # fmt: skip
    sf = scenario_factory(
        networks={
            "main": {
                "supply_temperature_c": 100.0,
                "return_temperature_c": 45.0,
                "demand": {"series_mw": 30.0},
            }
        },
        waste_heat={
            f"s{i}": {"available_mw": mw, "temperature_c": t, "price_eur_per_mwh": p}
            for i, (t, mw, p) in enumerate(suppliers)
        },
        ambient={"sea": {"temperature_c": 10.0}},
        units=units,
    )
    inputs = build_inputs(sf)
    built = build_model(inputs)
    solve(built)
    m = built.model
    t_s, t_r, c = 100.0, 45.0, 30.0 / 55.0
    theta = {f"hx{i}": t - 5.0 for i, (t, _, _) in enumerate(suppliers)}
    pre = m.variables["heat_exchanger_heat"].solution.isel(snapshot=0)
    q = float(m.variables["heat_pump_heat"].solution.isel(snapshot=0).sel(heat_pump="hp"))
    lifted = {t_r: q}  # inlet level -> heat [MW]
    if "heat_pump_level_heat" in m.variables:
        split = m.variables["heat_pump_level_heat"].solution.isel(snapshot=0)
        for x, member in _levels_of(inputs, "hp").items():
            h = float(split.sel(preheat_level=member).fillna(0.0))
            lifted[t_r] -= h
            lifted[theta[x]] = lifted.get(theta[x], 0.0) + h
    assert min(lifted.values()) >= -1e-6
    levels = sorted({t_r, *(v for v in theta.values() if t_r < v < t_s)})
    edges = [*levels, t_s]
    room = []
    for lo, hi in itertools.pairwise(edges):
        flow = sum(h / (t_s - ell) for ell, h in lifted.items() if ell <= lo + 1e-9)
        room.append([lo, hi, (c - flow) * (hi - lo)])
        assert room[-1][2] >= -1e-6
    for name in sorted(theta, key=theta.get):
        need = float(pre.sel(heat_exchanger=name))
        for interval in room:
            if interval[1] > theta[name] + 1e-9 or need <= 0:
                continue
            take = min(need, max(interval[2], 0.0))
            interval[2] -= take
            need -= take
        assert need <= 1e-6, name
    cop = inputs["heat_pump_cop"].isel(snapshot=0).sel(heat_pump="hp").item()
    power = lifted[t_r] / cop
    if "heat_pump_level_cop" in inputs:
        level_cop = inputs["heat_pump_level_cop"].isel(snapshot=0)
        for x, member in _levels_of(inputs, "hp").items():
            ell, cop_x = theta[x], float(level_cop.sel(preheat_level=member))
            if np.isfinite(cop_x) and ell in lifted and ell != t_r:
                power += lifted[ell] / cop_x
    drawn = built.units["heat_pump"].flows["electricity"]
    assert -float(drawn.solution().isel(snapshot=0).sel(heat_pump="hp")) == pytest.approx(
        power, rel=1e-6, abs=1e-9
    )
