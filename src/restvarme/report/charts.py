"""Plotly figures of one run: dispatch, storage, duration curve, price heatmap, Sankey, costs.

Every function takes the results Dataset (one period: select it first for pathway runs) and
returns a :class:`plotly.graph_objects.Figure`, or ``None`` when the run has nothing to show
(no storage, no waste heat). The same figures go into the HTML report and the static images.

Size choices for a full year: hourly series are sent as rounded lists on a time axis given by its
start and step (``x0``/``dx``), not as 8,760 time stamps per trace; charts use SVG traces (no
WebGL, which headless browsers and old laptops may lack). The duration curve averages its bands
over bins of sorted hours (about 730 points for a year), because single sorted hours of a
storage-shifted dispatch are noise, not information.
"""

from __future__ import annotations

import colorsys
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
from numpy.typing import ArrayLike

from restvarme.report.figures import (
    DIRECT,
    capacity_in_service,
    emission_target,
    energy_mix,
    period_values,
    unit_categories,
    unit_ranks,
    waste_heat_table,
    waste_sources,
)
from restvarme.results import roles
from restvarme.units.registry import REGISTRY, unit_type_of

FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
UNSERVED_COLOR = "#d62728"
DEMAND_COLOR = "#1f2933"
NODE_COLORS = {
    "fuel": "#a0522d",
    "electricity": "#8e5cc2",
    "waste": "#17a2a2",
    "ambient": "#3a9d5d",
    "solar": "#f4c20d",
    "unit": "#6b7b8c",
    "network": "#c0392b",
    "demand": "#1f2933",
    "loss": "#b0b7bf",
}
FUEL_PALETTE = ["#8d5a3b", "#e08e2b", "#c4661a", "#b5835a", "#5c3520", "#f5c06a"]


ORIGIN_COLORS = {"waste_heat": NODE_COLORS["waste"], "ambient": NODE_COLORS["ambient"]}
"""Colours of categories named by the origin of their heat (``"Waste heat, direct"``,
``"Heat pump, ambient"``) where the unit type's own colour would not tell them apart."""


def category_color(category: str) -> str:
    """The colour of a category of units (:func:`restvarme.report.figures.unit_categories`): its
    unit type's registry colour (``"Boiler"``, ``"Heat pump, waste heat"``); the ambient's green
    for heat from the ambient, the waste heat's teal for waste heat taken directly."""
    for origin, direct in DIRECT.items():
        if category == direct:
            return ORIGIN_COLORS[origin]
    if category.endswith(", ambient"):
        return ORIGIN_COLORS["ambient"]
    label = category.removesuffix(", waste heat")
    by_label = {t.label: t.colour for t in REGISTRY.values()}
    return by_label.get(label, roles.GREY)


