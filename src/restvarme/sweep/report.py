"""The sweep report: one self-contained HTML page of a sweep's table.

Like a run's report (:mod:`restvarme.report.html`) it works offline: plotly's JavaScript is
embedded once in the page head (no CDN), every chart is a plotly figure whose strings plotly
serialises as JSON, and every text from the sweep file or the table is HTML-escaped.

Charts:

- **tornado** of a figure (default total cost): for each parameter, the mean of the figure over
  the cases in the parameter's lowest third against those in its highest third (for a
  parameter of texts, such as alternative series files, the lowest and highest mean over its
  values), as bars around the mean of all cases, the widest first. For a two-level factorial
  parameter this is its main effect: the mean at its high level minus that at its low level.
- **scatter matrix** of the numeric parameters and the key figures, one point per case;
- **distribution of the waste-heat value** of each source over the cases (violin with box);
- **spread of each new capacity** over the cases (box per unit), for sweeps of expansion plans;
- with a two-stage plan (:mod:`restvarme.sweep.stochastic`): its headline figures (stochastic
  objective, wait and see, EVPI), a table of the stochastic plan beside each case's own plan
  (capacities, expected cost, CVaR, cost of ignoring uncertainty), and a chart of each plan's
  cost in every scenario with its expected cost.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from restvarme.report.figures import LABELS
from restvarme.report.html import chart_html, esc
from restvarme.sweep.results import (
    CAPACITY_PREFIX,
    VALUE_PREFIX,
    figure_columns,
    parameter_columns,
)

SCATTER_FIGURES = ("total_cost_eur", "emissions_t", "heat_cost_eur_per_mwh")
"""Key figures shown in the scatter matrix beside the parameters."""


def tornado_table(table: pd.DataFrame, figure: str = "total_cost_eur") -> pd.DataFrame:
    """Per parameter: mean of ``figure`` at its low and high end (see the module docstring),
    their difference ``swing``, sorted by its size (largest first); only cases that ran."""
    ok = table[table["status"] == "ok"]
    rows = {}
    for name in parameter_columns(table):
        values = ok[name]
        if pd.api.types.is_numeric_dtype(values):
            low_edge, high_edge = values.quantile(1 / 3), values.quantile(2 / 3)
            low = ok.loc[values <= low_edge, figure].mean()
            high = ok.loc[values >= high_edge, figure].mean()
        else:
            means = ok.groupby(name)[figure].mean()
            low, high = means.min(), means.max()
        rows[name] = {"low": float(low), "high": float(high), "swing": float(high - low)}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["low", "high", "swing"])
    out.index.name = "parameter"
    return out.reindex(out["swing"].abs().sort_values(ascending=False).index)


def tornado_figure(table: pd.DataFrame, figure: str = "total_cost_eur") -> go.Figure:
    """Horizontal bars from the low-end to the high-end mean of ``figure``, around the mean."""
    t = tornado_table(table, figure)
    mean = float(table.loc[table["status"] == "ok", figure].mean())
    t = t.iloc[::-1]  # plotly draws the first bar at the bottom
    fig = go.Figure()
    for end, color in (("low", "#4c78a8"), ("high", "#e45756")):
        fig.add_bar(
            y=list(t.index),
            x=list(t[end] - mean),
            base=mean,
            orientation="h",
            name=f"parameter at its {end} end",
            marker_color=color,
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )
    fig.update_layout(
        barmode="overlay",
        title=f"Tornado: {LABELS.get(figure, figure)} (mean of cases {mean:,.0f})",
        xaxis_title=figure,
        yaxis={"automargin": True},
        height=max(260, 80 + 40 * len(t)),
    )
    return fig


def scatter_matrix_figure(table: pd.DataFrame) -> go.Figure:
    """Every numeric parameter against the key figures, one point per case that ran."""
    ok = table[table["status"] == "ok"]
    columns = [c for c in parameter_columns(table) if pd.api.types.is_numeric_dtype(ok[c])]
    columns += [c for c in SCATTER_FIGURES if c in ok]
    fig = go.Figure(
        go.Splom(
            dimensions=[{"label": c, "values": list(ok[c])} for c in columns],
            text=[f"case {i}" for i in ok.index],
            diagonal_visible=False,
            marker={"size": 6, "color": "#4c78a8"},
        )
    )
    fig.update_layout(title="Parameters and key figures", height=180 + 150 * len(columns))
    return fig


def _prefixed(table: pd.DataFrame, prefix: str) -> dict[str, pd.Series]:
    ok = table[table["status"] == "ok"]
    return {c[len(prefix) :]: ok[c] for c in figure_columns(table) if c.startswith(prefix)}


def value_figure(table: pd.DataFrame) -> go.Figure | None:
    """The waste-heat value [EUR/MWh] of each source over the cases; None without sources."""
    values = _prefixed(table, VALUE_PREFIX)
    if not values:
        return None
    fig = go.Figure()
    for source, series in values.items():
        fig.add_violin(y=list(series), name=source, box_visible=True, points="all")
    fig.update_layout(
        title="Waste-heat value per source over the cases",
        yaxis_title="mean value over the hours available [EUR/MWh]",
        showlegend=False,
    )
    return fig


def capacity_figure(table: pd.DataFrame) -> go.Figure | None:
    """New capacity of each extendable unit over the cases; None without extendable units."""
    capacities = _prefixed(table, CAPACITY_PREFIX)
    if not capacities:
        return None
    fig = go.Figure()
    for unit, series in capacities.items():
        fig.add_box(y=list(series), name=unit, boxpoints="all")
    fig.update_layout(
        title="New capacity per unit over the cases",
        yaxis_title="capacity built (MW; MWh for stores, m² for collectors)",
        showlegend=False,
    )
    return fig


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}}
td.t,th.t{{text-align:left}}.caption{{color:#555;font-size:90%}}</style>
<script>{plotly_js}</script></head><body>
<h1>{title}</h1><p>{subtitle}</p>
{body}
<p class="caption">Made with restvarme {version} on {made}. Self-contained: works offline.</p>
</body></html>
"""


