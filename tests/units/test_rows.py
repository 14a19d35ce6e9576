"""Rows gathered per group from label arrays (restvarme.units._rows), checked by hand."""

from __future__ import annotations

import linopy
import numpy as np
import pandas as pd

from restvarme.units._rows import gathered


def test_gathered_rows_hold_their_members_and_drop_empty_terms():
    m = linopy.Model()
    x = m.add_variables(lower=0, coords=[pd.RangeIndex(2, name="t"), pd.RangeIndex(3, name="k")])
    labels = x.labels.values.copy()
    labels[:, 1] = -1  # x[:, 1] masked
    # row 0 = 2 x_0 + 3 x_1 (masked: no term), row 1 = 0 x_2 (no term) + nothing (index -1)
    index = np.array([[0, 1], [2, -1]])
    coeffs = np.array([[2.0, 3.0], [0.0, 5.0]])
    coords = {"t": pd.RangeIndex(2, name="t"), "row": pd.Index(["a", "b"], name="row")}
    expr = gathered(m, ("t", "row"), coords, [(labels, index, coeffs)], order=["row", "t"])
    assert expr.data["vars"].dims == ("row", "t", "_term")
    row_a = expr.data.sel(row="a", t=1)
    kept = row_a["vars"].values != -1
    assert row_a["vars"].values[kept].tolist() == [int(x.labels.values[1, 0])]
    assert row_a["coeffs"].values[kept].tolist() == [2.0]
    assert (expr.data.sel(row="b")["vars"].values == -1).all()
