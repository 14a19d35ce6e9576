"""Coefficient of performance (COP) of heat pumps from temperatures.

Pure, vectorised functions: every temperature argument may be a float, a numpy array, a pandas
Series or an xarray DataArray (they broadcast against each other like numpy arrays). Temperatures
at the interface are in degrees Celsius; kelvin appears only in local variables named ``*_k`` and in
:func:`logarithmic_mean_temperature_k`, whose name says so.

Two ideal references are offered:

- Carnot: both streams at one constant temperature each (condensing and evaporating),
  ``COP = T_sink / (T_sink - T_source)``.
- Lorenz: both streams change temperature (glide); each is represented by its logarithmic-mean
  (entropic-average) temperature, ``COP = T_lm,sink / (T_lm,sink - T_lm,source)``. Its lift is
  floored at :data:`MIN_LIFT_K`, so a source warmer than the sink (a temperature cross) gives a
  finite COP (:func:`lorenz_cop_heating`).

and one real-process estimate:

- Jensen et al. (2018) [6]_, as PyPSA-Eur uses it for district heating [7]_: the Lorenz COP
  between the refrigerant's mean temperatures, with fitted refrigerant constants, the pinch, the
  compressor's isentropic efficiency and its heat loss (:func:`jensen2018_cop_heating`).

For chillers the useful output is the heat taken up at the cold side, so the ideal energy
efficiency ratio is ``EER = T_evap / (T_cond - T_evap)`` (:func:`carnot_eer_cooling`,
:func:`chiller_eer`).

:func:`heat_pump_cop` turns any of them into a real COP (Carnot and Lorenz with a quality grade
and heat-exchanger approach temperatures) within bounds, for one heat pump or for several in
series on the sink (``series_stages``).

Which method fits published plants
----------------------------------
Error of :func:`heat_pump_cop` at its defaults (quality grade 0.5, approaches 4 / 5 K;
``jensen2018`` with PyPSA-Eur's parameters: ammonia, pinch 5 K, isentropic efficiency 0.8, no
heat loss) against published COPs, in % of the published value. Drammen is the measured system
COP of a 13.2 MW plant of three two-stage ammonia seawater units [8]_; "DEA" are name-plate COPs
of the Danish Energy Agency's technology catalogue, chapter 40 [9]_; ``*`` marks a source cooling
the source does not state and we assumed. "stages" is the number of heat pumps in series on the
sink (``series_stages``), also assumed: the DEA's COPs rise with unit size at equal temperatures
(1 / 3 / 10 MW), which no method that sees only temperatures can follow, and large plants are
built as units in series [11]_; by one rule, DEA units of 10 MW and more are two in series.
Sources, assumptions, the single-stage figures (Jensen on the 10 MW sheets: -19.1 and -17.0 %)
and the ESS concept's COP, whose sink temperature is not published, are in
``tests/physics/test_cop_published.py``, which renders this table and fails when it is stale.

=============================================  =========  ======  ======  ======  ==========
Data point                                     published  stages  carnot  lorenz  jensen2018
=============================================  =========  ======  ======  ======  ==========
Drammen, sea 8→4 °C, sink 65→90 °C                  3.05       1   -33.9   -27.7       -13.4
DEA waste heat 10 MW, 25→15 °C, sink 35→70 °C       5.00       2   -28.9   -20.2       -10.8
DEA waste heat 3 MW, same                           4.50       1   -28.6   -11.2       -10.1
DEA waste heat 1 MW, same                           4.00       1   -19.6    -0.1        +1.1
DEA sea water 20 MW, 4→0* °C, sink 40→80 °C         3.40       2   -32.7   -25.7       -10.4
DEA air 10 MW, -1→-7* °C, sink 35→70 °C             3.50       2   -33.4   -27.9       -13.2
DEA air 3 MW, same*                                 3.10       1   -30.0   -18.5        -6.3
DEA air 1 MW, same*                                 2.55       1   -14.9    -1.0       +13.9
=============================================  =========  ======  ======  ======  ==========
mean |error|                                                        27.8    16.5         9.9
largest |error|                                                     33.9    27.9        13.9
=============================================  =========  ======  ======  ======  ==========

**Default:** ``jensen2018`` (:data:`DEFAULT_COP_METHOD`), chosen by mean |error| among the
candidates within 15 % on every point. Of the three at their defaults it has the smallest mean
and the smallest largest error and is the closest on every unit of 10 MW and more. Carnot and
Lorenz with a quality grade fitted to these points are out: Carnot × 0.705 has the smaller mean
error (6.7 %) but is 20 % high on the DEA's 1 MW air-source sheet, Lorenz × 0.615 is 22-23 % high
on both 1 MW sheets (the test lists all residuals); Jensen et al. has nothing fitted to these
points. Unlike a constant quality grade it follows the glides and the lift as the plant runs away
from its design point, as Pieper et al. [10]_ found against a detailed heat pump model. It errs
low for the largest units (Drammen's and the DEA's sea-water COPs are what one stage gives with
an ideal compressor). The ESS concept's COP 4.2 (40 °C source; sink not stated, taken as the
about 90 °C to which Lund's heat pumps lift Brunnshög's residual heat) it meets within -2.1 to
+14.6 % over the assumed returns and source coolings; Carnot × 0.5 is 26 % low. Set
``cop_method: carnot`` (and ``quality_grade``) for the Carnot × quality grade of earlier versions.

References
----------
.. [1] oemof developer group, "Compression heat pumps and chillers", oemof.thermal
   documentation, https://oemof-thermal.readthedocs.io (quality grades citing [2] and [3]).
.. [2] VDE ETG, "Potenziale für Strom im Wärmemarkt bis 2050 - Wärmeversorgung in flexiblen
   Energieversorgungssystemen mit hohen Anteilen an erneuerbaren Energien", VDE study, 2015.
.. [3] C. Arpagaus, F. Bless, M. Uhlmann, J. Schiffmann, S. S. Bertsch, "High temperature heat
   pumps: Market overview, state of the art, research status, refrigerants, and application
   potentials", Energy 152, 985-1010, 2018. doi:10.1016/j.energy.2018.03.166
.. [4] H. Lorenz, "Beiträge zur Beurteilung von Kühlmaschinen", Zeitschrift des VDI 38, 1894.
.. [5] L. Reinholdt, J. Kristófersson, B. Zühlsdorf, B. Elmegaard, J. Jensen, T. Ommen,
   P. H. Jørgensen, "Heat pump COP, part 1: Generalized method for screening of system
   integration potentials", Proc. 13th IIR Gustav Lorentzen Conference, 1097-1104, 2018.
   doi:10.18462/iir.gl.2018.1380
.. [6] J. K. Jensen, T. Ommen, L. Reinholdt, W. B. Markussen, B. Elmegaard, "Heat pump COP,
   part 2: Generalized COP estimation of heat pump processes", Proc. 13th IIR Gustav Lorentzen
   Conference, 2018, https://backend.orbit.dtu.dk/ws/portalfiles/portal/151965635/MAIN_Final.pdf
   (see :func:`jensen2018_cop_heating` on what could be checked).
.. [7] PyPSA-Eur, ``scripts/build_cop_profiles/central_heating_cop_approximator.py``,
   https://github.com/PyPSA/pypsa-eur (pull request #1175).
.. [8] European Heat Pump Association, "Drammen District Heating (Norway)" and "Heat Pump City of
   the Year 2015: City of Drammen", https://www.ehpa.org.
.. [9] Danish Energy Agency, "Technology Data for Generation of Electricity and District
   Heating", chapter 40 "Heat pumps": catalogue
   https://ens.dk/sites/ens.dk/files/Analyser/technology_data_catalogue_for_el_and_dh.pdf, data
   sheets from its workbook technology_data_for_el_and_dh.xlsx as redistributed in
   https://github.com/PyPSA/technology-data (inputs/).
.. [10] H. Pieper, T. Ommen, J. K. Jensen, B. Elmegaard, W. B. Markussen, "Comparison of COP
   estimation methods for large-scale heat pumps used in energy planning", Energy 205, 117994,
   2020.
.. [11] T. Ommen, J. K. Jensen, W. B. Markussen, B. Elmegaard, "Enhanced technical and economic
   working domains of industrial heat pumps operated in series", Proc. 24th IIR International
   Congress of Refrigeration, Yokohama, 2015, paper 295.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

__all__ = [
    "COP_METHODS",
    "DEFAULT_COP_METHOD",
    "JENSEN2018_REFRIGERANTS",
    "MIN_LIFT_K",
    "RECOMMENDED_COP_METHOD",
    "carnot_cop_heating",
    "carnot_eer_cooling",
    "chiller_eer",
    "heat_pump_cop",
    "jensen2018_cop_heating",
    "logarithmic_mean_temperature_k",
    "lorenz_cop_heating",
]

_ZERO_CELSIUS_K = 273.15

MIN_LIFT_K = 10.0
"""Smallest temperature lift a compression heat pump is evaluated at [K].

