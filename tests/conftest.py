"""Shared fixtures: tiny scenarios built from dictionaries, solved with HiGHS, and the full Lund
year, solved once per session for every test that needs it.

Tests that need a full 8,760-hour solve (the ``lund_year`` fixture, the other example cities)
are marked ``slow``; ``python -m pytest -m "not slow"`` is the fast loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
import xarray as xr

from restvarme.scenario.load import ScenarioFile
from tiny_scenarios import BASE, make_scenario

__all__ = ["BASE", "make_scenario"]


@pytest.fixture
def scenario_factory(tmp_path):
    return lambda **changes: make_scenario(tmp_path, **changes)


class SolvedYear(NamedTuple):
    """A built-in example solved over its full year, and the run folder written for it."""

    scenario: ScenarioFile
    results: xr.Dataset
    folder: Path
    """``results.nc``, the CSV summaries and ``scenario.resolved.json``, as ``restvarme run
    --out`` writes them."""


def _solve_example(name: str, folder: Path) -> SolvedYear:
    import restvarme
    from restvarme.results.io import resolved_scenario_json, write_results

    sf = restvarme.load(name)
    ds = restvarme.run(sf)
    write_results(ds, folder, resolved_scenario_json(sf))
    return SolvedYear(sf, ds, folder)


@pytest.fixture(scope="session")
def barcelona_year(tmp_path_factory) -> SolvedYear:
    """The Barcelona example (heat, cooling, hydrogen, biogas, buses) over its full year, solved
    once per session, with its run folder (mark the tests that use it ``slow``)."""
    return _solve_example("barcelona", tmp_path_factory.mktemp("barcelona_year"))


@pytest.fixture(scope="session")
def lund_year(tmp_path_factory) -> SolvedYear:
    """The Lund example over its full 8,760-hour year, solved once per session (mark the tests
    that use it ``slow``). Shared: tests may add files to the folder but must not change the
    results or the files already there."""
    import restvarme
    from restvarme.results.io import resolved_scenario_json, write_results

    sf = restvarme.load("lund")
    ds = restvarme.run(sf)
    folder = tmp_path_factory.mktemp("lund_year")
    write_results(ds, folder, resolved_scenario_json(sf))
    return SolvedYear(sf, ds, folder)
