"""Charts that hold up (issue 14 item 3), on the two Lund weeks: the duration curve stacks
storage charging below zero so that its stack equals the load, the waste-heat chart stacks only
energy, the energy mix has no zero-only rows, and the Sankey is tall enough for its units."""

from __future__ import annotations

import numpy as np
import pytest

from restvarme.report.charts import (
    all_figures,
    duration_bins,
    duration_figure,
    waste_heat_use_figure,
)
from restvarme.report.figures import energy_mix
from restvarme.results import roles


@pytest.fixture
def lund_weeks(short_runs):
    return short_runs[0][0]


def test_duration_curve_stack_equals_the_load_bin_by_bin(lund_weeks):
    # Every hour: units' net heat (a store's discharge above zero, its charging below) plus
    # unserved heat = the load (demand incl. losses). Bin means keep that balance, so in each bin
    # the traces above zero minus those below zero give the load's mean (to the 0.01 MW each
    # trace is rounded to).
    ds = lund_weeks
    fig = duration_figure(ds, "main")
    demand = ds["heat_demand_mw"].sel(network="main").values
    order = np.argsort(-demand, kind="stable")
    load = np.array([demand[order][b].mean() for b in duration_bins(len(order))])
    bands = [t for t in fig.data if t.stackgroup in ("supply", "use")]
    stacked = np.sum([np.asarray(t.y, dtype=float) for t in bands], axis=0)
    np.testing.assert_allclose(stacked, load, atol=0.01 * len(bands) + 1e-3)
    charging = [t for t in bands if t.stackgroup == "use"]
    assert any(t.name == "main_tank charge" for t in charging)
    assert all(np.all(np.asarray(t.y) <= 0) for t in charging)
    # nothing stands above the load but what is drawn below zero
    above = np.sum([np.asarray(t.y) for t in bands if t.stackgroup == "supply"], axis=0)
    below = np.sum([np.asarray(t.y) for t in charging], axis=0)
    np.testing.assert_allclose(above + below, load, atol=0.01 * len(bands) + 1e-3)


def test_waste_heat_chart_stacks_only_energy(lund_weeks):
    ds = lund_weeks
    fig = waste_heat_use_figure(ds)
    assert fig is not None and fig.layout.barmode == "stack"
    assert fig.layout.yaxis.title.text == "GWh"
    names = [t.name for t in fig.data]
    assert all("EUR" not in n and "value" not in n for n in names)
    taken = sum(np.asarray(t.y, dtype=float) for t in fig.data if t.name != "offered, not taken")
    offered = taken + np.asarray(fig.data[-1].y, dtype=float)
    used = ds["waste_heat_used_mwh"].sum("route").values / 1e3
    available = ds["waste_heat_available_mw"].sum("snapshot").values / 1e3
    np.testing.assert_allclose(taken, used, atol=0.01 * len(fig.data))
    np.testing.assert_allclose(offered, np.maximum(available, used), atol=0.01 * len(fig.data))


def test_energy_mix_has_no_zero_rows_and_no_stores(lund_weeks):
    mix = energy_mix(lund_weeks)
    assert (mix > 0).all(), mix[mix <= 0]
    store_labels = set(roles.unit_roles(lund_weeks).query("store")["label"])
    assert not store_labels & set(mix.index)


def test_sankey_gives_each_unit_about_30_px(lund_weeks):
    sankey = all_figures(lund_weeks)["sankey"]
    labels = list(sankey.data[0].node.label)
    units = [u for u in map(str, lund_weeks["unit"].values) if u in labels]
    assert len(units) >= 10
    assert sankey.layout.height >= 30 * len(units)
