"""Fixtures of the PyPSA cross-check tests in this folder, and which of them the fast loop runs.

The fast loop (``pytest -m "not slow"``) keeps the heat system's cross-check
(``test_pypsa_crosscheck.py``: the waste-heat merit order and the heat pump, store and boiler
case, one PyPSA solve each, and its refusals) and the translator's registry checks
(``test_pypsa_units.py``); every other file here solves the same kind of system for one sector
(electricity, cooling and hydrogen, biogas, groups, streams, commitment, solar thermal,
stochastic plans), a second to three seconds of PyPSA each, and runs in the full suite only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

FAST_LOOP_FILES = ("test_pypsa_crosscheck.py", "test_pypsa_units.py")
"""The files of this folder whose tests the fast loop runs (as each file marks them)."""

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` the tests of this folder outside :data:`FAST_LOOP_FILES`."""
    for item in items:
        if item.path.parent == HERE and item.path.name not in FAST_LOOP_FILES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _quiet_pypsa() -> Iterator[None]:
    """PyPSA and linopy log every solve at INFO; keep test output readable (their levels are
    restored after each test)."""
    loggers = [logging.getLogger(name) for name in ("pypsa", "linopy")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)
