"""Waste-heat streams with temperatures: each route takes only what its temperatures allow
(restvarme.model.streams).

Hand cases on one network at 70/40 °C with a flat 10 MW load, a gas boiler making heat at
25 EUR/MWh (gas 20 EUR/MWh at 80 %) and electricity at 40 EUR/MWh. The stream is The Hague's
geothermal doublet as the data give it: 5 MW from 75 °C down to the 30 °C reinjection, so
C = 5 / (75 - 30) = 1/9 MW/K.

* One exchanger, approach 5 K: it can cool the water to the return + approach = 45 °C only,
  so it takes at most C · (75 - 45) = 30/9 = 3.333 MW (the pool said 5 MW).
* An exchanger and a heat pump in parallel: the exchanger cools its share of the flow over
  [45, 75] °C, the heat pump (source cooling 5 K) its share over [70, 75] °C; in [70, 75] the
  two shares add up to at most 1:  H_hx / (C·30) + H_hp / (C·5) <= 1.
* A heat pump in series after the exchanger (``source_after``): it cools the exchanger's
  outlet water from 45 to 40 °C, C · 5 = 0.556 MW, beside the exchanger's 3.333 MW; its COP is
  computed at a 45 °C source, not 75 °C.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

import restvarme
from restvarme.errors import ScenarioError
from restvarme.inputs.build import build_inputs
from restvarme.model.build import WASTE_HEAT_LIMIT, build_model
from restvarme.model.streams import STREAM_ROWS, STREAM_USE
from restvarme.scenario.load import load_scenario
from tiny_scenarios import GAS_BOILER, SCENARIO_YAML

C = 5 / 45  # MW/K
HX_LIMIT = C * (75 - 45)  # 3.333 MW
BOILER_EUR_PER_MWH = 20 / 0.8
HOURS = 4

GEO = {"available_mw": 5.0, "temperature_c": 75.0, "reference_temperature_c": 30.0}
HX = {"name": "hx", "type": "heat_exchanger", "source": "geo", "sink": "main", "capacity_mw": 10}
HP = {
    "name": "hp",
    "type": "heat_pump",
    "source": "geo",
    "sink": "main",
    "capacity_mw": 10,
    "cop_method": "carnot",  # the hand calculations below are Carnot x 0.5
}


def _run(factory, geo=GEO, units=(HX,)):
    return restvarme.run(
        factory(waste_heat={"geo": dict(geo)}, units=[GAS_BOILER, *[dict(u) for u in units]])
    )


def _source_heat(ds, unit: str) -> np.ndarray:
    return ds["source_heat_mw"].sel(unit=unit).values


def test_exchanger_cools_the_stream_to_return_plus_approach(scenario_factory):
    ds = _run(scenario_factory)
    assert _source_heat(ds, "hx") == pytest.approx([HX_LIMIT] * HOURS, rel=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(
        HOURS * (10 - HX_LIMIT) * BOILER_EUR_PER_MWH, rel=1e-9
    )
    # the waste heat used per route adds up to what the exchanger took
    used = ds["waste_heat_used_mw"].sel(waste_source="geo").sum("route")
    assert used.values == pytest.approx([HX_LIMIT] * HOURS, rel=1e-9)


def test_two_streams_each_keep_their_own_limit(scenario_factory):
    # A second stream b: 4 MW from 60 down to 40 °C (0.2 MW/K), preheating the 40 °C return
    # through an exchanger to 45 °C: 0.2 · (60 - 45) = 3 MW (the return could take
    # 10/30 · (55 - 40) = 5 MW). geo keeps its 3.333 MW.
    ds = restvarme.run(
        scenario_factory(
            waste_heat={
                "geo": GEO,
                "b": {"available_mw": 4.0, "temperature_c": 60.0, "min_temperature_c": 40.0},
            },
            units=[GAS_BOILER, HX, {**HX, "name": "hx_b", "source": "b"}],
        )
    )
    assert _source_heat(ds, "hx") == pytest.approx([HX_LIMIT] * HOURS, rel=1e-9)
    assert _source_heat(ds, "hx_b") == pytest.approx([3.0] * HOURS, rel=1e-9)


def test_heat_capacity_flow_gives_the_same_stream(scenario_factory):
    geo = {"heat_capacity_flow_mw_per_k": 1 / 9, "temperature_c": 75.0, "min_temperature_c": 30}
    ds = _run(scenario_factory, geo)
    assert _source_heat(ds, "hx") == pytest.approx([HX_LIMIT] * HOURS, rel=1e-9)
    # its availability is C · (75 - 30) = 5 MW
    assert ds["waste_heat_available_mw"].sel(waste_source="geo").values == pytest.approx(
        [5.0] * HOURS, rel=1e-12
    )


def test_minimum_temperature_above_the_outlet_limits_the_exchanger(scenario_factory):
    # min 55 °C: the exchanger may cool to 55, not 45: C · (75 - 55) = 2.222 MW
    ds = _run(scenario_factory, {**GEO, "min_temperature_c": 55.0})
    assert _source_heat(ds, "hx") == pytest.approx([C * 20] * HOURS, rel=1e-9)


def test_the_value_is_one_more_mw_of_flow(scenario_factory):
    # One more MW down to 30 °C is 1/45 MW/K more flow, of which the exchanger uses 30 K:
    # 30/45 MW more heat in place of boiler heat at 25 EUR/MWh: 16.67 EUR/MWh.
    ds = _run(scenario_factory)
    value = ds["waste_heat_value_eur_per_mwh"].sel(waste_source="geo").values
    assert value == pytest.approx([BOILER_EUR_PER_MWH * 30 / 45] * HOURS, rel=1e-9)
    more = _run(scenario_factory, {**GEO, "available_mw": 6.0})
    saved = (ds.attrs["objective_eur"] - more.attrs["objective_eur"]) / HOURS
    assert saved == pytest.approx(value[0], rel=1e-9)


def test_value_of_a_stream_is_the_route_value_times_its_share(scenario_factory):
    # A heat pump alone on the stream (COP 10 at the cap, below its capacity) cools it over
    # [70, 75] °C: per MWh at the evaporator the heat is worth v = (10·25 - 40) / 9 = 23.33
    # EUR/MWh; one more MW of availability (down to 30 °C) gives it 5/45 MW more.
    from restvarme.accounting.waste_heat_value import heat_pump_route_value_eur_per_mwh

    ds = _run(scenario_factory, units=(HP,))
    assert _source_heat(ds, "hp") == pytest.approx([C * 5] * HOURS, rel=1e-9)
    v = (10 * BOILER_EUR_PER_MWH - 40) / 9
    route = heat_pump_route_value_eur_per_mwh(ds).sel(unit="hp").values
    assert route == pytest.approx([v] * HOURS, rel=1e-9)
    value = ds["waste_heat_value_eur_per_mwh"].sel(waste_source="geo").values
    assert value == pytest.approx([v * 5 / 45] * HOURS, rel=1e-9)


def test_parallel_exchanger_and_heat_pump_share_the_flow(scenario_factory):
    # The exchanger is held to 2 MW: it uses 2 / 3.333 = 0.6 of the flow over [45, 75] °C. The
    # heat pump (COP 10 at the cap: 4 EUR/MWh of heat, cheaper than the boiler) takes the rest
    # of the flow over [70, 75] °C: 0.4 · C · 5 = 2/9 MW. As a pool it would take 3 MW.
    ds = _run(scenario_factory, units=({**HX, "capacity_mw": 2.0}, HP))
    assert _source_heat(ds, "hx") == pytest.approx([2.0] * HOURS, rel=1e-9)
    assert _source_heat(ds, "hp") == pytest.approx([0.4 * C * 5] * HOURS, rel=1e-9)
    split = ds["waste_heat_used_mw"].sel(waste_source="geo")
    assert split.sel(route="direct").values == pytest.approx([2.0] * HOURS, rel=1e-9)
    assert split.sel(route="heat_pump").values == pytest.approx([2 / 9] * HOURS, rel=1e-9)


def test_heat_pump_in_series_cools_what_the_exchanger_leaves(scenario_factory):
    ds = _run(scenario_factory, units=(HX, {**HP, "source_after": "hx"}))
    assert _source_heat(ds, "hx") == pytest.approx([HX_LIMIT] * HOURS, rel=1e-9)
    assert _source_heat(ds, "hp") == pytest.approx([C * 5] * HOURS, rel=1e-9)
    # Carnot × 0.5 between condensing 70 + 4 = 74 °C and evaporating 45 - 5 = 40 °C:
    cop = 0.5 * (74 + 273.15) / (74 - 40)  # 5.105
    assert ds["heat_pump_cop"].sel(heat_pump="hp").values == pytest.approx([cop] * HOURS)
    assert ds["heat_mw"].sel(unit="hp").values == pytest.approx(
        [C * 5 * cop / (cop - 1)] * HOURS, rel=1e-9
    )


def test_lorenz_glide_is_what_the_minimum_temperature_leaves(scenario_factory):
    # source cooling 5 K asked, but the stream may go down to 72 °C only: a 3 K glide
    from restvarme.physics.cop import heat_pump_cop

    hp = {**HP, "cop_method": "lorenz", "max_cop": 20}
    sf = scenario_factory(
        waste_heat={"geo": {**GEO, "min_temperature_c": 72.0}}, units=[GAS_BOILER, hp]
    )
    x = build_inputs(sf)
    expected = heat_pump_cop(
        70.0, 75.0, temperature_return_c=40.0, method="lorenz", source_cooling_k=3.0, max_cop=20
    )
    assert x["heat_pump_cop"].sel(heat_pump="hp").values == pytest.approx([expected] * HOURS)
    assert x["heat_pump_stream_low_c"].values.ravel() == pytest.approx([72.0] * HOURS)


def test_coarsened_run_keeps_the_stream_limit(scenario_factory):
    sf = scenario_factory(
        horizon={"hours": 4, "resolution_h": 2},
        waste_heat={"geo": GEO},
        units=[GAS_BOILER, HX],
    )
    ds = restvarme.run(sf)
    assert _source_heat(ds, "hx") == pytest.approx([HX_LIMIT] * 2, rel=1e-9)


def test_a_pool_file_builds_as_before(scenario_factory):
    sf = scenario_factory(
        waste_heat={"geo": {"available_mw": 5.0, "temperature_c": 75.0}},
        units=[GAS_BOILER, HX],
    )
    x = build_inputs(sf)
    assert not any("stream" in str(k) or "reference_temperature" in str(k) for k in x.data_vars)
    built = build_model(x)
    assert STREAM_USE not in built.model.variables
    assert STREAM_ROWS not in built.model.constraints
    assert WASTE_HEAT_LIMIT in built.model.constraints
    ds = restvarme.run(sf)
    assert _source_heat(ds, "hx") == pytest.approx([5.0] * HOURS, rel=1e-9)


def _write(tmp_path, text: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO_YAML + textwrap.dedent(text), encoding="utf-8")
    return path


UNITS = """\
units:
  - {name: hx, type: heat_exchanger, source: geo, sink: main, capacity_mw: 5}
