"""Case tables: factorial order, sampled designs reproducible by seed, LHS stratified."""

from __future__ import annotations

import numpy as np
import pytest

from restvarme.sweep.design import case_key, case_table
from restvarme.sweep.spec import SweepSpec


def spec(design: dict, parameters: dict) -> SweepSpec:
    return SweepSpec.model_validate({"base": "x", "design": design, "parameters": parameters})


def test_factorial_is_every_combination_first_parameter_slowest():
    table = case_table(
        spec(
            {"kind": "factorial"},
            {"a": {"values": [1, 2]}, "b": {"range": [0, 10], "num": 3}},
        )
    )
    assert table.index.name == "case"
    assert table.to_dict("list") == {"a": [1, 1, 1, 2, 2, 2], "b": [0, 5, 10, 0, 5, 10]}


LHS = {"kind": "latin_hypercube", "cases": 20, "seed": 3}
PARAMETERS = {
    "a": {"range": [100, 200]},
    "b": {"distribution": "norm", "params": {"loc": 50, "scale": 10}},
    "c": {"series": ["y2019.csv", "y2020.csv"]},
}


@pytest.mark.parametrize("kind", ["latin_hypercube", "monte_carlo"])
def test_sampled_designs_are_reproducible_by_seed(kind):
    one = case_table(spec({**LHS, "kind": kind}, PARAMETERS))
    again = case_table(spec({**LHS, "kind": kind}, PARAMETERS))
    other = case_table(spec({**LHS, "kind": kind, "seed": 4}, PARAMETERS))
    assert one.equals(again)
    assert not one["a"].equals(other["a"])
    assert len(one) == 20


def test_latin_hypercube_puts_one_case_in_each_stratum_of_every_parameter():
    table = case_table(spec(LHS, PARAMETERS))
    # a: uniform on [100, 200]: 20 strata of width 5, each holding exactly one case
    assert sorted(((table["a"] - 100) // 5).astype(int)) == list(range(20))
    # b: normal(50, 10): its CDF puts each case in its own twentieth
    import scipy.stats  # about 1 CPU s: imported by the test that uses it, not at collection

    cdf = scipy.stats.norm(50, 10).cdf(table["b"])
    assert sorted((cdf * 20).astype(int)) == list(range(20))
    # c: two series, each drawn in half of the strata: 10 cases each
    assert table["c"].value_counts().to_dict() == {"y2019.csv": 10, "y2020.csv": 10}


def test_monte_carlo_is_not_stratified_but_within_range():
    table = case_table(spec({**LHS, "kind": "monte_carlo", "cases": 200}, PARAMETERS))
    assert table["a"].between(100, 200).all()
    strata = ((table["a"] - 100) // 0.5).astype(int)
    assert strata.duplicated().any()  # 200 independent draws in 200 strata: some share one


def test_case_keys_change_with_the_base_and_the_values_only():
    assert case_key("base1", {"a": 1.0, "b": "x"}) == case_key("base1", {"b": "x", "a": 1.0})
    assert case_key("base1", {"a": 1.0}) != case_key("base2", {"a": 1.0})
    assert case_key("base1", {"a": 1.0}) != case_key("base1", {"a": np.float64(1.5)})
