r"""Splitting a CHP plant's fuel, emissions or primary energy between its heat and its power.

A CHP burns one fuel for two products, so any per-product figure (g CO2e per kWh of heat, a
primary energy factor) needs an allocation rule. The rules in use differ a lot, so the method is
always a choice and is always named next to the figures it produced.

Every method below is a small pure function of the plant's outputs returning the **heat's share**
[-] of the burden (the fuel, or whatever follows the fuel one to one: its emissions, its primary
energy). They accept floats, numpy arrays, pandas or xarray objects. The power-bonus method is
the exception: it subtracts a credit for the electricity instead of sharing, so it takes the
burden itself and returns the heat's part, which may be negative.

=========================  ==================================================================
method                     heat's share of the burden
=========================  ==================================================================
``energy``                 Q / (Q + P)                                    (energy content)
``inverse_efficiency``     P / (Q + P) = η_el / (η_el + η_th)          (efficiency method [2]_)
``reference_efficiency``   (Q/e_H) / (Q/e_H + P/e_P), e_H = 0.80, e_P = 0.35  (GHG Protocol)
``finnish``                the same with e_H = 0.90, e_P = 0.39  (benefit distribution method)
``carnot``                 η_c·Q / (P + η_c·Q), η_c = 1 - T_ambient/T_heat  (work potential)
``fixed_heat_efficiency``  min(1, Q / (0.90·F))                 (IEA fixed heat efficiency)
``power_bonus``            burden - P·credit       (alternative production / electricity credit)
=========================  ==================================================================

with heat Q, power P and fuel F of the same hour [MWh].

Names as the field uses them
----------------------------
oemof.thermal (``cogeneration.allocate_emissions``) and the Modelica TransiEnt library
(``Components.Statistics.Functions.CO2Allocation``) both follow Mauch et al. [2]_ and call

- ``iea`` the **energy content** split η_el/(η_el + η_th) to power: here ``energy``;
- ``efficiency`` the split **inversely** to the efficiencies, η_th/(η_el + η_th) to power:
  here ``inverse_efficiency``;
- ``finnish`` the benefit distribution with reference efficiencies: here ``finnish``, the same
  formula (oemof.thermal has no default references; TransiEnt 0.40 / 0.80).

Before issue 19 this module called the GHG Protocol's reference-efficiency method ``efficiency``
and the IEA's fixed-heat-efficiency method ``iea``, which under those libraries' names are
other methods. Those two old names still work as aliases (:data:`CHP_METHOD_ALIASES`) with a
deprecation note; new code should use ``reference_efficiency`` and ``fixed_heat_efficiency``.

The Carnot method's conventions
-------------------------------
:math:`\eta_c = 1 - T_{ambient}/T_{heat}` in kelvin [1]_ [5]_ [6]_. Which temperatures:

- **heat**: by default the *logarithmic* mean of the network's supply and return
  (``heat_temperature="log_mean"``), the thermodynamic mean temperature at which water heated
  from return to supply takes up heat, which makes :math:`Q \eta_c` its exact work potential
  [5]_. The *arithmetic* mean (``"mean"``) is the approximation the Carnot-method literature
  names first ("a good approximation ... is the average between forward and return", with the
  thermodynamic mean for more precision [6]_); for 80/40 °C the two differ by 0.40 K
  (332.75 vs 333.15 K). ``"supply"`` charges heat at its highest temperature (an upper bound).
- **ambient**: the hourly outdoor temperature of the run (the dead state the heat would be
  rejected to in that hour), or a fixed value (``ambient_temperature_c``; 15 °C, 0 °C or an
  annual mean are used in the field, and the choice moves the result: at 0 °C instead of the
  hourly outdoor temperature heat carries more). Heat not warmer than the ambient has
  :math:`\eta_c = 0`.

References
----------
.. [1] WRI/WBCSD GHG Protocol, "Allocation of GHG Emissions from a Combined Heat and Power (CHP)
   Plant. Guide to calculation worksheets", version 1.0, September 2006: efficiency method
   (recommended) with default reference efficiencies 80 % (heat) and 35 % (power); work potential
   and energy content methods in appendices I and II.
.. [2] W. Mauch, R. Corradini, K. Wiesmeyer, M. Schwentzek, "Allokationsmethoden für spezifische
   CO2-Emissionen von Strom und Wärme aus KWK-Anlagen", Energiewirtschaftliche Tagesfragen 55(9),
   12-14, 2010, the catalogue implemented in oemof.thermal
   (https://github.com/oemof/oemof-thermal, ``src/oemof/thermal/cogeneration.py``) and TransiEnt
   (https://github.com/ClaRaLibrary/TransiEnt, ``AllocationMethod_IEA``, ``_Efficiencies``,
   ``_Finnish``).
.. [3] IEA, "Emissions Factors" database documentation: CO2 of CHP plants split by the
   fixed-heat-efficiency approach, heat produced at an assumed 90 % efficiency.
.. [4] Statistics Finland, "Fuel classification / benefit distribution method": alternative
   production efficiencies 90 % (heat) and 39 % (power).
.. [5] A. Bejan, "Advanced Engineering Thermodynamics", 3rd ed., Wiley, 2006: the work potential
   (exergy) of heat Q at temperature T is Q·(1 - T_0/T); for water heated from T_r to T_s the
   temperature is the logarithmic mean of the two.
.. [6] "Carnot method", Wikipedia (https://en.wikipedia.org/wiki/Carnot_method): a_el = η_el /
   (η_el + η_c·η_th), η_c = 1 - T_i/T_s, T_i the ambient, T_s the useful heat's temperature,
   approximated by the average of forward and return flow; implemented the same way in deflex
   (``exergy_method``, https://github.com/reegis/deflex).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.physics.cop import logarithmic_mean_temperature_k

__all__ = [
    "CHP_METHODS",
    "CHP_METHOD_ALIASES",
    "ChpFlows",
    "ChpMethod",
    "allocate_chp",
    "carnot_factor",
    "carnot_heat_share",
    "chp_flows",
    "efficiency_heat_share",
    "energy_heat_share",
    "finnish_heat_share",
    "fixed_heat_efficiency_heat_share",
    "iea_heat_share",
    "inverse_efficiency_heat_share",
    "power_bonus_heat_burden",
    "power_bonus_heat_share",
    "reference_efficiency_heat_share",
    "resolve_chp_method",
]

_ZERO_CELSIUS_K = 273.15

GHG_PROTOCOL_EFFICIENCY_HEAT = 0.80
"""Default reference efficiency of separate heat production in the GHG Protocol CHP tool [1]_."""
GHG_PROTOCOL_EFFICIENCY_POWER = 0.35
"""Default reference efficiency of separate power production in the GHG Protocol CHP tool [1]_."""
FINNISH_EFFICIENCY_HEAT = 0.90
"""Alternative heat production efficiency of the Finnish benefit distribution method [4]_."""
FINNISH_EFFICIENCY_POWER = 0.39
"""Alternative power production efficiency of the Finnish benefit distribution method [4]_."""
IEA_EFFICIENCY_HEAT = 0.90
"""Fixed heat efficiency of the IEA method [3]_."""


def _ratio(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator, and 0 where the denominator is 0 (a plant that is off).

    xarray inputs are aligned by dimension name; pandas Series keep their index.
    """
    if isinstance(numerator, xr.DataArray) or isinstance(denominator, xr.DataArray):
        num_da, den_da = xr.broadcast(xr.DataArray(numerator), xr.DataArray(denominator))
        return xr.where(den_da != 0, num_da / den_da.where(den_da != 0, 1.0), 0.0)
    num, den = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den != 0, num / np.where(den != 0, den, 1.0), 0.0)
    for template in (numerator, denominator):
        if isinstance(template, pd.Series) and template.shape == out.shape:
            return pd.Series(out, index=template.index)
    return out if out.ndim else float(out)


