"""The figures of a stored run as JSON (and as the text the CLI prints): summary tables,
accounts by method, the value of waste heat and a source's price list.

Thin shells over :mod:`restvarme.results.io`, :mod:`restvarme.accounting` and the CLI's own
printers (:mod:`restvarme.cli`, :mod:`restvarme.cli_accounts`), so that the API gives the same
numbers as ``restvarme run``, ``accounts`` and ``waste-heat-value``: each answer holds the
tables as records and, under ``text``, exactly what the command prints.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from restvarme.errors import RestvarmeError

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr


class FigureRequestError(RestvarmeError):
    """A request for figures that the run cannot answer (an unknown method, source, period)."""


def records(table: pd.DataFrame | pd.Series) -> list[dict[str, Any]]:
    """A table as JSON records (its index as columns; NaN as null)."""
    frame = table.to_frame() if hasattr(table, "to_frame") and table.ndim == 1 else table
    out: list[dict[str, Any]] = json.loads(frame.reset_index().to_json(orient="records"))
    return out


def printed(draw: Callable[[Console], None]) -> str:
    """What a CLI printer prints, as plain text 132 columns wide (the CLI's width in a pipe)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=132, color_system=None, force_terminal=False)
    draw(console)
    return buffer.getvalue()


def _one_period(ds: xr.Dataset, period: int | None) -> xr.Dataset:
    if "period" not in ds.dims:
        if period is not None:
            raise FigureRequestError(f"period {period}: this run has no periods")
        return ds
    periods = [int(p) for p in ds["period"].values]
    chosen = periods[-1] if period is None else period
    if chosen not in periods:
        raise FigureRequestError(f"no period {chosen}; the run has {', '.join(map(str, periods))}")
    return ds.sel(period=chosen)


def summary(folder: Path) -> dict[str, Any]:
    """What ``restvarme run`` prints and writes as CSV: the run's summary tables."""
    from restvarme.cli import print_plan_summary, print_summary
    from restvarme.results.io import read_run, summary_tables

    ds, _ = read_run(folder)
    tables = {name: records(t) for name, t in summary_tables(ds).items()}
    draw = print_plan_summary if "period" in ds.dims else print_summary
    return {
        "scenario": str(ds.attrs.get("scenario", "")),
        "objective_eur": float(ds.attrs["objective_eur"]),
        "status": str(ds.attrs.get("status", "")),
        "solver": str(ds.attrs.get("solver", "")),
        "tables": tables,
        "text": printed(lambda out: draw(ds, out)),
    }


def accounts(
    folder: Path,
    *,
    method: str = "reference_efficiency",
    perspective: str = "accounting",
    marginal_factor: float = 0.7,
    electricity_factor: float | None = None,
    heat_temperature: str = "log_mean",
    ambient_c: float | None = None,
    renewable_electricity_share: float = 0.0,
    fossil_electricity_share: float = 0.0,
    period: int | None = None,
) -> dict[str, Any]:
    """What ``restvarme accounts`` prints, with the same options and defaults."""
    from restvarme.accounting.chp_allocation import resolve_chp_method
    from restvarme.accounting.costs import cost_by_counterparty, levelised_cost_of_heat
    from restvarme.accounting.emissions import (
        accounting_perspective,
        decision_perspective,
        emissions_by_unit,
    )
    from restvarme.accounting.indicators import indicator_table, network_indicators
    from restvarme.cli_accounts import (
        CHP_METHOD_ALIASES,
        CHP_METHOD_NAMES,
        print_costs,
        print_indicators,
        print_key_figures,
        print_unit_emissions,
    )
    from restvarme.report.figures import key_figures_table
    from restvarme.results.io import read_run

    notes = []
    if method in CHP_METHOD_ALIASES:
        method, note = resolve_chp_method(method)
        notes.append(str(note))
    if method not in CHP_METHOD_NAMES:
        raise FigureRequestError(
            f"unknown method {method[:40]!r}; use one of {', '.join(CHP_METHOD_NAMES)}"
        )
    if perspective == "decision":
        view = decision_perspective(marginal_factor)
    elif perspective == "accounting":
        if method == "power_bonus":
            raise FigureRequestError(
                "power_bonus needs a credit: use perspective=decision (credit at the marginal "
                "factor), or the Python API for another credit"
            )
        options: dict[str, Any] = {}
        if method == "carnot":
            options["heat_temperature"] = heat_temperature
            if ambient_c is not None:
                options["ambient_temperature_c"] = ambient_c
        view = accounting_perspective(method, electricity_factor, **options)
    else:
        raise FigureRequestError(
            f"unknown perspective {perspective[:40]!r}; use accounting or decision"
        )
    ds, _ = read_run(folder)
    ds = _one_period(ds, period)
    ind = network_indicators(
        ds,
        view,
        electricity_renewable_share=renewable_electricity_share,
        electricity_fossil_share=fossil_electricity_share,
    )
    table, by_unit = indicator_table(ind), emissions_by_unit(ds, view)
    lcoh, payments = levelised_cost_of_heat(ds), cost_by_counterparty(ds)
    figures = key_figures_table(ds)

    def draw(out: Console) -> None:  # as restvarme.cli_accounts.accounts prints them
        print_indicators(ds, table, ind, out)
        print_unit_emissions(by_unit, out)
        print_costs(lcoh, payments, out)
        print_key_figures(figures, out)

    return {
        "method": method,
        "perspective": str(ind.attrs.get("perspective", perspective)),
        "notes": notes,
        "indicators": records(table),
        "emissions_by_unit": records(by_unit),
        "cost_of_heat": records(lcoh),
        "payments": records(payments.rename("eur")),
        "text": printed(draw),
    }


def waste_heat_sources(folder: Path, period: int | None = None) -> dict[str, Any]:
    """What ``restvarme waste-heat-value`` prints without ``--source``: per source its mean
    value, hours valued, heat used and what 1 MW more would earn."""
    from restvarme.cli_accounts import print_source_summary, source_value_table
    from restvarme.results.io import read_run

    ds, _ = read_run(folder)
    ds = _one_period(ds, period)
    if "waste_heat_value_eur_per_mwh" not in ds:
        raise FigureRequestError("this run has no waste-heat sources")
    table = source_value_table(ds)  # the CLI's own table, so the two cannot differ
    rows = [
        {
            "source": str(src),
            "temperature_c": float(row["mean_temperature_c"]),
            "mean_value_eur_per_mwh": float(row["mean_value_eur_per_mwh"]),
            "hours_valued_per_year": float(row["hours_valued_h"]),
            "used_mwh": float(row["used_mwh"]),
            "one_mw_more_eur_per_year": float(row["value_of_1_mw_more_eur_per_year"]),
        }
        for src, row in table.iterrows()
    ]
    return {"sources": rows, "text": printed(lambda out: print_source_summary(table, out))}


def price_list(
    folder: Path,
    source: str,
    *,
    temperatures_c: Sequence[float] = (25, 40, 55, 70, 85),
    supplier_mw: float = 1.0,
    period: int | None = None,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """What ``restvarme waste-heat-value --source`` prints, and the table it writes as CSV."""
    from restvarme.accounting.waste_heat_value import (
        heat_pump_assumptions_from_scenario,
    )
    from restvarme.accounting.waste_heat_value import (
        price_list as make_price_list,
    )
    from restvarme.cli_accounts import print_price_list
    from restvarme.results.io import read_run

    ds, scenario = read_run(folder)
    ds = _one_period(ds, period)
    if "waste_heat_value_eur_per_mwh" not in ds:
        raise FigureRequestError("this run has no waste-heat sources")
    sources = [str(s) for s in ds["waste_source"].values]
    if source not in sources:
        raise FigureRequestError(
            f"no waste-heat source {source[:64]!r}; the run has {', '.join(sources)}"
        )
    hp = heat_pump_assumptions_from_scenario(scenario, source) if scenario else None
    pl = make_price_list(
        ds, source, temperatures_c=list(temperatures_c), heat_pump=hp, supplier_mw=supplier_mw
    )
    matrix = pl.matrix()
    return (
        {
            "source": source,
            "supplier_mw": supplier_mw,
            "notes": pl.notes,
            "matrix": records(matrix.rename_axis("row").astype(object)),
            "table": records(pl.table.set_index(pl.table.columns[0])),
            "text": printed(lambda out: print_price_list(pl, out)),
        },
        pl.table,
    )


def compare(folders: Sequence[Path], run_ids: Sequence[int]) -> dict[str, Any]:
    """What ``restvarme compare --json`` prints: key figures and heat mix per run."""
    import math

    from restvarme.report.compare import compare_runs

    comparison = compare_runs(folders)
    runs = {}
    for label, run_id in zip(comparison.labels, run_ids, strict=True):
        figures = {
            str(k): (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in comparison.table[label].items()
        }
        runs[label] = {
            "run": run_id,
            "figures": figures,
            "mix_mwh": {str(k): float(v) for k, v in comparison.mix[label].items()},
        }
    display = comparison.display_table()
    return {"runs": runs, "table": records(display.rename_axis("indicator"))}
