"""Turn a validated scenario into :class:`xarray.Dataset` inputs aligned on ``snapshot``.

Everything the model needs is computed here, once, so that ``model/`` never reads a file and never
evaluates physics: outdoor temperature, prices, demand, heat and cooling network temperatures,
waste-heat availability after outages, the hydrogen, electricity and biogas buses and fleets
(``cooling.py``, ``hydrogen.py``, ``electricity.py``, ``biogas.py``, ``fleets.py``), and, through
each unit type's ``inputs`` hook (:attr:`restvarme.units.unit_type.UnitType.inputs`, given a
:class:`~restvarme.inputs.context.UnitInputs`), every unit's parameters and hourly physics (a heat
pump's COP, a heat exchanger's limit, ...).

Variables are named ``<what>_<unit>`` and carry a ``units`` attribute. Per-unit parameters live on
one dimension per unit type (``heat_pump``, ``boiler``, ...), as the model builders expect. A type
the scenario has no unit of has no dimension and no variables (:meth:`UnitType.present
<restvarme.units.unit_type.UnitType.present>` is then False): building them empty made up most
of the time of a small run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from restvarme._dataset import dataset, labelled, shared_coordinates
from restvarme.economics import annuity_factor
from restvarme.errors import Problem, ScenarioError
from restvarme.inputs.aggregate import aggregate_inputs
from restvarme.inputs.context import UnitInputs
from restvarme.inputs.demand import (
    bdew_sigmoid_profile,
    degree_hour_profile,
    heat_demand_mw,
    network_loss_mw,
)
from restvarme.inputs.series import load_series
from restvarme.inputs.tables import columns as _da
from restvarme.inputs.weather import synthetic_outdoor_temperature
from restvarme.physics.temperatures import supply_temperature_from_curve
from restvarme.scenario import schema as s
from restvarme.scenario.load import ScenarioFile, key_line
from restvarme.units.registry import REGISTRY

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from restvarme.model.capacity import CapacityKind

AIR = "air"
"""Name of the built-in ambient source: outdoor air at the location's temperature."""


def snapshots(scenario: s.Scenario) -> pd.DatetimeIndex:
    """Hourly snapshots of the modelled horizon."""
    start = scenario.horizon.start or pd.Timestamp(year=scenario.year, month=1, day=1)
    return pd.date_range(start, periods=scenario.horizon.hours, freq="h", name="snapshot")


