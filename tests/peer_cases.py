"""Shared set-up of the PyPSA cross-check tests in tests/peers/: the two cases every sector file
runs (hourly dispatch, and the same system with its extendable units), each solved once by both
tools. The expansion case, a second PyPSA solve per sector, and the tests that read it are
marked ``slow`` (the sector files that use these cases are, moreover, slow as a whole:
tests/peers/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import restvarme
from restvarme.inputs.build import build_inputs
from restvarme.scenario.load import ScenarioFile
from restvarme_peers import pypsa_network as peer

CASES = {"dispatch": dict(hours=48, expansion=False), "expansion": dict(hours=48, expansion=True)}
"""Case name -> keyword arguments of a test file's scenario function."""

CASE_PARAMS = [
    pytest.param(name, marks=pytest.mark.slow) if kwargs["expansion"] else name
    for name, kwargs in CASES.items()
]
"""The names of :data:`CASES` as test parameters, the expansion case marked ``slow``."""


def solved_cases(scenario: Callable[..., ScenarioFile], tmp_path_factory) -> Callable[[str], tuple]:
    """A getter name -> (restvarme's results, solved PyPSA network, inputs) that solves each of
    :data:`CASES` once, built by ``scenario(folder, **CASES[name])``."""
    cache: dict[str, tuple] = {}

    def get(name: str) -> tuple:
        if name not in cache:
            sf = scenario(tmp_path_factory.mktemp(name), **CASES[name])
            ours = restvarme.run(sf)
            inputs = build_inputs(sf)
            n = peer.to_pypsa(inputs)
            assert peer.optimize(n, log_to_console=False) == ("ok", "optimal")
            cache[name] = ours, n, inputs
        return cache[name]

    return get
