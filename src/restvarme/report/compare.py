"""Side-by-side comparison of run folders: variants of one city, or several cities.

Every number comes from :func:`restvarme.report.figures.key_figures` on each run's own results,
so the comparison shows exactly what each run's report and summary show. Indicators are
normalised per MWh of heat delivered, and per inhabitant where a population is given (in the
scenario as ``location.population`` or ``population``, or passed to :func:`compare_runs`).
A pathway run is compared by its last period, named in its label (``"Lund 2030 pathway (2030)"``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from restvarme.report.charts import mix_colors, style_figure
from restvarme.report.figures import LABELS, KeyFigures, energy_mix, key_figures

INDICATORS: dict[str, tuple[str, str]] = {
    # key: (label, format spec with optional scale; see html.format_number)
    "hours": ("Hours modelled", ",.0f"),
    "heat_delivered_mwh": ("Heat delivered [GWh]", "/1e3:,.1f"),
    "cooling_delivered_mwh": ("Cooling delivered [GWh]", "/1e3:,.1f"),
    "peak_demand_mw": ("Peak demand [MW]", ",.1f"),
    "total_cost_eur": ("Total cost [MEUR]", "/1e6:,.2f"),
    "cost_eur_per_mwh": (f"{LABELS['cost_eur_per_mwh']} [EUR/MWh]", ",.2f"),
    "heat_cost_eur_per_mwh": (f"{LABELS['heat_cost_eur_per_mwh']} [EUR/MWh]", ",.2f"),
    "cooling_cost_eur_per_mwh": (f"{LABELS['cooling_cost_eur_per_mwh']} [EUR/MWh]", ",.2f"),
    "emissions_t": (f"{LABELS['emissions_t']} [t CO2e]", ",.0f"),
    "emission_intensity_g_per_kwh": (
        f"{LABELS['emission_intensity_g_per_kwh']} [g CO2e/kWh]",
        ",.2f",
    ),
    "heat_emission_intensity_g_per_kwh": (
        f"{LABELS['heat_emission_intensity_g_per_kwh']} [g CO2e/kWh]",
        ",.2f",
    ),
    "cooling_emission_intensity_g_per_kwh": (
        f"{LABELS['cooling_emission_intensity_g_per_kwh']} [g CO2e/kWh]",
        ",.2f",
    ),
    "waste_heat_share": (f"{LABELS['waste_heat_share']} [%]", "%:.1f"),
    "fossil_share": (f"{LABELS['fossil_share']} [%]", "%:.1f"),
    "unserved_heat_mwh": ("Unserved heat [MWh]", ",.1f"),
    "electricity_import_mwh": ("Electricity bought [GWh]", "/1e3:,.1f"),
    "electricity_export_mwh": ("Electricity sold [GWh]", "/1e3:,.1f"),
    "population": ("Inhabitants", ",.0f"),
    "heat_mwh_per_inhabitant": ("Heat per inhabitant [MWh]", ",.2f"),
    "emissions_kg_per_inhabitant": ("Emissions per inhabitant [kg CO2e]", ",.1f"),
    "cost_eur_per_inhabitant": ("Cost per inhabitant [EUR]", ",.0f"),
}
"""Rows of the comparison table, in order."""


@dataclass
class Comparison:
    """Key figures and energy mixes of several runs, one column per run."""

    labels: list[str]
    run_dirs: list[Path]
    key_figures: dict[str, KeyFigures]
    table: pd.DataFrame
    """Indicators (rows, keys of ``INDICATORS``) by run (columns), in base units (MWh, EUR, t)."""
    mix: pd.DataFrame
    """Heat produced [MWh] by kind of unit (rows) and run (columns)."""

    @property
    def mix_share(self) -> pd.DataFrame:
        """Each run's energy mix as fractions of its heat produced [-]."""
        return self.mix / self.mix.sum().where(self.mix.sum() > 0)

    def display_table(self) -> pd.DataFrame:
        """The table as formatted strings with labels: what ``restvarme compare`` prints."""
        from restvarme.report.html import format_number

        rows = {}
        for key, (label, spec) in INDICATORS.items():
            if key in self.table.index and self.table.loc[key].notna().any():
                rows[label] = [format_number(v, spec) for v in self.table.loc[key]]
        for cat, row in self.mix_share.iterrows():
            rows[f"Mix: {cat} [%]"] = [format_number(v, "%:.1f") for v in row]
        return pd.DataFrame.from_dict(rows, orient="index", columns=self.labels)


