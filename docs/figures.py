"""The figures docs/accounting.md and the examples' SOURCES.md quote from runs, between markers.

Each figure a run or an example's inputs produce sits between ``<!-- fig:NAME -->`` and
``<!-- /fig -->``. This script solves the Lund example over its full year, builds the other
examples' inputs, recomputes every figure and rewrites the spans (about a minute)::

    PYTHONPATH=src python docs/figures.py            # rewrite the spans in place
    PYTHONPATH=src python docs/figures.py --check    # list the stale spans, exit 1 if any

``tests/test_docs_figures.py`` (slow) computes the same figures from the session's solved Lund
year and fails on a stale, missing or unknown span: a change that moves a quoted number fails
until this script is run again.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FILES = (ROOT / "docs" / "accounting.md", *sorted((ROOT / "examples").glob("*/SOURCES.md")))
"""The files whose figures come from here."""
SPAN = re.compile(r"<!-- fig:([\w.]+) -->(.*?)<!-- /fig -->", re.S)

BARCELONA_CONNECTED_HEAT_MW = 51.0
"""Districlima's connected heat load, as examples/barcelona/SOURCES.md states it (sourced)."""
BARCELONA_CONNECTED_COLD_MW = 73.0
"""Districlima's connected cooling load, as examples/barcelona/SOURCES.md states it (sourced)."""


def _cli(args: list[str]) -> list[str]:
    """Lines a ``restvarme`` accounts command prints at 200 columns."""
    import typer
    from typer.testing import CliRunner

    from restvarme import cli_accounts
    from restvarme.cli_accounts import register

    cli_accounts.console.width = 132  # as when piped, also from a terminal
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    if result.exit_code != 0:
        raise RuntimeError(f"restvarme {' '.join(args)} failed:\n{result.output}")
    return [line.rstrip() for line in result.output.splitlines()]


def _block(lines: list[str], first: str, last: Callable[[str], bool], *, keep: bool = True) -> str:
    """The lines from the one starting with ``first`` to the next one ``last`` accepts (that
    one too, unless ``keep`` is false), as a fenced text block."""
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i in range(start, len(lines)) if last(lines[i])) + (1 if keep else 0)
    return "\n```text\n" + "\n".join(lines[start:end]).rstrip() + "\n```\n"


def chp_figures(ds: Any) -> dict[str, str]:
    """The main network's heat emissions [kt] by CHP allocation method, and the carnot
    indicators the text reads."""
    from restvarme.accounting import accounting_perspective, indicator_table, network_indicators

    out = {}
    for method in ("carnot", "reference_efficiency", "energy"):
        table = indicator_table(network_indicators(ds, accounting_perspective(method)))
        out[f"chp.main_kt.{method}"] = f"{table.loc['main', 'emissions_t'] / 1e3:.1f}"
        if method == "carnot":
            out["accounts.brunnshog_waste_heat_pct"] = (
                f"{table.loc['brunnshog', 'waste_heat_pct']:.0f}"
            )
    return out


def price_list_figures(sf: Any, ds: Any) -> dict[str, str]:
    """ESS 28 °C's price list: hours and 1 MW revenues of its year row."""
    from restvarme.accounting.waste_heat_value import (
        heat_pump_assumptions_from_scenario,
        price_list,
    )

    pl = price_list(ds, "ess_28c", heat_pump=heat_pump_assumptions_from_scenario(sf, "ess_28c"))
    year = pl.table[pl.table["outdoor_band"] == "all"].set_index("delivery_temperature")
    hours, revenue = year["hours_taken_h"], year["revenue_eur_per_year"] / 1e3
    return {
        "price.hours_own": f"{hours['28 °C (own: model dual)']:,.0f}",
        "price.hours_hp": f"{hours['25 °C']:,.0f}–{hours['40 °C']:,.0f}",
        "price.revenue_kEUR": f"{revenue.min():.0f}–{revenue.max():.0f}",
        "price.column_40c_kEUR": f"{revenue['40 °C']:.1f}",
        "price.twice_40c_kEUR": f"{2 * revenue['40 °C']:.0f}",
    }


def cascade_figures(sf: Any, ds: Any) -> dict[str, str]:
    """A new 60 °C supplier on Brunnshög: the cascade's charge derived from the run, against the
    model solved again with 1 kW more (as tests/accounting/test_waste_heat_value_cascade.py)."""
    from restvarme.accounting import candidate_supplier_value
    from restvarme.accounting.waste_heat_value import (
        delivery_value_eur_per_mwh,
        waste_heat_value_eur_per_mwh,
    )

    eps = 1e-3
    value = delivery_value_eur_per_mwh(ds, 60.0, "brunnshog", supplier_mw=eps)
    charge = value["preheat_cascade_eur_per_mwh"]
    charged = charge > 1e-6
    offer = candidate_supplier_value(
        sf, available_mw=eps, temperature_c=60.0, network="brunnshog", heat_pump_capacity_mw=0,
        heat_exchanger_capacity_mw=1.0, base_objective_eur=ds.attrs["objective_eur"],
    )  # fmt: skip
    dual = waste_heat_value_eur_per_mwh(offer.results).sel(waste_source="candidate")
    derived = value["preheat"].fillna(0.0).clip(min=0.0)
    differ = int((np.abs(derived - dual) > 1e-6).sum())
    return {
        "cascade.charged_h": f"{int(charged.sum()):,}",
        "cascade.worth_eur": f"{float(value['preheat'].where(charged).mean()):.1f}",
        "cascade.heat_alone_eur": f"{float((value['preheat'] + charge).where(charged).mean()):.1f}",
        "cascade.nothing_h": f"{int((charged & (value['preheat'] < 1e-9)).sum())}",
        "cascade.differ_h": f"{differ:,}",
        "cascade.hours": f"{ds.sizes['snapshot']:,}",
        "cascade.above_max_eur": f"{float((derived - dual).max()):.1f}",
        "cascade.below_h": f"{int((dual - derived > 1e-6).sum()):,}",
        "cascade.below_max_eur": f"{max(float((dual - derived).max()), 0.0):.2f}",
        "cascade.derived_kEUR_per_mw": f"{float(derived.sum()) / 1e3:.1f}",
        "cascade.saving_kEUR_per_mw": f"{offer.saving_eur / eps / 1e3:.1f}",
    }


