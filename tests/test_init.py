"""`restvarme init`: a new scenario folder that stands alone, validates and runs; the template is
docs/scenario.md's "Full example", word for word."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import restvarme
from restvarme.cli import app
from restvarme.scaffold import TEMPLATE, ScaffoldError, new_scenario_folder

runner = CliRunner()
DOCS = Path(__file__).parents[1] / "docs" / "scenario.md"


def test_the_docs_full_example_is_the_template():
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("## Full example")
    block = text[text.index("```yaml\n", start) + len("```yaml\n") :]
    block = block[: block.index("```")]
    template = (TEMPLATE / "scenario.yaml").read_text(encoding="utf-8")
    without_comments = "".join(
        line for line in template.splitlines(keepends=True) if not line.startswith("#")
    )
    assert block == without_comments


def test_init_writes_a_folder_that_validates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "malmo_2035"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "malmo_2035"
    assert sorted(p.name for p in folder.iterdir()) == ["SOURCES.md", "scenario.yaml", "series"]
    sf = restvarme.load(folder)  # validates, series included
    assert sf.scenario.name == "malmo_2035"
    assert len(sf.scenario.units) == 14
    # the template's comments are kept for the reader
    assert (folder / "scenario.yaml").read_text(encoding="utf-8").startswith("# A restvarme")


def test_init_from_an_example_copies_what_it_reads_from_other_folders(tmp_path):
    # lund_2030 reads its electricity price from ../lund/series: the copy takes the file along
    folder = new_scenario_folder(tmp_path / "my_pathway", example="lund_2030")
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    assert "../" not in text
    price = yaml.safe_load(text)["electricity"]["price_eur_per_mwh"]
    assert price == "series/spot_price_se4_synthetic.csv"
    assert (folder / price).is_file()
    assert restvarme.load(folder).scenario.name == "my_pathway"


def test_init_refuses_an_existing_folder_and_an_unknown_example(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_scenario_folder(tmp_path / "taken")
    assert (tmp_path / "taken" / "notes.txt").read_text(encoding="utf-8") == "mine"
    result = runner.invoke(app, ["init", str(tmp_path / "x"), "--from", "atlantis"])
    assert result.exit_code == 2
    assert "no built-in example called 'atlantis'" in result.output
    assert "lund" in result.output


@pytest.mark.slow
def test_the_template_runs_for_a_year_with_all_demand_met(tmp_path):
    folder = new_scenario_folder(tmp_path / "city")
    ds = restvarme.run(folder)
    assert ds.attrs["status"] == "optimal"
    assert float(ds["unserved_heat_mwh"].sum()) < 1e-6
    assert float(ds["unserved_cooling_mwh"].sum()) < 1e-6
