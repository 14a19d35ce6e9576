"""Thermal storage on a heat network (tank or pit), cyclic over the horizon; seasonal over
typical days (restvarme.units._store)."""

from __future__ import annotations

from typing import Literal

from restvarme.scenario.base import _Store
from restvarme.units._store import store_unit


class Storage(_Store):
    """Thermal store on a heat network (tank or pit).

    level[t] = level[t-1]·(1 - standing_loss_per_hour) + efficiency_charge·charge[t]
               - discharge[t]/efficiency_discharge, cyclic over the horizon.
    """

    type: Literal["storage"]
    network: str


UNIT = store_unit("storage", "heat", Storage, "Storage", "#e7b416", seasonal=True, order=60)
