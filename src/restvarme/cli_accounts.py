"""Command-line accounting on a run folder: ``restvarme accounts`` and ``waste-heat-value``.

A thin shell over :mod:`restvarme.accounting`: read ``results.nc`` (and the resolved scenario for
variable O&M rates and heat-pump parameters), call the accounting functions, print rich tables.
Wire it into the main app with ``register(app)``.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from restvarme.cli_tables import fmt, frame_table, number, row_name, text, wrapping_table

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

    from restvarme.accounting.emissions import Perspective
    from restvarme.accounting.waste_heat_value import PriceList

CHP_METHOD_NAMES = (
    "reference_efficiency",
    "energy",
    "inverse_efficiency",
    "finnish",
    "carnot",
    "fixed_heat_efficiency",
    "power_bonus",
)
"""The names of ``restvarme.accounting.chp_allocation.CHP_METHODS``, kept here so that the CLI
starts without importing xarray (a test checks that the two agree)."""
CHP_METHOD_ALIASES = {"efficiency": "reference_efficiency", "iea": "fixed_heat_efficiency"}
"""Old names (before issue 19) that still work, with a deprecation note; as
``restvarme.accounting.chp_allocation.CHP_METHOD_ALIASES`` (a test checks)."""

console = Console(width=None if sys.stdout.isatty() else 132)  # as restvarme.cli: piped, wide
err_console = Console(stderr=True)
EXIT_BAD_INPUT = 2


def _working(what: str) -> contextlib.AbstractContextManager[object]:
    """A spinner on stderr while ``what`` runs (reading a year's results and accounting on them
    takes seconds); rich shows nothing where stderr is no terminal."""
    return err_console.status(escape(what), spinner="dots")


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _load(run_dir: Path) -> tuple[Any, dict | None]:
    """Results and (if the folder has it) the resolved scenario mapping of a run folder, checked
    against its manifest; exit 2 with the reason if the folder is incomplete or no run folder."""
    from restvarme.errors import RestvarmeError
    from restvarme.results.io import read_run

    try:
        return read_run(run_dir)
    except RestvarmeError as error:
        raise _fail(str(error)) from None


def _one_period(ds: xr.Dataset, period: int | None) -> xr.Dataset:
    """One period of a pathway run (default the last), or the run itself."""
    if "period" not in ds.dims:
        return ds
    periods = [int(p) for p in ds["period"].values]
    chosen = periods[-1] if period is None else period
    if chosen not in periods:
        raise _fail(f"no period {chosen}; the run has {', '.join(map(str, periods))}.")
    console.print(f"Pathway run: period {chosen} (of {', '.join(map(str, periods))}; --period)")
    return ds.sel(period=chosen)


def _perspective(
    name: str,
    method: str,
    marginal: float,
    factor: float | None,
    heat_temperature: str,
    ambient_c: float | None,
) -> Perspective:
    from restvarme.accounting.emissions import accounting_perspective, decision_perspective

    if method in CHP_METHOD_ALIASES:
        from restvarme.accounting.chp_allocation import resolve_chp_method

        method, note = resolve_chp_method(method)
        err_console.print(f"[bold yellow]note:[/] {escape(str(note))}", highlight=False)
    if method not in CHP_METHOD_NAMES:
        raise _fail(f"unknown --method {method!r}; use one of {', '.join(CHP_METHOD_NAMES)}.")
    if name == "decision":
        return decision_perspective(marginal)
    if name != "accounting":
        raise _fail(f"unknown --perspective {name!r}; use accounting or decision.")
    options: dict[str, Any] = {"heat_temperature": heat_temperature} if method == "carnot" else {}
    if method == "carnot" and ambient_c is not None:
        options["ambient_temperature_c"] = ambient_c
    if method == "power_bonus":
        raise _fail(
            "power_bonus needs a credit: use --perspective decision (credit at the "
            "marginal factor), or the Python API for another credit."
        )
    return accounting_perspective(method, factor, **options)


def print_indicators(ds: xr.Dataset, table: pd.DataFrame, ind: xr.Dataset, out: Console) -> None:
    columns = {
        "network": row_name,
        "delivered GWh": number("delivered_gwh"),
        "t CO2e": number("emissions_t", spec=",.0f"),
        "g CO2e/kWh": number("g_co2e_per_kwh", spec=".2f"),
        "primary energy factor": number("primary_energy_factor", spec=".3f"),
        "renewable %": number("renewable_pct"),
        "fossil %": number("fossil_pct"),
        "waste heat %": number("waste_heat_pct"),
    }
    t = frame_table(
        table,
        columns,
        title=f"Indicators per network: {ds.attrs.get('scenario', '')}",
        caption=f"{ind.attrs['perspective']}\n{ind.attrs['primary_energy_factors']}; "
        f"electricity counted renewable {ind.attrs['electricity_renewable_share']:.0%}"
        f", fossil {ind.attrs['electricity_fossil_share']:.0%}",
        caption_justify="left",
    )
    out.print(t)


def print_unit_emissions(table: pd.DataFrame, out: Console) -> None:
    from restvarme.results.roles import type_label  # the type by its registry label

    columns = {
        "unit": row_name,
        "type": lambda _, row: type_label(row["type"]),
        "network": text("network"),
        "fuel": text("fuel"),
        "fuel GWh": number("fuel_mwh", 1e-3),
        "direct t": number("direct_t", spec=",.0f"),
        "electricity t": number("electricity_use_t", spec=",.0f"),
        "to heat t": number("heat_t", spec=",.0f"),
        "to power t": number("power_t", spec=",.0f"),
    }
    title = "Emissions by unit (direct and electricity, charged to heat and to power)"
    out.print(frame_table(table, columns, title=title))


def print_key_figures(table: pd.DataFrame, out: Console) -> None:
    """The run's headline figures (``key_figures.csv``, restvarme.report.figures), shown as the
    report's cards and ``restvarme run``'s summary show them: one definition, one value."""
    from restvarme.report.figures import FIGURE_LABELS, display_value

    t = wrapping_table(
        "key figure",
        "value",
        "unit",
        title="Key figures (as in the report)",
        title_justify="left",
    )
    for key, (_, unit) in FIGURE_LABELS.items():
        if key not in table.index or (
            key == "cooling_delivered_mwh" and table.loc[key, "value"] <= 0
        ):
            continue
        value = display_value(key, float(table.loc[key, "value"]))
        t.add_row(escape(str(table.loc[key, "label"])), value, unit)
    out.print(t)


def print_costs(lcoh: pd.DataFrame, payments: pd.Series, out: Console) -> None:
    columns = {
        "network": row_name,
        "delivered GWh": number("delivered_mwh", 1e-3),
        "operating cost MEUR": lambda _, row: fmt(
            (row["operating_cost_eur"] + row["capital_cost_eur"]) / 1e6, ",.3f"
        ),
        "LCOH EUR/MWh": number("lcoh_eur_per_mwh", spec=",.2f"),
    }
    title = "Cost of heat (operating; CHP power sales credited)"
    out.print(frame_table(lcoh, columns, title=title))
    t = wrapping_table("paid to", "MEUR", title="Payments by counterparty", title_justify="left")
    for who, eur in payments.items():
        t.add_row(str(who), fmt(eur / 1e6, ",.3f"))
    t.add_row("[bold]total (= objective)[/]", f"[bold]{payments.sum() / 1e6:,.3f}[/]")
    out.print(t)


def accounts(
    run_dir: Annotated[Path, typer.Argument(help="Run folder written by `restvarme run --out`.")],
    method: Annotated[
        str,
        typer.Option(
            help=f"CHP allocation: {', '.join(CHP_METHOD_NAMES)} (old names efficiency and iea "
            "still work, deprecated)."
        ),
    ] = "reference_efficiency",
    perspective: Annotated[
        str,
        typer.Option(
            help="accounting (average factor) or decision (marginal factor, exports credited)."
        ),
    ] = "accounting",
    marginal_factor: Annotated[
        float, typer.Option(help="Marginal grid factor for the decision perspective [t CO2e/MWh].")
    ] = 0.7,
    electricity_factor: Annotated[
        float | None, typer.Option(help="Average grid factor [t CO2e/MWh]; default: the run's own.")
    ] = None,
    heat_temperature: Annotated[
        str, typer.Option(help="Carnot: log_mean, mean or supply of the network.")
    ] = "log_mean",
    ambient_c: Annotated[
        float | None, typer.Option(help="Carnot: ambient [°C]; default outdoor.")
    ] = None,
    renewable_electricity_share: Annotated[
        float, typer.Option(help="Share of grid electricity counted renewable [-].")
    ] = 0.0,
    fossil_electricity_share: Annotated[
        float, typer.Option(help="Share of grid electricity counted fossil [-].")
    ] = 0.0,
    period: Annotated[
        int | None, typer.Option(help="Pathway runs: the period to account for [default: last].")
    ] = None,
    csv: Annotated[
        bool,
        typer.Option(
            "--csv",
            help="Also write the tables into the run folder: accounts_indicators.csv, "
            "accounts_emissions_by_unit.csv, accounts_cost_of_heat.csv, accounts_payments.csv.",
        ),
    ] = False,
) -> None:
    """Print per-network indicators (g CO2e/kWh, primary energy factor, shares), emissions by
    unit and the cost of heat of a run, with the method named."""
    from restvarme.accounting.costs import (
        cost_by_counterparty,
        levelised_cost_of_heat,
    )
    from restvarme.accounting.emissions import emissions_by_unit
    from restvarme.accounting.indicators import indicator_table, network_indicators
    from restvarme.report.figures import key_figures_table

    view = _perspective(
        perspective, method, marginal_factor, electricity_factor, heat_temperature, ambient_c
    )
    with _working(f"Accounting {run_dir}"):
        ds, _scenario = _load(run_dir)
        ds = _one_period(ds, period)
        ind = network_indicators(
            ds,
            view,
            electricity_renewable_share=renewable_electricity_share,
            electricity_fossil_share=fossil_electricity_share,
        )
        by_unit = emissions_by_unit(ds, view)
        lcoh, payments = levelised_cost_of_heat(ds), cost_by_counterparty(ds)
        figures = key_figures_table(ds)
    print_indicators(ds, indicator_table(ind), ind, console)
    print_unit_emissions(by_unit, console)
    print_costs(lcoh, payments, console)
    print_key_figures(figures, console)
    if csv:
        tables = {
            "accounts_indicators.csv": indicator_table(ind),
            "accounts_emissions_by_unit.csv": by_unit,
            "accounts_cost_of_heat.csv": lcoh,
            "accounts_payments.csv": payments.to_frame(),
        }
        for name, table in tables.items():
            target = _write_derived(run_dir, name, table, "restvarme accounts")
        console.print(f"Tables written to [bold]{escape(str(target.parent))}[/]")


def _write_derived(run_dir: Path, name: str, table: pd.DataFrame, purpose: str) -> Path:
    """Write ``table`` as ``name`` into the run folder, under its lock, listed as derived in
    its manifest; exit 2 with the reason if the folder cannot take it."""
    from restvarme.errors import RestvarmeError
    from restvarme.results.folder import add_derived

    folder = run_dir if run_dir.is_dir() else run_dir.parent
    try:
        return add_derived(
            folder, name, lambda path: table.to_csv(path, float_format="%.6g"), purpose=purpose
        )
    except (RestvarmeError, ValueError) as error:
        raise _fail(str(error)) from None


def print_price_list(pl: PriceList, out: Console) -> None:
    matrix = pl.matrix()
    temps = [c for c in matrix.columns if c != "hours/yr"]
    t = wrapping_table(
        "outdoor °C",
        "hours/yr",
        *temps,
        title_justify="left",
        title=f"Waste-heat price list for {pl.source} [EUR/MWh, mean over hours taken]",
        caption=pl.notes,
        caption_justify="left",
    )
    summary = ["hours taken/yr", "mean price", "revenue per year", "route"]
    for band, row in matrix.drop(index=summary).iterrows():
        t.add_row(str(band), f"{row['hours/yr']:,.0f}", *(fmt(row[c]) for c in temps))
    t.add_section()
    t.add_row(
        "[bold]hours taken/yr[/]", "", *(f"{matrix.loc['hours taken/yr', c]:,.0f}" for c in temps)
    )
    t.add_row("[bold]mean price[/]", "", *(fmt(matrix.loc["mean price", c]) for c in temps))
    t.add_row(
        "[bold]1 MW: kEUR/yr[/]"
        if pl.supplier_mw == 1
        else f"[bold]{pl.supplier_mw:g} MW: kEUR/yr[/]",
        "",
        *(fmt(matrix.loc["revenue per year", c] / 1e3) for c in temps),
    )
    t.add_row("route", "", *(str(matrix.loc["route", c]) for c in temps))
    out.print(t)


WASTE_HEAT_VALUE_FILE = "accounts_waste_heat_value.csv"
"""``waste-heat-value RUN_DIR --csv``: the table of every source's value, in the run folder."""


