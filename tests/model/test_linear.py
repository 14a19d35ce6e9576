"""restvarme.model.linear builds the same expressions as linopy's own arithmetic.

Each helper is compared, term by term, with the linopy expression it replaces, on a small model
with the shapes the builders use: (snapshot, unit) variables, a (period, snapshot, unit) one,
coefficients over some of the dims, and units whose bus is not among the buses.
"""

from __future__ import annotations

from collections import defaultdict

import linopy
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from restvarme.model.linear import (
    add_constraint,
    add_variables,
    assemble,
    combination,
    compact_terms,
    expression,
    objective,
    sum_units,
    to_buses,
    weighted_sum,
)

SNAPSHOTS = pd.RangeIndex(4, name="snapshot")
UNITS = pd.Index(["a", "b", "c"], name="unit")
RNG = np.random.default_rng(7)


def canonical(expr) -> dict:
    """{row: ({variable label: summed coefficient}, constant)} of an expression."""
    data = expr.data
    dims = data["const"].dims
    vars_ = data["vars"].transpose(*dims, "_term").values
    coeffs = data["coeffs"].transpose(*dims, "_term").values
    const = data["const"].values
    out = {}
    for row in np.ndindex(const.shape):
        terms = defaultdict(float)
        for v, c in zip(vars_[row], coeffs[row], strict=True):
            if v != -1:
                terms[int(v)] += float(c)
        out[row] = ({v: c for v, c in terms.items() if c != 0}, float(const[row]))
    return out


def assert_same(ours, theirs) -> None:
    a, b = canonical(ours), canonical(theirs)
    assert a.keys() == b.keys()
    for row in a:
        (ta, ka), (tb, kb) = a[row], b[row]
        assert ta.keys() == tb.keys(), row
        for v in ta:
            assert ta[v] == pytest.approx(tb[v], rel=1e-12), (row, v)
        assert ka == pytest.approx(kb, rel=1e-12)


@pytest.fixture
def m():
    return linopy.Model()


def variables(m):
    x = m.add_variables(lower=0, coords=[SNAPSHOTS, UNITS], name="x")
    y = m.add_variables(lower=0, coords=[SNAPSHOTS, UNITS], name="y")
    return x, y


def test_combination_equals_linopy_sum_of_products(m):
    x, y = variables(m)
    cx = xr.DataArray(RNG.random((4, 3)), coords=[SNAPSHOTS, UNITS])
    cy = xr.DataArray(RNG.random(3), coords=[UNITS])
    assert_same(combination((x, cx), (y, cy), (x, -2.0)), cx * x + cy * y - 2.0 * x)


def test_combination_of_terms_in_another_dim_order_and_keeping_zeros(m):
    # z on (unit, snapshot) against x on (snapshot, unit): the same sum as linopy's; with
    # keep_zeros the arrays are those of linopy's `*` and `-` (a zero coefficient keeps its
    # variable), term for term
    x, _ = variables(m)
    z = m.add_variables(lower=0, coords=[UNITS, SNAPSHOTS], name="z")
    cx = xr.DataArray([0.0, 1.5, 2.0], coords=[UNITS])  # unit a: coefficient 0
    assert_same(combination((x, cx), (z, -3.0)), cx * x - 3.0 * z)
    ours = combination((x, cx), (z, -3.0), keep_zeros=True)
    theirs = x * cx - 3.0 * z
    dims = ("snapshot", "unit", "_term")
    for field in ("vars", "coeffs"):
        np.testing.assert_array_equal(
            ours.data[field].transpose(*dims).values, theirs.data[field].transpose(*dims).values
        )
    assert (ours.data["vars"].sel(unit="a").isel(_term=0) != -1).all()


def test_coefficients_are_matched_by_label_not_position(m):
    x, _ = variables(m)
    c = xr.DataArray([3.0, 2.0, 1.0], coords=[pd.Index(["c", "b", "a"], name="unit")])
    labels = xr.DataArray(["n1", "n1", "n2"], coords=[UNITS])
    buses = xr.DataArray(["n1", "n2"], dims="network")
    aligned = c.reindex(unit=UNITS)  # a: 1, b: 2, c: 3
    assert_same(combination((x, c)), aligned * x)
    assert_same(sum_units(x, "unit", c), (aligned * x).sum("unit"))
    ours = to_buses(x, labels, buses, c)
    assert_same(ours.sel(network="n2"), (aligned * x).sel(unit=["c"]).sum("unit"))


