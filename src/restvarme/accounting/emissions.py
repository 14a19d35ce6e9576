"""Emissions of a run by unit, fuel and network, in an accounting or a decision perspective.

Swedish practice (Värmemarknadskommittén 2009, Energiföretagen) keeps two views apart [1]_:

* the **accounting perspective** (attributional, historic): what the heat *is* responsible for.
  Fuel burnt in boilers counts fully, a CHP's fuel is split between heat and power by a named
  allocation method (:mod:`restvarme.accounting.chp_allocation`), electricity used by heat pumps,
  electric boilers and heat-recovery heat pumps counts at an *average* grid factor, shared among
  a unit's outputs by :mod:`restvarme.accounting.outputs`. Electricity sold earns no credit.
* the **decision perspective** (consequential): what the system *changes* in the world. Every
  fuel counts fully, and the net electricity exchange counts at a *marginal* factor: electricity
  used adds marginal emissions, electricity produced (CHP) avoids them. For a network this is
  the power-bonus method with the marginal factor as credit. Accounting values must not be used
  for decisions [1]_.

A :class:`Perspective` holds those choices; :func:`accounting_perspective` and
:func:`decision_perspective` build the two standard ones. Every function here is pure: results
Dataset in, numbers out, t CO2e per snapshot (already multiplied by the snapshot weight [h]).

References
----------
.. [1] Energiföretagen Sverige, "Miljövärdering av fjärrvärme - Värmemarknadskommitténs
   överenskommelse" (2009, yearly local values per network), as summarised in
   ``examples/REFERENCE_CITIES.md`` ("Emission accounting").
.. [2] IVL Swedish Environmental Research Institute: Nordic electricity mix including trade
   about 90 g CO2e/kWh (2016-19) and 59 g/kWh (2021-23) (ivl.se).
.. [3] Greenhouse Gas Protocol, "Scope 2 Guidance", WRI 2015: location-based (average) factors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import xarray as xr

from restvarme._dataset import get
from restvarme.accounting.chp_allocation import allocate_chp, chp_flows
from restvarme.accounting.outputs import is_cogeneration, is_store, output_shares

__all__ = [
    "MARGINAL_COAL_CONDENSING_T_PER_MWH",
    "NORDIC_MIX_2021_2023_T_PER_MWH",
    "Perspective",
    "accounting_perspective",
    "decision_perspective",
    "electricity_factor_t_per_mwh",
    "electricity_use_emissions_t",
    "emissions_by_unit",
    "fuel_emissions_t",
    "network_heat_emissions_t",
    "system_emissions_t",
    "unit_heat_emissions_t",
    "unit_own_emissions_t",
]

NORDIC_MIX_2021_2023_T_PER_MWH = 0.059
"""Average Nordic electricity mix including trade, 2021-23 [t CO2e/MWh] [2]_."""
MARGINAL_COAL_CONDENSING_T_PER_MWH = 0.7
"""Marginal electricity from coal condensing plants, a common consequential assumption
[t CO2e/MWh] (about 700 g/kWh; see ``examples/REFERENCE_CITIES.md``)."""

FactorLike: TypeAlias = float | xr.DataArray | pd.Series | np.ndarray | None


@dataclass(frozen=True)
class Perspective:
    """How emissions are counted: the electricity factor, the CHP rule, credits for exports."""

    name: str
    """``"accounting"`` or ``"decision"`` (or your own label)."""
    electricity_factor_t_per_mwh: FactorLike = None
    """Grid factor [t CO2e/MWh], constant or hourly; None: the run's own (scenario) factor."""
    chp_method: str = "reference_efficiency"
    """CHP allocation method for network figures (see ``CHP_METHODS``)."""
    chp_options: Mapping[str, Any] = field(default_factory=dict)
    """Parameters of the CHP method (reference efficiencies, heat temperature choice ...)."""
    credit_electricity_export: bool = False
    """Whether electricity sold to the grid avoids emissions at the electricity factor."""

    def describe(self, ds: xr.Dataset | None = None) -> str:
        """One line naming every choice, for table captions."""
        factor = self.electricity_factor_t_per_mwh
        if factor is None:
            label = "the run's own"
            if ds is not None:
                label += (
                    f" ({1000 * float(ds['electricity_emission_t_per_mwh'].mean()):.0f} g/kWh mean)"
                )
        elif np.ndim(factor) == 0:
            label = f"{1000 * float(factor):.0f} g/kWh"
        else:
            label = f"hourly series ({1000 * float(np.mean(np.asarray(factor))):.0f} g/kWh mean)"
        opts = ", ".join(f"{k}={v}" for k, v in self.chp_options.items())
        method = f"{self.chp_method}({opts})" if opts else self.chp_method
        return f"{self.name} perspective; CHP allocation: {method}; electricity factor: {label}"


