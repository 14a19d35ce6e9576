"""``restvarme report`` and ``restvarme compare`` through typer, on an app of their own."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from restvarme.cli_report import register

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_report_html_default_path(tiny_run):
    _, run_dir = tiny_run
    result = runner.invoke(make_app(), ["report", str(run_dir), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["report"] == str(run_dir / "report.html")
    assert info["bytes"] > 4_000_000  # plotly embedded


@pytest.mark.slow  # images
def test_report_images_with_matplotlib(short_runs, tmp_path):
    pytest.importorskip("matplotlib")
    _, run_dir = short_runs[0]
    args = [
        "report",
        str(run_dir),
        "--format",
        "svg",
        "--engine",
        "matplotlib",
        "--out",
        str(tmp_path / "img"),
    ]
    result = runner.invoke(make_app(), [*args, "--chart", "dispatch_main", "--chart", "sankey"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())  # the console wraps long paths
    assert "1 SVG images written" in said and "left out: sankey" in said
    assert (tmp_path / "img" / "dispatch_main.svg").stat().st_size > 1000
    result = runner.invoke(make_app(), [*args, "--chart", "nowhere"])
    assert result.exit_code == 2 and "no chart named nowhere" in result.output


@pytest.mark.slow  # the command end to end; the page's numbers are test_report_compare.py's
def test_compare_prints_table_and_writes_html(short_runs, tmp_path):
    dirs = [str(d) for _, d in short_runs]
    out = tmp_path / "cmp.html"
    result = runner.invoke(make_app(), ["compare", *dirs, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "Emissions per kWh of heat and cooling" in result.stdout and "Lund 2 weeks" in result.stdout
    )
    assert "CO2e/kWh]" in result.stdout  # units in brackets survive rich's markup
    assert out.stat().st_size > 4_000_000
    result = runner.invoke(make_app(), ["compare", *dirs, "--json", "--no-html"])
    data = json.loads(result.stdout)
    assert set(data["runs"]) == {"Lund 2 weeks", "Lund 2 weeks without ESS heat pumps"}
    assert data["html"] is None


def test_not_a_run_folder_exits_2(tmp_path):
    result = runner.invoke(make_app(), ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "no results.nc" in result.output


def test_report_after_run_and_registration_on_the_main_app(tiny_run, tmp_path):
    from restvarme.cli import app
    from restvarme.cli_report import report_after_run

    ds, run_dir = tiny_run
    path = report_after_run(run_dir, ds, quiet=True)
    assert path == run_dir / "report.html" and "Tiny cooling" in path.read_text()
    if "report" not in [c.name for c in app.registered_commands]:
        register(app)  # what cli.py does (or will): no clash with its own commands
    names = [c.name for c in app.registered_commands]
    assert names.count("report") == 1 and names.count("compare") == 1
