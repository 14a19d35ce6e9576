"""docs/scenario.md, "pathway conventions": the worked three-period example's results table is
what `restvarme plan` gives for the scenario printed above it.

Regenerate the table after a change that moves it: ``python tests/scenario/test_docs_pathway.py``
(with the worktree's ``src`` on ``PYTHONPATH``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

DOCS = Path(__file__).parents[2] / "docs" / "scenario.md"
SCENARIO = "<!-- pathway example: scenario -->"
RESULTS = "<!-- pathway example: results -->"
END = "<!-- /pathway example -->"


def example_yaml(text: str) -> str:
    after = text[text.index(SCENARIO) :]
    match = re.search(r"```yaml\n(.*?)```", after, re.S)
    assert match is not None
    return match.group(1)


def solve(text: str, folder: Path) -> xr.Dataset:
    """The example's results, with the years each period stands for (``period_years``)."""
    import restvarme
    from restvarme.inputs.pathway import period_years

    path = folder / "three_periods.yaml"
    path.write_text(example_yaml(text), encoding="utf-8")
    sf = restvarme.load(path)
    ds = restvarme.run(sf)
    assert sf.scenario.pathway is not None
    return ds.assign(period_years=("period", period_years(sf.scenario.pathway)))


def table(ds: xr.Dataset) -> str:
    """The results table the docs show: per period, the years it stands for, its discounted
    years, the electric boiler built and in service, capital cost, emissions, cap and shadow
    carbon price; then the objective and the discounted cost items' sum."""
    rows = [
        "| period | years `n_p` | `D[p]` | eb built [MW] | eb in service [MW] | capital "
        "[EUR/yr] | emissions [t/yr] | cap [t/yr] | shadow carbon price [EUR/t] |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    emissions = ds["emissions_t"].sum([d for d in ds["emissions_t"].dims if d != "period"])
    for p in ds["period"].values:
        at = {"period": p}
        cap = float(ds["emission_cap_t"].sel(at))
        price = float(ds["shadow_carbon_price_eur_per_t"].sel(at))
        rows.append(
            f"| {p} | {int(ds['period_years'].sel(at))} "
            f"| {float(ds['period_discounted_years'].sel(at)):.4f} "
            f"| {float(ds['capacity_built'].sel(at).sel(unit='eb')):.2f} "
            f"| {float(ds['capacity_new'].sel(at).sel(unit='eb')):.2f} "
            f"| {float(ds['cost_eur'].sel(at).sel(cost_item='capital')):,.0f} "
            f"| {float(emissions.sel(at)):,.0f} "
            f"| {'none' if np.isnan(cap) else f'{cap:,.0f}'} "
            f"| {'none' if np.isnan(cap) else f'{abs(price):.2f}'} |"
        )
    objective = ds.attrs["objective_eur"]
    total = float(ds["discounted_cost_eur"].sum())
    rows += [
        "",
        f"Objective {objective:,.0f} EUR; the discounted cost items sum to {total:,.0f} EUR.",
    ]
    return "\n".join(rows)


def documented(text: str) -> str:
    return text[text.index(RESULTS) + len(RESULTS) : text.index(END)].strip()


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> xr.Dataset:
    """The docs example solved once for the module's tests (which only read it)."""
    return solve(DOCS.read_text(encoding="utf-8"), tmp_path_factory.mktemp("docs_pathway"))


def test_the_docs_table_is_what_the_example_gives(example):
    text = DOCS.read_text(encoding="utf-8")
    ds = example
    assert documented(text) == table(ds), (
        "docs/scenario.md's pathway example is out of date; regenerate it with "
        "`python tests/scenario/test_docs_pathway.py`:\n" + table(ds)
    )


def test_the_example_shows_each_convention(example):
    # What the prose around the table says of it, checked on the run (so that a change to
    # the example that no longer shows a convention fails here, not silently in the docs).
    ds = example
    built = ds["capacity_built"].sel(unit="eb").values
    assert built[1] > 0 and built[2] > 0  # a vintage in 2028 and one in 2030
    # the 3-year 2028 vintage serves 2030 (2030 < 2028 + 3)
    np.testing.assert_allclose(ds["capacity_new"].sel(unit="eb", period=2030), built[1] + built[2])
    # D[p] by hand: r = 5 %, two years per period from the base year 2026
    np.testing.assert_allclose(
        ds["period_discounted_years"], [1 + 1.05**-1, 1.05**-2 + 1.05**-3, 1.05**-4 + 1.05**-5]
    )
    total = float(ds["discounted_cost_eur"].sum())
    assert abs(total / ds.attrs["objective_eur"] - 1) < 1e-9
    # both caps bind: emissions at the cap, a positive shadow price
    emissions = ds["emissions_t"].sum([d for d in ds["emissions_t"].dims if d != "period"])
    np.testing.assert_allclose(emissions.sel(period=[2028, 2030]), [15000, 5000], rtol=1e-6)
    assert (ds["shadow_carbon_price_eur_per_t"].sel(period=[2028, 2030]) > 0).all()


if __name__ == "__main__":
    import tempfile

    text = DOCS.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        new = table(solve(text, Path(folder)))
    start, end = text.index(RESULTS) + len(RESULTS), text.index(END)
    DOCS.write_text(text[:start] + "\n" + new + "\n" + text[end:], encoding="utf-8")
    sys.stdout.write(new + "\n")
