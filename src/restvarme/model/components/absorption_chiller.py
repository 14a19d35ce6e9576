"""Absorption chillers driven by network heat or waste heat."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, static
from restvarme.model.components._common import operating_cost, present

DIM = "absorption_chiller"


@dataclass(frozen=True)
class AbsorptionChillers:
    cooling_mw: linopy.Variable
    """Cooling delivered to the network [MW], dims (snapshot, absorption_chiller)."""
    new_capacity_mw: linopy.Variable | None
    """New cooling capacity of extendable absorption chillers [MW]."""


def add_absorption_chillers(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> AbsorptionChillers | None:
    """Add all absorption chillers.

    With cooling output C[t,a], thermal COP ζ[a], s[t,a] = 1 in the hours the driving heat is hot
    enough (0 otherwise; the share of such hours in a merged block)::

        0 <= C[t,a] <= s[t,a] · capacity[a]        (capacity + new if extendable)
        driving heat  H[t,a] = C[t,a] / ζ[a]       taken from heat network n (a consumer in its
                                                   heat balance) or drawn from waste-heat source s
        electricity in  e[a] · C[t,a];  cooling into network k: C[t,a]
        cost Σ w[t] · vom[a] · C[t,a]  (plus the waste heat's price through the source)
    """
    if not present(inputs, DIM):
        return None
    share, capacity = inputs["absorption_chiller_share"], inputs["absorption_chiller_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ext = static(inputs, f"{DIM}_extendable")
    cooling = m.add_variables(
        lower=0,
        upper=xr.where(ext & (share > 0), np.inf, share * capacity),
        name="absorption_chiller_cooling",
    )
    add_capacity_limit(
        m,
        inputs,
        DIM,
        cooling,
        new,
        share * capacity,
        "absorption_chiller_capacity",
        per_new=share,
        where=share > 0,
    )
    source = inputs["absorption_chiller_source"]
    terms.add_cooling(
        to_buses(cooling, inputs["absorption_chiller_sink"], inputs["cooling_network"])
    )
    heat = cooling / inputs["absorption_chiller_thermal_cop"]
    on_network = source.isin(inputs["network"].values)
    if bool(on_network.any()):
        terms.add_heat(
            -to_buses(heat.sel({DIM: on_network}), source.sel({DIM: on_network}), inputs["network"])
        )
    on_waste = ~on_network
    if bool(on_waste.any()):
        terms.add_waste_heat_draw(
            to_buses(heat.sel({DIM: on_waste}), source.sel({DIM: on_waste}), inputs["waste_source"])
        )
    terms.add_electricity(
        -(cooling * inputs["absorption_chiller_electricity_mwh_per_mwh"]).sum(DIM)
    )
    terms.add_cost(operating_cost(cooling, inputs["absorption_chiller_vom_eur_per_mwh"], inputs))
    return AbsorptionChillers(cooling, new)
