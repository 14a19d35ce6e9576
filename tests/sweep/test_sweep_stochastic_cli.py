"""The `stochastic:` block of a sweep file and `restvarme sweep --stochastic`.

The sweep is the hand case of test_sweep_stochastic as a 2 × 2 factorial: demand 10 or 6 MW,
electricity 22 or 23.5 EUR/MWh, each case with probability 1/4. The electric boiler's capacity
costs 2 EUR/MW an hour, gas heat 25 EUR/MWh. A MW up to 6 runs in every case and saves
(3 + 1.5 + 3 + 1.5)/4 = 2.25 > 2 EUR an hour; a MW above 6 runs only with 10 MW of demand and
saves (3 + 1.5)/4 = 1.125 < 2. The stochastic plan is 6 MW:

    capital 8·6 = 48; operating (10, 22): 4·(6·22 + 4·25) = 928, (10, 23.5): 4·(6·23.5 + 100)
    = 964, (6, 22): 4·6·22 = 528, (6, 23.5): 4·6·23.5 = 564; RP = 48 + 2984/4 = 794 EUR

Each case alone: (10, 22) builds 10 MW, 80 + 880 = 960; (10, 23.5) builds 0, 1000; (6, 22)
builds 6, 48 + 528 = 576; (6, 23.5) builds 0, 600. WS = 3136/4 = 784, EVPI = 10 EUR.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sweep_files import write_base, write_sweep
from test_sweep_spec import shown
from test_sweep_stochastic import ELECTRIC_BOILER
from typer.testing import CliRunner

from restvarme.cli import app
from restvarme.sweep.spec import SweepError, load_sweep
from tiny_scenarios import GAS_BOILER

pytest.importorskip("pyarrow")

SWEEP = """\
base: scenario.yaml
parameters:
  networks.main.demand.series_mw: {values: [10, 6]}
  electricity.price_eur_per_mwh: {values: [22, 23.5]}
"""


def write_hand_base(folder):
    return write_base(
        folder,
        units=[GAS_BOILER, ELECTRIC_BOILER],
        electricity={"price_eur_per_mwh": 22.0, "export_allowed": False},
    )


def problems(tmp_path, text, **base):
    write_hand_base(tmp_path) if not base else write_base(tmp_path, **base)
    with pytest.raises(SweepError) as info:
        load_sweep(write_sweep(tmp_path, text))
    return [shown(p) for p in info.value.problems]


def test_one_probability_per_case(tmp_path):
    found = problems(tmp_path, SWEEP + "stochastic:\n  probabilities: [0.5, 0.5]\n")
    assert found == [
        "sweep.yaml:6: stochastic.probabilities: 2 probabilities for 4 cases: give one per "
        "case, in case order (factorial: the first parameter varying slowest)"
    ]


def test_probabilities_sum_to_one_and_alpha_is_below_one(tmp_path):
    found = problems(
        tmp_path,
        SWEEP + "stochastic:\n  probabilities: [0.5, 0.5, 0.5, 0.5]\n"
        "  cvar: {weight: 1, alpha: 1.0}\n",
    )
    assert any(
        p.startswith("sweep.yaml:6: stochastic.probabilities:") and "sum to 2" in p for p in found
    )
    assert any(p.startswith("sweep.yaml:7: stochastic.cvar.alpha:") for p in found)


def test_a_plan_needs_capacity_to_choose(tmp_path):
    found = problems(
        tmp_path,
        "base: scenario.yaml\nparameters:\n  carbon_price_eur_per_t: {values: [0, 100]}\n"
        "stochastic: {}\n",
        units=[GAS_BOILER],
    )
    assert len(found) == 1
    assert found[0].startswith("sweep.yaml:4: stochastic: a two-stage plan chooses capacity")


# the whole command: four cases, the plan and its report (the plan: test_sweep_stochastic.py)
@pytest.mark.slow
def test_the_command_writes_the_plans_and_the_report(tmp_path):
    write_hand_base(tmp_path)
    write_sweep(tmp_path, SWEEP + "stochastic:\n  probabilities: [0.25, 0.25, 0.25, 0.25]\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["sweep", str(tmp_path / "sweep.yaml"), "--processes", "0", "-q", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    plans = pd.read_parquet(out / "stochastic.parquet")
    assert plans.loc["stochastic", "capacity_new.electric_boiler.eb"] == pytest.approx(6.0)
    assert plans.loc["stochastic", "objective_eur"] == pytest.approx(794.0, rel=1e-9)
    assert list(plans["capacity_new.electric_boiler.eb"].iloc[1:]) == pytest.approx(
        [10.0, 0.0, 6.0, 0.0], abs=1e-9
    )
    # the cases' own runs (the sweep table) agree with each case alone: 960, 1000, 576, 600
    table = pd.read_parquet(out / "results.parquet")
    assert list(table["total_cost_eur"]) == pytest.approx([960.0, 1000.0, 576.0, 600.0])
    headline = pd.read_json(out / "stochastic.json", typ="series")
    assert headline["wait_and_see_eur"] == pytest.approx(784.0, rel=1e-9)
    assert headline["evpi_eur"] == pytest.approx(10.0, rel=1e-9)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'data-chart="stochastic"' in page
    assert "A plan that holds across futures" in page
    assert "expected value of perfect information" in result.output


def test_the_flag_without_a_block_checks_the_base(tmp_path):
    write_base(tmp_path, units=[GAS_BOILER])
    write_sweep(
        tmp_path, "base: scenario.yaml\nparameters:\n  carbon_price_eur_per_t: {values: [0, 1]}\n"
    )
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            str(tmp_path / "sweep.yaml"),
            "--stochastic",
            "--processes",
            "0",
            "-q",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2
    assert "a two-stage plan chooses capacity" in result.output
    assert not (tmp_path / "out").exists()
