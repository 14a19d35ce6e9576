"""Store mechanics shared by the cold and hydrogen stores (the heat store adds seasonal links)."""

from __future__ import annotations

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.linear import add_constraint, combination


def add_store(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms, dim: str
) -> tuple[linopy.Variable, linopy.Variable, linopy.Variable, linopy.Variable | None]:
    """Charge C, discharge D and level L of every store of one type, and new capacity.

    With snapshot weight w [h] and standing loss λ per hour::

        0 <= C <= C_max,  0 <= D <= D_max,  0 <= L <= E         (+ new, restvarme.model.capacity)
        L[t] = (1 - λ)^w[t] · L[t-1] + w[t] · (η_c·C[t] - D[t]/η_d)

    t-1 of the first snapshot is the last (cyclic horizon). In typical-day runs
    (``snapshot_hour`` in the inputs) each typical day is cyclic on its own, over hours of
    ``snapshot_duration_h``: a daily store. Inputs are named ``<dim>_charge_mw`` etc.
    """
    daily = "snapshot_hour" in inputs and "snapshot_duration_h" in inputs
    w = inputs["snapshot_duration_h"] if daily else inputs["snapshot_weight_h"]
    new = add_new_capacity(m, inputs, terms, dim)
    ratio = inputs[f"{dim}_charge_mw_per_mwh"]
    handles = {}
    for name, existing, per_new in (
        ("charge", inputs[f"{dim}_charge_mw"], ratio),
        ("discharge", inputs[f"{dim}_discharge_mw"], ratio),
        ("level", inputs[f"{dim}_energy_mwh"], 1.0),
    ):
        var = m.add_variables(
            lower=0, upper=flow_bound(inputs, dim, existing, w), name=f"{dim}_{name}"
        )
        add_capacity_limit(m, inputs, dim, var, new, existing, f"{dim}_{name}_capacity", per_new)
        handles[name] = var
    charge, discharge, level = handles["charge"], handles["discharge"], handles["level"]
    keep = (1 - inputs[f"{dim}_standing_loss_per_hour"]) ** w
    if daily:  # the hour before a typical day's first hour is its own last hour
        first = inputs["snapshot_hour"] == 0
        before = [
            (level.labels.roll(snapshot=1), -keep * (~first)),
            (level.labels.roll(snapshot=-23), -keep * first),
        ]
    else:
        before = [(level.labels.roll(snapshot=1), -keep)]
    balance = combination(
        (level, 1.0),
        *before,
        (charge, -w * inputs[f"{dim}_efficiency_charge"]),
        (discharge, w / inputs[f"{dim}_efficiency_discharge"]),
    )
    add_constraint(m, balance, "==", 0, f"{dim}_energy_balance")
    return charge, discharge, level, new
