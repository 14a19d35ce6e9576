"""A heat pump lifting preheated return water may charge a store beyond the hour's load: the
return's rows count the water the plant heats, load plus the stores' net charge
(restvarme.units.heat_pump.add_levels, restvarme.units._store.plant_store_charge).

Hand case over two hours: a network at 100/45 °C (55 K) with a load of 10 MW, then 30 MW. A
75 °C stream (2 MW, free) preheats the return through an exchanger with a 5 K approach, up to
θ = 70 °C. A 20 MW heat pump on 10 °C sea water (Lorenz, as in test_heat_pump_levels.py:
COP_0 = 2.3806 from 45 °C, COP_1 = 2.0970 from 70 °C), electricity at 40 EUR/MWh; a gas
boiler at 20 / 0.8 = 25 EUR/MWh of heat; a tank (100 MWh, 20 MW each way, lossless, cyclic,
0.1 EUR per MWh discharged).

With the plant heating W = P / 55 MW/K, P its heat (load + net charge S), the cascade's row and
the flow row are, for heat h_0 lifted from 45 °C, h_1 from 70 °C and preheat H::

    H + h_0 · 25/55 - S · 25/55 <= load · 25/55      i.e.  H + h_0 · 25/55 <= W · 25
    h_0 / 55 + h_1 / 30 - S / 55 <= load / 55        i.e.  h_0 / 55 + h_1 / 30 <= W

With the heat pump and the preheat the only producers (P = H + h_0 + h_1) both rows give
h_1 = 1.2 · H: every preheated MW/K is lifted from 70 °C. The heat pump's heat from the return
costs 40 / 2.3806 = 16.80 EUR/MWh, less than the boiler, and the preheat is worth using (one MW
saves 16.80 and costs 1.2 · 40 · (1/COP_1 - 1/COP_0) = 2.73 EUR). So H = 2 MW in both hours;
hour 2 needs 30 - 2 = 28 MW from a 20 MW heat pump: the store gives the missing 8 MW, charged
in hour 1 by the heat pump beyond the hour's load:

    hour 1:  P = 10 + 8 = 18 MW = 2 + 16;   h_1 = 2.4, h_0 = 13.6   (W = 18/55)
    hour 2:  P = 30 - 8 = 22 MW = 2 + 20;   h_1 = 2.4, h_0 = 17.6   (W = 22/55)
    cost = 40 · ((13.6 + 17.6) / COP_0 + 4.8 / COP_1) + 0.1 · 8 = 616.6 EUR

Were the rows to count the load's water only (C = load / 55, before the stores were counted),
hour 1's rows would give H + h_0 + h_1 <= 10 (Q = h_0 + h_1 <= 5.45 + h_0 · 25/55 and
h_0 · 25/55 <= 4.545 - H): no charging, and the boiler would make 8 MW in hour 2 at 25 EUR/MWh
(676.0 EUR). And hour 2, discharging, would let the heat pump lift all 20 MW from 45 °C
(20 · 25/55 + 2 <= 30 · 25/55): more water than the 22/55 MW/K the plant heats.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import restvarme
from tiny_scenarios import GAS_BOILER, make_scenario

PRICE = 40.0


def _lorenz_cop(sink_in_c: float) -> float:
    """Lorenz COP, quality grade 0.5, approaches 4 / 5 K, sea 10 °C cooled 5 K, supply 100 °C."""
    k = 273.15
    source = 5 / math.log((10 - 5 + k) / (10 - 5 - 5 + k))
    hot_in, hot_out = sink_in_c + 4 + k, 100 + 4 + k
    sink = (hot_out - hot_in) / math.log(hot_out / hot_in)
    return 0.5 * sink / (sink - source)


COP_0 = _lorenz_cop(45)  # 2.3806
COP_1 = _lorenz_cop(70)  # 2.0970
HAND_EUR = PRICE * ((13.6 + 17.6) / COP_0 + 4.8 / COP_1) + 0.1 * 8
LOAD_ONLY_EUR = PRICE * (5.6 / COP_0 + 2.4 / COP_1 + 20 / COP_0) + 25.0 * 8


def _scenario(tmp_path, *, tank: bool = True):
    pd.DataFrame({"load": [10.0, 30.0]}).to_csv(tmp_path / "load.csv", index=False)
    units = [
        {**GAS_BOILER, "capacity_mw": 40},
        {
            "name": "hp",
            "type": "heat_pump",
            "source": "sea",
            "sink": "main",
            "capacity_mw": 20,
            "cop_method": "lorenz",
        },
        {"name": "hx", "type": "heat_exchanger", "source": "a", "sink": "main", "capacity_mw": 50},
    ]
    if tank:
        units.append(
            {
                "name": "tank",
                "type": "storage",
                "network": "main",
                "energy_mwh": 100,
                "charge_mw": 20,
                "discharge_mw": 20,
                "vom_eur_per_mwh": 0.1,
            }
        )
    return make_scenario(
        tmp_path,
        horizon={"hours": 2},
        networks={
            "main": {
                "supply_temperature_c": 100.0,
                "return_temperature_c": 45.0,
                "demand": {"series_mw": {"file": "load.csv", "column": "load"}},
            }
        },
        waste_heat={"a": {"available_mw": 2.0, "temperature_c": 75.0}},
        ambient={"sea": {"temperature_c": 10.0}},
        units=units,
    )


def test_hand_figures():
    assert COP_0 == pytest.approx(2.3806, abs=1e-4)
    assert COP_1 == pytest.approx(2.0970, abs=1e-4)
    assert HAND_EUR == pytest.approx(616.6, abs=0.1)
    assert LOAD_ONLY_EUR == pytest.approx(676.0, abs=0.1)
    assert 1.2 * PRICE * (1 / COP_1 - 1 / COP_0) == pytest.approx(2.73, abs=0.01)


def test_heat_pump_charges_the_tank_beyond_the_hours_load(tmp_path):
    from restvarme.inputs.build import build_inputs
    from restvarme.model.build import build_model
    from restvarme.model.solve import solve

    built = build_model(build_inputs(_scenario(tmp_path)))
    solve(built)
    m = built.model
    assert "heat_store_net_charge_definition" in m.constraints
    q = m.variables["heat_pump_heat"].solution.sel(heat_pump="hp").values
    lifted = m.variables["heat_pump_level_heat"].solution.sel(preheat_level="hp from hx")
    pre = m.variables["heat_exchanger_heat"].solution.sel(heat_exchanger="hx").values
    charge = m.variables["storage_charge"].solution.sel(storage="tank").values
    discharge = m.variables["storage_discharge"].solution.sel(storage="tank").values
    boiler = m.variables["boiler_heat"].solution.values
    assert list(q) == pytest.approx([16.0, 20.0], abs=1e-6)  # 16 MW > the 10 MW load - 2 preheat
    assert list(lifted.values) == pytest.approx([2.4, 2.4], abs=1e-6)  # h_1 = 1.2 · H
    assert list(pre) == pytest.approx([2.0, 2.0], abs=1e-6)
    assert list(charge - discharge) == pytest.approx([8.0, -8.0], abs=1e-6)
    assert float(abs(boiler).max()) == pytest.approx(0.0, abs=1e-6)
    # both rows bind in both hours: the heat pump takes all the water the plant heats
    s = charge - discharge
    load = [10.0, 30.0]
    for t in range(2):
        h_1 = float(lifted.values[t])
        h_0 = float(q[t]) - h_1
        assert h_0 / 55 + h_1 / 30 == pytest.approx((load[t] + s[t]) / 55, abs=1e-9)
        assert pre[t] + h_0 * 25 / 55 == pytest.approx((load[t] + s[t]) * 25 / 55, abs=1e-9)
    assert float(m.objective.value) == pytest.approx(HAND_EUR, rel=1e-6)


def test_no_store_no_new_rows(tmp_path):
    # Without a heat store the rows are the load's: no S variable, and the heat pump makes
    # 10 - 2 = 8 MW, then 20 MW with the boiler's 8 MW (the LOAD_ONLY_EUR dispatch less the
    # store's term, which is the same here).
    from restvarme.inputs.build import build_inputs
    from restvarme.model.build import build_model

    sf = _scenario(tmp_path, tank=False)
    assert "heat_store_net_charge" not in build_model(build_inputs(sf)).model.variables
    ds = restvarme.run(sf)
    assert list(ds["heat_mw"].sel(unit="hp").values) == pytest.approx([8.0, 20.0], abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(LOAD_ONLY_EUR, rel=1e-6)


@pytest.mark.slow  # a PyPSA solve (tests/conftest.py)
def test_pypsa_maps_the_stores_into_the_rows(tmp_path):
    # The independent PyPSA model (restvarme_peers.pypsa_units.heat_pump_levels: the store's
    # charge and discharge Links in the cascade's and the flow row) finds the hand optimum.
    pytest.importorskip("pypsa")
    from restvarme.inputs.build import build_inputs
    from restvarme_peers import pypsa_network as peer

    n = peer.to_pypsa(build_inputs(_scenario(tmp_path)))
    status, _ = peer.optimize(n)
    assert status == "ok"
    assert float(n.objective) == pytest.approx(HAND_EUR, rel=1e-6)
    assert float(n.links_t.p0["tank charge"].iloc[0]) == pytest.approx(8.0, abs=1e-6)


def test_heat_pumps_and_exchangers_are_built_before_the_heat_stores():
    # The rows that read S are built by the heat pumps (order 10) and the heat exchangers
    # (order 20); the heat store type defines S when it is built after them.
    from restvarme.units._store import HEAT_STORE_DIMS
    from restvarme.units.registry import REGISTRY

    order = list(REGISTRY)
    assert HEAT_STORE_DIMS == ["storage"]
    assert order.index("heat_pump") < order.index("heat_exchanger") < order.index("storage")
