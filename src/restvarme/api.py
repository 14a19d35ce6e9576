"""The Python API: load a scenario, run it, get results as an :class:`xarray.Dataset`."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from restvarme._imports import collector_held, defer_dask
from restvarme.examples import resolve_scenario

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

    from restvarme.model.build import BuiltModel
    from restvarme.model.solve import SolveResult
    from restvarme.scenario.load import ScenarioFile

_T = TypeVar("_T")

PHASES = ("load", "inputs", "build", "warm_start", "solve", "results")
"""Phases reported to ``on_phase`` ("warm_start" only when the run takes one); ``timings_s``
also holds "import", the lazy imports of the numerical stack (linopy, xarray) on the first run
in a process."""
PHASE_LABELS = {
    "load": "load and validate the scenario",
    "import": "import the numerical stack and restvarme",
    "inputs": "inputs (series, weather, COP)",
    "build": "build the model",
    "warm_start": "warm start (plan on blocks)",
    "solve": "solve",
    "results": "collect the results",
    "write": "write the run folder",
}
"""How ``restvarme run --timings`` and ``benchmarks/phases.py`` name each phase; "write" is
the run folder's (:func:`restvarme.results.io.write_results`), timed by its caller."""


def phase_seconds(results: xr.Dataset) -> dict[str, float]:
    """The seconds of each phase of the run that made ``results`` (its ``timings_s``), in the
    order they ran."""
    import ast

    return {k: float(v) for k, v in ast.literal_eval(results.attrs["timings_s"]).items()}


def load(scenario: str | Path) -> ScenarioFile:
    """Load and validate a scenario file, folder or built-in example name."""
    with collector_held():  # the first load imports pydantic's models and linopy
        from restvarme.scenario.load import load_scenario

        defer_dask()  # before the first DataArray of a run, a validation or an operation
    return load_scenario(resolve_scenario(scenario))


def located_build(
    build: Callable[[xr.Dataset], _T], sf: ScenarioFile
) -> Callable[[xr.Dataset], _T]:
    """``build``, with the scenario problems it finds (a capacity group's unit without a flow
    of the group's direction, restvarme.model.groups) placed at their file and line."""
    from dataclasses import replace

    from restvarme.errors import ScenarioError
    from restvarme.scenario.load import key_line

    def located(x: xr.Dataset) -> _T:
        try:
            return build(x)
        except ScenarioError as err:
            if sf.path is None:
                raise
            problems = [
                p if p.file else replace(p, file=sf.path, line=key_line(sf.path, p.path))
                for p in err.problems
            ]
            raise ScenarioError(problems) from None

    return located


