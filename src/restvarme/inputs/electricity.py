"""Inputs of the electricity side: local demand, batteries, PV and wind, fuel cells.

Called from :func:`restvarme.inputs.build.build_inputs`, with the same conventions: hourly arrays
on ``snapshot``; unit parameters on one dimension per unit type (``battery``, ``renewable`` for
PV and wind alike, ``fuel_cell``).

``electricity_demand_mw`` [MW] is always present (zero without ``electricity.demand``), so the
electricity balance always has the same right-hand side. An annual total is spread by its
relative profile p[t] normalised over the modelled hours::

    demand[t] = annual_gwh · 1000 / 8760 · p[t] / mean(p)

so a full year (8760 h) delivers exactly the annual total and a shorter horizon its share by
hours (the profile's shape inside the horizon is kept, its level is the annual mean).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from restvarme.inputs.build import _da, _label, _param, _Reader, store_params
from restvarme.scenario import schema as s
from restvarme.units.battery import Battery
from restvarme.units.fuel_cell import FuelCell
from restvarme.units.renewable import Renewable

HOURS_PER_YEAR = 8760.0


def electricity_inputs(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """Every electricity-side input of a scenario (empty unit dimensions where it has none)."""
    return {**_demand(sc, read), **_batteries(sc), **_renewables(sc, read), **_fuel_cells(sc)}


def _demand(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """Local electricity demand [MW] per snapshot (see the module docstring)."""
    d, n = sc.electricity.demand, len(read.index)
    where = ("electricity", "demand")
    if d is None:
        load = np.zeros(n)
    elif d.series_mw is not None:
        load = read(d.series_mw, *where, "series_mw", minimum=0.0)
    else:
        shape = read(d.profile, *where, "profile", minimum=0.0)
        if not shape.sum() > 0:
            raise read.problem(
                "the profile is zero in every modelled hour, so it cannot spread `annual_gwh`; "
                "expected a relative shape with some positive values",
                *where,
                "profile",
            )
        load = d.annual_gwh * 1000.0 / HOURS_PER_YEAR * shape / shape.mean()
    return {
        "electricity_demand_mw": xr.DataArray(
            np.asarray(load, dtype=float), {"snapshot": read.index}, attrs={"units": "MW"}
        )
    }


def _batteries(sc: s.Scenario) -> dict[str, xr.DataArray]:
    return store_params(sc.units_of(Battery), "battery")


def _renewables(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """PV and wind on one ``renewable`` dimension; ``renewable_kind`` says which is which.

    A capacity factor outside [0, 1] is a located error naming its key (and CSV line)."""
    units: list[Renewable] = sc.units_of(Renewable)
    dim, position = "renewable", {u.name: i for i, u in enumerate(sc.units)}
    factors = [
        read(
            u.capacity_factor,
            "units",
            position[u.name],
            "capacity_factor",
            minimum=0.0,
            maximum=1.0,
        )
        for u in units
    ]
    return {
        "renewable_capacity_factor": _da(factors, read.index, [u.name for u in units], dim, "-"),
        "renewable_capacity_mw": _param(units, dim, "capacity_mw", "MW"),
        "renewable_vom_eur_per_mwh": _param(units, dim, "vom_eur_per_mwh", "EUR/MWh"),
        "renewable_kind": _label(units, dim, "type"),
    }


def _fuel_cells(sc: s.Scenario) -> dict[str, xr.DataArray]:
    """Fuel-cell parameters; ``fuel_cell_sink`` is "" for a cell whose heat is not recovered."""
    units: list[FuelCell] = sc.units_of(FuelCell)
    dim = "fuel_cell"
    coords = {dim: [u.name for u in units]}
    return {
        "fuel_cell_capacity_mw": _param(units, dim, "capacity_mw", "MW"),
        "fuel_cell_efficiency_el": _param(units, dim, "efficiency_el", "-"),
        "fuel_cell_efficiency_heat": _param(units, dim, "efficiency_heat", "-"),
        "fuel_cell_vom_eur_per_mwh": _param(units, dim, "vom_eur_per_mwh", "EUR/MWh"),
        "fuel_cell_sink": xr.DataArray(
            [u.sink if u.sink is not None and u.efficiency_heat > 0 else "" for u in units],
            coords,
            dims=dim,
        ),
    }
