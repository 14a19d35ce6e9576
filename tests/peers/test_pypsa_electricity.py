"""Cross-check the electricity side against PyPSA (issue #5).

One small system (48 h) holds every electricity-side type next to a heat network: local
electricity demand, PV (most of the day's surplus, 25 MW on a 5-7 MW demand) and wind, a lossy
battery with standing loss and separate charge and discharge power, a fuel cell drawing from the
hydrogen bus whose heat goes to the heat network, and the heat side (gas boiler, air heat pump,
electric boiler). The grid has an import limit and an export limit that both bind, so PV and wind
surpluses end up in the battery, the heat network or curtailed. It is solved by ``restvarme.run``
and, from the same inputs, by PyPSA through :func:`restvarme_peers.pypsa_network.to_pypsa`.

* Optima agree to 1e-6 relative (they agree to about 1e-15).
* Every unit's heat, electricity and hydrogen agree, and the hourly flows of the electricity
  units (this case's optimum is unique in them: both solvers land on the same flows).
* The marginal electricity price agrees in the hours where complementary slackness pins it
  (:func:`_pinned_electricity_hours`), and is there the price derived by hand.
* In an expansion case (PV, wind, battery and fuel cell extendable, the battery from nothing)
  the built capacities agree where they are unique within 1e-9 of the optimal cost (checked).
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
FEE, CARBON, GRID_EMISSION = 12.0, 80.0, 0.05
IMPORT_MW, EXPORT_MW = 9.0, 2.0


def _series(tmp_path: Path, hours: int) -> dict:
    """Hourly series in ``series.csv``; a ``{file, column}`` reference per column."""
    t = np.arange(hours)
    day = 2 * np.pi * t / 24
    columns = {
        "spot": 50 + 40 * np.sin(day) + 5 * np.cos(t),
        "outdoor_c": -3 + 6 * np.sin(2 * np.pi * (t - 9) / 24),
        "heat_mw": 14 + 6 * np.cos(day),
        "el_mw": 5 + 2 * np.sin(2 * np.pi * (t - 14) / 24) + 0.5 * np.cos(t / 3),
        # zero at night, a cloudier second day
        "pv_cf": np.clip(0.8 * np.sin(2 * np.pi * (t - 6) / 24), 0, None)
        * (0.7 + 0.3 * np.cos(t / 9)) ** 2,
        "wind_cf": np.clip(0.4 + 0.35 * np.sin(t / 7) + 0.1 * np.cos(t / 2), 0, 1),
        "h2_mw": 1 + 0.5 * np.sin(day),
        "h2_price": 55 + 15 * np.cos(day),
    }
    pd.DataFrame(columns).to_csv(tmp_path / "series.csv", index=False)
    return {c: {"file": "series.csv", "column": c} for c in columns}


def _units(s: dict) -> list[dict]:
    return [
        {
            "name": "boiler",
            "type": "boiler",
            "fuel": "gas",
            "sink": "main",
            "capacity_mw": 25,
            "efficiency": 0.95,
            "vom_eur_per_mwh": 1.0,
        },
        {
            "name": "hp_air",
            "type": "heat_pump",
            "source": "air",
            "sink": "main",
            "capacity_mw": 4,
            "vom_eur_per_mwh": 0.5,
        },
        {
            "name": "eb",
            "type": "electric_boiler",
            "sink": "main",
            "capacity_mw": 3,
            "efficiency": 0.98,
            "vom_eur_per_mwh": 0.2,
        },
        {
            "name": "pv",
            "type": "pv",
            "capacity_mw": 25,
            "capacity_factor": s["pv_cf"],
            "vom_eur_per_mwh": 0.5,
        },
        {
            "name": "wind",
            "type": "wind",
            "capacity_mw": 4,
            "capacity_factor": s["wind_cf"],
            "vom_eur_per_mwh": 1.5,
        },
        {
            "name": "bat",
            "type": "battery",
            "energy_mwh": 8,
            "charge_mw": 3,
            "discharge_mw": 2.5,
            "efficiency_charge": 0.95,
            "efficiency_discharge": 0.93,
            "standing_loss_per_hour": 0.002,
            "vom_eur_per_mwh": 0.3,
        },
        {
            "name": "fc",
            "type": "fuel_cell",
            "capacity_mw": 2,
            "efficiency_el": 0.5,
            "efficiency_heat": 0.35,
            "sink": "main",
            "vom_eur_per_mwh": 3.0,
        },
    ]


def _extendable(units: list[dict]) -> list[dict]:
    """PV (2 MW existing), wind and the fuel cell extendable, the battery built from nothing at
    0.2 MW per MWh; capital costs that put every build between zero and the peak."""
    cost = {"pv": 4e5, "wind": 2.2e6, "fc": 1e5}
    out = []
    for u in units:
        if u["name"] in cost:
            u = {
                **u,
                "expansion": {"capital_cost_eur_per_mw": cost[u["name"]], "lifetime_years": 25},
            }
        if u["name"] == "pv":
            u["capacity_mw"] = 2
        if u["name"] == "bat":
            u = {
                **u,
                "energy_mwh": 0,
                "charge_mw": 0,
                "discharge_mw": 0,
                "expansion": {
                    "capital_cost_eur_per_mwh": 1.5e5,
                    "charge_mw_per_mwh": 0.2,
                    "lifetime_years": 15,
                },
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
        carbon_price_eur_per_t=CARBON,
        electricity={
            "price_eur_per_mwh": s["spot"],
            "grid_fee_eur_per_mwh": FEE,
            "emission_t_per_mwh": GRID_EMISSION,
            "export_allowed": True,
            "import_capacity_mw": IMPORT_MW,
            "export_capacity_mw": EXPORT_MW,
            "demand": {"series_mw": s["el_mw"]},
        },
        fuels={"gas": {"price_eur_per_mwh": 30.0, "emission_t_per_mwh": 0.2}},
        networks={
            "main": {
                "supply_temperature_c": 75.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": s["heat_mw"]},
            }
        },
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


def _inside(flow, upper) -> np.ndarray:
    flow, upper = np.asarray(flow, dtype=float), np.asarray(upper, dtype=float)
    return (flow > EPS_MW) & (flow < upper - EPS_MW)


def test_dispatch_case_exercises_every_unit_and_limit(solved):
    """What the comparisons rely on: local demand is served, PV and wind generate and wind is
    curtailed in some hours, the battery charges and discharges across its whole range, the
    fuel cell runs at its electric capacity and part-load and its heat reaches the network, and
    both grid limits bind in some hours."""
    ours, _, inputs = solved("dispatch")
    assert float(ours["electricity_demand_mwh"]) > 100.0
    generated = ours["electricity_mwh"].to_series()
    assert generated["pv"] > 10.0 and generated["wind"] > 10.0
    curtailed = ours["renewable_curtailment_mwh"].to_series()
    assert curtailed["wind"] > 1.0
    assert float(ours["battery_charge_mwh"].sum()) > 5.0
    assert float(ours["battery_discharge_mwh"].sum()) > 5.0
    level = ours["battery_level_mwh"].sel(battery="bat")
    assert float(level.min()) == pytest.approx(0.0, abs=1e-6)
    assert float(level.max()) == pytest.approx(8.0, abs=1e-6)
    fc = ours["electricity_mw"].sel(unit="fc").values
    assert np.isclose(fc, 2.0).sum() >= 3  # at capacity, rated in electricity
    assert _inside(fc, 2.0).sum() >= 1
    assert float(ours["heat_mwh"].sel(unit="fc")) > 5.0
    assert float(ours["hydrogen_import_mwh"]) > 10.0
    assert np.isclose(ours["grid_import_mw"], IMPORT_MW).sum() >= 3
    assert np.isclose(ours["grid_export_mw"], EXPORT_MW).sum() >= 3
    assert float(inputs["renewable_capacity_factor"].sel(renewable="pv").min()) == 0.0


def test_unit_outputs_match_pypsa(solved):
    """Heat, electricity and hydrogen of every unit agree over the horizon. Not implied by equal
    objectives; this case's optimum happens to be unique in them."""
    ours, n, _ = solved("dispatch")
    for carrier in ("heat", "electricity", "hydrogen"):
        theirs = peer.unit_output_mwh(n, carrier)
        mine = ours[f"{carrier}_mwh"].to_series().reindex(theirs.index)
        assert not mine.isna().any(), carrier
        np.testing.assert_allclose(mine, theirs, rtol=1e-6, atol=1e-6, err_msg=carrier)
    electricity = peer.unit_output_mwh(n, "electricity")
    assert {"pv", "wind", "bat", "fc", "hp_air", "eb"} <= set(electricity.index)
    assert electricity["hp_air"] < 0 < electricity["fc"]
    assert peer.unit_output_mwh(n, "hydrogen")["fc"] < 0