def source_value_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per waste-heat source: mean temperature [°C], mean hourly value over the year
    [EUR/MWh] (the gross value: dual of the availability limit plus the price paid, weighted by
    the snapshots' hours), hours of the year valued above zero [h], heat taken [MWh], and what
    1 MW more in every hour would be worth [EUR/yr] (the positive hourly values summed, scaled
    to 8,760 h)."""
    import pandas as pd

    from restvarme.accounting.waste_heat_value import waste_heat_value_eur_per_mwh

    value = waste_heat_value_eur_per_mwh(ds)
    w = ds["snapshot_weight_h"]
    scale = 8760.0 / float(w.sum())
    rows = {}
    for src in ds["waste_source"].values:
        v = value.sel(waste_source=src)
        rows[str(src)] = {
            "mean_temperature_c": float(
                ds["waste_heat_temperature_c"].sel(waste_source=src).mean()
            ),
            "mean_value_eur_per_mwh": float((v * w).sum() / w.sum()),
            "hours_valued_h": float(w.where(v > 1e-9, 0).sum()) * scale,
            "used_mwh": float(ds["waste_heat_used_mwh"].sel(waste_source=src).sum()),
            "value_of_1_mw_more_eur_per_year": float((v.clip(min=0) * w).sum()) * scale,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "waste_source"
    return table


def print_source_summary(table: pd.DataFrame, out: Console) -> None:
    columns = {
        "source": row_name,
        "°C": number("mean_temperature_c", spec="g"),
        "mean value EUR/MWh": number("mean_value_eur_per_mwh", spec=",.2f"),
        "hours valued > 0": number("hours_valued_h", spec=",.0f"),
        "used GWh": number("used_mwh", 1e-3),
        "1 MW more: kEUR/yr": number("value_of_1_mw_more_eur_per_year", 1e-3),
    }
    t = frame_table(
        table,
        columns,
        title="Value of waste heat (model dual + price)",
        caption="Price list of one source: --source NAME",
        caption_justify="left",
    )
    out.print(t)


def waste_heat_value(
    run_dir: Annotated[Path, typer.Argument(help="Run folder written by `restvarme run --out`.")],
    source: Annotated[
        str | None, typer.Option(help="Waste-heat source for the price list.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="CSV for the price list [default: RUN_DIR/waste_heat_price_list_<source>.csv]."
        ),
    ] = None,
    temperatures: Annotated[
        str, typer.Option(help="Delivery temperatures [°C], comma separated.")
    ] = "25,40,55,70,85",
    supplier_mw: Annotated[float, typer.Option(help="Supplier size for revenue [MW].")] = 1.0,
    period: Annotated[
        int | None, typer.Option(help="Pathway runs: the period to account for [default: last].")
    ] = None,
    csv: Annotated[
        bool,
        typer.Option(
            "--csv",
            help=f"Without --source: also write the table into the run folder as "
            f"{WASTE_HEAT_VALUE_FILE}.",
        ),
    ] = False,
) -> None:
    """Print the value of waste heat per source (with --csv also as CSV), or one source's
    supplier price list (outdoor temperature band x delivery temperature) and write it as CSV."""
    from restvarme.accounting.waste_heat_value import (
        heat_pump_assumptions_from_scenario,
        price_list,
    )

    with _working(f"Reading {run_dir}"):
        ds, scenario = _load(run_dir)
        ds = _one_period(ds, period)
    if "waste_heat_value_eur_per_mwh" not in ds:
        raise _fail("this run has no waste-heat sources.")
    if source is None:
        with _working("Valuing the waste heat"):
            table = source_value_table(ds)
        print_source_summary(table, console)
        if csv:
            target = _write_derived(
                run_dir, WASTE_HEAT_VALUE_FILE, table, "restvarme waste-heat-value"
            )
            console.print(f"Table written to [bold]{escape(str(target))}[/]")
        return
    if source not in ds["waste_source"].values:
        raise _fail(
            f"no waste-heat source {source!r}; the run has "
            f"{', '.join(map(str, ds['waste_source'].values))}."
        )
    try:
        temps = [float(x) for x in temperatures.split(",") if x.strip()]
    except ValueError:
        raise _fail(
            f"--temperatures must be numbers separated by commas, got {temperatures!r}."
        ) from None
    hp = heat_pump_assumptions_from_scenario(scenario, source) if scenario else None
    with _working(f"Pricing {source}"):
        pl = price_list(ds, source, temperatures_c=temps, heat_pump=hp, supplier_mw=supplier_mw)
    print_price_list(pl, console)
    if out is not None:
        target = out
        pl.table.to_csv(target, index=False, float_format="%.4f")
    else:  # into the run folder, under its lock, listed as derived in its manifest
        from restvarme.errors import RestvarmeError
        from restvarme.results.folder import add_derived

        folder = run_dir if run_dir.is_dir() else run_dir.parent
        try:
            target = add_derived(
                folder,
                f"waste_heat_price_list_{source}.csv",
                lambda path: pl.table.to_csv(path, index=False, float_format="%.4f"),
                purpose="restvarme waste-heat-value",
            )
        except (RestvarmeError, ValueError) as error:
            raise _fail(str(error)) from None
    console.print(f"Price list written to [bold]{target}[/]")


def register(app: typer.Typer) -> None:
    """Add ``accounts`` and ``waste-heat-value`` to the main typer app."""
    app.command("accounts")(accounts)
    app.command("waste-heat-value")(waste_heat_value)
