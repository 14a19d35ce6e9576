"""Inputs of the hydrogen bus: demand and import.

Called from :func:`restvarme.inputs.build.build_inputs`, with the same conventions: hourly arrays
on ``snapshot``. The bus (``hydrogen_demand_mw`` and friends) is only present when the scenario
has a ``hydrogen`` section. Its units (``electrolyser``, ``hydrogen_storage``, ``fuel_cell``)
build their own inputs in their modules of :mod:`restvarme.units`.
"""

from __future__ import annotations

import xarray as xr

from restvarme.inputs.build import _Reader
from restvarme.scenario import schema as s


def hydrogen_inputs(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """The hydrogen bus of a scenario (nothing without a ``hydrogen`` section)."""
    return _bus(sc, read)


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
