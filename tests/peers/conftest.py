"""Fixtures of the PyPSA cross-check tests in this folder."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


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
