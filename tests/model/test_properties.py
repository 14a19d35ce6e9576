"""Hypothesis properties of solved dispatch: balances close, storage makes no energy, costs are
not negative where no price is, waste heat used never exceeds what is available."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import restvarme

HOURS = 12

positive = st.floats(min_value=0.0, max_value=50.0, allow_nan=False)
series = st.lists(st.floats(min_value=0.0, max_value=30.0), min_size=HOURS, max_size=HOURS)


@st.composite
def systems(draw):
    demand = draw(series)
    prices = draw(
        st.lists(st.floats(min_value=0.0, max_value=200.0), min_size=HOURS, max_size=HOURS)
    )
    waste_t = draw(st.floats(min_value=10.0, max_value=95.0))
    units = [
        {
            "name": "boiler",
            "type": "boiler",
            "fuel": "gas",
            "sink": "main",
            "capacity_mw": draw(positive),
            "efficiency": draw(st.floats(0.5, 1.0)),
        },
        {
            "name": "hp",
            "type": "heat_pump",
            "source": "w",
            "sink": "main",
            "capacity_mw": draw(positive),
        },
        {
            "name": "hx",
            "type": "heat_exchanger",
            "source": "w",
            "sink": "main",
            "capacity_mw": draw(positive),
        },
        {"name": "eb", "type": "electric_boiler", "sink": "main", "capacity_mw": draw(positive)},
        {
            "name": "tank",
            "type": "storage",
            "network": "main",
            "energy_mwh": draw(positive),
            "charge_mw": draw(positive),
            "efficiency_charge": draw(st.floats(0.5, 1.0)),
            "efficiency_discharge": draw(st.floats(0.5, 1.0)),
            "standing_loss_per_hour": draw(st.floats(0.0, 0.05)),
        },
    ]
    return demand, prices, waste_t, draw(positive), units


def _write(tmp_path, name, values):
    (tmp_path / name).write_text("value\n" + "\n".join(f"{v:.6f}" for v in values) + "\n")
    return name


SOLVES = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


@pytest.mark.slow  # 15 solves (the fast loop draws 3: the test below)
@settings(max_examples=15, **SOLVES)
@given(systems())
def test_dispatch_properties(tmp_path, scenario_factory, system):
    _check_dispatch_properties(tmp_path, scenario_factory, system)


@settings(max_examples=3, **SOLVES)
@given(systems())
def test_dispatch_properties_in_3_draws(tmp_path, scenario_factory, system):
    # the fast loop's share of the properties above, checked the same way
    _check_dispatch_properties(tmp_path, scenario_factory, system)


def _check_dispatch_properties(tmp_path, scenario_factory, system):
    demand, prices, waste_t, waste_mw, units = system
    sf = scenario_factory(
        horizon={"hours": HOURS},
        electricity={
            "price_eur_per_mwh": _write(tmp_path, "p.csv", prices),
            "export_allowed": False,
        },
        networks={
            "main": {
                "supply_temperature_c": 70,
                "return_temperature_c": 40,
                "demand": {"series_mw": _write(tmp_path, "d.csv", demand)},
            }
        },
        waste_heat={
            "w": {"available_mw": waste_mw, "temperature_c": waste_t, "price_eur_per_mwh": 1}
        },
        units=units,
    )
    ds = restvarme.run(sf)
    # every heat balance closes, hour by hour
    supplied = ds["heat_mw"].sum("unit") + ds["unserved_heat_mw"].sel(network="main")
    np.testing.assert_allclose(supplied, ds["heat_demand_mw"].sel(network="main"), atol=1e-6)
    # the electricity balance closes
    el = ds["electricity_mw"].sum("unit") + ds["grid_import_mw"] - ds["grid_export_mw"]
    np.testing.assert_allclose(el, 0.0, atol=1e-6)
    # no storage energy from nowhere: over a cyclic horizon, η_c·charge - discharge/η_d >= 0
    tank = next(u for u in units if u["type"] == "storage")
    net_in = (
        tank["efficiency_charge"] * ds["storage_charge_mw"]
        - ds["storage_discharge_mw"] / tank["efficiency_discharge"]
    ).sum()
    assert float(net_in) >= -1e-6
    # waste heat used never exceeds availability
    used = ds["waste_heat_used_mw"].sum("route")
    assert bool((used <= ds["waste_heat_available_mw"] + 1e-6).all())
    # all prices are non-negative and nothing is sold: no cost item is negative
    assert bool((ds["cost_eur"] >= -1e-6).all())
    np.testing.assert_allclose(
        float(ds["cost_eur"].sum()), ds.attrs["objective_eur"], rtol=1e-7, atol=1e-6
    )
