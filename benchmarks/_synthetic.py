"""Synthetic scenarios of any size for the benchmarks: a scenario.yaml plus one series CSV.

Two heat networks, three waste-heat sources (a warm one that feeds heat exchangers directly in
some hours, two cold ones for heat pumps) and ``units`` units cycled through every component type
(heat pumps on waste heat and air, heat exchangers, boilers, electric boilers, a back-pressure
CHP and thermal stores), so that growing ``units`` grows every constraint family. Prices, source
temperatures and availability vary hourly; everything is deterministic (seed 0).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

_CYCLE = (
    "hp_waste",
    "hx",
    "boiler",
    "storage",
    "e_boiler",
    "hp_air",
    "chp",
    "hp_waste2",
    "hx2",
    "boiler2",
    "storage2",
    "e_boiler2",
)
"""One round of 12 unit kinds; scenarios with more units repeat it."""


def _series(hours: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    t = np.arange(hours)
    day = 2 * np.pi * t / 24
    season = np.cos(2 * np.pi * t / 8760)
    return pd.DataFrame(
        {
            "time": pd.date_range("2030-01-01", periods=hours, freq="h"),
            "spot": np.round(55 + 15 * season + 12 * np.sin(day - 2) + rng.normal(0, 6, hours), 2),
            "warm_c": np.round(72 + 8 * np.sin(2 * np.pi * t / 170), 2),
            "warm_mw": np.round(6 + 2 * np.sin(2 * np.pi * t / 300), 3),
            "sewage_c": np.round(14 + 4 * -season, 2),
        }
    )


def _unit(kind: str, i: int, network: str) -> dict:
    name = f"{kind}_{i}"
    base = kind.rstrip("2")
    if base == "hp_waste":
        source = "cold" if kind.endswith("2") else "sewage"
        return {
            "name": name,
            "type": "heat_pump",
            "source": source,
            "sink": network,
            "capacity_mw": 6,
            "cop_method": "carnot",
            "quality_grade": 0.5,
            "vom_eur_per_mwh": 2,
        }
    if base == "hp_air":
        return {
            "name": name,
            "type": "heat_pump",
            "source": "air",
            "sink": network,
            "capacity_mw": 5,
            "cop_method": "carnot",
            "quality_grade": 0.45,
            "vom_eur_per_mwh": 2,
        }
    if base == "hx":
        return {
            "name": name,
            "type": "heat_exchanger",
            "source": "warm",
            "sink": network,
            "capacity_mw": 3,
        }
    if base == "boiler":
        fuel = "gas" if kind.endswith("2") else "wood"
        return {
            "name": name,
            "type": "boiler",
            "fuel": fuel,
            "sink": network,
            "capacity_mw": 30,
            "efficiency": 0.92,
            "vom_eur_per_mwh": 1,
        }
    if base == "e_boiler":
        return {"name": name, "type": "electric_boiler", "sink": network, "capacity_mw": 10}
    if base == "chp":
        return {
            "name": name,
            "type": "chp",
            "fuel": "wood",
            "sink": network,
            "heat_capacity_mw": 20,
            "efficiency_heat": 0.6,
            "efficiency_el": 0.28,
            "vom_eur_per_mwh": 3,
        }
    return {
        "name": name,
        "type": "storage",
        "network": network,
        "energy_mwh": 200,
        "charge_mw": 20,
        "efficiency_charge": 0.98,
        "efficiency_discharge": 0.98,
        "standing_loss_per_hour": 0.001,
    }


def network_names(networks: int) -> list[str]:
    """The heat networks of a scenario with ``networks`` of them: "main" and "low" for two (the
    layout of every earlier benchmark), else ``net_00``, ``net_01``, ..."""
    if networks < 1:
        raise ValueError(f"networks must be at least 1, got {networks}")
    return ["main", "low"] if networks == 2 else [f"net_{k:02d}" for k in range(networks)]


def _network_of(i: int, names: list[str]) -> str:
    """The network unit ``i`` feeds: with two networks every third unit on "low" (as before),
    else the networks in turn."""
    if names == ["main", "low"]:
        return "low" if i % 3 == 2 else "main"
    return names[i % len(names)]


def _network(name: str, units_on: int, k: int) -> dict:
    """A network of the many-network layout: supply and demand vary a little from one network
    to the next, the demand in proportion to the units that serve it."""
    return {
        "supply_temperature_c": {"curve": [[-14, 100 - k % 5], [10, 70 - k % 5]]},
        "return_temperature_c": 45 - k % 3,
        "demand": {"annual_gwh": 14.0 * max(units_on, 1), "profile": "degree_hours"},
    }


def scenario_dict(hours: int, units: int, networks: int = 2) -> dict:
    """A scenario of ``hours`` snapshots and ``units`` units over ``networks`` heat networks
    (two by default: "main" and "low", as every earlier benchmark)."""
    names = network_names(networks)
    unit_list = [_unit(_CYCLE[i % len(_CYCLE)], i, _network_of(i, names)) for i in range(units)]
    used = {u.get("source") for u in unit_list}
    waste_heat = {
        "warm": {
            "available_mw": {"file": "series.csv", "column": "warm_mw"},
            "temperature_c": {"file": "series.csv", "column": "warm_c"},
            "price_eur_per_mwh": 3,
        },
        "sewage": {
            "available_mw": 4.0 * units,
            "temperature_c": {"file": "series.csv", "column": "sewage_c"},
        },
        "cold": {"available_mw": 5, "temperature_c": 25},
    }
    if names == ["main", "low"]:
        network_specs = {
            "main": {
                "supply_temperature_c": {"curve": [[-14, 100], [10, 70]]},
                "return_temperature_c": 45,
                "demand": {"annual_gwh": 18.0 * units, "profile": "degree_hours"},
            },
            "low": {
                "supply_temperature_c": 65,
                "return_temperature_c": 35,
                "demand": {"annual_gwh": 8.0 * units, "profile": "degree_hours"},
            },
        }
    else:
        on = [_network_of(i, names) for i in range(units)]
        network_specs = {n: _network(n, on.count(n), k) for k, n in enumerate(names)}
    return {
        "name": f"synthetic {hours} h x {units} units"
        + ("" if networks == 2 else f" x {networks} networks"),
        "year": 2030,
        "horizon": {"hours": hours},
        "location": {"name": "Synthby", "climate": "lund"},
        "carbon_price_eur_per_t": 90,
        "electricity": {
            "price_eur_per_mwh": {"file": "series.csv", "column": "spot"},
            "grid_fee_eur_per_mwh": 15,
            "export_allowed": True,
            "emission_t_per_mwh": 0.05,
        },
        "fuels": {
            "wood": {"price_eur_per_mwh": 22, "emission_t_per_mwh": 0.008},
            "gas": {"price_eur_per_mwh": 40, "emission_t_per_mwh": 0.2},
        },
        "networks": network_specs,
        "waste_heat": {k: v for k, v in waste_heat.items() if k in used},
        "units": unit_list,
    }


def write_scenario(folder: Path, hours: int = 8760, units: int = 12, networks: int = 2) -> Path:
    """Write ``scenario.yaml`` and ``series.csv`` to ``folder``; returns the scenario path."""
    folder.mkdir(parents=True, exist_ok=True)
    _series(hours).to_csv(folder / "series.csv", index=False)
    path = folder / "scenario.yaml"
    path.write_text(
        yaml.safe_dump(scenario_dict(hours, units, networks), sort_keys=False), encoding="utf-8"
    )
    return path
