"""What a unit type's input builder sees (:attr:`restvarme.units.unit_type.UnitType.inputs`).

:func:`restvarme.inputs.build.build_inputs` computes, once, what several types need (outdoor
temperature, each heat and cooling network's temperatures and load, each waste-heat stream's
temperature, the temperature of every place heat is taken from) and hands it to every type's
builder together with a reader of the scenario's series, so that a type's parameters and hourly
physics are built in its own module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd
import xarray as xr

if TYPE_CHECKING:
    from restvarme.errors import ScenarioError
    from restvarme.scenario.base import Series

__all__ = ["SeriesReader", "UnitInputs"]


class SeriesReader(Protocol):
    """What :attr:`UnitInputs.read` is (see there)."""

    def __call__(
        self,
        value: Series,
        *path: str | int,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> np.ndarray: ...

    def problem(self, message: str, *path: str | int) -> ScenarioError: ...


@dataclass(frozen=True)
class UnitInputs:
    """The scenario and the hourly state every unit type's input builder may use."""

    scenario: Any
    """The validated :class:`restvarme.scenario.schema.Scenario`."""
    read: SeriesReader
    """``read(value, *key_path, minimum=None, maximum=None)``: a series value (constant or CSV)
    as an array over the snapshots; errors name the file, line and key path. Its ``problem(
    message, *key_path)`` makes a located error of the scenario."""
    index: pd.DatetimeIndex
    """The snapshots."""
    outdoor_c: np.ndarray
    """Outdoor temperature [°C] per snapshot."""
    networks: Mapping[str, xr.DataArray]
    """``supply_temperature_c``, ``return_temperature_c`` [°C] and ``heat_demand_mw`` [MW],
    dims (snapshot, network)."""
    waste_temperature_c: xr.DataArray
    """Temperature of each waste-heat stream [°C], dims (snapshot, waste_source)."""
    cooling_networks: Mapping[str, xr.DataArray]
    """``cooling_supply_temperature_c``, ``cooling_return_temperature_c`` [°C] and
    ``cooling_demand_mw`` [MW], dims (snapshot, cooling_network)."""
    source_temperature_c: Callable[[str], np.ndarray]
    """``source_temperature_c(name)``: temperature [°C] per snapshot of a waste_heat source, an
    ambient source (read once) or the built-in ``air`` (the outdoor temperature)."""

    def position(self, unit: Any) -> int:
        """The unit's index in the scenario's ``units`` list (for a key path in an error)."""
        return next(i for i, u in enumerate(self.scenario.units) if u.name == unit.name)
