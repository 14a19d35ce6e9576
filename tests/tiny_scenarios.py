"""Tiny scenarios built from dictionaries, for tests (importable as `tiny_scenarios`)."""

from __future__ import annotations

import copy
from pathlib import Path

from restvarme.scenario.load import ScenarioFile
from restvarme.scenario.schema import Scenario

BASE = {
    "name": "tiny",
    "year": 2030,
    "horizon": {"hours": 4},
    "location": {"name": "Testby", "outdoor_temperature_c": 0.0},
    "electricity": {"price_eur_per_mwh": 40.0, "export_allowed": False},
    "fuels": {"gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.2}},
    "networks": {
        "main": {
            "supply_temperature_c": 70.0,
            "return_temperature_c": 40.0,
            "demand": {"series_mw": 10.0},
        }
    },
    "units": [],
}


SCENARIO_YAML = """\
name: test
horizon:
  hours: 48
location:
  name: Testville
  outdoor_temperature_c: 5.0
electricity:
  price_eur_per_mwh: 60.0
fuels:
  gas:
    price_eur_per_mwh: 40.0
networks:
  main:
    supply_temperature_c: 80.0
    return_temperature_c: 45.0
    demand:
      annual_gwh: 10.0
"""
"""The smallest valid scenario file as text (48 h, one network, gas, no units), for tests that
check messages by line: append sections to it, keep its lines where they are."""


GAS_BOILER = {
    "name": "gas_boiler",
    "type": "boiler",
    "fuel": "gas",
    "sink": "main",
    "capacity_mw": 20,
    "efficiency": 0.8,
}
"""A 20 MW gas boiler at 80 % on network "main": 12.5 MWh of gas per 10 MWh of heat."""

E_BOILER = {
    "name": "e_boiler",
    "type": "electric_boiler",
    "sink": "main",
    "capacity_mw": 20,
    "efficiency": 1.0,
}
"""A 20 MW electric boiler at 100 % on network "main": 1 MWh of electricity per MWh of heat."""

TINY_COOLING = {
    # tests/results/run_folders.py's COOLING: 6 hours of 10 MW of heat from a gas boiler and a
    # 2 MW waste-heat source through an exchanger, and 5 MW of cooling from a chiller
    "name": "Tiny cooling",
    "horizon": {"hours": 6},
    "waste_heat": {"w": {"available_mw": 2, "temperature_c": 90, "price_eur_per_mwh": 2}},
    "cooling_networks": {
        "dc": {"supply_temperature_c": 6, "return_temperature_c": 16, "demand": {"series_mw": 5}}
    },
    "units": [
        GAS_BOILER,
        {"name": "hx", "type": "heat_exchanger", "source": "w", "sink": "main", "capacity_mw": 2},
        {"name": "ch", "type": "chiller", "sink": "dc", "capacity_mw": 20},
    ],
}
"""BASE changed into a run with heat, cooling, a waste-heat source and every accounting table
(the report tests' ``tiny_run``, ``benchmarks/report_build.py``)."""

E_BUSES = {
    "vehicle": "bus",
    "drive": "electric",
    "vehicles": 10,
    "km_per_vehicle_year": 73_000,
    "energy_kwh_per_km": 1.2,
    "profile": "overnight",
}
"""Ten electric buses, 730,000 km a year at 1.2 kWh/km (876 MWh), charged overnight: 0.3 MW in
each night hour."""

D_BUSES = {"vehicle": "bus", "drive": "diesel", "annual_km": 438_000, "energy_kwh_per_km": 4.0}
"""Diesel buses, 438,000 km a year at 4 kWh/km (1,752 MWh): 0.2 MW flat."""


def make_scenario(tmp_path: Path | None = None, **changes) -> ScenarioFile:
    """A validated tiny scenario: BASE with top-level keys replaced by ``changes``."""
    data = copy.deepcopy(BASE)
    data.update(changes)
    base_dir = tmp_path or Path.cwd()
    return ScenarioFile(Scenario.model_validate(data), None, base_dir)