def population_of(scenario: dict | None) -> float | None:
    """Inhabitants served, if the resolved scenario states them."""
    if not scenario:
        return None
    sc = scenario.get("scenario", scenario)
    for value in ((sc.get("location") or {}).get("population"), sc.get("population")):
        if isinstance(value, int | float) and value > 0:
            return float(value)
    return None


def _labels(names: list[str], dirs: list[Path]) -> list[str]:
    labels = []
    for name, d in zip(names, dirs, strict=True):
        label = name or d.name
        if names.count(name) > 1 or not name:
            label = f"{name} ({d.name})" if name else d.name
        labels.append(label)
    seen: dict[str, int] = {}
    out = []
    for label in labels:  # still equal (same scenario, same folder name): number them
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return out


def _last_period(ds: xr.Dataset) -> xr.Dataset:
    """A pathway run is compared by its last period (its target year); others as they are."""
    return ds.isel(period=-1) if "period" in ds.dims else ds


def compare_runs(
    run_dirs: Sequence[str | Path], *, populations: dict[str, float] | None = None
) -> Comparison:
    """Compare run folders side by side.

    Parameters
    ----------
    run_dirs : run folders written by ``restvarme run``, each checked against its
        ``manifest.json`` (:class:`~restvarme.results.folder.IncompleteRunFolderError` otherwise)
    populations : inhabitants by run label or folder name, overriding the scenario's
    """
    from restvarme.results.io import read_run

    if len(run_dirs) < 1:
        raise ValueError("give at least one run folder to compare")
    dirs = [Path(d) for d in run_dirs]
    runs = [read_run(d) for d in dirs]  # each checked against its manifest.json
    datasets = [_last_period(ds) for ds, _ in runs]
    scenarios = [sc for _, sc in runs]
    names = [str(ds.attrs.get("scenario", "")) for ds in datasets]
    names = [
        f"{n} ({int(ds['period'])})" if "period" in ds.coords else n
        for n, ds in zip(names, datasets, strict=True)
    ]
    labels = _labels(names, dirs)
    populations = populations or {}
    kfs: dict[str, KeyFigures] = {}
    columns: dict[str, dict[str, float]] = {}
    mixes: dict[str, pd.Series] = {}
    for label, d, ds, sc in zip(labels, dirs, datasets, scenarios, strict=True):
        kf = key_figures(ds)
        kfs[label] = kf
        values = {k: v for k, v in kf.as_dict().items() if isinstance(v, float)}
        values["hours"] = (
            float(ds["snapshot_weight_h"].sum())
            if "snapshot_weight_h" in ds
            else float(ds.sizes["snapshot"])
        )
        pop = populations.get(label, populations.get(d.name, population_of(sc)))
        values["population"] = pop if pop else np.nan
        values["heat_mwh_per_inhabitant"] = kf.heat_delivered_mwh / pop if pop else np.nan
        values["emissions_kg_per_inhabitant"] = kf.emissions_t * 1000 / pop if pop else np.nan
        values["cost_eur_per_inhabitant"] = kf.system_cost_eur / pop if pop else np.nan
        columns[label] = values
        mixes[label] = energy_mix(ds)
    table = pd.DataFrame(columns).reindex(
        [k for k in INDICATORS if k in next(iter(columns.values()))]
        + [k for k in next(iter(columns.values())) if k not in INDICATORS]
    )
    mix = pd.DataFrame(mixes).fillna(0.0)
    return Comparison(labels, dirs, kfs, table, mix)


