"""A network's return is preheated once: exchangers on several waste-heat streams share one
temperature cascade (restvarme.units.heat_exchanger.add_preheat_cascade).

Hand case (issue 19): a network at 100/45 °C with a flat 30 MW load, so its water carries
C = 30 / (100 - 45) = 0.54545 MW/K. Two suppliers through exchangers with a 5 K approach:
A at 75 °C (10 MW available) can heat the return to 70 °C, at most C · 25 = 13.636 MW;
B at 60 °C (20 MW available) to 55 °C, at most C · 10 = 5.4545 MW. Each exchanger's own limit
would let them deliver 10 + 5.4545 = 15.45 MW, but B's water and A's water are the same water:
from 45 to 70 °C the return takes 13.636 MW in all, whoever heats it. The boiler (gas at
20 EUR/MWh, 80 %: 25 EUR/MWh of heat) makes the rest.
"""

from __future__ import annotations

import pytest

import restvarme
from tiny_scenarios import GAS_BOILER

C = 30 / 55
A_LIMIT = C * 25  # 13.636 MW
B_LIMIT = C * 10  # 5.4545 MW


def _scenario(factory, **b):
    return factory(
        networks={
            "main": {
                "supply_temperature_c": 100.0,
                "return_temperature_c": 45.0,
                "demand": {"series_mw": 30.0},
            }
        },
        waste_heat={
            "a": {"available_mw": 10.0, "temperature_c": 75.0},
            "b": {"available_mw": 20.0, "temperature_c": 60.0, **b},
        },
        units=[
            {**GAS_BOILER, "capacity_mw": 40},
            {
                "name": "hx_a",
                "type": "heat_exchanger",
                "source": "a",
                "sink": "main",
                "capacity_mw": 50,
            },
            {
                "name": "hx_b",
                "type": "heat_exchanger",
                "source": "b",
                "sink": "main",
                "capacity_mw": 50,
            },
        ],
    )


def _run(factory, **b):
    return restvarme.run(_scenario(factory, **b))


def test_two_suppliers_never_heat_the_same_water(scenario_factory):
    ds = _run(scenario_factory)
    taken = float(ds["heat_mw"].sel(unit=["hx_a", "hx_b"]).sum("unit").mean())
    assert taken == pytest.approx(A_LIMIT, rel=1e-9)  # not 15.45 MW
    assert float(ds["heat_mw"].sel(unit="hx_b").max()) <= B_LIMIT + 1e-9
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (30 - A_LIMIT) * 25, rel=1e-9)


def test_one_supplier_alone_keeps_its_own_limit(scenario_factory):
    # B alone (A unavailable): its own limit C · 10 binds, as before the cascade.
    ds = restvarme.run(
        scenario_factory(
            networks={
                "main": {
                    "supply_temperature_c": 100.0,
                    "return_temperature_c": 45.0,
                    "demand": {"series_mw": 30.0},
                }
            },
            waste_heat={"b": {"available_mw": 20.0, "temperature_c": 60.0}},
            units=[
                {**GAS_BOILER, "capacity_mw": 40},
                {
                    "name": "hx_b",
                    "type": "heat_exchanger",
                    "source": "b",
                    "sink": "main",
                    "capacity_mw": 50,
                },
            ],
        )
    )
    assert float(ds["heat_mw"].sel(unit="hx_b").mean()) == pytest.approx(B_LIMIT, rel=1e-9)


def test_the_cheaper_stream_fills_the_cascade_first(scenario_factory):
    # B's heat at 1 EUR/MWh and A's free: the LP takes A's 10 MW first (free), then B tops up
    # the cascade to 13.636 MW, within B's own 5.4545 MW limit: B gives 3.636 MW.
    ds = _run(scenario_factory, price_eur_per_mwh=1.0)
    assert float(ds["heat_mw"].sel(unit="hx_a").mean()) == pytest.approx(10.0, rel=1e-9)
    assert float(ds["heat_mw"].sel(unit="hx_b").mean()) == pytest.approx(A_LIMIT - 10, rel=1e-9)


@pytest.mark.slow  # a PyPSA solve (tests/conftest.py)
def test_pypsa_builds_the_same_cascade(scenario_factory):
    # The independent PyPSA model of the same inputs (restvarme_peers) maps the cascade as an
    # extra constraint on the exchangers' links: the same optimum, 13.636 MW taken.
    pytest.importorskip("pypsa")
    from restvarme.inputs.build import build_inputs
    from restvarme_peers import pypsa_network as peer

    sf = _scenario(scenario_factory)
    n = peer.to_pypsa(build_inputs(sf))
    status, _ = peer.optimize(n)
    assert status == "ok"
    assert float(n.objective) == pytest.approx(4 * (30 - A_LIMIT) * 25, rel=1e-9)
    taken = float(n.links_t.p0[["hx_a", "hx_b"]].sum(axis=1).mean())
    assert taken == pytest.approx(A_LIMIT, rel=1e-9)
