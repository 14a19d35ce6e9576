"""The :class:`UnitType` a unit module declares as its ``UNIT`` (see
:mod:`restvarme.units.registry` for what each field means).

It lives apart from the registry so that a unit module can be imported on its own, before the
registry: :mod:`restvarme.units.registry` imports every unit module when it is loaded, and a unit
module importing ``UnitType`` from there would find itself half-initialised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import linopy
import xarray as xr

from restvarme._dataset import labelled

if TYPE_CHECKING:
    from restvarme.inputs.context import UnitInputs
    from restvarme.model.buses import BusTerms
    from restvarme.model.capacity import CapacityKind
    from restvarme.units.ports import Ports

__all__ = ["Reference", "Requires", "UnitType"]


@dataclass(frozen=True)
class Reference:
    """A key of a unit's spec that names something elsewhere in the scenario; checked, with the
    key path of the offending entry, when the scenario is loaded
    (:mod:`restvarme.scenario.references`)."""

    key: str
    """The spec's attribute (``sink``, ``source``, ...); a unit whose value is None is skipped."""
    to: str
    """What it must name: ``network`` or ``heat_network`` (a heat network; the two differ only in
    the wording of the error), ``cooling_network``, ``waste_heat`` (a waste_heat source),
    ``heat_source`` (waste_heat, ambient or ``air``), ``ambient`` (ambient or ``air``),
    ``driving_heat`` (a heat network or a waste_heat source) or ``fuel`` (a key of ``fuels``, or
    ``biogas`` from the biogas bus)."""
    takes_heat: bool = False
    """The unit draws heat from what it names: it is a route for a waste_heat source, and where
    only a waste_heat source may be named, ambient heat is refused as needing a heat pump."""


@dataclass(frozen=True)
class Requires:
    """A scenario section a unit type needs, its bus: ``hydrogen`` or ``biogas``."""

    section: str
    message: str | None = None
    """The error when the section is missing, with ``{type}`` and ``{name}`` (the unit's) filled
    in; default: :mod:`restvarme.scenario.references`' message for the section."""


@dataclass(frozen=True)
class UnitType:
    """One unit type (see :mod:`restvarme.units.registry`)."""

    name: str
    specs: tuple[type, ...]
    build: Callable[[linopy.Model, xr.Dataset, BusTerms], Ports]
    capacity: CapacityKind
    label: str
    colour: str
    order: int = 1000
    """Where the type is built among the others (ascending; ties by name). The established types
    keep the order they always had (10, 20, ...), so the LP's columns, and with them the vertex
    HiGHS finds among equal optima, stay the same; a new type goes after them by default."""
    cogeneration: bool = False
    type_labels: Callable[[xr.Dataset], xr.DataArray] | None = None
    """The results' ``unit_type`` of each unit, where it differs from ``name``."""
    inputs: Callable[[UnitInputs, list], dict[str, xr.DataArray]] | None = None
    """Builds the type's parameters and hourly physics (named ``<name>_<what>``) from its units'
    specs and the state the types share (:class:`restvarme.inputs.context.UnitInputs`); called
    only for types the scenario has units of: a type without units has no inputs."""

    finite_limits: Callable[[xr.Dataset], dict[str, xr.DataArray]] | None = None
    """Its hourly limits with the unlimited hours capped at a bound the model applies anyway
    (a heat exchanger's at its source's availability), by input name: the hourly problem is the
    same, but the mean over a block of hours stays finite. :mod:`restvarme.inputs.aggregate`
    replaces these inputs before averaging hours, for every type with units that declares it."""
    capacity_limits: Callable[[xr.Dataset], dict[str, xr.DataArray]] | None = None
    """Its inputs set by its capacity (:attr:`CapacityKind.limits`, e.g. a heat exchanger's
    hourly ``max_mw``) recomputed from the capacity inputs as they stand, by input name. The
    myopic run (:mod:`restvarme.myopic`) calls it, for every type with units that declares it,
    after adding the capacity built in earlier periods."""

    references: tuple[Reference, ...] = ()
    """The keys of its spec that name networks, sources or fuels, in the order they are checked."""
    requires: tuple[Requires, ...] = ()
    """The scenario sections (buses) its units need."""

    def present(self, inputs: xr.Dataset) -> bool:
        """Whether the inputs hold any unit of this type."""
        return self.name in inputs.sizes and inputs.sizes[self.name] > 0

    def labels(self, inputs: xr.Dataset) -> xr.DataArray:
        """``unit_type`` of each unit of the type, a DataArray of strings on its dimension."""
        if self.type_labels is not None:
            return self.type_labels(inputs)
        names = inputs[self.name].values
        return labelled([self.name] * len(names), {self.name: names})