def _lighter(hex_color: str, amount: float) -> str:
    """A colour moved ``amount`` (0..1) of the way to white (negative: to black)."""
    r, g, b = (int(hex_color[k : k + 2], 16) for k in (1, 3, 5))
    end = 255 if amount >= 0 else 0
    a = abs(amount)
    r, g, b = (round(c + (end - c) * a) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


PALETTE_STEPS = (0.0, 0.45, -0.35, 0.7, -0.55)
"""How the units of one category are told apart: the colour, lighter, darker, ..."""


def category_palette(category: str) -> list[str]:
    """Distinct colours for the units of one category, in stacking order."""
    return [_lighter(category_color(category), step) for step in PALETTE_STEPS]


MIN_COLOR_DISTANCE = 24.0
"""Colours drawn in one chart differ by at least this much (Euclidean distance of their 0-255
RGB values): two categories, or two units, never share a colour or look alike (the issue-14
report had five mix categories in one grey). About a tenth of black to white per channel."""


def _rgb(hex_color: str) -> tuple[int, int, int]:
    r, g, b = (int(hex_color[k : k + 2], 16) for k in (1, 3, 5))
    return r, g, b


def color_distance(a: str, b: str) -> float:
    """Euclidean distance of two ``#rrggbb`` colours in 0-255 RGB."""
    return float(np.linalg.norm(np.subtract(_rgb(a), _rgb(b))))


def _rotated(hex_color: str, turns: float) -> str:
    """The colour with its hue turned by ``turns`` of the colour wheel."""
    r, g, b = (c / 255 for c in _rgb(hex_color))
    h, lightness, sat = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb((h + turns) % 1.0, lightness, max(sat, 0.35))
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _free_color(palette: list[str], start: int, taken: list[str]) -> str:
    """The first colour of ``palette`` from ``start`` on (then its lighter shades, then turned
    hues) at least :data:`MIN_COLOR_DISTANCE` from every colour in ``taken``."""
    n = len(palette)
    ordered = [palette[(start + k) % n] for k in range(n)]
    candidates = ordered + [_shade(c, j, 3) for j in (1, 2) for c in ordered]
    candidates += [_rotated(palette[0], k / 24) for k in range(1, 24)]
    for color in candidates:
        if all(color_distance(color, t) >= MIN_COLOR_DISTANCE for t in taken):
            return color
    return candidates[start % len(candidates)]  # more than ~70 colours in one chart


def mix_colors(labels: Iterable[str]) -> list[str]:
    """Colours for energy-mix labels (``"Boiler: pellets"``): the category's palette in turn,
    each at least :data:`MIN_COLOR_DISTANCE` from the colours before it (``"Heat pump"`` and
    ``"Heat pump, waste heat"`` start from one colour; the second gets a shade of it)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for label in labels:
        cat = str(label).split(":")[0]
        i = seen.get(cat, 0)
        seen[cat] = i + 1
        out.append(_free_color(category_palette(cat), i, out))
    return out


def emission_colors(sources: Iterable[str]) -> list[str]:
    """Electricity in its purple, fuels in browns and oranges, in the order given."""
    out, i = [], 0
    for s in sources:
        if str(s) == "electricity":
            out.append(NODE_COLORS["electricity"])
        else:
            out.append(FUEL_PALETTE[i % len(FUEL_PALETTE)])
            i += 1
    return out


ROUTE_LABELS = {
    "direct": "direct exchange",
    "preheat": "preheating return",
    "heat_pump": "via heat pump",
    "absorption": "absorption chiller",
}


TEMPLATE = "plotly_white"
"""The plotly template of every chart."""


@functools.cache
def _template() -> go.layout.Template:
    """:data:`TEMPLATE` as plotly validates it for a figure, built once per process: the figure's
    JSON then holds the template's keys in the order ``update_layout(template=TEMPLATE)`` gives."""
    return go.Figure().update_layout(template=TEMPLATE).layout.template


def apply_template(fig: go.Figure) -> go.Figure:
    """Give ``fig`` the charts' template, as ``fig.update_layout(template=TEMPLATE)`` would, in
    about a millisecond instead of some fifteen.

    Plotly re-validates a template on every assignment (some 15 ms for plotly_white); the one
    of :func:`_template` is already valid, so it is set the way plotly sets its default
    template on a new figure (``BaseFigure._initialize_layout_template``): with the layout's
    validation off for that one assignment. The figure gets its own copy of the template.
    """
    layout = fig.layout
    if not hasattr(layout, "_validate"):  # a plotly without the flag: the validated assignment
        layout.template = _template()
        return fig
    validate = layout._validate
    layout._validate = False
    try:
        layout.template = _template()
    finally:
        layout._validate = validate
    return fig


def style_figure(fig: go.Figure, title: str, height: int = 420, **layout: Any) -> go.Figure:
    """The report's look for ``fig``: :data:`TEMPLATE`, its font and margins, a title at the top
    left, the legend below, ``height`` [px]; ``layout`` adds to or overrides these settings."""
    apply_template(fig)
    settings = {
        "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "height": height,
        "font": {"family": FONT, "size": 12},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
    }
    fig.update_layout(**{**settings, **layout})
    return fig


def _shade(hex_color: str, i: int, n: int) -> str:
    """The i-th of n shades of a colour, from the colour itself towards lighter."""
    r, g, b = (int(hex_color[k : k + 2], 16) / 255 for k in (1, 3, 5))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    lightness = lightness + (0.85 - lightness) * (i / max(n, 1)) * 0.8
    r, g, b = colorsys.hls_to_rgb(h, min(lightness, 0.9), s)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _heat_by_unit(ds: xr.Dataset) -> pd.Series:
    heat_da = ds["heat_mwh"]
    return (heat_da.sum("period") if "period" in heat_da.dims else heat_da).to_series()


def _units_in_order(ds: xr.Dataset, units: Sequence[str], table: pd.DataFrame) -> list[str]:
    categories, ranks = unit_categories(ds, table), unit_ranks(ds, table)
    heat = _heat_by_unit(ds)
    order: dict[str, tuple[int, int]] = {}  # a category is stacked where its first unit is
    for u in sorted(categories, key=lambda u: ranks[u]):
        order.setdefault(categories[u], ranks[u])
    return sorted(units, key=lambda u: (order[categories[u]], categories[u], -heat[u], u))


def unit_order(ds: xr.Dataset, units: Iterable[Any] | None = None) -> list[str]:
    """Units in stacking order: category (base load first), then by heat produced, largest first."""
    units = [str(u) for u in (ds["unit"].values if units is None else units)]
    return _units_in_order(ds, units, roles.unit_roles(ds))


def unit_colors(ds: xr.Dataset) -> dict[str, str]:
    """One colour per unit: its category's palette in turn, then lighter shades of its colour,
    each at least :data:`MIN_COLOR_DISTANCE` from the colours of the units before it."""
    return dict(UnitStyle.of(ds).colors)


def _colors_in_order(categories: dict[str, str], order: Sequence[str]) -> dict[str, str]:
    """The colours of :func:`unit_colors`, for units in stacking order with their categories."""
    by_cat: dict[str, list[str]] = {}
    for u in order:
        by_cat.setdefault(categories[u], []).append(u)
    colors: dict[str, str] = {}
    for cat, units in by_cat.items():
        palette = category_palette(cat)
        for i, u in enumerate(units):
            colors[u] = _free_color(palette, i, list(colors.values()))
    return colors


@dataclass(frozen=True, eq=False)
class UnitStyle:
    """How the charts of one run show its units: their roles, stacking order and colours.

    Computed once per run (:meth:`of`, one pass of :func:`restvarme.results.roles.unit_roles`)
    and handed to every chart of a report, which would otherwise each recompute them (some
    20-50 ms a chart). A snapshot of the results it was made from: make a new one for other
    results (another period of a pathway, a changed Dataset).
    """

    table: pd.DataFrame
    """:func:`restvarme.results.roles.unit_roles` of the run (index: unit)."""
    order: tuple[str, ...]
    """Every unit in stacking order, as :func:`unit_order` gives it."""
    colors: Mapping[str, str]
    """One ``#rrggbb`` colour per unit, as :func:`unit_colors` gives it."""

    @classmethod
    def of(cls, ds: xr.Dataset) -> UnitStyle:
        """The style of the units of ``ds`` (one period: select it first for pathway runs)."""
        table = roles.unit_roles(ds)
        order = _units_in_order(ds, [str(u) for u in ds["unit"].values], table)
        colors = _colors_in_order(unit_categories(ds, table), order)
        return cls(table, tuple(order), MappingProxyType(colors))

    def ordered(self, units: Iterable[Any]) -> list[str]:
        """``units`` in stacking order (as ``unit_order(ds, units)``)."""
        wanted = {str(u) for u in units}
        return [u for u in self.order if u in wanted]


def _style(ds: xr.Dataset, style: UnitStyle | None) -> UnitStyle:
    """``style``, or the style of ``ds`` when the caller has none."""
    return UnitStyle.of(ds) if style is None else style


def _time_axis(ds: xr.Dataset) -> dict:
    """``x0``/``dx`` for evenly spaced snapshots (dx in ms on a date axis), else the time stamps."""
    t = pd.DatetimeIndex(ds["snapshot"].values)
    if len(t) > 2:
        steps = np.diff(t.as_unit("ms").asi8)  # the index may be in ns or (pandas 3) in us
        if np.all(steps == steps[0]):
            return {"x0": t[0].isoformat(), "dx": int(steps[0])}
    return {"x": [s.isoformat() for s in t]}


def _rounded(values: ArrayLike, decimals: int = 2) -> np.ndarray:
    """Values rounded for display, as float32: plotly sends numpy arrays as compact base64."""
    return np.round(np.asarray(values, dtype=float), decimals).astype(np.float32)


@dataclass(frozen=True)
class Carrier:
    """What the hourly charts of one kind of network read from the results."""

    name: str
    """``heat`` or ``cooling``: the word in titles and legends."""
    flow: str
    """Each unit's output into its network [MW], dims (snapshot, unit)."""
    demand: str
    unserved: str
    price: str
    network_dim: str
    unit_network: str
    """The network each unit delivers to, on ``unit``."""


HEAT = Carrier(
    "heat",
    "heat_mw",
    "heat_demand_mw",
    "unserved_heat_mw",
    "marginal_heat_price_eur_per_mwh",
    "network",
    "unit_sink",
)
COOLING = Carrier(
    "cooling",
    "cooling_mw",
    "cooling_demand_mw",
    "unserved_cooling_mw",
    "marginal_cooling_price_eur_per_mwh",
    "cooling_network",
    "unit_cooling_network",
)


def carriers(ds: xr.Dataset) -> list[tuple[Carrier, str]]:
    """Every (carrier, network) of a run: heat networks first, then cooling networks."""
    out = [(HEAT, str(n)) for n in ds["network"].values]
    if COOLING.demand in ds:
        out += [(COOLING, str(n)) for n in ds[COOLING.network_dim].values]
    return out


def chart_key(kind: str, carrier: Carrier, network: str) -> str:
    """The file-name-safe key of an hourly chart: ``dispatch_main``, ``cooling_dispatch_dc``."""
    return f"{kind}_{network}" if carrier is HEAT else f"cooling_{kind}_{network}"


def _network_units(
    ds: xr.Dataset, network: str, carrier: Carrier = HEAT, style: UnitStyle | None = None
) -> list[str]:
    """The units delivering to ``network``, in stacking order."""
    units = [
        str(u)
        for u, s in zip(ds["unit"].values, ds[carrier.unit_network].values, strict=True)
        if str(s) == network
    ]
    return _style(ds, style).ordered(units)


def _range_buttons() -> dict:
    return {
        "buttons": [
            {"count": 7, "label": "week", "step": "day", "stepmode": "backward"},
            {"count": 1, "label": "month", "step": "month", "stepmode": "backward"},
            {"count": 3, "label": "3 months", "step": "month", "stepmode": "backward"},
            {"step": "all", "label": "all"},
        ],
        "x": 0,
        "y": 1.02,
        "yanchor": "bottom",
        "font": {"size": 11},
    }


def dispatch_figure(
    ds: xr.Dataset, network: str, carrier: Carrier = HEAT, style: UnitStyle | None = None
) -> go.Figure:
    """Stacked hourly supply of one heat (or cooling) network [MW], with demand as a line.

    Storage discharge is stacked on top of the units; storage charging, and heat taken by units
    that use it (absorption chillers), is drawn below zero. The stack above zero therefore equals
    demand minus unserved demand plus what is drawn below zero, in every hour. ``style``: the
    run's :class:`UnitStyle`, if the caller has it.
    """
    what = carrier.name
    axis = _time_axis(ds)
    style = _style(ds, style)
    colors = style.colors
    stores = roles.is_store(ds).to_series()
    fig = go.Figure()
    for u in _network_units(ds, network, carrier, style):
        q = ds[carrier.flow].sel(unit=u).values
        is_store = bool(stores[u])
        hover = f"{u}: %{{y:,.1f}} MW<extra></extra>"
        parts = (
            (np.clip(q, 0, None), f"{u} discharge" if is_store else u, "supply", colors[u]),
            (
                np.clip(q, None, 0),
                f"{u} charge" if is_store else f"{u} (takes {what})",
                "use",
                _shade(colors[u], 2, 3),
            ),
        )
        for values, name, group, fill in parts:
            if not (is_store or float(np.abs(values).max(initial=0)) > 1e-6):
                continue  # units that never deliver (or never take) heat stay out of the legend
            fig.add_trace(
                go.Scatter(
                    **axis,
                    y=_rounded(values),
                    name=name,
                    stackgroup=group,
                    line={"width": 0, "color": colors[u]},
                    fillcolor=fill,
                    hovertemplate=hover,
                )
            )
    unserved = ds[carrier.unserved].sel({carrier.network_dim: network}).values
    if float(unserved.max(initial=0)) > 1e-6:
        fig.add_trace(
            go.Scatter(
                **axis,
                y=_rounded(unserved),
                name=f"unserved {what}",
                stackgroup="supply",
                line={"width": 0, "color": UNSERVED_COLOR},
                fillcolor=UNSERVED_COLOR,
                hovertemplate="unserved: %{y:,.1f} MW<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            **axis,
            y=_rounded(ds[carrier.demand].sel({carrier.network_dim: network}).values),
            name=f"{what} demand",
            mode="lines",
            line={"color": DEMAND_COLOR, "width": 1},
            hovertemplate="demand: %{y:,.1f} MW<extra></extra>",
        )
    )
    style_figure(
        fig,
        f"Hourly {what} supply, network {network}",
        height=460,
        hovermode="x unified",
        yaxis_title="MW",
    )
    fig.update_xaxes(type="date", rangeselector=_range_buttons())
    return fig


def _store_levels(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """The level [MWh] of each store on a heat or cooling network, by unit: the results'
    ``<type>_level_mwh`` of its type in the registry."""
    on_network = ds["unit_sink"].astype(str).isin(roles.heat_networks(ds))
    if COOLING.network_dim in ds.coords:
        on_network |= ds["unit_sink"].astype(str).isin(ds[COOLING.network_dim].values.astype(str))
    on_heat = roles.is_store(ds) & on_network
    out = {}
    for u in ds["unit"].values[on_heat.values]:
        found = unit_type_of(str(ds["unit_type"].sel(unit=u).values))
        name = f"{found.name}_level_mwh" if found is not None else ""
        if found is not None and name in ds and str(u) in ds[found.name].values:
            out[str(u)] = ds[name].sel({found.name: u})
    return out


def storage_figure(ds: xr.Dataset, style: UnitStyle | None = None) -> go.Figure | None:
    """State of charge of every heat and cold store [MWh] over the horizon (``style``: the run's
    :class:`UnitStyle`, if the caller has it)."""
    levels = _store_levels(ds)
    if not levels:
        return None
    axis = _time_axis(ds)
    colors = _style(ds, style).colors
    fig = go.Figure()
    for s, level in levels.items():
        fig.add_trace(
            go.Scatter(
                **axis,
                y=_rounded(level.values, 1),
                name=s,
                mode="lines",
                fill="tozeroy",
                line={"width": 1, "color": colors[s]},
                hovertemplate=f"{s}: %{{y:,.0f}} MWh<extra></extra>",
            )
        )
    style_figure(fig, "Storage level", height=300, yaxis_title="MWh", hovermode="x unified")
    fig.update_xaxes(type="date", rangeselector=_range_buttons())
    return fig


def duration_bins(n_hours: int, target: int = 730) -> list[np.ndarray]:
    """Index groups of consecutive sorted hours, about ``target`` groups."""
    return np.array_split(np.arange(n_hours), min(n_hours, target))


def bin_means(values: ArrayLike, n_bins: int) -> np.ndarray:
    """The mean of ``values`` over each of ``n_bins`` groups of consecutive entries, split as
    :func:`duration_bins` splits them (``np.array_split``: the first groups one longer).

    The same numbers as ``[values[b].mean() for b in bins]``, bit for bit (numpy sums each row
    of a 2-d array as it sums a 1-d one), in two reductions instead of one per bin: the bins
    of one size are the rows of one array.
    """
    values = np.asarray(values, dtype=float)
    size, longer = divmod(len(values), n_bins)
    cut = longer * (size + 1)
    rows = [values[:cut].reshape(longer, size + 1), values[cut:].reshape(n_bins - longer, size)]
    return np.concatenate([r.mean(axis=1) for r in rows if r.size])


def duration_figure(
    ds: xr.Dataset, network: str, carrier: Carrier = HEAT, style: UnitStyle | None = None
) -> go.Figure:
    """Load duration curve of one heat (or cooling) network with each unit's band [MW].

    Hours are sorted by demand, largest first; each band is the unit's mean output over a bin of
    consecutive sorted hours. A store's charging and heat that units take from the network
    (absorption chillers) are drawn below zero, its discharge above, so the stack above zero is
    the demand plus what goes below zero: the same convention as the dispatch chart. ``style``:
    the run's :class:`UnitStyle`, if the caller has it.
    """
    what = carrier.name
    demand = ds[carrier.demand].sel({carrier.network_dim: network}).values
    order = np.argsort(-demand, kind="stable")
    w = ds["snapshot_weight_h"].values if "snapshot_weight_h" in ds else np.ones(len(demand))
    hours = np.cumsum(w[order])
    n_bins = len(duration_bins(len(order)))
    x = bin_means(hours, n_bins)
    style = _style(ds, style)
    colors = style.colors
    fig = go.Figure()
    stores = roles.is_store(ds).to_series()
    for u in _network_units(ds, network, carrier, style):
        flow = ds[carrier.flow].sel(unit=u).values[order]
        is_store = bool(stores[u])
        for q, name, group, fill in (
            (np.clip(flow, 0, None), f"{u} discharge" if is_store else u, "supply", colors[u]),
            (
                np.clip(flow, None, 0),
                f"{u} charge" if is_store else f"{u} (takes {what})",
                "use",
                _shade(colors[u], 2, 3),
            ),
        ):
            if float(np.abs(q).max(initial=0)) < 1e-6:
                continue
            fig.add_trace(
                go.Scatter(
                    x=_rounded(x, 1),
                    y=_rounded(bin_means(q, n_bins)),
                    name=name,
                    stackgroup=group,
                    line={"width": 0, "color": colors[u]},
                    fillcolor=fill,
                    hovertemplate=f"{name}: %{{y:,.1f}} MW<extra></extra>",
                )
            )
    unserved = ds[carrier.unserved].sel({carrier.network_dim: network}).values[order]
    if float(unserved.max(initial=0)) > 1e-6:
        fig.add_trace(
            go.Scatter(
                x=_rounded(x, 1),
                y=_rounded(bin_means(unserved, n_bins)),
                name=f"unserved {what}",
                stackgroup="supply",
                line={"width": 0, "color": UNSERVED_COLOR},
                fillcolor=UNSERVED_COLOR,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=_rounded(hours, 1),
            y=_rounded(demand[order]),
            name=f"{what} demand",
            mode="lines",
            line={"color": DEMAND_COLOR, "width": 1.5},
            hovertemplate="demand: %{y:,.1f} MW at hour %{x:,.0f}<extra></extra>",
        )
    )
    style_figure(
        fig,
        f"{what.capitalize()}-load duration curve, network {network}",
        height=420,
        xaxis_title="hours of the year, sorted by demand",
        yaxis_title="MW",
        hovermode="x unified",
    )
    return fig


def day_hour_matrix(values: np.ndarray, snapshots: ArrayLike) -> pd.DataFrame:
    """Values as a table of hour of day (rows) by date (columns).

    Rows are the hours the snapshots start at: 0-23 for hourly runs, 0, 4, ... 20 for 4-hour
    steps (each row then stands for its step).
    """
    t = pd.DatetimeIndex(snapshots)
    frame = pd.DataFrame({"v": values, "date": t.normalize(), "hour": t.hour})
    matrix = frame.pivot_table(index="hour", columns="date", values="v", aggfunc="mean")
    return matrix.reindex(sorted(set(t.hour)))


PRICE_COLOUR_PERCENTILES = (1, 99)
"""Where the price heatmap's colour scale may stop when a few hours lie far outside the rest."""


def price_heatmap(ds: xr.Dataset, network: str, carrier: Carrier = HEAT) -> go.Figure:
    """Marginal heat (or cooling) price of one network by day and hour [EUR/MWh].

    When a few hours are far outside the rest (unserved heat is priced at its penalty; a CHP whose
    power sells well can make heat negative), the colour scale stops at the 1st/99th percentile
    so that ordinary hours stay readable; the hover text always shows the true value.
    """
    price = ds[carrier.price].sel({carrier.network_dim: network}).values
    matrix = day_hour_matrix(price, ds["snapshot"].values)
    lo, hi = float(np.nanmin(price)), float(np.nanmax(price))
    p1, p99 = (float(v) for v in np.nanpercentile(price, PRICE_COLOUR_PERCENTILES))
    spread = max(p99 - p1, 1.0)
    cap_hi, cap_lo = hi - p99 > spread, p1 - lo > spread  # a few hours far outside the rest
    capped = cap_hi or cap_lo
    z = np.round(matrix.values, 1)
    fig = go.Figure(
        go.Heatmap(
            z=[[None if np.isnan(v) else float(v) for v in row] for row in z],
            x=[d.strftime("%Y-%m-%d") for d in matrix.columns],
            y=list(matrix.index),
            colorscale="Viridis",
            zmin=p1 if cap_lo else lo,
            zmax=p99 if cap_hi else hi,
            colorbar={"title": {"text": "EUR/MWh"}, "thickness": 12},
            hovertemplate="%{x} %{y}:00<br>%{z:,.1f} EUR/MWh<extra></extra>",
        )
    )
    note = " (colours capped at the 1st-99th percentile)" if capped else ""
    style_figure(
        fig,
        f"Marginal {carrier.name} price, network {network}{note}",
        height=360,
        yaxis={"title": "hour of day", "dtick": 6, "autorange": "reversed"},
    )
    fig.update_xaxes(type="date")
    return fig


def _annual(ds: xr.Dataset, name: str) -> xr.DataArray:
    w = ds["snapshot_weight_h"] if "snapshot_weight_h" in ds else 1.0
    return (ds[name] * w).sum("snapshot")


def _per_unit(da: xr.DataArray | None) -> dict[str, Any]:
    """The values of a DataArray on ``unit`` alone by unit name, read in one go (a ``.sel``
    per unit costs about 0.1 ms); empty for ``None``."""
    if da is None:
        return {}
    return dict(zip((str(u) for u in da["unit"].values), da.transpose("unit").values, strict=True))


def sankey_links(ds: xr.Dataset) -> pd.DataFrame:
    """The year's energy flows as links ``source -> target`` with ``value_mwh`` and node kinds.

    Fuels, bought electricity, waste heat, ambient heat and sunlight flow into units; units
    deliver heat to their network (CHPs also electricity to the electricity node); networks
    deliver to the customers, with storage losses and conversion losses as their own nodes.
    Every heat unit's node balances: inputs = outputs + conversion losses. (Cooling units, where
    a run has them, show the cooling they deliver as output; it includes heat drawn from the
    cooling network, so their nodes put out more than they take in.)
    """
    rows: list[tuple[str, str, float, str, str]] = []
    wastes = waste_sources(ds)
    source_heat = _annual(ds, "source_heat_mw")
    cooling_mwh = _annual(ds, "cooling_mw") if "cooling_mw" in ds else None
    el_node = "Electricity"

    def link(src: str, dst: str, value: float, src_kind: str, dst_kind: str) -> None:
        if value > 1e-6:
            rows.append((src, dst, value, src_kind, dst_kind))

    heat_stores = roles.is_store(ds) & ds["unit_sink"].astype(str).isin(roles.heat_networks(ds))
    solar = (
        _per_unit(_annual(ds, "heat_origin_mw").sel(origin="solar"))
        if "heat_origin_mw" in ds and "solar" in ds["origin"].values
        else None
    )
    store, sink = _per_unit(heat_stores), _per_unit(ds["unit_sink"])
    heat_of, fuel_of = _per_unit(ds["heat_mwh"]), _per_unit(ds["fuel_mwh"])
    el_of = _per_unit(ds["electricity_mwh"])
    source_heat_of, cooling_of = _per_unit(source_heat), _per_unit(cooling_mwh)
    fuel_name, source_name = _per_unit(ds["unit_fuel"]), _per_unit(ds["unit_source"])
    for u in ds["unit"].values:
        u = str(u)
        net = f"Network {sink[u]}"
        heat = float(heat_of[u])
        if bool(store[u]):
            link(net, "Storage losses", -heat, "network", "loss")
            link(u, net, heat, "unit", "network")
            continue
        fuel_in = float(fuel_of[u])
        el = float(el_of[u])
        src_heat = float(source_heat_of[u])
        fuel = str(fuel_name[u])
        source = str(source_name[u])
        if fuel:
            link(f"Fuel: {fuel}", u, fuel_in, "fuel", "unit")
        link(el_node, u, -el, "electricity", "unit")
        if solar is not None:  # sunlight: heat with no input port
            link("Solar", u, float(solar[u]), "solar", "unit")
        if source:
            name, skind = (
                (f"Waste heat: {source}", "waste")
                if source in wastes
                else (f"Ambient: {source}", "ambient")
            )
            link(name, u, src_heat, skind, "unit")
        link(u, net, heat, "unit", "network")
        link(net, u, -heat, "network", "unit")  # units that take heat (absorption chillers)
        link(u, el_node, el, "unit", "electricity")
        cooling = float(cooling_of[u]) if cooling_mwh is not None else 0.0
        link(u, "Cooling delivered", cooling, "unit", "demand")
        loss = fuel_in + abs(min(el, 0.0)) + src_heat + abs(min(heat, 0.0))
        loss -= max(heat, 0.0) + max(el, 0.0) + max(cooling, 0.0)
        link(
            u, "Conversion losses", loss if loss > 1e-6 * max(fuel_in, 1.0) else 0.0, "unit", "loss"
        )
    link("Grid import", el_node, float(_annual(ds, "grid_import_mw")), "electricity", "electricity")
    link(el_node, "Grid export", float(_annual(ds, "grid_export_mw")), "electricity", "electricity")
    if "fleet_electricity_mw" in ds:  # electric transport fleets charge from the same bus
        fleets = float(_annual(ds, "fleet_electricity_mw"))
        link(el_node, "Electric fleets", fleets, "electricity", "demand")
    losses = ds["heat_loss_mwh"] if "heat_loss_mwh" in ds else xr.zeros_like(ds["heat_demand_mwh"])
    for n in ds["network"].values:
        loss = float(losses.sel(network=n))
        delivered = float(
            ds["heat_demand_mwh"].sel(network=n) - ds["unserved_heat_mwh"].sel(network=n)
        )
        link(f"Network {n}", "Heat delivered", delivered - loss, "network", "demand")
        link(f"Network {n}", "Network losses", loss, "network", "loss")
    link("Unserved heat", "Heat delivered", float(ds["unserved_heat_mwh"].sum()), "loss", "demand")
    return pd.DataFrame(
        rows, columns=["source", "target", "value_mwh", "source_kind", "target_kind"]
    )


def sankey_figure(ds: xr.Dataset, style: UnitStyle | None = None) -> go.Figure:
    """Sankey diagram of the year's energy flows [GWh] (see :func:`sankey_links`); ``style``:
    the run's :class:`UnitStyle`, if the caller has it."""
    links = sankey_links(ds)
    kinds = dict(zip(links["source"], links["source_kind"], strict=True))
    kinds.update(zip(links["target"], links["target_kind"], strict=True))
    nodes = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {n: i for i, n in enumerate(nodes)}
    colors = _style(ds, style).colors
    node_colors = [colors.get(n, NODE_COLORS.get(kinds[n], "#888888")) for n in nodes]
    if "Unserved heat" in index:
        node_colors[index["Unserved heat"]] = UNSERVED_COLOR

    def faded(c: str) -> str:
        r, g, b = (int(c[k : k + 2], 16) for k in (1, 3, 5))
        return f"rgba({r},{g},{b},0.35)"

    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",.1f",
            valuesuffix=" GWh",
            node={
                "label": nodes,
                "color": node_colors,
                "pad": 16,
                "thickness": 14,
                "line": {"width": 0},
            },
            link={
                "source": [index[s] for s in links["source"]],
                "target": [index[t] for t in links["target"]],
                "value": _rounded(links["value_mwh"] / 1e3, 3),
                "color": [faded(node_colors[index[s]]) for s in links["source"]],
            },
        )
    )
    # the unit column is the tallest: about 30 px a unit keeps its labels from overlapping
    n_units = sum(1 for n in nodes if kinds[n] == "unit")
    return style_figure(
        fig, "Energy flows over the year (GWh)", height=max(640, 30 * n_units + 120)
    )


