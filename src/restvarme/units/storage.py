"""Thermal storage on a heat network (tank or pit), cyclic over the horizon; seasonal over
typical days (restvarme.units._store)."""

from __future__ import annotations

from restvarme.scenario import schema as s
from restvarme.units._store import store_unit

UNIT = store_unit("storage", "heat", s.Storage, "Storage", "#e7b416", seasonal=True)