def candidate_figures(sf: Any, ds: Any) -> dict[str, str]:
    """The 2 MW, 40 °C candidate of the docs' example."""
    from restvarme.accounting import HeatPumpAssumptions, candidate_supplier_value

    offer = candidate_supplier_value(
        sf, available_mw=2, temperature_c=40, network="main",
        heat_pump=HeatPumpAssumptions(quality_grade=0.55, cop_method="lorenz", vom_eur_per_mwh=2),
        base_objective_eur=ds.attrs["objective_eur"],
    )  # fmt: skip
    return {
        "candidate.line": (
            f"{offer.saving_eur / 1e3:.0f} kEUR, {offer.taken_mwh:,.0f} MWh, "
            f"{offer.saving_eur_per_mwh:.1f} EUR/MWh"
        ),
    }


def lund_figures(sf: Any, ds: Any, folder: Path) -> dict[str, str]:
    """Every docs/accounting.md figure, from the Lund example solved (``sf``, ``ds``) and its
    run folder (``folder``, as ``restvarme run --out`` writes it)."""
    accounts = _cli(["accounts", str(folder), "--method", "carnot"])
    prices = _cli(["waste-heat-value", str(folder), "--source", "ess_28c"])
    return {
        "accounts.table": _block(
            accounts,
            "Indicators per network",
            lambda s: s.startswith("Emissions by unit"),
            keep=False,
        ),
        "price.table": _block(prices, "Waste-heat price list", lambda s: s.startswith("└")),
        **chp_figures(ds),
        **price_list_figures(sf, ds),
        **cascade_figures(sf, ds),
        **candidate_figures(sf, ds),
    }


def input_figures() -> dict[str, str]:
    """The examples' SOURCES.md figures that follow from their inputs (peaks, COPs, glides)."""
    import restvarme
    from restvarme.inputs.build import build_inputs

    bcn = build_inputs(restvarme.load("barcelona"))
    heat = float(bcn["heat_demand_mw"].sel(network="districlima_heat").max())
    cold = float(bcn["cooling_demand_mw"].sel(cooling_network="districlima_cold").max())
    hague = build_inputs(restvarme.load("the_hague"))
    lund = build_inputs(restvarme.load("lund"))
    cop = lund["heat_recovery_heat_pump_cop"].sel(heat_recovery_heat_pump="maxiv_hrhp")
    full_heat_mw = float(lund["heat_recovery_heat_pump_capacity_mw"].sel(
        heat_recovery_heat_pump="maxiv_hrhp"
    ))  # fmt: skip
    ess = [str(h) for h in lund["heat_pump"].values if str(h).startswith("ess_")]
    glide = (lund["heat_pump_stream_high_c"] - lund["heat_pump_stream_low_c"]).sel(heat_pump=ess)
    return {
        "barcelona.heat_peak_mw": f"{heat:.0f}",
        "barcelona.heat_peak_share": f"{heat / BARCELONA_CONNECTED_HEAT_MW:.2f}",
        "barcelona.cold_peak_mw": f"{cold:.0f}",
        "barcelona.cold_peak_share": f"{cold / BARCELONA_CONNECTED_COLD_MW:.2f}",
        "the_hague.heat_peak_mw": f"{float(hague['heat_demand_mw'].sel(network='city').max()):.0f}",
        "lund.maxiv_cop": f"{float(cop.mean()):.1f}",
        "lund.maxiv_cooling_mw": f"{full_heat_mw * (1 - 1 / float(cop.mean())):.1f}",
        "lund.ess_glide_k": f"{float(glide.min()):.0f}–{float(glide.max()):.0f}",
    }


def rewrite(text: str, figures: dict[str, str]) -> tuple[str, list[str], list[str]]:
    """``text`` with every span set to its figure; the names of the spans that changed, and of
    those with no figure (left as they are)."""
    stale, unknown = [], []

    def one(match: re.Match[str]) -> str:
        name, old = match.group(1), match.group(2)
        if name not in figures:
            unknown.append(name)
            return match.group(0)
        if old != figures[name]:
            stale.append(name)
        return f"<!-- fig:{name} -->{figures[name]}<!-- /fig -->"

    return SPAN.sub(one, text), stale, unknown


def spans() -> dict[Path, list[str]]:
    """The span names in each file."""
    return {f: [m.group(1) for m in SPAN.finditer(f.read_text(encoding="utf-8"))] for f in FILES}


def main(argv: list[str]) -> int:
    import restvarme
    from restvarme.results.io import resolved_scenario_json, write_results

    check = "--check" in argv
    sf = restvarme.load("lund")
    ds = restvarme.run(sf)
    with tempfile.TemporaryDirectory() as tmp:
        write_results(ds, Path(tmp), resolved_scenario_json(sf))
        figures = {**lund_figures(sf, ds, Path(tmp)), **input_figures()}
    status = 0
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        new, stale, unknown = rewrite(text, figures)
        for name in unknown:
            print(f"{path.relative_to(ROOT)}: span {name!r} has no figure", file=sys.stderr)
            status = 1
        if stale:
            print(f"{path.relative_to(ROOT)}: {', '.join(stale)}")
            if check:
                status = 1
            else:
                path.write_text(new, encoding="utf-8")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