def cost_figure(ds: xr.Dataset) -> go.Figure:
    """Cost items of the run [MEUR], sales as negative bars."""
    costs = ds["cost_eur"].to_series() / 1e6
    costs = costs[costs.abs() > 1e-9]
    fig = go.Figure(
        go.Bar(
            x=_rounded(costs.values, 3),
            y=[c.replace("_", " ") for c in costs.index],
            orientation="h",
            marker_color=["#3a9d5d" if v < 0 else "#2b6cb0" for v in costs.values],
            text=[f"{v:,.2f}" for v in costs.values],
            textposition=["inside" if v < 0 else "outside" for v in costs.values],
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.3f} MEUR<extra></extra>",
        )
    )
    style_figure(
        fig,
        f"Cost by item (total {costs.sum():,.2f} MEUR)",
        height=340,
        xaxis_title="MEUR",
        yaxis={"autorange": "reversed"},
    )
    return fig


def emissions_figure(ds: xr.Dataset) -> go.Figure:
    """Emissions by source [t CO2e]."""
    em = ds["emissions_t"].to_series()
    fig = go.Figure(
        go.Bar(
            x=[s.replace("_", " ") for s in em.index],
            y=_rounded(em.values, 1),
            marker_color=emission_colors(em.index),
            text=[f"{v:,.0f}" for v in em.values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,.0f} t CO2e<extra></extra>",
        )
    )
    style_figure(
        fig, f"Emissions by source (total {em.sum():,.0f} t CO2e)", height=340, yaxis_title="t CO2e"
    )
    return fig


