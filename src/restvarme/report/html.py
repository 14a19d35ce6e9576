"""One self-contained HTML report of a run: key figures, charts, tables and the assumptions.

The file works offline: plotly's JavaScript is embedded once in the page head, and every chart is
a ``<div class="chart">`` drawn by it. No CDN, no web fonts, no template engine (the page is a
:class:`string.Template` in ``templates/report.html``).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from restvarme import accounting
from restvarme.accounting.costs import cost_item_label
from restvarme.report import charts
from restvarme.report.figures import (
    DASH,
    KeyFigures,
    built_table,
    cooling_network_table,
    cooling_unit_table,
    display_value,
    energy_mix,
    figure_cards,
    key_figures,
    network_table,
    period_table,
    period_values,
    sector_table,
    unit_table,
    waste_heat_table,
)
from restvarme.results import roles

REPORT_FILE = "report.html"
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}

CAPTIONS = {
    "dispatch": (
        "Which unit covers the heat demand hour by hour. Drag to zoom, double-click to reset, "
        "or use the buttons above the chart; click a name in the legend to hide it. Storage "
        "charging is drawn below zero."
    ),
    "storage": (
        "Energy held in each store. A store that fills in cheap hours and empties in expensive "
        "ones is shifting heat in time."
    ),
    "duration": (
        "The year's hours sorted by demand, largest first. The width of each band is what that "
        "unit delivers in hours of that load (mean over bins of about 12 sorted hours); storage "
        "charging, and heat that units take from the network, are drawn below zero; the black "
        "line is the demand."
    ),
    "price": (
        "The cost of one more MWh of heat delivered in that hour (dual of the network's balance). "
        "Dark is cheap, bright is expensive; each column is a day."
    ),
    "sankey": (
        "Where the year's energy comes from and where it goes, in GWh. Heat pumps take "
        "electricity plus waste or ambient heat; CHPs turn fuel into heat and electricity."
    ),
}


# --- small HTML helpers ------------------------------------------------------------------------


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _num(value: float, fmt: str = ",.1f") -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return DASH
    return format(value, fmt)


def html_table(
    df: pd.DataFrame,
    formats: dict[str, str],
    headers: dict[str, str] | None = None,
    total: dict[str, str] | None = None,
    table_id: str = "",
) -> str:
    """A DataFrame as an HTML table; numeric columns are formatted and right-aligned.

    ``formats`` maps column to a format spec with an optional scale, e.g. ``"/1e3:,.1f"`` divides
    by 1,000 before formatting; ``"%:.1f"`` shows a fraction as a percentage.
    """
    headers = headers or {}
    cols = list(df.columns)
    head = "".join(
        f'<th class="{"num" if c in formats else ""}">{esc(headers.get(c, c))}</th>' for c in cols
    )
    rows = []
    for idx, row in df.iterrows():
        cells = [f"<td>{esc(idx)}</td>"]
        for c in cols:
            cells.append(_cell(row[c], formats.get(c)))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if total:
        cells = ["<td>total</td>"] + [
            f'<td class="num">{esc(total[c])}</td>' if c in total else "<td></td>" for c in cols
        ]
        rows.append('<tr class="total">' + "".join(cells) + "</tr>")
    index_name = esc(human_header(df.index.name))
    ident = f' id="{esc(table_id)}"' if table_id else ""
    return (
        f'<div class="table-wrap"><table{ident}><thead><tr><th>{index_name}</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


HEADERS = {
    "delivered_gwh": "delivered GWh",
    "emissions_t": "t CO2e",
    "g_co2e_per_kwh": "g CO2e/kWh",
    "primary_energy_factor": "primary energy factor",
    "renewable_pct": "renewable %",
    "fossil_pct": "fossil %",
    "waste_heat_pct": "waste heat %",
    "waste_source": "waste-heat source",
}
"""Human headers for the column and index names of tables shown as they come (the accounting's);
other names lose their underscores (``cooling_network`` -> "cooling network")."""


def human_header(name: object) -> str:
    """A table header a reader sees for a column or index ``name``: never snake_case."""
    text = "" if name is None else str(name)
    return HEADERS.get(text, text.replace("_", " "))


def _cell(value: object, spec: str | None) -> str:
    if spec is None:
        return f"<td>{esc('' if value is None else value)}</td>"
    return f'<td class="num">{esc(format_number(value, spec))}</td>'


def format_number(value: Any, spec: str) -> str:
    """Format with an optional scale prefix: ``"/1e3:,.1f"``, ``"%:.1f"`` or plain ``",.0f"``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not np.isfinite(v):
        return DASH
    if spec.startswith("%:"):
        out = format(v * 100, spec[2:]) + " %"
    elif spec.startswith("/"):
        scale, fmt = spec[1:].split(":", 1)
        out = format(v / float(scale), fmt)
    else:
        out = format(v, spec)
    return out[1:] if re.fullmatch(r"-[0.,]+( %)?", out) else out  # no "-0.0"


def markdown_to_html(text: str) -> str:
    """Markdown (a SOURCES.md file) as HTML, with markdown-it-py (CommonMark plus tables).

    Raw HTML in the text is escaped, never passed on, and links keep only safe schemes:
    markdown-it's link validation refuses ``javascript:``, ``vbscript:``, ``file:`` and
    ``data:`` URLs (but images' ``data:image/...``), so ``[x](javascript:...)`` is shown as text.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md.enable("table").render(text)


def setting(ds: xr.Dataset, key: str) -> float:
    """A scenario-wide number of the run: a scalar variable (per period in pathways), or an attr."""
    if key in ds.data_vars and ds[key].size == 1:
        return float(ds[key])
    return float(ds.attrs.get(key, np.nan))


# --- sections ----------------------------------------------------------------------------------


def chart_html(fig: go.Figure, key: str, caption: str = "") -> str:
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{key}",
        config=PLOTLY_CONFIG,
        default_height=f"{fig.layout.height or 420}px",
    )
    cap = f'<p class="caption">{esc(caption)}</p>' if caption else ""
    return f'<div class="chart" data-chart="{esc(key)}">{div}</div>{cap}'


def section(ident: str, title: str, body: str, lead: str = "") -> str:
    lead_html = f'<p class="lead">{lead}</p>' if lead else ""
    return f'<section id="{esc(ident)}"><h2>{esc(title)}</h2>{lead_html}{body}</section>'


def key_figure_cards(kf: KeyFigures) -> str:
    cards = []
    for card in figure_cards(kf):
        state = ""
        if card.key == "unserved_heat_mwh":
            state = "good" if card.value < 0.5 else "bad"
        cards.append(
            f'<div class="card {state}" data-key="{card.key}" data-value="{card.value!r}">'
            f'<div class="label">{esc(card.label)}</div>'
            f'<div class="value">{display_value(card.key, card.value)}'
            f'<span class="unit">{esc(card.unit)}</span></div>'
            f'<div class="note">{esc(card.note)}</div></div>'
        )
    return '<div class="cards" id="key-figures">' + "".join(cards) + "</div>"


def brief(ds: xr.Dataset, kf: KeyFigures, style: charts.UnitStyle) -> str:
    """Three to five sentences a reader can quote, generated from the results."""
    units = unit_table(ds)
    top = units[~roles.is_store(ds).to_series()].sort_values("heat_mwh", ascending=False)
    mix = energy_mix(ds, style.table)
    what = kf.delivered_label
    made = f"{kf.heat_delivered_mwh / 1e3:,.1f} GWh of heat"
    if kf.cooling_delivered_mwh > 0:
        made += f" and {kf.cooling_delivered_mwh / 1e3:,.1f} GWh of cooling"
    items = [
        f"{made} delivered for {kf.heat_and_cooling_cost_eur / 1e6:,.2f} MEUR, "
        f"{kf.cost_eur_per_mwh:,.1f} EUR per MWh of {what}"
        + (
            f" (heat {kf.heat_cost_eur_per_mwh:,.1f}, cooling {kf.cooling_cost_eur_per_mwh:,.1f})"
            if kf.cooling_delivered_mwh > 0
            else ""
        )
        + (
            f"; the system as a whole costs {kf.system_cost_eur / 1e6:,.2f} MEUR."
            if abs(kf.system_cost_eur - kf.heat_and_cooling_cost_eur) > 0.5
            else "."
        ),
    ]
    if len(top):
        items.append(
            f"The largest producer is {esc(top.index[0])} with "
            f"{top['share'].iloc[0]:.0%} of the heat; {len(top)} units in all."
        )
    if len(mix):
        items.append(
            f"Waste heat covers {kf.waste_heat_share:.1%} of the heat delivered "
            f"(recovered heat only, without heat-pump electricity); the largest kind of "
            f"supply is {esc(mix.idxmax())} ({mix.max() / mix.sum():.0%})."
        )
    items.append(
        f"The {what} networks emit {kf.heat_and_cooling_emissions_t:,.0f} t CO2e, "
        f"{kf.emission_intensity_g_per_kwh:,.1f} g per kWh of {what} delivered"
        + (
            f" (all sectors: {kf.emissions_t:,.0f} t)"
            if abs(kf.emissions_t - kf.heat_and_cooling_emissions_t) > 0.5
            else ""
        )
        + f"; {kf.fossil_share:.1%} of the heat comes from fossil fuels."
    )
    if kf.unserved_heat_mwh > 0.5:
        items.append(
            f"<strong>{kf.unserved_heat_mwh:,.0f} MWh of demand could not be met</strong> "
            f"with the units given (see the dispatch charts for when)."
        )
    else:
        items.append("Every hour's demand is met.")
    return '<ul class="brief">' + "".join(f"<li>{t}</li>" for t in items) + "</ul>"


def units_section(ds: xr.Dataset, style: charts.UnitStyle) -> str:
    """The heat units and networks: the energy mix as a donut and a table, and their tables."""
    units = unit_table(ds)
    units = units[style.table["heat_unit"].to_numpy() | (units["heat_mwh"].abs() > 0.05)]
    produced = units.loc[~roles.is_store(ds).to_series(), "heat_mwh"].clip(lower=0).sum()
    table = html_table(
        units.drop(columns=["fuel_mwh"]),
        {
            "heat_mwh": "/1e3:,.1f",
            "share": "%:.1f",
            "electricity_mwh": "/1e3:,.1f",
            "peak_mw": ",.1f",
            "full_load_hours_h": ",.0f",
        },
        headers={
            "heat_mwh": "heat GWh",
            "share": "share",
            "electricity_mwh": "electricity GWh",
            "peak_mw": "peak MW",
            "full_load_hours_h": "full-load h",
            "input": "fuel / source",
        },
        total={"heat_mwh": f"{produced / 1e3:,.1f}"},
        table_id="unit-table",
    )
    nets = html_table(
        network_table(ds),
        {
            "heat_demand_mwh": "/1e3:,.1f",
            "heat_loss_mwh": "/1e3:,.1f",
            "heat_delivered_mwh": "/1e3:,.1f",
            "unserved_heat_mwh": ",.1f",
            "peak_demand_mw": ",.1f",
            "mean_marginal_heat_price_eur_per_mwh": ",.2f",
            "max_marginal_heat_price_eur_per_mwh": ",.2f",
        },
        headers={
            "heat_demand_mwh": "load GWh",
            "heat_loss_mwh": "losses GWh",
            "heat_delivered_mwh": "delivered GWh",
            "unserved_heat_mwh": "unserved MWh",
            "peak_demand_mw": "peak MW",
            "mean_marginal_heat_price_eur_per_mwh": "mean price EUR/MWh",
            "max_marginal_heat_price_eur_per_mwh": "max price EUR/MWh",
        },
        table_id="network-table",
    )
    mix = energy_mix(ds, style.table)
    mix_frame = pd.DataFrame({"heat_mwh": mix, "share": mix / mix.sum() if mix.sum() else mix})
    mix_frame.index.name = "kind of unit"
    mix_table = html_table(
        mix_frame,
        {"heat_mwh": "/1e3:,.1f", "share": "%:.1f"},
        headers={"heat_mwh": "heat GWh"},
        total={"heat_mwh": f"{mix.sum() / 1e3:,.1f}"},
        table_id="mix-table",
    )
    donut = chart_html(charts.energy_mix_figure(ds, style), "energy_mix")
    body = (
        f'<div class="grid2"><div>{donut}</div><div><h3>Heat by kind of unit</h3>{mix_table}'
        f"</div></div><h3>Networks</h3>{nets}<h3>Units</h3>{table}"
        '<p class="caption">Electricity: + made, &minus; used. Storage heat is net discharge: '
        "negative means its losses. Full-load hours = heat / highest hourly output.</p>"
    )
    return section("units", "Heat supply by unit", body)


def cooling_section(ds: xr.Dataset, style: charts.UnitStyle) -> str:
    """Cooling networks and the units that serve them; empty without cooling networks."""
    units = cooling_unit_table(ds, style.table)
    if units.empty:
        return ""
    made = units.loc[~roles.is_store(ds).to_series().reindex(units.index), "cooling_mwh"]
    table = html_table(
        units,
        {
            "cooling_mwh": "/1e3:,.1f",
            "share": "%:.1f",
            "electricity_mwh": "/1e3:,.1f",
            "heat_mwh": "/1e3:,.1f",
            "peak_mw": ",.1f",
            "full_load_hours_h": ",.0f",
        },
        headers={
            "cooling_mwh": "cooling GWh",
            "electricity_mwh": "electricity GWh",
            "heat_mwh": "heat GWh",
            "peak_mw": "peak MW",
            "full_load_hours_h": "full-load h",
        },
        total={"cooling_mwh": f"{made.clip(lower=0).sum() / 1e3:,.1f}"},
        table_id="cooling-unit-table",
    )
    nets = html_table(
        cooling_network_table(ds),
        {
            "cooling_demand_mwh": "/1e3:,.1f",
            "cooling_delivered_mwh": "/1e3:,.1f",
            "unserved_cooling_mwh": ",.1f",
            "peak_demand_mw": ",.1f",
            "mean_marginal_cooling_price_eur_per_mwh": ",.2f",
            "max_marginal_cooling_price_eur_per_mwh": ",.2f",
        },
        headers={
            "cooling_demand_mwh": "demand GWh",
            "cooling_delivered_mwh": "delivered GWh",
            "unserved_cooling_mwh": "unserved MWh",
            "peak_demand_mw": "peak MW",
            "mean_marginal_cooling_price_eur_per_mwh": "mean price EUR/MWh",
            "max_marginal_cooling_price_eur_per_mwh": "max price EUR/MWh",
        },
        table_id="cooling-network-table",
    )
    body = (
        f"<h3>Cooling networks</h3>{nets}<h3>Units</h3>{table}"
        '<p class="caption">Electricity: + made, &minus; used. Heat: + delivered to a heat '
        "network (heat-recovery heat pumps), &minus; taken from one (absorption chillers). Cold "
        "storage is net discharge. Full-load hours = cooling / highest hourly output.</p>"
    )
    return section("cooling", "Cooling supply by unit", body)


def dispatch_section(ds: xr.Dataset, style: charts.UnitStyle) -> str:
    """The hourly dispatch of every heat and cooling network, and the stores' levels."""
    parts = [
        chart_html(
            charts.dispatch_figure(ds, n, carrier, style),
            charts.chart_key("dispatch", carrier, n),
            CAPTIONS["dispatch"].replace("heat", carrier.name, 1),
        )
        for carrier, n in charts.carriers(ds)
    ]
    if (fig := charts.storage_figure(ds, style)) is not None:
        parts.append(chart_html(fig, "storage", CAPTIONS["storage"]))
    return section("dispatch", "Hourly dispatch", "".join(parts))


def duration_section(ds: xr.Dataset, style: charts.UnitStyle) -> str:
    """The load duration curve of every heat and cooling network."""
    parts = [
        chart_html(
            charts.duration_figure(ds, n, carrier, style),
            charts.chart_key("duration", carrier, n),
            CAPTIONS["duration"],
        )
        for carrier, n in charts.carriers(ds)
    ]
    return section("duration", "Load duration", "".join(parts))


def price_section(ds: xr.Dataset) -> str:
    parts = [
        chart_html(
            charts.price_heatmap(ds, n, carrier),
            charts.chart_key("price", carrier, n),
            CAPTIONS["price"].replace("heat", carrier.name, 1),
        )
        for carrier, n in charts.carriers(ds)
    ]
    title = (
        "Marginal heat and cooling prices"
        if len(parts) > len(ds["network"])
        else "Marginal heat price"
    )
    return section("prices", title, "".join(parts))


def flows_section(ds: xr.Dataset, style: charts.UnitStyle) -> str:
    """The Sankey diagram of the year's energy flows."""
    sankey = charts.sankey_figure(ds, style)
    return section("flows", "Energy flows", chart_html(sankey, "sankey", CAPTIONS["sankey"]))


def costs_section(
    ds: xr.Dataset, kf: KeyFigures, accounting_html: str = "", sectors: pd.DataFrame | None = None
) -> str:
    """Cost items, emissions and both by sector (``sectors``: the run's :func:`sector_table`, if
    the caller has it), with the accounting's indicators (``accounting_html``)."""
    costs = ds["cost_eur"].to_series().rename("eur").to_frame()
    costs.index = [cost_item_label(str(i)) for i in costs.index]
    costs.index.name = "cost item"
    cost_table = html_table(
        costs,
        {"eur": "/1e6:,.3f"},
        headers={"eur": "MEUR"},
        total={"eur": f"{kf.total_cost_eur / 1e6:,.3f}"},
        table_id="cost-table",
    )
    em = ds["emissions_t"].to_series().rename("t_co2e").to_frame()
    em_table = html_table(
        em,
        {"t_co2e": ",.0f"},
        headers={"t_co2e": "t CO2e"},
        total={"t_co2e": f"{kf.emissions_t:,.0f}"},
        table_id="emission-table",
    )
    if sectors is None:
        sectors = sector_table(ds, kf)
    sector_html = html_table(
        sectors,
        {
            "cost_eur": "/1e6:,.3f",
            "emissions_t": ",.0f",
            "delivered_mwh": "/1e3:,.1f",
            "cost_eur_per_mwh": ",.2f",
            "emission_intensity_g_per_kwh": ",.2f",
        },
        headers={
            "cost_eur": "MEUR",
            "emissions_t": "t CO2e",
            "delivered_mwh": "delivered GWh",
            "cost_eur_per_mwh": "EUR per MWh delivered",
            "emission_intensity_g_per_kwh": "g CO2e per kWh delivered",
        },
        total={
            "cost_eur": f"{kf.total_cost_eur / 1e6:,.3f}",
            "emissions_t": f"{kf.emissions_t:,.0f}",
        },
        table_id="sector-table",
    )
    body = (
        f'<div class="grid2"><div>{chart_html(charts.cost_figure(ds), "costs")}{cost_table}</div>'
        f"<div>{chart_html(charts.emissions_figure(ds), 'emissions')}{em_table}</div></div>"
        f'<p class="caption">Carbon price {setting(ds, "carbon_price_eur_per_t"):g} EUR/t. '
        "Emissions here are the whole system's: fuels burnt plus electricity bought from the "
        "grid at its emission factor; electricity sold is a revenue (negative cost) and is not "
        "credited with avoided emissions.</p>"
        "<h3>By sector</h3>"
        f"{sector_html}"
        '<p class="caption">A unit\'s costs go to the sectors of its outputs in proportion to '
        "their energy; costs placed on no unit (capital of new capacity) are shared between heat "
        "and cooling in proportion to the energy delivered. Emissions by sector follow the rule "
        "of the accounting section.</p>" + accounting_html
    )
    return section("costs", "Costs and emissions", body)


def waste_heat_section(ds: xr.Dataset, accounting_html: str = "") -> str:
    table = waste_heat_table(ds)
    if table.empty:
        return section("waste-heat", "Waste heat", "<p>This scenario has no waste-heat source.</p>")
    formats = {c: "/1e3:,.1f" for c in table.columns if c.endswith("_mwh")}
    formats.update(
        {
            "utilisation": "%:.0f",
            "mean_value_eur_per_mwh": ",.1f",
            "value_of_heat_used_eur": "/1e6:,.3f",
        }
    )
    headers = {f"{r}_mwh": f"{label} GWh" for r, label in charts.ROUTE_LABELS.items()}
    headers.update(
        {
            "used_mwh": "taken GWh",
            "available_mwh": "offered GWh",
            "utilisation": "taken / offered",
            "mean_value_eur_per_mwh": "mean value EUR/MWh",
            "value_of_heat_used_eur": "value of heat taken MEUR",
        }
    )
    parts = []
    for key, fig in (
        ("waste_heat_use", charts.waste_heat_use_figure(ds)),
        ("waste_heat_value", charts.waste_heat_value_figure(ds)),
    ):
        if fig is not None:
            parts.append(f"<div>{chart_html(fig, key)}</div>")
    body = (
        f'<div class="grid2">{"".join(parts)}</div>'
        + html_table(table, formats, headers, table_id="waste-heat-table")
        + '<p class="caption">Value: what one more MWh offered by the source in that hour would '
        "save the system (dual of the source's availability), averaged over the hours it is "
        "offered. Value of heat taken = hourly value x heat taken, summed.</p>" + accounting_html
    )
    return section("waste-heat", "Waste heat", body)


ACCOUNTING_TABLES = {
    "indicators": ("Indicators per network", "indicator_table"),
    "price_list": ("Supplier price lists for waste heat", "supplier_price_list"),
}
"""Tables taken from ``restvarme.accounting``: key -> (title, name of the function)."""


def accounting_tables(ds: xr.Dataset) -> dict[str, str]:
    """HTML of the accounting tables by key of ``ACCOUNTING_TABLES``; a short note for any that
    cannot be computed on these results."""
    out = {}
    for key, (title, name) in ACCOUNTING_TABLES.items():
        try:
            table = getattr(accounting, name)(ds)
        except Exception as error:  # a table that fails on these results must not break the report
            out[key] = f'<p class="caption">{esc(title)}: could not be computed ({esc(error)}).</p>'
            continue
        if isinstance(table, pd.Series):
            table = table.to_frame()
        out[key] = (
            _price_lists_html(title, table)
            if key == "price_list"
            else _accounting_table_html(title, table)
        )
    return out


def _frame_html(table: pd.DataFrame) -> str:
    shown = table.rename(columns=human_header)
    shown.index.names = [human_header(n) if n is not None else None for n in shown.index.names]
    return (
        '<div class="table-wrap">'
        + shown.to_html(float_format=lambda v: f"{v:,.2f}", na_rep=DASH, border=0)
        + "</div>"
    )


def _accounting_table_html(title: str, table: pd.DataFrame) -> str:
    notes = "; ".join(
        str(v)
        for k, v in table.attrs.items()
        if isinstance(v, str) and k in ("perspective", "primary_energy_factors")
    )
    caption = f'<p class="caption">From restvarme.accounting: {esc(notes)}.</p>' if notes else ""
    return f"<h3>{esc(title)}</h3>{_frame_html(table)}{caption}"


def _price_lists_html(title: str, table: pd.DataFrame) -> str:
    """One price list per source (rows: outdoor band; columns: delivery temperature), folded."""
    if isinstance(table.index, pd.MultiIndex) and table.index.names[0] == "source":
        parts = [
            f"<h4>{esc(src)}</h4>" + _frame_html(sub.droplevel(0).dropna(axis=1, how="all"))
            for src, sub in table.groupby(level=0, sort=False)
        ]
    else:
        parts = [_frame_html(table)]
    return (
        f"<details><summary><strong>{esc(title)}</strong> (from restvarme.accounting: value "
        "of one MWh by outdoor temperature and delivery temperature, EUR/MWh)</summary>"
        + "".join(parts)
        + "</details>"
    )


def pathway_section(ds: xr.Dataset) -> str:
    periods = period_values(ds)
    table = period_table(ds)
    formats = {
        "total_cost_eur": "/1e6:,.2f",
        "cost_eur_per_mwh": ",.1f",
        "heat_delivered_mwh": "/1e3:,.1f",
        "emissions_t": ",.0f",
        "emission_intensity_g_per_kwh": ",.1f",
        "waste_heat_share": "%:.1f",
        "unserved_heat_mwh": ",.0f",
        "emission_target_t": ",.0f",
        "gap_t": ",.0f",
    }
    headers = {
        "total_cost_eur": "cost MEUR/yr",
        "cost_eur_per_mwh": "EUR/MWh of heat and cooling",
        "heat_delivered_mwh": "heat delivered GWh",
        "emissions_t": "t CO2e/yr, all sectors",
        "emission_intensity_g_per_kwh": "g CO2e/kWh of heat and cooling",
        "waste_heat_share": "waste-heat share of heat",
        "unserved_heat_mwh": "unserved MWh",
        "emission_target_t": "cap t CO2e",
        "gap_t": "above cap t CO2e",
    }
    shown = table[[c for c in formats if c in table.columns]]
    parts = [html_table(shown, formats, headers, table_id="period-table")]
    if "discounted_cost_eur" in ds:
        parts.append(
            f'<p class="caption">Costs per period are for one representative year, '
            f"undiscounted. Discounted to the base year over all periods: "
            f"{float(ds['discounted_cost_eur'].sum()) / 1e6:,.2f} MEUR.</p>"
        )
    built = built_table(ds)
    if not built.empty:
        parts.append(
            "<h3>What is built, and when</h3>"
            + html_table(
                built,
                {c: ",.1f" for c in built.columns if c != "unit of measure"},
                table_id="built-table",
            )
        )
    for key, fig in (
        ("period_emissions", charts.period_emissions_figure(ds)),
        ("period_capacity", charts.period_capacity_figure(ds)),
        ("period_mix", charts.period_mix_figure(ds)),
    ):
        if fig is not None:
            parts.append(chart_html(fig, key))
    lead = (
        f"{len(periods)} investment periods, planned together. The other sections of this "
        f"report show the last period, {esc(periods[-1])}."
    )
    return section("pathway", "Pathway", "".join(parts), lead)


def _hours_text(ds: xr.Dataset) -> str:
    hours = (
        float(ds["snapshot_weight_h"].sum()) if "snapshot_weight_h" in ds else ds.sizes["snapshot"]
    )
    steps = ds.sizes["snapshot"]
    return f"{hours:,.0f}" + (f" in {steps:,} time steps" if abs(hours - steps) > 1e-6 else "")


def assumptions_section(
    ds: xr.Dataset, scenario: dict | None, sources_md: str | None, sources_path: Path | None
) -> str:
    items = [
        ("Carbon price", f"{setting(ds, 'carbon_price_eur_per_t'):g} EUR/t"),
        ("Grid fee on bought electricity", f"{setting(ds, 'grid_fee_eur_per_mwh'):g} EUR/MWh"),
        (
            "Penalty on unserved heat",
            f"{setting(ds, 'unserved_heat_penalty_eur_per_mwh'):,.0f} EUR/MWh",
        ),
        ("Hours modelled", _hours_text(ds)),
    ]
    if "electricity_price_eur_per_mwh" in ds:
        items.append(
            (
                "Mean electricity spot price",
                f"{float(ds['electricity_price_eur_per_mwh'].mean()):,.1f} EUR/MWh",
            )
        )
    if "electricity_emission_t_per_mwh" in ds:
        items.append(
            (
                "Mean grid emission factor",
                f"{float(ds['electricity_emission_t_per_mwh'].mean()) * 1000:,.0f} g CO2e/kWh",
            )
        )
    if "fuel" in ds.coords:
        for f in ds["fuel"].values:
            price = float(ds["fuel_price_eur_per_mwh"].sel(fuel=f).mean())
            ef = float(ds["fuel_emission_t_per_mwh"].sel(fuel=f)) * 1000
            items.append((f"Fuel {f}", f"{price:,.1f} EUR/MWh, {ef:,.0f} g CO2e/kWh"))
    rows = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in items)
    body = f"<h3>Main settings</h3><table><tbody>{rows}</tbody></table>"
    if scenario and scenario.get("scenario", {}).get("description"):
        body = f"<p>{esc(scenario['scenario']['description'])}</p>" + body
    if sources_md:
        body += (
            f'<h3>Sourced and assumed numbers</h3><p class="caption">From '
            f"{esc(sources_path)}.</p>"
            f'<div class="sources" id="sources-md">{markdown_to_html(sources_md)}</div>'
        )
    else:
        body += (
            '<div class="note-box">No SOURCES.md was found next to the scenario file: '
            "treat every number in this scenario as assumed until its source is given.</div>"
        )
    return section(
        "assumptions",
        "Assumptions",
        body,
        "What the results rest on: a reader can judge them only with these in view.",
    )


