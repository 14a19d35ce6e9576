"""Colours of the categories and units drawn together are distinct (issue 14: five mix
categories shared one grey): the registry's colours, every category a run can show, and the
examples' charts, each pair at least MIN_COLOR_DISTANCE apart."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from restvarme.report.charts import (
    MIN_COLOR_DISTANCE,
    category_color,
    color_distance,
    mix_colors,
    unit_colors,
)
from restvarme.report.figures import DIRECT, energy_mix
from restvarme.results.roles import GREY
from restvarme.units.registry import REGISTRY


def closest_pair(colors: dict[str, str]) -> tuple[float, str, str]:
    """The two names whose colours are closest, and their distance."""
    return min(
        (color_distance(colors[a], colors[b]), a, b) for a, b in itertools.combinations(colors, 2)
    )


def every_category() -> list[str]:
    """Every category a run can show: each type's label, as driven by waste heat or the
    ambient, the direct categories, and fuel variants as energy mixes name them."""
    labels = [t.label for t in REGISTRY.values()]
    out = [*DIRECT.values()]
    for label in labels:
        out += [label, f"{label}, waste heat", f"{label}, ambient"]
    for fuel in ("natural gas", "pellets", "bio oil", "wood chips", "biogas", "hydrogen"):
        out += [f"Boiler: {fuel}", f"CHP: {fuel}"]
    return out


def test_registry_colours_are_distinct_and_none_is_the_fallback_grey():
    colors = {t.label: t.colour for t in REGISTRY.values()}
    assert len(set(colors.values())) == len(colors)
    assert GREY not in colors.values()
    for label, colour in colors.items():  # each label is found, never drawn in the grey
        assert category_color(label) == colour


def test_every_category_shown_together_gets_its_own_colour():
    labels = every_category()
    colors = dict(zip(labels, mix_colors(labels), strict=True))
    distance, a, b = closest_pair(colors)
    assert distance >= MIN_COLOR_DISTANCE, (a, b, colors[a], colors[b])


def test_a_category_and_its_driven_variant_start_from_one_colour():
    # "Heat pump" and "Heat pump, waste heat" both start from the heat pump's colour (#2b6cb0);
    # the second takes the next step of its palette: 45 % of the way to white,
    # (43 + (255 - 43) * 0.45, 108 + 147 * 0.45, 176 + 79 * 0.45) = (138, 174, 212) = #8aaed4.
    hp = REGISTRY["heat_pump"].colour
    assert hp == "#2b6cb0"
    assert mix_colors(["Heat pump, waste heat", "Heat pump"]) == [hp, "#8aaed4"]
    # two fuels of one category: the same palette in turn
    boiler = REGISTRY["boiler"].colour
    first, second = mix_colors(["Boiler: pellets", "Boiler: bio oil"])
    assert first == boiler and second != boiler


def test_two_weeks_of_lund_units_and_mixes_are_distinct(short_runs):
    mixes = pd.concat([energy_mix(ds) for ds, _ in short_runs], axis=1).index
    colors = dict(zip(mixes, mix_colors(mixes), strict=True))
    assert closest_pair(colors)[0] >= MIN_COLOR_DISTANCE
    for ds, _ in short_runs:
        units = unit_colors(ds)
        assert len(units) == ds.sizes["unit"]
        distance, a, b = closest_pair(units)
        assert distance >= MIN_COLOR_DISTANCE, (a, b)
        assert GREY not in units.values()


@pytest.mark.slow
def test_the_three_examples_compared_use_distinct_colours(
    lund_year, barcelona_year, the_hague_year
):
    """The compare page's mix chart stacks every category of the three cities at once."""
    from restvarme.report.compare import compare_runs

    years = (lund_year, barcelona_year, the_hague_year)
    comparison = compare_runs([y.folder for y in years])
    labels = list(comparison.mix.index)
    assert len(labels) >= 8
    colors = dict(zip(labels, mix_colors(labels), strict=True))
    distance, a, b = closest_pair(colors)
    assert distance >= MIN_COLOR_DISTANCE, (a, b)
    assert GREY not in colors.values()
    for year in years:
        distance, a, b = closest_pair(unit_colors(year.results))
        assert distance >= MIN_COLOR_DISTANCE, (a, b)
