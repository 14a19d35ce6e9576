"""Shared fixtures: tiny scenarios built from dictionaries, solved with HiGHS."""

from __future__ import annotations

import pytest

from tiny_scenarios import BASE, make_scenario

__all__ = ["BASE", "make_scenario"]


@pytest.fixture
def scenario_factory(tmp_path):
    return lambda **changes: make_scenario(tmp_path, **changes)
