"""Fuel cells: hydrogen to electricity, their heat into a heat network."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import sum_units

DIM = "fuel_cell"


@dataclass(frozen=True)
class FuelCells:
    power_mw: linopy.Variable
    """Electricity output [MW], dims (snapshot, fuel_cell)."""
    new_capacity_mw: linopy.Variable | None
    """New electric capacity of extendable fuel cells [MW], dims (fuel_cell,)."""


def add_fuel_cells(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> FuelCells | None:
    """Add all fuel cells. With electricity output P, electric efficiency η_el and heat
    efficiency η_th (both per MWh of hydrogen, LHV)::

        0 <= P[t,f] <= capacity[f]  (+ new capacity)
        electricity into the bus: P;  hydrogen out of the hydrogen bus: P / η_el
        heat into network n(f): (η_th / η_el) · P    (only cells with η_th > 0 and a sink)
        cost Σ w · vom · P   (vom per MWh of electricity)
    """
    if not present(inputs, DIM):
        return None
    w = inputs["snapshot_weight_h"]
    capacity = inputs["fuel_cell_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    power = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="fuel_cell_power"
    )
    add_capacity_limit(m, inputs, DIM, power, new, capacity, "fuel_cell_capacity")
    eta_el, sink = inputs["fuel_cell_efficiency_el"], inputs["fuel_cell_sink"]
    terms.add_electricity(sum_units(power, DIM))
    terms.add_hydrogen(sum_units(power, DIM, -1 / eta_el))
    if bool((sink != "").any()):  # cells without a sink add no (zero-coefficient) heat terms
        heat = power * (inputs["fuel_cell_efficiency_heat"] / eta_el)
        terms.add_heat(to_buses(heat, sink, inputs["network"]))
    terms.add_cost(operating_cost(power, inputs["fuel_cell_vom_eur_per_mwh"], inputs))
    return FuelCells(power, new)