# --- the page ----------------------------------------------------------------------------------


def build_report(
    ds: xr.Dataset,
    *,
    scenario: dict | None = None,
    sources_md: str | None = None,
    sources_path: Path | None = None,
    run_dir: Path | None = None,
) -> str:
    """The report of a results Dataset as one HTML string (see :func:`write_report`)."""
    from plotly.offline import get_plotlyjs

    import restvarme
    from restvarme.accounting.costs import cost_by_sector
    from restvarme.accounting.sectors import emissions_by_sector

    periods = period_values(ds)
    one = ds.sel(period=periods[-1]) if periods else ds
    by_sector = {  # once for the key figures and the table by sector
        "cost_by_sector": cost_by_sector(one),
        "emissions_by_sector": emissions_by_sector(one),
    }
    kf = key_figures(one, **by_sector)
    sectors = sector_table(one, kf, **by_sector)
    acc = accounting_tables(one)
    style = charts.UnitStyle.of(one)  # once for every section's charts and tables
    sections = [
        (
            "summary",
            "Summary",
            section(
                "summary",
                "Key figures" + (f" ({periods[-1]})" if periods else ""),
                key_figure_cards(kf) + brief(one, kf, style),
            ),
        ),
    ]
    if periods:
        sections.append(("pathway", "Pathway", pathway_section(ds)))
    sections.append(("units", "Units", units_section(one, style)))
    if cooling := cooling_section(one, style):
        sections.append(("cooling", "Cooling", cooling))
    sections += [
        ("dispatch", "Dispatch", dispatch_section(one, style)),
        ("duration", "Load duration", duration_section(one, style)),
        ("prices", "Prices", price_section(one)),
        ("flows", "Energy flows", flows_section(one, style)),
        ("costs", "Costs and emissions", costs_section(one, kf, acc["indicators"], sectors)),
        ("waste-heat", "Waste heat", waste_heat_section(one, acc["price_list"])),
        (
            "assumptions",
            "Assumptions",
            assumptions_section(one, scenario, sources_md, sources_path),
        ),
    ]
    toc = "".join(f'<a href="#{ident}">{esc(label)}</a>' for ident, label, _ in sections)
    title = f"{ds.attrs.get('scenario') or 'restvarme run'}"
    subtitle = _subtitle(one, periods)
    meta = "<br>".join(
        [
            f"solver {esc(ds.attrs.get('solver', '?'))}: {esc(ds.attrs.get('status', '?'))}",
            f"objective {float(ds.attrs.get('objective_eur', np.nan)) / 1e6:,.2f} MEUR",
            f"report made {dt.datetime.now():%Y-%m-%d %H:%M}",
        ]
    )
    footer = (
        f"Made with restvarme {esc(restvarme.__version__)}"
        + (f" from {esc(run_dir)}" if run_dir else "")
        + ". Self-contained: this file works offline. Definitions of the key figures: "
        "heat delivered = demand &minus; unserved; cost and emissions per MWh = those of the "
        "heat and cooling sectors / heat and cooling delivered (see Costs and emissions, by "
        "sector); waste-heat share = waste heat taken for heat networks / heat delivered."
    )
    page = Template(
        resources.files("restvarme.report")
        .joinpath("templates/report.html")
        .read_text(encoding="utf-8")
    )
    return page.substitute(
        version=esc(restvarme.__version__),
        title=esc(title),
        subtitle=esc(subtitle),
        meta=meta,
        toc=toc,
        body="\n".join(s for _, _, s in sections),
        footer=footer,
        plotly_js=get_plotlyjs(),
    )


