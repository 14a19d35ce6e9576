"""Unit types, one module each, registered in :mod:`restvarme.units.registry`.

A module declares its type's equations (``build`` returning
:class:`~restvarme.units.ports.Ports`), its capacity kind, its label and colour, and its
scenario spec as one :class:`~restvarme.units.unit_type.UnitType` named ``UNIT``. See
``docs/contributing.md`` for how a type is laid out.
"""
