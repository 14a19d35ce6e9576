"""The heat-pump station cases shared by the capacity-group and connection tests
(tests/model/test_groups.py, tests/model/test_connections.py, tests/peers/test_pypsa_groups.py;
importable as ``station_cases``).

Two heat pumps with COPs fixed by their cap (``max_cop``; Carnot × 0.5 without approaches is far
above it: 0.5 · 343.15 / 10 = 17.2 for hp_a's 60 °C source, 8.6 for hp_b's 50 °C, against the
70 °C supply of tiny_scenarios.BASE):

* hp_a on source a (3 MW available), COP 4: at 40 EUR/MWh its heat costs 40 / 4 = 10 EUR/MWh; it
  draws 3/4 of its heat from a, so a's 3 MW limit it to 4 MW of heat;
* hp_b on source b (plenty), COP 2.5: heat at 40 / 2.5 = 16 EUR/MWh;

and tiny_scenarios.GAS_BOILER (25 EUR/MWh of heat at 20 EUR/MWh of gas).
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from tiny_scenarios import BASE, GAS_BOILER


def heat_pump(name: str, source: str, cop: float, capacity_mw: float = 10, **extra) -> dict:
    """A heat pump onto network "main" whose COP is its cap ``cop`` in every hour."""
    return {
        "name": name,
        "type": "heat_pump",
        "source": source,
        "sink": "main",
        "capacity_mw": capacity_mw,
        "cop_method": "carnot",
        "condenser_approach_k": 0,
        "evaporator_approach_k": 0,
        "max_cop": cop,
        **extra,
    }


WASTE = {
    "a": {"available_mw": 3, "temperature_c": 60},
    "b": {"available_mw": 100, "temperature_c": 50},
}
"""Source a limits hp_a to 4 MW of heat; source b is plenty."""

UNITS = [heat_pump("hp_a", "a", 4.0), heat_pump("hp_b", "b", 2.5), GAS_BOILER]
"""hp_a, hp_b and the gas boiler."""

CHP = {
    "name": "chp",
    "type": "chp",
    "fuel": "gas",
    "sink": "main",
    "heat_capacity_mw": 6,
    "efficiency_el": 0.3,
    "efficiency_heat": 0.5,
}
"""6 MW of heat from 12 MW of gas, with 3.6 MW of power."""


def scenario_file(tmp_path: Path, **sections) -> Path:
    """BASE with the station's sources and units and ``sections`` (top-level keys replaced),
    written to ``tmp_path / "scenario.yaml"`` in key order, for tests of messages by line."""
    data = {**copy.deepcopy(BASE), "waste_heat": WASTE, "units": UNITS, **sections}
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def line_after(path: Path, row: str, key: str) -> int:
    """The line number (from 1) of the first line reading ``key`` (stripped) below the line
    that reads exactly ``row``."""
    lines = path.read_text().splitlines()
    at = lines.index(row)
    return next(i for i, text in enumerate(lines, 1) if i > at and text.strip() == key)
