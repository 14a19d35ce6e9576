"""District cooling physics: partial free cooling, the chiller's condensing floor and the
absorption chiller's characteristic equation.

Pure, vectorised functions; floats, numpy arrays, pandas Series and xarray DataArrays are accepted.
Temperatures in °C.

References
----------
.. [1] S. Frederiksen, S. Werner, "District Heating and Cooling", Studentlitteratur, Lund, 2013
   (district cooling: free cooling from cold sea or lake water in series with chillers).
.. [2] A. Kühn, F. Ziegler, "Operational results of a 10 kW absorption chiller and adaptation of
   the characteristic equation", Proc. 1st Int. Conf. Solar Air Conditioning, Bad Staffelstein,
   6-7 October 2005.
.. [3] M. Puig-Arnavat, J. López-Villada, J. C. Bruno, A. Coronas, "Analysis and parameter
   identification for characteristic equations of single- and double-effect absorption chillers
   by means of multivariable regression", Int. J. Refrigeration 33, 70-78, 2010.
   doi:10.1016/j.ijrefrig.2009.08.006
.. [4] oemof developer group, oemof.thermal, ``absorption_heatpumps_and_chillers``
   (``calc_characteristic_temp``, ``calc_heat_flux``) and its table
   ``examples/absorption_heatpumps_and_chiller/data/characteristic_parameters.csv``,
   https://github.com/oemof/oemof-thermal
.. [5] California Energy Commission, "2013 Building Energy Efficiency Standards" (Title 24,
   Part 6), §120.6: refrigeration systems must let the saturated condensing temperature float
   down to 70 °F (21.1 °C) in cold weather, the usual floor of head-pressure control.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "ABSORPTION_CHILLERS",
    "MIN_CONDENSING_TEMPERATURE_C",
    "AbsorptionCharacteristic",
    "absorption_capacity_share",
    "absorption_characteristic_temperature_difference_k",
    "absorption_cop",
    "absorption_heat_flow",
    "chiller_condensing_temperature_c",
    "free_cooling_share",
]

MIN_CONDENSING_TEMPERATURE_C = 21.0
"""Default lowest condensing temperature of a compression chiller [°C]: 70 °F (21.1 °C), the
floor down to which California's Title 24 (2013, §120.6) requires condensing temperatures to
float [5]_; below it expansion valves starve and oil return suffers, so head-pressure control
holds the condensing pressure up however cold the medium is."""


def free_cooling_share(
    temperature_medium_c: Any,
    temperature_supply_c: Any,
    temperature_return_c: Any,
    approach_k: Any = 2.0,
) -> Any:
    r"""Share of a cooling network's load that free cooling can take by pre-cooling its return.

    .. math:: s = \mathrm{clip}\left(\frac{T_r - (T_{medium} + \Delta T)}{T_r - T_s}, 0, 1\right)

    The network's water comes back at :math:`T_r` and must leave at :math:`T_s`; a heat
    exchanger on a medium (sea, lake, air) can cool it down to :math:`T_{medium} + \Delta T`.
    With a constant flow the load is proportional to :math:`T_r - T_s`, so the exchanger takes
    the share above and the chillers the rest, in series [1]_. A medium at least the approach
    below the supply takes the whole load (:math:`s = 1`); one warmer than the return less the
    approach, none.

    Parameters
    ----------
    temperature_medium_c : float, array, Series or DataArray
        Temperature of the cold medium [°C].
    temperature_supply_c, temperature_return_c : float, array, Series or DataArray
        Supply and return temperature of the cooling network [°C], supply below return.
    approach_k : float, default 2.0
        Closest approach of the exchanger: the water leaves at least this much warmer than the
        medium [K].

    Returns
    -------
    Same type as the inputs
        Share [-] in ``[0, 1]``.

    References
    ----------
    .. [1] S. Frederiksen, S. Werner, "District Heating and Cooling", Studentlitteratur, 2013.
    """
    span_k = temperature_return_c - temperature_supply_c
    if np.any(np.asarray(span_k) <= 0):
        raise ValueError("the cooling supply temperature must be below the return temperature.")
    share = (temperature_return_c - temperature_medium_c - approach_k) / span_k
    return np.clip(share, 0.0, 1.0)


def chiller_condensing_temperature_c(
    temperature_medium_c: Any,
    condenser_approach_k: Any = 5.0,
    min_condensing_c: Any = MIN_CONDENSING_TEMPERATURE_C,
) -> Any:
    r"""Condensing temperature of a compression chiller, held at a floor in cold weather.

    .. math:: T_c = \max(T_{medium} + \Delta T_{cond},\ T_{c,min})

    Head-pressure control keeps the condensing pressure up when the medium is cold (expansion
    valves need a pressure difference, oil must return), so the EER stops rising below the
    floor; :data:`MIN_CONDENSING_TEMPERATURE_C` is 21 °C after [5]_.

    Parameters
    ----------
    temperature_medium_c : float, array, Series or DataArray
        Temperature of the condenser's medium: outdoor air, sea or lake water [°C].
    condenser_approach_k : float, default 5.0
        Condensing temperature above the medium [K].
    min_condensing_c : float or None, default 21.0
        Lowest condensing temperature [°C]; None for no floor.

    Returns
    -------
    Same type as the inputs
        Condensing temperature [°C].

    References
    ----------
    .. [5] California Energy Commission, "2013 Building Energy Efficiency Standards", Title 24
       Part 6, §120.6 (floating head pressure down to 70 °F saturated condensing temperature).
    """
    condensing_c = temperature_medium_c + condenser_approach_k
    if min_condensing_c is None:
        return condensing_c
    return np.maximum(condensing_c, min_condensing_c)


@dataclass(frozen=True)
class AbsorptionCharacteristic:
    """Parameters of the characteristic equation of one absorption chiller (Kühn & Ziegler [2]_).

    ``a``, ``e`` [-] weigh the absorber/condenser and evaporator temperatures in ΔΔt'; ``s_e``,
    ``r_e`` give the cooling and ``s_g``, ``r_g`` the driving heat, in the units of the
    chiller's ``nominal_cooling_kw`` (kW per K and kW).
    """

    a: float
    e: float
    s_e: float
    r_e: float
    s_g: float
    r_g: float
    nominal_cooling_kw: float
    source: str = ""


ABSORPTION_CHILLERS: dict[str, AbsorptionCharacteristic] = {
    "kuehn": AbsorptionCharacteristic(
        2.5, 1.8, 0.42, 0.9, 0.51, 2.0, 10.0,
        "10 kW single-effect H2O/LiBr chiller of TU Berlin, Kühn & Ziegler 2005 [2]_",
    ),
    "rotartica": AbsorptionCharacteristic(
        2.704, 1.883, 0.196, 2.476, 0.232, 4.271, 4.5,
        "Rotartica 4.5 kW single-effect, Puig-Arnavat et al. 2010 [3]_",
    ),
    "safarik": AbsorptionCharacteristic(
        2.138, 2.252, 0.452, -8.037, 0.489, -4.913, 15.0,
        "Safarik 15 kW single-effect, Puig-Arnavat et al. 2010 [3]_",
    ),
    "broad_double_effect": AbsorptionCharacteristic(
        2.162, 4.499, 15.459, -911.572, 10.807, -603.85, 1163.0,
        "Broad 1163 kW double-effect, Puig-Arnavat et al. 2010 [3]_",
    ),
}  # fmt: skip
"""Published characteristic parameters, as tabulated by oemof.thermal [4]_ (which names the
double-effect Broad machine ``Broad_02``). oemof.thermal's single-effect ``Broad_01`` is left out:
its driving-heat line in that table equals its cooling line, which would make its COP exactly 1
at every temperature."""


def absorption_characteristic_temperature_difference_k(
    temperature_generator_c: Any,
    temperature_absorber_condenser_c: Any,
    temperature_evaporator_c: Any,
    a: float,
    e: float,
) -> Any:
    r"""Characteristic temperature difference ΔΔt' of an absorption chiller [2]_.

    .. math:: \Delta\Delta t' = t_G - a \cdot t_{AC} + e \cdot t_E

    with the external arithmetic mean temperatures (in °C, as the parameters were fitted) of
    the generator's hot water, the absorber's and condenser's cooling water and the
    evaporator's chilled water; the form oemof.thermal implements as ``kuehn_and_ziegler`` [4]_.

    Parameters
    ----------
    temperature_generator_c : float, array, Series or DataArray
        Mean temperature of the driving water in the generator [°C].
    temperature_absorber_condenser_c : float, array, Series or DataArray
        Mean temperature of the cooling water in absorber and condenser [°C].
    temperature_evaporator_c : float, array, Series or DataArray
        Mean temperature of the chilled water in the evaporator [°C].
    a, e : float
        Characteristic parameters of the machine [-].

    Returns
    -------
    Same type as the inputs
        ΔΔt' [K].

    References
    ----------
    .. [2] A. Kühn, F. Ziegler, "Operational results of a 10 kW absorption chiller and adaptation
       of the characteristic equation", Proc. 1st Int. Conf. Solar Air Conditioning, 2005.
    .. [4] oemof.thermal, ``absorption_heatpumps_and_chillers``,
       https://github.com/oemof/oemof-thermal
    """
    return (
        temperature_generator_c
        - a * temperature_absorber_condenser_c
        + e * (temperature_evaporator_c)
    )


def absorption_heat_flow(characteristic_difference_k: Any, s: float, r: float) -> Any:
    r"""Heat flow at one heat exchanger of an absorption chiller from ΔΔt' [2]_.

    .. math:: \dot Q = s \cdot \Delta\Delta t' + r

    with ``s_e, r_e`` the cooling (evaporator) and ``s_g, r_g`` the driving heat (generator),
    in the units the parameters were fitted in (kW for the machines of
    :data:`ABSORPTION_CHILLERS`).

    Parameters
    ----------
    characteristic_difference_k : float, array, Series or DataArray
        ΔΔt' [K].
    s, r : float
        Slope [kW/K] and intercept [kW] of the machine's line.

    Returns
    -------
    Same type as the input
        Heat flow [kW] (the parameters' unit).

    References
    ----------
    .. [2] A. Kühn, F. Ziegler, "Operational results of a 10 kW absorption chiller and adaptation
       of the characteristic equation", Proc. 1st Int. Conf. Solar Air Conditioning, 2005.
    .. [4] oemof.thermal, ``absorption_heatpumps_and_chillers``,
       https://github.com/oemof/oemof-thermal
    """
    return s * characteristic_difference_k + r


def absorption_capacity_share(
    characteristic: AbsorptionCharacteristic,
    temperature_generator_c: Any,
    temperature_absorber_condenser_c: Any,
    temperature_evaporator_c: Any,
) -> Any:
    r"""Cooling an absorption chiller can give, as a share of its nominal capacity.

    .. math:: \mathrm{clip}\left(\frac{s_E \cdot \Delta\Delta t' + r_E}{\dot Q_{E,nom}},
              0, 1\right)

    The characteristic equation scaled to the machine's published nominal capacity, so that the
    same share applies to a plant of any size built from such machines. It never exceeds 1: a
    unit's stated capacity stays its maximum (pumps and heat exchangers are sized for it), and
    the equation only derates it.

    Parameters
    ----------
    characteristic : AbsorptionCharacteristic
        The machine (e.g. ``ABSORPTION_CHILLERS["kuehn"]``).
    temperature_generator_c, temperature_absorber_condenser_c, temperature_evaporator_c :
        float, array, Series or DataArray
        Mean generator, cooling-water and chilled-water temperatures [°C], as for
        :func:`absorption_characteristic_temperature_difference_k`.

    Returns
    -------
    Same type as the inputs
        Share [-] in ``[0, 1]``.

    References
    ----------
    .. [2] A. Kühn, F. Ziegler, "Operational results of a 10 kW absorption chiller and adaptation
       of the characteristic equation", Proc. 1st Int. Conf. Solar Air Conditioning, 2005.
    .. [4] oemof.thermal, ``absorption_heatpumps_and_chillers``,
       https://github.com/oemof/oemof-thermal
    """
    c = characteristic
    ddt = absorption_characteristic_temperature_difference_k(
        temperature_generator_c, temperature_absorber_condenser_c, temperature_evaporator_c,
        c.a, c.e,
    )  # fmt: skip
    return np.clip(absorption_heat_flow(ddt, c.s_e, c.r_e) / c.nominal_cooling_kw, 0.0, 1.0)


def absorption_cop(
    characteristic: AbsorptionCharacteristic,
    temperature_generator_c: Any,
    temperature_absorber_condenser_c: Any,
    temperature_evaporator_c: Any,
) -> Any:
    r"""Thermal COP (cooling per driving heat) from the characteristic equation [2]_.

    .. math:: COP = \frac{s_E \cdot \Delta\Delta t' + r_E}{s_G \cdot \Delta\Delta t' + r_G}

    Where the chiller gives no cooling (the numerator or denominator is not positive) the COP
    is undefined; NaN is returned there.

    Parameters
    ----------
    characteristic : AbsorptionCharacteristic
        The machine (e.g. ``ABSORPTION_CHILLERS["kuehn"]``).
    temperature_generator_c, temperature_absorber_condenser_c, temperature_evaporator_c :
        float, array, Series or DataArray
        Mean generator, cooling-water and chilled-water temperatures [°C], as for
        :func:`absorption_characteristic_temperature_difference_k`.

    Returns
    -------
    numpy.ndarray, or float for scalar inputs
        COP [-].

    References
    ----------
    .. [2] A. Kühn, F. Ziegler, "Operational results of a 10 kW absorption chiller and adaptation
       of the characteristic equation", Proc. 1st Int. Conf. Solar Air Conditioning, 2005.
    .. [4] oemof.thermal, ``absorption_heatpumps_and_chillers``,
       https://github.com/oemof/oemof-thermal
    """
    c = characteristic
    ddt = absorption_characteristic_temperature_difference_k(
        temperature_generator_c, temperature_absorber_condenser_c, temperature_evaporator_c,
        c.a, c.e,
    )  # fmt: skip
    cooling = absorption_heat_flow(ddt, c.s_e, c.r_e)
    driving = absorption_heat_flow(ddt, c.s_g, c.r_g)
    ok = (np.asarray(cooling) > 0) & (np.asarray(driving) > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(ok, np.asarray(cooling) / np.where(ok, np.asarray(driving), 1.0), np.nan)
    if np.ndim(cop) == 0:
        return float(cop)
    return cop
