"""Cross-check district cooling and the hydrogen bus against PyPSA (issue #5).

One small system (a heat network, two cooling networks, the hydrogen bus) holds every cooling
and hydrogen unit type: chillers on air and on lake water (hourly EER), free cooling from the lake
(limited by a series) and from air (unlimited), absorption chillers driven by network heat and by
waste heat (with a minimum driving temperature), a cold store, heat-recovery heat pumps with and
without heat rejection, an electrolyser whose heat feeds a waste-heat source that a heat exchanger
and a heat pump use, a hydrogen store, hydrogen demand and import. It is solved by
``restvarme.run`` and, from the same inputs, by PyPSA through
:func:`restvarme_peers.pypsa_network.to_pypsa`. Optima must agree to 1e-6 relative (they agree to
about 1e-14). Marginal cooling and hydrogen prices must agree in the hours where complementary
slackness pins them (see :func:`_pinned_cooling_hours`); elsewhere the dual may be degenerate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from extras import require
from peer_cases import CASE_PARAMS, CASES, solved_cases
from restvarme.inputs.build import build_inputs
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from restvarme_peers import pypsa_network as peer
from tiny_scenarios import make_scenario

require("pypsa")  # looked up, not imported: the tests import it (tests/extras.py)

REL_TOL = 1e-6
EPS_MW = 1e-5  # a flow at least this far from both bounds is "strictly inside"


def _series(tmp_path: Path, hours: int) -> dict:
    """Hourly series in ``series.csv``; a ``{file, column}`` reference per column."""
    t = np.arange(hours)
    pd.DataFrame(
        {
            "spot": 50 + 40 * np.sin(2 * np.pi * t / 24) + 5 * np.cos(t),
            # 4-24 °C: air free cooling only in the cold night hours, chiller EER moves hourly
            "outdoor_c": 14 + 10 * np.sin(2 * np.pi * (t - 8) / 24),
            # 1.5-6.5 °C: the lake is cold enough (supply 6 °C - 2 K) only part of the time
            "lake_c": 4 + 2.5 * np.sin(2 * np.pi * t / 31),
            # 50-80 °C: the waste-heat absorption chiller (needs 70 °C) runs only in some hours
            "waste_c": 65 + 15 * np.sin(2 * np.pi * t / 17),
            "dc_mw": 8 + 3 * np.sin(t / 5),
            "heat_mw": 12 + 11 * np.cos(2 * np.pi * t / 24),
            "cool_mw": 9 + 5 * np.sin(2 * np.pi * (t - 10) / 24),
            "lake_mw": 3 + 2 * np.cos(t / 4),
            "h2_mw": 3 + 2 * np.sin(2 * np.pi * t / 12),
            "h2_price": 110 + 30 * np.cos(2 * np.pi * t / 24),
        }
    ).to_csv(tmp_path / "series.csv", index=False)
    return {
        c: {"file": "series.csv", "column": c}
        for c in (
            "spot",
            "outdoor_c",
            "lake_c",
            "waste_c",
            "dc_mw",
            "heat_mw",
            "cool_mw",
            "lake_mw",
            "h2_mw",
            "h2_price",
        )
    }


def _units(s: dict) -> list[dict]:
    return [
        {
            "name": "boiler",
            "type": "boiler",
            "fuel": "gas",
            "sink": "main",
            "capacity_mw": 30,
            "efficiency": 0.95,
            "vom_eur_per_mwh": 1.0,
        },
        {
            "name": "hp_dc",
            "type": "heat_pump",
            "source": "dc",
            "sink": "main",
            "capacity_mw": 6,
            "vom_eur_per_mwh": 1.5,
        },
        {
            "name": "hx_h2",
            "type": "heat_exchanger",
            "source": "h2heat",
            "sink": "main",
            "capacity_mw": 3,
        },
        {
            "name": "hp_h2",
            "type": "heat_pump",
            "source": "h2heat",
            "sink": "main",
            "capacity_mw": 2,
        },
        {
            "name": "ch_air",
            "type": "chiller",
            "sink": "cool",
            "capacity_mw": 6,
            "vom_eur_per_mwh": 0.5,
        },
        {
            "name": "ch_lake",
            "type": "chiller",
            "sink": "cool",
            "capacity_mw": 4,
            "condenser": "lake",
        },
        {"name": "ch_campus", "type": "chiller", "sink": "campus", "capacity_mw": 1},
        {
            "name": "fc_lake",
            "type": "free_cooling",
            "source": "lake",
            "sink": "cool",
            "capacity_mw": 4,
            "available_mw": s["lake_mw"],
            "vom_eur_per_mwh": 0.2,
        },
        {
            "name": "fc_air",
            "type": "free_cooling",
            "source": "air",
            "sink": "campus",
            "capacity_mw": 2,
            "approach_k": 1.0,
        },
        {
            "name": "abs_net",
            "type": "absorption_chiller",
            "source": "main",
            "sink": "cool",
            "capacity_mw": 2,
            "vom_eur_per_mwh": 0.3,
        },
        {
            "name": "abs_dc",
            "type": "absorption_chiller",
            "source": "dc",
            "sink": "campus",
            "capacity_mw": 3,
            "min_driving_temperature_c": 70,
            "thermal_cop": 0.75,
        },
        {
            "name": "cold_tank",
            "type": "cold_storage",
            "network": "cool",
            "energy_mwh": 20,
            "charge_mw": 4,
            "efficiency_charge": 0.97,
            "efficiency_discharge": 0.96,
            "standing_loss_per_hour": 0.005,
            "vom_eur_per_mwh": 0.1,
        },
        {
            "name": "hrhp",
            "type": "heat_recovery_heat_pump",
            "cooling_network": "cool",
            "heat_network": "main",
            "capacity_mw": 3,
            "heat_rejection": False,
            "vom_eur_per_mwh": 0.7,
        },
        # campus is short of cooling and lowtemp takes little heat: the rest is rejected
        {
            "name": "hrhp_campus",
            "type": "heat_recovery_heat_pump",
            "cooling_network": "campus",
            "heat_network": "lowtemp",
            "capacity_mw": 1.5,
            "heat_rejection_cost_eur_per_mwh": 2.0,
        },
        {
            "name": "ely",
            "type": "electrolyser",
            "capacity_mw": 8,
            "efficiency": 0.62,
            "waste_heat": "h2heat",
            "waste_heat_temperature_c": 60,
            "vom_eur_per_mwh": 2.0,
        },
        {
            "name": "h2_tank",
            "type": "hydrogen_storage",
            "energy_mwh": 30,
            "charge_mw": 3,
            "efficiency_charge": 0.98,
            "standing_loss_per_hour": 0.001,
            "vom_eur_per_mwh": 0.5,
        },
    ]


def _extendable(units: list[dict]) -> list[dict]:
    """Every cooling and hydrogen unit extendable at a capital cost that puts its build between
    zero and the peak (stores from nothing, 0.25 MW per MWh)."""
    cost = {
        "ch_air": 3e5,
        "ch_lake": 4e5,
        "ch_campus": 3e5,
        "fc_lake": 2e4,
        "fc_air": 1e4,
        "abs_net": 3e5,
        "abs_dc": 2e4,
        "hrhp": 6e5,
        "hrhp_campus": 6e5,
        "ely": 7e5,
    }
    out = []
    for u in units:
        if u["name"] in cost:
            u = {
                **u,
                "expansion": {
                    "capital_cost_eur_per_mw": cost[u["name"]],
                    "lifetime_years": 20,
                    "max_mw": 10,
                },
            }
        elif u["type"] in ("cold_storage", "hydrogen_storage"):
            u = {
                **u,
                "energy_mwh": 0,
                "charge_mw": 0,
                "expansion": {"capital_cost_eur_per_mwh": 2000, "charge_mw_per_mwh": 0.25},
            }
        out.append(u)
    return out


def _scenario(tmp_path: Path, hours: int, expansion: bool = False):
    s = _series(tmp_path, hours)
    units = _extendable(_units(s)) if expansion else _units(s)
    return make_scenario(
        tmp_path,
        horizon={"hours": hours},
        discount_rate=0.05,
        units=units,
        location={"name": "Testby", "outdoor_temperature_c": s["outdoor_c"]},
        carbon_price_eur_per_t=80.0,
        electricity={
            "price_eur_per_mwh": s["spot"],
            "grid_fee_eur_per_mwh": 12.0,
            "emission_t_per_mwh": 0.05,
            "export_allowed": True,
        },
        fuels={"gas": {"price_eur_per_mwh": 30.0, "emission_t_per_mwh": 0.2}},
        networks={
            "main": {
                "supply_temperature_c": 75.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": s["heat_mw"]},
            },
            "lowtemp": {
                "supply_temperature_c": 45.0,
                "return_temperature_c": 30.0,
                "demand": {"series_mw": 0.4},
            },
        },
        cooling_networks={
            "cool": {
                "supply_temperature_c": 6,
                "return_temperature_c": 16,
                "demand": {"series_mw": s["cool_mw"]},
            },
            "campus": {
                "supply_temperature_c": 7,
                "return_temperature_c": 15,
                "demand": {"series_mw": 2.5},
                "heat_gain_share": 0.05,
            },
        },
        waste_heat={
            "dc": {
                "available_mw": s["dc_mw"],
                "temperature_c": s["waste_c"],
                "price_eur_per_mwh": 4.0,
                "emission_t_per_mwh": 0.01,
            },
            # nothing of its own: all its heat is the electrolyser's, at a price per MWh drawn
            "h2heat": {"available_mw": 0, "temperature_c": 60, "price_eur_per_mwh": 1.0},
        },
        ambient={"lake": {"temperature_c": s["lake_c"]}},
        hydrogen={"demand_mw": s["h2_mw"], "import_price_eur_per_mwh": s["h2_price"]},
    )


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """Each case solved once by both tools: (restvarme's results, solved PyPSA network, inputs)."""
    return solved_cases(_scenario, tmp_path_factory)


@pytest.mark.parametrize("name", CASE_PARAMS)
def test_objective_matches_pypsa(solved, name):
    ours, n, _ = solved(name)
    obj_ours, obj_pypsa = ours.attrs["objective_eur"], float(n.objective)
    assert abs(obj_ours - obj_pypsa) <= REL_TOL * abs(obj_pypsa), (obj_ours, obj_pypsa)


def test_dispatch_case_exercises_every_unit_and_constraint(solved):
    """What the objective comparison relies on: every unit type runs, the temperature windows
    (free cooling, absorption chiller) open and close, the electrolyser's heat is used by both
    routes, heat is rejected, cooling goes unserved on one network and hydrogen is imported."""
    ours, _, inputs = solved("dispatch")
    cooling, hydrogen = ours["cooling_mwh"].to_series(), ours["hydrogen_mwh"].to_series()
    for unit in (
        "ch_air",
        "ch_lake",
        "ch_campus",
        "fc_lake",
        "fc_air",
        "abs_dc",
        "hrhp",
        "hrhp_campus",
    ):
        assert cooling[unit] > 1.0, unit
    assert float(ours["cold_storage_level_mwh"].max()) > 1.0
    assert float(ours["hydrogen_storage_level_mwh"].max()) > 1.0
    assert hydrogen["ely"] > 10.0
    for dim in ("free_cooling", "absorption_chiller"):
        share = inputs[f"{dim}_share"]
        assert float(share.min()) == 0.0 and float(share.max()) == 1.0, dim
    used = ours["waste_heat_used_mwh"].sel(waste_source="h2heat")
    assert float(used.sel(route="preheat")) > 1.0
    assert float(used.sel(route="heat_pump")) > 1.0
    hrhp = ours["heat_mw"].sel(unit="hrhp_campus")
    condenser = ours["cooling_mw"].sel(unit="hrhp_campus") - ours["electricity_mw"].sel(
        unit="hrhp_campus"
    )
    assert float((condenser - hrhp).sum()) > 1.0  # some heat rejected
    assert float(ours["unserved_cooling_mwh"].sel(cooling_network="campus")) > 1.0
    assert float(ours["hydrogen_import_mw"].sum()) > 1.0


def test_unit_outputs_match_pypsa(solved):
    """Heat, cooling, hydrogen and electricity of every unit agree. Not implied by equal
    objectives; this case's optimum happens to be unique in them (both solvers land on the same
    flows)."""
    ours, n, _ = solved("dispatch")
    for carrier in ("heat", "cooling", "hydrogen", "electricity"):
        theirs = peer.unit_output_mwh(n, carrier)
        assert len(theirs) >= 2, carrier
        mine = ours[f"{carrier}_mwh"].to_series().reindex(theirs.index)
        np.testing.assert_allclose(mine, theirs, rtol=1e-6, atol=1e-6, err_msg=carrier)


def _inside(flow, upper) -> np.ndarray:
    flow, upper = np.asarray(flow, dtype=float), np.asarray(upper, dtype=float)
    return (flow > EPS_MW) & (flow < upper - EPS_MW)


def _electricity_pinned(ours) -> np.ndarray:
    """Hours grid import is strictly positive (no import limit): the electricity price is the
    buying price in every optimal dual."""
    return np.asarray(ours["grid_import_mw"]) > EPS_MW


def _pinned_cooling_hours(ours, inputs, network: str) -> np.ndarray:
    """Hours the marginal cooling price of ``network`` is the same in every optimal dual.

    Complementary slackness holds between any optimal primal and any optimal dual, so a variable
    strictly inside its bounds in restvarme's optimum fixes a relation between duals in all of
    them: a chiller strictly inside (0, capacity) ties the cooling price to electricity price /
    EER + vom, and electricity is pinned where grid import is positive; unserved cooling above
    zero ties it to the penalty.
    """
    chillers = [
        str(c) for c in inputs["chiller"].values if inputs["chiller_sink"].sel(chiller=c) == network
    ]
    by_chiller = np.zeros(inputs.sizes["snapshot"], dtype=bool)
    for c in chillers:
        flow = ours["cooling_mw"].sel(unit=c)
        by_chiller |= _inside(flow, inputs["chiller_capacity_mw"].sel(chiller=c))
    unserved = np.asarray(ours["unserved_cooling_mw"].sel(cooling_network=network)) > EPS_MW
    return (by_chiller & _electricity_pinned(ours)) | unserved


def _pinned_hydrogen_hours(ours, inputs) -> np.ndarray:
    """Hours the marginal hydrogen price is the same in every optimal dual: hydrogen import or
    unserved hydrogen above zero (both unbounded above), or the electrolyser strictly inside
    its capacity with electricity pinned and heat left unused at its waste-heat source (so that
    source's availability constraint is slack and its dual zero)."""
    imported = np.asarray(ours["hydrogen_import_mw"]) > EPS_MW
    unserved = np.asarray(ours["unserved_hydrogen_mw"]) > EPS_MW
    power = -ours["electricity_mw"].sel(unit="ely")
    source = "h2heat"
    room = (
        ours["waste_heat_available_mw"].sel(waste_source=source)
        + ours["waste_heat_offered_mw"].sel(waste_source=source)
        - ours["waste_heat_used_mw"].sel(waste_source=source).sum("route")
    )
    by_electrolyser = (
        _inside(power, inputs["electrolyser_capacity_mw"].sel(electrolyser="ely"))
        & _electricity_pinned(ours)
        & (np.asarray(room) > EPS_MW)
    )
    return imported | unserved | by_electrolyser


def test_marginal_cooling_and_hydrogen_prices_match_where_pinned(solved):
    ours, n, inputs = solved("dispatch")
    prices = n.buses_t.marginal_price
    checked = {}
    for network in ("cool", "campus"):
        pinned = _pinned_cooling_hours(ours, inputs, network)
        mine = ours["marginal_cooling_price_eur_per_mwh"].sel(cooling_network=network).values
        np.testing.assert_allclose(
            mine[pinned],
            prices[f"cooling {network}"].values[pinned],
            rtol=1e-6,
            atol=1e-6,
            err_msg=network,
        )
        checked[network] = int(pinned.sum())
    pinned = _pinned_hydrogen_hours(ours, inputs)
    mine = ours["marginal_hydrogen_price_eur_per_mwh"].values
    np.testing.assert_allclose(
        mine[pinned], prices["hydrogen"].values[pinned], rtol=1e-6, atol=1e-6
    )
    checked["hydrogen"] = int(pinned.sum())
    # the comparison covers a good part of the horizon on every bus
    assert min(checked.values()) >= 12, checked


def test_pinned_cooling_price_is_the_chillers_cost(solved):
    """In hours a chiller on `cool` has room and the grid is importing, both tools price cooling
    at (spot + fee + carbon price · emission factor) / EER + vom of that chiller."""
    ours, n, inputs = solved("dispatch")
    buy = (inputs["electricity_price_eur_per_mwh"] + 12.0 + 80.0 * 0.05).values
    flow = ours["cooling_mw"].sel(unit="ch_air").values
    hours = _inside(flow, 6.0) & _electricity_pinned(ours)
    assert hours.sum() >= 3
    eer = inputs["chiller_eer"].sel(chiller="ch_air").values
    expected = buy / eer + 0.5
    np.testing.assert_allclose(
        n.buses_t.marginal_price["cooling cool"].values[hours], expected[hours], rtol=1e-9
    )


def _new_capacity_range(sf, slack: float = 1e-9) -> dict[str, tuple[float, float]]:
    """Least and most new capacity of each extendable cooling or hydrogen unit among solutions
    within ``slack`` (relative) of restvarme's optimal cost."""
    inputs = build_inputs(sf)
    built = build_model(inputs)
    best = solve(built).objective_eur
    m = built.model
    m.add_constraints(m.objective.expression <= best + slack * abs(best), name="near_optimal")
    out = {}
    for dim in (
        "chiller",
        "free_cooling",
        "absorption_chiller",
        "cold_storage",
        "heat_recovery_heat_pump",
        "electrolyser",
        "hydrogen_storage",
    ):
        var = built.units[dim].new_capacity
        dim = var.dims[0]
        for unit in var.coords[dim].values[inputs[f"{dim}_extendable"].values]:
            bounds = []
            for sense in ("min", "max"):
                m.add_objective(1 * var.sel({dim: unit}), overwrite=True, sense=sense)
                m.solve("highs", io_api="direct", output_flag=False, progress=False)
                bounds.append(float(m.objective.value))
            out[str(unit)] = (bounds[0], bounds[1])
    return out


@pytest.mark.slow
def test_built_capacities_match_pypsa(solved, tmp_path):
    """Every cooling and hydrogen type is extendable; the new capacities agree to 1e-6 for the
    units whose new capacity is unique within 1e-9 of the optimal cost (checked here)."""
    ours, n, _ = solved("expansion")
    theirs = peer.capacity_new(n)
    mine = ours["capacity_new"].to_series().reindex(theirs.index)
    ranges = _new_capacity_range(_scenario(tmp_path, **CASES["expansion"]))
    unique = [u for u, (lo, hi) in ranges.items() if hi - lo <= 1e-3 * max(1.0, abs(hi))]
    assert len(unique) >= 6, ranges
    np.testing.assert_allclose(mine[unique], theirs[unique], rtol=1e-6, atol=1e-6)
    built = [u for u in unique if mine[u] > 0.1]
    assert len(built) >= 6, mine


@pytest.mark.slow
def test_store_power_follows_energy_on_cooling_and_hydrogen(solved):
    """The extendable cold and hydrogen stores' links follow e_nom at 0.25 MW per MWh."""
    _, n, _ = solved("expansion")
    links = n.c.links.static
    for store, eta_d in (("cold_tank", 0.96), ("h2_tank", 1.0)):
        e_nom = float(n.c.stores.static.at[store, "e_nom_opt"])
        assert e_nom > 1.0, store
        assert links.at[f"{store} charge", "p_nom_opt"] == pytest.approx(0.25 * e_nom)
        assert links.at[f"{store} discharge", "p_nom_opt"] * eta_d == pytest.approx(0.25 * e_nom)


def test_unbounded_electrolyser_under_an_extendable_heat_exchanger_is_refused(tmp_path):
    """An extendable heat exchanger feeding the supply line (no hourly temperature limit) from a
    source an electrolyser of unbounded size feeds has no finite hourly limit to give PyPSA:
    refused with the fix in the message (faked on the inputs of the dispatch case)."""
    inputs = build_inputs(_scenario(tmp_path, 4))
    hx, ely = {"heat_exchanger": "hx_h2"}, {"electrolyser": "ely"}
    inputs["heat_exchanger_extendable"].loc[hx] = True
    inputs["heat_exchanger_temperature_limit_mw"].loc[hx] = np.inf
    inputs["electrolyser_extendable"].loc[ely] = True
    inputs["electrolyser_new_max"].loc[ely] = np.inf
    with pytest.raises(ValueError, match=r"heat exchanger hx_h2 .*max_mw"):
        peer.to_pypsa(inputs)