def test_hourly_electricity_flows_match_pypsa(solved):
    """Hour by hour: PV and wind generation, battery charge, discharge and level, and the fuel
    cell's electricity, heat and hydrogen."""
    ours, n, _ = solved("dispatch")
    gen, links = n.c.generators.dynamic["p"], n.c.links.dynamic
    pairs = {
        "pv": (ours["renewable_generation_mw"].sel(renewable="pv"), gen["pv"]),
        "wind": (ours["renewable_generation_mw"].sel(renewable="wind"), gen["wind"]),
        "charge": (ours["battery_charge_mw"].sel(battery="bat"), links["p0"]["bat charge"]),
        "discharge": (
            ours["battery_discharge_mw"].sel(battery="bat"),
            -links["p1"]["bat discharge"],
        ),
        "level": (ours["battery_level_mwh"].sel(battery="bat"), n.c.stores.dynamic["e"]["bat"]),
        "fc power": (ours["electricity_mw"].sel(unit="fc"), -links["p1"]["fc"]),
        "fc heat": (ours["heat_mw"].sel(unit="fc"), -links["p2"]["fc"]),
        "fc hydrogen": (ours["hydrogen_mw"].sel(unit="fc"), -links["p0"]["fc"]),
        "import": (ours["grid_import_mw"], gen["grid import"]),
        "export": (ours["grid_export_mw"], -gen["grid export"]),
    }
    for what, (mine, theirs) in pairs.items():
        np.testing.assert_allclose(
            np.asarray(mine, dtype=float).ravel(), theirs.to_numpy(), atol=1e-6, err_msg=what
        )
    # the fuel cell's heat is η_th/η_el of its electricity in PyPSA too, and its hydrogen 1/η_el
    power = -links["p1"]["fc"].to_numpy()
    np.testing.assert_allclose(-links["p2"]["fc"], 0.35 / 0.5 * power, atol=1e-9)
    np.testing.assert_allclose(links["p0"]["fc"], power / 0.5, atol=1e-9)


