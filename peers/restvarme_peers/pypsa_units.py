"""Which PyPSA mapper translates each restvarme unit type: one table over the unit registry.

:func:`restvarme_peers.pypsa_network.to_pypsa` first adds what is not a unit (:data:`SYSTEM_STEPS`:
the buses with their demand, slack, grid and waste-heat sources, fleets), then walks
:data:`restvarme.units.registry.REGISTRY` in its order and, for each type the inputs hold,
calls ``MAPPERS[type name](builder)``. A type the inputs hold that has no mapper is refused
before anything is built, with an error naming the type (:func:`check_unit_types`). A new unit
module therefore cannot slip through the cross-check unmapped: it is either given a mapper here
or listed in :data:`REFUSED` with the reason, and ``tests/peers/test_pypsa_units.py`` checks that
every registered type is one or the other.

Each mapper adds all units of its type to the network being built (one vectorised ``n.add`` per
component kind) and records how to read their flows and new capacity; the equations are in the
module docstrings of :mod:`restvarme_peers.pypsa_network` (heat),
:mod:`~restvarme_peers.pypsa_sectors` (cooling and hydrogen),
:mod:`~restvarme_peers.pypsa_electricity` and :mod:`~restvarme_peers.pypsa_biogas`.
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

from restvarme.units.registry import REGISTRY
from restvarme_peers import pypsa_biogas as biogas
from restvarme_peers import pypsa_electricity as electricity
from restvarme_peers import pypsa_sectors as sectors
from restvarme_peers.pypsa_network import _Builder

__all__ = ["MAPPERS", "REFUSED", "SYSTEM_STEPS", "check_unit_types", "map_units"]

Mapper = Callable[[_Builder], None]


def _boilers(b: _Builder) -> None:
    """Fuel boilers as Generators; those burning biogas from the biogas bus then as Links."""
    b.boilers()
    biogas.biogas_boilers(b)


def _chps(b: _Builder) -> None:
    """CHPs on their fuel buses; those burning biogas then drawing from the biogas bus."""
    b.chps()
    biogas.biogas_chps(b)


SYSTEM_STEPS: tuple[Mapper, ...] = (
    _Builder.buses,
    _Builder.demand,
    _Builder.grid,
    _Builder.waste_heat,
    sectors.cooling_networks,
    sectors.hydrogen_bus,
    electricity.electricity_demand,
    biogas.biogas_bus,
    biogas.fleets,
)
"""What ``to_pypsa`` adds before any unit: every bus a unit may connect to, with its demand,
slack, grid connection and sources, and the transport fleets (loads on those buses)."""

MAPPERS: dict[str, Mapper] = {
    "heat_pump": _Builder.heat_pumps,
    "heat_exchanger": _Builder.heat_exchangers,
    "chp": _chps,
    "boiler": _boilers,
    "electric_boiler": _Builder.electric_boilers,
    "storage": _Builder.storage,
    "chiller": sectors.chillers,
    "free_cooling": sectors.free_cooling,
    "absorption_chiller": sectors.absorption_chillers,
    "cold_storage": sectors.cold_storage,
    "heat_recovery_heat_pump": sectors.heat_recovery_heat_pumps,
    "electrolyser": sectors.electrolysers,
    "hydrogen_storage": sectors.hydrogen_storage,
    "battery": electricity.batteries,
    "renewable": electricity.renewables,
    "fuel_cell": electricity.fuel_cells,
    "biogas_upgrading": biogas.biogas_upgrading,
    "biogas_storage": biogas.biogas_storage,
    "solar_thermal": _Builder.solar_thermal,
}
"""The mapper of each unit type, by its registry name (:attr:`UnitType.name`, the type's
dimension in the inputs)."""

REFUSED: dict[str, str] = {}
"""Registered unit types the peer deliberately does not map, with the reason given in the
error (none at present); inputs holding one of them are refused, so scenarios with it stay out
of the cross-check."""


def _present(inputs: xr.Dataset) -> list[str]:
    """Unit types the inputs hold: every registered type with units, and any other dimension
    carrying ``<dim>_extendable`` (as every unit type's inputs do), e.g. inputs written by a
    restvarme with a type this one does not register."""
    registered = [name for name, t in REGISTRY.items() if t.present(inputs)]
    suffix = "_extendable"
    other = [
        str(k)[: -len(suffix)]
        for k in inputs.data_vars
        if str(k).endswith(suffix)
        and str(k)[: -len(suffix)] not in REGISTRY
        and str(k)[: -len(suffix)] != "capacity_group"  # not a unit type: pypsa_groups
    ]
    return registered + [d for d in other if inputs.sizes.get(d, 0) > 0]


def check_unit_types(inputs: xr.Dataset) -> None:
    """Refuse inputs holding a unit type without a mapper, naming the type (and the reason
    where :data:`REFUSED` gives one)."""
    for name in _present(inputs):
        if name in MAPPERS:
            continue
        why = REFUSED.get(name, "no mapper in restvarme_peers.pypsa_units.MAPPERS")
        raise ValueError(
            f"to_pypsa cannot translate unit type '{name}' to PyPSA: {why}. Leave its units "
            "out of the cross-check."
        )


def map_units(b: _Builder) -> None:
    """Add the units of every type the inputs hold, in the registry's order (the inputs
    passed :func:`check_unit_types` first)."""
    for name, unit_type in REGISTRY.items():
        if unit_type.present(b.x):
            MAPPERS[name](b)
