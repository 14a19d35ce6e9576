"""Raw-biogas stores (gas holders) on the biogas bus, cyclic over the horizon
(restvarme.units._store)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from restvarme.scenario.base import NonNegative, _Store
from restvarme.units._store import store_unit


class BiogasStorage(_Store):
    """Raw-biogas store (gas holder) on the biogas bus; the same balance as ``storage``."""

    type: Literal["biogas_storage"]
    energy_mwh: NonNegative = Field(description="Energy capacity [MWh of methane, LHV].")


UNIT = store_unit("biogas_storage", "biogas", BiogasStorage, "Biogas storage", "#8fbc8f", order=180)
