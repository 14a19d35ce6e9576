"""Inputs of the hydrogen bus: demand, import, electrolysers and hydrogen stores.

Called from :func:`restvarme.inputs.build.build_inputs`, with the same conventions: hourly arrays
on ``snapshot``; unit parameters on one dimension per unit type (``electrolyser``,
``hydrogen_storage``). The hydrogen bus itself (``hydrogen_demand_mw`` and friends) is only
present when the scenario has a ``hydrogen`` section.

An electrolyser's heat joins a waste_heat source, whose temperature decides the routes (direct,
preheat, heat pump); the heat must therefore be at least as hot as the source in every hour.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from restvarme.inputs.build import _label, _param, _Reader, store_params
from restvarme.scenario import schema as s
from restvarme.units.electrolyser import Electrolyser
from restvarme.units.hydrogen_storage import HydrogenStorage


def hydrogen_inputs(
    sc: s.Scenario, read: _Reader, waste_t: xr.DataArray
) -> dict[str, xr.DataArray]:
    """Every hydrogen input of a scenario (empty unit dimensions where it has none)."""
    return {**_bus(sc, read), **_electrolysers(sc, read, waste_t), **_hydrogen_stores(sc)}


def _bus(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    h = sc.hydrogen
    if h is None:
        return {}
    snap = {"snapshot": read.index}
    out = {
        "hydrogen_demand_mw": xr.DataArray(
            read(h.demand_mw, "hydrogen", "demand_mw", minimum=0.0), snap, attrs={"units": "MW"}
        ),
        "hydrogen_unserved_penalty_eur_per_mwh": xr.DataArray(
            h.unserved_penalty_eur_per_mwh, attrs={"units": "EUR/MWh"}
        ),
    }
    if h.import_price_eur_per_mwh is not None:
        price = read(h.import_price_eur_per_mwh, "hydrogen", "import_price_eur_per_mwh")
        out["hydrogen_import_price_eur_per_mwh"] = xr.DataArray(
            price, snap, attrs={"units": "EUR/MWh"}
        )
    return out


def _electrolysers(sc: s.Scenario, read: _Reader, waste_t: xr.DataArray) -> dict[str, xr.DataArray]:
    """Unit parameters; checks that each electrolyser's heat is as hot as its waste_heat source."""
    units: list[Electrolyser] = sc.units_of(Electrolyser)
    dim, position = "electrolyser", {u.name: i for i, u in enumerate(sc.units)}
    for u in units:
        where = ("units", position[u.name], "waste_heat_temperature_c")
        heat_c = read(u.waste_heat_temperature_c, *where)
        source_c = waste_t.sel(waste_source=u.waste_heat).to_numpy()
        if (bad := np.flatnonzero(heat_c < source_c)).size:
            raise read.problem(
                f"electrolyser {u.name!r} offers heat at {heat_c[bad[0]]:g} °C to waste_heat "
                f"source {u.waste_heat!r} at {source_c[bad[0]]:g} °C ({read.index[bad[0]]}, "
                f"{bad.size} hour(s)); give it a source no hotter than its heat",
                *where,
            )
    coords = {dim: [u.name for u in units]}
    return {
        "electrolyser_capacity_mw": _param(units, dim, "capacity_mw", "MW"),
        "electrolyser_efficiency": _param(units, dim, "efficiency", "-"),
        "electrolyser_heat_share": xr.DataArray(
            np.asarray([u.recoverable_heat_share for u in units], dtype=float),
            coords,
            attrs={"units": "-"},
        ),
        "electrolyser_vom_eur_per_mwh": _param(units, dim, "vom_eur_per_mwh", "EUR/MWh"),
        "electrolyser_waste_heat": _label(units, dim, "waste_heat"),
    }


def _hydrogen_stores(sc: s.Scenario) -> dict[str, xr.DataArray]:
    return store_params(sc.units_of(HydrogenStorage), "hydrogen_storage")
