"""Re-solving in place: each case's objective equals a full rebuild's, from a warm basis."""

from __future__ import annotations

import pytest
from sweep_files import write_plan_base, write_sweep

import restvarme
from restvarme.scenario.load import ScenarioFile
from restvarme.scenario.schema import Scenario
from restvarme.sweep.design import case_table, case_values
from restvarme.sweep.resolve import Resolver, run_resolved
from restvarme.sweep.spec import apply_case, load_sweep

SWEEP = """\
base: scenario.yaml
design: {kind: latin_hypercube, cases: 4, seed: 1}
parameters:
  carbon_price_eur_per_t: {range: [0, 150]}
  fuels.gas.price_eur_per_mwh: {values: [20, 35]}
  waste_heat.dc.available_mw: {values: [3, 5]}
  units.gas_boiler.efficiency: {values: [0.8, 0.95]}
  networks.main.demand.series_mw: {values: [8, 10]}
"""
"""Costs (carbon, gas), a bound (the data centre's heat), a coefficient (the boiler's
efficiency) and right-hand sides (the demand) drawn together: 4 cases of one structure."""


def scenarios(tmp_path):
    write_plan_base(tmp_path)
    sweep = load_sweep(write_sweep(tmp_path, SWEEP))
    table = case_table(sweep.spec)
    for case in table.index:
        data = apply_case(sweep, case_values(table, int(case)))
        yield ScenarioFile(Scenario.model_validate(data), sweep.base.path, sweep.base.base_dir)


def test_each_resolved_objective_equals_a_full_rebuilds_to_1e_9(tmp_path):
    resolver = Resolver()
    cases = list(scenarios(tmp_path))
    for sf in cases:
        resolved = run_resolved(sf, resolver)
        rebuilt = restvarme.run(sf)
        a, b = resolved.attrs["objective_eur"], rebuilt.attrs["objective_eur"]
        assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), (a, b)
        assert float(resolved["cost_eur"].sum()) == pytest.approx(b, rel=1e-9)
    # one model handed over, every other case changed in place and solved from its basis
    assert (resolver.cold, resolver.warm) == (1, len(cases) - 1)


def test_a_case_of_another_structure_is_solved_from_scratch(tmp_path):
    resolver = Resolver()
    sf = next(scenarios(tmp_path))
    run_resolved(sf, resolver)
    # a 6-hour horizon: more columns and rows, so no in-place change
    data = sf.scenario.model_dump(mode="python", exclude_unset=True)
    data["horizon"] = {"hours": 6}
    other = ScenarioFile(Scenario.model_validate(data), sf.path, sf.base_dir)
    ds = run_resolved(other, resolver)
    assert (resolver.cold, resolver.warm) == (2, 0)
    assert ds.attrs["objective_eur"] == pytest.approx(restvarme.run(other).attrs["objective_eur"])


def test_a_sweep_with_resolve_gives_the_hand_calculated_table(tmp_path):
    pytest.importorskip("pyarrow")
    import pandas as pd
    from sweep_files import FACTORIAL
    from test_sweep_execute import hand_calculation

    from restvarme.sweep.execute import run_sweep

    write_plan_base(tmp_path)
    sweep = load_sweep(write_sweep(tmp_path, FACTORIAL))
    run_sweep(sweep, tmp_path / "out", processes=0, progress=False, resolve=True)
    table = pd.read_parquet(tmp_path / "out" / "results.parquet")
    for _, row in table.iterrows():
        expected = hand_calculation(
            row["carbon_price_eur_per_t"], row["fuels.gas.price_eur_per_mwh"]
        )
        for name, value in expected.items():
            assert row[name] == pytest.approx(value, abs=1e-6), name
