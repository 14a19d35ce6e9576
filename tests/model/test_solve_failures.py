"""Model-level failures become restvarme errors that say what to look at (issue 12): HiGHS
refusing a model, a solver failing, a time limit, numeric trouble. From the CLI: exit code 2 and
no traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from restvarme.errors import SolveError
from restvarme.inputs.build import build_inputs
from restvarme.model import highs
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from tiny_scenarios import GAS_BOILER

runner = CliRunner()


@pytest.fixture
def inputs(scenario_factory):
    return build_inputs(scenario_factory(units=[GAS_BOILER]))


def test_a_model_highs_refuses_names_the_largest_numbers_and_their_keys(inputs):
    # Validation stops 1e300 GWh (restvarme.scenario.limits); a model built past it, as the
    # Python API allows, once failed with a RuntimeError from the hand-over.
    inputs["heat_demand_mw"] = inputs["heat_demand_mw"] * 1e300
    with pytest.raises(SolveError) as info:
        solve(build_model(inputs))
    text = str(info.value)
    assert "HiGHS refused the model" in text
    assert (
        "right-hand sides: all 1e+301 in magnitude, e.g. heat_balance[main, 2030-01-01 00:00]"
        in text
    )
    assert "(networks.main)" in text
    assert "objective coefficients: largest 5e+03 at unserved_heat[main" in text
    assert "smallest 25 at boiler_heat[gas_boiler, 2030-01-01 00:00] (units.gas_boiler)" in text


def test_a_time_limit_says_which_option_to_raise(inputs, monkeypatch):
    monkeypatch.setattr(highs, "result", _ending(highs, "time_limit"))
    with pytest.raises(SolveError) as info:
        solve(build_model(inputs), options={"time_limit": 5})
    text = str(info.value)
    assert "stopped at its time limit (5 s) before it found an optimum" in text
    assert "time_limit" in text and "horizon.resolution_h" in text


def test_an_interrupted_solve_says_so_and_nothing_else(inputs, monkeypatch, caplog):
    # HiGHS interrupted at its first simplex check, as Ctrl-C does (highspy's callback):
    # restvarme's message only, no limit to raise, and no status report of linopy's on the log
    run = highs.run

    def interrupted(h):
        h.cbSimplexInterrupt.subscribe(lambda event: event.interrupt())
        run(h)

    monkeypatch.setattr(highs, "run", interrupted)
    with pytest.raises(SolveError) as info:  # presolve would solve the model without a check
        solve(build_model(inputs), options={"presolve": "off"})
    assert str(info.value) == (
        "highs was interrupted (Ctrl-C) before it found an optimum; nothing was written"
    )
    assert "potentially failed" not in caplog.text and not caplog.records


def test_numeric_trouble_names_the_range_of_the_models_numbers(inputs, monkeypatch):
    monkeypatch.setattr(highs, "result", _ending(highs, "unknown"))
    with pytest.raises(SolveError) as info:
        solve(build_model(inputs))
    text = str(info.value)
    assert "ended with 'unknown' and no optimal solution" in text and "numeric trouble" in text
    assert "variable bounds: all 20 in magnitude, e.g. boiler_heat[gas_boiler" in text


def test_a_solver_that_fails_is_a_solve_error(inputs, monkeypatch):
    def boom(*args, **kwargs):
        raise ValueError("something deep in the solver")

    monkeypatch.setattr(highs, "run", boom)
    with pytest.raises(SolveError) as info:
        solve(build_model(inputs))
    assert "highs failed (ValueError: something deep in the solver)" in str(info.value)
    assert "constraint coefficients" in str(info.value)


def test_the_cli_exits_2_without_a_traceback_on_a_model_failure(tmp_path, monkeypatch):
    from restvarme.cli import app
    from test_cli import TINY

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    monkeypatch.setattr(highs, "result", _ending(highs, "time_limit"))
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "time limit" in result.output
    assert not (tmp_path / "out" / "results.nc").exists()


def _ending(module, termination: str):
    """``highs.result`` as if HiGHS had ended with ``termination`` and no solution."""
    from linopy.constants import Result, Status, TerminationCondition

    original = module.result

    def result(model, handed):
        out = original(model, handed)
        condition = TerminationCondition(termination)
        return Result(Status.from_termination_condition(condition), None, out.solver_model)

    return result
