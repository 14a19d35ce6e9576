"""The sweep file: located errors, key paths checked against the base scenario, confinement."""

from __future__ import annotations

from pathlib import Path

import pytest
from sweep_files import write_base, write_sweep

from restvarme.errors import Problem
from restvarme.sweep.spec import SweepError, load_sweep


def problems(tmp_path: Path, text: str) -> list[str]:
    write_base(tmp_path)
    with pytest.raises(SweepError) as info:
        load_sweep(write_sweep(tmp_path, text))
    return [shown(p) for p in info.value.problems]


def shown(p: Problem) -> str:
    """A problem as printed, its file named relative to its folder."""
    assert p.file is not None
    return str(p).removeprefix(f"{p.file.parent}/")


def test_a_good_file_loads_with_each_key_path_resolved(tmp_path):
    write_base(tmp_path)
    sweep = load_sweep(
        write_sweep(
            tmp_path,
            "base: scenario.yaml\n"
            "parameters:\n"
            "  carbon_price_eur_per_t: {values: [0, 100]}\n"
            "  units.gas_boiler.efficiency: {range: [0.7, 0.9], num: 3}\n",
        )
    )
    # units are addressed by name, set by index (the boiler is units[0])
    assert sweep.targets == {
        "carbon_price_eur_per_t": ("carbon_price_eur_per_t",),
        "units.gas_boiler.efficiency": ("units", 0, "efficiency"),
    }
    assert sweep.name == "sweep"


def test_a_key_path_that_is_not_in_the_base_names_the_missing_part_and_its_line(tmp_path):
    found = problems(
        tmp_path,
        "base: scenario.yaml\n"
        "parameters:\n"
        "  carbon_price_eur_per_t: {values: [0, 100]}\n"
        "  fuels.gass.price_eur_per_mwh: {values: [20, 30]}\n"
        "  units.boiler.capacity_mw: {values: [1]}\n"
        "  units.gas_boiler.expansion.capital_cost_eur_per_mw: {values: [1]}\n",
    )
    assert found == [
        "sweep.yaml:4: parameters.fuels.gass.price_eur_per_mwh: the base scenario has no key "
        "'gass' in fuels (did you mean 'gas'?)",
        "sweep.yaml:5: parameters.units.boiler.capacity_mw: the base scenario has no 'boiler' in "
        "units (did you mean 'gas_boiler'?)",
        "sweep.yaml:6: parameters.units.gas_boiler.expansion.capital_cost_eur_per_mw: "
        "units.gas_boiler.expansion is null (not set) in the base scenario; there is no "
        "'capital_cost_eur_per_mw' below it: set it in the base scenario first",
    ]


def test_schema_errors_are_located_with_suggestions(tmp_path):
    found = problems(
        tmp_path,
        "base: scenario.yaml\n"
        "design: {kind: latin_hypercube}\n"
        "parameters:\n"
        "  carbon_price_eur_per_t: {valuse: [0, 100]}\n",
    )
    assert any(p.startswith("sweep.yaml:2: design:") and "needs `cases:`" in p for p in found)
    assert any(p.startswith("sweep.yaml:4:") and "'values'" in p for p in found)


def test_values_are_checked_as_the_scenario_checks_them(tmp_path):
    found = problems(
        tmp_path,
        "base: scenario.yaml\nparameters:\n  carbon_price_eur_per_t: {values: [0, -100]}\n",
    )
    assert found == [
        "sweep.yaml:3: parameters.carbon_price_eur_per_t.values: with -100: got -100; "
        "expected a number >= 0"
    ]


def test_distributions_are_scipy_names_with_their_parameters(tmp_path):
    found = problems(
        tmp_path,
        "base: scenario.yaml\n"
        "design: {kind: monte_carlo, cases: 4}\n"
        "parameters:\n"
        "  carbon_price_eur_per_t: {distribution: nrom, params: {loc: 90}}\n"
        "  fuels.gas.price_eur_per_mwh: {distribution: triang, params: {loc: 20, scale: 5}}\n",
    )
    assert found == [
        "sweep.yaml:4: parameters.carbon_price_eur_per_t.distribution: 'nrom' is not a "
        "distribution of scipy.stats (did you mean 'norm'?)",
        "sweep.yaml:5: parameters.fuels.gas.price_eur_per_mwh.distribution: missing shape 'c' "
        "of scipy.stats.triang; it takes c, loc, scale",
    ]


def test_a_factorial_design_refuses_a_distribution(tmp_path):
    found = problems(
        tmp_path,
        "base: scenario.yaml\n"
        "parameters:\n"
        "  carbon_price_eur_per_t: {distribution: uniform, params: {loc: 0, scale: 100}}\n",
    )
    assert len(found) == 1
    assert found[0].startswith("sweep.yaml:3: parameters.carbon_price_eur_per_t: a distribution")
    assert "latin_hypercube or monte_carlo" in found[0]


def test_series_alternatives_are_confined_to_the_base_scenario_folder(tmp_path):
    inner = tmp_path / "city"
    inner.mkdir()
    (tmp_path / "outside.csv").write_text("price\n1\n2\n3\n4\n", encoding="utf-8")
    (inner / "price_b.csv").write_text("price\n1\n2\n3\n4\n", encoding="utf-8")
    write_base(inner)
    with pytest.raises(SweepError) as info:
        load_sweep(
            write_sweep(
                inner,
                "base: scenario.yaml\n"
                "parameters:\n"
                "  electricity.price_eur_per_mwh: {series: [price_b.csv, ../outside.csv]}\n",
            )
        )
    (p,) = info.value.problems
    assert shown(p).startswith(
        "sweep.yaml:3: parameters.electricity.price_eur_per_mwh.series: with '../outside.csv': "
        "series file '../outside.csv' is outside the scenario folder"
    )


def test_the_base_scenario_is_read_only_from_the_sweep_folder_or_the_examples(tmp_path):
    inner = tmp_path / "sweeps"
    inner.mkdir()
    write_base(tmp_path)
    with pytest.raises(SweepError) as info:
        load_sweep(
            write_sweep(inner, "base: ../scenario.yaml\nparameters:\n  year: {values: [2030]}\n")
        )
    assert "is outside the sweep file's folder" in str(info.value)
    sweep = load_sweep(write_sweep(inner, "base: lund\nparameters:\n  year: {values: [2030]}\n"))
    assert sweep.base.scenario.name.startswith("Lund")
