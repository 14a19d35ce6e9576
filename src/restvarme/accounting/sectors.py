"""Emissions by sector (heat, cooling, electricity, hydrogen, biogas, transport) and transport
fleets against their fossil baseline.

Every tonne of the run's ``emissions_t`` is counted once, where it is emitted, and passed on to
the sector that uses the energy carrier it went into. The rule, step by step:

1. **Fuel burnt in a unit** (fuel × emission factor) goes to the sectors of the unit's useful
   outputs by :mod:`restvarme.accounting.outputs` (heat for units on heat networks; a CHP's
   fuel counts fully to heat: its power is a by-product that reduces grid imports; cooling for
   cooling units). Biogas from the bus is biogenic: 0.
2. **Waste heat bought with an emission factor** goes to heat, or to cooling for the share
   that drives absorption chillers.
3. **Imported electricity** (import × hourly factor) is shared, hour by hour, among everything
   that consumes electricity in that hour in proportion to its consumption: units (to the
   sectors of their outputs in that hour, as fuel in step 1: a heat pump's to heat, a chiller's
   to cooling, a heat-recovery heat pump's to heat and cooling in proportion to its heat
   delivered and cooling made, an electrolyser's to hydrogen, biogas upgrading's to vehicle gas;
   a battery's charging to electricity), electric fleets (transport), local electricity demand
   (``electricity_demand_mw`` when the run has one) and export (both: electricity). Imported
   electricity is what these consumers take, so each pays the hour's grid factor. This is the
   location-based (average-factor) method of GHG Protocol Scope 2 [1]_, applied per hour.
4. **Hydrogen** made with imported electricity passes its emissions to its users in proportion
   to their use over the horizon: the hydrogen demand (hydrogen sector) and hydrogen fleets
   (transport).
5. **Vehicle gas** carries the emissions of gas bought from the gas grid and of the upgrading
   electricity; they go to its users in proportion to their use over the horizon: biogas fleets
   (transport) and the other vehicle-gas demand and gas sold (biogas sector).
6. **Diesel and petrol fleets** emit their fuel × its factor (tank to wheel): transport.

A fleet's **baseline** is the fossil fleet it replaces, driving the same distance:
km × baseline kWh/km / 1000 × baseline factor (tank to wheel). Avoided = baseline - actual.
Upstream (well-to-tank) emissions and vehicle manufacture are outside this rule, as they are
outside the run's ``emissions_t``.

References
----------
.. [1] Greenhouse Gas Protocol, "Scope 2 Guidance", WRI 2015: location-based method.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.accounting.emissions import require_one_period
from restvarme.accounting.outputs import (
    OUTPUTS,
    is_store,
    output_shares,
    unit_fuel_values,
    xarray_nansum,
)

__all__ = ["SECTORS", "emissions_by_sector", "fleet_emissions"]

SECTORS = ("heat", "cooling", "electricity", "hydrogen", "biogas", "transport")
"""Sectors of :func:`emissions_by_sector`, in table order."""


def _unit_sector_t(ds: xr.Dataset, own_t: xr.DataArray) -> dict[str, float]:
    """Units' own emissions [t per snapshot, dims (snapshot, unit)] by the sector of the output
    they went into (restvarme.accounting.outputs): heat, cooling, hydrogen, vehicle gas; a
    store's (a battery's charging) to the electricity sector."""
    store = is_store(ds)
    shares = output_shares(ds)
    by_output = (own_t.where(~store, 0.0) * shares).sum(["snapshot", "unit"])
    out = {str(k): float(v) for k, v in by_output.to_series().items()}
    out["electricity"] = float(own_t.where(store, 0.0).sum())
    return out


def _fleet_energy(ds: xr.Dataset, drive: str) -> xr.DataArray:
    """Energy of the fleets with one drive [MW], dims (snapshot, fleet) (0 for the others)."""
    return ds["fleet_energy_mw"].where(ds["fleet_drive"] == drive, 0.0)


def _grid_shares(ds: xr.Dataset) -> tuple[xr.DataArray, xr.DataArray | None, xr.DataArray]:
    """Step 3: imported-electricity emissions of each unit [t per snapshot, dims (snapshot,
    unit)], of each fleet and of the electricity sector (local demand and export) [t]."""
    w = ds["snapshot_weight_h"]
    # by connections' rules (``in``, not ``ds.get``: a missing key's KeyError costs ~5 ms)
    bought = ds["grid_emission_basis_mw" if "grid_emission_basis_mw" in ds else "grid_import_mw"]
    emitted = bought * ds["electricity_emission_t_per_mwh"] * w
    units = (-ds["electricity_mw"]).clip(min=0)
    fleets = _fleet_energy(ds, "electric") if "fleet_energy_mw" in ds else None
    local = ds["grid_export_mw"].copy()
    if "electricity_demand_mw" in ds:  # a local electricity demand, where the run has one
        local = local + ds["electricity_demand_mw"]
    total = units.sum("unit") + local + (fleets.sum("fleet") if fleets is not None else 0.0)
    known = total > 1e-12
    per_mw = (emitted / total.where(known, 1.0)).where(known, 0.0)
    stranded = emitted.where(~known, 0.0)  # imports with no consumer: electricity sector
    fleet_t = None if fleets is None else (fleets * per_mw).sum("snapshot")
    return units * per_mw, fleet_t, (local * per_mw + stranded).sum("snapshot")


def _pass_on(pool_t: float, users_mwh: list[tuple]) -> list[tuple]:
    """Split ``pool_t`` among (user, MWh) pairs in proportion to their use; all to the first
    user (the carrier's own sector) if none uses any."""
    total = sum(v for _, v in users_mwh)
    if total <= 0:
        return [(users_mwh[0][0], pool_t)]
    return [(user, pool_t * v / total) for user, v in users_mwh]


_LAID_OUT = {
    "fuel_mw": ("snapshot", "unit"),
    "electricity_mw": ("snapshot", "unit"),
    "heat_mw": ("snapshot", "unit"),
    "snapshot_weight_h": ("snapshot",),
    "grid_import_mw": ("snapshot",),
    "grid_export_mw": ("snapshot",),
}


def _units_and_grid_in_numpy(
    ds: xr.Dataset,
) -> tuple[dict[str, float], np.ndarray | None, float] | None:
    """Steps 1 and 3 for the units, the electric fleets and the electricity sector, as
    :func:`_unit_sector_t` of the units' fuel and :func:`_grid_shares`'s imports give them: the
    same numpy operations on arrays laid out as xarray lays them out (so the same bits: sums
    over several axes depend on the layout), without xarray's cost per operation. None where
    the results are not laid out as a one-year run's (then xarray's operations run)."""
    if "grid_emission_basis_mw" in ds or "period" in ds.dims:
        return None
    if any(ds[k].dims != dims for k, dims in _LAID_OUT.items()):
        return None
    flows = [f"{o}_mw" for o in OUTPUTS if f"{o}_mw" in ds]
    if any(ds[k].dims != ("snapshot", "unit") for k in flows):
        return None
    if ds["electricity_emission_t_per_mwh"].dims not in ((), ("snapshot",)):
        return None
    optional = {"electricity_demand_mw": ("snapshot",), "fleet_energy_mw": ("snapshot", "fleet")}
    if any(k in ds and ds[k].dims != dims for k, dims in optional.items()):
        return None
    w = ds["snapshot_weight_h"].values
    factor = unit_fuel_values(ds, "fuel_emission_t_per_mwh").values
    direct = ds["fuel_mw"].values * factor[None, :] * w[:, None]
    # _grid_shares
    bought = ds["grid_import_mw"].values
    emitted = bought * ds["electricity_emission_t_per_mwh"].values * w
    units = np.clip(-ds["electricity_mw"].values, 0, None)
    fleets = None
    if "fleet_energy_mw" in ds:
        electric = (ds["fleet_drive"] == "electric").values
        fleets = np.where(electric[None, :], ds["fleet_energy_mw"].values, 0.0)
    local = ds["grid_export_mw"].values.copy()
    if "electricity_demand_mw" in ds:
        local = local + ds["electricity_demand_mw"].values
    fleets_mw = xarray_nansum(fleets, 1) if fleets is not None else 0.0
    total = xarray_nansum(units, 1) + local + fleets_mw
    known = total > 1e-12
    per_mw = np.where(known, emitted / np.where(known, total, 1.0), 0.0)
    stranded = np.where(~known, emitted, 0.0)
    fleet_t = None if fleets is None else xarray_nansum(fleets * per_mw[:, None], 0)
    grid_local = float(xarray_nansum(local * per_mw + stranded, 0))
    own_t = direct + units * per_mw[:, None]
    # _unit_sector_t with output_shares: the outputs stacked on a leading axis as xr.concat
    # stacks them, the shares seen on (snapshot, unit, output) as xr.where broadcasts them
    parts = [
        np.clip(ds[f"{o}_mw"].values, 0, None)
        if f"{o}_mw" in ds
        else np.zeros_like(ds["heat_mw"].values)
        for o in OUTPUTS
    ]
    out = np.stack(parts, axis=0)
    made_total = xarray_nansum(out, 0)
    made = made_total > 0
    shares = np.where(made[None], out / np.where(made, made_total, 1.0)[None], 0.0)
    by_unit = xarray_nansum(out, 1)  # (output, unit), as outputs._largest
    main = np.where(
        xarray_nansum(by_unit, 0) <= 0, "heat", np.asarray(OUTPUTS)[np.argmax(by_unit, axis=0)]
    )
    fallback = (np.asarray(OUTPUTS)[:, None] == main[None, :]).astype(float)
    shares_tuo = np.where(made[:, :, None], shares.transpose(1, 2, 0), fallback.T[None])
    store = is_store(ds).values
    owned = np.where(~store[None, :], own_t, 0.0)
    n_t, n_u = owned.shape
    owned_tuo = np.broadcast_to(owned[None], (len(OUTPUTS), n_t, n_u)).transpose(1, 2, 0)
    by_output = xarray_nansum(owned_tuo * shares_tuo, (0, 1))
    placed = {o: float(v) for o, v in zip(OUTPUTS, by_output, strict=True)}
    placed["electricity"] = float(xarray_nansum(np.where(store[None, :], own_t, 0.0), None))
    return placed, fleet_t, grid_local


def _sector_and_fleet_t(ds: xr.Dataset) -> tuple[dict[str, float], dict[str, float]]:
    """Emissions per sector and per fleet [t CO2e] by the module's rule."""
    w = ds["snapshot_weight_h"]
    sectors = dict.fromkeys((*SECTORS, "vehicle_gas"), 0.0)  # vehicle gas: passed on (step 5)
    fleet_t = dict.fromkeys(map(str, ds["fleet"].values), 0.0) if "fleet" in ds.dims else {}
    fast = _units_and_grid_in_numpy(ds)
    if fast is not None:
        unit_t, fleet_grid, grid_local = fast
        grid_fleets = None if fleet_grid is None else pd.Series(fleet_grid, ds["fleet"].values)
    else:
        direct = ds["fuel_mw"] * unit_fuel_values(ds, "fuel_emission_t_per_mwh") * w
        grid_units, grid_fleet_da, grid_local_da = _grid_shares(ds)
        unit_t = _unit_sector_t(ds, direct + grid_units)
        grid_local = float(grid_local_da)
        grid_fleets = None if grid_fleet_da is None else grid_fleet_da.to_series()
    for sector, value in unit_t.items():
        sectors[sector] += value
    sectors["electricity"] += grid_local
    if grid_fleets is not None:
        for fleet, value in grid_fleets.items():
            fleet_t[str(fleet)] += float(value)
    if "waste_heat_used_mw" in ds:
        used = ds["waste_heat_used_mw"] * ds["waste_heat_emission_t_per_mwh"] * w
        cooling = float(used.sel(route="absorption").sum()) if "absorption" in used["route"] else 0
        sectors["cooling"] += cooling
        sectors["heat"] += float(used.sum()) - cooling
    if "fleet_fuel_t" in ds:
        for fleet, value in ds["fleet_fuel_t"].to_series().items():
            fleet_t[str(fleet)] += float(value)
    gas_t = 0.0
    if "gas_grid_import_mw" in ds:
        gas_t = float((ds["gas_grid_import_mw"] * w).sum()) * float(
            ds["gas_grid_emission_t_per_mwh"]
        )
    for pool, drive, sector, own in (
        (sectors.pop("hydrogen"), "hydrogen", "hydrogen", _own_use(ds, "hydrogen_demand_mw", ())),
        (
            sectors.pop("vehicle_gas") + gas_t,
            "biogas",
            "biogas",
            _own_use(ds, "vehicle_gas_demand_mw", ("gas_grid_export_mw",)),
        ),
    ):
        users = [(("sector", sector), own)]
        if "fleet_energy_mw" in ds:
            used = (_fleet_energy(ds, drive) * w).sum("snapshot").to_series()
            users += [(("fleet", str(f)), float(v)) for f, v in used.items() if v > 0]
        for (kind, name), value in _pass_on(pool, users):
            if kind == "sector":
                sectors[name] = sectors.get(name, 0.0) + value
            else:
                fleet_t[name] += value
    sectors["transport"] = sum(fleet_t.values())
    return sectors, fleet_t


def _own_use(ds: xr.Dataset, demand: str, extra: tuple[str, ...]) -> float:
    """A carrier's own demand (and sales) over the horizon [MWh], 0 if the run has none."""
    w = ds["snapshot_weight_h"]
    return sum(float((ds[k] * w).sum()) for k in (demand, *extra) if k in ds)


def fleet_emissions(ds: xr.Dataset) -> pd.DataFrame:
    """Each fleet against its baseline [t CO2e] (see the module docstring for the rule).

    Columns: ``drive``, ``km``, ``energy_mwh`` (of its carrier), ``emissions_t`` (actual),
    ``baseline_t``, ``avoided_t`` (= baseline - actual). Empty without fleets.
    """
    ds = require_one_period(ds)
    if "fleet_energy_mw" not in ds:
        return pd.DataFrame(columns=_FLEET_COLUMNS).rename_axis("fleet")
    return _fleet_table(ds, _sector_and_fleet_t(ds)[1])


_FLEET_COLUMNS = ["drive", "km", "energy_mwh", "emissions_t", "baseline_t", "avoided_t"]


def _fleet_table(ds: xr.Dataset, fleet_t: dict[str, float]) -> pd.DataFrame:
    """:func:`fleet_emissions` from each fleet's emissions [t CO2e] already placed."""
    km = ds["fleet_km"].to_series()
    baseline = (
        km
        * ds["fleet_baseline_kwh_per_km"].to_series()
        / 1000.0
        * ds["fleet_baseline_emission_t_per_mwh"].to_series()
    )
    table = pd.DataFrame(
        {
            "drive": ds["fleet_drive"].to_series().astype(str),
            "km": km,
            "energy_mwh": ds["fleet_energy_mwh"].to_series(),
            "emissions_t": pd.Series(fleet_t),
            "baseline_t": baseline,
        }
    )
    table["avoided_t"] = table["baseline_t"] - table["emissions_t"]
    table.index.name = "fleet"
    return table[_FLEET_COLUMNS]


def emissions_by_sector(ds: xr.Dataset) -> pd.DataFrame:
    """Emissions per sector [t CO2e], with transport against its fossil baseline.

    Rows :data:`SECTORS`; columns ``emissions_t``, ``baseline_t`` and ``avoided_t`` (transport
    only; NaN elsewhere). ``emissions_t`` adds up to the run's ``emissions_t`` total (see the
    module docstring for how each tonne is placed). A pathway run's results have a ``period``
    dimension: select one period first.
    """
    ds = require_one_period(ds)
    sectors, fleet_t = _sector_and_fleet_t(ds)
    table = pd.DataFrame({"emissions_t": pd.Series(sectors).reindex(list(SECTORS))})
    table["baseline_t"] = np.nan
    table["avoided_t"] = np.nan
    if "fleet_energy_mw" in ds:
        fleets = _fleet_table(ds, fleet_t)  # the same pass placed the fleets' tonnes
        table.loc["transport", "baseline_t"] = fleets["baseline_t"].sum()
        table.loc["transport", "avoided_t"] = fleets["avoided_t"].sum()
    table.index.name = "sector"
    return table
