"""Cold storage (chilled water or ice) on a cooling network, cyclic over the horizon.

Ice stores are daily stores; their lower evaporating temperature while charging can be
represented by ``efficiency_charge`` < 1 (restvarme.units._store).
"""

from __future__ import annotations

from restvarme.scenario import schema as s
from restvarme.units._store import store_unit

UNIT = store_unit("cold_storage", "cooling", s.ColdStorage, "Cold storage", "#5dade2")