class _Reader:
    """Reads series values of one scenario file into arrays over the snapshots."""

    def __init__(self, sf: ScenarioFile, index: pd.DatetimeIndex) -> None:
        self.sf, self.index = sf, index

    def __call__(
        self,
        value: s.Series,
        *path: str | int,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> np.ndarray:
        return load_series(
            value,
            n=len(self.index),
            base_dir=self.sf.base_dir,
            path=path,
            scenario_file=self.sf.path,
            minimum=minimum,
            maximum=maximum,
        )

    def problem(self, message: str, *path: str | int) -> ScenarioError:
        """A located error about a value of this scenario."""
        line = key_line(self.sf.path, path) if self.sf.path is not None else None
        return ScenarioError([Problem(message, tuple(path), self.sf.path, line)])


def _expansion(
    sc: s.Scenario, units: Sequence, dim: str, kind: CapacityKind
) -> dict[str, xr.DataArray]:
    """Expansion parameters of one unit type, on its dimension.

    ``<dim>_capacity_cost_eur_per_year`` is the yearly cost of one unit of new capacity (MW, MWh
    for stores, m² for collector fields): annuity of the capital cost plus fixed O&M. The
    expansion's keys are named by that unit (``min_mw``, ``capital_cost_eur_per_mwh``, ...).
    """
    coords = {dim: [u.name for u in units]}
    ext = [u.expansion for u in units]
    per = kind.key

    def field(name: str, default: float | None = 0.0) -> list:
        return [getattr(e, name.format(per)) if e else default for e in ext]

    lo, hi = field("min_{}"), field("max_{}")
    capital, fixed = field("capital_cost_eur_per_{}"), field("fixed_om_eur_per_{}_year")
    rate = [
        sc.discount_rate if e is None or e.discount_rate is None else e.discount_rate for e in ext
    ]
    life = [e.lifetime_years if e else 1 for e in ext]
    per_year = np.asarray(capital) * annuity_factor(np.asarray(rate), np.asarray(life)) + fixed

    def da(values: ArrayLike, dtype: DTypeLike = float, u: str = kind.unit) -> xr.DataArray:
        return labelled(np.asarray(values, dtype=dtype), coords, {"units": u})

    return {
        f"{dim}_extendable": da([e is not None for e in ext], bool, "-"),
        f"{dim}_new_min": da(lo),
        f"{dim}_new_max": da([np.inf if v is None else v for v in hi]),
        f"{dim}_capacity_cost_eur_per_year": da(per_year, u=f"EUR/{kind.unit}/yr"),
        f"{dim}_lifetime_years": da(life, u="yr"),
        f"{dim}_build_from_year": da(
            [e.build_from_year if e and e.build_from_year else -1 for e in ext], u="yr"
        ),
    }


def _in_service(sc: s.Scenario, data: dict[str, xr.DataArray]) -> None:
    """Zero the existing capacity of units not yet commissioned or already retired in
    ``sc.year`` (new capacity of an extendable unit is not affected)."""
    for dim, unit_type in REGISTRY.items():
        keys = unit_type.capacity.keys
        units = sc.units_of(unit_type.specs)
        if not units:
            continue
        live = np.array(
            [
                (u.commissioned_year is None or u.commissioned_year <= sc.year)
                and (u.retired_year is None or sc.year < u.retired_year)
                for u in units
            ]
        )
        if live.all():
            continue
        mask = labelled(live, {dim: [u.name for u in units]})
        for key in keys:
            name = f"{dim}_{key}"
            data[name] = data[name].where(mask, 0.0).assign_attrs(data[name].attrs)


def _targets(sc: s.Scenario, hours: int) -> dict[str, xr.DataArray]:
    """Targets as scalars (NaN where not set); caps per year scaled to the horizon."""
    t = sc.targets
    cap = t.residual_emissions_t if t.neutral else t.emission_cap_t
    if t.neutral and t.emission_cap_t is not None:
        cap = min(cap, t.emission_cap_t)
    share = t.min_waste_heat_share
    return {
        "emission_cap_t": xr.DataArray(
            np.nan if cap is None else cap * hours / 8760.0, attrs={"units": "t CO2e"}
        ),
        "min_waste_heat_share": xr.DataArray(
            np.nan if share is None else share, attrs={"units": "-"}
        ),
        "min_renewable_share": xr.DataArray(
            np.nan if t.min_renewable_share is None else t.min_renewable_share,
            attrs={"units": "-"},
        ),
        "target_electricity_renewable_share": xr.DataArray(
            t.electricity_renewable_share, attrs={"units": "-"}
        ),
        "target_penalty_eur_per_t": xr.DataArray(
            t.shortfall_penalty_eur_per_t, attrs={"units": "EUR/t"}
        ),
    }


def _outdoor(sf: ScenarioFile, read: _Reader) -> tuple[np.ndarray, np.ndarray, slice]:
    """Outdoor temperature over the horizon, and over the year that demand profiles are shaped on.

    With a built-in climate the profile year is the full calendar year, so a short horizon in
    January sees January's demand. With a measured series the profile year is the horizon itself.
    """
    loc, index = sf.scenario.location, read.index
    if loc.outdoor_temperature_c is not None:
        t = read(loc.outdoor_temperature_c, "location", "outdoor_temperature_c")
        return t, t, slice(0, len(index))
    year = pd.date_range(pd.Timestamp(year=index[0].year, month=1, day=1), periods=8760, freq="h")
    first = year.get_indexer([index[0]])[0]
    if first < 0 or first + len(index) > len(year):
        t = synthetic_outdoor_temperature(loc.climate, index)
        return t, t, slice(0, len(index))
    full = synthetic_outdoor_temperature(loc.climate, year)
    window = slice(first, first + len(index))
    return full[window], full, window


def _networks(
    sc: s.Scenario, read: _Reader, outdoor_c: np.ndarray, profile_year: tuple[np.ndarray, slice]
) -> dict[str, xr.DataArray]:
    """Supply/return temperatures, heat load (demand plus losses) and losses per network.

    ``heat_loss_mw`` is the network's heat loss: ``heat_loss_share`` × demand, or from the
    temperatures (``heat_loss``, :func:`restvarme.inputs.demand.network_loss_mw`). It is part of
    ``heat_demand_mw``, the load the units must cover.

    An annual total is spread over the profile year (see :func:`_outdoor`) and the horizon's window
    is cut out of it; the annual total is delivered over 8760 h of that year.
    """
    index, names = read.index, list(sc.networks)
    year_c, window = profile_year
    year_index = pd.date_range(
        index[0] - pd.Timedelta(hours=window.start), periods=len(year_c), freq="h"
    )
    supply, ret, demand, loss = [], [], [], []
    for name, net in sc.networks.items():
        sup = net.supply_temperature_c
        if isinstance(sup, s.TemperatureCurve):
            supply.append(supply_temperature_from_curve(outdoor_c, sup.curve))
        else:
            supply.append(read(sup, "networks", name, "supply_temperature_c"))
        ret.append(read(net.return_temperature_c, "networks", name, "return_temperature_c"))
        if (bad := np.flatnonzero(supply[-1] <= ret[-1])).size:
            raise read.problem(
                f"supply temperature {supply[-1][bad[0]]:g} °C is not above the return temperature "
                f"{ret[-1][bad[0]]:g} °C at {index[bad[0]]} ({bad.size} hour(s)); expected "
                "supply > return in every hour",
                "networks",
                name,
                "supply_temperature_c",
            )
        d = net.demand
        if d.series_mw is not None:
            load = read(d.series_mw, "networks", name, "demand", "series_mw", minimum=0.0)
        else:
            if d.profile == "bdew":
                weights = bdew_sigmoid_profile(
                    year_c, year_index, hot_water_share=d.hot_water_share
                )
            else:
                weights = degree_hour_profile(
                    year_c, heating_limit_c=d.heating_limit_c, hot_water_share=d.hot_water_share
                )
            annual_mwh = d.annual_gwh * 1000.0 * len(year_c) / 8760.0
            load = heat_demand_mw(annual_mwh, weights)[window]
        delivered = np.asarray(load, dtype=float)
        if net.heat_loss is None:
            loss.append(delivered * net.heat_loss_share)
        else:
            where = ("networks", name, "heat_loss")
            loss.append(
                network_loss_mw(net.heat_loss, supply[-1], ret[-1], delivered, read, *where)
            )
        demand.append(delivered + loss[-1])
    return {
        "supply_temperature_c": _da(supply, index, names, "network", "°C"),
        "return_temperature_c": _da(ret, index, names, "network", "°C"),
        "heat_demand_mw": _da(demand, index, names, "network", "MW"),
        "heat_loss_mw": _da(loss, index, names, "network", "MW"),
    }


def _outage_hours(index: pd.DatetimeIndex, outage: s.Outage) -> np.ndarray:
    """Snapshots inside an outage (start inclusive, end exclusive); a yearly outage is moved to
    every year the horizon touches."""
    start, end = pd.Timestamp(outage.start), pd.Timestamp(outage.end)
    years = sorted(set(index.year)) if outage.every_year else [start.year]
    hit = np.zeros(len(index), dtype=bool)
    for year in years:
        s0 = start.replace(year=year)
        e0 = end.replace(year=year + (end.year - start.year))
        hit |= (index >= s0) & (index < e0)
    return hit


def _waste_heat(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """Each waste-heat source's availability after outages and temperature per snapshot, its
    price and emission factor, and, for streams (:class:`restvarme.scenario.heat.WasteHeatSource`),
    the temperature its availability is counted down to and the lowest it may be cooled to (NaN
    for a pool). A stream given by its heat capacity flow C gets ``available = C · (T - T_ref)``."""
    index, names = read.index, list(sc.waste_heat)
    avail, temp = [], []
    for name, src in sc.waste_heat.items():
        where = ("waste_heat", name)
        t = read(src.temperature_c, *where, "temperature_c")
        ref = src.counted_down_to_c
        if src.heat_capacity_flow_mw_per_k is not None:
            c = read(
                src.heat_capacity_flow_mw_per_k, *where, "heat_capacity_flow_mw_per_k", minimum=0.0
            )
            a = c * np.maximum(t - ref, 0.0)
        else:
            a = read(src.available_mw, *where, "available_mw", minimum=0.0).copy()
        for o in src.outages:
            a[_outage_hours(index, o)] = 0.0
        if ref is not None:
            _check_stream_temperatures(read, name, t, ref, a, src)
        avail.append(a)
        temp.append(t)

    def per_source(values: list[float], units: str) -> xr.DataArray:
        return labelled(np.asarray(values, dtype=float), {"waste_source": names}, {"units": units})

    def nan_if_none(value: float | None) -> float:
        return np.nan if value is None else float(value)

    return {
        "waste_heat_emission_t_per_mwh": per_source(
            [w.emission_t_per_mwh for w in sc.waste_heat.values()], "t CO2e/MWh"
        ),
        "waste_heat_available_mw": _da(avail, index, names, "waste_source", "MW"),
        "waste_heat_temperature_c": _da(temp, index, names, "waste_source", "°C"),
        "waste_heat_price_eur_per_mwh": per_source(
            [w.price_eur_per_mwh for w in sc.waste_heat.values()], "EUR/MWh"
        ),
        **(
            {
                "waste_heat_reference_temperature_c": per_source(
                    [nan_if_none(w.counted_down_to_c) for w in sc.waste_heat.values()], "°C"
                ),
                "waste_heat_min_temperature_c": per_source(
                    [nan_if_none(w.min_temperature_c) for w in sc.waste_heat.values()], "°C"
                ),
            }
            if any(w.is_stream for w in sc.waste_heat.values())
            else {}
        ),
    }


def _check_stream_temperatures(
    read: _Reader, name: str, t: np.ndarray, ref: float, a: np.ndarray, src: s.WasteHeatSource
) -> None:
    """A stream's temperature must lie above the temperature its heat is counted down to in
    every hour it offers heat (else its heat capacity flow a / (t - ref) is not defined)."""
    bad = (t <= ref) & (a > 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        given = src.reference_temperature_c is not None
        key = "reference_temperature_c" if given else "min_temperature_c"
        raise read.problem(
            f"the stream is at {t[k]:g} °C at {read.index[k]} ({int(bad.sum())} hour(s) in all), "
            f"not above {key} {ref:g} °C, while it offers heat; its heat is counted from "
            "temperature_c down to that temperature: lower it, or give 0 MW in those hours",
            "waste_heat",
            name,
            "temperature_c",
        )


class _Sources:
    """Temperature [°C] per snapshot of a place heat is taken from: a waste_heat source, an
    ambient source (read once) or the built-in ``air`` (the outdoor temperature); see
    :attr:`restvarme.inputs.context.UnitInputs.source_temperature_c`."""

    def __init__(self, sc: s.Scenario, read: _Reader, outdoor_c: np.ndarray, waste_t: xr.DataArray):
        self.sc, self.read, self.waste_t = sc, read, waste_t
        self.cache: dict[str, np.ndarray] = {AIR: outdoor_c}

    def __call__(self, name: str) -> np.ndarray:
        if name in self.sc.waste_heat:
            return self.waste_t.sel(waste_source=name).to_numpy()
        if name not in self.cache:  # references are checked when the scenario is loaded
            value = self.sc.ambient[name].temperature_c
            self.cache[name] = self.read(value, "ambient", name, "temperature_c")
        return self.cache[name]


def _cooling(
    sc: s.Scenario, read: _Reader, profile_year: tuple[np.ndarray, slice]
) -> dict[str, xr.DataArray]:
    """Cooling networks (restvarme.inputs.cooling, which reuses this module's helpers and is
    therefore imported here)."""
    from restvarme.inputs.cooling import cooling_inputs

    return cooling_inputs(sc, read, profile_year)


def _hydrogen(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """The hydrogen bus (restvarme.inputs.hydrogen)."""
    from restvarme.inputs.hydrogen import hydrogen_inputs

    return hydrogen_inputs(sc, read)


def _electricity(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """Local electricity demand (restvarme.inputs.electricity)."""
    from restvarme.inputs.electricity import electricity_inputs

    return electricity_inputs(sc, read)


def _biogas_and_fleets(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """The biogas bus (restvarme.inputs.biogas) and transport fleets (restvarme.inputs.fleets)."""
    from restvarme.inputs.biogas import biogas_inputs
    from restvarme.inputs.fleets import fleet_inputs

    return {**biogas_inputs(sc, read), **fleet_inputs(sc, read)}


def _unit_inputs(
    sc: s.Scenario,
    read: _Reader,
    outdoor_c: np.ndarray,
    net: dict[str, xr.DataArray],
    waste_t: xr.DataArray,
    cooling: dict[str, xr.DataArray],
) -> dict[str, xr.DataArray]:
    """The inputs of every unit type (its ``UnitType.inputs`` hook), from the state they share."""
    ctx = UnitInputs(
        scenario=sc,
        read=read,
        index=read.index,
        outdoor_c=outdoor_c,
        networks=net,
        waste_temperature_c=waste_t,
        cooling_networks=cooling,
        source_temperature_c=_Sources(sc, read, outdoor_c, waste_t),
    )
    out: dict[str, xr.DataArray] = {}
    for unit_type in REGISTRY.values():
        units = sc.units_of(unit_type.specs)
        if unit_type.inputs is not None and units:
            out.update(unit_type.inputs(ctx, units))
    return out


def _expansions(sc: s.Scenario) -> dict[str, xr.DataArray]:
    out: dict[str, xr.DataArray] = {}
    for dim, unit_type in REGISTRY.items():
        if units := sc.units_of(unit_type.specs):
            out.update(_expansion(sc, units, dim, unit_type.capacity))
    return out


def _groups_and_connections(sc: s.Scenario) -> dict[str, xr.DataArray]:
    """Capacity groups and electricity connections (restvarme.inputs.groups); none without."""
    from restvarme.inputs.groups import connection_inputs, group_inputs

    return {**group_inputs(sc), **connection_inputs(sc)}


def _markets(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    el, snap = sc.electricity, {"snapshot": read.index}
    from restvarme.inputs.biogas import BIOGAS_FUEL, biogas_fuel

    fuels = dict(sc.fuels)
    if (bus_fuel := biogas_fuel(sc)) is not None:  # burnt from the biogas bus
        fuels[BIOGAS_FUEL] = s.Fuel(**bus_fuel)
    fuel_prices = [
        read(f.price_eur_per_mwh, "fuels", n, "price_eur_per_mwh") for n, f in fuels.items()
    ]
    fuel_coords = {"fuel": list(fuels)}
    return {
        "electricity_price_eur_per_mwh": labelled(
            read(el.price_eur_per_mwh, "electricity", "price_eur_per_mwh"),
            snap,
            {"units": "EUR/MWh"},
        ),
        "electricity_emission_t_per_mwh": labelled(
            read(el.emission_t_per_mwh, "electricity", "emission_t_per_mwh"),
            snap,
            {"units": "t/MWh"},
        ),
        "fuel_price_eur_per_mwh": _da(fuel_prices, read.index, list(fuels), "fuel", "EUR/MWh"),
        "fuel_emission_t_per_mwh": labelled(
            [f.emission_t_per_mwh for f in fuels.values()], fuel_coords, {"units": "t/MWh"}
        ),
        "fuel_renewable": labelled([f.renewable for f in fuels.values()], fuel_coords),
    }


@shared_coordinates()  # its tables share their coordinates (restvarme._dataset)
def build_inputs(sf: ScenarioFile, *, aggregate: bool = True) -> xr.Dataset:
    """All hourly inputs and unit parameters of a scenario, as one Dataset.

    ``aggregate=False`` keeps every hour even when the scenario asks for blocks or typical days
    (a pathway aggregates its stacked periods together instead).

    The snapshot weighting ``snapshot_weight_h`` [h] is 1 for hourly runs; aggregated runs give
    each typical hour the number of real hours it stands for.
    """
    sc = sf.scenario
    index = snapshots(sc)
    read = _Reader(sf, index)
    outdoor_c, year_c, window = _outdoor(sf, read)
    net = _networks(sc, read, outdoor_c, (year_c, window))
    waste = _waste_heat(sc, read)
    waste_t = waste["waste_heat_temperature_c"]
    cooling = _cooling(sc, read, (year_c, window))
    data = {
        "outdoor_temperature_c": labelled(outdoor_c, {"snapshot": index}, {"units": "°C"}),
        "snapshot_weight_h": labelled(np.ones(len(index)), {"snapshot": index}, {"units": "h"}),
        "cost_weight": labelled(np.ones(len(index)), {"snapshot": index}, {"units": "h"}),
        "unit_order": xr.DataArray([u.name for u in sc.units], dims="unit"),
        **net,
        **waste,
        **_markets(sc, read),
        **cooling,
        **_hydrogen(sc, read),
        **_electricity(sc, read),
        **_biogas_and_fleets(sc, read),
        **_unit_inputs(sc, read, outdoor_c, net, waste_t, cooling),
        **_expansions(sc),
        **_groups_and_connections(sc),
        **_targets(sc, len(index)),
        "carbon_price_eur_per_t": xr.DataArray(sc.carbon_price_eur_per_t, attrs={"units": "EUR/t"}),
        "grid_fee_eur_per_mwh": xr.DataArray(
            sc.electricity.grid_fee_eur_per_mwh, attrs={"units": "EUR/MWh"}
        ),
        "unserved_heat_penalty_eur_per_mwh": xr.DataArray(
            sc.unserved_heat_penalty_eur_per_mwh, attrs={"units": "EUR/MWh"}
        ),
    }
    _in_service(sc, data)
    ds = dataset(data, attrs={"scenario": sc.name, "year": sc.year})
    ds.attrs.update(
        carbon_price_eur_per_t=sc.carbon_price_eur_per_t,
        unserved_heat_penalty_eur_per_mwh=sc.unserved_heat_penalty_eur_per_mwh,
        unserved_cooling_penalty_eur_per_mwh=sc.unserved_cooling_penalty_eur_per_mwh,
        grid_fee_eur_per_mwh=sc.electricity.grid_fee_eur_per_mwh,
        export_allowed=int(sc.electricity.export_allowed),
        import_capacity_mw=np.inf
        if sc.electricity.import_capacity_mw is None
        else sc.electricity.import_capacity_mw,
        export_capacity_mw=np.inf
        if sc.electricity.export_capacity_mw is None
        else sc.electricity.export_capacity_mw,
    )
    return aggregate_inputs(ds, sc.horizon) if aggregate else ds
