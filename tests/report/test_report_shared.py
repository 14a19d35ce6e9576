"""What the report computes once and shares between its charts (issue 11, a cheaper report):
the template every chart gets, and (see below) the units' roles, colours and order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from restvarme.report import charts
from restvarme.report.charts import (
    HEAT,
    TEMPLATE,
    UnitStyle,
    all_figures,
    apply_template,
    style_figure,
    unit_colors,
    unit_order,
)
from restvarme.report.html import build_report
from restvarme.results import roles


def _validated_template() -> dict:
    return go.Figure().update_layout(template=TEMPLATE).layout.template.to_plotly_json()


def test_every_chart_has_the_template_as_plotly_would_set_it(tiny_run):
    ds, _ = tiny_run
    expected = _validated_template()
    figs = all_figures(ds)
    assert figs
    for key, fig in figs.items():
        assert fig.layout.template.to_plotly_json() == expected, key
        assert next(iter(fig.to_dict()["layout"])) == "template", key  # first, as before


def test_the_template_is_set_as_update_layout_would_set_it():
    # the same JSON, key order included, as plotly's own (validating) assignment
    ours = apply_template(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
    plain = go.Figure(go.Bar(x=[1, 2], y=[3, 4])).update_layout(template=TEMPLATE)
    assert ours.to_json() == plain.to_json()
    styled = style_figure(go.Figure(), "t", yaxis_title="MW")
    assert styled.layout.template.to_plotly_json() == _validated_template()


def test_each_figure_gets_its_own_copy_of_the_template():
    a, b = apply_template(go.Figure()), apply_template(go.Figure())
    a.layout.template.layout.font.size = 31
    assert b.layout.template.layout.font.size != 31
    assert apply_template(go.Figure()).layout.template.layout.font.size != 31
    assert a.layout._validate and b.layout._validate  # validation is back on after the template


@pytest.fixture(params=["tiny", "lund_weeks"])
def run(request, tiny_run, short_runs):
    return tiny_run[0] if request.param == "tiny" else short_runs[0][0]


def test_the_unit_style_is_what_each_chart_would_compute(run):
    style = UnitStyle.of(run)
    assert dict(style.colors) == unit_colors(run)
    assert list(style.order) == unit_order(run)
    assert style.table.equals(roles.unit_roles(run))
    stores = [str(u) for u in run["unit"].values if bool(roles.is_store(run).sel(unit=u))]
    some = [*reversed(stores), str(run["unit"].values[0])]
    assert style.ordered(some) == unit_order(run, some)


def test_charts_given_the_style_are_the_charts_without_it(run):
    style = UnitStyle.of(run)
    for make in (charts.dispatch_figure, charts.duration_figure):
        for network in run["network"].values:
            given = make(run, str(network), HEAT, style).to_json()
            assert given == make(run, str(network)).to_json()
    for make in (charts.storage_figure, charts.sankey_figure, charts.energy_mix_figure):
        a, b = make(run, style), make(run)
        assert (a is None and b is None) or a.to_json() == b.to_json()


def test_a_report_works_out_its_units_style_once(tiny_run, tiny_pathway, monkeypatch):
    made = []
    of = UnitStyle.of.__func__

    def counted(cls, ds):
        made.append(ds)
        return of(cls, ds)

    monkeypatch.setattr(UnitStyle, "of", classmethod(counted))
    build_report(tiny_run[0])
    assert len(made) == 1
    made.clear()
    all_figures(tiny_run[0])
    assert len(made) == 1
    made.clear()
    build_report(tiny_pathway)  # the last period's, and all periods' for the capacity chart
    assert len(made) == 2


def test_the_table_by_sector_from_given_tables_is_the_one_computed(run):
    from restvarme.accounting.costs import cost_by_sector
    from restvarme.accounting.sectors import emissions_by_sector
    from restvarme.report.figures import key_figures, sector_table

    given = {"cost_by_sector": cost_by_sector(run), "emissions_by_sector": emissions_by_sector(run)}
    assert key_figures(run, **given) == key_figures(run)
    pd.testing.assert_frame_equal(sector_table(run, **given), sector_table(run))
    kf = key_figures(run)
    pd.testing.assert_frame_equal(sector_table(run, kf, **given), sector_table(run, kf))


def test_the_cooling_unit_table_from_the_unit_roles_is_the_one_computed(run):
    from restvarme.report.figures import cooling_unit_table

    given = cooling_unit_table(run, roles.unit_roles(run))
    pd.testing.assert_frame_equal(given, cooling_unit_table(run))


@pytest.mark.parametrize("n_hours", [1, 5, 336, 730, 731, 2190, 8760, 8784])
def test_bin_means_are_the_means_bin_by_bin_bit_for_bit(n_hours):
    rng = np.random.default_rng(n_hours)
    bins = charts.duration_bins(n_hours)
    for values in (rng.normal(0, 50, n_hours), np.clip(rng.normal(0, 50, n_hours), 0, None)):
        values = values[np.argsort(-values, kind="stable")]  # sorted, as the duration curve
        expected = np.array([values[b].mean() for b in bins])
        np.testing.assert_array_equal(charts.bin_means(values, len(bins)), expected)


def test_values_read_by_unit_in_one_go_are_those_of_sel(run):
    for name in ("heat_mwh", "fuel_mwh", "unit_sink", "unit_fuel", "unit_source"):
        by_unit = charts._per_unit(run[name])
        assert list(by_unit) == [str(u) for u in run["unit"].values]
        for u, value in by_unit.items():
            assert str(value) == str(run[name].sel(unit=u).values), (name, u)
    assert charts._per_unit(None) == {}
