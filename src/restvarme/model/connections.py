"""Electricity connections: units behind their own meter, with their own fees and emission rule.

Each connection c (:mod:`restvarme.scenario.groups`) buys I[t,c] and sells X[t,c] at spot. The
units behind it exchange electricity through it only::

    I[t,c] - X[t,c] + Σ_u∈c electricity[t,u] = 0                    (the meter's balance)
    0 <= I[t,c] <= import limit[c],   0 <= X[t,c] <= export limit[c]

and the meter feeds the main electricity balance with I - X. Since every unit's electricity is
also in the main balance, the two together make the units behind c a bus of their own: the main
balance then holds only the units behind the main connection (the ``electricity`` keys).

Cost, Σ_t w[t]·[(spot[t] + fee[c])·I[t,c] - spot[t]·X[t,c]], plus the peak fee
``peak fee[c] · P[c] · years`` on the year's peak import ``P[c] >= I[t,c]`` (``years``: the
horizon's share of a year, times the discounted years of each period in pathways, as for
capacity). Grid emissions, for the targets and at the carbon price, by the connection's rule::

    net:    e[t] · I[t,c]                     (what the meter buys, as the main connection)
    gross:  e[t] · G[t,c],   G[t,c] = Σ_u∈c negative part of electricity[t,u]

``G`` is the electricity the units behind the meter use, not netted against what others
behind it generate (a CHP covering a heat pump on the same meter): the rule of many Nordic
district-heating emission reports.

In the elastic build that explains an infeasible model (:mod:`restvarme.model.diagnose`) the
limits become constraints with a priced excess, ``I <= import limit + E_in`` and
``X <= export limit + E_out`` (``X`` then always exists): a meter whose limit the units behind
it cannot stay within is then named with its hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from restvarme.errors import Problem, ScenarioError
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import horizon_years, static
from restvarme.model.diagnose import add_excess
from restvarme.model.groups import signed_part
from restvarme.model.linear import Term, _expression, add_variables, assemble, sum_units, to_buses
from restvarme.units.ports import Ports

DIM = "connection"


@dataclass(frozen=True)
class Connections:
    """Handles of the connections' variables and balances."""

    import_mw: linopy.Variable
    """I[t,c] [MW]."""
    export_mw: linopy.Variable | None
    """X[t,c] [MW]; None when no connection may export."""
    units_mw: linopy.LinearExpression
    """Σ_u∈c electricity[t,u] [MW], signed as the ports (produced positive)."""
    gross_use_mw: linopy.LinearExpression
    """G[t,c] [MW], electricity used by the units behind c."""
    peak_mw: linopy.Variable | None
    """P[c] (P[period, c] in pathways) [MW]; None when no connection has a peak fee."""
    balance: linopy.Constraint
    import_excess_mw: linopy.Variable | None = None
    """E_in[t,c] [MW], import above the limit; only in elastic builds (diagnosis), else None."""
    export_excess_mw: linopy.Variable | None = None
    """E_out[t,c] [MW], export above the limit; only in elastic builds, else None."""


def _labels(inputs: xr.Dataset, ports: Ports) -> xr.DataArray:
    """The connection each unit of a type is behind ("" for the main connection)."""
    order = [str(u) for u in static(inputs, "unit_order").values]
    member = static(inputs, "connection_member").transpose(DIM, "unit").values
    names = [str(u) for u in inputs[ports.dim].values]
    behind = member[:, [order.index(n) for n in names]]
    label = np.where(behind.any(axis=0), inputs[DIM].values[behind.argmax(axis=0)], "")
    return xr.DataArray(label, coords={ports.dim: names}, dims=ports.dim)


def _electricity(
    inputs: xr.Dataset, units: Mapping[str, Ports], m: linopy.Model, sign: float | None
) -> linopy.LinearExpression:
    """Σ_u∈c of the units' electricity [MW]: signed (``sign`` None) or its part of ``sign``."""
    parts: list[Term] = []
    for ports in units.values():
        flow = ports.flows.get("electricity")
        if flow is None:
            continue
        labels = _labels(inputs, ports)
        if not bool((labels != "").any()):
            continue
        term = flow.term if sign is None else signed_part(flow, sign)
        coeff = flow.coeff if sign is None else 1.0
        parts.append(to_buses(term, labels, inputs[DIM], coeff))
    like = inputs["snapshot_weight_h"]
    coords = {**{d: like.indexes[d] for d in like.dims}, DIM: inputs[DIM].to_index()}
    if not parts:  # no unit behind any connection has an electricity port: no term
        shape = (*like.shape, inputs.sizes[DIM], 1)
        empty = np.full(shape, -1, dtype=np.int64)
        return _expression(m, empty, np.zeros(shape), None, (*like.dims, DIM), coords)
    return assemble(m, parts, coords)


