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