"""


@pytest.mark.parametrize(
    ("fields", "key", "words"),
    [
        (
            "available_mw: 5\n    heat_capacity_flow_mw_per_k: 0.1\n    min_temperature_c: 30",
            "heat_capacity_flow_mw_per_k",
            "both given",
        ),
        ("heat_capacity_flow_mw_per_k: 0.1", "heat_capacity_flow_mw_per_k", "needs min_temp"),
        ("available_mw: 5\n    reference_temperature_c: 80", "reference_temperature_c", "below"),
        ("min_temperature_c: 30", "available_mw", "give `available_mw`"),
    ],
)
def test_a_bad_mix_of_fields_is_located(tmp_path, fields, key, words):
    path = _write(tmp_path, f"waste_heat:\n  geo:\n    temperature_c: 75\n    {fields}\n" + UNITS)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.file == path
    assert problem.path == ("waste_heat", "geo", key)
    assert problem.line is not None
    assert words in problem.message


def test_source_after_must_name_an_exchanger_on_the_stream(tmp_path):
    path = _write(
        tmp_path,
        "waste_heat:\n  geo: {available_mw: 5, temperature_c: 75, reference_temperature_c: 30}\n"
        + UNITS
        + "  - {name: hp, type: heat_pump, source: geo, sink: main, capacity_mw: 2,\n"
        + "     source_after: hx2}\n",
    )
    with pytest.raises(ScenarioError) as info:
        build_inputs(load_scenario(path))
    (problem,) = info.value.problems
    assert problem.path == ("units", 1, "source_after")
    assert problem.file == path and problem.line is not None
    assert "'hx2'" in problem.message and "expected one of: hx" in problem.message


def test_a_stream_colder_than_its_reference_is_located(tmp_path):
    (tmp_path / "t.csv").write_text("t\n" + "75\n" * 47 + "25\n", encoding="utf-8")
    path = _write(
        tmp_path,
        "waste_heat:\n  geo: {available_mw: 5, temperature_c: t.csv, reference_temperature_c: 30}\n"
        + UNITS,
    )
    with pytest.raises(ScenarioError) as info:
        build_inputs(load_scenario(path))
    (problem,) = info.value.problems
    assert problem.path == ("waste_heat", "geo", "temperature_c")
    assert "not above reference_temperature_c 30" in problem.message


def test_validate_notes_pool_sources_only(tmp_path):
    from typer.testing import CliRunner

    from restvarme.cli import app

    pool = "  pool: {available_mw: 5, temperature_c: 75}\n"
    stream = "  geo: {available_mw: 5, temperature_c: 75, reference_temperature_c: 30}\n"
    path = _write(
        tmp_path,
        "waste_heat:\n"
        + pool
        + stream
        + UNITS
        + "  - {name: hx_pool, type: heat_exchanger, source: pool, sink: main, capacity_mw: 5}\n",
    )
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    note = result.output[result.output.index("note:") :].replace("\n", " ")
    assert "waste_heat pool: no min_temperature_c or reference_temperature_c" in note
    assert "geo" not in note


def test_heat_offered_into_a_stream_is_more_flow_at_its_temperatures(scenario_factory):
    # An electrolyser (10 MW of electricity for 6.5 MW of hydrogen, heat share 0.30) offers
    # 3 MW at 80 °C into a stream counted down to 35 °C: 3/45 MW/K. The exchanger cools it to
    # the 40 °C return + 5 K only: 3 · (80 - 45) / (80 - 35) = 2.333 MW, the boiler the rest:
    # 4 h · (10 MW · 40 EUR/MWh + (10 - 2.333) MW · 25 EUR/MWh).
    ely = {
        "name": "ely",
        "type": "electrolyser",
        "capacity_mw": 20,
        "efficiency": 0.65,
        "waste_heat": "h2heat",
        "waste_heat_temperature_c": 80,
    }
    hx = {**HX, "source": "h2heat"}
    ds = restvarme.run(
        scenario_factory(
            hydrogen={"demand_mw": 6.5},
            waste_heat={
                "h2heat": {"available_mw": 0, "temperature_c": 80.0, "min_temperature_c": 35.0}
            },
            units=[GAS_BOILER, hx, ely],
        )
    )
    taken = 3 * 35 / 45
    assert _source_heat(ds, "hx") == pytest.approx([taken] * HOURS, rel=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(
        HOURS * (10 * 40 + (10 - taken) * BOILER_EUR_PER_MWH), rel=1e-9
    )