def _check_used(inputs: xr.Dataset, units: Mapping[str, Ports]) -> None:
    """Every connection has a unit with an electricity flow behind it, or a located error: a
    meter nobody draws through or feeds (only boilers behind it, say) would carry its fee and
    rule to nothing."""
    electric = {
        str(name)
        for ports in units.values()
        if "electricity" in ports.flows
        for name in inputs[ports.dim].values
    }
    order = [str(u) for u in static(inputs, "unit_order").values]
    member = static(inputs, "connection_member").transpose(DIM, "unit").values
    problems = []
    for c, conn in enumerate(inputs[DIM].values):
        behind = [order[i] for i in np.flatnonzero(member[c])]
        if behind and not electric.intersection(behind):
            problems.append(
                Problem(
                    f"no unit behind connection {str(conn)!r} uses or makes electricity "
                    f"(behind it: {', '.join(behind)}); expected at least one "
                    "unit with an electricity flow (a heat pump, an electric boiler, a CHP, "
                    "...), or remove the connection",
                    ("electricity", "connections", str(conn), "units"),
                )
            )
    if problems:
        raise ScenarioError(problems)


def add_connections(
    m: linopy.Model,
    inputs: xr.Dataset,
    terms: BusTerms,
    units: Mapping[str, Ports],
    *,
    elastic: bool = False,
) -> Connections | None:
    """The connections' meters, costs and emissions (see the module docstring); None without
    connections, so a scenario without them is built exactly as before. ``elastic``: the
    limits with a priced excess (diagnosis only)."""
    if DIM not in inputs.dims or inputs.sizes[DIM] == 0:
        return None
    _check_used(inputs, units)
    w, spot = inputs["cost_weight"], inputs["electricity_price_eur_per_mwh"]
    factor, carbon = inputs["electricity_emission_t_per_mwh"], inputs["carbon_price_eur_per_t"]
    like = (spot * xr.zeros_like(inputs[DIM], dtype=float)).broadcast_like(
        inputs["snapshot_weight_h"]
    )
    cap_in = inputs["connection_import_capacity_mw"]
    cap_out = inputs["connection_export_capacity_mw"]
    bought, in_excess = _limited(m, inputs, terms, like, cap_in, "connection_import", elastic)
    gross = static(inputs, "connection_gross")
    units_mw = _electricity(inputs, units, m, None)
    use = _electricity(inputs, units, m, -1.0)
    exchange = sum_units(bought, DIM)
    meter = bought + units_mw
    sold = out_excess = None
    if elastic or bool((cap_out > 0).any()):
        sold, out_excess = _limited(m, inputs, terms, like, cap_out, "connection_export", elastic)
        meter = meter - sold
        exchange = exchange - sum_units(sold, DIM)
        terms.add_linear_cost(sold, -spot * w)
    balance = m.add_constraints(meter == 0, name="connection_balance")
    terms.add_electricity(exchange)
    net_price = spot + inputs["connection_fee_eur_per_mwh"] + carbon * factor * (~gross)
    terms.add_linear_cost(bought, net_price * w)
    if bool(gross.any()) and float(carbon.max()) > 0:
        terms.add_linear_cost(use, carbon * factor * gross * w)
    terms.add_emission(
        lambda: (bought * (factor * ~gross)).sum(DIM) + (use * (factor * gross)).sum(DIM)
    )
    peak = _add_peak(m, inputs, terms, bought)
    return Connections(bought, sold, units_mw, use, peak, balance, in_excess, out_excess)


def _limited(
    m: linopy.Model,
    inputs: xr.Dataset,
    terms: BusTerms,
    like: xr.DataArray,
    limit: xr.DataArray,
    name: str,
    elastic: bool,
) -> tuple[linopy.Variable, linopy.Variable | None]:
    """A flow ``0 <= V[t,c] <= limit[c]`` [MW]: a bound, or in elastic builds the constraint
    ``V - E <= limit`` with a priced excess E (returned second, else None)."""
    if not elastic:
        return add_variables(m, lower=0, upper=xr.zeros_like(like) + limit, name=name), None
    flow = add_variables(m, lower=0, coords=like.coords, name=name)
    excess = add_excess(m, inputs, terms, like, f"{name}_excess")
    bounded = (xr.ones_like(like, dtype=bool) & np.isfinite(limit)).transpose(*like.dims)
    rhs = limit.where(bounded, 0.0)
    m.add_constraints(flow - excess <= rhs, name=f"{name}_limit", mask=bounded)
    return flow, excess


def _add_peak(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms, bought: linopy.Variable
) -> linopy.Variable | None:
    """P[c] >= I[t,c] where the connection has a peak fee, and its cost fee · P · years."""
    fee = inputs["connection_peak_fee_eur_per_mw_year"]
    charged = fee > 0
    if not bool(charged.any()):
        return None
    coords = [inputs[DIM].to_index()]
    if "period" in inputs.dims:
        coords = [inputs["period"].to_index(), *coords]
    peak = add_variables(m, lower=0, coords=coords, name="connection_peak_import")
    mask = charged.broadcast_like(bought.labels)
    m.add_constraints(bought - peak <= 0, name="connection_peak", mask=mask)
    years: float | xr.DataArray = horizon_years(inputs)
    if "period" in inputs.dims:
        years = inputs["period_discounted_years"] * years
    terms.add_linear_cost(peak, fee * years)
    return peak
