"""The value of waste heat: the dual equals the saving of re-solving with one more MWh; the
heat-pump route formula equals the dual; delivery values and candidate suppliers by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import restvarme
from restvarme.accounting.waste_heat_value import (
    HeatPumpAssumptions,
    candidate_supplier_value,
    delivery_value_eur_per_mwh,
    heat_pump_assumptions_from_scenario,
    heat_pump_route_value_eur_per_mwh,
    price_list,
    waste_heat_value_eur_per_mwh,
)
from restvarme.inputs.build import build_inputs
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from restvarme.results.collect import collect_results
from tiny_scenarios import make_scenario

BOILER = {
    "name": "boiler",
    "type": "boiler",
    "fuel": "gas",
    "sink": "main",
    "capacity_mw": 20,
    "efficiency": 0.8,
}
COP_28 = 0.5 * 347.15 / 51  # Carnot, grade 0.5: 74 °C condensing, 23 °C evaporating = 3.40343
SAMPLE_HOURS = (0, 2, 3, 4, 5, 7, 8, 10)  # cheap, dear and scarce hours (spot and availability)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """12 h: a 28 °C source (3 MW, then 0.5 MW in two hours) feeding a heat pump (8 MW) into a
    10 MW network with a gas boiler and a 15 MWh tank; spot prices from 10 to 140 EUR/MWh make
    the heat pump worth running in some hours and not in others; waste heat costs 2 EUR/MWh."""
    folder = tmp_path_factory.mktemp("whv")
    spot = [10, 20, 140, 30, 120, 60, 15, 100, 45, 130, 25, 80]
    avail = [3, 3, 3, 3, 0.5, 3, 3, 3, 0.5, 3, 3, 3]
    pd.DataFrame({"spot": spot}).to_csv(folder / "spot.csv", index=False)
    pd.DataFrame({"mw": avail}).to_csv(folder / "avail.csv", index=False)
    sf = make_scenario(
        folder,
        horizon={"hours": 12},
        electricity={"price_eur_per_mwh": "spot.csv", "export_allowed": True},
        waste_heat={
            "w": {"available_mw": "avail.csv", "temperature_c": 28, "price_eur_per_mwh": 2}
        },
        units=[
            BOILER,
            {
                "name": "hp",
                "type": "heat_pump",
                "cop_method": "carnot",
                "source": "w",
                "sink": "main",
                "capacity_mw": 8,
            },
            {
                "name": "tank",
                "type": "storage",
                "network": "main",
                "energy_mwh": 15,
                "charge_mw": 5,
                "standing_loss_per_hour": 0.01,
            },
        ],
    )
    inputs = build_inputs(sf)
    built = build_model(inputs)
    return sf, built, collect_results(built, solve(built))


def _objective(built, hour: int, delta_mwh: float) -> float:
    """Objective with ``delta_mwh`` more of the source in one hour (weight 1 h: MW = MWh): the
    right-hand side of the availability limit is changed in the built model and solved again."""
    limit = built.balances.waste_heat
    original = limit.rhs.copy()
    changed = original.copy()
    changed[hour, 0] += delta_mwh
    limit.update(rhs=changed)
    try:
        return solve(built).objective_eur
    finally:
        limit.update(rhs=original)


def test_dual_equals_the_saving_of_one_more_mwh(small):
    # For a concave value function the secants bracket every subgradient:
    #   saving of +1 MWh  <=  dual  <=  loss of -1 MWh,
    # with equality on both sides where the LP is not degenerate at that point.
    _, built, ds = small
    base = ds.attrs["objective_eur"]
    available = built.inputs["waste_heat_available_mw"].to_numpy()[:, 0]
    mu = waste_heat_value_eur_per_mwh(ds, gross=False).sel(waste_source="w").to_numpy()
    exact = 0
    for hour in SAMPLE_HOURS:
        saving_up = base - _objective(built, hour, +1.0)
        step = min(1.0, float(available[hour]))
        loss_down = (_objective(built, hour, -step) - base) / step
        assert saving_up <= mu[hour] + 1e-6, hour
        assert mu[hour] <= loss_down + 1e-6, hour
        if abs(loss_down - saving_up) < 1e-6:
            assert mu[hour] == pytest.approx(saving_up, rel=1e-6, abs=1e-6)
            exact += 1
    assert exact >= 5  # most hours are not at a kink: the check is not vacuous
    # and the source is scarce (value > 0) in several of them, not in others
    assert 3 <= np.count_nonzero(mu[list(SAMPLE_HOURS)] > 1e-6) < len(SAMPLE_HOURS)


def test_gross_value_adds_the_price_paid(small):
    _, _, ds = small
    np.testing.assert_allclose(
        waste_heat_value_eur_per_mwh(ds).sel(waste_source="w"),
        waste_heat_value_eur_per_mwh(ds, gross=False).sel(waste_source="w") + 2.0,
    )


def test_route_value_equals_the_dual_where_the_heat_pump_has_room(small):
    # (COP·λ_heat - λ_el - COP·vom)/(COP - 1) = μ + price where 0 < Q < capacity
    _, _, ds = small
    route = heat_pump_route_value_eur_per_mwh(ds).sel(unit="hp")
    q = ds["heat_mw"].sel(unit="hp")
    room = (q > 1e-6) & (q < 8 - 1e-6)
    assert int(room.sum()) >= 3
    gross = waste_heat_value_eur_per_mwh(ds).sel(waste_source="w")
    np.testing.assert_allclose(
        route.where(room, drop=True), gross.where(room, drop=True), rtol=1e-9
    )


@pytest.fixture(scope="module")
def boiler_only():
    # λ_heat = 20/0.8 = 25 EUR/MWh every hour; λ_el = 40 (buy and sell at 40, no fee)
    return restvarme.run(
        make_scenario(
            electricity={"price_eur_per_mwh": 40.0, "export_allowed": True}, units=[BOILER]
        )
    )


def test_delivery_value_by_route(boiler_only):
    ds = boiler_only
    # 80 °C: 75 >= 70 supply: direct, worth λ = 25
    hot = delivery_value_eur_per_mwh(ds, 80.0, "main")
    np.testing.assert_allclose(hot["value_eur_per_mwh"], 25.0)
    assert set(hot["route"].values) == {"direct"}
    # 55 °C: preheat share (50 - 40)/30 = 1/3 of 10 MW = 3.3 MW >= 1 MW: worth λ = 25
    warm = delivery_value_eur_per_mwh(ds, 55.0, "main")
    assert set(warm["route"].values) == {"preheat"}
    np.testing.assert_allclose(warm["value_eur_per_mwh"], 25.0)
    # ... but not for a 4 MW supplier, which only a heat pump could take whole
    big = delivery_value_eur_per_mwh(ds, 55.0, "main", supplier_mw=4.0)
    assert set(big["route"].values) == {"heat_pump"}
    # 28 °C: heat pump, COP 3.40343: (3.40343*25 - 40)/2.40343 = 18.7589 EUR/MWh
    cold = delivery_value_eur_per_mwh(ds, 28.0, "main")
    assert set(cold["route"].values) == {"heat_pump"}
    np.testing.assert_allclose(cold["value_eur_per_mwh"], (COP_28 * 25 - 40) / (COP_28 - 1))
    np.testing.assert_allclose(cold["value_eur_per_mwh"], 18.7589, atol=1e-4)
    # with 2 EUR/MWh heat-pump O&M: (3.40343*23 - 40)/2.40343 = 15.9269
    costly = delivery_value_eur_per_mwh(
        ds, 28.0, "main", heat_pump=HeatPumpAssumptions(vom_eur_per_mwh=2.0)
    )
    np.testing.assert_allclose(costly["value_eur_per_mwh"], (COP_28 * 23 - 40) / (COP_28 - 1))


def test_candidate_supplier_by_hand(boiler_only):
    sf = make_scenario(
        electricity={"price_eur_per_mwh": 40.0, "export_allowed": True}, units=[BOILER]
    )
    base = boiler_only.attrs["objective_eur"]
    # 2 MW at 80 °C: direct, replaces boiler heat at 25 EUR/MWh: 4 h * 2 MW * 25 = 200 EUR
    hot = candidate_supplier_value(
        sf, available_mw=2, temperature_c=80, network="main", base_objective_eur=base
    )
    assert hot.saving_eur == pytest.approx(200.0)
    assert hot.taken_mwh == pytest.approx(8.0)
    assert hot.saving_eur_per_mwh == pytest.approx(25.0)
    # 2 MW at 28 °C through the candidate's heat pump (capacity 4 MW, not binding):
    # Q = 2*COP/(COP - 1) = 2.8322 MW; per hour 25*Q - 40*Q/COP = 2 * 18.7589 = 37.518 EUR
    cold = candidate_supplier_value(sf, available_mw=2, temperature_c=28, network="main")
    assert cold.objective_base_eur == pytest.approx(base)
    assert cold.saving_eur == pytest.approx(4 * 2 * (COP_28 * 25 - 40) / (COP_28 - 1))
    # ... which is what the derived delivery value said before solving anything
    assert cold.saving_eur_per_mwh == pytest.approx(
        float(delivery_value_eur_per_mwh(boiler_only, 28.0, "main")["value_eur_per_mwh"].mean())
    )
    assert "candidate" not in sf.scenario.waste_heat  # nothing committed
    with pytest.raises(KeyError, match="no network"):
        candidate_supplier_value(sf, available_mw=1, temperature_c=50, network="nowhere")


def test_price_list_tables(small):
    sf, _, ds = small
    hp = heat_pump_assumptions_from_scenario(sf, "w")
    assert hp == HeatPumpAssumptions()  # the scenario's heat pump uses the defaults
    pl = price_list(ds, "w", temperatures_c=(25, 55, 85), band_edges_c=(-5, 5))
    # the own temperature (28 °C) joins the list, from the dual
    assert list(pl.hourly.columns) == ["25 °C", "28 °C (own: model dual)", "55 °C", "85 °C"]
    own = waste_heat_value_eur_per_mwh(ds).sel(waste_source="w").to_series().clip(lower=0)
    np.testing.assert_allclose(pl.hourly["28 °C (own: model dual)"], own)
    year = pl.table[pl.table["outdoor_band"] == "all"].set_index("delivery_temperature")
    for label, values in pl.hourly.items():
        # revenue of 1 MW over the 12 h, scaled to a year of 8760 h
        assert year.loc[label, "revenue_eur_per_year"] == pytest.approx(values.sum() * 8760 / 12)
        assert year.loc[label, "hours_taken_h"] == pytest.approx((values > 0).sum() * 8760 / 12)
    bands = pl.table[
        (pl.table["outdoor_band"] != "all") & (pl.table["delivery_temperature"] == "25 °C")
    ]
    assert bands["hours_in_band_h"].sum() == pytest.approx(8760)
    with pytest.raises(KeyError, match="no waste-heat source"):
        price_list(ds, "nope")
    # the derived rows are delivery_value_eur_per_mwh's best route, taken where positive (the
    # list works out the network's existing preheaters once for all its temperatures)
    for t in (25, 55, 85):
        value = delivery_value_eur_per_mwh(ds, float(t), "main")["value_eur_per_mwh"]
        expected = value.to_series().fillna(0.0).clip(lower=0.0)
        np.testing.assert_array_equal(pl.hourly[f"{t} °C"].to_numpy(), expected.to_numpy())
