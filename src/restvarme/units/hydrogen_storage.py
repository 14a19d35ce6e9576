"""Hydrogen stores (tanks, caverns) on the hydrogen bus, cyclic over the horizon
(restvarme.units._store)."""

from __future__ import annotations

from restvarme.scenario import schema as s
from restvarme.units._store import store_unit

UNIT = store_unit("hydrogen_storage", "hydrogen", s.HydrogenStorage, "Hydrogen storage", "#7fb3d5")
