"""Combined heat and power plants: back-pressure (fixed ratio) and extraction (PQ region)."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import fuel_cost_coefficient, operating_cost, present
from restvarme.model.components.biogas import add_biogas_burnt

DIM = "chp"


@dataclass(frozen=True)
class Chps:
    fuel_mw: linopy.Variable
    """Fuel input [MW], dims (snapshot, chp)."""
    heat_mw: linopy.Variable
    """Heat output [MW], dims (snapshot, chp)."""
    power_mw: linopy.LinearExpression
    """Electric output [MW] = η_el·F - cv·Q, dims (snapshot, chp)."""
    new_capacity_mw: linopy.Variable | None
    """New heat capacity of extendable CHPs [MW]; fuel capacity grows in proportion."""


def add_chps(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Chps | None:
    """Add all CHP units in the extraction form (Danish Energy Agency technology-data convention).

    With fuel F, heat Q and power P::

        0 <= F[t,c] <= F_max[c],   0 <= Q[t,c] <= Q_max[c]
        P[t,c] = η_el[c]·F[t,c] - cv[c]·Q[t,c]          (iso-fuel lines, slope -cv)
        P[t,c] >= cb[c]·Q[t,c]                           (back-pressure line)
        P[t,c] <= cb[c]·Q[t,c]   for back-pressure units (so P = cb·Q)

    A back-pressure unit is the special case cv = 0, cb = η_el/η_heat, F_max = Q_max/η_heat, so
    P = η_el·F and Q = η_heat·F. Cost: Σ w·[(fuel price + carbon price·emission factor)·F + vom·Q].
    A CHP burning ``biogas`` (with a ``biogas`` section) draws F from the biogas bus.
    """
    if not present(inputs, DIM):
        return None
    heat_cap, fuel_cap = inputs["chp_heat_capacity_mw"], inputs["chp_fuel_capacity_mw"]
    like = inputs["snapshot_weight_h"] * heat_cap
    new = add_new_capacity(m, inputs, terms, DIM)
    fuel = m.add_variables(lower=0, upper=flow_bound(inputs, DIM, fuel_cap, like), name="chp_fuel")
    heat = m.add_variables(lower=0, upper=flow_bound(inputs, DIM, heat_cap, like), name="chp_heat")
    add_capacity_limit(m, inputs, DIM, heat, new, heat_cap, "chp_heat_capacity")
    add_capacity_limit(
        m,
        inputs,
        DIM,
        fuel,
        new,
        fuel_cap,
        "chp_fuel_capacity",
        per_new=inputs["chp_fuel_per_heat_capacity"],
    )
    power = inputs["chp_efficiency_el"] * fuel - inputs["chp_cv"] * heat
    above_line = power - inputs["chp_cb"] * heat
    m.add_constraints(above_line >= 0, name="chp_back_pressure_line")
    bp = inputs["chp_back_pressure"].broadcast_like(like)
    m.add_constraints(above_line <= 0, name="chp_fixed_ratio", mask=bp)
    terms.add_heat(to_buses(1 * heat, inputs["chp_sink"], inputs["network"]))
    terms.add_electricity(power.sum(DIM))
    emission = inputs["fuel_emission_t_per_mwh"].sel(fuel=inputs["chp_fuel"]).drop_vars("fuel")
    terms.add_emission(lambda: (fuel * emission).sum(DIM))
    terms.add_cost(operating_cost(fuel, fuel_cost_coefficient(inputs, inputs["chp_fuel"]), inputs))
    terms.add_cost(operating_cost(heat, inputs["chp_vom_eur_per_mwh"], inputs))
    add_biogas_burnt(inputs, terms, fuel, DIM)
    return Chps(fuel, heat, power, new)
