"""Capacity groups and electricity connections cross-checked against PyPSA
(restvarme_peers.pypsa_groups): the same inputs solved by restvarme and by PyPSA with the groups
and meters added through ``extra_functionality``; optima agree to 1e-6 relative.

The cases are tests/model/test_groups.py's and test_connections.py's stations over 24 hours with
an hourly spot price, so that the hand-solved figures there and the peer here check the same
formulation from two sides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from extras import require
from restvarme.inputs.build import build_inputs
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from restvarme_peers import pypsa_groups
from restvarme_peers import pypsa_network as peer
from station_cases import CHP, WASTE, heat_pump
from tiny_scenarios import GAS_BOILER, make_scenario

require("pypsa")  # looked up, not imported: the tests import it (tests/extras.py)

REL_TOL = 1e-6
HOURS = 24


UNITS = [
    heat_pump("hp_a", "a", 4.0, vom_eur_per_mwh=0.5),
    heat_pump("hp_b", "b", 2.5, vom_eur_per_mwh=0.5),
    GAS_BOILER,
    CHP,
]
"""The station of tests/station_cases.py with a small variable cost on the heat pumps, and the
CHP."""


def _scenario(tmp_path, **changes):
    t = np.arange(HOURS)
    spot = 40 + 30 * np.sin(2 * np.pi * t / 24)
    pd.DataFrame({"spot": spot, "demand": 10 + 3 * np.cos(2 * np.pi * t / 24)}).to_csv(
        tmp_path / "s.csv", index=False
    )
    base = {
        "horizon": {"hours": HOURS},
        "carbon_price_eur_per_t": 60.0,
        "waste_heat": WASTE,
        "networks": {
            "main": {
                "supply_temperature_c": 70.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": {"file": "s.csv", "column": "demand"}},
            }
        },
        "units": UNITS,
    }
    electricity = {
        "price_eur_per_mwh": {"file": "s.csv", "column": "spot"},
        "emission_t_per_mwh": 0.3,
        "grid_fee_eur_per_mwh": 2.0,
        **changes.pop("electricity", {}),
    }
    return make_scenario(tmp_path, **base, electricity=electricity, **changes)


def _both(sf) -> tuple[float, float, object]:
    inputs = build_inputs(sf)
    ours = solve(build_model(inputs)).objective_eur
    n = peer.to_pypsa(inputs)
    status, _ = peer.optimize(n)
    assert status == "ok"
    return ours, float(n.objective), n


def test_station_and_supply_groups_agree_with_pypsa(tmp_path):
    groups = {
        "station": {"units": ["hp_a", "hp_b"], "capacity_mw": 6},
        "supply": {
            "units": ["hp_a", "hp_b"],
            "direction": "input",
            "carrier": "electricity",
            "capacity_mw": 1.2,
        },
    }
    ours, theirs, _ = _both(_scenario(tmp_path, capacity_groups=groups))
    assert theirs == pytest.approx(ours, rel=REL_TOL)
    # both limits bind: without the supply group the optimum is lower
    del groups["supply"]
    station_only = solve(build_model(build_inputs(_scenario(tmp_path, capacity_groups=groups))))
    assert station_only.objective_eur < ours * (1 - 1e-3)


def test_expandable_station_agrees_with_pypsa(tmp_path):
    expansion = {"capital_cost_eur_per_mw": 400_000.0, "fixed_om_eur_per_mw_year": 5000.0}
    groups = {"station": {"units": ["hp_a", "hp_b"], "capacity_mw": 2, "expansion": expansion}}
    sf = _scenario(tmp_path, capacity_groups=groups)
    ours, theirs, n = _both(sf)
    assert theirs == pytest.approx(ours, rel=REL_TOL)
    assert pypsa_groups.group_new_capacity(n)["station"] > 0


# the gross rule is a further PyPSA solve: slow (tests/conftest.py)
@pytest.mark.parametrize("rule", ["net", pytest.param("gross", marks=pytest.mark.slow)])
def test_connections_agree_with_pypsa(tmp_path, rule):
    connections = {
        "site": {
            "units": ["hp_a", "chp"],
            "fee_eur_per_mwh": 7.0,
            "peak_fee_eur_per_mw": 20_000.0,
            "import_capacity_mw": 1.5,
            "emission_rule": rule,
        },
        "hp_meter": {"units": ["hp_b"], "fee_eur_per_mwh": 3.0},
    }
    sf = _scenario(tmp_path, electricity={"connections": connections})
    ours, theirs, _ = _both(sf)
    assert theirs == pytest.approx(ours, rel=REL_TOL)


def test_input_groups_of_fuel_are_refused_by_name(tmp_path):
    groups = {"burners": {"units": ["gas_boiler", "chp"], "direction": "input"}}
    inputs = build_inputs(_scenario(tmp_path, capacity_groups=groups))
    with pytest.raises(ValueError, match="capacity group\\(s\\) burners"):
        peer.to_pypsa(inputs)