def test_combination_with_rolled_labels_is_the_previous_snapshot(m):
    x, _ = variables(m)
    keep = xr.DataArray([0.9, 0.8, 0.7], coords=[UNITS])
    ours = combination((x, 1.0), (x.labels.roll(snapshot=1), -keep))
    assert_same(ours, x - keep * x.roll(snapshot=1))


def test_combination_keeps_constants(m):
    x, y = variables(m)
    assert_same(combination((x + 3.0, 2.0), (y, 1.0)), 2.0 * (x + 3.0) + y)


def test_to_buses_equals_groupby_sum_and_leaves_out_other_buses(m):
    x, y = variables(m)
    labels = xr.DataArray(["n1", "n2", "ambient"], coords=[UNITS])
    buses = xr.DataArray(["n1", "n2", "n3"], dims="network")
    coeff = xr.DataArray(RNG.random((4, 3)), coords=[SNAPSHOTS, UNITS])
    ours = to_buses(x - y, labels, buses, coeff)
    # linopy: the sum of each bus's units; n3 has none and "ambient" is no bus
    expr = coeff * (x - y)
    theirs = [expr.sel(unit=["a"]).sum("unit"), expr.sel(unit=["b"]).sum("unit")]
    for bus, want in zip(["n1", "n2"], theirs, strict=True):
        assert_same(ours.sel(network=bus), want)
    assert (ours.sel(network="n3").data["vars"] == -1).all()


def test_sum_units_and_weighted_sum_equal_linopy_sums(m):
    x, y = variables(m)
    c = xr.DataArray(RNG.random(3), coords=[UNITS])
    assert_same(sum_units(x - 2 * y, "unit", c), (c * (x - 2 * y)).sum("unit"))
    flat = weighted_sum(x, c)
    want = canonical((c * x).sum())[()][0]
    got = defaultdict(float)
    for v, k in zip(flat.vars, flat.coeffs, strict=True):
        got[int(v)] += k
    assert got == pytest.approx(want)


def test_weighted_sum_repeats_a_static_variable_over_periods(m):
    # N[unit] priced per period: Σ_p c[p] · N[u], as linopy broadcasts it
    n = m.add_variables(lower=0, coords=[UNITS], name="n")
    c = xr.DataArray([1.0, 2.0], coords=[pd.Index([2026, 2030], name="period")])
    flat = weighted_sum(n, c)
    want = canonical((n * c).sum())[()][0]
    got = defaultdict(float)
    for v, k in zip(flat.vars, flat.coeffs, strict=True):
        got[int(v)] += k
    assert got == pytest.approx(want)
    assert set(got.values()) == {3.0}


def test_objective_sums_flat_and_linopy_costs(m):
    x, y = variables(m)
    c = xr.DataArray(RNG.random((4, 3)), coords=[SNAPSHOTS, UNITS])
    ours = objective(m, [weighted_sum(x, c), (2 * y + 5.0).sum()])
    assert_same(ours, (c * x).sum() + (2 * y + 5.0).sum())


def test_assemble_broadcasts_missing_dims_and_reindexes(m):
    x, _ = variables(m)
    z = m.add_variables(lower=0, coords=[SNAPSHOTS], name="z")
    coords = {"snapshot": SNAPSHOTS, "unit": UNITS}
    partial = (2 * x).sel(unit=["c", "a"])  # other order, one unit missing
    ours = assemble(m, [x, z, partial], coords)
    want = canonical(x + z + 2 * x)
    got = canonical(ours)
    assert got.keys() == want.keys()
    for row in want:
        expected = dict(want[row][0])
        if UNITS[row[1]] == "b":  # the partial term has no unit b
            expected[int(x.labels.values[row])] -= 2.0
        assert got[row][0] == pytest.approx(expected)


def test_add_constraint_moves_the_constant_to_the_right(m):
    x, y = variables(m)
    rhs = xr.DataArray(RNG.random((4, 3)), coords=[SNAPSHOTS, UNITS])
    ours = add_constraint(m, combination((x + 1.0, 1.0), (y, -1.0)), "==", rhs, "ours")
    theirs = m.add_constraints(x + 1.0 - y == rhs, name="theirs")
    np.testing.assert_allclose(ours.rhs.values, theirs.rhs.values)
    assert (ours.sign.values == theirs.sign.values).all()
    np.testing.assert_array_equal(ours.vars.values, theirs.vars.values)


