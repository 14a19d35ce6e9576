"""Minimum renewable share of heat: hand-checked cases, and the same count as the indicators.

Set-up (tests/tiny_scenarios.py BASE): 4 hours of a flat 10 MW load = 40 MWh. Gas heat costs
20/0.8 = 25 EUR/MWh (not renewable); pellet heat 40/0.8 = 50 EUR/MWh (renewable, no emissions).
"""

from __future__ import annotations

import pytest

import restvarme
from restvarme.accounting.indicators import network_indicators
from tiny_scenarios import GAS_BOILER

FUELS = {
    "gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.2},
    "pellets": {"price_eur_per_mwh": 40.0, "emission_t_per_mwh": 0.0, "renewable": True},
}
PELLET_BOILER = {**GAS_BOILER, "name": "pellet_boiler", "fuel": "pellets"}
# Outdoor 0 °C, grade 0.4: T_cond 347.15 K, T_evap -5 °C = 268.15 K (tests/model/test_dispatch.py)
COP = 0.4 * 347.15 / 79
AIR_HP = {
    "name": "ashp",
    "type": "heat_pump",
    "cop_method": "carnot",
    "source": "air",
    "sink": "main",
    "capacity_mw": 10,
    "quality_grade": 0.4,
}


def run(factory, units, **targets):
    return restvarme.run(
        factory(
            fuels=FUELS,
            units=units,
            electricity={"price_eur_per_mwh": 100.0, "export_allowed": False},
            targets=targets,
        )
    )


def test_renewable_fuel_covers_the_share(scenario_factory):
    # Without a target gas serves all 40 MWh for 1,000 EUR. Half renewable: pellets 20 MWh at
    # 50 EUR and gas 20 MWh at 25 EUR = 1,500 EUR.
    free = run(scenario_factory, [GAS_BOILER, PELLET_BOILER])
    assert free.attrs["objective_eur"] == pytest.approx(1000.0, rel=1e-9)
    ds = run(scenario_factory, [GAS_BOILER, PELLET_BOILER], min_renewable_share=0.5)
    assert ds.attrs["objective_eur"] == pytest.approx(1500.0, rel=1e-9)
    assert float(ds["heat_mwh"].sel(unit="pellet_boiler")) == pytest.approx(20.0, rel=1e-9)
    assert float(ds["renewable_shortfall_mwh"]) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("r_el", [0.0, 0.5])
def test_ambient_heat_counts_as_the_indicators_count_it(scenario_factory, r_el):
    # Heat-pump heat costs 100/COP = 56.9 EUR/MWh, so it runs only for the target. Of its heat Q,
    # Q(1 - 1/COP) is ambient (renewable) and Q/COP comes from electricity, of which r_el counts:
    # renewable Q(1 - (1 - r_el)/COP) = 0.3 x 40 = 12 MWh.
    ds = run(
        scenario_factory,
        [GAS_BOILER, AIR_HP],
        min_renewable_share=0.3,
        electricity_renewable_share=r_el,
    )
    q = 12.0 / (1 - (1 - r_el) / COP)
    assert float(ds["heat_mwh"].sel(unit="ashp")) == pytest.approx(q, rel=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(q * 100 / COP + (40 - q) * 25, rel=1e-9)
    shares = network_indicators(ds, electricity_renewable_share=r_el)
    assert float(shares["renewable_share"].sel(network="main")) == pytest.approx(0.3, rel=1e-9)


def test_an_unreachable_share_is_reported_with_its_shortfall(scenario_factory):
    # 5 MW of pellets make at most 20 MWh of the 30 MWh that 75 % needs: 10 MWh short, priced at
    # the default 10,000 EUR/MWh. Cost: 20 x 50 + 20 x 25 + 10 x 10,000 = 101,500 EUR.
    small = {**PELLET_BOILER, "capacity_mw": 5}
    ds = run(scenario_factory, [GAS_BOILER, small], min_renewable_share=0.75)
    assert float(ds["renewable_shortfall_mwh"]) == pytest.approx(10.0, rel=1e-9)
    assert float(ds["cost_eur"].sel(cost_item="target_shortfall_penalty")) == pytest.approx(1e5)
    assert ds.attrs["objective_eur"] == pytest.approx(101_500.0, rel=1e-9)


def run_pathway(factory, share_from_2028: float, pellet_mw: float = 20.0):
    """2026 without a target, ``share_from_2028`` renewable in 2028; gas and pellet boilers."""
    pathway = {
        "periods": [
            {"year": 2026},
            {"year": 2028, "changes": {"targets.min_renewable_share": share_from_2028}},
        ],
        "last_period_years": 2,
    }
    return restvarme.run(
        factory(
            fuels=FUELS,
            units=[GAS_BOILER, {**PELLET_BOILER, "capacity_mw": pellet_mw}],
            discount_rate=0.0,
            pathway=pathway,
        )
    )


def test_a_pathway_sets_the_share_per_period(scenario_factory):
    # No target in 2026 (gas only), half renewable from 2028 (pellets 20 of 40 MWh).
    ds = run_pathway(scenario_factory, 0.5)
    pellets = ds["heat_mwh"].sel(unit="pellet_boiler")
    assert float(pellets.sel(period=2026)) == pytest.approx(0.0, abs=1e-9)
    assert float(pellets.sel(period=2028)) == pytest.approx(20.0, rel=1e-9)
    assert float(ds["renewable_shortfall_mwh"].sum()) == pytest.approx(0.0, abs=1e-9)


def test_a_pathway_reports_the_shortfall_of_the_period_that_misses(scenario_factory):
    # 75 % from 2028 with 5 MW of pellets: 20 of the 30 MWh needed, 10 MWh short in 2028 only.
    short = run_pathway(scenario_factory, 0.75, pellet_mw=5)["renewable_shortfall_mwh"]
    assert float(short.sel(period=2026)) == pytest.approx(0.0, abs=1e-9)
    assert float(short.sel(period=2028)) == pytest.approx(10.0, rel=1e-9)