def energy_heat_share(heat_mwh: Any, power_mwh: Any) -> Any:
    """Heat's share by energy content: Q / (Q + P) [-].

    One MWh of heat and one MWh of electricity carry the same burden. Called the "energy content
    method" in [1]_ (appendix II) and the "IEA method" in [2]_ and the libraries that follow it
    (oemof.thermal and TransiEnt ``iea``).

    Parameters
    ----------
    heat_mwh, power_mwh : float, array, Series or DataArray
        Heat Q and net power P produced [MWh] (or [MW] in the same hour).
    """
    return _ratio(heat_mwh, heat_mwh + power_mwh)


def inverse_efficiency_heat_share(heat_mwh: Any, power_mwh: Any) -> Any:
    r"""Heat's share by the efficiency method of Mauch et al. [2]_: :math:`P / (Q + P)` [-].

    .. math:: a_{heat} = \frac{\eta_{el}}{\eta_{el} + \eta_{th}}, \quad
              a_{el} = \frac{\eta_{th}}{\eta_{el} + \eta_{th}}

    Each product's burden is inverse to its efficiency, so the product made with the higher
    efficiency carries the smaller share. This is what oemof.thermal and TransiEnt call
    ``efficiency``; it is not the GHG Protocol's efficiency method
    (:func:`reference_efficiency_heat_share`).
    """
    return _ratio(power_mwh, heat_mwh + power_mwh)


