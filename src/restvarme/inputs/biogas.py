"""Inputs of the biogas bus: plants, vehicle-gas demand and the gas grid.

Called from :func:`restvarme.inputs.build.build_inputs`, with the same conventions: hourly arrays
on ``snapshot``; plants on ``biogas_plant``. The bus (``biogas_production_mw`` and friends) is
only present when the scenario has a ``biogas`` section. Its units (``biogas_upgrading``,
``biogas_storage``) build their own inputs in their modules of :mod:`restvarme.units`. Energy is
MWh of methane (lower heating value) throughout.

Vehicle-gas demand here is the section's own ``vehicle_gas_demand_mw``; biogas fleets add
``fleet_vehicle_gas_mw`` (restvarme.inputs.fleets).
"""

from __future__ import annotations

from typing import cast

import numpy as np
import xarray as xr

from restvarme.inputs.build import _Reader
from restvarme.inputs.tables import columns as _da
from restvarme.scenario import schema as s
from restvarme.scenario.base import BIOGAS_FUEL

__all__ = ["BIOGAS_FUEL", "biogas_fuel", "biogas_inputs"]


def biogas_inputs(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """The biogas bus of a scenario (nothing without a ``biogas`` section)."""
    return _bus(sc, read)


def _plant_mw(plant: s.BiogasPlant, read: _Reader, name: str) -> np.ndarray:
    """Hourly production [MW]: the series, or the annual total spread flat or by the shape
    (scaled so the horizon gets its share of the year)."""
    where = ("biogas", "plants", name)
    if plant.production_mw is not None:
        return read(plant.production_mw, *where, "production_mw", minimum=0.0)
    # the spec sets exactly one of production_mw and annual_gwh
    mean_mw = cast(float, plant.annual_gwh) * 1000.0 / 8760.0
    if plant.shape is None:
        return np.full(len(read.index), mean_mw)
    shape = read(plant.shape, *where, "shape", minimum=0.0)
    if shape.sum() <= 0:
        raise read.problem(
            "the shape is zero in every hour; expected some positive values", *where, "shape"
        )
    return mean_mw * shape / shape.mean()


def _bus(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    b = sc.biogas
    if b is None:
        return {}
    snap = {"snapshot": read.index}
    names = list(b.plants)
    production = [_plant_mw(p, read, n) for n, p in b.plants.items()]
    coords = {"biogas_plant": names}
    out = {
        "biogas_production_mw": _da(production, read.index, names, "biogas_plant", "MW"),
        "biogas_production_cost_eur_per_mwh": xr.DataArray(
            [p.production_cost_eur_per_mwh for p in b.plants.values()],
            coords,
            attrs={"units": "EUR/MWh"},
        ),
        "biogas_feedstock": xr.DataArray([p.feedstock for p in b.plants.values()], coords),
        "vehicle_gas_demand_mw": xr.DataArray(
            read(b.vehicle_gas_demand_mw, "biogas", "vehicle_gas_demand_mw", minimum=0.0),
            snap,
            attrs={"units": "MW"},
        ),
        "vehicle_gas_unserved_penalty_eur_per_mwh": xr.DataArray(
            b.unserved_penalty_eur_per_mwh, attrs={"units": "EUR/MWh"}
        ),
    }
    g = b.gas_grid
    if g is not None:
        out["gas_grid_emission_t_per_mwh"] = xr.DataArray(
            g.emission_t_per_mwh, attrs={"units": "t/MWh"}
        )
        for side in ("import", "export"):
            price = getattr(g, f"{side}_price_eur_per_mwh")
            if price is None:
                continue
            out[f"gas_grid_{side}_price_eur_per_mwh"] = xr.DataArray(
                read(price, "biogas", "gas_grid", f"{side}_price_eur_per_mwh"),
                snap,
                attrs={"units": "EUR/MWh"},
            )
            cap = getattr(g, f"{side}_capacity_mw")
            out[f"gas_grid_{side}_capacity_mw"] = xr.DataArray(
                np.inf if cap is None else cap, attrs={"units": "MW"}
            )
    return out


def biogas_fuel(sc: s.Scenario) -> dict[str, float | bool] | None:
    """The fuel entry of biogas burnt from the bus (price and emission 0: its cost is the bus's
    production and its CO2 biogenic), or None without a ``biogas`` section."""
    if sc.biogas is None:
        return None
    return {"price_eur_per_mwh": 0.0, "emission_t_per_mwh": 0.0, "renewable": True}
