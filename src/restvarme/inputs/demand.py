"""Hourly heat demand profiles from outdoor temperature.

Two methods, both returning normalised weights (one per time stamp, summing to 1) that
:func:`heat_demand_mw` scales by an annual energy:

- :func:`degree_hour_profile`: space heating proportional to degree hours below a heating limit,
  plus a flat hot-water share.
- :func:`bdew_sigmoid_profile`: the German BDEW/SigLinDe standard load profile sigmoid on a
  4-day weighted daily mean temperature, spread over each day with an intraday shape.

:func:`network_loss_mw` adds what the network loses on the way: the hourly heat loss of its pipes
from its temperatures (a scenario's ``heat_loss``), part of the load the units must cover.

References
----------
.. [1] BDEW, VKU, GEODE, "Leitfaden Abwicklung von Standardlastprofilen Gas", Berlin, 2016.
.. [2] M. Hellwig, "Entwicklung und Anwendung parametrisierter Standard-Lastprofile",
   PhD thesis, Technische Universität München, 2003.
.. [3] oemof developer group, demandlib (BDEW heat profiles),
   https://github.com/oemof/demandlib
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from restvarme.physics.losses import (
    calibrated_heat_loss_coefficient_mw_per_k,
    heat_loss_coefficient_mw_per_k,
    loss_share_of_delivered,
    network_heat_loss_mw,
)
from restvarme.physics.temperatures import BDEW_DAY_WEIGHTS, weighted_mean_temperature

__all__ = [
    "INTRADAY_SHAPE_RESIDENTIAL",
    "MULTI_FAMILY",
    "SINGLE_FAMILY",
    "SigmoidCoefficients",
    "bdew_sigmoid_factor",
    "bdew_sigmoid_profile",
    "cooling_degree_hour_profile",
    "degree_hour_profile",
    "heat_demand_mw",
    "network_loss_mw",
]


@dataclass(frozen=True)
class SigmoidCoefficients:
    """Coefficients of the BDEW sigmoid ``h = A / (1 + (B / (T - T0))**C) + D``.

    ``A``, ``C`` and ``D`` are dimensionless, ``B`` and ``T0`` in [°C]. ``D`` is the
    temperature-independent base (mainly hot water).
    """

    name: str
    a: float
    b: float
    c: float
    d: float
    theta_0_c: float = 40.0


#: Multi-family houses (BDEW profile HMF, variant 33), as in demandlib [1]_, [3]_.
MULTI_FAMILY = SigmoidCoefficients("HMF33", 1.2328655, -34.7213605, 5.8164304, 0.0873352)
#: Single-family houses (BDEW profile HEF, variant 33), as in demandlib [1]_, [3]_.
SINGLE_FAMILY = SigmoidCoefficients("HEF33", 1.6209544, -37.1833141, 5.6727847, 0.0716431)

#: ASSUMED residential intraday shape, hour 0 ... 23 (relative, mean 1): low at night
#: (setback), a morning peak at 06-09 and a smaller evening peak at 17-20. Illustrative, not
#: the BDEW hour-factor tables (which vary with temperature class).
INTRADAY_SHAPE_RESIDENTIAL: tuple[float, ...] = (
    0.70, 0.68, 0.68, 0.70, 0.80, 0.95, 1.20, 1.30, 1.25, 1.15, 1.05, 1.00,
    0.98, 0.95, 0.95, 0.98, 1.05, 1.15, 1.20, 1.20, 1.15, 1.05, 0.90, 0.78,
)  # fmt: skip


def degree_hour_profile(
    temperature_outdoor_c: Any, *, heating_limit_c: float = 15.0, hot_water_share: float = 0.15
) -> np.ndarray:
    r"""Normalised hourly heat demand weights from degree hours plus flat hot water.

    .. math:: w_t = \frac{s_{hw}}{N} + (1 - s_{hw})
                    \frac{\max(0, T_{limit} - T_t)}{\sum_\tau \max(0, T_{limit} - T_\tau)}

    If no hour is below the heating limit, all demand is spread flat.

    Parameters
    ----------
    temperature_outdoor_c : 1-D array, Series or DataArray
        Outdoor temperature per time stamp [°C].
    heating_limit_c : float, default 15.0
        Outdoor temperature above which no space heating is needed [°C].
    hot_water_share : float, default 0.15
        Share of annual demand that does not depend on temperature [-], in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray
        Weights [-], non-negative, summing to 1.
    """
    temperature_c = _as_1d(temperature_outdoor_c, "temperature_outdoor_c")
    _check_share(hot_water_share)
    heating_degree_hours = np.maximum(heating_limit_c - temperature_c, 0.0)
    return _flat_plus_degree_hours(heating_degree_hours, hot_water_share)


def cooling_degree_hour_profile(
    temperature_outdoor_c: Any, *, cooling_limit_c: float = 18.0, base_load_share: float = 0.3
) -> np.ndarray:
    r"""Normalised hourly cooling demand weights from cooling degree hours plus a flat base load.

    .. math:: w_t = \frac{s_{base}}{N} + (1 - s_{base})
                    \frac{\max(0, T_t - T_{limit})}{\sum_\tau \max(0, T_\tau - T_{limit})}

    The mirror image of :func:`degree_hour_profile`: space cooling grows with the degrees above a
    limit (18 °C is close to the usual 65 °F base of cooling degree days), while process and IT
    cooling is flat. If no hour is above the limit, all demand is spread flat.

    Parameters
    ----------
    temperature_outdoor_c : 1-D array, Series or DataArray
        Outdoor temperature per time stamp [°C].
    cooling_limit_c : float, default 18.0
        Outdoor temperature above which space cooling is needed [°C].
    base_load_share : float, default 0.3
        Share of annual demand that does not depend on temperature [-], in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray
        Weights [-], non-negative, summing to 1.
    """
    temperature_c = _as_1d(temperature_outdoor_c, "temperature_outdoor_c")
    if not 0.0 <= base_load_share <= 1.0:
        raise ValueError(f"base_load_share must be in [0, 1], got {base_load_share}.")
    cooling_degree_hours = np.maximum(temperature_c - cooling_limit_c, 0.0)
    return _flat_plus_degree_hours(cooling_degree_hours, base_load_share)


def _flat_plus_degree_hours(degree_hours: np.ndarray, flat_share: float) -> np.ndarray:
    """Weights summing to 1: ``flat_share`` spread evenly, the rest by degree hours [-]; all flat
    when there are no degree hours."""
    flat = np.full(degree_hours.size, 1.0 / degree_hours.size)
    total = degree_hours.sum()
    if total <= 0:
        return flat
    return flat_share * flat + (1.0 - flat_share) * degree_hours / total


def bdew_sigmoid_factor(
    temperature_c: Any,
    coefficients: SigmoidCoefficients = MULTI_FAMILY,
    *,
    include_base: bool = True,
) -> Any:
    r"""BDEW daily heat demand factor ``h`` (relative daily consumption).

    .. math:: h(\bar T) = \frac{A}{1 + \left(\frac{B}{\bar T - T_0}\right)^C} + D,
              \quad T_0 = 40\,°C

    Parameters
    ----------
    temperature_c : float, array, Series or DataArray
        (Weighted) daily mean outdoor temperature [°C], below ``T0``.
    coefficients : SigmoidCoefficients, default MULTI_FAMILY
        Profile coefficients.
    include_base : bool, default True
        Add ``D``; set False for the temperature-dependent (space heating) part only.

    Returns
    -------
    Same type as ``temperature_c``
        Daily factor ``h`` [-], relative daily consumption (about 0.94 at 0 °C and 0.25 at
        15 °C for multi-family houses).
    """
    if np.any(np.asarray(temperature_c) >= coefficients.theta_0_c):
        raise ValueError(
            f"The BDEW sigmoid is defined below {coefficients.theta_0_c} °C daily mean; check "
            "that the temperatures are outdoor temperatures in °C."
        )
    ratio = coefficients.b / (temperature_c - coefficients.theta_0_c)
    base = coefficients.d if include_base else 0.0
    return coefficients.a / (1.0 + ratio**coefficients.c) + base


def bdew_sigmoid_profile(
    temperature_outdoor_c: Any,
    index: pd.DatetimeIndex,
    *,
    hot_water_share: float | None = None,
    coefficients: SigmoidCoefficients = MULTI_FAMILY,
) -> np.ndarray:
    r"""Normalised hourly heat demand weights after the BDEW/SigLinDe sigmoid.

    1. Daily mean temperatures of the calendar days in ``index``, weighted over four days with
       (1, 0.5, 0.25, 0.125) by :func:`~restvarme.physics.weighted_mean_temperature`; before the
       first day the first day's mean is repeated (demandlib wraps around the year instead).
    2. Daily factor :math:`h_d` from :func:`bdew_sigmoid_factor` (only the sigmoid; the linear
       "Lin" terms of SigLinDe and the weekday factors, 1 for residential profiles, are left out).
    3. Each time stamp gets :math:`h_d \cdot s_{hour} / 24`, with :math:`s` the assumed
       :data:`INTRADAY_SHAPE_RESIDENTIAL`; partial days get their hours' part only.

    With ``hot_water_share=None`` the sigmoid's base ``D`` stands for hot water. With a share
    given, ``D`` is dropped, the sigmoid part is scaled to ``1 - share`` and the share is spread
    flat over all time stamps, as in :func:`degree_hour_profile`.

    Parameters
    ----------
    temperature_outdoor_c : 1-D array, Series or DataArray
        Outdoor temperature per time stamp [°C].
    index : pandas.DatetimeIndex
        Time stamps in time order (regular, typically hourly), same length.
    hot_water_share : float, optional
        Share of annual demand that does not depend on temperature [-].
    coefficients : SigmoidCoefficients, default MULTI_FAMILY
        Sigmoid coefficients.

    Returns
    -------
    numpy.ndarray
        Weights [-], non-negative, summing to 1.

    References
    ----------
    .. [1] BDEW, VKU, GEODE, "Leitfaden Abwicklung von Standardlastprofilen Gas", 2016.
    .. [2] oemof demandlib, ``demandlib.bdew.HeatBuilding``.
    """
    temperature_c = _as_1d(temperature_outdoor_c, "temperature_outdoor_c")
    index = pd.DatetimeIndex(index)
    if len(index) != temperature_c.size:
        raise ValueError(
            f"index has {len(index)} time stamps but temperature_outdoor_c has "
            f"{temperature_c.size}; pass the snapshots the temperatures belong to."
        )
    if not index.is_monotonic_increasing:
        raise ValueError("index must be in time order; sort it first (index.sort_values()).")
    day_number = np.asarray((index.normalize() - index[0].normalize()) // pd.Timedelta(days=1))
    n_days = int(day_number[-1]) + 1
    daily_mean_c = _daily_means(temperature_c, day_number, n_days)
    weighted_c = weighted_mean_temperature(daily_mean_c, BDEW_DAY_WEIGHTS)
    if hot_water_share is not None:
        _check_share(hot_water_share)
    daily_factor = bdew_sigmoid_factor(
        weighted_c, coefficients, include_base=hot_water_share is None
    )

    shape = np.asarray(INTRADAY_SHAPE_RESIDENTIAL)
    shape = shape / shape.mean()
    heating = np.asarray(daily_factor)[day_number] * shape[index.hour] / 24.0
    weights = heating / heating.sum()
    if hot_water_share is None:
        return weights
    flat = np.full(weights.size, 1.0 / weights.size)
    return hot_water_share * flat + (1.0 - hot_water_share) * weights


def heat_demand_mw(annual_mwh: float, weights: Any) -> np.ndarray:
    """Hourly heat demand from an annual energy and normalised weights.

    Parameters
    ----------
    annual_mwh : float
        Heat demand over the period the weights cover [MWh].
    weights : 1-D array, Series or DataArray
        Normalised weights summing to 1, one per hourly snapshot [-].

    Returns
    -------
    numpy.ndarray
        Mean heat demand per hourly snapshot [MW] (= MWh in that hour).
    """
    if annual_mwh < 0:
        raise ValueError(f"annual_mwh must be non-negative, got {annual_mwh}.")
    return annual_mwh * np.asarray(weights, dtype=float)


def network_loss_mw(
    spec: Any,
    supply_c: np.ndarray,
    return_c: np.ndarray,
    delivered_mw: np.ndarray,
    read: Any,
    *where: str | int,
) -> np.ndarray:
    r"""Hourly heat loss of a network's pipes [MW] from a scenario's ``heat_loss``.

    .. math:: L_t = UA \cdot \max\left(0, \frac{T_{s,t} + T_{r,t}}{2} - T_{g,t}\right)

    (:func:`restvarme.physics.losses.network_heat_loss_mw`), with UA [MW/K] given, from trench
    length × loss coefficient per trench metre, or calibrated so that the mean loss over the
    modelled hours is the stated one:

    - ``annual_loss_gwh``: mean loss = annual_loss_gwh · 1000 / 8760 [MW];
    - ``loss_share_of_supply`` s: mean loss = s / (1 - s) · mean delivered heat [MW];

    divided by the mean of :math:`\max(0, T_m - T_g)` over the modelled hours, or by
    ``calibration_mean_temperature_c`` minus the mean ground temperature when that is given
    (the temperature at which the stated loss was observed, so that lower modelled temperatures
    give a lower loss). Over a full modelled year without a calibration temperature, the loss
    over the year is exactly the stated one.

    Parameters
    ----------
    spec : restvarme.scenario.heat.NetworkHeatLoss
        The network's ``heat_loss``.
    supply_c, return_c : numpy.ndarray
        Supply and return temperature per snapshot [°C].
    delivered_mw : numpy.ndarray
        Heat delivered to the customers per snapshot [MW] (for ``loss_share_of_supply``).
    read : restvarme.inputs.build._Reader
        Reader of the scenario's series (ground temperature) and maker of located errors.
    *where : str or int
        Key path of ``heat_loss`` in the scenario (``"networks", name, "heat_loss"``).

    Returns
    -------
    numpy.ndarray
        Heat loss per snapshot [MW], >= 0.
    """
    ground_c = read(spec.ground_temperature_c, *where, "ground_temperature_c")
    if spec.heat_loss_coefficient_mw_per_k is not None:
        ua_mw_per_k = spec.heat_loss_coefficient_mw_per_k
    elif spec.trench_length_km is not None:
        ua_mw_per_k = heat_loss_coefficient_mw_per_k(
            spec.trench_length_km, spec.loss_coefficient_w_per_m_k
        )
    else:
        if spec.annual_loss_gwh is not None:
            key, mean_loss_mw = "annual_loss_gwh", spec.annual_loss_gwh * 1000.0 / 8760.0
        else:
            share = loss_share_of_delivered(spec.loss_share_of_supply)
            key, mean_loss_mw = "loss_share_of_supply", share * float(np.mean(delivered_mw))
        if spec.calibration_mean_temperature_c is not None:
            excess_k = spec.calibration_mean_temperature_c - float(np.mean(ground_c))
        else:
            mean_c = (np.asarray(supply_c) + np.asarray(return_c)) / 2.0
            excess_k = float(np.mean(np.maximum(mean_c - ground_c, 0.0)))
        if not excess_k > 0:
            raise read.problem(
                f"cannot calibrate the heat loss coefficient: the mean water temperature is not "
                f"above the ground temperature (mean excess {excess_k:g} K); expected water "
                "warmer than the ground",
                *where,
                key,
            )
        ua_mw_per_k = calibrated_heat_loss_coefficient_mw_per_k(mean_loss_mw, excess_k)
    return np.asarray(network_heat_loss_mw(ua_mw_per_k, supply_c, return_c, ground_c), float)


def _daily_means(values: np.ndarray, day_number: np.ndarray, n_days: int) -> np.ndarray:
    """Mean per day; days without time stamps take the previous day's mean."""
    counts = np.bincount(day_number, minlength=n_days)
    sums = np.bincount(day_number, weights=values, minlength=n_days)
    means = pd.Series(np.where(counts > 0, sums / np.maximum(counts, 1), np.nan))
    return means.ffill().to_numpy()


def _as_1d(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D series (one value per time stamp).")
    return array


def _check_share(hot_water_share: float) -> None:
    if not 0.0 <= hot_water_share <= 1.0:
        raise ValueError(f"hot_water_share must be in [0, 1], got {hot_water_share}.")
