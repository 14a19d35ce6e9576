"""Raw-biogas stores (gas holders) on the biogas bus, cyclic over the horizon
(restvarme.units._store)."""

from __future__ import annotations

from restvarme.scenario import schema as s
from restvarme.units._store import store_unit

UNIT = store_unit("biogas_storage", "biogas", s.BiogasStorage, "Biogas storage", "#8fbc8f")
