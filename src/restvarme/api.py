"""The Python API: load a scenario, run it, get results as an :class:`xarray.Dataset`."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from restvarme.examples import resolve_scenario

if TYPE_CHECKING:
    import xarray as xr

    from restvarme.scenario.load import ScenarioFile

PHASES = ("load", "inputs", "build", "solve", "results")
"""Phases reported to ``on_phase``; ``timings_s`` also holds "import", the lazy imports of the
numerical stack (linopy, xarray) on the first run in a process."""


def load(scenario: str | Path) -> ScenarioFile:
    """Load and validate a scenario file, folder or built-in example name."""
    from restvarme.scenario.load import load_scenario

    return load_scenario(resolve_scenario(scenario))


def run(
    scenario: str | Path | ScenarioFile,
    *,
    solver: str = "highs",
    solver_options: dict | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> xr.Dataset:
    """Solve the hourly dispatch of a scenario and return its results.

    Parameters
    ----------
    scenario : path, example name or loaded :class:`ScenarioFile`
    solver : any solver linopy knows; HiGHS (through highspy) by default
    solver_options : passed to the solver, e.g. ``{"solver": "ipm"}`` or ``{"time_limit": 60}``
    on_phase : called with each phase name (``PHASES``) as it starts, e.g. to drive a progress bar

    Returns
    -------
    xarray.Dataset
        Hourly flows, levels, marginal prices and annual totals; ``attrs["timings_s"]`` holds
        the seconds spent per phase, and ``attrs["solver_seconds"]`` the solver's own run time.
    """
    notify = on_phase or (lambda _phase: None)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    from restvarme.inputs.build import build_inputs
    from restvarme.inputs.pathway import build_pathway_inputs
    from restvarme.model.build import build_model
    from restvarme.model.solve import solve
    from restvarme.results.collect import collect_results

    timings["import"] = time.perf_counter() - start

    def phase(name: str, fn, *args, **kwargs):
        notify(name)
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
        return out

    sf = scenario if hasattr(scenario, "scenario") else phase("load", load, scenario)
    prepare = build_pathway_inputs if sf.scenario.pathway is not None else build_inputs
    inputs = phase("inputs", prepare, sf)
    solver_seconds: list[float] = []

    def build_and_solve(x):
        built = phase("build", build_model, x)
        solved = phase("solve", solve, built, solver, solver_options)
        solver_seconds.append(solved.solver_seconds)
        return built, solved

    def collect(built, solved):
        return phase("results", collect_results, built, solved)

    if sf.scenario.pathway is not None and sf.scenario.pathway.foresight == "myopic":
        from restvarme.myopic import solve_myopic

        results = solve_myopic(inputs, build_and_solve, collect)
    else:
        results = collect(*build_and_solve(inputs))
    results.attrs["timings_s"] = str({k: round(v, 4) for k, v in timings.items()})
    results.attrs["solver_seconds"] = float(sum(solver_seconds))
    results.attrs["scenario_file"] = str(sf.path) if sf.path else ""
    return results