def energy_mix_figure(ds: xr.Dataset, style: UnitStyle | None = None) -> go.Figure:
    """Heat produced by category [GWh] as a donut (``style``: the run's :class:`UnitStyle`, if
    the caller has it)."""
    mix = energy_mix(ds, None if style is None else style.table)
    mix = mix[mix > 1e-6]
    colors = mix_colors(mix.index)
    fig = go.Figure(
        go.Pie(
            labels=list(mix.index),
            values=_rounded(mix.values / 1e3, 2),
            hole=0.5,
            marker={"colors": colors},
            sort=False,
            textinfo="percent",
            hovertemplate="%{label}: %{value:,.1f} GWh (%{percent})<extra></extra>",
        )
    )
    return style_figure(
        fig,
        "Heat produced by kind of unit",
        height=340,
        legend={"orientation": "v", "x": 1.0, "y": 0.5},
    )


def waste_heat_use_figure(ds: xr.Dataset) -> go.Figure | None:
    """Waste heat taken per source by route, and what was offered but not taken [GWh]."""
    table = waste_heat_table(ds)
    if table.empty:
        return None
    fig = go.Figure()
    shades = {
        "direct": "#17a2a2",
        "preheat": "#7fd1c7",
        "heat_pump": "#2b6cb0",
        "absorption": "#8e5cc2",
    }
    from restvarme.units.ports import ROUTES  # energy columns only: never a value per MWh

    for route in ROUTES:
        label = ROUTE_LABELS.get(route, route.replace("_", " "))
        col = f"{route}_mwh"
        if col in table and table[col].sum() > 1e-6:
            fig.add_trace(
                go.Bar(
                    x=list(table.index),
                    y=_rounded(table[col] / 1e3, 2),
                    name=label,
                    marker_color=shades.get(route, "#6b7b8c"),
                    hovertemplate=f"%{{x}} {label}: %{{y:,.1f}} GWh<extra></extra>",
                )
            )
    unused = (table["available_mwh"] - table["used_mwh"]).clip(lower=0)
    fig.add_trace(
        go.Bar(
            x=list(table.index),
            y=_rounded(unused / 1e3, 2),
            name="offered, not taken",
            marker_color="#d5dbe1",
            hovertemplate="%{x} not taken: %{y:,.1f} GWh<extra></extra>",
        )
    )
    return style_figure(
        fig, "Waste heat taken per source", height=360, barmode="stack", yaxis_title="GWh"
    )