def comparison_figures(comparison: Comparison) -> dict[str, go.Figure]:
    """Bar charts of the normalised indicators and the energy mixes, one bar per run."""
    labels = comparison.labels
    t = comparison.table
    figs = {}
    for key, title, scale, unit in (
        ("cost_eur_per_mwh", LABELS["cost_eur_per_mwh"], 1.0, "EUR/MWh"),
        ("emission_intensity_g_per_kwh", LABELS["emission_intensity_g_per_kwh"], 1.0, "g CO2e/kWh"),
        ("waste_heat_share", LABELS["waste_heat_share"], 100.0, "%"),
    ):
        values = [None if not np.isfinite(v) else round(v * scale, 2) for v in t.loc[key]]
        fig = go.Figure(
            go.Bar(
                x=labels,
                y=values,
                marker_color="#2b6cb0",
                text=[f"{v:,.1f}" if v is not None else "" for v in values],
                textposition="auto",
            )
        )
        figs[key] = style_figure(
            fig, f"{title} ({unit})", height=320, yaxis_title=unit, xaxis={"type": "category"}
        )
    fig = go.Figure()
    share = comparison.mix_share * 100
    for (cat, row), color in zip(share.iterrows(), mix_colors(share.index), strict=True):
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[round(v, 2) for v in row],
                name=str(cat),
                marker_color=color,
                hovertemplate=f"{cat}: %{{y:.1f}} %<extra></extra>",
            )
        )
    figs["energy_mix"] = style_figure(
        fig,
        "Heat produced by kind of unit (% of each run)",
        height=380,
        barmode="stack",
        yaxis_title="%",
        xaxis={"type": "category"},
    )
    return figs


def _cell(shown: str, key: str | None, table: pd.DataFrame, label: str) -> str:
    """A table cell; an indicator's carries its key and unrounded value (as the report's cards
    do) for scripts and tests: ``data-key="cost_eur_per_mwh" data-value="22.9..."``."""
    from restvarme.report.html import esc

    if key is None:
        return f'<td class="num">{esc(shown)}</td>'
    value = float(table.loc[key, label])
    return (
        f'<td class="num" data-key="{esc(key)}" data-run="{esc(label)}" '
        f'data-value="{value!r}">{esc(shown)}</td>'
    )


def comparison_html(comparison: Comparison) -> str:
    """The comparison as one self-contained HTML page."""
    from plotly.offline import get_plotlyjs

    import restvarme
    from restvarme.report.html import chart_html, esc, section

    display = comparison.display_table()
    head = "".join(f'<th class="num">{esc(c)}</th>' for c in display.columns)
    keys = {label: key for key, (label, _) in INDICATORS.items()}
    rows = "".join(
        f"<tr><td>{esc(idx)}</td>"
        + "".join(
            _cell(v, keys.get(str(idx)), comparison.table, label)
            for v, label in zip(row, display.columns, strict=True)
        )
        + "</tr>"
        for idx, row in display.iterrows()
    )
    table = (
        f'<table id="comparison-table"><thead><tr><th>indicator</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    figs = comparison_figures(comparison)
    charts = "".join(f"<div>{chart_html(f, k)}</div>" for k, f in figs.items())
    folders = "".join(
        f"<li>{esc(label)}: {esc(d)}</li>"
        for label, d in zip(comparison.labels, comparison.run_dirs, strict=True)
    )
    body = (
        section(
            "table",
            "Key figures side by side",
            table,
            "Totals depend on the size of each system and the hours modelled; compare "
            "cities by the per-MWh and per-inhabitant rows.",
        )
        + section("charts", "Charts", f'<div class="grid2">{charts}</div>')
        + section("runs", "Runs compared", f"<ul>{folders}</ul>")
    )
    page = Template(
        resources.files("restvarme.report")
        .joinpath("templates/report.html")
        .read_text(encoding="utf-8")
    )
    return page.substitute(
        version=esc(restvarme.__version__),
        title="Comparison: " + esc(" vs ".join(comparison.labels)),
        subtitle=f"{len(comparison.labels)} runs side by side, made with restvarme.",
        meta=f"report made {dt.datetime.now():%Y-%m-%d %H:%M}",
        toc='<a href="#table">Key figures</a><a href="#charts">Charts</a><a href="#runs">Runs</a>',
        body=body,
        footer=f"Made with restvarme {esc(restvarme.__version__)}. Self-contained: "
        "this file works offline.",
        plotly_js=get_plotlyjs(),
    )


def write_comparison(comparison: Comparison, out: str | Path) -> Path:
    """Write the comparison page to ``out`` and return its path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(comparison_html(comparison), encoding="utf-8")
    return path