@pytest.mark.parametrize("expression", [False, True])
def test_capacity_limit_equals_linopys_arithmetic(m, expression):
    # restvarme.model.capacity.add_capacity_limit builds `flow - k·N <= K` of a one-year run
    # from label arrays: the same rows, terms and right-hand sides as linopy's arithmetic, and
    # rows only where a unit is extendable (and `where` holds).
    from restvarme.model.capacity import add_capacity_limit

    x, _ = variables(m)
    flow = 2.0 * x + 1.0 if expression else x
    new = m.add_variables(lower=0, coords=[UNITS], name="unit_new_capacity")
    inputs = xr.Dataset(
        {
            "snapshot_weight_h": xr.DataArray(np.ones(4), coords=[SNAPSHOTS]),
            "unit_extendable": xr.DataArray([True, False, True], coords=[UNITS]),
        }
    )
    per_new = xr.DataArray([0.5, 1.0, 0.0], coords=[UNITS])
    existing = xr.DataArray(RNG.random((4, 3)), coords=[SNAPSHOTS, UNITS])
    where = xr.DataArray([True, True, False, True], coords=[SNAPSHOTS])
    add_capacity_limit(m, inputs, "unit", flow, new, existing, "ours", per_new, where)
    mask = inputs["unit_extendable"] & where
    theirs = m.add_constraints(flow - per_new * new <= existing, name="theirs", mask=mask)
    ours = m.constraints["ours"]
    np.testing.assert_array_equal(ours.labels.values != -1, theirs.labels.values != -1)
    assert_same(ours.lhs, theirs.lhs)
    np.testing.assert_array_equal(ours.rhs.values, theirs.rhs.values)
    assert (ours.sign.values == theirs.sign.values).all()


@pytest.mark.parametrize("expression", [False, True])
def test_pathway_capacity_limit_equals_linopys_arithmetic(m, expression):
    # A pathway's `flow - k·Σ_b A[b, p, u]·N[b, u] <= K`, built from label arrays by
    # add_capacity_limit: the same rows, and the same terms in the same order (the flow's, then
    # one per vintage, zero coefficients kept), as linopy's `(N * A).sum("build_period")`.
    from restvarme.model.capacity import add_capacity_limit

    periods = pd.Index([2026, 2028, 2030], name="period")
    builds = pd.Index([2026, 2028, 2030], name="build_period")
    x = m.add_variables(lower=0, coords=[periods, SNAPSHOTS, UNITS], name="x")
    flow = 2.0 * x + 1.0 if expression else x
    new = m.add_variables(lower=0, coords=[builds, UNITS], name="unit_new_capacity")
    life = xr.DataArray([2, 30, 4], coords=[UNITS])  # unit a serves one period, c two
    inputs = xr.Dataset(
        {
            "period": periods,
            "snapshot_weight_h": xr.DataArray(np.ones((3, 4)), coords=[periods, SNAPSHOTS]),
            "unit_extendable": xr.DataArray([True, False, True], coords=[UNITS]),
            "unit_lifetime_years": life,
        }
    )
    per_new = xr.DataArray([0.5, 1.0, 2.0], coords=[UNITS])
    existing = xr.DataArray(RNG.random((3, 3)), coords=[periods, UNITS])
    add_capacity_limit(m, inputs, "unit", flow, new, existing, "ours", per_new)
    years, built = periods.to_numpy(), builds.to_numpy()
    serves = (built[:, None, None] <= years[None, :, None]) & (
        years[None, :, None] < built[:, None, None] + life.values[None, None, :]
    )
    serves_da = xr.DataArray(serves.astype(float), coords=[builds, periods, UNITS])
    assert serves_da.sel(unit="a").values.trace() == 3  # by hand: each vintage of a its period
    mask = inputs["unit_extendable"].broadcast_like(inputs["snapshot_weight_h"])
    in_service = (new * serves_da).sum("build_period")
    theirs = m.add_constraints(flow - per_new * in_service <= existing, name="theirs", mask=mask)
    ours = m.constraints["ours"]
    dims = (*theirs.labels.dims, "_term")
    for key in ("vars", "coeffs"):
        np.testing.assert_array_equal(
            ours.data[key].transpose(*dims).values, theirs.data[key].transpose(*dims).values
        )
    np.testing.assert_array_equal(ours.labels.values != -1, theirs.labels.values != -1)
    assert ours.labels.dims == theirs.labels.dims
    assert_same(ours.lhs, theirs.lhs)
    np.testing.assert_array_equal(ours.rhs.values, theirs.rhs.values)


# expression(), add_constraint() and add_variables() build linopy's objects without its
# constructors' broadcasts: each must give the very Dataset linopy gives (labels, dims and their
# order, coordinates, dtypes, attributes), since results, duals and the HiGHS hand-over read them.
# Two models built alike, one through the helper and one through linopy, are compared.


