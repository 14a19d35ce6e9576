"""Cross-check restvarme against an independent implementation of the same system in PyPSA.

Each case builds a small scenario (24-72 h) with :func:`make_scenario`, solves it with
``restvarme.run`` and, from the same inputs Dataset, with PyPSA through
:func:`restvarme.peers.pypsa_network.to_pypsa`. The optima must agree to 1e-6 relative; where
the optimum is unique (distinct marginal costs, no store to shift energy between tied hours) the
heat each unit delivers and the unserved heat per network must agree as well.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import restvarme
from tiny_scenarios import make_scenario
from restvarme.errors import MissingExtraError
from restvarme.inputs.build import build_inputs
from restvarme.peers import pypsa_network as peer

pytest.importorskip("pypsa")

REL_TOL = 1e-6


@pytest.fixture(autouse=True)
def _quiet_pypsa():
    """PyPSA and linopy log every solve at INFO; keep test output readable."""
    loggers = [logging.getLogger(name) for name in ("pypsa", "linopy")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


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
    return {c: {"file": "series.csv", "column": c}
            for c in ("spot", "waste_c", "outdoor_c", "demand_main", "dc_mw")}


def _common(s: dict, hours: int, *, export: bool, import_mw: float | None = None) -> dict:
    return dict(
        horizon={"hours": hours},
        location={"name": "Testby", "outdoor_temperature_c": s["outdoor_c"]},
        carbon_price_eur_per_t=80.0,
        electricity={
            "price_eur_per_mwh": s["spot"], "grid_fee_eur_per_mwh": 12.0,
            "emission_t_per_mwh": 0.05, "export_allowed": export, "import_capacity_mw": import_mw,
        },
        fuels={"gas": {"price_eur_per_mwh": 30.0, "emission_t_per_mwh": 0.2},
               "wood": {"price_eur_per_mwh": 18.0}},
        networks={
            "main": {"supply_temperature_c": 75.0, "return_temperature_c": 40.0,
                     "demand": {"series_mw": s["demand_main"]}},
            "north": {"supply_temperature_c": {"curve": [[-10, 80], [10, 65]]},
                      "return_temperature_c": 38.0, "demand": {"series_mw": 9.0},
                      "heat_loss_share": 0.1},
        },
        waste_heat={
            "dc": {"available_mw": s["dc_mw"], "temperature_c": s["waste_c"],
                   "price_eur_per_mwh": 4.0},
            "sewage": {"available_mw": 3.0, "temperature_c": 12.0},
        },
        ambient={"sea": {"temperature_c": 4.0}},
    )


HP_DC = {"name": "hp_dc", "type": "heat_pump", "source": "dc", "sink": "main", "capacity_mw": 8,
         "vom_eur_per_mwh": 1.5}
HP_SEWAGE = {"name": "hp_sew", "type": "heat_pump", "source": "sewage", "sink": "north",
             "capacity_mw": 3}
HP_AIR = {"name": "hp_air", "type": "heat_pump", "source": "air", "sink": "north",
          "capacity_mw": 2, "vom_eur_per_mwh": 0.5}
HP_SEA = {"name": "hp_sea", "type": "heat_pump", "source": "sea", "sink": "main",
          "capacity_mw": 2, "quality_grade": 0.45}
HX_DC = {"name": "hx_dc", "type": "heat_exchanger", "source": "dc", "sink": "main",
         "capacity_mw": 6, "vom_eur_per_mwh": 0.3}
BOILER = {"name": "boiler", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 10,
          "efficiency": 0.95, "vom_eur_per_mwh": 1.0}
E_BOILER = {"name": "eb", "type": "electric_boiler", "sink": "north", "capacity_mw": 2,
            "efficiency": 0.98, "vom_eur_per_mwh": 0.2}
CHP_BP = {"name": "chp", "type": "chp", "fuel": "wood", "sink": "main", "heat_capacity_mw": 10,
          "efficiency_el": 0.3, "efficiency_heat": 0.6, "vom_eur_per_mwh": 2.0}
CHP_EXTRACTION = {"name": "chp_x", "type": "chp", "mode": "extraction", "fuel": "gas",
                  "sink": "north", "heat_capacity_mw": 4, "fuel_capacity_mw": 8,
                  "efficiency_el": 0.45, "cv": 0.15, "cb": 0.8, "vom_eur_per_mwh": 1.0}
TANK = {"name": "tank", "type": "storage", "network": "main", "energy_mwh": 40, "charge_mw": 8,
        "discharge_mw": 6, "efficiency_charge": 0.95, "efficiency_discharge": 0.9,
        "standing_loss_per_hour": 0.01, "vom_eur_per_mwh": 0.1}

CASES = {
    # Merit order without a store: hourly COP and price, direct and preheat hours, a boiler, an
    # electric boiler, too little capacity on `north` (unserved heat). Unique optimum.
    "waste_heat_merit_order": dict(
        hours=24, export=False, units=[HP_DC, HP_SEWAGE, HP_AIR, HX_DC, BOILER, E_BOILER],
        unique=True,
    ),
    # Everything at once over three days: a back-pressure CHP selling at spot, an extraction CHP
    # (PQ limits through extra_functionality), a lossy store, ambient and air heat pumps and a
    # binding import limit.
    "everything_with_export": dict(
        hours=72, export=True, import_mw=0.3,
        units=[HP_DC, HP_SEWAGE, HP_AIR, HP_SEA, HX_DC, CHP_BP, CHP_EXTRACTION, BOILER, E_BOILER,
               TANK], unique=False,
    ),
}


def _scenario(tmp_path: Path, case: dict):
    s = _series(tmp_path, case["hours"])
    return make_scenario(tmp_path, units=case["units"],
                         **_common(s, case["hours"], export=case["export"],
                                   import_mw=case.get("import_mw")))


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """Each case solved once by both tools (about 3 s each), shared by the tests below."""
    cache: dict[str, tuple] = {}

    def get(name: str):
        if name not in cache:
            sf = _scenario(tmp_path_factory.mktemp(name), CASES[name])
            ours = restvarme.run(sf)
            n = peer.to_pypsa(build_inputs(sf))
            assert peer.optimize(n, log_to_console=False) == ("ok", "optimal")
            cache[name] = ours, n
        return cache[name]

    return get


@pytest.mark.parametrize("name", list(CASES))
def test_objective_matches_pypsa(solved, name):
    ours, n = solved(name)
    obj_ours, obj_pypsa = ours.attrs["objective_eur"], float(n.objective)
    assert abs(obj_ours - obj_pypsa) <= REL_TOL * abs(obj_pypsa), (obj_ours, obj_pypsa)


@pytest.mark.parametrize("name", [k for k, case in CASES.items() if case["unique"]])
def test_heat_matches_pypsa_where_unique(solved, name):
    ours, n = solved(name)
    heat_pypsa = peer.unit_heat_mwh(n)
    heat_ours = ours["heat_mwh"].to_series().reindex(heat_pypsa.index)
    np.testing.assert_allclose(heat_ours, heat_pypsa, rtol=1e-6, atol=1e-6)
    sinks = ours["unit_sink"].to_series()
    np.testing.assert_allclose(heat_ours.groupby(sinks).sum(), heat_pypsa.groupby(sinks).sum(),
                               rtol=1e-6, atol=1e-6)
    unserved_pypsa = (n.c.generators.dynamic["p"].filter(like="unserved").sum()
                      .rename(lambda g: g.removeprefix("unserved ")))
    unserved_ours = ours["unserved_heat_mwh"].to_series()
    np.testing.assert_allclose(unserved_ours, unserved_pypsa.reindex(unserved_ours.index),
                               rtol=1e-6, atol=1e-6)


def test_merit_order_case_exercises_what_it_claims(solved):
    """Preheat and direct hours, an hourly COP and unserved heat are really in the unique case."""
    ours, _ = solved("waste_heat_merit_order")
    dc = ours["waste_heat_used_mw"].sel(waste_source="dc")
    assert float(dc.sel(route="direct").sum()) > 0
    assert float(dc.sel(route="preheat").sum()) > 0
    assert float(ours["heat_pump_cop"].sel(heat_pump="hp_dc").std()) > 0.5
    assert float(ours["unserved_heat_mwh"].sel(network="north")) > 0


def test_everything_case_exercises_what_it_claims(solved):
    """Export, the import limit, the store and both extraction-CHP limits are all in play."""
    ours, n = solved("everything_with_export")
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


def test_extendable_units_are_refused_not_mapped_silently():
    boiler = {**BOILER, "expansion": {"capital_cost_eur_per_mw": 1e5}}
    sf = make_scenario(units=[boiler], fuels={"gas": {"price_eur_per_mwh": 30.0}},
                       networks={"main": {"supply_temperature_c": 75.0,
                                          "return_temperature_c": 40.0,
                                          "demand": {"series_mw": 5.0}}})
    with pytest.raises(ValueError, match=r"extendable unit.*boiler"):
        peer.to_pypsa(build_inputs(sf))
