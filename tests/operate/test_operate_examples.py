"""Operation of a built-in example year (slow: full years)."""

from __future__ import annotations

import numpy as np
import pytest

from restvarme.operate import operate


@pytest.mark.slow
def test_the_lund_year_in_one_window_is_the_run(lund_year):
    # One window over the 8,760 hours, perfect forecasts, stores (heat, hydrogen, biogas)
    # starting where `run`'s cyclic year starts: the same LP optimum, then re-dispatched with
    # the levels fixed: `run`'s objective (to HiGHS's tolerances on a year-long LP) and its
    # variables. (The split of heat between units need not be the same: the optimum is not
    # unique, several units cost the same in many hours.)
    op = operate(lund_year.scenario, horizon_h=8760, step_h=8760)
    expected = lund_year.results
    assert op.results.attrs["objective_eur"] == pytest.approx(
        expected.attrs["objective_eur"], rel=1e-7
    )
    assert set(op.results.data_vars) == set(expected.data_vars)
    np.testing.assert_allclose(
        op.results["heat_demand_mwh"].values, expected["heat_demand_mwh"].values, rtol=1e-12
    )
    assert float(op.results["unserved_heat_mwh"].sum()) == pytest.approx(
        float(expected["unserved_heat_mwh"].sum()), abs=1e-3
    )
