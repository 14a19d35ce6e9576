"""The electricity side in the PyPSA peer (:mod:`restvarme_peers.pypsa_network`).

Local electricity demand, batteries, PV and wind, and fuel cells, each with the equations of
its restvarme builder (:mod:`restvarme.units.battery`, ``renewable``, ``fuel_cell``,
and the electricity balance of :mod:`restvarme.model.build`); snapshot weight w [h] on every
cost. PyPSA's Link convention: bus0 gives p0, bus i receives efficiency_i · p0.

==============================  ==============================================================
restvarme                       PyPSA
==============================  ==============================================================
local demand d[t] on the        Load ``electricity demand`` on bus ``electricity``,
right-hand side of the          p_set = d[t]
electricity balance
battery: 0 <= C <= C_max,       the thermal store's recipe (:meth:`_Builder.stores`) on bus
0 <= D <= D_max, 0 <= L <= E,   ``electricity``: Store ``<b>`` on bus ``store <b>`` (e_nom = E,
L[t] = (1-λ)^w L[t-1]           cyclic, standing loss λ), Link ``<b> charge`` electricity ->
+ w(η_c C - D/η_d), cost vom·D  store (efficiency η_c, p_nom C_max), Link ``<b> discharge``
                                store -> electricity (efficiency η_d, p_nom D_max/η_d,
                                marginal cost vom·η_d)
PV and wind:                    Generator ``<r>`` on ``electricity``: p_nom = K,
0 <= G <= f[t]·(K + N),         p_max_pu = f[t], p_min_pu = 0 (curtailable), marginal cost vom
cost vom·G
fuel cell: 0 <= P <= K (+ N),   Link ``<f>``: ``hydrogen`` -> ``electricity`` (efficiency η_el)
hydrogen P/η_el, heat           and bus2 ``heat <n>`` (efficiency2 η_th; no bus2 without a
(η_th/η_el)·P into n,           sink), p_nom = K/η_el (p0 is hydrogen, so P <= K),
cost vom·P                      marginal cost vom·η_el
==============================  ==============================================================

Capacity expansion as in :mod:`restvarme_peers.pypsa_network`: s = 1 for PV and wind (p_nom is
the rated MW), 1/η_el for fuel cells (p_nom in hydrogen, restvarme's capacity in electricity),
and batteries as thermal stores (extendable e_nom, links tied to it at ``charge_mw_per_mwh`` by
:func:`restvarme_peers.pypsa_network.extra_functionality`). Nothing here needs further
extra_functionality: every equation above is a plain PyPSA component.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from restvarme_peers.pypsa_network import ELECTRICITY_BUS, _frame, _names, _values
from restvarme_peers.pypsa_sectors import HYDROGEN_BUS

if TYPE_CHECKING:
    from restvarme_peers.pypsa_network import _Builder


def electricity_demand(b: _Builder) -> None:
    """Local electricity demand: the electricity balance's right-hand side, a Load."""
    if "electricity_demand_mw" not in b.x:
        return
    b.n.add(
        "Load",
        "electricity demand",
        bus=ELECTRICITY_BUS,
        carrier="electricity",
        p_set=b.x["electricity_demand_mw"].to_series().set_axis(b.index),
    )


def batteries(b: _Builder) -> None:
    names = _names(b.x, "battery")
    b.stores("battery", [ELECTRICITY_BUS] * len(names), "stored electricity", "electricity")


def renewables(b: _Builder) -> None:
    """PV and wind (one ``renewable`` dimension): curtailable generators at the capacity
    factor."""
    names = _names(b.x, "renewable")
    if not names:
        return
    x = b.x
    b.n.add(
        "Generator",
        names,
        bus=ELECTRICITY_BUS,
        carrier=[str(k) for k in x["renewable_kind"].values],
        **b.expansion(x, "renewable", "Generator", _values(x["renewable_capacity_mw"])),
        p_max_pu=_frame(x["renewable_capacity_factor"], "renewable", names, b.index),
        p_min_pu=0.0,
        marginal_cost=_values(x["renewable_vom_eur_per_mwh"]),
    )
    for name in names:
        b.output("electricity", name, ("Generator", "p", name, 1.0))


def fuel_cells(b: _Builder) -> None:
    """Fuel cells: hydrogen in (p0), electricity out, heat as a second output."""
    names = _names(b.x, "fuel_cell")
    if not names:
        return
    x = b.x
    eta_el, eta_th = _values(x["fuel_cell_efficiency_el"]), _values(x["fuel_cell_efficiency_heat"])
    sinks = [str(k) for k in x["fuel_cell_sink"].values]
    b.n.add(
        "Link",
        names,
        bus0=HYDROGEN_BUS,
        bus1=ELECTRICITY_BUS,
        bus2=[f"heat {k}" if k else "" for k in sinks],
        carrier="fuel cell",
        efficiency=eta_el,
        efficiency2=np.where([bool(k) for k in sinks], eta_th, 0.0),
        **b.expansion(
            x, "fuel_cell", "Link", _values(x["fuel_cell_capacity_mw"]) / eta_el, 1 / eta_el
        ),
        marginal_cost=_values(x["fuel_cell_vom_eur_per_mwh"]) * eta_el,
    )
    for name, sink in zip(names, sinks, strict=True):
        b.output("electricity", name, ("Link", "p1", name, -1.0))
        b.output("hydrogen", name, ("Link", "p0", name, -1.0))
        if sink:
            b.heat_output(name, ("Link", "p2", name, -1.0))