STOCHASTIC_HEADLINES = {
    "stochastic_objective_eur": "objective of the stochastic plan (RP)",
    "expected_cost_eur": "its expected cost",
    "wait_and_see_eur": "wait and see (WS): each case planned knowing its future",
    "evpi_eur": "expected value of perfect information (EVPI = RP - WS)",
    "cost_of_ignoring_uncertainty_min_eur": "cost of ignoring uncertainty, smallest over cases",
    "cost_of_ignoring_uncertainty_mean_eur": "cost of ignoring uncertainty, mean over cases",
    "cost_of_ignoring_uncertainty_max_eur": "cost of ignoring uncertainty, largest over cases",
}
"""The figures of ``stochastic.json`` the report shows, with their labels (EUR over the
horizon)."""


def stochastic_figure(plans: pd.DataFrame) -> go.Figure:
    """Each plan's cost in every scenario (points) and its expected cost (a bar) [EUR]."""
    cases = [c for c in plans.columns if c.startswith("cost_eur.case_")]
    fig = go.Figure()
    fig.add_bar(
        x=list(plans.index),
        y=list(plans["expected_cost_eur"]),
        name="expected cost",
        marker_color="#4c78a8",
        opacity=0.6,
    )
    for column in cases:
        fig.add_scatter(
            x=list(plans.index),
            y=list(plans[column]),
            mode="markers",
            name=column.removeprefix("cost_eur.").replace("_", " "),
            marker={"size": 8},
        )
    fig.update_layout(
        title="Cost of each plan in every scenario",
        yaxis_title="cost over the horizon [EUR]",
        height=420,
    )
    return fig


def stochastic_section(plans: pd.DataFrame, headline: dict[str, float]) -> str:
    """The two-stage plan's part of the report: headline figures, the plans table, the chart."""
    rows = "".join(
        f'<tr><td class="t">{esc(label)}</td><td>{_num(float(headline[key]))}</td></tr>'
        for key, label in STOCHASTIC_HEADLINES.items()
        if key in headline
    )
    shown = [c for c in plans.columns if not c.startswith("cost_eur.case_")]
    head = "".join(f"<th>{esc(c)}</th>" for c in shown)
    body = "".join(
        f'<tr><td class="t">{esc(plan)}</td>'
        + "".join(f"<td>{_num(float(plans.loc[plan, c]))}</td>" for c in shown)
        + "</tr>"
        for plan in plans.index
    )
    risk = (
        f"expected cost + {headline['cvar_weight']:g} &times; CVaR at {headline['cvar_alpha']:g}"
        if headline.get("cvar_weight")
        else "expected cost"
    )
    return (
        "<h2>A plan that holds across futures</h2>"
        f"<p>Capacity chosen once for every case as a scenario, minimising {risk} "
        "(restvarme.sweep.stochastic), beside the plan each case alone gives, dispatched in "
        "every case. The cost of ignoring uncertainty is a plan's objective less the "
        "stochastic plan's.</p>"
        f"<table>{rows}</table>"
        f'<table><tr><th class="t">plan</th>{head}</tr>{body}</table>'
        + chart_html(stochastic_figure(plans), "stochastic", "One point per scenario.")
    )