def waste_heat_value_figure(ds: xr.Dataset) -> go.Figure | None:
    """Monthly mean of each waste-heat source's hourly value [EUR/MWh], over hours it is offered."""
    if "waste_heat_value_eur_per_mwh" not in ds or ds.sizes.get("waste_source", 0) == 0:
        return None
    value = ds["waste_heat_value_eur_per_mwh"].where(ds["waste_heat_available_mw"] > 1e-9)
    hourly = pd.DataFrame(
        value.transpose("snapshot", "waste_source").values,
        index=pd.DatetimeIndex(ds["snapshot"].values),
        columns=[str(s) for s in ds["waste_source"].values],
    )
    monthly = hourly.resample("MS").mean()
    fig = go.Figure()
    palette = ["#17a2a2", "#2b6cb0", "#e08e2b", "#8e5cc2", "#3a9d5d", "#8d5a3b", "#c0392b"]
    for i, s in enumerate(monthly.columns):
        fig.add_trace(
            go.Scatter(
                x=[d.strftime("%Y-%m-%d") for d in monthly.index],
                y=[None if np.isnan(v) else round(v, 2) for v in monthly[s]],
                name=str(s),
                mode="lines+markers",
                line={"color": palette[i % len(palette)], "width": 2},
                hovertemplate=f"{s}: %{{y:,.1f}} EUR/MWh<extra></extra>",
            )
        )
    style_figure(
        fig, "Value of one more MWh of waste heat", height=360, yaxis_title="EUR/MWh (monthly mean)"
    )
    fig.update_xaxes(type="date", dtick="M1", tickformat="%b")
    return fig


