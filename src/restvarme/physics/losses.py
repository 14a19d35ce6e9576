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
.. [4] EN 13941-1:2019, "District heating pipes - Design and installation of thermal insulated
   bonded single and twin pipe systems for directly buried hot water networks - Part 1: Design"
   (heat loss of buried pipes per metre and kelvin from the thermal resistances of insulation
   and soil).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "calibrated_heat_loss_coefficient_mw_per_k",
    "heat_loss_coefficient_mw_per_k",
    "loss_share_of_delivered",
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


def heat_loss_coefficient_mw_per_k(
    trench_length_km: float, loss_coefficient_w_per_m_k: float
) -> float:
    r"""A network's heat loss coefficient UA from its trench length and a loss coefficient per
    trench metre.

    .. math:: UA = L \cdot U' \cdot 10^{3}\,\frac{m}{km} \cdot 10^{-6}\,\frac{MW}{W}

    :math:`U'` is the heat loss per metre of trench and kelvin of mean water temperature above
    the ground, supply and return pipe together (for a twin pipe, the pipe's own coefficient;
    for two single pipes, the pair's); EN 13941 [4]_ gives it from the thermal resistances of
    insulation and soil, pipe makers tabulate it per dimension and insulation series.

    Parameters
    ----------
    trench_length_km : float
        Trench length of the network [km] (route length, not pipe length).
    loss_coefficient_w_per_m_k : float
        Heat loss per trench metre and kelvin [W/(m·K)], supply and return together.

    Returns
    -------
    float
        UA [MW/K], for :func:`network_heat_loss_mw`.

    References
    ----------
    .. [4] EN 13941-1:2019, "District heating pipes - Design and installation of thermal
       insulated bonded single and twin pipe systems for directly buried hot water networks -
       Part 1: Design".
    """
    if trench_length_km < 0 or loss_coefficient_w_per_m_k < 0:
        raise ValueError(
            "trench_length_km and loss_coefficient_w_per_m_k must be non-negative, got "
            f"{trench_length_km} and {loss_coefficient_w_per_m_k}."
        )
    return trench_length_km * 1e3 * loss_coefficient_w_per_m_k * 1e-6


def calibrated_heat_loss_coefficient_mw_per_k(
    mean_loss_mw: float, mean_excess_temperature_k: float
) -> float:
    r"""The UA that gives a stated mean loss at a stated mean temperature excess over the ground.

    .. math:: UA = \frac{\bar{\dot Q}_{loss}}{\overline{\max(0, T_m - T_{ground})}}

    The linear model of :func:`network_heat_loss_mw` solved for UA: a network's yearly loss
    (for instance a stated share of the heat fed in [1]_), divided by 8760 h, over the yearly
    mean of the mean water temperature's excess over the ground.

    Parameters
    ----------
    mean_loss_mw : float
        Mean heat loss over the calibration period [MW] (annual loss in MWh / 8760 h).
    mean_excess_temperature_k : float
        Mean of ``max(0, (T_supply + T_return) / 2 - T_ground)`` over the same period [K].

    Returns
    -------
    float
        UA [MW/K].

    References
    ----------
    .. [1] S. Frederiksen, S. Werner, "District Heating and Cooling", Studentlitteratur, 2013.
    """
    if mean_loss_mw < 0:
        raise ValueError(f"mean_loss_mw must be non-negative, got {mean_loss_mw}.")
    if not mean_excess_temperature_k > 0:
        raise ValueError(
            "the mean water temperature must be above the ground temperature on average to "
            f"calibrate a loss coefficient, got a mean excess of {mean_excess_temperature_k} K."
        )
    return mean_loss_mw / mean_excess_temperature_k


def loss_share_of_delivered(loss_share_of_supply: Any) -> Any:
    r"""A loss stated as a share of the heat fed into a network, as a share of the heat delivered.

    .. math:: \frac{L}{D} = \frac{s}{1 - s}, \quad s = \frac{L}{D + L}

    Network statistics state losses as a share of the heat fed in (supplied = delivered + lost);
    restvarme's demand is the heat delivered. 9 % of the heat fed in is 0.09 / 0.91 = 9.89 % of
    the heat delivered.

    Parameters
    ----------
    loss_share_of_supply : float or array
        Loss as a share of the heat fed into the network [-], in ``[0, 1)``.

    Returns
    -------
    Same type as the input
        Loss as a share of the heat delivered [-].
    """
    share = np.asarray(loss_share_of_supply, dtype=float)
    if np.any((share < 0) | (share >= 1)):
        raise ValueError(
            f"a loss share of the heat fed in must be in [0, 1), got {loss_share_of_supply}."
        )
    return loss_share_of_supply / (1.0 - loss_share_of_supply)
