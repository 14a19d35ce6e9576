"""What the units of a run make, and how a unit's own emissions are shared among its outputs.

The rule, used by :mod:`restvarme.accounting.emissions`, :mod:`~restvarme.accounting.indicators`
and :mod:`~restvarme.accounting.sectors` alike, reads the units' ports in the results (never
their type):

* a unit's **own emissions** are those of the fuel it burns, the electricity it uses (at the
  perspective's grid factor) and the waste heat it draws (at a stated factor, 0 by default);
* they are shared among its **useful outputs**, heat into a network, cooling, hydrogen and
  vehicle gas, in proportion to their energy in each hour (the energy method of allocation,
  EN 15316-4-5 / GHG Protocol "allocation by energy content"): a heat-recovery heat pump's
  electricity goes to its heat delivered and the cooling it makes in proportion to the two;
  a heat pump's all to its heat; a chiller's all to cooling;
* in hours with no output a unit's emissions go to its main output over the horizon;
* **stores** have none of their own: a battery's charging is not use, the emissions of the
  electricity it stores are those of the hour it was bought;
* **cogeneration** units (CHPs: their type's ``cogeneration`` in
  :mod:`restvarme.units.registry`) split fuel between heat and power by a named method
  (:mod:`restvarme.accounting.chp_allocation`) instead; electricity is not a useful output
  here (it is credited or not by that method).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from restvarme.units.registry import UnitType, unit_type_of


def unit_fuel_values(ds: xr.Dataset, var: str) -> xr.DataArray:
    """A fuel variable of the results, dims (fuel) or (snapshot, fuel), looked up for each
    unit's fuel (0 for units without fuel), dims (unit) or (snapshot, unit): a fuel's price
    [EUR/MWh] or emission factor [t/MWh] as each unit pays or emits it."""
    labels = [str(f) for f in ds["unit_fuel"].values]
    out = ds[var].astype(float).reindex(fuel=labels, fill_value=0.0)
    return out.rename(fuel="unit").assign_coords(unit=ds["unit"].values)


def xarray_nansum(a: np.ndarray, axis: int | tuple[int, ...] | None) -> np.ndarray:
    """``a`` summed over ``axis`` as xarray's ``sum`` sums it (``nanops.nansum``: NaN replaced
    by zeros, then ``numpy.sum``): the same numpy calls, so the same bits. For the accounting's
    numpy paths, which must give the xarray paths' tables to the last bit.

    A C-ordered array whose total is finite holds no NaN: replacing none, the copy would be
    ``a`` itself in the same layout, so ``a`` is summed as it is (one pass instead of four)."""
    if a.flags.c_contiguous and np.isfinite(np.sum(a)):
        return np.sum(a, axis=axis)
    return np.sum(np.where(np.isnan(a), np.zeros_like(a), a), axis=axis)


__all__ = [
    "OUTPUTS",
    "delivered_heat_mw",
    "is_cogeneration",
    "is_store",
    "main_output",
    "output_shares",
]

OUTPUTS = ("heat", "cooling", "hydrogen", "vehicle_gas")
"""Useful outputs of a unit, by the carrier of its flow ``<output>_mw`` in the results."""


def _flags(ds: xr.Dataset, flag: Callable[[UnitType], bool]) -> xr.DataArray:
    values = []
    for label in ds["unit_type"].values:
        unit_type = unit_type_of(str(label))
        values.append(bool(unit_type is not None and flag(unit_type)))
    return xr.DataArray(np.asarray(values, dtype=bool), coords={"unit": ds["unit"]}, dims="unit")


def is_cogeneration(ds: xr.Dataset) -> xr.DataArray:
    """Whether each unit is a cogeneration unit (bool on ``unit``)."""
    return _flags(ds, lambda t: t.cogeneration)


def is_store(ds: xr.Dataset) -> xr.DataArray:
    """Whether each unit is a store (bool on ``unit``): what it takes in it gives back later, so
    it has no emissions of its own (a battery's charging is not use)."""
    return _flags(ds, lambda t: t.capacity.stored)


def _outputs_mw(ds: xr.Dataset) -> xr.DataArray:
    """Each unit's useful outputs [MW] (positive parts), dims (snapshot, unit, output)."""
    parts = []
    for output in OUTPUTS:
        key = f"{output}_mw"
        flow = ds[key] if key in ds else xr.zeros_like(ds["heat_mw"])
        parts.append(flow.clip(min=0))
    return xr.concat(parts, dim=xr.DataArray(list(OUTPUTS), dims="output", name="output"))


def main_output(ds: xr.Dataset) -> xr.DataArray:
    """Each unit's largest output over the horizon (``heat`` for a unit with none), on ``unit``."""
    return _largest(_outputs_mw(ds))


def _largest(outputs_mw: xr.DataArray) -> xr.DataArray:
    """:func:`main_output` from the outputs :func:`_outputs_mw` gives."""
    total = outputs_mw.sum("snapshot")
    best = total.argmax("output")
    none = total.sum("output") <= 0
    return xr.where(none, "heat", total["output"].isel(output=best).drop_vars("output"))


def output_shares(ds: xr.Dataset) -> xr.DataArray:
    """Share of each useful output in a unit's outputs per hour [-], dims (snapshot, unit,
    output); summing to 1 over ``output`` for every unit and hour (see the module docstring)."""
    out = _outputs_mw(ds)
    total = out.sum("output")
    made = total > 0
    shares = (out / total.where(made, 1.0)).where(made, 0.0)
    fallback = (out["output"] == _largest(out)).astype(float)  # the outputs built once
    return xr.where(made, shares, fallback).transpose("snapshot", "unit", "output")


def delivered_heat_mw(ds: xr.Dataset) -> xr.DataArray:
    """Heat delivered to the customers of each network [MW], dims (snapshot, network): the load
    (``heat_demand_mw``, the customers' demand plus the network's losses) less the losses
    (``heat_loss_mw``) and the unserved heat. The units cover the load; the losses are heat they
    make that no customer receives (unserved heat counts as heat the customers did not get)."""
    loss = ds["heat_loss_mw"] if "heat_loss_mw" in ds else 0.0
    return ds["heat_demand_mw"] - loss - ds["unserved_heat_mw"]
