"""Hydrogen stores (tanks, caverns) on the hydrogen bus, cyclic over the horizon
(restvarme.units._store)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from restvarme.scenario.base import NonNegative, _Store
from restvarme.units._store import store_unit


class HydrogenStorage(_Store):
    """Hydrogen store (tank or cavern) on the hydrogen bus; the same balance as ``storage``."""

    type: Literal["hydrogen_storage"]
    energy_mwh: NonNegative = Field(description="Energy capacity [MWh of H2, LHV].")


UNIT = store_unit(
    "hydrogen_storage", "hydrogen", HydrogenStorage, "Hydrogen storage", "#7fb3d5", order=130
)
