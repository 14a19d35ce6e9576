"""Unit specs as labelled arrays: the tables the input builders of the unit types fill.

Per-unit parameters live on one dimension per unit type (``boiler``, ``heat_pump``, ...);
hourly ones on (``snapshot``, type). Pure functions of the specs, no files read.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from restvarme._dataset import labelled

__all__ = ["columns", "labels", "parameter", "store_params"]


def columns(
    values: Sequence[np.ndarray], index: pd.Index, names: Sequence[str], dim: str, unit: str
) -> xr.DataArray:
    """A 2-D array (snapshot, dim) from one column per unit, with its ``units`` attribute."""
    data = np.column_stack(values) if len(values) else np.zeros((len(index), 0))
    return labelled(data, {"snapshot": index, dim: list(names)}, {"units": unit})


def parameter(
    units: Sequence, dim: str, attr: str, unit: str, default: float = np.nan
) -> xr.DataArray:
    """One attribute of every unit spec as an array on ``dim`` [``unit``] (None: ``default``)."""
    values = [default if getattr(u, attr) is None else getattr(u, attr) for u in units]
    names = [u.name for u in units]
    return labelled(np.asarray(values, dtype=float), {dim: names}, {"units": unit})


def labels(units: Sequence, dim: str, attr: str) -> xr.DataArray:
    """One text attribute of every unit spec (a bus, a source, a fuel) as an array on ``dim``."""
    return labelled([getattr(u, attr) for u in units], {dim: [u.name for u in units]})


def store_params(units: Sequence, dim: str) -> dict[str, xr.DataArray]:
    """Parameters every store type shares (heat, cold, battery, hydrogen, biogas), named
    ``<dim>_<key>``: energy [MWh], charge and discharge power [MW] (discharge defaults to charge),
    efficiencies and standing loss [-], variable O&M [EUR/MWh] and, for extendable stores, the
    power that comes with each new MWh [MW/MWh]."""
    coords = {dim: [u.name for u in units]}
    out = {
        f"{dim}_energy_mwh": parameter(units, dim, "energy_mwh", "MWh"),
        f"{dim}_charge_mw": parameter(units, dim, "charge_mw", "MW"),
        f"{dim}_discharge_mw": labelled(
            np.asarray(
                [u.charge_mw if u.discharge_mw is None else u.discharge_mw for u in units], float
            ),
            coords,
            {"units": "MW"},
        ),
        f"{dim}_vom_eur_per_mwh": parameter(units, dim, "vom_eur_per_mwh", "EUR/MWh"),
        f"{dim}_charge_mw_per_mwh": labelled(
            np.asarray(
                [u.expansion.charge_mw_per_mwh if u.expansion else 0.0 for u in units], float
            ),
            coords,
            {"units": "MW/MWh"},
        ),
    }
    for attr in ("efficiency_charge", "efficiency_discharge", "standing_loss_per_hour"):
        out[f"{dim}_{attr}"] = parameter(units, dim, attr, "-")
    return out
