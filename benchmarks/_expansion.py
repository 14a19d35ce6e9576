"""A one-year capacity-expansion system of Lund's size, and re-running chosen capacities hourly.

``write_lund_expansion(folder, resolution_h)`` writes the Lund 2030 pathway example
(``examples/lund_2030``) as a one-year planning run of its 2030 period: the 2030 changes
(demand, ESS waste heat, carbon price) applied, no ``pathway`` section and no ``targets``
(the PyPSA peer does not map restvarme's soft targets; the carbon price still applies), the full
8760 hours at ``resolution_h``. The example's ESS outages are dated in 2026, so, as in the
pathway's 2030 period, none falls in this year. Its extendable options are the example's:
electric boilers on both networks, the second Örtofta CHP unit (back-pressure), the seasonal pit
store (charge power tied to its energy) and heat pumps on ESS 28 °C and MAX IV, next to 12 fixed
units.

``with_capacities(data, capacity_new)`` turns a planning scenario into the dispatch of a chosen
plan: every extendable unit gets its built capacity added to its existing one and loses its
``expansion`` block (a store's charge and discharge power grow with its energy, an extraction
CHP's fuel capacity with its heat capacity, as in the planning model).
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml

from restvarme.inputs.pathway import apply_changes

ROOT = Path(__file__).resolve().parents[1]
LUND_2030 = ROOT / "examples" / "lund_2030" / "scenario.yaml"
PLAN_YEAR = 2030
PRICE_FILE = ROOT / "examples" / "lund" / "series" / "spot_price_se4_synthetic.csv"
"""The pathway's electricity price series; copied beside each written scenario, since series
files are read only from the scenario's own folder (docs/security.md)."""


def lund_expansion_dict(resolution_h: int = 1) -> dict:
    """The 2030 period of the Lund pathway example as a one-year planning scenario."""
    data = yaml.safe_load(LUND_2030.read_text(encoding="utf-8"))
    pathway = data.pop("pathway")
    data.pop("targets", None)
    changes = next(p.get("changes", {}) for p in pathway["periods"] if p["year"] == PLAN_YEAR)
    changes = {k: v for k, v in changes.items() if not k.startswith("targets.")}
    data = apply_changes({**data, "year": PLAN_YEAR}, changes)
    data["name"] = f"Lund {PLAN_YEAR} expansion, {resolution_h} h resolution"
    data["horizon"] = {"hours": 8760, "resolution_h": resolution_h}
    price = data["electricity"]["price_eur_per_mwh"]
    if (LUND_2030.parent / price).resolve() != PRICE_FILE.resolve():
        raise ValueError(f"{LUND_2030}: electricity price {price!r} is not {PRICE_FILE}")
    data["electricity"]["price_eur_per_mwh"] = PRICE_FILE.name
    return data


def write_scenario(data: dict, folder: Path) -> Path:
    """Write ``data`` as ``folder/scenario.yaml`` with the price series beside it; returns its
    path."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PRICE_FILE, folder / PRICE_FILE.name)
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_lund_expansion(folder: Path, resolution_h: int = 1) -> Path:
    """Write the one-year Lund expansion scenario to ``folder``; returns its path."""
    return write_scenario(lund_expansion_dict(resolution_h), folder)


def with_capacities(data: dict, capacity_new: dict[str, float]) -> dict:
    """A copy of ``data`` with each extendable unit's new capacity made existing and its
    ``expansion`` removed (see the module docstring)."""
    out = copy.deepcopy(data)
    for unit in out["units"]:
        expansion = unit.pop("expansion", None)
        if expansion is None:
            continue
        new = float(capacity_new.get(unit["name"], 0.0))
        if unit["type"] == "storage":
            power = new * expansion["charge_mw_per_mwh"]
            unit["energy_mwh"] = unit["energy_mwh"] + new
            unit["charge_mw"] = unit["charge_mw"] + power
            if unit.get("discharge_mw") is not None:
                unit["discharge_mw"] = unit["discharge_mw"] + power
        elif unit["type"] == "chp":
            if unit.get("mode") == "extraction":  # heat_capacity_mw > 0 (the schema requires it)
                scale = (unit["heat_capacity_mw"] + new) / unit["heat_capacity_mw"]
                unit["fuel_capacity_mw"] *= scale
            unit["heat_capacity_mw"] = unit["heat_capacity_mw"] + new
        else:
            unit["capacity_mw"] = unit["capacity_mw"] + new
    return out
