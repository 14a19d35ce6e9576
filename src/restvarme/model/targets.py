"""Targets: an emission cap (or climate neutrality with a stated residual) and minimum shares of
waste heat and of renewable heat, per run or per pathway period.

A target is never silently dropped and never makes the model infeasible: each gets a shortfall
variable priced at ``target_penalty_eur_per_t`` (per tonne, or per MWh of waste heat), so a
target that cannot be met is solved as closely as possible and its shortfall reported. The
default price (10,000 EUR/t) is above any realistic abatement cost, yet low enough that missing a
target is preferred to leaving heat unserved (penalty × emission factor < unserved-heat penalty
for every fuel below 0.5 t/MWh)::

    Σ_t w[t] · emissions[t]          - shortfall_t   <= cap                       (per period)
    Σ_t w[t] · waste heat[t]        + shortfall_mwh >= share · Σ_t w[t] · demand[t]
    Σ_t w[t] · renewable heat[t]    + shortfall_mwh >= share · Σ_t w[t] · demand[t]

Shares are of the heat demand (the load, losses included): a share of the heat produced would
reward leaving demand unserved. The heat is counted by origin from the units' ports
(:data:`restvarme.units.ports.ORIGINS`), the very count
:func:`restvarme.accounting.indicators.network_indicators` makes of the results: waste
heat is what heat exchangers pass on, the source heat heat-pump evaporators draw from waste-heat
sources (Q·(1 - 1/COP)) and the share of a heat-recovery heat pump's heat taken from its cooling
network. Renewable heat is heat of boilers and CHPs burning a renewable fuel, the ambient heat
heat pumps lift (Q·(1 - 1/COP) of those on air, ground or water; RED II Annex VII), solar heat,
and electricity-based heat (a heat pump's Q/COP, an electric boiler's Q) times
``targets.electricity_renewable_share``. Waste heat is not renewable (RED II Art. 24 counts it
alongside renewables, not as one).

The dual of the emission cap is the shadow carbon price the target implies [EUR/t].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import linopy
import numpy as np
import xarray as xr

from restvarme._dataset import get
from restvarme.model.buses import BusTerms
from restvarme.model.linear import add_variables


@dataclass(frozen=True)
class TargetHandles:
    emission_cap: linopy.Constraint | None
    emission_shortfall_t: linopy.Variable | None
    waste_heat_shortfall_mwh: linopy.Variable | None
    emissions_t: linopy.LinearExpression | None
    """Emissions per period (scalar in one-year runs) [t CO2e]."""
    renewable_shortfall_mwh: linopy.Variable | None = None


def add_targets(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> TargetHandles:
    """Add the emission cap and the minimum waste-heat and renewable shares the inputs set."""
    w = inputs["snapshot_weight_h"]
    # a shortfall in a pathway period counts for each discounted year the period stands for
    penalty = inputs["target_penalty_eur_per_t"] * get(inputs, "period_discounted_years", 1.0)
    # linopy.merge of linear expressions is one (linopy types it as any expression)
    merged = cast(linopy.LinearExpression, linopy.merge(terms.emission)) if terms.emission else None
    emissions = (merged * w).sum("snapshot") if merged is not None else None
    cap = inputs["emission_cap_t"]
    cap_con = short_t = None
    if bool(np.isfinite(cap).any()) and emissions is not None:
        has_cap = np.isfinite(cap)
        short_t = add_variables(
            m,
            lower=xr.zeros_like(cap),
            upper=xr.where(has_cap, np.inf, 0.0),
            name="emission_shortfall",
        )
        cap_con = m.add_constraints(
            emissions - short_t <= cap.fillna(0), name="emission_cap", mask=has_cap
        )
        terms.add_linear_cost(short_t, penalty)
    short_wh = _min_share(m, inputs, "waste_heat", terms.waste_heat_delivered, terms, penalty)
    short_re = _min_share(m, inputs, "renewable", terms.renewable_heat, terms, penalty)
    return TargetHandles(cap_con, short_t, short_wh, emissions, short_re)


def _min_share(
    m: linopy.Model,
    inputs: xr.Dataset,
    kind: str,
    delivered: list[linopy.LinearExpression],
    terms: BusTerms,
    penalty: xr.DataArray,
) -> linopy.Variable | None:
    """``Σ_t w·delivered + shortfall >= min_<kind>_share · Σ_t w·demand``, the shortfall [MWh]
    priced at ``penalty``; None where the inputs set no such share."""
    share = inputs[f"min_{kind}_share"]
    if not bool(np.isfinite(share).any()):
        return None
    w = inputs["snapshot_weight_h"]
    has_share = np.isfinite(share)
    short = add_variables(
        m,
        lower=xr.zeros_like(share),
        upper=xr.where(has_share, np.inf, 0.0),
        name=f"{kind}_shortfall",
    )
    need = share.fillna(0) * (inputs["heat_demand_mw"] * w).sum(["snapshot", "network"])
    total = (linopy.merge(delivered) * w).sum("snapshot") if delivered else 0
    m.add_constraints(short + total >= need, name=f"min_{kind}_share", mask=has_share)
    terms.add_linear_cost(short, penalty)
    return short