def accounting_perspective(
    chp_method: str = "reference_efficiency",
    electricity_factor_t_per_mwh: FactorLike = None,
    **chp_options: Any,
) -> Perspective:
    """The accounting (attributional) perspective: average electricity factor, CHP allocated.

    Defaults: the run's own electricity factor (average, as the scenario states it) and the
    GHG Protocol's (reference-)efficiency method for CHP plants.
    """
    return Perspective("accounting", electricity_factor_t_per_mwh, chp_method, dict(chp_options))


def decision_perspective(
    marginal_factor_t_per_mwh: FactorLike = MARGINAL_COAL_CONDENSING_T_PER_MWH,
) -> Perspective:
    """The decision (consequential) perspective: marginal electricity factor on the net exchange.

    CHP power is credited at the same marginal factor (power-bonus method), so a network's
    figures add up to the system's: Σ fuel emissions + (import - export) * marginal factor.
    """
    return Perspective(
        "decision", marginal_factor_t_per_mwh, "power_bonus", {}, credit_electricity_export=True
    )


def electricity_factor_t_per_mwh(ds: xr.Dataset, factor: FactorLike = None) -> xr.DataArray:
    """Grid emission factor per snapshot [t CO2e/MWh].

    Parameters
    ----------
    ds : results Dataset
    factor : float, array, Series or DataArray on snapshot, optional
        A constant, or one value per snapshot (average or marginal, hourly). None: the factor the
        scenario gave the run (``electricity_emission_t_per_mwh``).
    """
    own = ds["electricity_emission_t_per_mwh"]
    if factor is None:
        return own
    if isinstance(factor, xr.DataArray) and "snapshot" in factor.dims:
        return factor.reindex_like(own)
    values = np.asarray(factor, dtype=float)
    if values.ndim == 0:
        return xr.full_like(own, float(values))
    if values.shape != own.shape:
        raise ValueError(
            f"an hourly electricity factor needs one value per snapshot ({own.size}), got "
            f"{values.size}; pass a constant or a series over the run's snapshots."
        )
    return own.copy(data=values)


def _weight(ds: xr.Dataset) -> xr.DataArray:
    return ds["snapshot_weight_h"]


