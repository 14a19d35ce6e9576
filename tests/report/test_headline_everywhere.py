"""Every headline figure of every example, recomputed from its run folder's CSVs by the written-
out definitions (tests/headline_definitions.py), equals what each place shows: key_figures.csv,
the report's cards, the compare table, `restvarme run`'s summary and `restvarme accounts`
(issue 14 item 1: one definition, one value, everywhere)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from headline_definitions import definitions_from_csv

EXAMPLES = ("lund_year", "barcelona_year", "the_hague_year")


def shown_table(text: str) -> dict[str, float]:
    """The key-figure table a command printed: label -> number shown."""
    start = text.index("Key figures")
    rows = re.findall(r"│ ([^│]+?)\s+│ ([-\d,.]+)\s+│ ([^│]+?)\s+│", text[start:])
    return {label: float(value.replace(",", "")) for label, value, _ in rows}


def assert_shown_like_cards(shown: dict[str, float], folder) -> None:
    """The printed values are the CSV definitions, scaled and rounded as the cards show them."""
    from restvarme.report.figures import FIGURE_LABELS, display_value

    table = pd.read_csv(folder / "key_figures.csv", index_col=0)
    expected = definitions_from_csv(folder)
    checked = 0
    for key in FIGURE_LABELS:
        if key not in expected or table.loc[key, "label"] not in shown:
            continue
        rounded = float(display_value(key, expected[key]).replace(",", ""))
        digits = display_value(key, expected[key]).partition(".")[2]
        assert shown[table.loc[key, "label"]] == pytest.approx(
            rounded, abs=10 ** -len(digits) + 1e-9
        ), key
        checked += 1
    assert checked >= 6  # cost, cost per MWh, emissions, intensity, waste share, heat


@pytest.fixture(scope="module")
def years(request):
    return {name: request.getfixturevalue(name) for name in EXAMPLES}


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_key_figures_csv_report_summary_and_accounts(example, years, tmp_path):
    from restvarme.cli import app, print_summary
    from restvarme.report import write_report

    year = years[example]
    expected = definitions_from_csv(year.folder)
    written = pd.read_csv(year.folder / "key_figures.csv", index_col=0)["value"]
    for key, value in expected.items():
        assert written[key] == pytest.approx(value, rel=1e-5), key
    html = write_report(year.folder, tmp_path / "report.html").read_text(encoding="utf-8")
    cards = dict(re.findall(r'data-key="([a-z_]+)" data-value="([^"]+)"', html))
    assert len(cards) >= 8
    # unserved heat from networks.csv; the fossil share needs the fuels' flags: key_figures.csv
    expected["unserved_heat_mwh"] = float(
        pd.read_csv(year.folder / "networks.csv", index_col=0)["unserved_heat_mwh"].sum()
    )
    for key, value in cards.items():
        assert float(value) == pytest.approx(expected.get(key, written[key]), rel=1e-5, abs=1e-6), (
            key
        )
    console = Console(width=200, record=True, file=io.StringIO())
    print_summary(year.results, console)
    assert_shown_like_cards(shown_table(console.export_text()), year.folder)
    result = CliRunner().invoke(app, ["accounts", str(year.folder)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert_shown_like_cards(shown_table(result.output), year.folder)


@pytest.mark.slow
def test_compare_table_of_the_three_examples(years):
    from restvarme.report.compare import compare_runs

    comparison = compare_runs([y.folder for y in years.values()])
    for label, year in zip(comparison.labels, years.values(), strict=True):
        column = comparison.table[label]
        for key, value in definitions_from_csv(year.folder).items():
            if key in column.index:
                assert column[key] == pytest.approx(value, rel=1e-5, abs=1e-9), (label, key)
