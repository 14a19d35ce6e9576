"""Inputs of district cooling: cooling networks and the units that serve them.

Called from :func:`restvarme.inputs.build.build_inputs`, with the same conventions: hourly arrays
on ``snapshot`` and, per network, on ``cooling_network``; unit parameters on one dimension per
unit type (``chiller``, ``free_cooling``, ``absorption_chiller``, ``cold_storage``,
``heat_recovery_heat_pump``). Physics is evaluated here, once: the chillers' EER per hour, the
heat-recovery heat pumps' COP per hour, and the hours in which free cooling and absorption
chillers can run (``<type>_share``: 1 where the temperatures allow it, 0 where not; a share of
the hours once snapshots are merged into blocks).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from restvarme.inputs.build import _da, _label, _param, _Reader, store_params
from restvarme.inputs.demand import cooling_degree_hour_profile, heat_demand_mw
from restvarme.physics.cop import chiller_eer, heat_pump_cop
from restvarme.scenario import schema as s
from restvarme.units.absorption_chiller import AbsorptionChiller
from restvarme.units.chiller import Chiller
from restvarme.units.cold_storage import ColdStorage
from restvarme.units.free_cooling import FreeCooling
from restvarme.units.heat_recovery_heat_pump import HeatRecoveryHeatPump

NETWORK = "cooling_network"


def cooling_inputs(
    sc: s.Scenario,
    read: _Reader,
    outdoor_c: np.ndarray,
    profile_year: tuple[np.ndarray, slice],
    net: dict[str, xr.DataArray],
    waste_t: xr.DataArray,
) -> dict[str, xr.DataArray]:
    """Every cooling input of a scenario (empty dimensions where it has no cooling)."""
    out = _cooling_networks(sc, read, profile_year)
    supply = out["cooling_supply_temperature_c"]
    ambient = _Ambient(sc, read, outdoor_c)
    out.update(_chillers(sc, read, supply, ambient))
    out.update(_free_cooling(sc, read, supply, ambient))
    out.update(_absorption_chillers(sc, read, net, waste_t))
    out.update(_cold_stores(sc))
    out.update(_heat_recovery_heat_pumps(sc, read, supply, net))
    return out


def _cooling_networks(sc: s.Scenario, read: _Reader, profile_year) -> dict[str, xr.DataArray]:
    """Supply/return temperatures and cooling load (demand plus pipe heat gains) per network.

    An annual total is spread over the profile year by cooling degree hours, as heat demand is
    by heating degree hours (see :func:`restvarme.inputs.build._networks`).
    """
    index, names = read.index, list(sc.cooling_networks)
    year_c, window = profile_year
    supply, ret, demand = [], [], []
    for name, net in sc.cooling_networks.items():
        where = ("cooling_networks", name)
        supply.append(read(net.supply_temperature_c, *where, "supply_temperature_c"))
        ret.append(read(net.return_temperature_c, *where, "return_temperature_c"))
        if (bad := np.flatnonzero(supply[-1] >= ret[-1])).size:
            raise read.problem(
                f"cooling supply temperature {supply[-1][bad[0]]:g} °C is not below the return "
                f"temperature {ret[-1][bad[0]]:g} °C at {index[bad[0]]} ({bad.size} hour(s)); "
                "expected supply < return in every hour",
                *where,
                "supply_temperature_c",
            )
        d = net.demand
        if d.series_mw is not None:
            load = read(d.series_mw, *where, "demand", "series_mw", minimum=0.0)
        else:
            weights = cooling_degree_hour_profile(
                year_c, cooling_limit_c=d.cooling_limit_c, base_load_share=d.base_load_share
            )
            annual_mwh = d.annual_gwh * 1000.0 * len(year_c) / 8760.0
            load = heat_demand_mw(annual_mwh, weights)[window]
        demand.append(np.asarray(load, dtype=float) * (1.0 + net.heat_gain_share))
    return {
        "cooling_supply_temperature_c": _da(supply, index, names, NETWORK, "°C"),
        "cooling_return_temperature_c": _da(ret, index, names, NETWORK, "°C"),
        "cooling_demand_mw": _da(demand, index, names, NETWORK, "MW"),
        "unserved_cooling_penalty_eur_per_mwh": xr.DataArray(
            sc.unserved_cooling_penalty_eur_per_mwh, attrs={"units": "EUR/MWh"}
        ),
    }


class _Ambient:
    """Temperature of an ambient source or of outdoor air (``air``), read once per source."""

    def __init__(self, sc: s.Scenario, read: _Reader, outdoor_c: np.ndarray):
        self.sc, self.read, self.cache = sc, read, {"air": outdoor_c}

    def __call__(self, name: str) -> np.ndarray:
        if name not in self.cache:
            value = self.sc.ambient[name].temperature_c
            self.cache[name] = self.read(value, "ambient", name, "temperature_c")
        return self.cache[name]


def _common(units, dim: str) -> dict[str, xr.DataArray]:
    return {
        f"{dim}_capacity_mw": _param(units, dim, "capacity_mw", "MW"),
        f"{dim}_vom_eur_per_mwh": _param(units, dim, "vom_eur_per_mwh", "EUR/MWh"),
    }


def _chillers(sc, read, supply, ambient) -> dict[str, xr.DataArray]:
    """EER per hour (:func:`restvarme.physics.cop.chiller_eer`) and unit parameters."""
    units: list[Chiller] = sc.units_of(Chiller)
    dim = "chiller"
    eer = [
        chiller_eer(
            supply.sel({NETWORK: u.sink}).to_numpy(),
            ambient(u.condenser),
            quality_grade=u.quality_grade,
            evaporator_approach_k=u.evaporator_approach_k,
            condenser_approach_k=u.condenser_approach_k,
            max_eer=u.max_eer,
        )
        for u in units
    ]
    return {
        "chiller_eer": _da(eer, read.index, [u.name for u in units], dim, "-"),
        **_common(units, dim),
        "chiller_sink": _label(units, dim, "sink"),
        "chiller_condenser": _label(units, dim, "condenser"),
    }


def _free_cooling(sc, read, supply, ambient) -> dict[str, xr.DataArray]:
    """Hours the source is cold enough (share 1) and the cooling it can give then [MW]."""
    units: list[FreeCooling] = sc.units_of(FreeCooling)
    dim, position = "free_cooling", {u.name: i for i, u in enumerate(sc.units)}
    shares, available = [], []
    for u in units:
        cold = ambient(u.source) <= supply.sel({NETWORK: u.sink}).to_numpy() - u.approach_k
        shares.append(cold.astype(float))
        mw = (
            np.full(len(read.index), np.inf)
            if u.available_mw is None
            else read(u.available_mw, "units", position[u.name], "available_mw", minimum=0.0)
        )
        available.append(np.where(cold, mw, 0.0))
    names = [u.name for u in units]
    return {
        "free_cooling_share": _da(shares, read.index, names, dim, "-"),
        "free_cooling_available_mw": _da(available, read.index, names, dim, "MW"),
        "free_cooling_electricity_mwh_per_mwh": _param(
            units, dim, "electricity_mwh_per_mwh", "MWh/MWh"
        ),
        **_common(units, dim),
        "free_cooling_sink": _label(units, dim, "sink"),
        "free_cooling_source": _label(units, dim, "source"),
    }


def _absorption_chillers(sc, read, net, waste_t) -> dict[str, xr.DataArray]:
    """Hours the driving heat is hot enough (share 1), and unit parameters.

    The driving temperature is the supply temperature of a heat network, or the temperature of
    a waste-heat source.
    """
    units: list[AbsorptionChiller] = sc.units_of(AbsorptionChiller)
    dim, shares = "absorption_chiller", []
    for u in units:
        if u.source in sc.networks:
            driving = net["supply_temperature_c"].sel(network=u.source).to_numpy()
        else:
            driving = waste_t.sel(waste_source=u.source).to_numpy()
        low = u.min_driving_temperature_c
        shares.append(np.ones(len(read.index)) if low is None else (driving >= low).astype(float))
    return {
        "absorption_chiller_share": _da(shares, read.index, [u.name for u in units], dim, "-"),
        "absorption_chiller_thermal_cop": _param(units, dim, "thermal_cop", "-"),
        "absorption_chiller_electricity_mwh_per_mwh": _param(
            units, dim, "electricity_mwh_per_mwh", "MWh/MWh"
        ),
        **_common(units, dim),
        "absorption_chiller_sink": _label(units, dim, "sink"),
        "absorption_chiller_source": _label(units, dim, "source"),
    }


def _cold_stores(sc: s.Scenario) -> dict[str, xr.DataArray]:
    units: list[ColdStorage] = sc.units_of(ColdStorage)
    dim = "cold_storage"
    return {
        **store_params(units, dim),
        "cold_storage_network": _label(units, dim, "network"),
        "cold_storage_medium": _label(units, dim, "medium"),
    }


def _heat_recovery_heat_pumps(sc, read, supply, net) -> dict[str, xr.DataArray]:
    """Heating COP per hour between the two networks (Carnot times quality grade, capped), with the
    condensing temperature above the heat supply and the evaporating temperature below the
    cooling supply; the cooling COP is COP - 1."""
    units: list[HeatRecoveryHeatPump] = sc.units_of(HeatRecoveryHeatPump)
    dim = "heat_recovery_heat_pump"
    cop = [
        heat_pump_cop(
            net["supply_temperature_c"].sel(network=u.heat_network).to_numpy(),
            supply.sel({NETWORK: u.cooling_network}).to_numpy(),
            quality_grade=u.quality_grade,
            condenser_approach_k=u.condenser_approach_k,
            evaporator_approach_k=u.evaporator_approach_k,
            max_cop=u.max_cop,
        )
        for u in units
    ]
    coords = {dim: [u.name for u in units]}
    return {
        "heat_recovery_heat_pump_cop": _da(cop, read.index, [u.name for u in units], dim, "-"),
        **_common(units, dim),
        "heat_recovery_heat_pump_sink": _label(units, dim, "heat_network"),
        "heat_recovery_heat_pump_cooling_network": _label(units, dim, "cooling_network"),
        "heat_recovery_heat_pump_heat_rejection": xr.DataArray(
            np.asarray([u.heat_rejection for u in units], dtype=bool), coords
        ),
        "heat_recovery_heat_pump_heat_rejection_cost_eur_per_mwh": _param(
            units, dim, "heat_rejection_cost_eur_per_mwh", "EUR/MWh"
        ),
    }
