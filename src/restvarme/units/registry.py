"""The registry of unit types: each type is one module of :mod:`restvarme.units` that declares a
:class:`UnitType`; the inputs, the model, the results and the accounting iterate
:data:`REGISTRY` and never name a type.

A :class:`UnitType` says, in one place, what the rest of restvarme needs to know of a type:

* ``name``: its dimension in the inputs and the model (``heat_pump``), and the results'
  ``unit_type`` of its units (``type_labels`` for a dimension holding several scenario types,
  as ``renewable`` holds ``pv`` and ``wind``);
* ``specs``: its pydantic model(s) in the scenario file;
* ``inputs``: builds its parameters and hourly physics from its units' specs
  (:class:`restvarme.inputs.context.UnitInputs`);
* ``build``: adds its variables and constraints for all its units at once and returns its
  :class:`~restvarme.units.ports.Ports`;
* ``capacity``: what is rated and what grows when it is extended
  (:class:`restvarme.model.capacity.CapacityKind`);
* ``cogeneration``: whether its fuel is split between heat and power by a CHP allocation method
  in the accounting (otherwise a unit's emissions go to its outputs in proportion to their
  energy);
* ``label`` and ``colour``: how reports name and draw it.
"""

from __future__ import annotations

import importlib
import pkgutil

from restvarme.units.unit_type import UnitType

__all__ = ["REGISTRY", "UnitType", "unit_type_of", "unit_types"]


_NOT_TYPES = frozenset({"registry", "ports", "unit_type"})


def _load() -> dict[str, UnitType]:
    """Every module of :mod:`restvarme.units` that declares a ``UNIT``, by its ``order`` (then
    name). A new unit type is one new module."""
    import restvarme.units as package

    found = sorted(
        m.name
        for m in pkgutil.iter_modules(package.__path__)
        if not m.name.startswith("_") and m.name not in _NOT_TYPES
    )
    types = [importlib.import_module(f"restvarme.units.{name}").UNIT for name in found]
    return {t.name: t for t in sorted(types, key=lambda t: (t.order, t.name))}


REGISTRY: dict[str, UnitType] = _load()
"""Every unit type by its dimension name, in build order (the order of the model's columns)."""


def unit_types() -> list[UnitType]:
    """Every unit type, in build order."""
    return list(REGISTRY.values())


def unit_type_of(type_label: str) -> UnitType | None:
    """The unit type whose units carry ``type_label`` as their results ``unit_type`` (e.g. the
    ``renewable`` type for ``pv``), None if none does."""
    for t in REGISTRY.values():
        if type_label == t.name or any(type_label == _literal(s) for s in t.specs):
            return t
    return None


def _literal(spec: type) -> str | None:
    """The ``type`` string a scenario spec class declares (its Literal default)."""
    field = getattr(spec, "model_fields", {}).get("type")
    args = getattr(field.annotation, "__args__", ()) if field is not None else ()
    return str(args[0]) if args else None
