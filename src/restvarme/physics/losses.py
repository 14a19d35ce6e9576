"""Heat losses of stores and networks.

Pure, vectorised functions; floats, numpy arrays, pandas Series and xarray DataArrays are accepted.

References
----------
.. [1] S. Frederiksen, S. Werner, "District Heating and Cooling", Studentlitteratur, Lund, 2013.
.. [2] H. Lund, S. Werner, R. Wiltshire, S. Svendsen, J. E. Thorsen, F. Hvelplund,
   B. V. Mathiesen, "4th Generation District Heating (4GDH): Integrating smart thermal grids into
   future sustainable energy systems", Energy 68, 1-11, 2014. doi:10.1016/j.energy.2014.02.089
.. [3] T. Brown, J. Hörsch, D. Schlachtberger, "PyPSA: Python for Power System Analysis",
   Journal of Open Research Software 6(1), 4, 2018. doi:10.5334/jors.188
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "network_heat_loss_mw",
    "relative_loss_change",
    "storage_level_after_standing_loss",
]


def storage_level_after_standing_loss(
    level_mwh: Any, standing_loss_per_hour: Any, hours: Any
) -> Any:
    r"""Storage content after standing losses over some hours without charging or discharging.

    .. math:: E(t + h) = E(t) \cdot (1 - \lambda)^h

    the same per-hour standing-loss convention as PyPSA's ``standing_loss`` [1]_.

    Parameters
    ----------
    level_mwh : float, array, Series or DataArray
        Stored energy at the start [MWh].
    standing_loss_per_hour : float, array, Series or DataArray
        Fraction of the content lost per hour [-], in ``[0, 1]``.
    hours : float, array, Series or DataArray
        Duration [h], non-negative; need not be whole hours.

    Returns
    -------
    Same type as the inputs
        Stored energy at the end [MWh].

    References
    ----------
    .. [1] T. Brown, J. Hörsch, D. Schlachtberger, "PyPSA: Python for Power System Analysis",
       J. Open Research Software 6(1), 4, 2018. doi:10.5334/jors.188
    """
    loss = np.asarray(standing_loss_per_hour, dtype=float)
    if np.any((loss < 0) | (loss > 1)):
        raise ValueError(
            "standing_loss_per_hour must be a fraction in [0, 1] (e.g. 0.001 for 0.1 %/h), "
            f"got {standing_loss_per_hour}."
        )
    if np.any(np.asarray(hours, dtype=float) < 0):
        raise ValueError(f"hours must be non-negative, got {hours}.")
    return level_mwh * (1.0 - standing_loss_per_hour) ** hours


def network_heat_loss_mw(
    heat_loss_coefficient_mw_per_k: Any,
    temperature_supply_c: Any,
    temperature_return_c: Any,
    temperature_ground_c: Any,
) -> Any:
    r"""Heat loss of a buried pipe network from its mean water temperature.

    .. math:: \dot Q_{loss} = UA \cdot \max\left(0, \frac{T_s + T_r}{2} - T_{ground}\right)

    A linear (steady-state) model: supply and return pipes together lose heat in proportion to
    the difference between the mean water temperature and the undisturbed ground [1]_.

    Parameters
    ----------
    heat_loss_coefficient_mw_per_k : float, array, Series or DataArray
        Overall heat loss coefficient UA of the network [MW/K].
    temperature_supply_c : float, array, Series or DataArray
        Supply temperature [°C].
    temperature_return_c : float, array, Series or DataArray
        Return temperature [°C].
    temperature_ground_c : float, array, Series or DataArray
        Ground temperature at pipe depth [°C], about 8-10 °C in southern Sweden.

    Returns
    -------
    Same type as the inputs
        Heat loss [MW], never negative.

    References
    ----------
    .. [1] S. Frederiksen, S. Werner, "District Heating and Cooling", Studentlitteratur, 2013.
    """
    temperature_mean_c = (temperature_supply_c + temperature_return_c) / 2.0
    return heat_loss_coefficient_mw_per_k * np.maximum(
        temperature_mean_c - temperature_ground_c, 0.0
    )


def relative_loss_change(
    mean_temperature_old_c: Any, mean_temperature_new_c: Any, temperature_ground_c: Any
) -> Any:
    r"""Ratio of network heat losses after and before a change of mean water temperature.

    With the linear loss model of :func:`network_heat_loss_mw` and unchanged pipes:

    .. math:: \frac{\dot Q_{new}}{\dot Q_{old}} =
              \frac{\max(0, T_{m,new} - T_{ground})}{T_{m,old} - T_{ground}}

    so ``1 - ratio`` is the fractional cut. Lowering the mean by 20 K from 80 °C against 9 °C
    ground gives ``51 / 71 = 0.72``, a cut of 28 %, in line with the "about 25-30 %" quoted for a
    20 K lower mean temperature [2]_; 4th-generation temperature levels are from [1]_.

    Parameters
    ----------
    mean_temperature_old_c : float, array, Series or DataArray
        Mean of supply and return before the change [°C], above ground temperature.
    mean_temperature_new_c : float, array, Series or DataArray
        Mean of supply and return after the change [°C].
    temperature_ground_c : float, array, Series or DataArray
        Ground temperature [°C].

    Returns
    -------
    Same type as the inputs
        Loss ratio new / old [-] (not the change itself: 0.72 means 28 % less).

    References
    ----------
    .. [1] H. Lund et al., "4th Generation District Heating (4GDH)", Energy 68, 1-11, 2014.
       doi:10.1016/j.energy.2014.02.089
    .. [2] vicus-software.com, district heating network temperatures (web page, as gathered in
       examples/REFERENCE_CITIES.md).
    """
    excess_old_k = mean_temperature_old_c - temperature_ground_c
    if np.any(np.asarray(excess_old_k) <= 0):
        raise ValueError(
            "relative_loss_change needs mean_temperature_old_c above temperature_ground_c "
            "(the old losses must be positive to form a ratio)."
        )
    return np.maximum(mean_temperature_new_c - temperature_ground_c, 0.0) / excess_old_k
