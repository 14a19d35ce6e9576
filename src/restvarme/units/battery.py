"""Batteries on the electricity bus, cyclic over the horizon (restvarme.units._store)."""

from __future__ import annotations

from restvarme.scenario import schema as s
from restvarme.units._store import store_unit

UNIT = store_unit("battery", "electricity", s.Battery, "Battery", "#f1c40f")
