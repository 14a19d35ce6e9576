"""Road-transport facts: energy use per km by vehicle and drive, tank-to-wheel emission factors,
and daily charging or fuelling profiles.

Energy use is counted where the fleet takes it from the city's energy system: electricity at
the charger, hydrogen (LHV) and vehicle gas (LHV of its methane) at the pump, diesel and petrol
(LHV) in the tank. Defaults are for 12 m city buses and average cars; trucks vary too much for
one default and need their own ``energy_kwh_per_km``.

References
----------
.. [1] ViriCiti (fleet telematics), "What is the energy consumption of electric vehicles?":
   a 12 m electric transit bus uses 1.31 kWh/km on average over more than 1000 vehicles.
.. [2] IPCC 2006 Guidelines for National Greenhouse Gas Inventories, Vol. 2 (Energy), Ch. 3
   (Mobile combustion), Table 3.2.1: default CO2 factors 74 100 kg/TJ for diesel (gas oil) and
   69 300 kg/TJ for motor gasoline (1 TJ = 277.78 MWh).
.. [3] Biogas Öst test of a Euro 6 gas bus, reported by Bussmagasinet (March 2018): Swedish gas
   buses use 5.78 kWh/km on average (regional service).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MWH_PER_TJ = 1e6 / 3600.0
"""Megawatt-hours in one terajoule [MWh/TJ]."""

TANK_TO_WHEEL_T_PER_MWH = {
    "diesel": 74.1 / MWH_PER_TJ,  # 0.2668 t CO2/MWh [2]
    "petrol": 69.3 / MWH_PER_TJ,  # 0.2495 t CO2/MWh [2]
}
"""Tank-to-wheel CO2 of fossil fuels per MWh (LHV) burnt [t CO2/MWh] [2]_."""

DIESEL_KWH_PER_LITRE = 9.96
"""Diesel, about 35.9 MJ/l (LHV) [kWh/l]."""

ENERGY_KWH_PER_KM: dict[tuple[str, str], float] = {
    ("bus", "electric"): 1.31,  # [1], at the vehicle (charging losses not included)
    ("bus", "diesel"): 3.9,  # assumption: about 0.39 l/km of diesel for a 12 m city bus
    ("bus", "biogas"): 5.0,  # assumption, below the 5.78 kWh/km Swedish average of [3]
    ("bus", "hydrogen"): 2.7,  # assumption: about 8 kg of H2 per 100 km (33.3 kWh/kg)
    ("car", "electric"): 0.18,  # assumption: 18 kWh/100 km at the charger
    ("car", "petrol"): 0.6,  # assumption: about 6.7 l/100 km at 8.9 kWh/l
    ("car", "diesel"): 0.5,  # assumption: about 5 l/100 km
    ("car", "biogas"): 0.65,  # assumption: about 0.65 Nm3 of methane per 10 km
    ("car", "hydrogen"): 0.33,  # assumption: about 1 kg of H2 per 100 km
}
"""Default energy use per km [kWh/km] by (vehicle, drive); see the module references. Values
marked as assumptions in the source are round figures, not taken from one primary source: give
your fleet's own ``energy_kwh_per_km`` where you know it."""

PROFILE_HOURS = {
    "flat": range(24),
    "overnight": (*range(22, 24), *range(6)),  # depot charging 22:00-06:00
    "daytime": range(6, 22),  # opportunity charging or fuelling in service hours 06:00-22:00
}
"""Hours of the day (start of the hour) in which each built-in profile charges or fuels."""


def energy_kwh_per_km(vehicle: str, drive: str) -> float | None:
    """Default energy use per km [kWh/km]; None where there is no default (trucks)."""
    return ENERGY_KWH_PER_KM.get((vehicle, drive))


def daily_profile_mw(annual_mwh: float, kind: str, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly power [MW] of a fleet using ``annual_mwh`` a year, the same every day, spread
    evenly over the hours of the day ``kind`` charges in (:data:`PROFILE_HOURS`).

    Each day takes annual_mwh / 365 [MWh], so a horizon of whole days gets its share of the year.
    """
    hours = list(PROFILE_HOURS[kind])
    on = np.isin(index.hour, hours)
    return np.where(on, annual_mwh / 365.0 / len(hours), 0.0)
