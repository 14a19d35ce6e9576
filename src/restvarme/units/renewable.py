"""PV and wind: variable renewable generation on the electricity bus, curtailable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import linopy
import xarray as xr
from pydantic import Field

from restvarme.inputs.context import UnitInputs
from restvarme.inputs.tables import columns, labels, parameter
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    MW,
    CapacityKind,
    add_capacity_limit,
    add_new_capacity,
    flow_bound,
    in_service,
)
from restvarme.model.linear import add_variables
from restvarme.scenario.base import NonNegative, Series, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import UnitType


class Renewable(_Unit):
    """Variable renewable generation on the electricity bus (``type: pv`` or ``type: wind``).

    generation[t] <= capacity_mw · capacity_factor[t]; what is not generated is curtailed.
    ``vom_eur_per_mwh`` is per MWh generated; an ``expansion`` is in MW of rated capacity.
    """

    capacity_mw: NonNegative = Field(description="Rated (AC) capacity [MW].")
    capacity_factor: Series = Field(
        description="Output per rated capacity [-], in [0, 1], constant or hourly."
    )


class Pv(Renewable):
    """Solar photovoltaics (see :class:`Renewable`)."""

    type: Literal["pv"]


class Wind(Renewable):
    """Wind turbines (see :class:`Renewable`)."""

    type: Literal["wind"]


DIM = "renewable"


def inputs(ctx: UnitInputs, units: list[Renewable]) -> dict[str, xr.DataArray]:
    """PV and wind on one ``renewable`` dimension; ``renewable_kind`` says which is which.

    A capacity factor outside [0, 1] is a located error naming its key (and CSV line)."""
    factors = [
        ctx.read(
            u.capacity_factor,
            "units",
            ctx.position(u),
            "capacity_factor",
            minimum=0.0,
            maximum=1.0,
        )
        for u in units
    ]
    return {
        "renewable_capacity_factor": columns(factors, ctx.index, [u.name for u in units], DIM, "-"),
        "renewable_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "renewable_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "renewable_kind": labels(units, DIM, "type"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all PV and wind units (one dimension: the equations are the same).

    With rated capacity K[r] (+ new N[r]) and capacity factor f[t,r] in [0, 1]::

        0 <= G[t,r] <= f[t,r] · (K[r] + N[r])       curtailment f·(K + N) - G >= 0
        electricity into the bus: G[t,r];  cost Σ w · vom · G;  no fuel, no emissions
    """
    w, factor = inputs["snapshot_weight_h"], inputs["renewable_capacity_factor"]
    available = factor * inputs["renewable_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    # hours without wind or sun: the bound is 0 and no capacity row (no zero coefficients)
    upper = flow_bound(inputs, DIM, available, w).where(factor > 0, 0.0)
    generation = add_variables(m, lower=0, upper=upper, name="renewable_generation")
    add_capacity_limit(
        m, inputs, DIM, generation, new, available, "renewable_capacity", factor, where=factor > 0
    )
    return Ports(
        DIM,
        flows={"electricity": Flow(generation)},
        costs=(Cost("variable_om", Flow(generation, inputs["renewable_vom_eur_per_mwh"])),),
        new_capacity=new,
        results=_results(generation, new),
        handles={"generation_mw": generation},
    )


Pick = Callable[[xr.DataArray], xr.DataArray]


def _results(
    generation: linopy.Variable, new: linopy.Variable | None
) -> dict[str, Callable[[Pick, xr.Dataset], xr.DataArray]]:
    """What the results report of PV and wind (``(pick, inputs) -> DataArray``, see
    :attr:`restvarme.units.ports.Ports.results`): kind and capacity factor, and the available
    f·(K + new capacity in service), generated G and curtailed (available - G, at least 0)
    electricity [MW] with their annual totals [MWh]."""

    def available(pick: Pick, x: xr.Dataset) -> xr.DataArray:
        out = x["renewable_capacity_factor"] * x["renewable_capacity_mw"]
        if new is not None:
            built = in_service(x, DIM, new.solution.fillna(0.0))
            out = out + x["renewable_capacity_factor"] * built
        return out

    def curtailment(pick: Pick, x: xr.Dataset) -> xr.DataArray:
        return (available(pick, x) - pick(generation.solution)).clip(min=0.0)

    hourly = {
        "available": available,
        "generation": lambda pick, x: pick(generation.solution),
        "curtailment": curtailment,
    }
    out: dict[str, Callable[[Pick, xr.Dataset], xr.DataArray]] = {
        "renewable_kind": lambda pick, x: x["renewable_kind"],
        "renewable_capacity_factor": lambda pick, x: x["renewable_capacity_factor"],
        **{f"renewable_{key}_mw": f for key, f in hourly.items()},
    }
    for key, f in hourly.items():
        out[f"renewable_{key}_mwh"] = _annual(f)
    return out


def _annual(
    hourly: Callable[[Pick, xr.Dataset], xr.DataArray],
) -> Callable[[Pick, xr.Dataset], xr.DataArray]:
    """An hourly result [MW] as its total over the horizon [MWh]."""

    def total(pick: Pick, x: xr.Dataset) -> xr.DataArray:
        return (hourly(pick, x) * x["snapshot_weight_h"]).sum("snapshot")

    return total


UNIT = UnitType(
    name=DIM,
    order=150,
    specs=(Pv, Wind),
    build=build,
    capacity=CapacityKind(MW),
    label="PV and wind",
    colour="#f4d03f",
    type_labels=lambda inputs: inputs["renewable_kind"],
    inputs=inputs,
)
