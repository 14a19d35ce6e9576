"""The scenario's ``solver`` section (restvarme.scenario.solver): validated where it is written,
translated to the solver's option names, used by ``run`` and ``operate``, overridden by the
option given from the command line or Python; and unit commitment refused in a pathway where
it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import restvarme
from restvarme.cli import app
from restvarme.errors import ScenarioError, SolveError
from restvarme.model.solve import solver_options
from restvarme.operate import operate
from restvarme.scenario.load import load_scenario
from tiny_scenarios import SCENARIO_YAML, make_scenario

SCENARIO_LINES = len(SCENARIO_YAML.splitlines())


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("gap", "expected"), [("1.5", "expected a number < 1"), ("1", "expected a number < 1"),
                          ("-0.1", "expected a number >= 0")]
)  # fmt: skip
def test_a_gap_outside_zero_to_one_is_refused_where_it_is_written(tmp_path, gap, expected):
    path = _write(tmp_path, SCENARIO_YAML + f"solver:\n  mip_rel_gap: {gap}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.path == ("solver", "mip_rel_gap")
    assert problem.file == path.resolve()
    assert problem.line == SCENARIO_LINES + 2  # the line after `solver:`
    assert expected in problem.message
    text = " ".join(CliRunner().invoke(app, ["validate", str(path)]).output.split())
    assert f"scenario.yaml:{SCENARIO_LINES + 2}: solver.mip_rel_gap: got {gap}" in text


def test_an_unknown_solver_key_names_the_valid_ones(tmp_path):
    path = _write(tmp_path, SCENARIO_YAML + "solver:\n  mip_gap: 0.01\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.path == ("solver", "mip_gap")
    assert problem.suggestion == "mip_rel_gap"


def test_the_section_is_translated_to_each_solvers_option_names():
    given = {"mip_rel_gap": 0.001, "time_limit_s": 60.0}
    assert solver_options("highs", given) == {"mip_rel_gap": 0.001, "time_limit": 60.0}
    assert solver_options("gurobi", given) == {"MIPGap": 0.001, "TimeLimit": 60.0}
    # an option given by name wins over the scenario's
    assert solver_options("highs", given, {"mip_rel_gap": 0.05, "solver": "ipm"}) == {
        "mip_rel_gap": 0.05,
        "time_limit": 60.0,
        "solver": "ipm",
    }
    assert solver_options("highs", {}) is None
    assert solver_options("glpk", {}, {"x": 1}) == {"x": 1}
    with pytest.raises(SolveError, match=r"solver\.mip_rel_gap .* for highs and gurobi only"):
        solver_options("glpk", {"mip_rel_gap": 0.01})


# --- the gap, asked in the scenario, on a hand-solved commitment case ---------------------------

FUELS = {
    "gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.0},
    "wood": {"price_eur_per_mwh": 25.0, "emission_t_per_mwh": 0.0},
    "oil": {"price_eur_per_mwh": 50.0, "emission_t_per_mwh": 0.0},
}


def _boiler(name: str, fuel: str, **commitment) -> dict:
    unit = {"name": name, "type": "boiler", "fuel": fuel, "sink": "main", "capacity_mw": 20,
            "efficiency": 1.0}  # fmt: skip
    return {**unit, "commitment": commitment} if commitment else unit


def _two_committed(solver: dict | None = None):
    # Demand 10 MW for 4 h. Boiler A: 20 EUR/MWh, 300 EUR per start; boiler B: 25 EUR/MWh, no
    # start-up cost; both 20 MW, at least 10 MW while on (min load 0.5), off before hour 0; a
    # peak boiler at 50 EUR/MWh without commitment. Both on in one hour would make 20 MW
    # against a demand of 10: one of them per hour.
    #   MILP: A k hours (started once), B the others: 300 + 200k + 250(4 - k) = 1300 - 50k,
    #         at best 1100 (k = 4); B alone 4 · 250 = 1000 EUR: the optimum; peak 2000 EUR.
    #   LP relaxation: A's status s constant over the hours (one start of s), A's heat q <=
    #         20 s, B the rest: 4 (20 q + 25 (10 - q)) + 300 q / 20 = 1000 - 5 q, least at
    #         q = 10 (s = 0.5): 950 EUR.
    extra = {} if solver is None else {"solver": solver}
    network = {"supply_temperature_c": 70.0, "return_temperature_c": 40.0,
               "demand": {"series_mw": 10.0}}  # fmt: skip
    units = [
        _boiler("a", "gas", min_load_share=0.5, startup_cost_eur=300),
        _boiler("b", "wood", min_load_share=0.5),
        _boiler("peak", "oil"),
    ]
    return make_scenario(fuels=FUELS, networks={"main": network}, units=units, **extra)


def test_a_tight_gap_from_the_scenario_reaches_the_hand_optimum():
    results = restvarme.run(_two_committed({"mip_rel_gap": 0.0}))
    assert results.attrs["objective_eur"] == pytest.approx(1000.0, rel=1e-9)
    assert results.attrs["mip_relaxation_objective_eur"] == pytest.approx(950.0, rel=1e-9)
    assert results.attrs["mip_rel_gap"] == 0.0  # asked
    assert results.attrs["mip_gap"] <= 1e-9  # reached
    assert results["heat_mw"].sel(unit="b").values.tolist() == pytest.approx([10.0] * 4)


def test_a_loose_gap_from_the_scenario_may_stop_early_within_it():
    # Asked 0.5: HiGHS may stop at any solution within half of its objective of the bound, so
    # at most 950 / (1 - 0.5) = 1900 EUR (the peak boiler alone, 2000 EUR, is not within it);
    # never below the optimum, 1000 EUR.
    results = restvarme.run(_two_committed({"mip_rel_gap": 0.5}))
    assert results.attrs["mip_rel_gap"] == 0.5
    assert results.attrs["mip_gap"] <= 0.5
    assert 1000.0 - 1e-6 <= results.attrs["objective_eur"] <= 1900.0 + 1e-6
    assert results.attrs["mip_relaxation_objective_eur"] == pytest.approx(950.0, rel=1e-9)


def test_the_option_given_overrides_the_scenarios_gap():
    sf = _two_committed({"mip_rel_gap": 0.5})
    ds = restvarme.run(sf, solver_options={"mip_rel_gap": 0.0})
    assert ds.attrs["mip_rel_gap"] == 0.0
    assert ds.attrs["objective_eur"] == pytest.approx(1000.0, rel=1e-9)
    op = operate(sf, horizon_h=4, step_h=4, mip_rel_gap=0.0)
    assert op.results.attrs["operate_mip_rel_gap"] == 0.0
    assert op.windows["planned_objective_eur"].tolist() == pytest.approx([1000.0])
    assert operate(sf, horizon_h=4, step_h=4).results.attrs["operate_mip_rel_gap"] == 0.5


def test_a_time_limit_from_the_scenario_reaches_the_solve():
    # 60 s is far more than the tiny case needs: the same optimum, the limit passed on.
    results = restvarme.run(_two_committed({"mip_rel_gap": 0.0, "time_limit_s": 60.0}))
    assert results.attrs["objective_eur"] == pytest.approx(1000.0, rel=1e-9)


# --- commitment in a pathway: refused where it is written ---------------------------------------

COMMITTED = """\
units:
  - name: boiler
    type: boiler
    fuel: gas
    sink: main
    capacity_mw: 30
    commitment:
      min_load_share: 0.3