def build_sweep_report(
    table: pd.DataFrame,
    *,
    name: str,
    base: str,
    design: str,
    stochastic: tuple[pd.DataFrame, dict[str, float]] | None = None,
) -> str:
    """The report of a sweep table (:func:`restvarme.sweep.results.sweep_table`) as HTML;
    ``stochastic``: the plans table and headline figures of a two-stage plan."""
    from plotly.offline import get_plotlyjs

    import restvarme

    ok = table[table["status"] == "ok"]
    failed = table[table["status"] != "ok"]
    parts = [_summary(ok)]
    if len(ok) and parameter_columns(table):
        parts.append(
            chart_html(
                tornado_figure(table),
                "tornado",
                "Mean total cost of the cases with each parameter in its lowest third and in its "
                "highest third (texts: its cheapest and dearest value).",
            )
        )
        parts.append(chart_html(scatter_matrix_figure(table), "scatter", "One point per case."))
    for key, maker in (("waste-heat-value", value_figure), ("capacity", capacity_figure)):
        fig = maker(table) if len(ok) else None
        if fig is not None:
            parts.append(chart_html(fig, key))
    if stochastic is not None:
        parts.append(stochastic_section(*stochastic))
    if len(failed):
        rows = "".join(
            f'<tr><td>{esc(i)}</td><td class="t">{esc(e)}</td></tr>'
            for i, e in failed["error"].items()
        )
        parts.append(
            f"<h2>Failed cases ({len(failed)})</h2>"
            f'<table><tr><th>case</th><th class="t">error</th></tr>{rows}</table>'
        )
    subtitle = (
        f"Base scenario {esc(base)}; {esc(design)}; {len(table)} cases done, {len(failed)} failed."
    )
    return PAGE.format(
        title=esc(f"Sweep: {name}"),
        subtitle=subtitle,
        body="\n".join(parts),
        version=esc(restvarme.__version__),
        made=f"{dt.datetime.now():%Y-%m-%d %H:%M}",
        plotly_js=get_plotlyjs(),
    )


def _summary(ok: pd.DataFrame) -> str:
    """Mean, 5 %, median and 95 % of each figure over the cases that ran."""
    if not len(ok):
        return "<p>No case has finished.</p>"
    figures = figure_columns(ok)
    stats = ok[figures].astype(float).describe(percentiles=[0.05, 0.5, 0.95]).T
    head = "".join(f"<th>{h}</th>" for h in ("mean", "5 %", "median", "95 %"))
    rows = "".join(
        f'<tr><td class="t">{esc(f)}</td>'
        + "".join(f"<td>{_num(stats.loc[f, k])}</td>" for k in ("mean", "5%", "50%", "95%"))
        + "</tr>"
        for f in figures
    )
    header = f'<tr><th class="t">figure</th>{head}</tr>'
    return f"<h2>Figures over the cases</h2><table>{header}{rows}</table>"


def _num(value: float) -> str:
    if not np.isfinite(value):
        return "&ndash;"
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.0f}"


def write_sweep_report(
    out: Path,
    table: pd.DataFrame,
    *,
    name: str,
    base: str,
    design: str,
    stochastic: tuple[pd.DataFrame, dict[str, float]] | None = None,
) -> Path:
    """Write ``out/report.html`` (atomically) and return its path."""
    import os

    path = out / "report.html"
    tmp = out / f".report.html.{os.getpid()}.tmp"
    page = build_sweep_report(table, name=name, base=base, design=design, stochastic=stochastic)
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