def _twins():
    a, b = linopy.Model(force_dim_names=True), linopy.Model(force_dim_names=True)
    for model in (a, b):
        variables(model)
    return a, b


def test_expression_is_the_dataset_linopys_constructor_gives(m):
    x, y = variables(m)
    vars_ = np.stack([x.labels.values, y.labels.values], axis=-1)
    data = {
        "vars": (("snapshot", "unit", "_term"), vars_),
        "coeffs": (("snapshot", "unit", "_term"), RNG.random((4, 3, 2))),
        "const": (("snapshot", "unit"), RNG.random((4, 3))),
    }
    ds = xr.Dataset(data, coords={"snapshot": SNAPSHOTS, "unit": UNITS})
    xr.testing.assert_identical(expression(ds, m).data, linopy.LinearExpression(ds, m).data)
    # an expression's own Dataset (attribute name=None), changed by assign
    changed = linopy.LinearExpression(ds, m).data.assign(const=ds["const"] * 2.0)
    xr.testing.assert_identical(
        expression(changed, m).data, linopy.LinearExpression(changed, m).data
    )
    # without a constant the constructor adds one: expression() hands such a Dataset to it
    no_const = ds.drop_vars("const")
    xr.testing.assert_identical(
        expression(no_const, m).data, linopy.LinearExpression(no_const, m).data
    )


@pytest.mark.filterwarnings("ignore::linopy.semantics.LinopySemanticsWarning")
def test_add_constraint_gives_linopys_constraint_with_masks_and_missing_rhs():
    a, b = _twins()
    rhs = xr.DataArray(RNG.random((4, 3)), coords=[SNAPSHOTS, UNITS])
    rhs[1, 2] = np.nan  # a NaN right-hand side masks its row, as in linopy
    mask = xr.DataArray([True, False, True], coords=[UNITS])
    for model in (a, b):
        x, y = model.variables["x"], model.variables["y"]
        lhs = combination((x, 2.0), (y, -1.0))
        if model is a:
            add_constraint(model, lhs, "<=", rhs, "c", mask=mask)
            add_constraint(model, lhs, "==", 3.0, "d")
        else:
            model.add_constraints(lhs <= rhs, name="c", mask=mask)
            model.add_constraints(lhs == 3.0, name="d")
    for name in ("c", "d"):
        xr.testing.assert_identical(a.constraints[name].data, b.constraints[name].data)
    labels = a.constraints["c"].labels.values
    assert (labels[:, 1] == -1).all() and labels[1, 2] == -1  # masked unit b, NaN row
    assert (labels[[0, 2, 3]][:, [0, 2]] != -1).all()


def test_compact_terms_moves_each_rows_terms_to_the_front_in_order():
    # three rows of four slots; the fullest row has two terms, so two slots are cut
    vars_ = np.array([[3, -1, -1, 5], [-1, -1, 7, -1], [-1, -1, -1, -1]], dtype=np.int32)
    coeffs = np.array([[1.5, 9.0, 9.0, -2.0], [9.0, 9.0, 0.25, 9.0], [9.0, 9.0, 9.0, 9.0]])
    out_vars, out_coeffs = compact_terms(vars_, coeffs)
    np.testing.assert_array_equal(out_vars, [[3, 5], [7, -1], [-1, -1]])
    np.testing.assert_array_equal(out_coeffs, [[1.5, -2.0], [0.25, 0.0], [0.0, 0.0]])
    assert out_vars.dtype == np.int32


def test_compact_terms_leaves_rows_with_little_to_cut():
    # the fullest row has 4 of 5 slots: above CUT_TERMS_FROM (0.75), nothing is cut
    vars_ = np.array([[1, 2, 3, 4, -1], [-1, 5, -1, -1, -1]])
    coeffs = np.ones((2, 5))
    out_vars, out_coeffs = compact_terms(vars_, coeffs)
    assert out_vars is vars_ and out_coeffs is coeffs


