"""User strings reach report.html as text, never as markup (issue 12, item 2).

A scenario from a stranger may carry markup in every free-text field (its name, a unit's
description) and in the SOURCES.md beside it; names of units, networks and sources cannot carry
it at all (tests/scenario/test_names.py). The report escapes the first, renders Markdown with
raw HTML off and only safe link schemes, and so contains none of the payloads below as markup.
"""

from __future__ import annotations

import copy

import yaml
from typer.testing import CliRunner

from restvarme.cli import app
from tiny_scenarios import BASE, GAS_BOILER

PAYLOADS = (
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "<b onmouseover=alert(4)>x</b>",
)


def test_hostile_strings_reach_the_report_as_text(tmp_path):
    data = copy.deepcopy(BASE)
    data["name"] = "Testby " + " ".join(PAYLOADS)
    data["units"] = [{**GAS_BOILER, "description": " ".join(PAYLOADS)}]
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (tmp_path / "SOURCES.md").write_text(
        "# Sources\n\n[a](javascript:alert(5)) [b](data:text/html,x) " + " ".join(PAYLOADS),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["run", str(tmp_path / "scenario.yaml"), "--out", str(out), "--report", "-q"]
    )
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    for payload in PAYLOADS:
        assert payload not in html, payload
    for markup in (
        "<img src=x",
        "<script>alert",
        "<b onmouseover",
        '<a href="javascript',
        '<a href="data:',
    ):
        assert markup not in html, markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text


def _run_folder(tmp_path, sources: str | None):
    data = copy.deepcopy(BASE)
    data["units"] = [GAS_BOILER]
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    if sources is not None:
        (tmp_path / "SOURCES.md").write_text(sources, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["run", str(tmp_path / "scenario.yaml"), "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_report_reads_no_file_a_run_folder_names(tmp_path):
    # The report's sources come from the run folder itself (recorded when the run was made),
    # never from a path its scenario.resolved.json names: a SOURCES.md that appears beside the
    # named scenario file later is not read.
    from restvarme.report.html import write_report

    out = _run_folder(tmp_path, sources=None)
    (tmp_path / "SOURCES.md").write_text("# SECRET-OUTSIDE-THE-FOLDER\n", encoding="utf-8")
    html = write_report(out).read_text(encoding="utf-8")
    assert "SECRET-OUTSIDE-THE-FOLDER" not in html


def test_sources_recorded_at_run_time_are_shown(tmp_path):
    from restvarme.report.html import write_report

    out = _run_folder(tmp_path, sources="# Sources\n\nSMHI normals, 1961-1990.\n")
    (tmp_path / "SOURCES.md").unlink()
    html = write_report(out).read_text(encoding="utf-8")
    assert "SMHI normals, 1961-1990." in html
