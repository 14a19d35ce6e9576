"""Combined heat and power plants: back-pressure (fixed ratio) and extraction (PQ region)."""

from __future__ import annotations

from typing import Literal, cast

import linopy
import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from restvarme.inputs.context import UnitInputs
from restvarme.inputs.tables import labels, parameter
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    CapacityKind,
    add_capacity_limit,
    add_new_capacity,
    flow_bound,
)
from restvarme.model.linear import add_constraint, add_variables, combination
from restvarme.scenario.base import Efficiency, NonNegative, _Unit
from restvarme.units._commitment import (
    Commitment,
    add_commitment,
    check_commitment,
    commitment_inputs,
)
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class Chp(_Unit):
    """Combined heat and power plant burning a fuel.

    ``back_pressure``: fixed power-to-heat ratio. ``extraction``: a PQ region with the power loss
    coefficient ``cv`` and the back-pressure line ``cb``.
    """

    type: Literal["chp"]
    fuel: str
    sink: str
    mode: Literal["back_pressure", "extraction"] = "back_pressure"
    heat_capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    efficiency_el: Efficiency = Field(
        description="Electric efficiency (back-pressure: at the fixed ratio; extraction: in "
        "condensing mode) [-]."
    )
    efficiency_heat: Efficiency | None = Field(
        None, description="Heat efficiency, back-pressure mode only [-]."
    )
    fuel_capacity_mw: NonNegative | None = Field(
        None, description="Maximum fuel input, extraction mode only [MW]."
    )
    cv: NonNegative | None = Field(None, description="Power lost per unit heat extracted [-].")
    cb: NonNegative | None = Field(None, description="Back-pressure power-to-heat ratio [-].")
    commitment: Commitment | None = Field(
        None,
        description="On/off operation, minimum load as a share of fuel input "
        "(units/_commitment.py); default: none, an LP.",
    )

    @model_validator(mode="after")
    def _mode_fields(self) -> Chp:
        if self.mode == "back_pressure":
            if self.efficiency_heat is None:
                raise ValueError("back_pressure mode needs `efficiency_heat`")
            if self.efficiency_heat + self.efficiency_el > 1.2:
                raise ValueError("efficiency_el + efficiency_heat above 1.2 (LHV) is not physical")
            for key in ("fuel_capacity_mw", "cv", "cb"):
                if getattr(self, key) is not None:
                    raise ValueError(f"`{key}` is only for mode: extraction")
        else:
            missing = [k for k in ("fuel_capacity_mw", "cv", "cb") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"extraction mode needs {', '.join(f'`{k}`' for k in missing)}")
            if self.efficiency_heat is not None:
                raise ValueError("`efficiency_heat` is only for mode: back_pressure")
            if self.expansion is not None and self.heat_capacity_mw == 0:
                raise ValueError(
                    "an extendable extraction CHP needs heat_capacity_mw > 0: its fuel and heat "
                    "capacities are scaled together from that reference design"
                )
        check_commitment(self)
        return self


DIM = "chp"


