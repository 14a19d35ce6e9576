r"""Solar-thermal collectors: EN ISO 9806 efficiency, collector heat and plane-of-array irradiance.

Pure, vectorised functions in the style of pvlib: every argument may be a float, a numpy array, a
pandas Series or an xarray DataArray (they broadcast like numpy arrays and a labelled input comes
back labelled). Temperatures are in °C, irradiance in W/m², angles in degrees, heat in W/m² of
collector reference area or in MW for a field. Nothing here builds an optimisation model.

Collector model (steady-state, EN ISO 9806 [1]_, Duffie & Beckman [2]_ chapter 6):

.. math::

    \eta = \eta_0 - a_1 \frac{\Delta T}{G} - a_2 \frac{\Delta T^2}{G},
    \qquad \Delta T = \vartheta_m - \vartheta_a,
    \qquad \dot q = G\,\eta \;\; [\mathrm{W/m^2}]

with :math:`G` the global (hemispherical) irradiance on the collector plane, :math:`\vartheta_m`
the mean fluid temperature (:func:`mean_collector_temperature_c`) and :math:`\vartheta_a` the
ambient air temperature. :math:`\eta` is clipped at 0 (a collector loop that would lose heat is
stopped, not run backwards) and is 0 where :math:`G \le 0`. Incidence-angle modifiers, wind, sky
temperature and thermal capacity (ISO 9806 quasi-dynamic terms :math:`K_\theta, a_3 \dots a_8`)
are neglected: for hourly planning the steady-state curve at the plane-of-array irradiance is the
usual simplification (oemof.thermal's flat-plate pre-calculation [5]_ uses the same one).

The coefficients must refer to the same area as the ``area_m2`` you multiply with; Solar Keymark
data sheets after EN ISO 9806:2017 give them per gross area. Quasi-dynamic (QDT) data sheets give
the beam peak efficiency :math:`\eta_{0,b}` and the diffuse incidence-angle modifier :math:`K_d`
instead of :math:`\eta_{0,hem}`; the data sheets' own conversion, which assumes 15 % diffuse
irradiance, is :math:`\eta_{0,hem} = \eta_{0,b}\,(0.85 + 0.15\,K_d)` (EN ISO 9806:2017, as used on
the Solar Keymark data sheets and in SunPeek [6]_); see :attr:`CollectorParameters.eta0_hem`.

Irradiance on the collector plane (:func:`plane_of_array_irradiance`) follows the standard pvlib
chain [3]_: solar position (NREL SPA, Reda & Andreas [4]_), decomposition of the global horizontal
irradiance into beam and diffuse with the Erbs correlation [7]_, and transposition to the tilted
plane with the Hay–Davies sky-diffuse model [8]_ (default; ``"isotropic"`` is offered too) plus
isotropic ground reflection.

References
----------
.. [1] EN ISO 9806:2017, "Solar energy — Solar thermal collectors — Test methods", CEN/ISO, 2017
   (steady-state efficiency equation; symbols η0, a1, a2, ϑm, ϑa, G).
.. [2] J. A. Duffie, W. A. Beckman, "Solar Engineering of Thermal Processes", 4th ed., Wiley,
   2013, chapter 6 "Flat-plate collectors". doi:10.1002/9781118671603
.. [3] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python package for modeling
   solar energy systems", Journal of Open Source Software 3(29), 884, 2018.
   doi:10.21105/joss.00884
.. [4] I. Reda, A. Andreas, "Solar position algorithm for solar radiation applications", Solar
   Energy 76(5), 577-589, 2004. doi:10.1016/j.solener.2003.12.003
.. [5] oemof developer group, "Solar thermal collector", oemof.thermal documentation,
   https://oemof-thermal.readthedocs.io (flat_plate_precalc: the same η curve with pvlib).
.. [6] P. Ohnewein, D. Tschopp, M. Hamilton-Jones et al., SunPeek (ISO 24194 performance check
   for large solar thermal plants), AEE INTEC, https://gitlab.com/sunpeek/sunpeek: collector
   definitions, ``calculate_eta0hem`` (η0,hem = η0,b · (0.85 + 0.15 Kd), "ISO 9806 Annex B").
.. [7] D. G. Erbs, S. A. Klein, J. A. Duffie, "Estimation of the diffuse radiation fraction for
   hourly, daily and monthly-average global radiation", Solar Energy 28(4), 293-302, 1982.
   doi:10.1016/0038-092X(82)90302-4
.. [8] J. E. Hay, J. A. Davies, "Calculation of the solar radiation incident on an inclined
   surface", Proc. First Canadian Solar Radiation Data Workshop, 59-72, 1980.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from restvarme.physics.cop import _like_input

__all__ = [
    "COLLECTORS",
    "TRANSPOSITION_MODELS",
    "CollectorParameters",
    "collector_efficiency",
    "collector_heat_mw",
    "collector_heat_w_per_m2",
    "mean_collector_temperature_c",
    "plane_of_array_irradiance",
    "transpose_to_plane",
]

TRANSPOSITION_MODELS = ("haydavies", "isotropic")
"""Sky-diffuse transposition models :func:`transpose_to_plane` accepts (pvlib names)."""

Timestamps = Literal["instant", "interval_start", "interval_end"]


@dataclass(frozen=True)
class CollectorParameters:
    """Published EN ISO 9806 performance parameters of one collector type.

    Attributes
    ----------
    name : str
        Short key, e.g. ``"arcon_sunmark_htheatstore_35_10"``.
    product : str
        Manufacturer and product name as on the data sheet.
    eta0_b : float
        Peak collector efficiency based on beam irradiance, η0,b [-].
    kd : float
        Incidence-angle modifier for diffuse irradiance, Kd [-].
    a1_w_per_m2k : float
        Heat loss coefficient a1 [W/(m²·K)].
    a2_w_per_m2k2 : float
        Temperature dependence of the heat loss coefficient a2 [W/(m²·K²)].
    gross_area_m2 : float
        Gross area of one collector module [m²]; the parameters refer to the gross area.
    test : str
        Standard and test method the parameters come from.
    certificate : str
        Solar Keymark licence / data sheet, laboratory and test report(s), as far as confirmed.
    source : str
        Where the numbers were read, and what could not be confirmed.
    """

    name: str
    product: str
    eta0_b: float
    kd: float
    a1_w_per_m2k: float
    a2_w_per_m2k2: float
    gross_area_m2: float
    test: str
    certificate: str
    source: str

    @property
    def eta0_hem(self) -> float:
        """Hemispherical peak efficiency η0,hem = η0,b · (0.85 + 0.15 Kd) [-].

        The conversion the Solar Keymark data sheets (EN ISO 9806:2017) use for their power table
        at G = 1000 W/m² with 15 % diffuse share; it is the η0 to use with global irradiance.
        """
        return self.eta0_b * (0.85 + 0.15 * self.kd)


COLLECTORS: dict[str, CollectorParameters] = {
    "arcon_sunmark_htheatstore_35_10": CollectorParameters(
        name="arcon_sunmark_htheatstore_35_10",
        product="Arcon-Sunmark A/S HTHEATstore 35/10 (large-module flat plate)",
        eta0_b=0.745,
        kd=0.93,
        a1_w_per_m2k=2.067,
        a2_w_per_m2k2=0.009,
        gross_area_m2=13.57,
        test="EN ISO 9806, quasi-dynamic test (QDT); parameters per gross area",
        certificate=(
            "Solar Keymark licence SP SC0843-14, issued 2016-07-14 by SP Technical Research "
            "Institute of Sweden; test reports 6P02267-C-Rev 1 (2016-07-06) and "
            "4P04266-C-Rev 2 (2015-11-10)"
        ),
        source=(
            "Transcribed from the certificate in SunPeek's demo plant definition (collector "
            "'Arcon 3510' of the FHW Graz plant, data doi:10.5281/zenodo.7741084); a5 = 7.313 "
            "kJ/(m²K), IAM 1/0.99/0.97/0.94/0.90/0.82/0.65/0.32/0 at 10...90°. Arcon-Sunmark's "
            "notice of 2016-07-12 confirms SP SC0843-14 as one of its four valid certificates "
            "after re-testing. The certificate PDF itself was not read here. Arcon-Sunmark "
            "dominated the Danish market for solar district-heating fields "
            "(solar-district-heating.eu)."
        ),
    ),
    "chappee_sol_200_lh": CollectorParameters(
        name="chappee_sol_200_lh",
        product="CHAPPEE SOL 200 LH = DE DIETRICH D 200 SL (small flat plate, for contrast)",
        eta0_b=0.739,
        kd=0.91,
        a1_w_per_m2k=3.51,
        a2_w_per_m2k2=0.017,
        gross_area_m2=2.02,
        test="ISO 9806:2017, data-sheet parameters per gross area (η0,b, Kd given)",
        certificate=(
            "Solar Keymark data sheet (template Ver. 6.2, 2022-01-13); testing laboratory "
            "Fundación CENER; test report 30.4062.0-001 dated 2022-06-28. Licence number not "
            "confirmed here."
        ),
        source=(
            "Solar Keymark data sheet DS_3663.pdf (attached to a camelot-dev/camelot issue on "
            "GitHub). Its power table per m² gross area at G = 1000 W/m², 729 / 692 / 608 / 511 "
            "/ 400 W/m² at ΔT = 0 / 10 / 30 / 50 / 70 K, is reproduced by eta0_hem, a1, a2 "
            "(tests/physics/test_solar.py)."
        ),
    ),
}
"""Published collector parameter sets, by key. Only values read from a named certificate or data
sheet are listed. Not included because no certificate could be confirmed: other Arcon-Sunmark
(HT-SolarBoost, HT-SA), Savosolar and GREENoneTEC large modules, whose η0/a1/a2 circulate in
code without a stated source."""


def _as_float_array(value: Any) -> np.ndarray:
    return np.asarray(value, dtype=float)


def collector_efficiency(
    irradiance_w_per_m2: Any,
    temperature_mean_c: Any,
    temperature_ambient_c: Any,
    eta0: Any,
    a1_w_per_m2k: Any,
    a2_w_per_m2k2: Any,
) -> Any:
    r"""Steady-state collector efficiency after EN ISO 9806, clipped at 0.

    .. math:: \eta = \max\left(0,\ \eta_0 - a_1 \frac{\Delta T}{G} - a_2 \frac{\Delta T^2}{G}
              \right), \quad \Delta T = \vartheta_m - \vartheta_a, \quad \eta = 0 \text{ where }
              G \le 0

    Parameters
    ----------
    irradiance_w_per_m2 : float, array, Series or DataArray
        Global (hemispherical) irradiance on the collector plane G [W/m²].
    temperature_mean_c : float, array, Series or DataArray
        Mean collector fluid temperature ϑm [°C] (see :func:`mean_collector_temperature_c`).
    temperature_ambient_c : float, array, Series or DataArray
        Ambient (outdoor) air temperature ϑa [°C].
    eta0 : float or array
        Peak (zero-loss) efficiency η0 [-], hemispherical (use
        :attr:`CollectorParameters.eta0_hem` for data sheets that give η0,b and Kd).
    a1_w_per_m2k : float or array
        Heat loss coefficient a1 [W/(m²·K)], >= 0.
    a2_w_per_m2k2 : float or array
        Temperature dependence of the heat loss coefficient a2 [W/(m²·K²)], >= 0.

    Returns
    -------
    Same type as the irradiance or temperature input
        Efficiency η [-] in ``[0, η0]`` for ΔT >= 0; NaN where G or a temperature is NaN. For
        ΔT < 0 (fluid colder than the air) the curve is evaluated as it stands (η > η0), as the
        standard's model does.

    References
    ----------
    .. [1] EN ISO 9806:2017, "Solar energy — Solar thermal collectors — Test methods".
    .. [2] J. A. Duffie, W. A. Beckman, "Solar Engineering of Thermal Processes", 4th ed., Wiley,
       2013. doi:10.1002/9781118671603

    Examples
    --------
    >>> round(collector_efficiency(1000.0, 60.0, 10.0, 0.8, 3.0, 0.01), 6)
    0.625
    """
    g = _as_float_array(irradiance_w_per_m2)
    delta_t = _as_float_array(temperature_mean_c) - _as_float_array(temperature_ambient_c)
    eta0_ = _as_float_array(eta0)
    a1 = _as_float_array(a1_w_per_m2k)
    a2 = _as_float_array(a2_w_per_m2k2)
    if np.any(eta0_ < 0) or np.any(eta0_ > 1):
        raise ValueError(f"eta0 must be in [0, 1], got {eta0}.")
    if np.any(a1 < 0) or np.any(a2 < 0):
        raise ValueError(f"a1 and a2 must be >= 0, got a1={a1_w_per_m2k}, a2={a2_w_per_m2k2}.")
    lit = g > 0
    g_safe = np.where(lit, g, 1.0)
    eta = eta0_ - (a1 * delta_t + a2 * delta_t**2) / g_safe
    eta = np.where(lit, np.maximum(eta, 0.0), 0.0)
    eta = np.where(np.isnan(g) | np.isnan(delta_t), np.nan, eta)
    return _like_input(eta, irradiance_w_per_m2, temperature_mean_c, temperature_ambient_c)


def collector_heat_w_per_m2(
    irradiance_w_per_m2: Any,
    temperature_mean_c: Any,
    temperature_ambient_c: Any,
    eta0: Any,
    a1_w_per_m2k: Any,
    a2_w_per_m2k2: Any,
) -> Any:
    r"""Specific useful heat of a collector, :math:`\dot q = G\,\eta \ge 0` [W/m²].

    Parameters are those of :func:`collector_efficiency`.

    Returns
    -------
    Same type as the irradiance or temperature input
        Useful heat per m² of the area the coefficients refer to [W/m²], >= 0 (0 where
        G <= 0); NaN where an input is NaN.

    References
    ----------
    .. [1] EN ISO 9806:2017, "Solar energy — Solar thermal collectors — Test methods".
    """
    eta = _as_float_array(
        collector_efficiency(
            irradiance_w_per_m2,
            temperature_mean_c,
            temperature_ambient_c,
            eta0,
            a1_w_per_m2k,
            a2_w_per_m2k2,
        )
    )
    heat = np.maximum(_as_float_array(irradiance_w_per_m2), 0.0) * eta
    return _like_input(heat, irradiance_w_per_m2, temperature_mean_c, temperature_ambient_c)


def collector_heat_mw(
    area_m2: Any,
    irradiance_w_per_m2: Any,
    temperature_mean_c: Any,
    temperature_ambient_c: Any,
    eta0: Any,
    a1_w_per_m2k: Any,
    a2_w_per_m2k2: Any,
) -> Any:
    r"""Useful heat of a collector field, :math:`\dot Q = A\,G\,\eta \ge 0` [MW].

    Parameters
    ----------
    area_m2 : float or array
        Collector area A [m²], the area the coefficients refer to (gross area for EN ISO
        9806:2017 data sheets), >= 0.
    irradiance_w_per_m2, temperature_mean_c, temperature_ambient_c, eta0, a1_w_per_m2k, \
