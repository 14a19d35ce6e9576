"""Preheat levels on two networks: each network's rows hold its own heat pumps and levels only
(restvarme.units.heat_pump.add_levels, issue 15 target 5).

Hand case of tests/units/test_heat_pump_levels.py on each of two networks at 100/45 °C: a
75 °C stream (10 MW, free) preheats the return through an exchanger up to θ = 70 °C, a 40 MW
Lorenz heat pump on 10 °C sea water lifts the rest (COP_0 = 2.3806 from 45 °C, COP_1 = 2.0970
from 70 °C), electricity at 40 EUR/MWh. With the load L and C = L / 55 MW/K both rows bind:

    cascade   10 + h_0 · 25/55 = C · 25     ->  h_0 = L - 22
    flow      h_0 / 55 + h_1 / 30 = C       ->  h_1 = 30 · 22 / 55 = 12 MW

    "main", L = 30 MW:  h_0 =  8, h_1 = 12, electricity  8/COP_0 + 12/COP_1 = 9.083 MW
    "east", L = 40 MW:  h_0 = 18, h_1 = 12, electricity 18/COP_0 + 12/COP_1 = 13.284 MW

Each MW of preheat takes 1.2 MW of h_1 from 70 °C and saves 2.2 MW of h_0 from 45 °C, worth
40 · (2.2/COP_0 - 1.2/COP_1) = 14.08 EUR/MWh > 0, so all 10 MW are used on both networks.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_heat_pump_levels import COP_0, COP_1, HOURS, PRICE

import restvarme
from restvarme.units._rows import members
from tiny_scenarios import GAS_BOILER

LOADS_MW = {"main": 30.0, "east": 40.0}


def _scenario(factory):
    nets = {
        net: {
            "supply_temperature_c": 100.0,
            "return_temperature_c": 45.0,
            "demand": {"series_mw": load},
        }
        for net, load in LOADS_MW.items()
    }
    units = []
    for net, suffix, stream in (("main", "", "a"), ("east", "_east", "b")):
        units += [
            {**GAS_BOILER, "name": f"boiler{suffix}", "sink": net, "capacity_mw": 40},
            {
                "name": f"hp{suffix}",
                "type": "heat_pump",
                "source": "sea",
                "sink": net,
                "capacity_mw": 40,
                "cop_method": "lorenz",
            },
            {
                "name": f"hx{suffix}",
                "type": "heat_exchanger",
                "source": stream,
                "sink": net,
                "capacity_mw": 50,
            },
        ]
    return factory(
        networks=nets,
        waste_heat={
            s: {"available_mw": 10.0, "temperature_c": 75.0, "price_eur_per_mwh": 0.0}
            for s in ("a", "b")
        },
        ambient={"sea": {"temperature_c": 10.0}},
        units=units,
    )


HAND_EUR = HOURS * PRICE * (8 / COP_0 + 12 / COP_1 + 18 / COP_0 + 12 / COP_1)


def test_hand_figures():
    assert 8 / COP_0 + 12 / COP_1 == pytest.approx(9.083, abs=1e-3)
    assert 18 / COP_0 + 12 / COP_1 == pytest.approx(13.284, abs=1e-3)
    assert PRICE * (2.2 / COP_0 - 1.2 / COP_1) == pytest.approx(14.08, abs=0.01)


def test_members_group_positions_in_order():
    # group of each position: 1, 0, 1, 2 -> group 0 holds position 1, group 1 positions 0 and
    # 2, group 2 position 3, group 3 nothing
    assert members(np.array([1, 0, 1, 2]), 4).tolist() == [[1, -1], [0, 2], [3, -1], [-1, -1]]


def test_each_heat_pump_has_its_own_networks_levels_only(scenario_factory):
    from restvarme.inputs.build import build_inputs

    inputs = build_inputs(_scenario(scenario_factory))
    assert list(inputs["preheat_level"].values) == ["hp from hx", "hp_east from hx_east"]
    assert list(inputs["preheat_level_heat_pump"].values) == ["hp", "hp_east"]
    assert list(inputs["preheat_level_exchanger"].values) == ["hx", "hx_east"]
    assert float(inputs["heat_pump_level_c"].isel(snapshot=0).min()) == pytest.approx(70.0)


def _labels(m, name: str, **at) -> set[int]:
    return {int(v) for v in np.ravel(m.variables[name].labels.sel(**at).values) if v != -1}


def test_rows_hold_their_own_networks_terms_only(scenario_factory):
    from restvarme.inputs.build import build_inputs
    from restvarme.model.build import build_model

    m = build_model(build_inputs(_scenario(scenario_factory))).model
    for net, suffix in (("main", ""), ("east", "_east")):
        own = (
            _labels(m, "heat_pump_heat", heat_pump=f"hp{suffix}")
            | _labels(m, "heat_pump_level_heat", preheat_level=f"hp{suffix} from hx{suffix}")
            | _labels(m, "heat_exchanger_heat", heat_exchanger=f"hx{suffix}")
        )
        rows = {
            "heat_pump_return_flow": {"network": net},
            "heat_exchanger_preheat_cascade": {"heat_exchanger": f"hx{suffix}"},
            "heat_pump_level_split": {"heat_pump": f"hp{suffix}"},
        }
        for name, at in rows.items():
            terms = m.constraints[name].vars.sel(**at).values
            used = {int(v) for v in np.ravel(terms) if v != -1}
            assert used, (name, net)
            assert used <= own, (name, net)  # nothing of the other network, not even a 0


def test_two_networks_reach_the_hand_optimum(scenario_factory):
    ds = restvarme.run(_scenario(scenario_factory))
    heat = ds["heat_mw"].mean("snapshot")
    for suffix, load in (("", 30.0), ("_east", 40.0)):
        assert float(heat.sel(unit=f"hx{suffix}")) == pytest.approx(10.0, rel=1e-9)
        assert float(heat.sel(unit=f"hp{suffix}")) == pytest.approx(load - 10.0, rel=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(HAND_EUR, rel=1e-6)


@pytest.mark.slow  # a PyPSA solve (tests/conftest.py)
def test_pypsa_finds_the_same_optimum_on_two_networks(scenario_factory):
    pytest.importorskip("pypsa")
    from restvarme.inputs.build import build_inputs
    from restvarme_peers import pypsa_network as peer

    n = peer.to_pypsa(build_inputs(_scenario(scenario_factory)))
    status, _ = peer.optimize(n)
    assert status == "ok"
    assert float(n.objective) == pytest.approx(HAND_EUR, rel=1e-6)
    for link in ("hp from hx", "hp_east from hx_east"):
        lifted = n.links_t.p0[link] * n.links_t.efficiency[link]
        assert float(lifted.mean()) == pytest.approx(12.0, rel=1e-6)
    assert "hp from hx_east" not in n.links.index
