"""Per-network indicators, yearly and hourly: g CO2e/kWh, primary energy factor, shares.

The Swedish local environmental values of district heating (Värmemarknadskommittén 2009,
Energiföretagen) are published per network and year: g CO2e per delivered kWh, primary energy
factor and fossil share. :func:`network_indicators` computes those, plus the renewable and
waste-heat shares, from a run's results, for either perspective of
:mod:`restvarme.accounting.emissions`.

Definitions (per network n; "produced" is the heat of every unit feeding n except stores):

* ``delivered_heat_mwh`` = Σ_t w·(load - losses - unserved): the heat the customers receive
  (:func:`restvarme.accounting.outputs.delivered_heat_mw`); the network's losses are heat the
  units make and no customer gets, so they raise the g CO2e and primary energy per kWh.
* ``emission_intensity_g_per_kwh`` = 1000 * heat emissions [t] / delivered heat [MWh]
  (t/MWh * 1000 = g/kWh). Hourly: emissions of the hour's production / the hour's production.
* ``primary_energy_factor`` = Σ primary energy of the inputs / delivered heat, with the factors of
  a :class:`PrimaryEnergyFactors` (stated with every table; see its defaults and sources).
* ``renewable_share``: heat from renewable fuels (``fuel_renewable``), ambient heat lifted by heat
  pumps (RED II counts it as renewable [2]_), and electricity-based heat times
  ``electricity_renewable_share``; ``fossil_share`` likewise with non-renewable fuels and
  ``electricity_fossil_share``; ``waste_heat_share``: heat taken from waste-heat sources (through a
  heat exchanger, or at a heat pump's evaporator), and the heat a heat-recovery heat pump takes
  from its cooling network (recovered from the cooled buildings and processes: waste heat in the
  sense of RED II Art. 2(9) [2]_). Shares are of produced heat.

References
----------
.. [1] Energiföretagen Sverige, "Miljövärdering av fjärrvärme" (Värmemarknadskommittén 2009).
.. [2] Directive (EU) 2018/2001 (RED II), Art. 7 and Annex VII: ambient energy captured by heat
   pumps counts as renewable; Art. 24: waste heat and cold count towards the district heating
   target alongside renewables, but are not renewable energy.
.. [3] Directive (EU) 2023/1791 (Energy Efficiency Directive, recast): default primary energy
   factor 1.9 for electricity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike

from restvarme.accounting.chp_allocation import allocate_chp, chp_flows
from restvarme.accounting.emissions import (
    Perspective,
    accounting_perspective,
    network_heat_emissions_t,
    require_one_period,
)
from restvarme.accounting.outputs import (
    delivered_heat_mw,
    is_cogeneration,
    is_store,
    output_shares,
)

__all__ = ["PrimaryEnergyFactors", "heat_by_origin_mwh", "indicator_table", "network_indicators"]


@dataclass(frozen=True)
class PrimaryEnergyFactors:
    """Primary energy per MWh of each input [MWh/MWh]. Every value is a parameter; defaults:

    * ``fuel`` 1.0 for every fuel: the fuel's own energy (LHV) is its primary energy (physical
      energy content method); give a mapping fuel -> factor for upstream or non-renewable
      factors (e.g. Boverket's or EN 15603 weightings).
    * ``electricity`` 1.9: the EU default for electricity of the recast Energy Efficiency
      Directive (EU) 2023/1791 [3]_.
    * ``waste_heat`` 0.0 and ``ambient_heat`` 0.0: recovered and environmental heat burn no
      fuel; an assumed convention (set 1.0 for a total primary energy balance).
    """

    fuel: float | Mapping[str, float] = 1.0
    electricity: float = 1.9
    waste_heat: float = 0.0
    ambient_heat: float = 0.0

    def fuel_factor(self, fuel: str) -> float:
        if isinstance(self.fuel, Mapping):
            if fuel not in self.fuel:
                raise KeyError(f"no primary energy factor for fuel {fuel!r}; add it to `fuel`.")
            return float(self.fuel[fuel])
        return float(self.fuel)

    def describe(self) -> str:
        fuel = (
            ", ".join(f"{k} {v:g}" for k, v in self.fuel.items())
            if isinstance(self.fuel, Mapping)
            else f"{self.fuel:g}"
        )
        return (
            f"primary energy factors: fuels {fuel}, electricity {self.electricity:g}, "
            f"waste heat {self.waste_heat:g}, ambient heat {self.ambient_heat:g}"
        )


def _unit_vector(ds: xr.Dataset, values: ArrayLike) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, dtype=float), coords={"unit": ds["unit"]}, dims="unit")


def heat_by_origin_mwh(
    ds: xr.Dataset,
    *,
    electricity_renewable_share: float = 0.0,
    electricity_fossil_share: float = 0.0,
) -> xr.Dataset:
    """Each unit's heat split by origin [MWh per snapshot], dims (snapshot, unit).

    Read from the results' ``heat_origin_mw``, the units' own split of the heat they deliver
    (:data:`restvarme.units.ports.ORIGINS`), the very count the model's minimum-share targets
    make. Variables ``produced`` (every origin), ``renewable`` (fuel heat where the fuel is
    renewable, ambient and solar heat, electricity-based heat × ``electricity_renewable_share``),
    ``fossil`` (fuel heat where it is not, electricity-based heat ×
    ``electricity_fossil_share``), ``waste_heat``, ``ambient`` and ``electricity_based`` (a heat
    pump's Q/COP, an electric boiler's Q, a heat-recovery heat pump's P/Q share of its heat).
    Stores produce nothing here (they shift heat in time).
    """
    w = ds["snapshot_weight_h"]
    origin = ds["heat_origin_mw"] * w
    renewable_fuel = _unit_vector(
        ds, [bool(ds["fuel_renewable"].sel(fuel=f)) if f else False for f in ds["unit_fuel"].values]
    ).astype(bool)

    def part(name: str) -> xr.DataArray:
        return origin.sel(origin=name, drop=True)

    fuel, electric = part("fuel"), part("electricity")
    return xr.Dataset(
        {
            "produced": origin.sum("origin"),
            "renewable": fuel.where(renewable_fuel, 0.0)
            + part("ambient")
            + part("solar")
            + electricity_renewable_share * electric,
            "fossil": fuel.where(~renewable_fuel, 0.0) + electricity_fossil_share * electric,
            "waste_heat": part("waste_heat"),
            "ambient": part("ambient"),
            "electricity_based": electric,
        }
    )


def _primary_energy_mwh(
    ds: xr.Dataset, perspective: Perspective, pef: PrimaryEnergyFactors, origin: xr.Dataset
) -> xr.DataArray:
    """Primary energy charged to each unit's heat [MWh per snapshot], dims (snapshot, unit):
    the fuel and electricity a unit uses, shared among its outputs as its emissions are
    (:mod:`restvarme.accounting.outputs`), CHPs by the perspective's allocation method; plus
    waste and ambient heat at their factors."""
    w = ds["snapshot_weight_h"]
    factor = _unit_vector(ds, [pef.fuel_factor(f) if f else 0.0 for f in ds["unit_fuel"].values])
    fuel_pe = ds["fuel_mw"] * w * factor
    use = (-ds["electricity_mw"]).clip(min=0) * w
    chp, store = is_cogeneration(ds), is_store(ds)
    heat_share = output_shares(ds).sel(output="heat", drop=True)
    out = ((fuel_pe + pef.electricity * use) * heat_share).where(~chp & ~store, 0.0)
    out = out + pef.waste_heat * origin["waste_heat"] + pef.ambient_heat * origin["ambient"]
    if bool(chp.any()):
        opts = dict(perspective.chp_options)
        flows = chp_flows(
            ds,
            **{k: opts.pop(k) for k in ("heat_temperature", "ambient_temperature_c") if k in opts},
        )
        units = flows.fuel_mw["unit"]
        allocated = allocate_chp(
            fuel_pe.sel(unit=units),
            flows,
            perspective.chp_method,
            electricity_credit=pef.electricity * w,
            **opts,
        )
        out = out + allocated.reindex(unit=ds["unit"], fill_value=0.0)
    return out.transpose("snapshot", "unit")


def _by_network(ds: xr.Dataset, per_unit: xr.DataArray) -> xr.DataArray:
    nets = ds["network"].values
    parts = [per_unit.where(ds["unit_sink"] == n, 0.0).sum("unit") for n in nets]
    return xr.concat(parts, dim=xr.DataArray(nets, dims="network", name="network"))


def network_indicators(
    ds: xr.Dataset,
    perspective: Perspective | None = None,
    *,
    primary_energy_factors: PrimaryEnergyFactors | None = None,
    electricity_renewable_share: float = 0.0,
    electricity_fossil_share: float = 0.0,
    waste_heat_factor_t_per_mwh: float | Mapping[str, float] = 0.0,
) -> xr.Dataset:
    """Yearly (dims ``network``) and hourly (dims ``snapshot, network``) indicators.

    Yearly: ``delivered_heat_mwh``, ``produced_heat_mwh``, ``emissions_t``,
    ``emission_intensity_g_per_kwh``, ``primary_energy_mwh``, ``primary_energy_factor``,
    ``renewable_share``, ``fossil_share``, ``waste_heat_share``. Hourly: the same names with the
    suffix ``_hourly`` (intensity and factor per produced kWh of the hour). See the module
    docstring for definitions; ``attrs`` name the perspective and the factors used.

    Parameters
    ----------
    ds : results Dataset
    perspective : default :func:`restvarme.accounting.emissions.accounting_perspective`
    primary_energy_factors : default :class:`PrimaryEnergyFactors` ()
    electricity_renewable_share, electricity_fossil_share : float
        Shares of grid electricity counted renewable / fossil [-] (default 0: electricity-based
        heat is counted in neither, only in the remainder).
    waste_heat_factor_t_per_mwh : float or mapping source -> float
        Emission factor charged to recovered waste heat [t CO2e/MWh] (default 0).
    """
    perspective = perspective or accounting_perspective()
    pef = primary_energy_factors or PrimaryEnergyFactors()
    require_one_period(ds)
    origin = heat_by_origin_mwh(
        ds,
        electricity_renewable_share=electricity_renewable_share,
        electricity_fossil_share=electricity_fossil_share,
    )
    kinds = ("produced", "renewable", "fossil", "waste_heat")
    hourly = {k: _by_network(ds, origin[k]) for k in kinds}
    hourly["emissions"] = network_heat_emissions_t(
        ds, perspective, waste_heat_factor_t_per_mwh=waste_heat_factor_t_per_mwh
    )
    hourly["primary"] = _by_network(ds, _primary_energy_mwh(ds, perspective, pef, origin))
    hourly["delivered"] = delivered_heat_mw(ds) * ds["snapshot_weight_h"]
    out = _indicators(hourly)
    out.attrs.update(
        perspective=perspective.describe(ds),
        primary_energy_factors=pef.describe(),
        electricity_renewable_share=electricity_renewable_share,
        electricity_fossil_share=electricity_fossil_share,
    )
    return out


def _share(a: xr.DataArray, b: xr.DataArray) -> xr.DataArray:
    return xr.where(b > 0, a / b.where(b > 0, 1.0), np.nan)


def _indicators(hourly: dict[str, xr.DataArray]) -> xr.Dataset:
    """Yearly and hourly indicators from hourly totals per network [MWh, t per snapshot]."""
    year = {k: v.sum("snapshot") for k, v in hourly.items()}
    produced = hourly["produced"]
    out = xr.Dataset()
    out["delivered_heat_mwh"] = year["delivered"]
    out["produced_heat_mwh"] = year["produced"]
    out["emissions_t"] = year["emissions"]
    out["emission_intensity_g_per_kwh"] = 1000 * _share(year["emissions"], year["delivered"])
    out["primary_energy_mwh"] = year["primary"]
    out["primary_energy_factor"] = _share(year["primary"], year["delivered"])
    for key in ("renewable", "fossil", "waste_heat"):
        out[f"{key}_share"] = _share(year[key], year["produced"])
        out[f"{key}_share_hourly"] = _share(hourly[key], produced)
    out["emissions_t_hourly"] = hourly["emissions"]
    out["emission_intensity_g_per_kwh_hourly"] = 1000 * _share(hourly["emissions"], produced)
    out["primary_energy_factor_hourly"] = _share(hourly["primary"], produced)
    for name in out.data_vars:
        if "snapshot" in out[name].dims:
            out[name] = out[name].transpose("snapshot", "network")
    return out


def indicator_table(indicators: xr.Dataset, **kwargs: Any) -> pd.DataFrame:
    """The yearly indicators as a table, one row per network (shares in %, heat in GWh).

    ``indicators`` is the Dataset of :func:`network_indicators`, or a results Dataset, for which
    :func:`network_indicators` is called with ``kwargs`` first. ``attrs`` of the table name the
    perspective and the factors.
    """
    if "emission_intensity_g_per_kwh" not in indicators:
        indicators = network_indicators(indicators, **kwargs)
    table = pd.DataFrame(
        {
            "delivered_gwh": indicators["delivered_heat_mwh"].to_series() / 1000,
            "emissions_t": indicators["emissions_t"].to_series(),
            "g_co2e_per_kwh": indicators["emission_intensity_g_per_kwh"].to_series(),
            "primary_energy_factor": indicators["primary_energy_factor"].to_series(),
            "renewable_pct": 100 * indicators["renewable_share"].to_series(),
            "fossil_pct": 100 * indicators["fossil_share"].to_series(),
            "waste_heat_pct": 100 * indicators["waste_heat_share"].to_series(),
        }
    )
    table.index.name = "network"
    table.attrs.update(indicators.attrs)
    return table