def reference_efficiency_heat_share(
    heat_mwh: Any,
    power_mwh: Any,
    *,
    efficiency_heat_ref: float = GHG_PROTOCOL_EFFICIENCY_HEAT,
    efficiency_power_ref: float = GHG_PROTOCOL_EFFICIENCY_POWER,
) -> Any:
    r"""Heat's share by the efficiency (reference-efficiency) method of the GHG Protocol [1]_.

    Method name ``reference_efficiency`` (``efficiency`` before issue 19, still an alias).

    .. math:: a_{heat} = \frac{Q/e_H}{Q/e_H + P/e_P}

    Each product carries the burden in proportion to the fuel separate production would need:
    heat in a boiler of efficiency :math:`e_H`, power in a plant of efficiency :math:`e_P`.

    Parameters
    ----------
    heat_mwh, power_mwh : float, array, Series or DataArray
        Heat Q and power P produced [MWh].
    efficiency_heat_ref : float, default 0.80
        Reference efficiency of separate heat production e_H [-] (GHG Protocol default).
    efficiency_power_ref : float, default 0.35
        Reference efficiency of separate power production e_P [-] (GHG Protocol default).
    """
    heat_fuel = heat_mwh / efficiency_heat_ref
    return _ratio(heat_fuel, heat_fuel + power_mwh / efficiency_power_ref)


def finnish_heat_share(
    heat_mwh: Any,
    power_mwh: Any,
    *,
    efficiency_heat_ref: float = FINNISH_EFFICIENCY_HEAT,
    efficiency_power_ref: float = FINNISH_EFFICIENCY_POWER,
) -> Any:
    r"""Heat's share by the Finnish benefit distribution method [2]_ [4]_.

    .. math:: a_{heat} = (1 - PES)\,\frac{\eta_{th}}{\eta_{th,ref}}, \quad
              1 - PES = \left(\frac{\eta_{el}}{\eta_{el,ref}} + \frac{\eta_{th}}{\eta_{th,ref}}
              \right)^{-1}

    which is algebraically the reference-efficiency method with the Finnish
    alternative-production efficiencies 0.90 (heat) and 0.39 (power), and the formula of
    oemof.thermal's and TransiEnt's ``finnish``.
    """
    return reference_efficiency_heat_share(
        heat_mwh,
        power_mwh,
        efficiency_heat_ref=efficiency_heat_ref,
        efficiency_power_ref=efficiency_power_ref,
    )


def carnot_factor(temperature_heat_c: Any, temperature_ambient_c: Any) -> Any:
    r"""Carnot factor of heat: :math:`\eta_c = 1 - T_{ambient}/T_{heat}` (kelvin) [-].

    The share of heat at :math:`T_{heat}` that an ideal engine rejecting to :math:`T_{ambient}`
    could turn into work. Zero (not negative) when the heat is not warmer than the ambient.
    """
    heat_k = temperature_heat_c + _ZERO_CELSIUS_K
    ambient_k = temperature_ambient_c + _ZERO_CELSIUS_K
    eta = np.clip(1.0 - ambient_k / heat_k, 0.0, 1.0)
    return float(eta) if np.ndim(eta) == 0 else eta


