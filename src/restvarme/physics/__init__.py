"""Pure physics functions: heat-pump COP, network temperatures, heat losses.

No I/O and no optimisation model here; everything is a vectorised function of floats, numpy
arrays, pandas Series or xarray DataArrays. Temperatures are in °C at every interface.
"""

from restvarme.physics.cop import (
    carnot_cop_heating,
    carnot_eer_cooling,
    chiller_eer,
    heat_pump_cop,
    logarithmic_mean_temperature_k,
    lorenz_cop_heating,
)
from restvarme.physics.losses import (
    network_heat_loss_mw,
    relative_loss_change,
    storage_level_after_standing_loss,
)
from restvarme.physics.temperatures import (
    BDEW_DAY_WEIGHTS,
    direct_use_share,
    supply_temperature_from_curve,
    weighted_mean_temperature,
)

__all__ = [
    "BDEW_DAY_WEIGHTS",
    "carnot_cop_heating",
    "carnot_eer_cooling",
    "chiller_eer",
    "direct_use_share",
    "heat_pump_cop",
    "logarithmic_mean_temperature_k",
    "lorenz_cop_heating",
    "network_heat_loss_mw",
    "relative_loss_change",
    "storage_level_after_standing_loss",
    "supply_temperature_from_curve",
    "weighted_mean_temperature",
]