def test_a_constraint_with_empty_slots_gives_linopys_rows():
    # rows of four slots holding at most two terms (x and y of the row's unit, in slots 0 and
    # 2; unit b's rows only y): add_constraint cuts them to two slots, and the matrix HiGHS
    # gets is that of linopy's own constraint on the padded rows, entry by entry
    a, b = _twins()
    for model in (a, b):
        x, y = model.variables["x"], model.variables["y"]
        empty = np.full((4, 3), -1)
        xs = np.where(UNITS.values == "b", -1, x.labels.values)
        vars_ = np.stack([xs, empty, y.labels.values, empty], axis=-1)
        coeffs = np.stack(
            [np.full((4, 3), 2.0), np.ones((4, 3)), -np.ones((4, 3)), np.ones((4, 3))], -1
        )
        ds = xr.Dataset(
            {
                "vars": (("snapshot", "unit", "_term"), vars_),
                "coeffs": (("snapshot", "unit", "_term"), coeffs),
                "const": (("snapshot", "unit"), np.zeros((4, 3))),
            },
            coords={"snapshot": SNAPSHOTS, "unit": UNITS},
        )
        lhs = expression(ds, model)
        model.add_objective(x.sum() + y.sum())
        if model is a:
            add_constraint(model, lhs, ">=", 1.0, "c")
        else:
            model.add_constraints(lhs >= 1.0, name="c")
    assert a.constraints["c"].vars.sizes["_term"] == 2
    assert b.constraints["c"].vars.sizes["_term"] == 4
    np.testing.assert_array_equal(a.matrices.A.toarray(), b.matrices.A.toarray())
    for name in ("b", "sense", "clabels", "vlabels"):
        np.testing.assert_array_equal(getattr(a.matrices, name), getattr(b.matrices, name))


@pytest.mark.parametrize(
    "case", ["bound_coords_out_of_dim_order", "index_list", "index_dict", "coordinates", "mask"]
)
def test_add_variables_gives_linopys_variable(case):
    a, b = _twins()
    # a bound whose coordinates are listed in another order than its dims (as
    # restvarme.model.capacity.flow_bound returns them): linopy follows the coordinates
    upper = xr.DataArray(
        RNG.random((4, 3)), dims=("snapshot", "unit"), coords={"unit": UNITS, "snapshot": SNAPSHOTS}
    )
    kwargs: dict = {
        "bound_coords_out_of_dim_order": {"lower": 0, "upper": upper},
        "index_list": {"lower": -1.0, "coords": [UNITS, SNAPSHOTS]},
        "index_dict": {
            "upper": upper.transpose(),
            "coords": {"snapshot": SNAPSHOTS, "unit": UNITS},
        },
        "coordinates": {"lower": 0, "coords": upper.transpose("unit", "snapshot").coords},
        "mask": {"lower": 0, "upper": upper, "mask": upper > 0.5},
    }[case]
    ours = add_variables(a, name="z", **kwargs)
    theirs = b.add_variables(name="z", **kwargs)
    xr.testing.assert_identical(ours.data, theirs.data)
    assert a._xCounter == b._xCounter


FLOW_BOUND_LIKES = {
    "hourly weight": ("snapshot",),
    "hourly per unit (a COP)": ("snapshot", "unit"),
    "a pathway's periods and hours": ("period", "snapshot"),
    "hourly capacity (xarray's path)": ("snapshot",),
    "a coordinate off the dims (xarray's path)": ("snapshot",),
}


@pytest.mark.parametrize("case", FLOW_BOUND_LIKES)
def test_flow_bound_is_xarrays_where_and_broadcast(case, monkeypatch):
    from restvarme.model.capacity import flow_bound

    periods = pd.Index([2026, 2030], name="period")
    sizes = {"snapshot": SNAPSHOTS, "unit": UNITS, "period": periods}
    dims = FLOW_BOUND_LIKES[case]
    like = xr.DataArray(
        RNG.random(tuple(len(sizes[d]) for d in dims)),
        coords={d: sizes[d] for d in dims},
        dims=dims,
        name="like",
    )
    if "off the dims" in case:
        like = like.assign_coords(hour_of_day=("snapshot", np.arange(4) % 2))
    inputs = xr.Dataset(
        {
            "unit_extendable": ("unit", [True, False, False], {"units": "-"}),
            "unit_capacity_mw": ("unit", [1.0, 2.0, np.nan], {"units": "MW"}),
        },
        coords={"unit": UNITS},
    )
    capacity = inputs["unit_capacity_mw"]
    if "hourly capacity" in case:
        capacity = capacity * xr.DataArray(RNG.random(4), coords={"snapshot": SNAPSHOTS})
    theirs = xr.where(inputs["unit_extendable"], np.inf, capacity).broadcast_like(like)
    if "xarray's path" not in case:  # built in numpy: xarray's where is not called

        def no_where(*args, **kwargs):
            raise AssertionError("xr.where called")

        monkeypatch.setattr(xr, "where", no_where)
    ours = flow_bound(inputs, "unit", capacity, like)
    monkeypatch.undo()
    xr.testing.assert_identical(ours, theirs)
    assert ours.dims == theirs.dims
    assert list(ours.coords) == list(theirs.coords)  # the order linopy's variable takes
