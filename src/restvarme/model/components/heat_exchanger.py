"""Direct use of waste heat through a heat exchanger: supply-line feed-in or return preheating."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.components._common import operating_cost, present

DIM = "heat_exchanger"


@dataclass(frozen=True)
class HeatExchangers:
    heat_mw: linopy.Variable
    """Heat passed from the waste-heat source to the network [MW], dims (snapshot, heat_exchanger)."""


def add_heat_exchangers(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> HeatExchangers | None:
    """Add all heat exchangers.

    The hourly limit ``max[t,x]`` comes from the inputs (see
    :func:`restvarme.physics.temperatures.direct_use_share`)::

        max[t,x] = capacity[x]                                 if T_src - ΔT >= T_supply (direct)
                 = min(capacity[x], share[t,x] · load[t,n])    otherwise (preheating the return)
        share    = (T_src - ΔT - T_return) / (T_supply - T_return), clipped to [0, 1]

        0 <= H[t,x] <= max[t,x];   H enters network n and is drawn from source s one to one;
        cost Σ w[t] · vom[x] · H[t,x]
    """
    if not present(inputs, DIM):
        return None
    heat = m.add_variables(lower=0, upper=inputs["heat_exchanger_max_mw"], name="heat_exchanger_heat")
    terms.add_heat(to_buses(1 * heat, inputs["heat_exchanger_sink"], inputs["network"]))
    terms.add_waste_heat_draw(
        to_buses(1 * heat, inputs["heat_exchanger_source"], inputs["waste_source"])
    )
    terms.add_cost(
        operating_cost(heat, inputs["heat_exchanger_vom_eur_per_mwh"], inputs["snapshot_weight_h"])
    )
    return HeatExchangers(heat)
