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


def test_synthetic_scenario_spreads_units_over_many_networks(tmp_path: Path) -> None:
    from _synthetic import write_scenario

    # 60 units over 4 networks, in turn: 15 per network; every 12 units hold 3 heat pumps
    # (sewage, air, cold) and 2 heat exchangers, so 15 heat pumps and 10 exchangers in all
    path = write_scenario(tmp_path, hours=24, units=60, networks=4)
    scenario = restvarme.load(path).scenario
    assert sorted(scenario.networks) == ["net_00", "net_01", "net_02", "net_03"]
    sinks = [u.sink if hasattr(u, "sink") else u.network for u in scenario.units]
    assert {n: sinks.count(n) for n in set(sinks)} == dict.fromkeys(scenario.networks, 15)
    inputs = build_inputs(restvarme.load(path))
    assert inputs.sizes["network"] == 4
    assert inputs.sizes["heat_pump"] == 15
    assert inputs.sizes["heat_exchanger"] == 10


def test_size_sweep_exponent_is_the_power_of_the_growth() -> None:
    import numpy as np
    from size_sweep import exponent, linear_fit

    x = np.array([1e4, 1e5, 1e6])
    assert exponent(x, 3e-6 * x) == pytest.approx(1.0)  # linear
    assert exponent(x, 2e-12 * x**2) == pytest.approx(2.0)  # quadratic
    # 0.5 s fixed + 2 µs per hour·unit: the line recovers both, with no residual
    fixed, slope, worst = linear_fit(x, 0.5 + 2e-6 * x)
    assert (fixed, slope * 1e6, worst) == pytest.approx((0.5, 2.0, 0.0), abs=1e-9)


def test_the_comparison_splits_each_runs_own_time_not_medians_of_other_runs() -> None:
    # Three runs whose import and run have their medians in different runs: the differences
    # of the medians would give 2.31 - 0.5 - 2.2 = -0.39 s of lazy imports; each run has 0.01 s
    # of them, 0.02 s of hand-over and 0.3 s of start-up.
    from vs_pypsa import report

    def run(total_s: float, import_s: float, solve_s: float, wall_s: float) -> dict:
        phases = {"inputs": 0.1, "build": 0.1, "solve": solve_s}
        return {
            "wall_s": wall_s,
            "rss_mib": 100.0,
            "cpu_s": 1.0,
            "objective_eur": 1.0,
            "import_s": import_s,
            "total_s": total_s,
            "solver_s": solve_s - 0.02,
            "phases_s": phases,
        }

    rv = [
        run(total_s=0.21 + 1.0 + 1.0, import_s=1.0, solve_s=1.0, wall_s=2.51),
        run(total_s=0.21 + 0.1 + 2.0, import_s=0.1, solve_s=2.0, wall_s=2.61),
        run(total_s=0.21 + 0.5 + 3.0, import_s=0.5, solve_s=3.0, wall_s=4.01),
    ]
    py = [{**r, "phases_s": {"optimize": 1.0}} for r in rv]
    text = report(rv, py, "test")
    assert "interpreter start-up 0.300" in text
    assert "lazy imports inside run() before the first phase 0.010" in text
    assert "the solve phase includes the hand-over 0.020" in text
