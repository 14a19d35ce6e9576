"""Inputs of transport fleets: hourly energy each fleet takes, and its fossil baseline.

A fleet drives ``km`` a year at ``e`` kWh/km, so it takes ``E = km · e / 1000`` MWh a year of its
energy carrier, spread over the hours by its charging or fuelling profile
(:func:`restvarme.physics.transport.daily_profile_mw`, or a CSV shape scaled so the horizon gets
its share of the year). Per fleet (dimension ``fleet``):

* ``fleet_energy_mw`` [MW] (snapshot, fleet): electricity at the charger, hydrogen or vehicle gas
  at the pump, diesel or petrol in the tank;
* ``fleet_energy_kwh_per_km``, ``fleet_baseline_kwh_per_km`` [kWh/km] and
  ``fleet_baseline_emission_t_per_mwh`` [t CO2/MWh]: the baseline emits, for the same distance,
  ``E / e · e_base · f_base``;
* ``fleet_drive``, ``fleet_vehicle`` and ``fleet_fuel`` (the ``fuels`` key of diesel and petrol
  fleets, "" for the others).

Summed per carrier (snapshot): ``fleet_electricity_mw`` (taken from the electricity bus),
``fleet_hydrogen_mw`` (added to the hydrogen demand) and ``fleet_vehicle_gas_mw`` (added to the
vehicle-gas demand of the biogas bus); each only when a fleet uses that carrier.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from restvarme.inputs.build import _Reader
from restvarme.inputs.tables import columns as _da
from restvarme.physics.transport import (
    PROFILE_HOURS,
    TANK_TO_WHEEL_T_PER_MWH,
    daily_profile_mw,
    energy_kwh_per_km,
)
from restvarme.scenario import schema as s

CARRIERS = {
    "electric": "fleet_electricity_mw",
    "hydrogen": "fleet_hydrogen_mw",
    "biogas": "fleet_vehicle_gas_mw",
}
"""Drive -> the summed input it adds to (diesel and petrol buy a fuel instead)."""


def fleet_inputs(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """Every fleet input of a scenario (nothing without fleets)."""
    if not sc.fleets:
        return {}
    names = list(sc.fleets)
    coords = {"fleet": names}
    energy, per_km, base_km, base_ef = [], [], [], []
    for name, f in sc.fleets.items():
        e = _kwh_per_km(read, name, f.vehicle, f.drive, f.energy_kwh_per_km, ("energy_kwh_per_km",))
        base = f.baseline
        be = _kwh_per_km(
            read,
            name,
            f.vehicle,
            base.drive,
            base.energy_kwh_per_km,
            ("baseline", "energy_kwh_per_km"),
        )
        energy.append(_hourly_mw(f, f.km_per_year * e / 1000.0, read, name))
        per_km.append(e)
        base_km.append(be)
        base_ef.append(
            TANK_TO_WHEEL_T_PER_MWH[base.drive]
            if base.emission_t_per_mwh is None
            else base.emission_t_per_mwh
        )
    drives = [f.drive for f in sc.fleets.values()]
    out = {
        "fleet_energy_mw": _da(energy, read.index, names, "fleet", "MW"),
        "fleet_energy_kwh_per_km": xr.DataArray(per_km, coords, attrs={"units": "kWh/km"}),
        "fleet_baseline_kwh_per_km": xr.DataArray(base_km, coords, attrs={"units": "kWh/km"}),
        "fleet_baseline_emission_t_per_mwh": xr.DataArray(
            base_ef, coords, attrs={"units": "t/MWh"}
        ),
        "fleet_drive": xr.DataArray(drives, coords),
        "fleet_vehicle": xr.DataArray([f.vehicle for f in sc.fleets.values()], coords),
        "fleet_fuel": xr.DataArray([f.fuel_name or "" for f in sc.fleets.values()], coords),
    }
    for drive, key in CARRIERS.items():
        if drive in drives:
            mine = xr.DataArray(np.asarray(drives) == drive, coords)
            out[key] = out["fleet_energy_mw"].where(mine, 0.0).sum("fleet").assign_attrs(units="MW")
    return out


def _kwh_per_km(
    read: _Reader, name: str, vehicle: str, drive: str, given: float | None, key: tuple[str, ...]
) -> float:
    if given is not None:
        return given
    default = energy_kwh_per_km(vehicle, drive)
    if default is None:
        raise read.problem(
            f"no default energy use for a {drive} {vehicle}; give `{key[-1]}` in kWh/km",
            "fleets",
            name,
            *key,
        )
    return default


def _hourly_mw(f: s.Fleet, annual_mwh: float, read: _Reader, name: str) -> np.ndarray:
    """Hourly power [MW] of one fleet from its yearly energy and profile."""
    if isinstance(f.profile, str) and f.profile in PROFILE_HOURS:
        return daily_profile_mw(annual_mwh, f.profile, read.index)
    shape = read(f.profile, "fleets", name, "profile", minimum=0.0)
    if shape.sum() <= 0:
        raise read.problem(
            "the profile is zero in every hour; expected some positive values",
            "fleets",
            name,
            "profile",
        )
    return annual_mwh / 8760.0 * shape / shape.mean()
