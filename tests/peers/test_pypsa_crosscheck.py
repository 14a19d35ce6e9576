"""Cross-check restvarme against an independent implementation of the same system in PyPSA.

Each case builds a small scenario (24-72 h) with :func:`make_scenario`, solves it with
``restvarme.run`` and, from the same inputs Dataset, with PyPSA through
:func:`restvarme_peers.pypsa_network.to_pypsa`. The optima must agree to 1e-6 relative; where
the optimum is unique (distinct marginal costs, no store to shift energy between tied hours) the
heat each unit delivers and the unserved heat per network must agree as well.

Expansion cases make units extendable (PyPSA's ``p_nom_extendable``/``e_nom_extendable``, see
the peer's module docstring). Their objectives must agree to 1e-6 relative, and the capacities
each tool builds to 1e-6 where the optimum's capacities are unique: a test checks that for
those cases by minimising and maximising each new capacity within 1e-9 of the optimal cost.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import restvarme
from extras import require
from restvarme.errors import MissingExtraError
from restvarme.inputs.build import build_inputs
from restvarme.inputs.pathway import build_pathway_inputs
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from restvarme_peers import pypsa_network as peer
from tiny_scenarios import make_scenario

require("pypsa")  # looked up, not imported: the tests import it (tests/extras.py)

REL_TOL = 1e-6


def _series(tmp_path: Path, hours: int) -> dict:
    """Hourly series in ``series.csv`` and a ``{file, column}`` reference maker."""
    t = np.arange(hours)
    pd.DataFrame(
        {
            "spot": 50 + 40 * np.sin(2 * np.pi * t / 24) + 5 * np.cos(t),
            # 35-85 °C: direct feed-in above 80 °C supply + 5 K approach, preheat below
            "waste_c": 60 + 25 * np.sin(2 * np.pi * t / 17),
            "outdoor_c": -5 + 8 * np.sin(2 * np.pi * t / 24),
            "demand_main": 20 + 6 * np.cos(2 * np.pi * t / 24),
            "dc_mw": 8 + 3 * np.sin(t / 5),
        }
    ).to_csv(tmp_path / "series.csv", index=False)
    return {
        c: {"file": "series.csv", "column": c}
        for c in ("spot", "waste_c", "outdoor_c", "demand_main", "dc_mw")
    }


def _common(s: dict, hours: int, *, export: bool, import_mw: float | None = None) -> dict:
    return dict(
        horizon={"hours": hours},
        location={"name": "Testby", "outdoor_temperature_c": s["outdoor_c"]},
        carbon_price_eur_per_t=80.0,
        electricity={
            "price_eur_per_mwh": s["spot"],
            "grid_fee_eur_per_mwh": 12.0,
            "emission_t_per_mwh": 0.05,
            "export_allowed": export,
            "import_capacity_mw": import_mw,
        },
        fuels={
            "gas": {"price_eur_per_mwh": 30.0, "emission_t_per_mwh": 0.2},
            "wood": {"price_eur_per_mwh": 18.0},
        },
        networks={
            "main": {
                "supply_temperature_c": 75.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": s["demand_main"]},
            },
            "north": {
                "supply_temperature_c": {"curve": [[-10, 80], [10, 65]]},
                "return_temperature_c": 38.0,
                "demand": {"series_mw": 9.0},
                "heat_loss_share": 0.1,
            },
        },
        waste_heat={
            "dc": {
                "available_mw": s["dc_mw"],
                "temperature_c": s["waste_c"],
                "price_eur_per_mwh": 4.0,
            },
            "sewage": {"available_mw": 3.0, "temperature_c": 12.0},
        },
        ambient={"sea": {"temperature_c": 4.0}},
    )


HP_DC = {
    "name": "hp_dc",
    "type": "heat_pump",
    "cop_method": "carnot",
    "source": "dc",
    "sink": "main",
    "capacity_mw": 8,
    "vom_eur_per_mwh": 1.5,
}
HP_SEWAGE = {
    "name": "hp_sew",
    "type": "heat_pump",
    "cop_method": "carnot",
    "source": "sewage",
    "sink": "north",
    "capacity_mw": 3,
}
HP_AIR = {
    "name": "hp_air",
    "type": "heat_pump",
    "cop_method": "carnot",
    "source": "air",
    "sink": "north",
    "capacity_mw": 2,
    "vom_eur_per_mwh": 0.5,
}
HP_SEA = {
    "name": "hp_sea",
    "type": "heat_pump",
    "cop_method": "carnot",
    "source": "sea",
    "sink": "main",
    "capacity_mw": 2,
    "quality_grade": 0.45,
}
HX_DC = {
    "name": "hx_dc",
    "type": "heat_exchanger",
    "source": "dc",
    "sink": "main",
    "capacity_mw": 6,
    "vom_eur_per_mwh": 0.3,
}
BOILER = {
    "name": "boiler",
    "type": "boiler",
    "fuel": "gas",
    "sink": "main",
    "capacity_mw": 10,
    "efficiency": 0.95,
    "vom_eur_per_mwh": 1.0,
}
E_BOILER = {
    "name": "eb",
    "type": "electric_boiler",
    "sink": "north",
    "capacity_mw": 2,
    "efficiency": 0.98,
    "vom_eur_per_mwh": 0.2,
}
CHP_BP = {
    "name": "chp",
    "type": "chp",
    "fuel": "wood",
    "sink": "main",
    "heat_capacity_mw": 10,
    "efficiency_el": 0.3,
    "efficiency_heat": 0.6,
    "vom_eur_per_mwh": 2.0,
}
CHP_EXTRACTION = {
    "name": "chp_x",
    "type": "chp",
    "mode": "extraction",
    "fuel": "gas",
    "sink": "north",
    "heat_capacity_mw": 4,
    "fuel_capacity_mw": 8,
    "efficiency_el": 0.45,
    "cv": 0.15,
    "cb": 0.8,
    "vom_eur_per_mwh": 1.0,
}
TANK = {
    "name": "tank",
    "type": "storage",
    "network": "main",
    "energy_mwh": 40,
    "charge_mw": 8,
    "discharge_mw": 6,
    "efficiency_charge": 0.95,
    "efficiency_discharge": 0.9,
    "standing_loss_per_hour": 0.01,
    "vom_eur_per_mwh": 0.1,
}

CASES = {
    # Merit order without a store: hourly COP and price, direct and preheat hours, a boiler, an
    # electric boiler, too little capacity on `north` (unserved heat). Unique optimum.
    "waste_heat_merit_order": dict(
        hours=24,
        export=False,
        units=[HP_DC, HP_SEWAGE, HP_AIR, HX_DC, BOILER, E_BOILER],
        unique=True,
    ),
    # Everything at once over three days: a back-pressure CHP selling at spot, an extraction CHP
    # (PQ limits through extra_functionality), a lossy store, ambient and air heat pumps and a
    # binding import limit.
    "everything_with_export": dict(
        hours=72,
        export=True,
        import_mw=0.3,
        units=[
            HP_DC,
            HP_SEWAGE,
            HP_AIR,
            HP_SEA,
            HX_DC,
            CHP_BP,
            CHP_EXTRACTION,
            BOILER,
            E_BOILER,
            TANK,
        ],
        unique=False,
    ),
}


def extendable(unit: dict, **expansion) -> dict:
    """``unit`` with an ``expansion`` block (20-year life unless given)."""
    return {**unit, "expansion": {"lifetime_years": 20, **expansion}}


EXPANSION_CASES = {
    # The system: an extendable heat pump on data-centre heat, an extendable gas boiler
    # and a store built from nothing (0.25 MW per MWh), plus an extendable electric boiler on
    # `north`. Capital costs put every build between zero and the peak; the capacities are
    # unique (test_expansion_capacities_are_unique).
    "heat_pump_store_boiler": dict(
        hours=48,
        export=False,
        discount_rate=0.05,
        unique=True,
        units=[
            extendable(
                {**HP_DC, "capacity_mw": 2},
                capital_cost_eur_per_mw=8e5,
                fixed_om_eur_per_mw_year=2000,
            ),
            extendable({**BOILER, "capacity_mw": 5}, capital_cost_eur_per_mw=1e5),
            {
                **TANK,
                "energy_mwh": 0,
                "charge_mw": 0,
                "discharge_mw": 0,
                "expansion": {"capital_cost_eur_per_mwh": 3000, "charge_mw_per_mwh": 0.25},
            },
            HP_SEWAGE,
            extendable(E_BOILER, capital_cost_eur_per_mw=5e4),
        ],
    ),
    # Every extendable type at once over three days with export and an import limit: heat pumps
    # (one at its max_mw), a heat exchanger whose hourly temperature limit binds below its built
    # capacity, a boiler held at its min_mw, both CHP modes (the extraction unit at its max_mw,
    # its fuel limit growing with it), an electric boiler and an existing store extended. The
    # data-centre heat carries an emission factor, priced at the carbon price.
    "everything_extendable": dict(
        hours=72,
        export=True,
        import_mw=3.0,
        discount_rate=0.05,
        unique=True,
        dc_emission_t_per_mwh=0.01,
        units=[
            extendable({**HP_DC, "capacity_mw": 2}, capital_cost_eur_per_mw=6e5, max_mw=4),
            extendable({**HP_AIR, "capacity_mw": 1}, capital_cost_eur_per_mw=5e5),
            extendable({**HX_DC, "capacity_mw": 1}, capital_cost_eur_per_mw=1e5),
            extendable(BOILER, capital_cost_eur_per_mw=1e5, min_mw=1),
            extendable({**E_BOILER, "capacity_mw": 0.5}, capital_cost_eur_per_mw=3e4),
            extendable({**CHP_BP, "heat_capacity_mw": 4}, capital_cost_eur_per_mw=8e5),
            extendable(
                {**CHP_EXTRACTION, "fuel": "wood", "heat_capacity_mw": 1, "fuel_capacity_mw": 2.5},
                capital_cost_eur_per_mw=4e5,
                max_mw=4,
            ),
            {
                **TANK,
                "energy_mwh": 10,
                "charge_mw": 3,
                "discharge_mw": 2,
                "expansion": {"capital_cost_eur_per_mwh": 2000, "charge_mw_per_mwh": 0.2},
            },
            HP_SEWAGE,
            HP_SEA,
        ],
    ),
}


SLOW_CASES = ("everything_with_export", "everything_extendable")
"""Cases left to the slow run: the fast loop cross-checks one dispatch case (the merit order)
and one expansion case (heat pump, store and boiler)."""


def _params(names) -> list:
    """Case names as test parameters, those of :data:`SLOW_CASES` marked ``slow``."""
    return [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_CASES else n for n in names]


def _scenario(tmp_path: Path, case: dict):
    s = _series(tmp_path, case["hours"])
    extra = {"discount_rate": case["discount_rate"]} if "discount_rate" in case else {}
    common = _common(s, case["hours"], export=case["export"], import_mw=case.get("import_mw"))
    if "dc_emission_t_per_mwh" in case:
        common["waste_heat"]["dc"]["emission_t_per_mwh"] = case["dc_emission_t_per_mwh"]
    return make_scenario(tmp_path, units=case["units"], **extra, **common)


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """Each case solved once by both tools (about 3 s each), shared by the tests below:
    (restvarme's results, the solved PyPSA network, the inputs)."""
    cache: dict[str, tuple] = {}

    def get(name: str):
        if name not in cache:
            sf = _scenario(tmp_path_factory.mktemp(name), {**CASES, **EXPANSION_CASES}[name])
            ours = restvarme.run(sf)
            inputs = build_inputs(sf)
            n = peer.to_pypsa(inputs)
            assert peer.optimize(n, log_to_console=False) == ("ok", "optimal")
            cache[name] = ours, n, inputs
        return cache[name]

    return get


@pytest.mark.parametrize("name", _params([*CASES, *EXPANSION_CASES]))
def test_objective_matches_pypsa(solved, name):
    ours, n, _ = solved(name)
    obj_ours, obj_pypsa = ours.attrs["objective_eur"], float(n.objective)
    assert abs(obj_ours - obj_pypsa) <= REL_TOL * abs(obj_pypsa), (obj_ours, obj_pypsa)


@pytest.mark.parametrize("name", [k for k, case in CASES.items() if case["unique"]])
def test_heat_matches_pypsa_where_unique(solved, name):
    ours, n, _ = solved(name)
    heat_pypsa = peer.unit_heat_mwh(n)
    heat_ours = ours["heat_mwh"].to_series().reindex(heat_pypsa.index)
    np.testing.assert_allclose(heat_ours, heat_pypsa, rtol=1e-6, atol=1e-6)
    power_pypsa = peer.unit_output_mwh(n, "electricity")
    np.testing.assert_allclose(
        ours["electricity_mwh"].to_series().reindex(power_pypsa.index),
        power_pypsa,
        rtol=1e-6,
        atol=1e-6,
    )
    sinks = ours["unit_sink"].to_series()
    np.testing.assert_allclose(
        heat_ours.groupby(sinks).sum(), heat_pypsa.groupby(sinks).sum(), rtol=1e-6, atol=1e-6
    )
    unserved_pypsa = (
        n.c.generators.dynamic["p"]
        .filter(like="unserved")
        .sum()
        .rename(lambda g: g.removeprefix("unserved "))
    )
    unserved_ours = ours["unserved_heat_mwh"].to_series()
    np.testing.assert_allclose(
        unserved_ours, unserved_pypsa.reindex(unserved_ours.index), rtol=1e-6, atol=1e-6
    )


def test_merit_order_case_exercises_what_it_claims(solved):
    """Preheat and direct hours, an hourly COP and unserved heat are really in the unique case."""
    ours, _, _ = solved("waste_heat_merit_order")
    dc = ours["waste_heat_used_mw"].sel(waste_source="dc")
    assert float(dc.sel(route="direct").sum()) > 0
    assert float(dc.sel(route="preheat").sum()) > 0
    assert float(ours["heat_pump_cop"].sel(heat_pump="hp_dc").std()) > 0.5
    assert float(ours["unserved_heat_mwh"].sel(network="north")) > 0


@pytest.mark.slow  # its case is in SLOW_CASES
def test_everything_case_exercises_what_it_claims(solved):
    """Export, the import limit, the store and both extraction-CHP limits are all in play."""
    ours, n, _ = solved("everything_with_export")
    assert float(ours["grid_export_mw"].sum()) > 0
    assert float(ours["grid_import_mw"].max()) == pytest.approx(0.3)
    assert float(ours["storage_level_mwh"].max()) > 0
    for name in ("Link-chp_extraction_back_pressure", "Link-chp_extraction_fuel_limit"):
        # a non-zero shadow price: dropping the constraint would change the optimum
        assert float(abs(n.model.constraints[name].dual).max()) > 1e-3


def test_missing_pypsa_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pypsa", None)
    with pytest.raises(MissingExtraError, match=r"restvarme\[peers\]"):
        peer.to_pypsa(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", _params([k for k, case in EXPANSION_CASES.items() if case["unique"]])
)
def test_built_capacities_match_pypsa_where_unique(solved, name):
    ours, n, _ = solved(name)
    new_pypsa = peer.capacity_new(n)
    new_ours = ours["capacity_new"].to_series().reindex(new_pypsa.index)
    np.testing.assert_allclose(new_ours, new_pypsa, rtol=1e-6, atol=1e-6)
    for carrier in ("heat", "electricity"):
        flow_pypsa = peer.unit_output_mwh(n, carrier)
        np.testing.assert_allclose(
            ours[f"{carrier}_mwh"].to_series().reindex(flow_pypsa.index),
            flow_pypsa,
            rtol=1e-6,
            atol=1e-6,
            err_msg=carrier,
        )


def _new_capacity_range(sf, slack: float = 1e-9) -> dict[str, tuple[float, float]]:
    """Least and most new capacity of each extendable unit among solutions within ``slack``
    (relative) of restvarme's optimal cost."""
    inputs = build_inputs(sf)
    built = build_model(inputs)
    best = solve(built).objective_eur
    m = built.model
    m.add_constraints(m.objective.expression <= best + slack * abs(best), name="near_optimal")
    out = {}
    for ports in built.units.values():
        var = ports.new_capacity
        if var is None:
            continue
        dim = var.dims[0]
        for unit in var.coords[dim].values[inputs[f"{dim}_extendable"].values]:
            bounds = []
            for sense in ("min", "max"):
                m.add_objective(1 * var.sel({dim: unit}), overwrite=True, sense=sense)
                m.solve("highs", io_api="direct", output_flag=False, progress=False)
                bounds.append(float(m.objective.value))
            out[str(unit)] = (bounds[0], bounds[1])
    return out


@pytest.mark.parametrize(
    "name", _params([k for k, case in EXPANSION_CASES.items() if case["unique"]])
)
@pytest.mark.slow  # two more solves per extendable unit: seconds
def test_expansion_capacities_are_unique(tmp_path, name):
    """What the capacity comparison relies on: within 1e-9 of the optimal cost, no extendable
    unit's new capacity can move by more than 1e-3 of itself (or 1e-3 MW)."""
    ranges = _new_capacity_range(_scenario(tmp_path, EXPANSION_CASES[name]))
    assert ranges
    for unit, (low, high) in ranges.items():
        assert high - low <= 1e-3 * max(1.0, abs(high)), (unit, low, high)


@pytest.mark.slow
def test_expansion_case_exercises_what_it_claims(solved):
    """Every type is built or held at a bound, the heat exchanger's temperature limit binds below
    its built capacity, and the extraction CHP's growing fuel limit binds."""
    ours, n, inputs = solved("everything_extendable")
    new = ours["capacity_new"].to_series()
    for unit in ("hp_air", "hx_dc", "chp", "chp_x", "tank"):
        assert new[unit] > 0.5, unit
    assert new["chp_x"] == pytest.approx(4.0)  # max_mw
    assert new["boiler"] == pytest.approx(1.0)  # min_mw
    assert float(ours["grid_export_mw"].sum()) > 0
    x = ours["heat_mw"].sel(unit="hx_dc")
    limit = inputs["heat_exchanger_temperature_limit_mw"].sel(heat_exchanger="hx_dc").values
    capacity = float(ours["capacity_existing"].sel(unit="hx_dc")) + new["hx_dc"]
    at_limit = (np.abs(x.values - limit) < 1e-6) & (limit < capacity - 1e-3) & (limit > 1e-3)
    assert at_limit.sum() >= 3
    assert np.isclose(x.values, capacity).sum() >= 3
    dual = n.model.constraints["Link-chp_extraction_fuel_limit_extendable"].dual
    assert float(abs(dual).max()) > 1e-3
    # the extendable heat pump on the data centre also lifts water its exchanger preheated:
    # its level Link shares the unit's new capacity (restvarme_peers.pypsa_units)
    assert "hp_dc from hx_dc" in n.links.index
    assert "Link-heat_pump_level_capacity_extendable-hp_dc" in n.model.constraints


def test_store_power_grows_with_energy(solved):
    """The charge and discharge links of an extendable store follow e_nom (r = 0.25 MW/MWh),
    and the tie binds (charging power is what limits the store in this case)."""
    ours, n, _ = solved("heat_pump_store_boiler")
    e_nom = float(n.c.stores.static.at["tank", "e_nom_opt"])
    links = n.c.links.static["p_nom_opt"]
    assert links["tank charge"] == pytest.approx(0.25 * e_nom)
    assert links["tank discharge"] * 0.9 == pytest.approx(0.25 * e_nom)
    assert float(ours["storage_charge_mw"].max()) == pytest.approx(0.25 * e_nom)
    assert float(abs(n.model.constraints["Link-store_power_per_energy"].dual).max()) > 1e-3


@pytest.mark.slow
def test_objective_without_the_constant_differs_by_existing_capital_cost(tmp_path):
    """PyPSA's other convention pays for existing capacity too: the difference is exactly
    Σ capital_cost · existing nominal of the extendable components."""
    sf = _scenario(tmp_path, EXPANSION_CASES["heat_pump_store_boiler"])
    ours = restvarme.run(sf)
    n = peer.to_pypsa(build_inputs(sf))
    assert peer.optimize(n, log_to_console=False, include_objective_constant=False)[0] == "ok"
    constant = peer.existing_capital_cost_eur(n)
    assert constant > 0
    assert float(n.objective) - constant == pytest.approx(ours.attrs["objective_eur"], rel=1e-6)


def _tiny_boiler_system(**changes):
    return make_scenario(
        units=[BOILER],
        fuels={"gas": {"price_eur_per_mwh": 30.0}},
        networks={
            "main": {
                "supply_temperature_c": 75.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": 5.0},
            }
        },
        **changes,
    )


def test_pathway_inputs_are_refused_not_mapped_silently():
    sf = _tiny_boiler_system(pathway={"periods": [{"year": 2030}, {"year": 2032}]})
    with pytest.raises(ValueError, match=r"investment periods.*single year"):
        peer.to_pypsa(build_pathway_inputs(sf))


def test_targets_are_refused_not_mapped_silently():
    sf = _tiny_boiler_system(targets={"emission_cap_t": 1.0})
    with pytest.raises(ValueError, match=r"targets.*emission_cap_t"):
        peer.to_pypsa(build_inputs(sf))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # a unit type neither the registry nor the peer knows (every type carries
        # <dim>_extendable)
        (
            {"teleporter_extendable": ("teleporter", [False])},
            r"cannot translate unit type 'teleporter' to PyPSA",
        ),
        ({"day_cluster": ("day", [0])}, r"typical-day"),
    ],
)
def test_inputs_of_unmapped_features_are_refused(extra, message):
    """Unit types and typical days the peer has no mapping for are refused (faked here on
    otherwise mappable inputs, so the test does not depend on those features)."""
    inputs = build_inputs(_tiny_boiler_system())
    dims = [dim for dim, _ in extra.values() if dim in inputs.dims]
    inputs = inputs.drop_dims(dims).assign(extra)
    with pytest.raises(ValueError, match=message):
        peer.to_pypsa(inputs)
