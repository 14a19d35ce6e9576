"""Tiny scenarios and checks shared by the run-folder tests (importable as `run_folders`).

``HEAT`` has a gas boiler and a waste-heat source with a heat exchanger (so that every reader,
waste-heat-value too, has something to read); ``COOLING`` adds a cooling network, whose run
writes two CSVs that ``HEAT``'s does not.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from typer.testing import CliRunner

HEAT = """\
name: Tiny heat
horizon: {hours: 6}
location: {name: Tiny, outdoor_temperature_c: 0}
electricity: {price_eur_per_mwh: 40, export_allowed: false}
fuels: {gas: {price_eur_per_mwh: 20, emission_t_per_mwh: 0.2}}
networks:
  main:
    supply_temperature_c: 70
    return_temperature_c: 40
    demand: {series_mw: 10}
waste_heat:
  w: {available_mw: 2, temperature_c: 90, price_eur_per_mwh: 2}
units:
  - {name: boiler, type: boiler, fuel: gas, sink: main, capacity_mw: 20, efficiency: 0.8}
  - {name: hx, type: heat_exchanger, source: w, sink: main, capacity_mw: 2}
"""

COOLING = (
    HEAT.replace("name: Tiny heat", "name: Tiny cooling")
    + """\
  - {name: ch, type: chiller, sink: dc, capacity_mw: 20}
cooling_networks:
  dc: {supply_temperature_c: 6, return_temperature_c: 16, demand: {series_mw: 5}}
"""
)

COOLING_ONLY_FILES = {"cooling_networks.csv", "hourly_cooling_mw.csv"}

READERS = ("accounts", "waste-heat-value", "report", "compare")
"""The commands that read a run folder."""


def invoke_reader(reader: str, folder: Path, good: Path, scratch: Path):
    """Run one reading command on ``folder`` in-process (``good``: a complete run folder that
    ``compare`` compares it with); return typer's result."""
    from restvarme.cli import app

    argv = {
        "accounts": ["accounts", str(folder)],
        "waste-heat-value": ["waste-heat-value", str(folder)],
        "report": ["report", str(folder), "--out", str(scratch / "report.html"), "--quiet"],
        "compare": ["compare", str(good), str(folder), "--no-html", "--quiet"],
    }[reader]
    return CliRunner().invoke(app, argv, env={"COLUMNS": "200"})


def assert_rejected(result, reader: str) -> None:
    """Exit code 2 with restvarme's message about the folder, and no traceback."""
    shown = "".join(traceback.format_exception(result.exception)) if result.exception else ""
    assert result.exit_code == 2, f"{reader}: exit {result.exit_code}\n{result.output}\n{shown}"
    assert isinstance(result.exception, SystemExit), f"{reader}: {shown}"
    assert "Traceback" not in result.output
    assert any(
        text in result.output
        for text in ("incomplete run folder", "not a run folder", "no such run folder")
    ), f"{reader}: {result.output}"
