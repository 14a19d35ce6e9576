"""A tiny base scenario on disk for sweep files to name (imported by the sweep tests)."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from tiny_scenarios import BASE, GAS_BOILER


def write_base(folder: Path, **changes: object) -> Path:
    """tiny_scenarios.BASE (4 h of 10 MW) with the 20 MW gas boiler at 80 %, as
    ``folder/scenario.yaml``: 40 MWh of heat from 50 MWh of gas at 20 EUR/MWh and 0.2 t/MWh."""
    data = copy.deepcopy(BASE)
    data["units"] = [GAS_BOILER]
    data.update(changes)
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def write_sweep(folder: Path, text: str) -> Path:
    path = folder / "sweep.yaml"
    path.write_text(text, encoding="utf-8")
    return path


WASTE_HEAT = {"dc": {"available_mw": 5.0, "temperature_c": 80.0, "price_eur_per_mwh": 5.0}}
"""A data centre's 5 MW at 80 °C, direct use on the 70/40 °C network, at 5 EUR/MWh."""
HEAT_EXCHANGER = {"name": "hx", "type": "heat_exchanger", "source": "dc", "sink": "main"}
ELECTRIC_BOILER = {
    "name": "eb",
    "type": "electric_boiler",
    "sink": "main",
    "capacity_mw": 0,
    "efficiency": 1.0,
    "expansion": {"capital_cost_eur_per_mw": 8760.0, "lifetime_years": 1, "discount_rate": 0.0},
}
"""An extendable electric boiler: 8,760 EUR/MW once, paid in one year at 0 % (1 EUR/MW an
hour), electricity at BASE's 40 EUR/MWh."""

FACTORIAL = """\
base: scenario.yaml
parameters:
  carbon_price_eur_per_t: {values: [0, 100]}
  fuels.gas.price_eur_per_mwh: {values: [20, 30]}
"""


def write_plan_base(folder: Path) -> Path:
    """BASE (4 h of 10 MW) with the gas boiler, the data centre's heat exchanger and the
    extendable electric boiler: the base of the 4-case factorial sweep."""
    return write_base(
        folder,
        waste_heat=WASTE_HEAT,
        units=[GAS_BOILER, {**HEAT_EXCHANGER, "capacity_mw": 10.0}, ELECTRIC_BOILER],
    )