def carnot_heat_share(
    heat_mwh: Any, power_mwh: Any, temperature_heat_c: Any, temperature_ambient_c: Any
) -> Any:
    r"""Heat's share by the work-potential (exergy, Carnot) method [1]_ [5]_.

    .. math:: a_{el} = \frac{\eta_{el}}{\eta_{el} + \eta_c\,\eta_{th}}, \quad
              a_{heat} = 1 - a_{el} = \frac{\eta_c Q}{P + \eta_c Q}, \quad
              \eta_c = 1 - \frac{T_{ambient}}{T_{heat}}

    (the fuel input cancels: :math:`\eta_{el} = P/F`, :math:`\eta_{th} = Q/F`).

    Parameters
    ----------
    heat_mwh, power_mwh : float, array, Series or DataArray
        Heat Q and power P produced [MWh].
    temperature_heat_c : float, array, Series or DataArray
        Temperature at which the heat is delivered [°C]; for network water heated from return
        to supply the logarithmic mean of the two (see :func:`chp_flows`).
    temperature_ambient_c : float, array, Series or DataArray
        Ambient (dead-state) temperature [°C], e.g. the outdoor temperature.
    """
    heat_work = carnot_factor(temperature_heat_c, temperature_ambient_c) * heat_mwh
    return _ratio(heat_work, power_mwh + heat_work)


def fixed_heat_efficiency_heat_share(
    fuel_mwh: Any, heat_mwh: Any, *, efficiency_heat_ref: float = IEA_EFFICIENCY_HEAT
) -> Any:
    r"""Heat's share by the IEA fixed-heat-efficiency method [3]_.

    .. math:: a_{heat} = \min\left(1, \frac{Q}{e_H F}\right), \quad e_H = 0.90

    The heat is charged the fuel a 90 %-efficient boiler would need; electricity takes the rest.
    Method name ``fixed_heat_efficiency`` (``iea`` before issue 19, still an alias; the
    output-proportional split that [2]_, oemof.thermal and TransiEnt call the "IEA method" is
    :func:`energy_heat_share`).
    """
    return np.minimum(_ratio(heat_mwh / efficiency_heat_ref, fuel_mwh), 1.0)


efficiency_heat_share = reference_efficiency_heat_share
"""Old name of :func:`reference_efficiency_heat_share` (before issue 19)."""
iea_heat_share = fixed_heat_efficiency_heat_share
"""Old name of :func:`fixed_heat_efficiency_heat_share` (before issue 19)."""


def power_bonus_heat_burden(burden: Any, power_mwh: Any, credit_per_mwh: Any) -> Any:
    r"""Heat's burden by the power-bonus (alternative production, credit) method [2]_.

    .. math:: B_{heat} = B - P \cdot c

    The plant's whole burden B goes to heat, less a credit c for every MWh of power: what the
    power it displaces would have caused (emissions [t/MWh] of a reference or marginal plant for
    emissions, its primary energy factor for primary energy). The result is negative when the
    credit exceeds the burden; it is reported as it is, not clipped.
    """
    return burden - power_mwh * credit_per_mwh


def power_bonus_heat_share(fuel_mwh: Any, power_mwh: Any, *, efficiency_power_ref: float) -> Any:
    r"""Heat's share of the fuel by the power bonus with a fuel credit:
    :math:`1 - P / (e_P F)` [-].

    Power is credited with the fuel a separate plant of efficiency :math:`e_P` would burn for it
    (e.g. a harmonised reference efficiency of Delegated Regulation (EU) 2015/2402, Annex I).
    """
    return 1.0 - _ratio(power_mwh / efficiency_power_ref, fuel_mwh)


@dataclass(frozen=True)
class ChpFlows:
    """Hourly flows and temperatures of the CHP units of a run, dims (snapshot, unit)."""

    fuel_mw: xr.DataArray
    heat_mw: xr.DataArray
    power_mw: xr.DataArray
    temperature_heat_c: xr.DataArray
    """Temperature at which each unit's heat is delivered [°C]."""
    temperature_ambient_c: xr.DataArray
    """Ambient temperature for the Carnot factor [°C]."""


HeatTemperature = Literal["log_mean", "mean", "supply"]