PyPSA-Eur uses 10 K as the minimum feasible lift of district-heating heat pumps (its
``min_delta_t_lift``, citing Zajacs et al. 2020 and Meggers et al. 2010; the 10 K is argued in
PyPSA-Eur pull request #1711 as a limit of heat-pump circuit design). Here it floors the lift of
the Lorenz and Jensen et al. methods so that a temperature cross gives a finite COP.
"""


def _check_min_lift(min_lift_k: float) -> None:
    if not min_lift_k > 0:
        raise ValueError(f"min_lift_k must be positive, got {min_lift_k}; typical is {MIN_LIFT_K}.")


def _like_input(result: Any, *templates: Any) -> Any:
    """Return ``result`` as the pandas/xarray type of the first template of the same shape.

    numpy functions such as ``np.where`` or ``np.interp`` drop labels; this puts them back so that
    a Series in gives a Series out. Scalars come back as ``float``, anything else as numpy.
    """
    result_shape = np.shape(result)
    for template in templates:
        if np.shape(template) != result_shape:
            continue
        if isinstance(template, pd.Series):
            return pd.Series(np.asarray(result), index=template.index)
        if isinstance(template, xr.DataArray):
            return template.copy(data=np.asarray(result)).rename(None)
    if np.ndim(result) == 0:
        return float(result)
    return np.asarray(result)


def carnot_cop_heating(temperature_sink_c: Any, temperature_source_c: Any) -> Any:
    r"""Ideal (Carnot) heating COP between two constant temperatures.

    .. math:: COP_{Carnot} = \frac{T_{sink}}{T_{sink} - T_{source}} \quad \text{(kelvin)}

    Parameters
    ----------
    temperature_sink_c : float, array, Series or DataArray
        Temperature at which heat is delivered (condensing) [°C].
    temperature_source_c : float, array, Series or DataArray
        Temperature at which heat is taken up (evaporating) [°C].

    Returns
    -------
    Same type as the inputs
        Ideal COP [-]; ``np.inf`` where ``T_sink <= T_source`` (no lift needed).

    References
    ----------
    .. [1] oemof.thermal documentation, "Compression heat pumps and chillers".
    """
    temperature_sink_k = temperature_sink_c + _ZERO_CELSIUS_K
    temperature_source_k = temperature_source_c + _ZERO_CELSIUS_K
    lift_k = np.maximum(temperature_sink_k - temperature_source_k, 0.0)
    with np.errstate(divide="ignore"):
        return temperature_sink_k / lift_k


def logarithmic_mean_temperature_k(temperature_in_k: Any, temperature_out_k: Any) -> Any:
    r"""Logarithmic-mean (entropic-average) temperature of a stream that glides.

    .. math:: T_{lm} = \frac{T_{in} - T_{out}}{\ln(T_{in} / T_{out})}

    With equal inlet and outlet temperatures the limit, the temperature itself, is returned.

    Parameters
    ----------
    temperature_in_k : float, array, Series or DataArray
        Inlet temperature [K], absolute and positive.
    temperature_out_k : float, array, Series or DataArray
        Outlet temperature [K], absolute and positive.

    Returns
    -------
    Same type as the inputs
        Logarithmic-mean temperature [K]; always between inlet and outlet.

    References
    ----------
    .. [1] H. Lorenz, "Beiträge zur Beurteilung von Kühlmaschinen", Zeitschrift des VDI 38, 1894.
    """
    in_k = np.asarray(temperature_in_k, dtype=float)
    out_k = np.asarray(temperature_out_k, dtype=float)
    if np.any(in_k <= 0) or np.any(out_k <= 0):
        raise ValueError(
            "logarithmic_mean_temperature_k needs absolute temperatures in kelvin (> 0); "
            "add 273.15 to temperatures given in °C."
        )
    # T_lm = T_out * (r - 1) / ln(r) with r = T_in / T_out; (r - 1) / ln(r) = expm1(y) / y, y = ln r
    log_ratio = np.log(in_k / out_k)
    small = np.abs(log_ratio) < 1e-12
    safe_log_ratio = np.where(small, 1.0, log_ratio)
    factor = np.where(small, 1.0 + log_ratio / 2.0, np.expm1(safe_log_ratio) / safe_log_ratio)
    return _like_input(out_k * factor, temperature_in_k, temperature_out_k)


def lorenz_cop_heating(
    temperature_sink_in_c: Any,
    temperature_sink_out_c: Any,
    temperature_source_in_c: Any,
    temperature_source_out_c: Any,
    *,
    min_lift_k: float = MIN_LIFT_K,
) -> Any:
    r"""Ideal (Lorenz) heating COP for streams with temperature glide.

    .. math:: COP_{Lorenz} = \frac{T_{lm,sink}}{T_{lm,sink} - T_{lm,source}}

    with :math:`T_{lm}` the logarithmic-mean temperature of each stream in kelvin. For a heated
    network stream (return in, supply out) this is higher than the Carnot COP at the outlet
    temperature, because part of the heat is delivered at lower temperature.

    **Temperature cross.** Where the source is warm compared with the sink (a source warmer than
    the network return, say), the mean lift :math:`T_{lm,sink} - T_{lm,source}` shrinks towards
    zero or below and the formula runs to infinity. A real compression heat pump always
    condenses some kelvin above where it evaporates, so the mean lift is floored at
    ``min_lift_k``:

    .. math:: COP_{Lorenz} = 1 + \frac{T_{lm,source}}{\max(T_{lm,sink} - T_{lm,source},
              \ \Delta T_{min})}

    which equals the formula above wherever the lift is at least ``min_lift_k``. Below it, the
    COP is that of the same source lifted by exactly ``min_lift_k``: it no longer rises as the sink
    cools, still rises with the source temperature, and is finite (at most
    :math:`1 + T_{lm,source} / \Delta T_{min}`, about 30 at 10 K). Heat that needs no lift at all
    belongs to a heat exchanger, not to a heat pump.

    Parameters
    ----------
    temperature_sink_in_c : float, array, Series or DataArray
        Sink stream inlet temperature, e.g. network return plus approach [°C].
    temperature_sink_out_c : float, array, Series or DataArray
        Sink stream outlet temperature, e.g. network supply plus approach [°C].
    temperature_source_in_c : float, array, Series or DataArray
        Source stream inlet temperature [°C].
    temperature_source_out_c : float, array, Series or DataArray
        Source stream outlet temperature (after cooling) [°C].

    min_lift_k : float, default :data:`MIN_LIFT_K` (10 K)
        Smallest mean lift the COP is evaluated at [K]; must be positive.

    Returns
    -------
    Same type as the inputs
        Ideal COP [-], finite and above 1.

    References
    ----------
    .. [1] H. Lorenz, "Beiträge zur Beurteilung von Kühlmaschinen", Zeitschrift des VDI 38, 1894.
    .. [2] L. Reinholdt et al., "Heat pump COP, part 1: Generalized method for screening of system
       integration potentials", 13th IIR Gustav Lorentzen Conference, 2018.
       doi:10.18462/iir.gl.2018.1380
    """
    _check_min_lift(min_lift_k)
    sink_mean_k = logarithmic_mean_temperature_k(
        temperature_sink_in_c + _ZERO_CELSIUS_K, temperature_sink_out_c + _ZERO_CELSIUS_K
    )
    source_mean_k = logarithmic_mean_temperature_k(
        temperature_source_in_c + _ZERO_CELSIUS_K, temperature_source_out_c + _ZERO_CELSIUS_K
    )
    lift_k = np.maximum(sink_mean_k - source_mean_k, min_lift_k)
    return 1.0 + source_mean_k / lift_k


@dataclass(frozen=True)
class _SpanGlideFit:
    """``per_span * span_k + per_sink_glide * sink_glide_k + constant`` (Jensen et al. 2018)."""

    per_span: float
    per_sink_glide: float
    constant: float

    def __call__(self, span_k: Any, sink_glide_k: Any) -> Any:
        return self.per_span * span_k + self.per_sink_glide * sink_glide_k + self.constant


@dataclass(frozen=True)
class _Jensen2018Refrigerant:
    """Fitted constants of one refrigerant: sink-side temperature offset [K] and work ratio [-]."""

    sink_offset_k: _SpanGlideFit
    work_ratio: _SpanGlideFit


_JENSEN2018_REFRIGERANTS: dict[str, _Jensen2018Refrigerant] = {
    # Constants as PyPSA-Eur's CentralHeatingCopApproximator has them (scripts/build_cop_profiles/
    # central_heating_cop_approximator.py, PyPSA/pypsa-eur commit 16ed084ec), which takes them
    # from Jensen et al. (2018); we could not open the paper's table to check them against it.
    "ammonia": _Jensen2018Refrigerant(
        sink_offset_k=_SpanGlideFit(per_span=0.2, per_sink_glide=0.2, constant=0.016),
        work_ratio=_SpanGlideFit(per_span=0.0014, per_sink_glide=-0.0015, constant=0.039),
    ),
    "isobutane": _Jensen2018Refrigerant(
        sink_offset_k=_SpanGlideFit(per_span=-0.0011, per_sink_glide=0.3, constant=2.4),
        work_ratio=_SpanGlideFit(per_span=0.0035, per_sink_glide=-0.0033, constant=0.053),
    ),
}
JENSEN2018_REFRIGERANTS: tuple[str, ...] = tuple(_JENSEN2018_REFRIGERANTS)
"""Refrigerants :func:`jensen2018_cop_heating` has constants for."""


def jensen2018_cop_heating(
    temperature_sink_outlet_c: Any,
    temperature_sink_inlet_c: Any,
    temperature_source_inlet_c: Any,
    temperature_source_outlet_c: Any,
    *,
    refrigerant: str = "ammonia",
    isentropic_efficiency: float = 0.8,
    pinch_k: float = 5.0,
    heat_loss_share: float = 0.0,
    min_lift_k: float = MIN_LIFT_K,
) -> Any:
    r"""Real heating COP of a large single-stage compression heat pump (Jensen et al. 2018).

    Jensen et al. [1]_ estimate the COP of a real vapour-compression cycle from the Lorenz COP of
    the two streams and a few process parameters: the refrigerant, the pinch of the heat
    exchangers, the compressor's isentropic efficiency and its heat loss. Temperatures in kelvin:

    .. math::

        T_{lm,sink} = \mathrm{LM}(T_{sink,in}, T_{sink,out}), \quad
        T_{lm,source} = \mathrm{LM}(T_{source,in}, T_{source,out})

        s = T_{sink,out} - T_{source,out} + 2 \Delta T_{pinch}, \quad
        g = T_{sink,out} - T_{sink,in}

        \Delta T_{r,sink} = a_1 s + b_1 g + c_1, \quad
        \Delta T_{r,source} = (T_{source,in} - T_{source,out}) / 2, \quad
        w = a_2 s + b_2 g + c_2

        T_{r,sink} = T_{lm,sink} + \Delta T_{r,sink} + \Delta T_{pinch}, \quad
        T_{r,source} = T_{lm,source} - \Delta T_{r,source} - \Delta T_{pinch}

        COP = \eta_{is} (1 - w) rac{T_{r,sink}}{T_{r,sink} - T_{r,source}}
              + 1 - \eta_{is} - f_Q

    :math:`T_{r,sink}` and :math:`T_{r,source}` are the mean temperatures at which the refrigerant
    gives off and takes up heat: the streams' log-mean temperatures, moved out by the pinch and by
    the mismatch between a pure refrigerant, which condenses and evaporates at one temperature,
    and streams that glide. The paper writes the same ratio as the stream Lorenz COP times
    :math:`(1 + (\Delta T_{r,sink} + \Delta T_{pinch}) / T_{lm,sink}) / (1 + (\Delta T_{r,sink}
    + \Delta T_{r,source} + 2 \Delta T_{pinch}) / \Delta T_{lm,lift})`, as PyPSA-Eur's
    implementation does. :math:`a_1 \dots c_2` are fitted per refrigerant (``ammonia``,
    ``isobutane``); :math:`w` is a dimensionless fitted correction, which PyPSA-Eur's
    docstring calls the ratio of evaporation to compression work.

    **Minimum lift.** A compression heat pump always delivers heat some kelvin above the source,
    so the lift :math:`T_{sink,out} - T_{source,in}` is floored at ``min_lift_k``: where it is
    smaller (including a source warmer than the sink) the COP is evaluated with the sink outlet
    raised to :math:`T_{source,in} + \Delta T_{min}`, the inlet kept. This keeps the COP finite,
    falling as the sink warms and rising as the source warms (constant in the sink outlet below
    the floor). The refrigerant lift :math:`T_{r,sink} - T_{r,source}` is floored at the same value
    (it binds only for sink glides far outside the correlation's range). PyPSA-Eur uses the same
    10 K but returns a COP of 0 ("no heat pump") there instead.

    Parameters
    ----------
    temperature_sink_outlet_c : float, array, Series or DataArray
        Sink stream outlet temperature, e.g. the network supply [°C].
    temperature_sink_inlet_c : float, array, Series or DataArray
        Sink stream inlet temperature, e.g. the network return [°C]; not above the outlet.
    temperature_source_inlet_c : float, array, Series or DataArray
        Source stream inlet temperature [°C].
    temperature_source_outlet_c : float, array, Series or DataArray
        Source stream outlet temperature, after cooling in the evaporator [°C]; not above the
        inlet.
    refrigerant : {"ammonia", "isobutane"}, default "ammonia"
        Working fluid whose fitted constants are used (:data:`JENSEN2018_REFRIGERANTS`).
    isentropic_efficiency : float, default 0.8
        Isentropic efficiency of the compressor, :math:`\eta_{is}` [-], in (0, 1]; PyPSA-Eur's
        default.
    pinch_k : float, default 5.0
        Pinch temperature difference of condenser and evaporator, :math:`\Delta T_{pinch}` [K];
        PyPSA-Eur's default.
    heat_loss_share : float, default 0.0
        Heat lost to the surroundings, :math:`f_Q`, as a share of the electricity input [-] (the
        formula subtracts it from the COP); PyPSA-Eur's default.
    min_lift_k : float, default :data:`MIN_LIFT_K` (10 K)
        Floor of the stream and refrigerant lifts [K]; must be positive.

    Returns
    -------
    Same type as the inputs
        COP [-], finite; not clipped (:func:`heat_pump_cop` clips to ``[1, max_cop]``). It is
        above 1 for lifts and glides met in district heating.

    Raises
    ------
    ValueError
        For an unknown refrigerant, parameters out of range, or a sink outlet below its inlet or a
        source outlet above its inlet.

    References
    ----------
    .. [1] J. K. Jensen, T. Ommen, L. Reinholdt, W. B. Markussen, B. Elmegaard, "Heat pump COP,
       part 2: Generalized COP estimation of heat pump processes", Proc. 13th IIR Gustav Lorentzen
       Conference on Natural Refrigerants, Valencia, 2018,
       https://backend.orbit.dtu.dk/ws/portalfiles/portal/151965635/MAIN_Final.pdf (the address
       PyPSA-Eur cites; the equations above are taken from PyPSA-Eur's implementation and its
       docstrings, as we could not open the paper).
    .. [2] PyPSA-Eur, ``scripts/build_cop_profiles/central_heating_cop_approximator.py``
       (``CentralHeatingCopApproximator``), https://github.com/PyPSA/pypsa-eur, the independent
       implementation this function is cross-checked against; config defaults ammonia, pinch 5 K,
       isentropic efficiency 0.8, heat loss 0, minimum lift 10 K.
    .. [3] H. Pieper, T. Ommen, J. K. Jensen, B. Elmegaard, W. B. Markussen, "Comparison of COP
       estimation methods for large-scale heat pumps used in energy planning", Energy 205,
       117994, 2020: the method of [1]_ approximates a detailed heat pump model well, constant
       Lorenz or exergy efficiencies deviate away from the design point.
    """
    constants = _JENSEN2018_REFRIGERANTS.get(refrigerant)
    if constants is None:
        raise ValueError(
            f"Unknown refrigerant {refrigerant!r} for the Jensen et al. (2018) COP; use one of "
            f"{list(JENSEN2018_REFRIGERANTS)}."
        )
    if not 0 < isentropic_efficiency <= 1:
        raise ValueError(
            f"isentropic_efficiency must be in (0, 1], got {isentropic_efficiency}; typical is 0.8."
        )
    if not pinch_k >= 0:
        raise ValueError(f"pinch_k must be non-negative, got {pinch_k}; typical is 5 K.")
    if not 0 <= heat_loss_share < 1:
        raise ValueError(f"heat_loss_share must be in [0, 1), got {heat_loss_share}.")
    _check_min_lift(min_lift_k)

    sink_out_k = temperature_sink_outlet_c + _ZERO_CELSIUS_K
    sink_in_k = temperature_sink_inlet_c + _ZERO_CELSIUS_K
    source_in_k = temperature_source_inlet_c + _ZERO_CELSIUS_K
    source_out_k = temperature_source_outlet_c + _ZERO_CELSIUS_K
    if np.any(sink_in_k > sink_out_k):
        raise ValueError(
            "jensen2018_cop_heating: the sink inlet (network return) is above the sink outlet "
            "(supply) somewhere; the sink stream is heated, so pass inlet <= outlet."
        )
    if np.any(source_out_k > source_in_k):
        raise ValueError(
            "jensen2018_cop_heating: the source outlet is above the source inlet somewhere; the "
            "source stream is cooled, so pass outlet <= inlet."
        )

    # minimum lift: the sink outlet is at least min_lift_k above the source inlet
    sink_out_k = np.maximum(sink_out_k, source_in_k + min_lift_k)
    sink_glide_k = sink_out_k - sink_in_k
    span_k = sink_out_k - source_out_k + 2.0 * pinch_k
    sink_mean_k = logarithmic_mean_temperature_k(sink_in_k, sink_out_k)
    source_mean_k = logarithmic_mean_temperature_k(source_in_k, source_out_k)
    refrigerant_sink_k = sink_mean_k + constants.sink_offset_k(span_k, sink_glide_k) + pinch_k
    refrigerant_source_k = source_mean_k - (source_in_k - source_out_k) / 2.0 - pinch_k
    refrigerant_lift_k = np.maximum(refrigerant_sink_k - refrigerant_source_k, min_lift_k)
    refrigerant_cop = 1.0 + refrigerant_source_k / refrigerant_lift_k
    work_ratio = constants.work_ratio(span_k, sink_glide_k)
    cop = (
        isentropic_efficiency * (1.0 - work_ratio) * refrigerant_cop
        + 1.0
        - isentropic_efficiency
        - heat_loss_share
    )
    if isinstance(cop, pd.Series | xr.DataArray):
        return cop.rename(None)
    return _like_input(
        cop,
        temperature_sink_outlet_c,
        temperature_sink_inlet_c,
        temperature_source_inlet_c,
        temperature_source_outlet_c,
    )


def _ideal_cop_carnot(
    supply_c: Any,
    return_c: Any,
    source_c: Any,
    condenser_k: float,
    evaporator_k: float,
    cooling_k: float,
    min_lift_k: float,
) -> Any:
    """Carnot COP between condensing (supply + approach) and evaporating (source - approach)."""
    return carnot_cop_heating(supply_c + condenser_k, source_c - evaporator_k)


def _ideal_cop_lorenz(
    supply_c: Any,
    return_c: Any,
    source_c: Any,
    condenser_k: float,
    evaporator_k: float,
    cooling_k: float,
    min_lift_k: float,
) -> Any:
    """Lorenz COP: sink from return to supply, source from source to source - cooling."""
    if return_c is None:
        raise ValueError(
            "heat_pump_cop(method='lorenz') needs the sink inlet temperature: pass "
            "temperature_return_c=... (the network return, °C), or use method='carnot'."
        )
    return lorenz_cop_heating(
        return_c + condenser_k,
        supply_c + condenser_k,
        source_c - evaporator_k,
        source_c - cooling_k - evaporator_k,
        min_lift_k=min_lift_k,
    )


_IDEAL_COP_METHODS: dict[str, Callable[..., Any]] = {
    "carnot": _ideal_cop_carnot,
    "lorenz": _ideal_cop_lorenz,
}
COP_METHODS: tuple[str, ...] = ("carnot", "lorenz", "jensen2018")
"""Methods of :func:`heat_pump_cop`."""

RECOMMENDED_COP_METHOD = "jensen2018"
"""The method that best fits published plant COPs (module docstring,
``tests/physics/test_cop_published.py``)."""

DEFAULT_COP_METHOD = RECOMMENDED_COP_METHOD
"""Default of :func:`heat_pump_cop` and of a heat pump's ``cop_method`` in a scenario (issue 19;
before, ``"carnot"``, which ``cop_method: carnot`` still gives)."""


def heat_pump_cop(
    temperature_supply_c: Any,
    temperature_source_c: Any,
    *,
    temperature_return_c: Any = None,
    quality_grade: float = 0.5,
    condenser_approach_k: float = 4.0,
    evaporator_approach_k: float = 5.0,
    source_cooling_k: float | np.ndarray = 5.0,
    method: str = DEFAULT_COP_METHOD,
    max_cop: float = 10.0,
    min_lift_k: float = MIN_LIFT_K,
    refrigerant: str = "ammonia",
    isentropic_efficiency: float = 0.8,
    pinch_k: float = 5.0,
    heat_loss_share: float = 0.0,
    series_stages: int = 1,
) -> Any:
    r"""Real heating COP of a heat pump from network and source temperatures.

    .. math:: COP = \mathrm{clip}(COP_{real}, 1, COP_{max})

    ``method="carnot"``: :math:`COP_{real} = \eta \cdot COP_{Carnot}` between condensing
    :math:`T_c = T_{supply} + \Delta T_{cond}` and evaporating :math:`T_e = T_{source} -
    \Delta T_{evap}`.
    ``method="lorenz"``: :math:`COP_{real} = \eta \cdot COP_{Lorenz}` with the sink stream from
    :math:`T_{return} + \Delta T_{cond}` to :math:`T_{supply} + \Delta T_{cond}` and the source
    stream from :math:`T_{source} - \Delta T_{evap}` to :math:`T_{source} - \Delta T_{cool} -
    \Delta T_{evap}`; its mean lift is floored at ``min_lift_k`` (see
    :func:`lorenz_cop_heating`), so a source warmer than the return gives a finite COP.
    ``method="jensen2018"``: :func:`jensen2018_cop_heating` with the sink stream from
    :math:`T_{return}` to :math:`T_{supply}` and the source stream from :math:`T_{source}` to
    :math:`T_{source} - \Delta T_{cool}`; the pinch takes the place of the approaches and the
    refrigerant, isentropic efficiency and heat loss the place of the quality grade.
    Where no lift is needed the COP is ``max_cop`` (Carnot) or the COP at the minimum lift
    (Lorenz, Jensen), then clipped; it never falls below 1 (a heat pump is never worse than an
    electric boiler) and never exceeds ``max_cop``.

    **Heat pumps in series** (``series_stages`` = n > 1). Large plants are often built as n
    units in series on the sink, so that each lifts only part of the sink glide and condenses
    lower (Ommen et al. [6]_: two or three units in series raise the COP). Stage i (i = 0 for the
    coldest) heats the sink from :math:`T_{return} + i g/n` to :math:`T_{return} + (i+1) g/n`,
    :math:`g = T_{supply} - T_{return}`, and cools the source, counter-current, over the slice
    from :math:`T_{source} - (n-1-i) \Delta T_{cool}/n` down by :math:`\Delta T_{cool}/n`; each
    stage's COP comes from the chosen method (clipped below at 1). Equal sink slices carry equal
    heat, so

    .. math:: COP = \frac{n}{\sum_{i} 1 / COP_i}

    The equal split of the source cooling is an approximation (each evaporator takes
    :math:`Q_i (1 - 1/COP_i)`, which differs slightly between stages). Carnot gains from stages
    (lower stages condense at their own outlet), Jensen et al. gains (the refrigerant's mismatch
    with the sink glide shrinks), Lorenz × quality grade does not change much: the Lorenz COP
    already credits the whole glide.

    Parameters
    ----------
    temperature_supply_c : float, array, Series or DataArray
        Network supply (heat pump outlet) temperature [°C].
    temperature_source_c : float, array, Series or DataArray
        Heat source inlet temperature [°C].
    temperature_return_c : float, array, Series or DataArray, optional
        Network return (heat pump inlet) temperature [°C]; required for ``method="lorenz"`` and
        ``method="jensen2018"``.
    quality_grade : float, default 0.5
        Ratio of real to ideal COP [-]: about 0.4 air, 0.5 groundwater, 0.55 ground loop,
        0.4-0.6 for large high-temperature units [1]_ (citing [2]_, [3]_). Carnot and Lorenz
        only.
    condenser_approach_k : float, default 4.0
        Condensing temperature above supply [K] (rule of thumb +4 K); Carnot and Lorenz only.
    evaporator_approach_k : float, default 5.0
        Evaporating temperature below source [K] (rule of thumb -5...6 K); Carnot and Lorenz
        only.
    source_cooling_k : float, default 5.0
        Cooling of the source stream across the evaporator [K]; Lorenz and Jensen only.
    method : {"carnot", "lorenz", "jensen2018"}, default "jensen2018"
        COP method (:data:`COP_METHODS`); the default is :data:`DEFAULT_COP_METHOD`, the one
        that best fits published plant COPs (module docstring). ``"carnot"`` gives the
        Carnot × quality grade COP that was the default before (issue 19).
    max_cop : float, default 10.0
        Upper bound [-], also used where no lift is needed.
    min_lift_k : float, default :data:`MIN_LIFT_K` (10 K)
        Floor of the lift for ``"lorenz"`` and ``"jensen2018"`` [K]; ``"carnot"`` ignores it.
    refrigerant : {"ammonia", "isobutane"}, default "ammonia"
        Jensen only: refrigerant of :func:`jensen2018_cop_heating`.
    isentropic_efficiency : float, default 0.8
        Jensen only: compressor isentropic efficiency [-].
    pinch_k : float, default 5.0
        Jensen only: heat-exchanger pinch [K].
    heat_loss_share : float, default 0.0
        Jensen only: heat loss as a share of the electricity input [-].
    series_stages : int, default 1
        Number of heat pumps in series on the sink, each lifting an equal slice of the sink
        glide (see above); any method. Above 1 it needs ``temperature_return_c``.

    Returns
    -------
    Same type as the inputs
        COP [-] within ``[1, max_cop]``.

    References
    ----------
    .. [1] oemof.thermal documentation, "Compression heat pumps and chillers".
    .. [2] VDE ETG, "Potenziale für Strom im Wärmemarkt bis 2050", 2015.
    .. [3] C. Arpagaus et al., Energy 152, 985-1010, 2018. doi:10.1016/j.energy.2018.03.166
    .. [4] L. Reinholdt et al., 13th IIR Gustav Lorentzen Conference, 2018.
       doi:10.18462/iir.gl.2018.1380
    .. [5] J. K. Jensen et al., 13th IIR Gustav Lorentzen Conference, 2018 (see
       :func:`jensen2018_cop_heating`).
    .. [6] T. Ommen, J. K. Jensen, W. B. Markussen, B. Elmegaard, "Enhanced technical and
       economic working domains of industrial heat pumps operated in series", Proc. 24th IIR
       International Congress of Refrigeration, Yokohama, 2015, paper 295,
       https://orbit.dtu.dk (abstract: "By operating heat pumps in series, it is possible to
       obtain closer match between working fluid and sink- and source streams, resulting in
       higher coefficient of performance").
    """
    if method not in COP_METHODS:
        raise ValueError(f"Unknown COP method {method!r}; use one of {sorted(COP_METHODS)}.")
    if not quality_grade > 0:
        raise ValueError(f"quality_grade must be positive, got {quality_grade}; typical is 0.5.")
    if not max_cop >= 1:
        raise ValueError(f"max_cop must be at least 1, got {max_cop}.")
    if isinstance(series_stages, bool) or int(series_stages) != series_stages or series_stages < 1:
        raise ValueError(f"series_stages must be a whole number >= 1, got {series_stages!r}.")
    if temperature_return_c is None and (method != "carnot" or series_stages > 1):
        need = f"method={method!r}" if method != "carnot" else "series_stages > 1"
        raise ValueError(
            f"heat_pump_cop({need}) needs the sink inlet temperature: pass "
            "temperature_return_c=... (the network return, °C), or use method='carnot'."
        )

    def one_stage(supply_c: Any, return_c: Any, source_c: Any, cooling_k: Any) -> Any:
        if method == "jensen2018":
            return jensen2018_cop_heating(
                supply_c,
                return_c,
                source_c,
                source_c - cooling_k,
                refrigerant=refrigerant,
                isentropic_efficiency=isentropic_efficiency,
                pinch_k=pinch_k,
                heat_loss_share=heat_loss_share,
                min_lift_k=min_lift_k,
            )
        return quality_grade * _IDEAL_COP_METHODS[method](
            supply_c,
            return_c,
            source_c,
            condenser_approach_k,
            evaporator_approach_k,
            cooling_k,
            min_lift_k,
        )

    stages = int(series_stages)
    if stages == 1:
        cop = one_stage(
            temperature_supply_c, temperature_return_c, temperature_source_c, source_cooling_k
        )
    else:
        # stage i heats the sink over the i-th of `stages` equal slices of its glide and cools
        # the source over the matching slice, counter-current: the hottest sink stage takes the
        # warmest source slice. Equal sink slices of one flow carry equal heat, so the
        # electricity adds up as sum(1 / COP_i) per unit of heat.
        sink_slice_k = (temperature_supply_c - temperature_return_c) / stages
        source_slice_k = source_cooling_k / stages
        inverse_cop_sum: Any = 0.0
        for i in range(stages):  # a few stages, not a loop over hours
            stage_cop = one_stage(
                temperature_return_c + (i + 1) * sink_slice_k,
                temperature_return_c + i * sink_slice_k,
                temperature_source_c - (stages - 1 - i) * source_slice_k,
                source_slice_k,
            )
            inverse_cop_sum = inverse_cop_sum + 1.0 / np.maximum(stage_cop, 1.0)
        cop = stages / inverse_cop_sum
    return np.clip(cop, 1.0, max_cop)


def carnot_eer_cooling(temperature_evaporator_c: Any, temperature_condenser_c: Any) -> Any:
    r"""Ideal (Carnot) energy efficiency ratio of a chiller between two constant temperatures.

    .. math:: EER_{Carnot} = \frac{T_{evap}}{T_{cond} - T_{evap}} \quad \text{(kelvin)}

    Parameters
    ----------
    temperature_evaporator_c : float, array, Series or DataArray
        Temperature at which heat is taken up from the chilled water (evaporating) [°C].
    temperature_condenser_c : float, array, Series or DataArray
        Temperature at which heat is rejected (condensing) [°C].

    Returns
    -------
    Same type as the inputs
        Ideal EER [-] (cooling per electricity); ``np.inf`` where ``T_cond <= T_evap``.

    References
    ----------
    .. [1] oemof.thermal documentation, "Compression heat pumps and chillers":
       :math:`COP_{Carnot, chiller} = T_{low} / (T_{high} - T_{low})`.
    """
    temperature_evaporator_k = temperature_evaporator_c + _ZERO_CELSIUS_K
    temperature_condenser_k = temperature_condenser_c + _ZERO_CELSIUS_K
    lift_k = np.maximum(temperature_condenser_k - temperature_evaporator_k, 0.0)
    with np.errstate(divide="ignore"):
        return temperature_evaporator_k / lift_k


def chiller_eer(
    temperature_cooling_supply_c: Any,
    temperature_heat_sink_c: Any,
    *,
    quality_grade: float = 0.45,
    evaporator_approach_k: float = 4.0,
    condenser_approach_k: float = 5.0,
    max_eer: float = 15.0,
) -> Any:
    r"""Real energy efficiency ratio (cooling per electricity) of a compression chiller.

    .. math:: EER = \min\left(\eta \cdot \frac{T_e}{T_c - T_e},\ EER_{max}\right),\quad
              T_e = T_{supply} - \Delta T_{evap},\quad T_c = T_{sink} + \Delta T_{cond}

    in kelvin, with :math:`T_{supply}` the chilled-water supply temperature and
    :math:`T_{sink}` the medium the heat is rejected to (outdoor air, sea or lake water).

    Parameters
    ----------
    temperature_cooling_supply_c : float, array, Series or DataArray
        Supply temperature of the cooling network (chilled water leaving the chiller) [°C].
    temperature_heat_sink_c : float, array, Series or DataArray
        Temperature of the condenser's cooling medium: outdoor air or an ambient source [°C].
    quality_grade : float, default 0.45
        Ratio of real to ideal EER [-]; oemof.thermal's chiller example uses 0.45, and a chiller
        with EER 4 at 35/7 °C has 0.40 [1]_.
    evaporator_approach_k : float, default 4.0
        Evaporating temperature below the chilled-water supply [K].
    condenser_approach_k : float, default 5.0
        Condensing temperature above the cooling medium [K].
    max_eer : float, default 15.0
        Upper bound [-], also used where no lift is needed.

    Returns
    -------
    Same type as the inputs
        EER [-] in ``(0, max_eer]``.

    References
    ----------
    .. [1] oemof.thermal, ``compression_heatpumps_and_chillers.calc_cops(mode="chiller")`` and
       ``calc_chiller_quality_grade``, https://github.com/oemof/oemof-thermal (tests of both).
    """
    if not quality_grade > 0:
        raise ValueError(f"quality_grade must be positive, got {quality_grade}; typical is 0.45.")
    if not max_eer > 0:
        raise ValueError(f"max_eer must be positive, got {max_eer}.")
    ideal = carnot_eer_cooling(
        temperature_cooling_supply_c - evaporator_approach_k,
        temperature_heat_sink_c + condenser_approach_k,
    )
    return np.minimum(quality_grade * ideal, max_eer)
