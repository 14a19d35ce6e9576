"""Shared fixtures: tiny scenarios built from dictionaries, solved with HiGHS, and the full years
of the examples, each solved once per session for every test that needs it (``lund_year``,
``barcelona_year``, ``the_hague_year``).

``python -m pytest -m "not slow"`` is the fast loop (README, "Contributing"). A test is marked
``slow`` when it takes seconds for one of these reasons: a full 8,760-hour year of an example
(the fixtures below), a pathway of an example, a browser, drawn images (kaleido, matplotlib), a
PyPSA solve other than the heat system's cross-check (``tests/peers/test_pypsa_crosscheck.py``,
its two fast cases; the sector files of tests/peers are slow as a whole, see its conftest), a
process started for it (the web app's worker processes, the kill test's forked runs, a
run stopped with SIGTERM, a fresh interpreter that checks what an import loads), a
database server (PostgreSQL), a docs worked example run through its command, the full
number of draws of a hypothesis property that solves (the fast loop draws 3 of them in a test
of its own), or a whole workflow through a command or the web app (several runs, then their
reports, price lists or a sweep's record) whose steps faster tests in the loop check one by one
(the comment above each says which). Nothing is left out of the full run: ``python -m pytest``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest

if TYPE_CHECKING:  # imported where used: xdist's controller loads this file and runs no test
    import xarray as xr

    from restvarme.scenario.load import ScenarioFile


SHARED_SCOPES = {
    "tests/peers/": (
        "tests/peers/",
        # the fast loop's PyPSA solves outside tests/peers: with them, one worker imports PyPSA
        "tests/model/test_cooling_pypsa_refusals.py",
        "tests/units/test_heat_pump_levels_networks.py",
        "tests/units/test_heat_pump_store_water.py",
        "tests/units/test_preheat_cascade.py",
    ),
    "tests/report/": ("tests/report/",),
    "tests/web/": ("tests/web/",),
}
"""Test files that go to one xdist worker together, by the name of their group: their session
fixtures (the report tests' two-week Lund runs and tiny run) are then set up once, not once per
worker, and their heavy imports (PyPSA, about 3 CPU s a process) happen in one worker only."""


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With ``-n`` and no ``--dist`` given, hand each worker whole test files (``--dist
    loadfile``), and the files of each group of :data:`SHARED_SCOPES` together: a module's fixtures
    (a case solved once for a file's tests) are then set up by one worker, not by both; an
    explicit ``--dist`` is obeyed. The largest units go first (xdist's ``--loadscope-reorder``,
    on by default), so that the groups do not finish last on one worker."""
    if config.getvalue("dist") != "load" or any(
        arg == "-d" or arg.startswith("--dist") for arg in config.invocation_params.args
    ):
        return None
    from xdist.scheduler import LoadFileScheduling

    class GroupOrFileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for group, prefixes in SHARED_SCOPES.items():
                if nodeid.startswith(prefixes):
                    return group
            return super()._split_scope(nodeid)

    return GroupOrFileScheduling(config, log)


@pytest.fixture
def scenario_factory(tmp_path):
    from tiny_scenarios import make_scenario

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
    return _solve_example("lund", tmp_path_factory.mktemp("lund_year"))


@pytest.fixture(scope="session")
def the_hague_year(tmp_path_factory) -> SolvedYear:
    """The The Hague example over its full year, solved once per session, with its run folder
    (mark the tests that use it ``slow``)."""
    return _solve_example("the_hague", tmp_path_factory.mktemp("the_hague_year"))