def period_emissions_figure(ds: xr.Dataset) -> go.Figure | None:
    """Emissions per period by source [t CO2e], against the target where the results carry one."""
    periods = period_values(ds)
    if not periods:
        return None
    labels = [str(p) for p in periods]
    fig = go.Figure()
    sources = ds["emission_source"].values
    for src, color in zip(sources, emission_colors(sources), strict=True):
        fig.add_trace(
            go.Bar(
                x=labels,
                y=_rounded(ds["emissions_t"].sel(emission_source=src), 1),
                name=str(src).replace("_", " "),
                marker_color=color,
            )
        )
    target = emission_target(ds)
    if target is not None:
        values = [
            None if not np.isfinite(v) else round(float(v), 1)
            for v in target.sel(period=periods).values
        ]
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=values,
                name="cap / target",
                mode="markers",
                marker={
                    "size": 70,
                    "symbol": "line-ew-open",
                    "color": UNSERVED_COLOR,
                    "line": {"width": 4, "color": UNSERVED_COLOR},
                },
                hovertemplate="cap: %{y:,.0f} t CO2e<extra></extra>",
            )
        )
    return style_figure(
        fig,
        "Emissions per period",
        height=380,
        barmode="stack",
        yaxis_title="t CO2e",
        xaxis={"type": "category"},
    )


