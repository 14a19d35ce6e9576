"""What the report computes once and shares between its charts (issue 11, a cheaper report):
the template every chart gets, and (see below) the units' roles, colours and order."""

from __future__ import annotations

import plotly.graph_objects as go

from restvarme.report.charts import TEMPLATE, all_figures, apply_template, style_figure


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