a2_w_per_m2k2
        As in :func:`collector_efficiency`.

    Returns
    -------
    Same type as the irradiance or temperature input
        Heat delivered by the field [MW], >= 0. Pipe losses in the field and the heat exchanger
        to the network are not included.

    Examples
    --------
    >>> round(collector_heat_mw(10_000.0, 800.0, 60.0, 20.0, 0.8, 3.0, 0.01), 6)
    5.04
    """
    area = _as_float_array(area_m2)
    if np.any(area < 0):
        raise ValueError(f"area_m2 must be >= 0, got {area_m2}.")
    heat = _as_float_array(
        collector_heat_w_per_m2(
            irradiance_w_per_m2,
            temperature_mean_c,
            temperature_ambient_c,
            eta0,
            a1_w_per_m2k,
            a2_w_per_m2k2,
        )
    )
    return _like_input(
        area * heat / 1e6, irradiance_w_per_m2, temperature_mean_c, temperature_ambient_c
    )


def mean_collector_temperature_c(supply_c: Any, return_c: Any) -> Any:
    r"""Mean collector fluid temperature, the arithmetic mean of inlet and outlet [°C].

    .. math:: \vartheta_m = \frac{\vartheta_{in} + \vartheta_{out}}{2}

    This is the definition of ϑm in EN ISO 9806 (mean of the fluid inlet and outlet temperature)
    and the one the collector parameters were fitted with. For a field feeding a district-heating
    network directly (or through a heat exchanger whose approach is neglected) the inlet is the
    network return and the outlet the network supply temperature; add the exchanger's approach
    to both if it matters.

    Parameters
    ----------
    supply_c : float, array, Series or DataArray
        Collector outlet = network supply temperature [°C].
    return_c : float, array, Series or DataArray
        Collector inlet = network return temperature [°C].

    Returns
    -------
    Same type as the inputs
        Mean fluid temperature ϑm [°C].

    References
    ----------
    .. [1] EN ISO 9806:2017, "Solar energy — Solar thermal collectors — Test methods" (symbol ϑm).
    """
    return (supply_c + return_c) / 2.0


def _time_step(times: pd.DatetimeIndex) -> pd.Timedelta:
    """Step of a regular index: its fixed frequency, or the median spacing."""
    if times.freq is not None:
        try:
            return pd.Timedelta(times.freq)
        except ValueError:
            pass
    if len(times) < 2:
        raise ValueError(
            "Cannot infer the interval length of a single time stamp; pass an index with a "
            "fixed freq, or timestamps='instant'."
        )
    return (times[1:] - times[:-1]).median()


def _solar_times(
    times: Any, utc_offset_h: float | None, timestamps: Timestamps
) -> pd.DatetimeIndex:
    """Time-zone-aware instants at which to evaluate the sun for the given time stamps."""
    index = pd.DatetimeIndex(times)
    if index.tz is None:
        if utc_offset_h is None:
            raise ValueError(
                "times are time-zone naive: pass utc_offset_h (e.g. 1.0 for CET standard time) "
                "or time-zone-aware times."
            )
        index = index.tz_localize(dt.timezone(dt.timedelta(hours=float(utc_offset_h))))
    elif utc_offset_h is not None:
        raise ValueError("times are time-zone aware; leave utc_offset_h at None.")
    if timestamps == "instant":
        return index
    if timestamps not in ("interval_start", "interval_end"):
        raise ValueError(
            f"timestamps must be 'instant', 'interval_start' or 'interval_end', got {timestamps!r}."
        )
    half_step = _time_step(index) / 2
    return index + half_step if timestamps == "interval_start" else index - half_step


def transpose_to_plane(
    ghi_w_per_m2: Any,
    dni_w_per_m2: Any,
    dhi_w_per_m2: Any,
    solar_zenith_deg: Any,
    solar_azimuth_deg: Any,
    tilt_deg: float,
    azimuth_deg: float,
    *,
    dni_extra_w_per_m2: Any = None,
    albedo: float = 0.2,
    model: str = "haydavies",
) -> Any:
    r"""Global irradiance on a tilted plane from beam, diffuse and global horizontal irradiance.

    .. math:: G = DNI\,\max(\cos\theta, 0) + I_{d,sky} + GHI\,\rho\,\frac{1 - \cos\beta}{2}

    with θ the angle of incidence, β the tilt, ρ the ground albedo and the sky diffuse
    :math:`I_{d,sky}` from the Hay–Davies model (``"haydavies"``, needs ``dni_extra``) or the
    isotropic sky (``"isotropic"``), both as implemented in
    :func:`pvlib.irradiance.get_total_irradiance`.

    Parameters
    ----------
    ghi_w_per_m2, dni_w_per_m2, dhi_w_per_m2 : float, array, Series or DataArray
        Global horizontal, direct normal and diffuse horizontal irradiance [W/m²].
    solar_zenith_deg, solar_azimuth_deg : float, array, Series or DataArray
        Apparent solar zenith [°] and solar azimuth [°, clockwise from north].
    tilt_deg : float
        Collector tilt from the horizontal [°], in [0, 180].
    azimuth_deg : float
        Collector azimuth [°, clockwise from north: 180 = facing south].
    dni_extra_w_per_m2 : float, array, Series or DataArray, optional
        Extraterrestrial normal irradiance [W/m²]; required for ``"haydavies"``.
    albedo : float, default 0.2
        Ground reflectance [-].
    model : {"haydavies", "isotropic"}, default "haydavies"
        Sky-diffuse transposition model.

    Returns
    -------
    Same type as the GHI input
        Plane-of-array global irradiance [W/m²], >= 0; 0 where the model is undefined (sun
        below the horizon), NaN only where the GHI input is NaN.

    References
    ----------
    .. [1] J. E. Hay, J. A. Davies, "Calculation of the solar radiation incident on an inclined
       surface", Proc. First Canadian Solar Radiation Data Workshop, 59-72, 1980.
    .. [2] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python package for
       modeling solar energy systems", JOSS 3(29), 884, 2018. doi:10.21105/joss.00884
    """
    import pvlib  # deferred: importing pvlib takes about half a second

    if model not in TRANSPOSITION_MODELS:
        raise ValueError(f"model must be one of {TRANSPOSITION_MODELS}, got {model!r}.")
    if model == "haydavies" and dni_extra_w_per_m2 is None:
        raise ValueError("The 'haydavies' model needs dni_extra_w_per_m2.")
    if not 0.0 <= float(tilt_deg) <= 180.0:
        raise ValueError(f"tilt_deg must be in [0, 180], got {tilt_deg}.")
    ghi = _as_float_array(ghi_w_per_m2)
    total = pvlib.irradiance.get_total_irradiance(
        surface_tilt=float(tilt_deg),
        surface_azimuth=float(azimuth_deg),
        solar_zenith=_as_float_array(solar_zenith_deg),
        solar_azimuth=_as_float_array(solar_azimuth_deg),
        dni=np.maximum(_as_float_array(dni_w_per_m2), 0.0),
        ghi=np.maximum(ghi, 0.0),
        dhi=np.maximum(_as_float_array(dhi_w_per_m2), 0.0),
        dni_extra=None if dni_extra_w_per_m2 is None else _as_float_array(dni_extra_w_per_m2),
        albedo=albedo,
        model=model,
    )
    poa = _as_float_array(total["poa_global"])
    poa = np.where(np.isfinite(poa), np.maximum(poa, 0.0), 0.0)
    poa = np.where(np.isnan(ghi), np.nan, poa)
    return _like_input(poa, ghi_w_per_m2)


def plane_of_array_irradiance(
    ghi_w_per_m2: Any,
    times: Any,
    latitude: float,
    longitude: float,
    tilt_deg: float,
    azimuth_deg: float,
    *,
    altitude_m: float = 0.0,
    albedo: float = 0.2,
    model: str = "haydavies",
    utc_offset_h: float | None = None,
    timestamps: Timestamps = "instant",
) -> Any:
    """Global irradiance on a fixed collector plane from global horizontal irradiance (pvlib).

    Steps: solar position with :func:`pvlib.solarposition.get_solarposition` (NREL SPA, apparent
    zenith used throughout); beam and diffuse from GHI with the Erbs correlation
    (:func:`pvlib.irradiance.erbs`, beam set to 0 for zenith > 87° and capped at the
    extraterrestrial irradiance, the rest counted as diffuse); transposition with
    :func:`transpose_to_plane` (Hay–Davies by default, with the extraterrestrial irradiance of
    :func:`pvlib.irradiance.get_extra_radiation`). Night and low sun give finite values >= 0,
    never NaN; for a horizontal plane the result equals GHI.

    Parameters
    ----------
    ghi_w_per_m2 : float, array, Series or DataArray
        Global horizontal irradiance [W/m²], one value per time stamp (a scalar is broadcast).
    times : pandas.DatetimeIndex or array of datetimes
        Time stamps of the GHI values. Naive stamps are local standard time at ``utc_offset_h``.
    latitude, longitude : float
        Site position [° north, ° east].
    tilt_deg : float
        Collector tilt from the horizontal [°]; Danish ground-mounted fields use 30-45°.
    azimuth_deg : float
        Collector azimuth [°, clockwise from north: 180 = facing south].
    altitude_m : float, default 0
        Site altitude [m] (used by the solar position's refraction correction).
    albedo : float, default 0.2
        Ground reflectance [-].
    model : {"haydavies", "isotropic"}, default "haydavies"
        Sky-diffuse transposition model.
    utc_offset_h : float, optional
        UTC offset of naive ``times`` [h], e.g. 1.0 for CET; required for naive times and not
        allowed for time-zone-aware ones.
    timestamps : {"instant", "interval_start", "interval_end"}, default "instant"
        What a stamp stands for: an instant, or the interval of the index's step that it starts
        or ends (hourly means; the sun is then taken at the interval's middle).

    Returns
    -------
    Same type as the GHI input
        Plane-of-array global irradiance [W/m²], >= 0, aligned with ``times``; NaN only where
        GHI is NaN.

    References
    ----------
    .. [1] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python package for
       modeling solar energy systems", JOSS 3(29), 884, 2018. doi:10.21105/joss.00884
    .. [2] I. Reda, A. Andreas, "Solar position algorithm for solar radiation applications",
       Solar Energy 76(5), 577-589, 2004. doi:10.1016/j.solener.2003.12.003
    .. [3] D. G. Erbs, S. A. Klein, J. A. Duffie, "Estimation of the diffuse radiation fraction
       for hourly, daily and monthly-average global radiation", Solar Energy 28(4), 293-302,
       1982. doi:10.1016/0038-092X(82)90302-4
    .. [4] J. E. Hay, J. A. Davies, "Calculation of the solar radiation incident on an inclined
       surface", Proc. First Canadian Solar Radiation Data Workshop, 59-72, 1980.
    """
    import pvlib  # deferred: importing pvlib takes about half a second

    solar_times = _solar_times(times, utc_offset_h, timestamps)
    ghi = np.broadcast_to(_as_float_array(ghi_w_per_m2), (len(solar_times),)).copy()
    ghi_clipped = np.maximum(np.nan_to_num(ghi, nan=0.0), 0.0)
    position = pvlib.solarposition.get_solarposition(
        solar_times, latitude, longitude, altitude=altitude_m
    )
    # One zenith (apparent, i.e. refraction-corrected) for both steps, so that the closure
    # GHI = DNI cos z + DHI holds and a horizontal plane gets exactly GHI back.
    zenith = position["apparent_zenith"].to_numpy()
    dni_extra = pvlib.irradiance.get_extra_radiation(solar_times).to_numpy()
    components = pvlib.irradiance.erbs(ghi_clipped, zenith, solar_times)
    # Beam cannot exceed the extraterrestrial irradiance; GHI above the extraterrestrial
    # horizontal value at low sun (cosine error, stamps shifted against the sun) would otherwise
    # give thousands of W/m² of beam on a tilted plane. The excess is kept as diffuse.
    dni = np.minimum(_as_float_array(components["dni"]), dni_extra)
    cos_zenith = np.maximum(np.cos(np.radians(zenith)), 0.0)
    dhi = np.where(dni > 0, ghi_clipped - dni * cos_zenith, _as_float_array(components["dhi"]))
    poa = transpose_to_plane(
        ghi_clipped,
        dni,
        dhi,
        zenith,
        position["azimuth"].to_numpy(),
        tilt_deg,
        azimuth_deg,
        dni_extra_w_per_m2=dni_extra,
        albedo=albedo,
        model=model,
    )
    poa = np.where(np.isnan(ghi), np.nan, poa)
    if np.ndim(ghi_w_per_m2) == 0 and len(solar_times) == 1:
        return float(poa[0])
    return _like_input(poa, ghi_w_per_m2)