def chp_flows(
    ds: xr.Dataset,
    *,
    heat_temperature: HeatTemperature = "log_mean",
    ambient_temperature_c: float | None = None,
) -> ChpFlows:
    """The CHP units' fuel, heat and power from results, with the temperatures Carnot needs.

    Parameters
    ----------
    ds : results Dataset (:func:`restvarme.results.collect.collect_results`)
    heat_temperature : {"log_mean", "mean", "supply"}, default "log_mean"
        Temperature of the heat: the logarithmic mean of the sink network's supply and return
        (exact for the work potential of water heated from return to supply [5]_), their
        arithmetic mean, or the supply temperature.
    ambient_temperature_c : float, optional
        Ambient temperature [°C]; default the hourly outdoor temperature of the run.
    """
    from restvarme.accounting.outputs import is_cogeneration

    units = ds["unit"].values[is_cogeneration(ds).values]
    sinks = ds["unit_sink"].sel(unit=units)
    supply = ds["supply_temperature_c"].sel(network=sinks).drop_vars("network")
    ret = ds["return_temperature_c"].sel(network=sinks).drop_vars("network")
    temperatures = {
        "supply": lambda: supply,
        "mean": lambda: (supply + ret) / 2,
        "log_mean": lambda: (
            logarithmic_mean_temperature_k(supply + _ZERO_CELSIUS_K, ret + _ZERO_CELSIUS_K)
            - _ZERO_CELSIUS_K
        ),
    }
    if heat_temperature not in temperatures:
        raise ValueError(
            f"heat_temperature must be one of {sorted(temperatures)}, got {heat_temperature!r}."
        )
    t_heat = xr.DataArray(temperatures[heat_temperature](), coords=supply.coords, dims=supply.dims)
    ambient = (
        ds["outdoor_temperature_c"]
        if ambient_temperature_c is None
        else xr.full_like(ds["outdoor_temperature_c"], float(ambient_temperature_c))
    )
    return ChpFlows(
        fuel_mw=ds["fuel_mw"].sel(unit=units),
        heat_mw=ds["heat_mw"].sel(unit=units),
        power_mw=ds["electricity_mw"].sel(unit=units),
        temperature_heat_c=t_heat.transpose("snapshot", "unit"),
        temperature_ambient_c=ambient.broadcast_like(t_heat).transpose("snapshot", "unit"),
    )


@dataclass(frozen=True)
class ChpMethod:
    """One allocation method: how it is called, where it comes from, and its rule on flows."""

    name: str
    description: str
    reference: str
    heat_burden: Callable[..., xr.DataArray]
    """(burden, flows, electricity_credit, **options) -> the heat's part of the burden."""


def _shared(share_fn: Callable[[ChpFlows, Mapping[str, Any]], Any]) -> Callable[..., xr.DataArray]:
    def heat_burden(
        burden: xr.DataArray, flows: ChpFlows, electricity_credit: Any = None, **options: Any
    ) -> xr.DataArray:
        return burden * share_fn(flows, options)

    return heat_burden


def _power_bonus(
    burden: xr.DataArray, flows: ChpFlows, electricity_credit: Any = None, **options: Any
) -> xr.DataArray:
    if "efficiency_power_ref" in options:
        share = power_bonus_heat_share(flows.fuel_mw, flows.power_mw, **options)
        return burden * share
    if electricity_credit is None:
        raise ValueError(
            "the power_bonus method needs a credit per MWh of power: pass electricity_credit "
            "(t CO2e/MWh for emissions, a primary energy factor for primary energy) or "
            "efficiency_power_ref=... for a fuel credit."
        )
    return power_bonus_heat_burden(burden, flows.power_mw, electricity_credit)