def _buy_price(inputs) -> np.ndarray:
    return (inputs["electricity_price_eur_per_mwh"] + FEE + CARBON * GRID_EMISSION).to_numpy()


def _pinned_electricity_hours(ours, inputs) -> dict[str, np.ndarray]:
    """Hours the marginal electricity price is the same in every optimal dual, by reason.

    Complementary slackness holds between any optimal primal and any optimal dual, so a variable
    strictly inside its bounds in restvarme's optimum has a zero reduced cost in all of them:
    grid import strictly inside (0, import limit) ties the price to the buying price, export
    strictly inside (0, export limit) to spot, and PV or wind generation strictly inside
    (0, f·K) to that unit's variable O&M.
    """
    out = {
        "import": _inside(ours["grid_import_mw"], IMPORT_MW),
        "export": _inside(ours["grid_export_mw"], EXPORT_MW),
    }
    for r in inputs["renewable"].values:
        out[str(r)] = _inside(
            ours["renewable_generation_mw"].sel(renewable=r),
            ours["renewable_available_mw"].sel(renewable=r),
        )
    return out


def test_marginal_electricity_price_matches_where_pinned(solved):
    ours, n, inputs = solved("dispatch")
    pinned = _pinned_electricity_hours(ours, inputs)
    hours = np.logical_or.reduce(list(pinned.values()))
    mine = ours["marginal_electricity_price_eur_per_mwh"].to_numpy()
    theirs = n.buses_t.marginal_price["electricity"].to_numpy()
    np.testing.assert_allclose(mine[hours], theirs[hours], rtol=1e-6, atol=1e-6)
    # and it is the price the binding reason gives, in both tools
    expected = {
        "import": _buy_price(inputs),
        "export": inputs["electricity_price_eur_per_mwh"].to_numpy(),
        "pv": np.full(len(mine), 0.5),
        "wind": np.full(len(mine), 1.5),
    }
    for reason, where in pinned.items():
        np.testing.assert_allclose(
            theirs[where], expected[reason][where], rtol=1e-9, err_msg=reason
        )
    counts = {reason: int(where.sum()) for reason, where in pinned.items()}
    assert hours.sum() >= 12 and counts["import"] >= 6 and counts["wind"] >= 1, counts