def period_capacity_figure(ds: xr.Dataset) -> go.Figure | None:
    """Capacity in service per unit and period [MW] (units sized otherwise, stores in MWh and
    collector fields in m², left out)."""
    cap = capacity_in_service(ds)
    if cap is None:
        return None
    labels = [str(p) for p in period_values(ds)]
    style = UnitStyle.of(ds)
    units_of = roles.capacity_units(ds)
    fig = go.Figure()
    for u in style.order:
        if units_of[u] != "MW":  # stores (MWh), collector fields (m²)
            continue
        values = cap.sel(unit=u)
        if float(values.max()) < 1e-6:
            continue
        fig.add_trace(
            go.Bar(
                x=labels,
                y=_rounded(values, 2),
                name=u,
                marker_color=style.colors[u],
                hovertemplate=f"{u}: %{{y:,.1f}} MW<extra></extra>",
            )
        )
    return style_figure(
        fig,
        "Heat capacity in service per period (MW)",
        height=400,
        barmode="stack",
        yaxis_title="MW",
        xaxis={"type": "category"},
    )


def period_mix_figure(ds: xr.Dataset) -> go.Figure | None:
    """Heat produced per kind of unit and period [GWh]."""
    periods = period_values(ds)
    if not periods:
        return None
    mixes = pd.DataFrame({str(p): energy_mix(ds.sel(period=p)) for p in periods}).fillna(0.0)
    fig = go.Figure()
    for (label, row), color in zip(mixes.iterrows(), mix_colors(mixes.index), strict=True):
        fig.add_trace(
            go.Bar(
                x=list(mixes.columns),
                y=_rounded(row.values / 1e3, 2),
                name=label,
                marker_color=color,
            )
        )
    return style_figure(
        fig,
        "Heat produced per period",
        height=380,
        barmode="stack",
        yaxis_title="GWh",
        xaxis={"type": "category"},
    )


