"""The benchmarks' scenario builders write scenarios that restvarme accepts.

The benchmarks are run by hand, not by CI; these checks keep their inputs in step with the
scenario format (a new validation rule once broke both builders without anyone noticing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import restvarme
from restvarme.inputs.build import build_inputs

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(autouse=True)
def _benchmarks_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))


def test_synthetic_scenario_builds(tmp_path: Path) -> None:
    from _synthetic import write_scenario

    inputs = build_inputs(restvarme.load(write_scenario(tmp_path, hours=48, units=12)))
    # one round of the 12-kind cycle: heat pumps on sewage, air and the cold source
    assert inputs.sizes["snapshot"] == 48
    assert inputs.sizes["heat_pump"] == 3


def test_lund_expansion_scenario_builds(tmp_path: Path) -> None:
    from _expansion import write_lund_expansion

    inputs = build_inputs(restvarme.load(write_lund_expansion(tmp_path, resolution_h=4)))
    assert inputs.sizes["snapshot"] == 8760 // 4
