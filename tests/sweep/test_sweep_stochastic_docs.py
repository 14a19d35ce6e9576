"""docs/sweep.md: the two-stage worked example's files run as shipped and give the table shown.

The table between the ``<!-- stochastic-example -->`` markers is :func:`example_table` of the
run; regenerate it with ``PYTHONPATH=src:tests:tests/sweep python
tests/sweep/test_sweep_stochastic_docs.py``.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "sweep.md"
FILES = "<!-- stochastic-files -->"
MARK = "<!-- stochastic-example -->"


def doc_files() -> dict[str, str]:
    """The ```yaml blocks between the files markers, by the name in their first line."""
    part = DOC.read_text(encoding="utf-8").split(FILES)[1]
    blocks = re.findall(r"```yaml\n# (\S+)\n(.*?)```", part, re.S)
    assert [name for name, _ in blocks] == ["scenario.yaml", "sweep.yaml"]
    return dict(blocks)


def example_table(plans: pd.DataFrame, headline: pd.Series) -> str:
    """The plans and the headline figures as the markdown docs/sweep.md shows."""
    lines = [
        "| plan | electric boiler [MW] | expected cost | cost of ignoring uncertainty |",
        "| --- | ---: | ---: | ---: |",
    ]
    for plan, row in plans.iterrows():
        lines.append(
            f"| {plan} | {row['capacity_new.electric_boiler.eb']:.2f} "
            f"| {row['expected_cost_eur']:,.2f} | {row['cost_of_ignoring_uncertainty_eur']:,.2f} |"
        )
    lines += [
        "",
        f"Wait and see: {headline['wait_and_see_eur']:,.2f} EUR; EVPI: "
        f"{headline['evpi_eur']:,.2f} EUR.",
    ]
    return "\n".join(lines)


def shown_table() -> str:
    return DOC.read_text(encoding="utf-8").split(MARK)[1].strip()


def run_example(folder: Path) -> str:
    from typer.testing import CliRunner

    from restvarme.cli import app

    for name, text in doc_files().items():
        (folder / name).write_text(text, encoding="utf-8")
    out = folder / "out"
    args = ["sweep", str(folder / "sweep.yaml"), "--processes", "0", "-q", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    plans = pd.read_parquet(out / "stochastic.parquet")
    headline = pd.read_json(out / "stochastic.json", typ="series")
    return example_table(plans, headline)


# the whole command with its report, as test_sweep_docs.py's worked example (also slow); the fast
# loop keeps the same hand case through the command in test_sweep_stochastic_cli.py
@pytest.mark.slow
def test_the_worked_example_runs_as_shipped_and_gives_the_table_shown(tmp_path):
    pytest.importorskip("pyarrow")
    assert run_example(tmp_path) == shown_table()


if __name__ == "__main__":
    import tempfile

    folder = Path(tempfile.mkdtemp())
    table = run_example(folder)
    head, _, tail = DOC.read_text(encoding="utf-8").partition(MARK)
    _, _, rest = tail.partition(MARK)
    DOC.write_text(f"{head}{MARK}\n{table}\n{MARK}{rest}", encoding="utf-8")
    shutil.rmtree(folder)
    sys.stdout.write(table + "\n")