def all_figures(ds: xr.Dataset) -> dict[str, go.Figure]:
    """Every chart of the report by a file-name-safe key, in report order (``None`` left out).

    For a pathway run the hourly charts show the last period; the period charts show all.
    """
    periods = period_values(ds)
    one = ds.sel(period=periods[-1]) if periods else ds
    style = UnitStyle.of(one)
    figs: dict[str, go.Figure | None] = {}
    for carrier, n in carriers(one):
        figs[chart_key("dispatch", carrier, n)] = dispatch_figure(one, n, carrier, style)
    figs["storage"] = storage_figure(one, style)
    for carrier, n in carriers(one):
        figs[chart_key("duration", carrier, n)] = duration_figure(one, n, carrier, style)
    for carrier, n in carriers(one):
        figs[chart_key("price", carrier, n)] = price_heatmap(one, n, carrier)
    figs["sankey"] = sankey_figure(one, style)
    figs["energy_mix"] = energy_mix_figure(one, style)
    figs["costs"] = cost_figure(one)
    figs["emissions"] = emissions_figure(one)
    figs["waste_heat_use"] = waste_heat_use_figure(one)
    figs["waste_heat_value"] = waste_heat_value_figure(one)
    figs["period_emissions"] = period_emissions_figure(ds)
    figs["period_capacity"] = period_capacity_figure(ds)
    figs["period_mix"] = period_mix_figure(ds)
    return {k: v for k, v in figs.items() if v is not None}
