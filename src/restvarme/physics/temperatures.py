"""Network temperatures: supply curves, direct use of waste heat, weighted outdoor temperature.

Pure, vectorised functions on temperatures in degrees Celsius; floats, numpy arrays, pandas Series
and xarray DataArrays are accepted.

References
----------
.. [1] S. Frederiksen, S. Werner, "District Heating and Cooling", Studentlitteratur, Lund, 2013.
.. [2] H. Lund, S. Werner, R. Wiltshire, S. Svendsen, J. E. Thorsen, F. Hvelplund,
   B. V. Mathiesen, "4th Generation District Heating (4GDH): Integrating smart thermal grids into
   future sustainable energy systems", Energy 68, 1-11, 2014. doi:10.1016/j.energy.2014.02.089
.. [3] BDEW, VKU, GEODE, "Leitfaden Abwicklung von Standardlastprofilen Gas", Berlin, 2016
   (as implemented in oemof demandlib, https://github.com/oemof/demandlib).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from restvarme.physics.cop import _like_input

__all__ = [
    "BDEW_DAY_WEIGHTS",
    "direct_use_share",
    "supply_temperature_from_curve",
    "weighted_mean_temperature",
]

#: Weights of today, yesterday, two and three days ago in the BDEW weighted temperature [-].
BDEW_DAY_WEIGHTS: tuple[float, ...] = (1.0, 0.5, 0.25, 0.125)


def supply_temperature_from_curve(
    temperature_outdoor_c: Any, curve: Sequence[tuple[float, float]]
) -> Any:
    """Network supply temperature from an outdoor-temperature compensation curve.

    Piecewise-linear between the curve points and held flat beyond the first and last point
    (``np.interp``), the usual shape of a district heating operating curve [1]_.

    Parameters
    ----------
    temperature_outdoor_c : float, array, Series or DataArray
        Outdoor temperature [°C].
    curve : sequence of (outdoor_c, supply_c)
        Curve points [°C], outdoor temperatures strictly increasing, e.g.
        ``[(-14, 100), (10, 70)]`` for 100 °C at -14 °C falling to 70 °C at +10 °C and above.

    Returns
    -------
    Same type as ``temperature_outdoor_c``
        Supply temperature [°C].

    References
    ----------
    .. [1] S. Frederiksen, S. Werner, "District Heating and Cooling", Studentlitteratur, 2013.
    """
    points = np.asarray(curve, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) < 1:
        raise ValueError(
            "curve must be a sequence of (outdoor_c, supply_c) pairs, e.g. [(-14, 100), (10, 70)]."
        )
    if np.any(np.diff(points[:, 0]) <= 0):
        raise ValueError(
            f"curve outdoor temperatures must be strictly increasing, got {points[:, 0].tolist()}; "
            "sort the points from cold to warm."
        )
    supply_c = np.interp(np.asarray(temperature_outdoor_c, dtype=float), points[:, 0], points[:, 1])
    return _like_input(supply_c, temperature_outdoor_c)


def direct_use_share(
    temperature_source_c: Any,
    temperature_supply_c: Any,
    temperature_return_c: Any,
    approach_k: float = 5.0,
) -> Any:
    r"""Share of a network's heat a waste-heat stream can cover through a heat exchanger alone.

    The exchanger can heat the network water up to :math:`T_{source} - \Delta T_{approach}`:

    .. math:: s = \mathrm{clip}\left(\frac{T_{source} - \Delta T - T_{return}}
                                       {T_{supply} - T_{return}}, 0, 1\right)

    which is 1 when the stream reaches supply temperature (direct supply), a fraction when it
    can only preheat the return (the rest must come from a heat pump or another unit), and 0 when
    it is colder than return plus approach.

    Parameters
    ----------
    temperature_source_c : float, array, Series or DataArray
        Waste-heat stream temperature [°C].
    temperature_supply_c : float, array, Series or DataArray
        Network supply temperature [°C].
    temperature_return_c : float, array, Series or DataArray
        Network return temperature [°C], below supply.
    approach_k : float, default 5.0
        Minimum temperature difference across the heat exchanger [K].

    Returns
    -------
    Same type as the inputs
        Share of the network heat the stream can deliver directly [-], in ``[0, 1]``.

    References
    ----------
    .. [1] H. Lund et al., "4th Generation District Heating (4GDH)", Energy 68, 1-11, 2014.
       doi:10.1016/j.energy.2014.02.089
    """
    spread_k = temperature_supply_c - temperature_return_c
    if np.any(np.asarray(spread_k) <= 0):
        raise ValueError(
            "direct_use_share needs temperature_supply_c above temperature_return_c everywhere; "
            "check that supply and return are not swapped."
        )
    preheat_k = temperature_source_c - approach_k - temperature_return_c
    return np.clip(preheat_k / spread_k, 0.0, 1.0)


def weighted_mean_temperature(
    temperature_daily_mean_c: Any, weights: Sequence[float] = BDEW_DAY_WEIGHTS
) -> Any:
    r"""Multi-day weighted daily mean temperature (BDEW geometric series).

    .. math:: \bar T_d = \frac{\sum_i w_i T_{d-i}}{\sum_i w_i},
              \quad w = (1, 0.5, 0.25, 0.125)

    It stands for the thermal inertia of buildings in the BDEW/SigLinDe heat load profiles.
    Before the first day the first day's value is repeated (padding), so day 0 is its own
    value and day 1 is :math:`(1 \cdot T_1 + 0.875 \cdot T_0) / 1.875`. (demandlib instead wraps
    around to the end of the year with ``np.roll``.)

    Parameters
    ----------
    temperature_daily_mean_c : 1-D array, Series or DataArray
        Daily mean outdoor temperatures in time order, one value per day [°C].
    weights : sequence of float, default (1, 0.5, 0.25, 0.125)
        Weights of today, yesterday, ... [-]; normalised to sum 1.

    Returns
    -------
    Same type as ``temperature_daily_mean_c``
        Weighted daily mean temperature [°C].

    References
    ----------
    .. [1] BDEW, VKU, GEODE, "Leitfaden Abwicklung von Standardlastprofilen Gas", 2016.
    """
    days_c = np.asarray(temperature_daily_mean_c, dtype=float)
    weights_arr = np.asarray(weights, dtype=float)
    if days_c.ndim != 1 or days_c.size == 0:
        raise ValueError("temperature_daily_mean_c must be a non-empty 1-D series of daily means.")
    if weights_arr.ndim != 1 or weights_arr.size == 0 or not weights_arr.sum() > 0:
        raise ValueError(
            f"weights must be a non-empty sequence with a positive sum, got {weights}."
        )
    lag = weights_arr.size - 1
    padded_c = np.concatenate([np.full(lag, days_c[0]), days_c])
    weighted_c = np.zeros_like(days_c)
    for i, weight in enumerate(weights_arr):
        weighted_c += weight * padded_c[lag - i : lag - i + days_c.size]
    return _like_input(weighted_c / weights_arr.sum(), temperature_daily_mean_c)