def _what(ds: xr.Dataset) -> str:
    """What the run holds, for the subtitle: district heating, and cooling where it has some."""
    return (
        "District heating and cooling"
        if ds.sizes.get(charts.COOLING.network_dim, 0)
        else "District heating"
    )


def _subtitle(one: xr.Dataset, periods: list) -> str:
    t = pd.DatetimeIndex(one["snapshot"].values)
    hours = float(one["snapshot_weight_h"].sum()) if "snapshot_weight_h" in one else len(t)
    steps = (
        f"{hours:,.0f} hours"
        if abs(hours - len(t)) < 1e-6
        else f"{hours:,.0f} hours in {len(t):,} steps of {hours / len(t):g} h"
    )
    if periods:
        return (
            f"{_what(one)} pathway {periods[0]}{DASH}{periods[-1]} in {len(periods)} periods, "
            f"each operated over a representative year ({steps}), optimised with restvarme."
        )
    return (
        f"{_what(one)} results for {t[0]:%d %b %Y} {DASH} {t[-1]:%d %b %Y} ({steps}), "
        "optimised hour by hour with restvarme."
    )


def read_scenario_json(run_dir: Path) -> dict | None:
    """The run folder's ``scenario.resolved.json``, or ``None``."""
    from restvarme.results.io import SCENARIO_FILE

    path = run_dir / SCENARIO_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def find_sources(scenario: dict | None) -> tuple[str | None, str | None]:
    """The text of the ``SOURCES.md`` that stood beside the scenario file when the run was made,
    as the run folder recorded it (``scenario.resolved.json``), and the scenario file's name.

    Nothing is read from a path the run folder names: a run folder may come from someone else.
    """
    if not scenario:
        return None, None
    return scenario.get("sources_md"), scenario.get("source_file")


def write_report(
    run_dir: str | Path, out: str | Path | None = None, *, results: xr.Dataset | None = None
) -> Path:
    """Write the HTML report of a run folder; return its path (default ``RUN_DIR/report.html``).

    ``results``: the run's Dataset when the caller still holds it (``restvarme run --report``),
    to save reading ``results.nc`` back.
    """
    from restvarme.results.io import read_results

    run_dir = Path(run_dir)
    ds = results if results is not None else read_results(run_dir)
    scenario = read_scenario_json(run_dir)
    sources_md, source_file = find_sources(scenario)
    text = build_report(
        ds,
        scenario=scenario,
        run_dir=run_dir,
        sources_path=Path(source_file).with_name("SOURCES.md") if source_file else None,
        sources_md=sources_md,
    )
    target = Path(out) if out else run_dir / REPORT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