def inputs(ctx: UnitInputs, units: list[Chp]) -> dict[str, xr.DataArray]:
    """CHP parameters in the extraction form; back-pressure units get cv = 0, cb = η_el/η_th."""
    # the fields of each mode are set (Chp._mode_fields): efficiency_heat for back_pressure,
    # fuel_capacity_mw, cv and cb for extraction
    bp = [c.mode == "back_pressure" for c in units]
    fuel_cap = [
        c.heat_capacity_mw / cast(float, c.efficiency_heat)
        if c.mode == "back_pressure"
        else c.fuel_capacity_mw
        for c in units
    ]
    cb = [
        c.efficiency_el / cast(float, c.efficiency_heat) if c.mode == "back_pressure" else c.cb
        for c in units
    ]
    cv = [0.0 if c.mode == "back_pressure" else c.cv for c in units]
    coords = {DIM: [c.name for c in units]}
    return {
        "chp_heat_capacity_mw": parameter(units, DIM, "heat_capacity_mw", "MW"),
        "chp_fuel_capacity_mw": xr.DataArray(
            np.asarray(fuel_cap, float), coords, attrs={"units": "MW"}
        ),
        "chp_efficiency_el": parameter(units, DIM, "efficiency_el", "-"),
        "chp_cb": xr.DataArray(np.asarray(cb, float), coords, attrs={"units": "-"}),
        "chp_cv": xr.DataArray(np.asarray(cv, float), coords, attrs={"units": "-"}),
        "chp_back_pressure": xr.DataArray(np.asarray(bp, bool), coords),
        "chp_fuel_per_heat_capacity": xr.DataArray(
            [
                1 / cast(float, c.efficiency_heat)
                if c.mode == "back_pressure"
                else (
                    cast(float, c.fuel_capacity_mw) / c.heat_capacity_mw
                    if c.heat_capacity_mw
                    else 0.0
                )
                for c in units
            ],
            coords,
            attrs={"units": "MW/MW"},
        ),
        "chp_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "chp_sink": labels(units, DIM, "sink"),
        "chp_fuel": labels(units, DIM, "fuel"),
        **commitment_inputs(units, DIM),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all CHP units in the extraction form (Danish Energy Agency technology-data convention).

    With fuel F, heat Q and power P::

        0 <= F[t,c] <= F_max[c],   0 <= Q[t,c] <= Q_max[c]
        P[t,c] = η_el[c]·F[t,c] - cv[c]·Q[t,c]          (iso-fuel lines, slope -cv)
        P[t,c] >= cb[c]·Q[t,c]                           (back-pressure line)

    A back-pressure unit runs on its back-pressure line: cv = 0 and P = cb·Q with
    cb = η_el/η_heat, so F = Q/η_heat and P = η_el·F. It has only the heat variable; its fuel
    and power are those expressions in Q (the leaner LP the solver would otherwise reach by
    presolving F and the equality away). Cost: Σ w·[(fuel price + carbon price·emission
    factor)·F + vom·Q].
    A CHP burning ``biogas`` (with a ``biogas`` section) draws F from the biogas bus.
    Units with a ``commitment`` block add a status on F and F_max (so that an extraction unit
    cannot run condensing while off; :mod:`restvarme.units._commitment`).
    """
    heat_cap, fuel_cap = inputs["chp_heat_capacity_mw"], inputs["chp_fuel_capacity_mw"]
    like = inputs["snapshot_weight_h"] * heat_cap
    back_pressure = inputs["chp_back_pressure"]
    extraction = ~back_pressure.broadcast_like(like)
    new = add_new_capacity(m, inputs, terms, DIM)
    fuel_in = add_variables(
        m, lower=0, upper=flow_bound(inputs, DIM, fuel_cap, like), mask=extraction, name="chp_fuel"
    )
    heat = add_variables(m, lower=0, upper=flow_bound(inputs, DIM, heat_cap, like), name="chp_heat")
    add_capacity_limit(m, inputs, DIM, heat, new, heat_cap, "chp_heat_capacity")
    per_heat = inputs["chp_fuel_per_heat_capacity"]
    fuel = combination((fuel_in, 1.0), (heat, per_heat.where(back_pressure, 0.0)))
    add_capacity_limit(
        m,
        inputs,
        DIM,
        fuel,
        new,
        fuel_cap,
        "chp_fuel_capacity",
        per_new=per_heat,
        where=extraction,
    )
    eta_el, cv, cb = inputs["chp_efficiency_el"], inputs["chp_cv"], inputs["chp_cb"]
    power = combination((fuel_in, eta_el), (heat, xr.where(back_pressure, cb, -cv)))
    above_line = combination((fuel_in, eta_el), (heat, -(cv + cb)))
    add_constraint(m, above_line, ">=", 0, "chp_back_pressure_line", mask=extraction)
    uc = add_commitment(m, inputs, DIM, fuel, fuel_cap)
    return Ports(
        DIM,
        flows={"heat": Flow(heat), "electricity": Flow(power), "fuel": Flow(fuel)},
        buses={"heat": inputs["chp_sink"], "fuel": inputs["chp_fuel"]},
        costs=(Cost("variable_om", Flow(heat, inputs["chp_vom_eur_per_mwh"])), *uc.costs),
        origins={"fuel": Flow(heat)},
        new_capacity=new,
        results=uc.results,
        handles={"heat_mw": heat, "fuel_mw": fuel, "power_mw": power, **uc.handles},
    )


UNIT = UnitType(
    name=DIM,
    order=30,
    specs=(Chp,),
    build=build,
    capacity=CapacityKind(
        (("heat_capacity_mw", None), ("fuel_capacity_mw", "fuel_per_heat_capacity"))
    ),
    label="CHP",
    colour="#8d5a3b",
    cogeneration=True,
    inputs=inputs,
    references=(
        Reference("sink", "network"),
        Reference("fuel", "fuel"),
    ),
)