def _new_capacity_range(sf, slack: float = 1e-9) -> dict[str, tuple[float, float]]:
    """Least and most new capacity of each extendable electricity unit among solutions within
    ``slack`` (relative) of restvarme's optimal cost."""
    inputs = build_inputs(sf)
    built = build_model(inputs)
    best = solve(built).objective_eur
    m = built.model
    m.add_constraints(m.objective.expression <= best + slack * abs(best), name="near_optimal")
    out = {}
    for var in (
        built.units["battery"].new_capacity,
        built.units["renewable"].new_capacity,
        built.units["fuel_cell"].new_capacity,
    ):
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
    """PV, wind, the fuel cell and the battery are all built; each new capacity is unique within
    1e-9 of the optimal cost (checked here) and the two tools build the same."""
    ours, n, _ = solved("expansion")
    theirs = peer.capacity_new(n)
    mine = ours["capacity_new"].to_series().reindex(theirs.index)
    ranges = _new_capacity_range(_scenario(tmp_path, **CASES["expansion"]))
    assert set(ranges) == {"pv", "wind", "bat", "fc"}
    for unit, (low, high) in ranges.items():
        assert high - low <= 1e-3 * max(1.0, abs(high)), (unit, low, high)
    units = list(ranges)
    np.testing.assert_allclose(mine[units], theirs[units], rtol=1e-6, atol=1e-6)
    assert (mine[units] > 0.1).all(), mine


@pytest.mark.slow
def test_expansion_in_pypsa_terms(solved):
    """The battery's links follow e_nom at 0.2 MW per MWh (discharge on the store side:
    p_nom·η_d), PV's p_nom is its rated MW, and the fuel cell's p_nom is in hydrogen: its
    electric rating over η_el."""
    ours, n, _ = solved("expansion")
    links, new = n.c.links.static, ours["capacity_new"].to_series()
    e_nom = float(n.c.stores.static.at["bat", "e_nom_opt"])
    assert e_nom == pytest.approx(new["bat"])
    assert links.at["bat charge", "p_nom_opt"] == pytest.approx(0.2 * e_nom)
    assert links.at["bat discharge", "p_nom_opt"] * 0.93 == pytest.approx(0.2 * e_nom)
    assert n.c.generators.static.at["pv", "p_nom_opt"] == pytest.approx(2 + new["pv"])
    assert links.at["fc", "p_nom_opt"] * 0.5 == pytest.approx(2 + new["fc"])
    # the tie binds: the battery charges at the 0.2 MW per MWh it was built with, and dropping
    # the tie would change the optimum (non-zero shadow prices)
    assert float(ours["battery_charge_mw"].max()) == pytest.approx(0.2 * e_nom)
    assert float(abs(n.model.constraints["Link-store_power_per_energy"].dual).min()) > 1e-3
