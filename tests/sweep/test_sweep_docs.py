"""docs/sweep.md: its worked example's sweep file runs as shipped and gives the table shown.

The table between the ``<!-- sweep-example -->`` markers is :func:`example_table` of the run;
after a change that moves the Lund example, regenerate it with
``PYTHONPATH=src:tests:tests/sweep python tests/sweep/test_sweep_docs.py``.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "sweep.md"
MARK = "<!-- sweep-example -->"


def doc_sweep_file() -> str:
    """The first ```yaml block of docs/sweep.md: the worked example's sweep file."""
    match = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match is not None
    return match.group(1)


def example_table(table: pd.DataFrame) -> str:
    """The worked example's results as the markdown table docs/sweep.md shows."""
    lines = [
        "| case | carbon price [EUR/t] | wood chips [EUR/MWh] | total cost [MEUR] | "
        "emissions [t CO2e] | heat cost [EUR/MWh] | ESS 28 °C heat worth [EUR/MWh] |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case, row in table.iterrows():
        lines.append(
            f"| {case} | {row['carbon_price_eur_per_t']:.0f} "
            f"| {row['fuels.wood_chips.price_eur_per_mwh']:.0f} "
            f"| {row['total_cost_eur'] / 1e6:,.2f} | {row['emissions_t']:,.0f} "
            f"| {row['heat_cost_eur_per_mwh']:.1f} "
            f"| {row['waste_heat_value_eur_per_mwh.ess_28c']:.1f} |"
        )
    return "\n".join(lines)


def shown_table() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split(MARK)[1].strip()


def run_example(folder: Path) -> pd.DataFrame:
    from restvarme.sweep.execute import run_sweep
    from restvarme.sweep.spec import load_sweep

    path = folder / "sweep.yaml"
    path.write_text(doc_sweep_file(), encoding="utf-8")
    done = run_sweep(load_sweep(path), folder / "out", processes=0, progress=False)
    assert done.failed == 0
    return pd.read_parquet(folder / "out" / "results.parquet")


@pytest.mark.slow
def test_the_worked_example_runs_as_shipped_and_gives_the_table_shown(tmp_path):
    pytest.importorskip("pyarrow")
    assert example_table(run_example(tmp_path)) == shown_table()


if __name__ == "__main__":
    import tempfile

    folder = Path(tempfile.mkdtemp())
    table = example_table(run_example(folder))
    head, _, tail = DOC.read_text(encoding="utf-8").partition(MARK)
    _, _, rest = tail.partition(MARK)
    DOC.write_text(f"{head}{MARK}\n{table}\n{MARK}{rest}", encoding="utf-8")
    shutil.rmtree(folder)
    sys.stdout.write(table + "\n")
