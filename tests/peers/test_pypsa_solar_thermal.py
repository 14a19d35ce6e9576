"""Cross-check the solar-thermal field against PyPSA (:mod:`restvarme_peers.pypsa_units` maps it
to a curtailable Generator on its network's heat bus, p_nom in m², p_max_pu the heat per m²).

Two days of a 75/40 network with a collector field, a gas boiler and an electric boiler, solved
by ``restvarme.run`` and, from the same inputs, by PyPSA. The dispatch case has no store, so the
optimum is unique (the field's heat costs its variable O&M only): its heat and the boilers' must
agree too. In the expansion case the field is extendable per m², at a capital cost that puts
the optimal new area between its bounds (about 36,000 m² of the 60,000 allowed), where both
tools must build the same.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from extras import require
from peer_cases import CASES, solved_cases
from restvarme_peers import pypsa_network as peer
from tiny_scenarios import make_scenario

require("pypsa")  # looked up, not imported: the tests import it (tests/extras.py)

REL_TOL = 1e-6
AREA_M2 = 30_000.0


def _scenario(tmp_path: Path, hours: int, expansion: bool = False):
    t = np.arange(hours)
    day = 2 * np.pi * t / 24
    columns = {
        "spot": 60 + 40 * np.sin(day) + 5 * np.cos(t),
        "outdoor_c": 2 + 6 * np.sin(2 * np.pi * (t - 9) / 24),
        "heat_mw": 12 + 4 * np.cos(day),
        # on the collector plane: 0 at night, up to 900 W/m², a cloudier second day
        "g_w_per_m2": np.clip(900 * np.sin(2 * np.pi * (t - 6) / 24), 0, None)
        * np.where(t < 24, 1.0, 0.6),
    }
    pd.DataFrame(columns).to_csv(tmp_path / "series.csv", index=False)
    s = {c: {"file": "series.csv", "column": c} for c in columns}
    field = {
        "name": "field",
        "type": "solar_thermal",
        "sink": "main",
        "area_m2": AREA_M2,
        "irradiance_w_per_m2": s["g_w_per_m2"],
        "irradiance_on_plane": True,
        "vom_eur_per_mwh": 0.5,
    }
    if expansion:
        field["expansion"] = {"capital_cost_eur_per_m2": 25.0, "max_m2": 60_000.0}
    return make_scenario(
        tmp_path,
        horizon={"hours": hours},
        location={"name": "Testby", "outdoor_temperature_c": s["outdoor_c"]},
        electricity={"price_eur_per_mwh": s["spot"], "export_allowed": False},
        fuels={"gas": {"price_eur_per_mwh": 35.0, "emission_t_per_mwh": 0.2}},
        networks={
            "main": {
                "supply_temperature_c": 75.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": s["heat_mw"]},
            }
        },
        units=[
            field,
            {"name": "gas", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 30},
            {"name": "eb", "type": "electric_boiler", "sink": "main", "capacity_mw": 5},
        ],
    )


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    return solved_cases(_scenario, tmp_path_factory)


@pytest.mark.parametrize("name", list(CASES))
def test_objective_matches_pypsa(solved, name):
    ours, n, _ = solved(name)
    assert float(n.objective) == pytest.approx(ours.attrs["objective_eur"], rel=REL_TOL)


def test_dispatch_case_exercises_what_it_claims(solved):
    """The field delivers heat, is curtailed at noon (more than the demand) and idle at night."""
    ours, _, inputs = solved("dispatch")
    available = inputs["solar_thermal_heat_mw_per_m2"].sel(solar_thermal="field") * AREA_M2
    used = ours["heat_mw"].sel(unit="field")
    assert float(used.sum()) > 50.0
    assert bool(((available - used) > 1.0).any())  # curtailed
    assert bool((available == 0).any())


def test_heat_matches_pypsa(solved):
    """Unique optimum (no store): each unit's heat over the two days agrees."""
    ours, n, _ = solved("dispatch")
    theirs = peer.unit_heat_mwh(n)
    for unit in ("field", "gas", "eb"):
        assert theirs[unit] == pytest.approx(float(ours["heat_mwh"].sel(unit=unit)), abs=1e-6)


def test_expansion_builds_collector_area_like_pypsa(solved):
    ours, n, _ = solved("expansion")
    built = float(ours["capacity_new"].sel(unit="field"))
    assert 0.0 < built < 60_000.0  # an interior optimum, not a bound
    assert peer.capacity_new(n)["field"] == pytest.approx(built, rel=REL_TOL)