"""
PATHWAY = "pathway:\n  periods:\n    - year: 2030\n    - year: 2040\n"


def test_commitment_in_a_pathway_is_refused_at_its_block(tmp_path):
    path = _write(tmp_path, SCENARIO_YAML + COMMITTED + PATHWAY)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.path == ("units", 0, "commitment")
    assert problem.line == SCENARIO_LINES + 7  # `commitment:`
    assert "one-year dispatch (`restvarme run`, `restvarme operate`)" in problem.message


def test_a_pathway_change_to_a_commitment_block_is_refused_at_the_change(tmp_path):
    plain = COMMITTED.replace("    commitment:\n      min_load_share: 0.3\n", "")
    change = "      changes:\n        units.boiler.commitment: {min_load_share: 0.3}\n"
    path = _write(tmp_path, SCENARIO_YAML + plain + PATHWAY + change)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.path == (
        "pathway", "periods", 1, "changes", "units.boiler.commitment"
    )  # fmt: skip
    assert problem.message.startswith("in 2040: a change to a `commitment` block")
    assert problem.line == len((SCENARIO_YAML + plain + PATHWAY).splitlines()) + 2


def test_a_mip_stopped_by_its_time_limit_keeps_its_solution(monkeypatch):
    # HiGHS is made to say that the MIP (its second run in the instance, after the relaxation)
    # stopped at its time limit, with the solution it found in hand (here the optimum, 1000
    # EUR): the solve goes on to the LP with the statuses fixed, and reports the MIP as stopped
    # by the limit, with the gap it reached.
    from restvarme.inputs.build import build_inputs
    from restvarme.model import highs
    from restvarme.model.build import build_model
    from restvarme.model.solve import solve

    said, real = [], highs.termination

    def termination(h):
        said.append(real(h))
        return "time_limit" if len(said) == 2 else said[-1]

    monkeypatch.setattr(highs, "termination", termination)
    built = build_model(build_inputs(_two_committed()))
    solved = solve(built, options={"mip_rel_gap": 0.0, "time_limit": 60.0})
    assert said == ["optimal", "optimal"]  # the relaxation, the MIP
    assert solved.mip is not None and solved.mip.time_limited
    assert solved.objective_eur == pytest.approx(1000.0, rel=1e-9)
    assert solved.mip.relaxation_objective_eur == pytest.approx(950.0, rel=1e-9)
