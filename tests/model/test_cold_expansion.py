"""Cold one-year expansion solves start with HiGHS's interior point method and crossover
(restvarme.model.solve.interior_point_first); the optimum is the simplex's.

The system is the hand case of tests/model/test_warm_start.py: 96 hours of a flat 10 MW load,
an existing 30 MW electric boiler, electricity at 10 and 100 EUR/MWh in alternate hours and a
store at 1,200 EUR per MWh over the horizon. By hand the store is built to 10 MWh and the cost
is 960 x 10 + 10 x 1,200 = 21,600 EUR.
"""

from __future__ import annotations

import highspy
import numpy as np
import pytest

import restvarme
from restvarme.economics import annuity_factor
from restvarme.inputs.build import build_inputs
from restvarme.model import highs, solve, warm_start
from restvarme.model.build import build_model

HOURS = 96
RATE = 0.05


def scenario(tmp_path, factory, expand: bool = True):
    """The hand case of the module docstring (``expand=False``: the store cannot be built)."""
    price = np.where(np.arange(HOURS) % 2 == 0, 10.0, 100.0)
    (tmp_path / "p.csv").write_text("p\n" + "\n".join(f"{p:g}" for p in price) + "\n")
    store = {
        "name": "tank",
        "type": "storage",
        "network": "main",
        "energy_mwh": 0,
        "charge_mw": 0,
    }
    if expand:  # 1,200 EUR per MWh over the 96 hours
        capital = 1200.0 / (HOURS / 8760) / annuity_factor(RATE, 40)
        store["expansion"] = {"capital_cost_eur_per_mwh": capital, "charge_mw_per_mwh": 1.0}
    eb = {"name": "eb", "type": "electric_boiler", "sink": "main", "capacity_mw": 30}
    return factory(
        units=[{**eb, "efficiency": 1.0}, store],
        discount_rate=RATE,
        horizon={"hours": HOURS},
        electricity={"price_eur_per_mwh": "p.csv", "export_allowed": False},
    )


@pytest.fixture
def ipm_runs(monkeypatch):
    """Record HiGHS's iteration counts of every run that starts with the interior point
    method."""
    runs: list[tuple[int, int, int]] = []
    original = highs.run_ipm_first

    def recording(h: highspy.Highs) -> None:
        original(h)
        info = h.getInfo()
        runs.append(
            (info.ipm_iteration_count, info.crossover_iteration_count, info.simplex_iteration_count)
        )

    monkeypatch.setattr(highs, "run_ipm_first", recording)
    return runs


def test_only_long_one_year_expansions_without_a_chosen_solver_start_with_ipm(
    tmp_path, scenario_factory, monkeypatch
):
    built = build_model(build_inputs(scenario(tmp_path, scenario_factory)))
    assert HOURS < warm_start.MIN_SNAPSHOTS
    assert not solve.interior_point_first(built, {})  # 96 snapshots: the simplex is quick
    monkeypatch.setattr(warm_start, "MIN_SNAPSHOTS", HOURS)
    assert solve.interior_point_first(built, {})
    assert solve.interior_point_first(built, {"time_limit": 60.0})
    assert not solve.interior_point_first(built, {"solver": "simplex"})
    dispatch = scenario(tmp_path, scenario_factory, expand=False)
    assert not solve.interior_point_first(build_model(build_inputs(dispatch)), {})


def test_cold_ipm_reaches_the_hand_optimum_with_a_basis(
    tmp_path, scenario_factory, monkeypatch, ipm_runs
):
    monkeypatch.setattr(warm_start, "MIN_SNAPSHOTS", HOURS)
    ds = restvarme.run(scenario(tmp_path, scenario_factory), warm_start=False)
    assert len(ipm_runs) == 1
    ipm_iterations, _, simplex_iterations = ipm_runs[0]
    assert ipm_iterations > 0 and simplex_iterations == 0  # no simplex fallback was needed
    assert float(ds["capacity_new"].sel(unit="tank")) == pytest.approx(10.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(21_600.0, rel=1e-9)
    simplex = restvarme.run(
        scenario(tmp_path, scenario_factory),
        warm_start=False,
        solver_options={"solver": "simplex"},
    )
    assert len(ipm_runs) == 1  # a chosen solver is kept
    assert ds.attrs["objective_eur"] == pytest.approx(simplex.attrs["objective_eur"], rel=1e-9)


def test_warm_starts_keep_the_simplex(tmp_path, scenario_factory, monkeypatch, ipm_runs):
    monkeypatch.setattr(warm_start, "MIN_SNAPSHOTS", HOURS)
    ds = restvarme.run(scenario(tmp_path, scenario_factory), warm_start=True)
    assert "warm_start" in ds.attrs["timings_s"]
    assert ipm_runs == []
    assert ds.attrs["objective_eur"] == pytest.approx(21_600.0, rel=1e-9)
