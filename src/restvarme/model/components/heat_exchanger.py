"""Direct use of waste heat through a heat exchanger: supply-line feed-in or return preheating."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity
from restvarme.model.components._common import operating_cost, present

DIM = "heat_exchanger"


@dataclass(frozen=True)
class HeatExchangers:
    heat_mw: linopy.Variable
    """Heat passed from the waste-heat source to the network [MW],
    dims (snapshot, heat_exchanger)."""
    new_capacity_mw: linopy.Variable | None
    """New capacity of extendable heat exchangers [MW], dims (heat_exchanger,)."""


def add_heat_exchangers(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> HeatExchangers | None:
    """Add all heat exchangers.

    The hourly limit ``max[t,x]`` comes from the inputs (see
    :func:`restvarme.physics.temperatures.direct_use_share`)::

        max[t,x] = capacity[x] (+ new capacity)                if T_src - ΔT >= T_supply (direct)
                 = min(capacity[x], share[t,x] · load[t,n])    otherwise (preheating the return)
        share    = (T_src - ΔT - T_return) / (T_supply - T_return), clipped to [0, 1]

        0 <= H[t,x] <= max[t,x];   H enters network n and is drawn from source s one to one;
        cost Σ w[t] · vom[x] · H[t,x]
    """
    if not present(inputs, DIM):
        return None
    new = add_new_capacity(m, inputs, terms, DIM)
    upper = xr.where(
        inputs["heat_exchanger_extendable"],
        inputs["heat_exchanger_temperature_limit_mw"],
        inputs["heat_exchanger_max_mw"],
    )
    heat = m.add_variables(lower=0, upper=upper, name="heat_exchanger_heat")
    add_capacity_limit(
        m, inputs, DIM, heat, new, inputs["heat_exchanger_capacity_mw"], "heat_exchanger_capacity"
    )
    terms.add_heat(to_buses(heat, inputs["heat_exchanger_sink"], inputs["network"]))
    terms.add_waste_heat_delivered(lambda: heat.sum(DIM))
    terms.add_waste_heat_draw(
        to_buses(heat, inputs["heat_exchanger_source"], inputs["waste_source"])
    )
    terms.add_cost(operating_cost(heat, inputs["heat_exchanger_vom_eur_per_mwh"], inputs))
    return HeatExchangers(heat, new)