CHP_METHODS: dict[str, ChpMethod] = {
    m.name: m
    for m in (
        ChpMethod(
            "energy",
            "energy content: Q/(Q+P)",
            "GHG Protocol CHP tool 2006, app. II; 'iea' in oemof.thermal and TransiEnt",
            _shared(lambda f, o: energy_heat_share(f.heat_mw, f.power_mw)),
        ),
        ChpMethod(
            "inverse_efficiency",
            "inverse to the efficiencies: P/(Q+P)",
            "Mauch et al. 2010; 'efficiency' in oemof.thermal and TransiEnt",
            _shared(lambda f, o: inverse_efficiency_heat_share(f.heat_mw, f.power_mw)),
        ),
        ChpMethod(
            "reference_efficiency",
            "reference efficiencies e_H=0.80, e_P=0.35",
            "GHG Protocol CHP tool (WRI/WBCSD 2006)",
            _shared(lambda f, o: reference_efficiency_heat_share(f.heat_mw, f.power_mw, **o)),
        ),
        ChpMethod(
            "finnish",
            "benefit distribution, e_H=0.90, e_P=0.39",
            "Statistics Finland; 'finnish' in oemof.thermal and TransiEnt",
            _shared(lambda f, o: finnish_heat_share(f.heat_mw, f.power_mw, **o)),
        ),
        ChpMethod(
            "carnot",
            "work potential: η_c·Q/(P+η_c·Q), η_c = 1 - T_amb/T_heat",
            "GHG Protocol CHP tool 2006, app. I",
            _shared(
                lambda f, o: carnot_heat_share(
                    f.heat_mw, f.power_mw, f.temperature_heat_c, f.temperature_ambient_c
                )
            ),
        ),
        ChpMethod(
            "fixed_heat_efficiency",
            "fixed heat efficiency 0.90: min(1, Q/(0.9·F))",
            "IEA Emissions Factors",
            _shared(lambda f, o: fixed_heat_efficiency_heat_share(f.fuel_mw, f.heat_mw, **o)),
        ),
        ChpMethod(
            "power_bonus",
            "alternative production: burden - P·credit",
            "Mauch et al. 2010",
            _power_bonus,
        ),
    )
}
"""The allocation methods by name (the names ``--method`` accepts)."""

CHP_METHOD_ALIASES: dict[str, str] = {
    "efficiency": "reference_efficiency",
    "iea": "fixed_heat_efficiency",
}
"""Old names (before issue 19) that still work, with the method they stand for. Deprecated: in
oemof.thermal and TransiEnt ``efficiency`` is :func:`inverse_efficiency_heat_share` and ``iea``
is :func:`energy_heat_share`."""


def resolve_chp_method(method: str) -> tuple[str, str | None]:
    """The method's current name, and a deprecation note if ``method`` is an old alias.

    Raises
    ------
    ValueError
        For a name that is neither a method nor an alias, listing the methods.
    """
    if method in CHP_METHODS:
        return method, None
    if method in CHP_METHOD_ALIASES:
        new = CHP_METHOD_ALIASES[method]
        field = {"efficiency": "inverse_efficiency", "iea": "energy"}[method]
        return new, (
            f"CHP allocation method {method!r} is the old name of {new!r} and is deprecated: "
            f"in oemof.thermal and TransiEnt {method!r} is another method (here {field!r}). "
            f"Use {new!r}."
        )
    raise ValueError(
        f"unknown CHP allocation method {method!r}; use one of {sorted(CHP_METHODS)} "
        f"(old names {sorted(CHP_METHOD_ALIASES)} still work)."
    )


def allocate_chp(
    burden: xr.DataArray,
    flows: ChpFlows,
    method: str = "reference_efficiency",
    *,
    electricity_credit: Any = None,
    **options: Any,
) -> xr.DataArray:
    """The heat's part of a CHP burden, hour by hour, dims (snapshot, unit).

    Parameters
    ----------
    burden : DataArray (snapshot, unit)
        What is shared, per CHP unit and snapshot: its fuel emissions [t CO2e], or the primary
        energy of its fuel [MWh].
    flows : :class:`ChpFlows` from :func:`chp_flows`
    method : one of :data:`CHP_METHODS`, or an old name of :data:`CHP_METHOD_ALIASES`
        (deprecated: it warns with a :class:`DeprecationWarning`)
    electricity_credit : float or DataArray (snapshot), optional
        Burden credited per MWh of power; only the ``power_bonus`` method uses it.
    **options
        Method parameters, e.g. ``efficiency_heat_ref=0.9`` for ``reference_efficiency``.

    Returns
    -------
    DataArray (snapshot, unit)
        The heat's part, in the burden's unit; the power's part is ``burden - result``.
        Allocation is done per snapshot (so that hourly indicators add up to yearly ones).
    """
    method, note = resolve_chp_method(method)
    if note is not None:
        warnings.warn(note, DeprecationWarning, stacklevel=2)
    out = CHP_METHODS[method].heat_burden(burden, flows, electricity_credit, **options)
    return xr.DataArray(out).transpose(*burden.dims)