def require_one_period(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` itself if it holds one year; a clear error for a pathway run's stacked periods."""
    if "period" in ds.dims:
        periods = ", ".join(map(str, ds["period"].values))
        raise ValueError(
            f"these results have a period dimension (a pathway run: {periods}); account for one "
            f"period at a time, e.g. ds.sel(period={ds['period'].values[-1]})."
        )
    return ds


def fuel_emissions_t(ds: xr.Dataset) -> xr.DataArray:
    """Emissions of the fuel each unit burns [t CO2e per snapshot], dims (snapshot, unit).

    fuel [MW] * weight [h] * emission factor of the unit's fuel [t/MWh]; 0 for units without fuel.
    """
    fuels = ds["unit_fuel"]
    factor = xr.DataArray(
        [float(ds["fuel_emission_t_per_mwh"].sel(fuel=f)) if f else 0.0 for f in fuels.values],
        coords={"unit": ds["unit"]},
        dims="unit",
    )
    return (ds["fuel_mw"] * factor * _weight(ds)).transpose("snapshot", "unit")


def electricity_use_emissions_t(ds: xr.Dataset, factor: FactorLike = None) -> xr.DataArray:
    """Emissions of the electricity each unit uses [t CO2e per snapshot], dims (snapshot, unit).

    consumption [MW] (the negative part of ``electricity_mw``) * weight [h] * factor [t/MWh].
    """
    use = (-ds["electricity_mw"]).clip(min=0)
    return (use * electricity_factor_t_per_mwh(ds, factor) * _weight(ds)).transpose(
        "snapshot", "unit"
    )


def _chp_heat_emissions(
    ds: xr.Dataset, fuel_t: xr.DataArray, perspective: Perspective
) -> xr.DataArray:
    """Heat's part of each CHP unit's fuel emissions [t per snapshot], dims (snapshot, unit)."""
    opts = dict(perspective.chp_options)
    flow_opts = {k: opts.pop(k) for k in ("heat_temperature", "ambient_temperature_c") if k in opts}
    flows = chp_flows(ds, **flow_opts)
    units = flows.fuel_mw["unit"]
    credit = electricity_factor_t_per_mwh(ds, perspective.electricity_factor_t_per_mwh) * _weight(
        ds
    )
    # power [MW] x credit [t/MWh] x weight [h]: pass the weight with the credit, flows in MW
    return allocate_chp(
        fuel_t.sel(unit=units), flows, perspective.chp_method, electricity_credit=credit, **opts
    )


def unit_own_emissions_t(
    ds: xr.Dataset,
    perspective: Perspective | None = None,
    *,
    waste_heat_factor_t_per_mwh: float | Mapping[str, float] = 0.0,
) -> xr.DataArray:
    """Each unit's own emissions [t CO2e per snapshot], dims (snapshot, unit): its fuel's, the
    electricity it uses at the perspective's factor, and the waste heat it draws at
    ``waste_heat_factor_t_per_mwh`` (see :mod:`restvarme.accounting.outputs`)."""
    perspective = perspective or accounting_perspective()
    out = fuel_emissions_t(ds) + electricity_use_emissions_t(
        ds, perspective.electricity_factor_t_per_mwh
    )
    out = out + _waste_heat_emissions_t(ds, waste_heat_factor_t_per_mwh)
    return out.where(~is_store(ds), 0.0).transpose("snapshot", "unit")


def _waste_heat_emissions_t(ds: xr.Dataset, factor: float | Mapping[str, float]) -> xr.DataArray:
    """Source heat drawn from waste-heat sources times their factor [t per snapshot]."""
    waste = set(map(str, ds["waste_source"].values)) if "waste_source" in ds.dims else set()
    sources = [str(s) for s in ds["unit_source"].values]
    if isinstance(factor, Mapping):
        wf = [float(factor.get(s, 0.0)) if s in waste else 0.0 for s in sources]
    else:
        wf = [float(factor) if s in waste else 0.0 for s in sources]
    per_unit = xr.DataArray(wf, coords={"unit": ds["unit"]}, dims="unit")
    return (ds["source_heat_mw"] * per_unit * _weight(ds)).transpose("snapshot", "unit")


def unit_heat_emissions_t(
    ds: xr.Dataset,
    perspective: Perspective | None = None,
    *,
    waste_heat_factor_t_per_mwh: float | Mapping[str, float] = 0.0,
) -> xr.DataArray:
    """Emissions charged to each unit's heat output [t CO2e per snapshot], dims (snapshot, unit).

    By the rule of :mod:`restvarme.accounting.outputs`: a unit's own emissions (fuel, electricity
    used at the perspective's factor, waste heat drawn at ``waste_heat_factor_t_per_mwh``) times
    the heat's share of its useful outputs in the hour (1 for boilers, heat pumps, electric
    boilers and heat exchangers; heat delivered / (heat delivered + cooling) for a heat-recovery
    heat pump; 0 for chillers and electrolysers); for cogeneration units (CHPs) the heat's part
    of the fuel emissions by the perspective's allocation method. Stores: 0 (they only move
    heat in time; it was charged when produced).

    Parameters
    ----------
    ds : results Dataset
    perspective : :class:`Perspective`, default :func:`accounting_perspective`
    waste_heat_factor_t_per_mwh : float or mapping source -> float
        Emission factor of recovered waste heat [t CO2e/MWh] (default 0: recovered heat carries
        no burden of its own; give a factor per source to charge one).
    """
    perspective = perspective or accounting_perspective()
    require_one_period(ds)
    own = unit_own_emissions_t(
        ds, perspective, waste_heat_factor_t_per_mwh=waste_heat_factor_t_per_mwh
    )
    chp = is_cogeneration(ds)
    out = (own * output_shares(ds).sel(output="heat", drop=True)).where(~chp, 0.0)
    if bool(chp.any()):
        heat = _chp_heat_emissions(ds, fuel_emissions_t(ds), perspective)
        out = out + heat.reindex(unit=ds["unit"], fill_value=0.0)
    return out.transpose("snapshot", "unit")


def network_heat_emissions_t(
    ds: xr.Dataset, perspective: Perspective | None = None, **kwargs: Any
) -> xr.DataArray:
    """Emissions charged to each network's heat [t CO2e per snapshot], dims (snapshot, network).

    The sum of :func:`unit_heat_emissions_t` over the units feeding each network.
    """
    per_unit = unit_heat_emissions_t(ds, perspective, **kwargs)
    nets = ds["network"].values
    stacked = [per_unit.where(ds["unit_sink"] == n, 0.0).sum("unit") for n in nets]
    return xr.concat(stacked, dim=xr.DataArray(nets, dims="network", name="network")).transpose(
        "snapshot", "network"
    )


def system_emissions_t(ds: xr.Dataset, perspective: Perspective | None = None) -> pd.Series:
    """Emissions of the whole system over the horizon by source [t CO2e].

    One entry per fuel, then ``electricity``: import * factor (accounting; with electricity
    connections, the electricity each meter's ``emission_rule`` charges,
    ``grid_emission_basis_mw``: a gross connection's units' use, not netted against their own
    generation), or (import - export) * factor when the perspective credits exports (decision:
    the net exchange, whatever the rules); then, where the
    run has them, ``gas_grid`` (gas bought for the biogas bus) and ``transport`` (fuel of
    diesel and petrol fleets). With the
    accounting perspective and the run's own factor this reproduces ``ds["emissions_t"]``.
    """
    perspective = perspective or accounting_perspective()
    fuel_t = fuel_emissions_t(require_one_period(ds)).sum("snapshot")
    out = {str(f): float(fuel_t.where(ds["unit_fuel"] == f, 0.0).sum()) for f in ds["fuel"].values}
    factor = electricity_factor_t_per_mwh(ds, perspective.electricity_factor_t_per_mwh)
    if perspective.credit_electricity_export:
        net = ds["grid_import_mw"] - ds["grid_export_mw"]
    else:  # by each connection's emission rule (restvarme.model.connections), as the model
        net = get(ds, "grid_emission_basis_mw", ds["grid_import_mw"])
    out["electricity"] = float((net * factor * _weight(ds)).sum())
    if "gas_grid_import_mw" in ds:  # the biogas bus's gas grid (restvarme.results.biogas)
        bought = float((ds["gas_grid_import_mw"] * _weight(ds)).sum())
        out["gas_grid"] = bought * float(ds["gas_grid_emission_t_per_mwh"])
    if "fleet_fuel_t" in ds:  # diesel and petrol fleets, tank to wheel
        out["transport"] = float(ds["fleet_fuel_t"].sum())
    return pd.Series(out, name="emissions_t")


def emissions_by_unit(ds: xr.Dataset, perspective: Perspective | None = None) -> pd.DataFrame:
    """Per unit over the horizon: fuel burnt, direct and electricity emissions, heat's part [t].

    Columns: ``type``, ``network``, ``fuel``, ``fuel_mwh``, ``direct_t`` (fuel emissions),
    ``electricity_use_t`` (electricity used * the perspective's factor), ``heat_t`` (charged to
    the unit's heat, :func:`unit_heat_emissions_t`) and ``power_t`` (a CHP's fuel emissions not
    charged to heat).
    """
    perspective = perspective or accounting_perspective()
    direct = fuel_emissions_t(ds).sum("snapshot")
    electric = electricity_use_emissions_t(ds, perspective.electricity_factor_t_per_mwh).sum(
        "snapshot"
    )
    heat = unit_heat_emissions_t(ds, perspective).sum("snapshot")
    is_chp = is_cogeneration(ds)
    table = pd.DataFrame(
        {
            "type": ds["unit_type"].values,
            "network": ds["unit_sink"].values,
            "fuel": ds["unit_fuel"].values,
            "fuel_mwh": (ds["fuel_mw"] * _weight(ds)).sum("snapshot").values,
            "direct_t": direct.values,
            "electricity_use_t": electric.values,
            "heat_t": heat.values,
            "power_t": (direct - heat).where(is_chp, 0.0).values,
        },
        index=pd.Index(ds["unit"].values, name="unit"),
    )
    return table
