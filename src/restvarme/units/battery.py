"""Batteries on the electricity bus, cyclic over the horizon (restvarme.units._store)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from restvarme.scenario.base import Efficiency, StorageExpansion, _Store
from restvarme.units._store import store_unit

BATTERY_EFFICIENCY = 0.92
"""Default charge and discharge efficiency of a battery [-]: 0.92² = 0.85 round trip, the
round-trip efficiency of utility-scale lithium-ion storage in NREL's Annual Technology Baseline
(Cole, Ramasamy & Turan 2023, Cost Projections for Utility-Scale Battery Storage: 2023 Update,
NREL/TP-6A40-85332)."""


class Battery(_Store):
    """Battery on the electricity bus; the balance of ``storage``, cyclic over the horizon.

    level[t] = level[t-1]·(1 - standing_loss_per_hour) + efficiency_charge·charge[t]
               - discharge[t]/efficiency_discharge. ``vom_eur_per_mwh`` is per MWh discharged.
    """

    type: Literal["battery"]
    efficiency_charge: Efficiency = Field(BATTERY_EFFICIENCY, description="Stored per taken [-].")
    efficiency_discharge: Efficiency = Field(
        BATTERY_EFFICIENCY, description="Given back per stored [-]."
    )
    expansion: StorageExpansion | None = Field(None, description="Make the battery extendable.")


UNIT = store_unit("battery", "electricity", Battery, "Battery", "#f1c40f", order=140)