def run(
    scenario: str | Path | ScenarioFile,
    *,
    solver: str = "highs",
    solver_options: dict | None = None,
    on_phase: Callable[[str], None] | None = None,
    warm_start: bool | None = None,
) -> xr.Dataset:
    """Solve the hourly dispatch of a scenario and return its results.

    Parameters
    ----------
    scenario : path, example name or loaded :class:`ScenarioFile`
    solver : any solver linopy knows; HiGHS (through highspy) by default
    solver_options : passed to the solver, e.g. ``{"solver": "ipm"}`` or ``{"time_limit": 60}``,
        over the scenario's ``solver`` section (:func:`restvarme.model.solve.solver_options`)
    on_phase : called with each phase name (``PHASES``) as it starts, e.g. to drive a progress bar
    warm_start : start HiGHS's simplex from a plan solved on blocks of hours
        (:mod:`restvarme.model.warm_start`; same optimum, found sooner). None (default): for
        hourly expansion runs of at least 2,000 snapshots; True: for any hourly run with
        capacity to choose; False: never. Ignored for other solvers and for HiGHS's
        interior-point or first-order methods.

    Returns
    -------
    xarray.Dataset
        Hourly flows, levels, marginal prices and annual totals; ``attrs["timings_s"]`` holds
        the seconds spent per phase, and ``attrs["solver_seconds"]`` the solver's own run time.
    """
    notify = on_phase or (lambda _phase: None)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with collector_held():  # the numerical stack, on a process's first run
        from restvarme.errors import InfeasibleError, SolveError
        from restvarme.inputs.build import build_inputs
        from restvarme.inputs.pathway import build_pathway_inputs
        from restvarme.model.build import build_model
        from restvarme.model.solve import solve, start_handing_over
        from restvarme.model.solve import solver_options as scenario_options
        from restvarme.model.warm_start import coarse_plan
        from restvarme.results.collect import collect_results

        defer_dask()
    timings["import"] = time.perf_counter() - start

    def phase(name: str, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        notify(name)
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
        return out

    sf = (
        cast("ScenarioFile", scenario)
        if hasattr(scenario, "scenario")
        else phase("load", load, scenario)
    )
    # the scenario's `solver` section, under the options given here
    solver_options = scenario_options(solver, sf.scenario.solver.given(), solver_options)
    prepare = build_pathway_inputs if sf.scenario.pathway is not None else build_inputs
    inputs = phase("inputs", prepare, sf)
    solver_seconds: list[float] = []

    def solve_coarse(built: BuiltModel) -> bool:
        try:
            solved = solve(built, solver, solver_options)
        except (InfeasibleError, SolveError):
            return False
        solver_seconds.append(solved.solver_seconds)
        return True

    def build_and_solve(x: xr.Dataset) -> tuple[BuiltModel, SolveResult]:
        built = phase("build", located_build(build_model, sf), x)
        if not _warm_start_wanted(warm_start, x, built, solver, solver_options):
            solved = phase("solve", solve, built, solver, solver_options)
        else:  # the model handed over to HiGHS while HiGHS solves the coarse plan
            with ThreadPoolExecutor(1, thread_name_prefix="restvarme-hand-over") as pool:
                handing_over = start_handing_over(built, solver, solver_options, pool)
                plan = phase("warm_start", coarse_plan, x, solve_coarse)
                solved = phase("solve", solve, built, solver, solver_options, plan, handing_over)
        solver_seconds.append(solved.solver_seconds)
        return built, solved

    def collect(built: BuiltModel, solved: SolveResult) -> xr.Dataset:
        return phase("results", collect_results, built, solved)

    if sf.scenario.pathway is not None and sf.scenario.pathway.foresight == "myopic":
        from restvarme.myopic import solve_myopic

        results = solve_myopic(inputs, build_and_solve, collect)
    else:
        results = collect(*build_and_solve(inputs))
    # rounded down, so that the phases never add up to more than the time they took
    results.attrs["timings_s"] = str({k: math.floor(v * 1e4) / 1e4 for k, v in timings.items()})
    results.attrs["solver_seconds"] = float(sum(solver_seconds))
    results.attrs["scenario_file"] = str(sf.path) if sf.path else ""
    return results


def _warm_start_wanted(
    asked: bool | None, inputs: xr.Dataset, built: BuiltModel, solver: str, options: dict | None
) -> bool:
    """Whether to start from a coarse plan: as asked, or automatically (see ``run``). Only
    HiGHS's simplex continues from a basis, so other solvers and HiGHS's interior-point and
    first-order methods never start warm."""
    from restvarme.model import warm_start

    if solver != "highs" or (options or {}).get("solver", "choose") not in ("choose", "simplex"):
        return False
    if asked is None:
        return warm_start.applies(inputs, built.model)
    return asked and warm_start.applies(inputs, built.model, min_snapshots=0)


def full_year_check(
    scenario: str | Path | ScenarioFile, results: xr.Dataset, *, solver: str = "highs"
) -> pd.DataFrame:
    """Re-run an aggregated plan hour by hour: the aggregation error, measured.

    For every period of ``results`` (a plan solved on blocks or typical days), the period's
    scenario is dispatched over every hour with the capacities the plan put in service as fixed
    capacity. Returns a table per period: the operating cost [EUR/yr] the aggregated plan
    expected and the one the full year gives, their relative difference, and the heat the
    chosen capacities leave unserved in the full year [MWh].
    """
    import pandas as pd

    from restvarme.inputs.pathway import period_scenarios
    from restvarme.scenario.load import ScenarioFile
    from restvarme.scenario.schema import Scenario

    sf = cast(ScenarioFile, scenario) if hasattr(scenario, "scenario") else load(scenario)
    periods = period_scenarios(sf)
    rows = []
    for i, psf in enumerate(periods):
        res = results.isel(period=i) if "period" in results.dims else results
        data = psf.scenario.model_dump(mode="python")
        data["horizon"].update(resolution_h=1, typical_days=None)
        for unit in data["units"]:
            if unit.get("expansion") is None:
                continue
            _set_capacity(
                unit,
                float(res["capacity_existing"].sel(unit=unit["name"])),
                float(res["capacity_new"].sel(unit=unit["name"])),
            )
        fixed = ScenarioFile(Scenario.model_validate(data), sf.path, sf.base_dir)
        full = run(fixed, solver=solver)
        operating = [c for c in full["cost_item"].values if c != "capital"]
        expected = float(res["cost_eur"].sel(cost_item=operating).sum())
        actual = float(full["cost_eur"].sel(cost_item=operating).sum())
        rows.append(
            {
                "period": psf.scenario.year,
                "aggregated_operating_cost_eur": expected,
                "full_year_operating_cost_eur": actual,
                "difference": (actual - expected) / abs(expected) if expected else float("nan"),
                "full_year_unserved_heat_mwh": float(full["unserved_heat_mwh"].sum()),
                "full_year_unserved_cooling_mwh": (
                    float(full["unserved_cooling_mwh"].sum())
                    if "unserved_cooling_mwh" in full
                    else 0.0
                ),
            }
        )
    return pd.DataFrame(rows).set_index("period")


def _set_capacity(unit: dict, existing: float, new: float) -> None:
    """Make an extendable unit's scenario mapping a fixed unit of the capacity in service:
    ``existing`` (as in service that period, 0 if retired) plus ``new``, with the flows that
    grow with it scaled as the optimisation scales them.

    What is rated and what grows with it is the type's capacity kind in the registry: the rating
    (``capacity_mw``, a CHP's ``heat_capacity_mw``, a store's ``energy_mwh``, a field's
    ``area_m2``) becomes ``existing + new``; each capacity that grows with it gains its ratio
    times ``new``: the ratio the expansion states (a store's ``charge_mw_per_mwh``), else the
    unit's own (a CHP's fuel per heat capacity)."""
    from restvarme.units.registry import unit_type_of

    unit_type = unit_type_of(unit["type"])
    assert unit_type is not None  # a validated scenario's unit
    kind = unit_type.capacity
    rating, in_service = kind.rating, existing > 0
    for key, ratio in kind.scaled[1:]:
        if unit.get(key) is None:
            continue
        if ratio in unit["expansion"]:
            per_new = unit["expansion"][ratio]
        elif unit.get(rating):
            per_new = unit[key] / unit[rating]
        else:
            continue
        unit[key] = (unit[key] if in_service else 0.0) + per_new * new
    unit[rating] = existing + new
    unit.update(expansion=None, commissioned_year=None, retired_year=None)
