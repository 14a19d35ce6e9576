"""Key figures of one run, computed from the results Dataset alone.

These are the few numbers a board asks for first. They are computed here, not taken from
``restvarme.accounting``, so that a report can always be made from a results file. Definitions:

- heat delivered [MWh] = heat demand - network losses - unserved heat: the heat the customers
  receive (the demand of the results, ``heat_demand_mwh``, is the load the units cover: the
  customers' demand plus the network's losses, ``heat_loss_mwh``);
- total cost [EUR] = sum of the run's cost items (for a one-year run: the objective); system cost
  leaves out the penalties (on unserved heat, on missed targets), which are modelling devices and
  not money anyone pays, and keeps capital (annuities of new capacity) where there is any;
- cooling delivered [MWh] = cooling demand - unserved cooling (0 without cooling networks);
- heat cost and cooling cost [EUR]: the ``heat`` and ``cooling`` rows of
  :func:`restvarme.accounting.costs.cost_by_sector` (each unit's costs go to its outputs in
  proportion to their energy), plus the costs placed on no unit (capital of new capacity, not yet
  placed per unit) shared between the two in proportion to the energy delivered; their sum, the
  **heat-and-cooling cost**, is the system cost less what serves the electricity, hydrogen,
  biogas and transport sectors;
- cost per MWh of heat [EUR/MWh] = heat cost / heat delivered; of cooling = cooling cost / cooling
  delivered; of heat and cooling (``cost_eur_per_mwh``) = heat-and-cooling cost / (heat + cooling
  delivered): the delivery-weighted mean of the two;
- emission intensity [g CO2e/kWh] of heat = emissions of the heat sector
  (:func:`restvarme.accounting.sectors.emissions_by_sector`) / heat delivered; of cooling
  likewise; of heat and cooling (``emission_intensity_g_per_kwh``) = emissions of both sectors /
  (heat + cooling delivered) (electricity sold is not credited; 1 t/MWh = 1,000 g/kWh);
  ``emissions_t`` stays the run's total over all sectors;
- waste-heat share [-] = waste heat taken for heat networks (heat exchangers, and the source side
  of heat pumps on waste heat; the pumps' electricity is not counted; heat driving absorption
  chillers is left out, as it makes cooling) / heat delivered;
- fossil share [-] = heat from units burning a fuel not marked ``renewable`` / heat produced.

Units are named by their type's label in :mod:`restvarme.units.registry` and sorted into
categories by their ports (:func:`unit_categories`); no unit type is named here.

A pathway run has a ``period`` dimension; :func:`period_table` gives the key figures per period.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.accounting.costs import PENALTY_ITEMS
from restvarme.results import roles

DASH = "\u2013"
"""Shown where a number does not exist (an en dash)."""

T_PER_MWH_TO_G_PER_KWH = 1000.0
"""1 t CO2e/MWh = 1e6 g / 1e3 kWh."""


@dataclass(frozen=True)
class KeyFigures:
    """The headline numbers of one run (one period of a pathway run)."""

    scenario: str
    year: int
    total_cost_eur: float
    system_cost_eur: float
    penalty_eur: float
    cost_eur_per_mwh: float
    heat_demand_mwh: float
    heat_delivered_mwh: float
    heat_loss_mwh: float
    heat_produced_mwh: float
    unserved_heat_mwh: float
    peak_demand_mw: float
    emissions_t: float
    emission_intensity_g_per_kwh: float
    waste_heat_used_mwh: float
    waste_heat_share: float
    fossil_share: float
    electricity_import_mwh: float
    electricity_export_mwh: float
    cooling_delivered_mwh: float = 0.0
    heat_cost_eur: float = 0.0
    cooling_cost_eur: float = 0.0
    heat_cost_eur_per_mwh: float = float("nan")
    cooling_cost_eur_per_mwh: float = float("nan")
    heat_emissions_t: float = 0.0
    cooling_emissions_t: float = 0.0
    heat_emission_intensity_g_per_kwh: float = float("nan")
    cooling_emission_intensity_g_per_kwh: float = float("nan")

    @property
    def heat_and_cooling_cost_eur(self) -> float:
        """Cost of the heat and cooling networks [EUR] (see the module docstring)."""
        return self.heat_cost_eur + self.cooling_cost_eur

    @property
    def heat_and_cooling_emissions_t(self) -> float:
        """Emissions of the heat and cooling sectors [t CO2e]."""
        return self.heat_emissions_t + self.cooling_emissions_t

    @property
    def delivered_mwh(self) -> float:
        """Heat and cooling delivered [MWh]: the denominator of the combined figures."""
        return self.heat_delivered_mwh + self.cooling_delivered_mwh

    @property
    def delivered_label(self) -> str:
        """What the combined figures are per: "heat", or "heat and cooling" in a run with
        cooling networks."""
        return "heat and cooling" if self.cooling_delivered_mwh > 0 else "heat"

    def as_dict(self) -> dict[str, float | str | int]:
        return asdict(self)


LABELS: dict[str, str] = {
    "total_cost_eur": "Total cost, penalties included",
    "system_cost_eur": "System cost, without penalties",
    "penalty_eur": "Penalties (unserved demand, missed targets)",
    "cost_eur_per_mwh": "Cost per MWh of heat and cooling delivered",
    "heat_demand_mwh": "Heat load: the customers' demand and the network losses",
    "heat_loss_mwh": "Network heat losses",
    "heat_delivered_mwh": "Heat delivered",
    "heat_produced_mwh": "Heat produced (stores left out)",
    "unserved_heat_mwh": "Unserved heat",
    "peak_demand_mw": "Peak heat demand",
    "emissions_t": "Emissions, all sectors",
    "emission_intensity_g_per_kwh": "Emissions per kWh of heat and cooling delivered",
    "waste_heat_used_mwh": "Waste heat taken for heat networks",
    "waste_heat_share": "Waste-heat share of heat delivered",
    "fossil_share": "Fossil-fuel share of heat produced",
    "electricity_import_mwh": "Electricity bought from the grid",
    "electricity_export_mwh": "Electricity sold to the grid",
    "cooling_delivered_mwh": "Cooling delivered",
    "heat_cost_eur": "Cost of heat",
    "cooling_cost_eur": "Cost of cooling",
    "heat_cost_eur_per_mwh": "Cost per MWh of heat delivered",
    "cooling_cost_eur_per_mwh": "Cost per MWh of cooling delivered",
    "heat_emissions_t": "Emissions of the heat sector",
    "cooling_emissions_t": "Emissions of the cooling sector",
    "heat_emission_intensity_g_per_kwh": "Emissions per kWh of heat delivered",
    "cooling_emission_intensity_g_per_kwh": "Emissions per kWh of cooling delivered",
    "heat_and_cooling_cost_eur": "Cost of heat and cooling",
    "heat_and_cooling_emissions_t": "Emissions of the heat and cooling sectors",
}
"""One label per key figure (see the module docstring for each definition); in a run without
cooling networks "heat and cooling" reads "heat" (:func:`figure_label`)."""


def figure_label(key: str, kf: KeyFigures) -> str:
    """The label of a key figure in one run: "heat and cooling" becomes "heat" without cooling."""
    label = LABELS[key]
    return label if kf.cooling_delivered_mwh > 0 else label.replace("heat and cooling", "heat")


FIGURE_LABELS: dict[str, tuple[str, str]] = {
    key: (LABELS[key], unit)
    for key, unit in (
        ("total_cost_eur", "MEUR/yr"),
        ("cost_eur_per_mwh", "EUR/MWh"),
        ("emissions_t", "t CO2e/yr"),
        ("emission_intensity_g_per_kwh", "g CO2e/kWh"),
        ("waste_heat_share", "%"),
        ("unserved_heat_mwh", "MWh"),
        ("heat_delivered_mwh", "GWh"),
        ("cooling_delivered_mwh", "GWh"),
        ("fossil_share", "%"),
    )
}
"""Label and display unit of the figures shown at the top of a report, in order; see
:func:`figure_cards` for the labels of one run."""


@dataclass(frozen=True)
class FigureCard:
    """One headline figure as every output shows it: its key in :class:`KeyFigures`, label,
    display unit, value in base units (EUR, MWh, t, share) and what it is computed from."""

    key: str
    label: str
    unit: str
    value: float
    note: str


def figure_cards(kf: KeyFigures) -> list[FigureCard]:
    """The headline figures of one run with labels that say what is divided by what.

    In a run without cooling networks the combined figures are per MWh of heat and say so; the
    note of each ratio shows its numerator and denominator, so that a reader can divide.
    """
    what = kf.delivered_label
    delivered = f"{kf.delivered_mwh / 1e3:,.1f} GWh {what} delivered"
    notes = {
        "total_cost_eur": (
            f"incl. {kf.penalty_eur / 1e6:,.2f} MEUR penalties (unserved demand, targets)"
            if kf.penalty_eur > 0
            else "all sectors, the model's objective"
        ),
        "cost_eur_per_mwh": (
            f"{kf.heat_and_cooling_cost_eur / 1e6:,.2f} MEUR cost of {what} / {delivered}"
        ),
        "emissions_t": "heat, cooling and any other sector in the run",
        "emission_intensity_g_per_kwh": (
            f"{kf.heat_and_cooling_emissions_t:,.0f} t of the {what} sectors / {delivered}"
        ),
        "waste_heat_share": f"{kf.waste_heat_used_mwh / 1e3:,.1f} GWh waste heat taken",
        "unserved_heat_mwh": (
            "all demand met"
            if kf.unserved_heat_mwh < 0.5
            else f"{kf.unserved_heat_mwh / kf.heat_demand_mwh:.2%} of demand"
        ),
        "heat_delivered_mwh": f"peak demand {kf.peak_demand_mw:,.0f} MW",
        "cooling_delivered_mwh": (
            f"{kf.cooling_cost_eur_per_mwh:,.1f} EUR/MWh, "
            f"{kf.cooling_emission_intensity_g_per_kwh:,.1f} g CO2e/kWh"
            if kf.cooling_delivered_mwh > 0
            else ""
        ),
        "fossil_share": "heat from units burning a fuel not marked renewable",
    }
    values = kf.as_dict()
    cards = []
    for key, (_, unit) in FIGURE_LABELS.items():
        if key == "cooling_delivered_mwh" and kf.cooling_delivered_mwh <= 0:
            continue
        cards.append(FigureCard(key, figure_label(key, kf), unit, float(values[key]), notes[key]))
    return cards


def display_value(key: str, value: float) -> str:
    """A key figure as shown in reports: scaled to its display unit and rounded."""
    unit = FIGURE_LABELS.get(key, ("", ""))[1]
    if value is None or not np.isfinite(value):
        return DASH
    if unit == "MEUR/yr":
        return f"{value / 1e6:,.2f}"
    if unit == "GWh":
        return f"{value / 1e3:,.1f}"
    if unit == "%":
        return f"{value * 100:,.1f}"
    if unit in ("EUR/MWh", "g CO2e/kWh"):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def _require_single_period(ds: xr.Dataset) -> None:
    if "period" in ds.dims:
        raise ValueError(
            "these results have a 'period' dimension; select one period first, "
            "e.g. key_figures(ds.sel(period=2030)), or use period_table(ds)"
        )


def _safe_ratio(num: float, den: float) -> float:
    return num / den if den > 1e-9 else float("nan")


def waste_sources(ds: xr.Dataset) -> set[str]:
    """Names of the waste-heat sources of a run."""
    return {str(s) for s in ds["waste_source"].values} if "waste_source" in ds.coords else set()


ORIGIN_WORDS = {"waste_heat": "waste heat", "ambient": "ambient"}
"""Heat origins that name a category of their own: heat drawn from a source, directly or driven
by electricity (:func:`unit_categories`)."""
DIRECT = {"waste_heat": "Waste heat, direct", "ambient": "Ambient heat, direct"}
"""The category of a unit taking such heat without electricity (a heat exchanger)."""

CATEGORY_GROUPS = (
    "waste heat, direct",
    "waste heat",
    "ambient",
    "solar",
    "other",
    "stores",
    "elsewhere",
)
"""Order in which categories are stacked, base load at the bottom; within a group, the registry's
order of unit types (CHP before boiler before electric boiler). Units that serve no heat
network (cooling units, other sectors' units) come last."""


def unit_categories(ds: xr.Dataset, table: pd.DataFrame | None = None) -> dict[str, str]:
    """The category each unit's heat is counted under in energy mixes, by unit.

    A heat unit whose heat comes above all from a waste-heat source or the ambient
    (:func:`restvarme.results.roles.heat_origin`) is ``"Waste heat, direct"`` (or
    ``"Ambient heat, direct"``) when it takes no electricity, else its type's label and the
    origin (``"Heat pump, waste heat"``, ``"Heat pump, ambient"``); every other unit is its
    type's label (``"CHP"``, ``"Boiler"``, ``"Solar thermal"``, ``"Storage"``, ``"Chiller"``).
    ``table``: the run's :func:`restvarme.results.roles.unit_roles`, if the caller has it.
    """
    t = roles.unit_roles(ds) if table is None else table
    out = {}
    for unit, row in t.iterrows():
        words = ORIGIN_WORDS.get(row["origin"]) if row["heat_unit"] and not row["store"] else None
        if words is None:
            out[str(unit)] = row["label"]
        elif row["driven"]:
            out[str(unit)] = f"{row['label']}, {words}"
        else:
            out[str(unit)] = DIRECT[row["origin"]]
    return out


def unit_category(ds: xr.Dataset, unit: str) -> str:
    """The category of one unit (see :func:`unit_categories`)."""
    return unit_categories(ds)[str(unit)]


def unit_ranks(ds: xr.Dataset, table: pd.DataFrame | None = None) -> dict[str, tuple[int, int]]:
    """Each unit's place in the stacking order of categories (see :data:`CATEGORY_GROUPS`)."""
    t = roles.unit_roles(ds) if table is None else table
    out = {}
    for unit, row in t.iterrows():
        if not row["heat_unit"]:
            group = "elsewhere"
        elif row["store"]:
            group = "stores"
        elif row["origin"] == "waste_heat":
            group = "waste heat" if row["driven"] else "waste heat, direct"
        elif row["origin"] in ("ambient", "solar"):
            group = row["origin"]
        else:
            group = "other"
        out[str(unit)] = (CATEGORY_GROUPS.index(group), roles.type_rank(row["type"]))
    return out


def mix_units(ds: xr.Dataset, table: pd.DataFrame | None = None) -> list[str]:
    """Units counted in heat mixes: every unit that delivered heat, and the heat units that did
    not run; stores, cooling units and other sectors' units are left out."""
    t = roles.unit_roles(ds) if table is None else table
    keep = t["heat_unit"] & ~t["store"]
    return [str(u) for u in t.index[keep.values]]


def energy_mix(ds: xr.Dataset, table: pd.DataFrame | None = None) -> pd.Series:
    """Heat produced per category and fuel [MWh] over the horizon (:func:`mix_units` only).

    Labels are the category, with the fuel for units that burn one (``"Boiler: bio oil"``), so
    that runs of different cities can be set side by side. ``table``: the run's
    :func:`restvarme.results.roles.unit_roles`, if the caller has it.
    """
    _require_single_period(ds)
    table = roles.unit_roles(ds) if table is None else table
    categories, ranks = unit_categories(ds, table), unit_ranks(ds, table)
    out: dict[str, float] = {}
    rank: dict[str, tuple[int, int]] = {}
    for unit in mix_units(ds, table):
        cat = categories[unit]
        fuel = str(ds["unit_fuel"].sel(unit=unit).values)
        label = f"{cat}: {fuel.replace('_', ' ')}" if fuel else cat
        out[label] = out.get(label, 0.0) + max(float(ds["heat_mwh"].sel(unit=unit)), 0.0)
        rank[label] = min(rank.get(label, ranks[unit]), ranks[unit])
    keys = sorted(out, key=lambda k: (rank[k], k))
    return pd.Series({k: out[k] for k in keys}, name="heat_mwh", dtype=float)


def _weighted_sum(da: xr.DataArray, ds: xr.Dataset) -> float:
    w = ds["snapshot_weight_h"] if "snapshot_weight_h" in ds else 1.0
    return float((da * w).sum())


def key_figures(
    ds: xr.Dataset,
    *,
    cost_by_sector: pd.Series | None = None,
    emissions_by_sector: pd.DataFrame | None = None,
) -> KeyFigures:
    """Key figures of one run (see the module docstring for the definitions).

    ``cost_by_sector`` and ``emissions_by_sector``: the run's tables of
    :func:`restvarme.accounting.costs.cost_by_sector` and
    :func:`restvarme.accounting.sectors.emissions_by_sector` if the caller has them already
    (the run folder's writer does); computed here otherwise."""
    _require_single_period(ds)
    costs = ds["cost_eur"]
    total = float(costs.sum())
    penalty = float(
        costs.sel(cost_item=[c for c in costs["cost_item"].values if str(c) in PENALTY_ITEMS]).sum()
    )
    demand = float(ds["heat_demand_mwh"].sum())
    unserved = float(ds["unserved_heat_mwh"].sum())
    loss = float(ds["heat_loss_mwh"].sum()) if "heat_loss_mwh" in ds else 0.0
    delivered = demand - loss - unserved
    heat = ds["heat_mwh"].where(~roles.is_store(ds), 0.0)
    produced = float(heat.clip(min=0).sum())
    fossil_fuels = set()
    if "fuel_renewable" in ds:
        fossil_fuels = {
            str(f)
            for f, ren in zip(ds["fuel"].values, ds["fuel_renewable"].values, strict=True)
            if not bool(ren)
        }
    fossil = float(heat.where(ds["unit_fuel"].isin(list(fossil_fuels)), 0.0).clip(min=0).sum())
    emissions = float(ds["emissions_t"].sum())
    waste = 0.0
    if "waste_heat_used_mwh" in ds:
        used = ds["waste_heat_used_mwh"]
        if "route" in used.dims:
            used = used.sel(route=[r for r in used["route"].values if r != "absorption"])
        waste = float(used.sum())
    cooling = 0.0
    if "cooling_demand_mwh" in ds:
        cooling = float(ds["cooling_demand_mwh"].sum() - ds["unserved_cooling_mwh"].sum())
    heat_cost, cooling_cost = _sector_costs(ds, delivered, cooling, cost_by_sector)
    heat_t, cooling_t = _sector_emissions(ds, emissions_by_sector)
    return KeyFigures(
        scenario=str(ds.attrs.get("scenario", "")),
        year=int(ds.attrs.get("year", 0)),
        total_cost_eur=total,
        system_cost_eur=total - penalty,
        penalty_eur=penalty,
        cost_eur_per_mwh=_safe_ratio(heat_cost + cooling_cost, delivered + cooling),
        heat_demand_mwh=demand,
        heat_delivered_mwh=delivered,
        heat_loss_mwh=loss,
        heat_produced_mwh=produced,
        unserved_heat_mwh=unserved,
        peak_demand_mw=float(ds["heat_demand_mw"].sum("network").max()),
        emissions_t=emissions,
        emission_intensity_g_per_kwh=_safe_ratio(heat_t + cooling_t, delivered + cooling)
        * T_PER_MWH_TO_G_PER_KWH,
        waste_heat_used_mwh=waste,
        waste_heat_share=_safe_ratio(waste, delivered),
        fossil_share=_safe_ratio(fossil, produced),
        electricity_import_mwh=_weighted_sum(ds["grid_import_mw"], ds),
        electricity_export_mwh=_weighted_sum(ds["grid_export_mw"], ds),
        cooling_delivered_mwh=cooling,
        heat_cost_eur=heat_cost,
        cooling_cost_eur=cooling_cost,
        heat_cost_eur_per_mwh=_safe_ratio(heat_cost, delivered),
        cooling_cost_eur_per_mwh=_safe_ratio(cooling_cost, cooling),
        heat_emissions_t=heat_t,
        cooling_emissions_t=cooling_t,
        heat_emission_intensity_g_per_kwh=_safe_ratio(heat_t, delivered) * T_PER_MWH_TO_G_PER_KWH,
        cooling_emission_intensity_g_per_kwh=_safe_ratio(cooling_t, cooling)
        * T_PER_MWH_TO_G_PER_KWH,
    )


_BASE_UNITS = (
    ("_eur_per_mwh", "EUR/MWh"),
    ("_g_per_kwh", "g CO2e/kWh"),
    ("_eur", "EUR"),
    ("_mwh", "MWh"),
    ("_mw", "MW"),
    ("_t", "t CO2e"),
    ("_share", "-"),
)


def key_figures_table(
    ds: xr.Dataset,
    *,
    cost_by_sector: pd.Series | None = None,
    emissions_by_sector: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every key figure of one run in its base unit (EUR, MWh, t CO2e, share 0..1), with the
    label it has in reports where it is shown there: written as ``key_figures.csv``. The sector
    tables, if given, are passed on to :func:`key_figures`."""
    kf = key_figures(ds, cost_by_sector=cost_by_sector, emissions_by_sector=emissions_by_sector)
    values = {**kf.as_dict()}
    values["heat_and_cooling_cost_eur"] = kf.heat_and_cooling_cost_eur
    values["heat_and_cooling_emissions_t"] = kf.heat_and_cooling_emissions_t
    rows = []
    for key, value in values.items():
        if key in ("scenario", "year"):
            continue
        unit = next((u for suffix, u in _BASE_UNITS if key.endswith(suffix)), "")
        rows.append((key, figure_label(key, kf), float(value), unit))
    return pd.DataFrame(rows, columns=["figure", "label", "value", "unit"]).set_index("figure")


def sector_table(
    ds: xr.Dataset,
    kf: KeyFigures | None = None,
    *,
    cost_by_sector: pd.Series | None = None,
    emissions_by_sector: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cost [EUR] and emissions [t CO2e] of each sector of one run, adding up to the run's cost
    items and ``emissions_t``; for heat and cooling also the energy delivered [MWh] and the
    figures per MWh and per kWh (the same as :func:`key_figures`'). Rows with neither cost nor
    emissions are left out, except heat. ``cost_by_sector`` and ``emissions_by_sector``: as
    for :func:`key_figures`, the run's tables if the caller has them already."""
    from restvarme.accounting import costs, sectors

    if cost_by_sector is None:
        cost_by_sector = costs.cost_by_sector(ds)
    if emissions_by_sector is None:
        emissions_by_sector = sectors.emissions_by_sector(ds)
    kf = kf or key_figures(
        ds, cost_by_sector=cost_by_sector, emissions_by_sector=emissions_by_sector
    )
    cost = cost_by_sector.drop("heat_and_cooling_unplaced")
    cost["heat"], cost["cooling"] = kf.heat_cost_eur, kf.cooling_cost_eur
    emissions = emissions_by_sector["emissions_t"].reindex(cost.index).fillna(0.0)
    table = pd.DataFrame({"cost_eur": cost, "emissions_t": emissions})
    table["delivered_mwh"] = np.nan
    table.loc["heat", "delivered_mwh"] = kf.heat_delivered_mwh
    table.loc["cooling", "delivered_mwh"] = kf.cooling_delivered_mwh
    table["cost_eur_per_mwh"] = table["cost_eur"] / table["delivered_mwh"].where(
        table["delivered_mwh"] > 0
    )
    table["emission_intensity_g_per_kwh"] = (
        table["emissions_t"] / table["delivered_mwh"].where(table["delivered_mwh"] > 0)
    ) * T_PER_MWH_TO_G_PER_KWH
    keep = (table[["cost_eur", "emissions_t"]].abs() > 1e-6).any(axis=1) | (table.index == "heat")
    table = table[keep]
    table.index.name = "sector"
    return table


def _sector_costs(
    ds: xr.Dataset, heat_mwh: float, cooling_mwh: float, sectors: pd.Series | None = None
) -> tuple[float, float]:
    """Heat cost and cooling cost [EUR] (see the module docstring): their rows of
    :func:`~restvarme.accounting.costs.cost_by_sector` (``sectors``, computed if not given),
    with the unplaced costs shared in proportion to heat and cooling delivered."""
    from restvarme.accounting.costs import cost_by_sector

    if sectors is None:
        sectors = cost_by_sector(ds)
    unplaced = float(sectors["heat_and_cooling_unplaced"])
    both = heat_mwh + cooling_mwh
    heat_part = heat_mwh / both if both > 0 else 1.0
    return (
        float(sectors["heat"]) + unplaced * heat_part,
        float(sectors["cooling"]) + unplaced * (1.0 - heat_part),
    )


def _sector_emissions(ds: xr.Dataset, by_sector: pd.DataFrame | None = None) -> tuple[float, float]:
    """Emissions of the heat and of the cooling sector [t CO2e]
    (:func:`~restvarme.accounting.sectors.emissions_by_sector`: ``by_sector``, computed if not
    given)."""
    from restvarme.accounting.sectors import emissions_by_sector

    table = (emissions_by_sector(ds) if by_sector is None else by_sector)["emissions_t"]
    return float(table.get("heat", 0.0)), float(table.get("cooling", 0.0))


def network_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per heat network: load (demand and losses), losses, delivered to customers, unserved
    [MWh], peak load [MW], marginal price [EUR/MWh]."""
    _require_single_period(ds)
    price = ds["marginal_heat_price_eur_per_mwh"]
    loss = ds["heat_loss_mwh"] if "heat_loss_mwh" in ds else xr.zeros_like(ds["heat_demand_mwh"])
    return pd.DataFrame(
        {
            "heat_demand_mwh": ds["heat_demand_mwh"].to_series(),
            "heat_loss_mwh": loss.to_series(),
            "heat_delivered_mwh": (
                ds["heat_demand_mwh"] - loss - ds["unserved_heat_mwh"]
            ).to_series(),
            "unserved_heat_mwh": ds["unserved_heat_mwh"].to_series(),
            "peak_demand_mw": ds["heat_demand_mw"].max("snapshot").to_series(),
            "mean_marginal_heat_price_eur_per_mwh": price.mean("snapshot").to_series(),
            "max_marginal_heat_price_eur_per_mwh": price.max("snapshot").to_series(),
        }
    )


def unit_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per unit: type (its registry label), network, heat [MWh], share of heat produced (stores
    left out), full-load hours [h]."""
    _require_single_period(ds)
    heat = ds["heat_mwh"].to_series()
    stores = roles.is_store(ds).to_series()
    produced = heat[~stores].clip(lower=0).sum()
    peak = ds["heat_mw"].max("snapshot").to_series()
    return pd.DataFrame(
        {
            "type": roles.unit_labels(ds),
            "network": ds["unit_sink"].to_series(),
            "input": (
                ds["unit_fuel"]
                .to_series()
                .where(ds["unit_fuel"].to_series() != "", ds["unit_source"].to_series())
            ),
            "heat_mwh": heat,
            "share": heat.clip(lower=0) / produced if produced > 0 else heat * np.nan,
            "electricity_mwh": ds["electricity_mwh"].to_series(),
            "fuel_mwh": ds["fuel_mwh"].to_series(),
            "peak_mw": peak,
            "full_load_hours_h": (heat / peak.where(peak > 1e-9)).where(~stores),
        }
    )


def cooling_unit_table(ds: xr.Dataset, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per unit that makes cooling or feeds a cooling network: type, cooling network, cooling
    [MWh], share of cooling made (stores left out), electricity [MWh] (+ made, - used), heat
    [MWh] (+ delivered to a heat network, - taken from one), peak [MW], full-load hours [h].
    Empty for a run without cooling networks. ``table``: the run's
    :func:`restvarme.results.roles.unit_roles`, if the caller has it."""
    _require_single_period(ds)
    if "cooling_mwh" not in ds or not ds.sizes.get("cooling_network", 0):
        return pd.DataFrame()
    cooling = ds["cooling_mwh"].to_series()
    of_cooling = roles.cooling_units(ds).to_series() if table is None else table["cooling"]
    mine = of_cooling | (cooling.abs() > 0.05)
    stores = roles.is_store(ds).to_series()
    made = cooling[mine & ~stores].clip(lower=0).sum()
    peak = ds["cooling_mw"].max("snapshot").to_series()
    table = pd.DataFrame(
        {
            "type": roles.unit_labels(ds),
            "network": ds["unit_cooling_network"].to_series(),
            "cooling_mwh": cooling,
            "share": cooling.clip(lower=0) / made if made > 0 else cooling * np.nan,
            "electricity_mwh": ds["electricity_mwh"].to_series(),
            "heat_mwh": ds["heat_mwh"].to_series(),
            "peak_mw": peak,
            "full_load_hours_h": (cooling / peak.where(peak > 1e-9)).where(~stores),
        }
    )
    return table[mine]


def cooling_network_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per cooling network: demand, delivered, unserved [MWh], peak [MW], marginal price
    [EUR/MWh]. Empty for a run without cooling networks."""
    _require_single_period(ds)
    if not ds.sizes.get("cooling_network", 0):
        return pd.DataFrame()
    w = ds["snapshot_weight_h"] if "snapshot_weight_h" in ds else 1.0
    demand = (ds["cooling_demand_mw"] * w).sum("snapshot").to_series()
    unserved = (ds["unserved_cooling_mw"] * w).sum("snapshot").to_series()
    price = ds["marginal_cooling_price_eur_per_mwh"]
    return pd.DataFrame(
        {
            "cooling_demand_mwh": demand,
            "cooling_delivered_mwh": demand - unserved,
            "unserved_cooling_mwh": unserved,
            "peak_demand_mw": ds["cooling_demand_mw"].max("snapshot").to_series(),
            "mean_marginal_cooling_price_eur_per_mwh": price.mean("snapshot").to_series(),
            "max_marginal_cooling_price_eur_per_mwh": price.max("snapshot").to_series(),
        }
    )


def waste_heat_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per waste-heat source: available and used heat [MWh] by route, utilisation [-], and value.

    ``mean_value_eur_per_mwh`` is the mean of the hourly value (dual of the availability limit)
    over the hours the source is available; ``value_of_heat_used_eur`` is the hourly value times
    the heat taken, summed: what the heat taken was worth to the system at the margin.
    """
    _require_single_period(ds)
    if "waste_source" not in ds.coords or ds.sizes.get("waste_source", 0) == 0:
        return pd.DataFrame()
    w = ds["snapshot_weight_h"] if "snapshot_weight_h" in ds else 1.0
    used = ds["waste_heat_used_mwh"].to_series().unstack("route")
    used.columns = [f"{c}_mwh" for c in used.columns]
    available = (ds["waste_heat_available_mw"] * w).sum("snapshot").to_series()
    out = used.assign(used_mwh=used.sum(axis=1), available_mwh=available)
    out["utilisation"] = out["used_mwh"] / out["available_mwh"].where(out["available_mwh"] > 0)
    if "waste_heat_value_eur_per_mwh" in ds:
        value = ds["waste_heat_value_eur_per_mwh"]
        avail = ds["waste_heat_available_mw"] > 1e-9
        out["mean_value_eur_per_mwh"] = value.where(avail).mean("snapshot").to_series()
        taken = ds["waste_heat_used_mw"].sum("route") * w
        out["value_of_heat_used_eur"] = (value * taken).sum("snapshot").to_series()
    out.index.name = "waste_source"
    return out


def period_values(ds: xr.Dataset) -> list:
    """The periods of a pathway run, or ``[]`` for a single-year run."""
    return list(ds["period"].values) if "period" in ds.dims else []


def period_table(ds: xr.Dataset) -> pd.DataFrame:
    """Key figures per period of a pathway run, with the emission target where the results hold one.

    The cap or target is the one :func:`emission_target` finds; ``gap_t`` is emissions above it
    (negative: below; NaN in periods without one).
    """
    rows = {}
    for p in period_values(ds):
        kf = key_figures(ds.sel(period=p))
        rows[p] = {k: v for k, v in kf.as_dict().items() if k not in ("scenario", "year")}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "period"
    target = emission_target(ds)
    if target is not None:
        table["emission_target_t"] = target.to_series()
        table["gap_t"] = table["emissions_t"] - table["emission_target_t"]
    return table


def emission_target(ds: xr.Dataset) -> xr.DataArray | None:
    """The per-period emission cap [t CO2e] of a pathway run (``emission_cap_t``, NaN in periods
    without a cap), or ``None`` when no period has one."""
    cap = ds["emission_cap_t"]
    return cap if cap.dims == ("period",) and bool(np.isfinite(cap).any()) else None


def capacity_in_service(ds: xr.Dataset) -> xr.DataArray | None:
    """Capacity in service per period and unit (in each unit's ``capacity_unit``: MW, MWh for
    stores, m² for collector fields): existing plus new.

    ``None`` when the results do not carry capacities per period (a one-year run).
    """
    cap = ds["capacity_existing"] + ds["capacity_new"]
    return cap if set(cap.dims) == {"period", "unit"} else None


def built_table(ds: xr.Dataset) -> pd.DataFrame:
    """Capacity built per unit (rows, only units with any) and period (columns), in each unit's
    ``capacity_unit`` (MW, MWh, m²)."""
    if "capacity_built" not in ds or "period" not in ds["capacity_built"].dims:
        return pd.DataFrame()
    built = ds["capacity_built"].transpose("unit", "period").to_pandas()
    built = built[(built.abs() > 1e-6).any(axis=1)]
    built.columns = [str(c) for c in built.columns]
    built.insert(0, "unit of measure", roles.capacity_units(ds).reindex(built.index).values)
    built.index.name = "unit"
    return built
