"""The sweep report (charts from the table, offline, escaped) and `restvarme sweep`."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from plotly.offline import get_plotlyjs
from sweep_files import FACTORIAL, write_base, write_plan_base, write_sweep
from typer.testing import CliRunner

from restvarme.cli import app
from restvarme.sweep.report import build_sweep_report, tornado_table

pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def plan_sweep(tmp_path_factory):
    """The 4-case factorial sweep on write_plan_base's scenario, run by the command line."""
    folder = tmp_path_factory.mktemp("plan")
    write_plan_base(folder)
    write_sweep(folder, FACTORIAL)
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            str(folder / "sweep.yaml"),
            "--processes",
            "0",
            "-q",
            "--out",
            str(folder / "out"),
        ],
    )
    return folder, result


def test_the_command_writes_table_report_and_summary(plan_sweep):
    folder, result = plan_sweep
    assert result.exit_code == 0, result.output
    assert "4 cases: 4 run now, 0 done before, 0 failed" in result.output
    table = pd.read_parquet(folder / "out" / "results.parquet")
    # hand calculation in test_sweep_execute.hand_calculation: 600, 850, 920, 920 EUR
    assert list(table["total_cost_eur"].round(6)) == [600, 850, 920, 920]
    page = (folder / "out" / "report.html").read_text(encoding="utf-8")
    for key in ("tornado", "scatter", "waste-heat-value", "capacity"):
        assert f'data-chart="{key}"' in page
    # offline: plotly's JavaScript is in the page, no script is loaded from elsewhere
    assert get_plotlyjs() in page
    assert not re.findall(r"<script[^>]*\ssrc=", page)


def test_running_again_runs_nothing(plan_sweep):
    folder, _ = plan_sweep
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            str(folder / "sweep.yaml"),
            "--processes",
            "0",
            "-q",
            "--out",
            str(folder / "out"),
        ],
    )
    assert result.exit_code == 0
    assert "4 cases: 0 run now, 4 done before, 0 failed" in result.output


def test_tornado_bars_are_the_means_at_each_end_of_a_parameter(plan_sweep):
    folder, _ = plan_sweep
    t = tornado_table(pd.read_parquet(folder / "out" / "results.parquet"))
    # carbon 0: cases 600 and 850 (mean 725); carbon 100: 920 and 920 -> swing 195
    # gas 20: 600 and 920 (760); gas 30: 850 and 920 (885) -> swing 125
    assert list(t.index) == ["carbon_price_eur_per_t", "fuels.gas.price_eur_per_mwh"]
    assert t.loc["carbon_price_eur_per_t"].tolist() == [725.0, 920.0, 195.0]
    assert t.loc["fuels.gas.price_eur_per_mwh"].tolist() == [760.0, 885.0, 125.0]


def test_texts_in_the_report_are_escaped(plan_sweep):
    folder, _ = plan_sweep
    table = pd.read_parquet(folder / "out" / "results.parquet")
    table.loc[3, ["status", "error"]] = ["failed", "<script>alert(1)</script>"]
    page = build_sweep_report(table, name="<b>x</b>", base="<i>", design="factorial")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<b>x</b>" not in page


def test_a_bad_sweep_file_exits_2_with_the_located_problem(tmp_path):
    write_base(tmp_path)
    path = write_sweep(tmp_path, "base: scenario.yaml\nparameters:\n  carbon_pric: {values: [1]}\n")
    result = CliRunner().invoke(app, ["sweep", str(path), "--processes", "0"])
    assert result.exit_code == 2
    assert "sweep.yaml:3: parameters.carbon_pric: the base scenario has no key 'carbon_pric'" in (
        " ".join(result.output.split())
    )
