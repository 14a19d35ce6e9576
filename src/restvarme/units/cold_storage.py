"""Cold storage (chilled water or ice) on a cooling network, cyclic over the horizon.

Ice stores are daily stores; their lower evaporating temperature while charging can be
represented by ``efficiency_charge`` < 1 (restvarme.units._store).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from restvarme.scenario.base import NonNegative, _Store
from restvarme.units._store import store_unit


class ColdStorage(_Store):
    """Cold store (chilled water or ice) on a cooling network; the same balance as ``storage``."""

    type: Literal["cold_storage"]
    network: str = Field(description="Cooling network it charges from and discharges to.")
    medium: Literal["water", "ice"] = Field("water", description="Stored medium (for reports).")
    energy_mwh: NonNegative = Field(description="Energy capacity [MWh of cooling].")


UNIT = store_unit(
    "cold_storage",
    "cooling",
    ColdStorage,
    "Cold storage",
    "#5dade2",
    labels=("medium",),
    order=100,
)
