"""Inputs of district cooling: the cooling networks.

Called from :func:`restvarme.inputs.build.build_inputs`, with the same conventions: hourly arrays
on ``snapshot`` and, per network, on ``cooling_network``. The units that serve them (``chiller``,
``free_cooling``, ``absorption_chiller``, ``cold_storage``, ``heat_recovery_heat_pump``) build
their own inputs in their modules of :mod:`restvarme.units`, from these networks' temperatures
(:attr:`restvarme.inputs.context.UnitInputs.cooling_networks`).
"""

from __future__ import annotations

from typing import cast

import numpy as np
import xarray as xr

from restvarme.inputs.build import _Reader
from restvarme.inputs.demand import cooling_degree_hour_profile, heat_demand_mw
from restvarme.inputs.tables import columns as _da
from restvarme.scenario import schema as s

NETWORK = "cooling_network"


def cooling_inputs(
    sc: s.Scenario, read: _Reader, profile_year: tuple[np.ndarray, slice]
) -> dict[str, xr.DataArray]:
    """The cooling networks of a scenario (an empty ``cooling_network`` dimension without)."""
    return _cooling_networks(sc, read, profile_year)


def _cooling_networks(
    sc: s.Scenario, read: _Reader, profile_year: tuple[np.ndarray, slice]
) -> dict[str, xr.DataArray]:
    """Supply/return temperatures and cooling load (demand plus pipe heat gains) per network.

    An annual total is spread over the profile year by cooling degree hours, as heat demand is
    by heating degree hours (see :func:`restvarme.inputs.build._networks`).
    """
    index, names = read.index, list(sc.cooling_networks)
    year_c, window = profile_year
    supply, ret, demand = [], [], []
    for name, net in sc.cooling_networks.items():
        where = ("cooling_networks", name)
        supply.append(read(net.supply_temperature_c, *where, "supply_temperature_c"))
        ret.append(read(net.return_temperature_c, *where, "return_temperature_c"))
        if (bad := np.flatnonzero(supply[-1] >= ret[-1])).size:
            raise read.problem(
                f"cooling supply temperature {supply[-1][bad[0]]:g} °C is not below the return "
                f"temperature {ret[-1][bad[0]]:g} °C at {index[bad[0]]} ({bad.size} hour(s)); "
                "expected supply < return in every hour",
                *where,
                "supply_temperature_c",
            )
        d = net.demand
        if d.series_mw is not None:
            load = read(d.series_mw, *where, "demand", "series_mw", minimum=0.0)
        else:
            weights = cooling_degree_hour_profile(
                year_c, cooling_limit_c=d.cooling_limit_c, base_load_share=d.base_load_share
            )
            # the spec sets exactly one of annual_gwh and series_mw
            annual_mwh = cast(float, d.annual_gwh) * 1000.0 * len(year_c) / 8760.0
            load = heat_demand_mw(annual_mwh, weights)[window]
        demand.append(np.asarray(load, dtype=float) * (1.0 + net.heat_gain_share))
    return {
        "cooling_supply_temperature_c": _da(supply, index, names, NETWORK, "°C"),
        "cooling_return_temperature_c": _da(ret, index, names, NETWORK, "°C"),
        "cooling_demand_mw": _da(demand, index, names, NETWORK, "MW"),
        "unserved_cooling_penalty_eur_per_mwh": xr.DataArray(
            sc.unserved_cooling_penalty_eur_per_mwh, attrs={"units": "EUR/MWh"}
        ),
    }
