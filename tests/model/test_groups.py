"""Capacity groups (restvarme.model.groups): tiny cases solved by hand.

Set-up (tiny_scenarios.BASE): 4 hours, heat demand 10 MW on "main", electricity 40 EUR/MWh,
gas 20 EUR/MWh burnt at 80 % in the boiler: boiler heat costs 25 EUR/MWh.

The station (tests/station_cases.py): hp_a on source a, COP 4, heat at 10 EUR/MWh, at most
4 MW (its source's 3 MW); hp_b on source b, COP 2.5, heat at 16 EUR/MWh; the gas boiler.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.economics import annuity_factor
from restvarme.errors import ScenarioError
from restvarme.results.io import summary_tables
from restvarme.scenario.load import load_scenario
from station_cases import UNITS, WASTE, line_after, scenario_file
from tiny_scenarios import make_scenario

HOURS = 4
YEARS = HOURS / 8760

ELECTRIC_BOILER = {
    "name": "eb",
    "type": "electric_boiler",
    "sink": "main",
    "capacity_mw": 100,
    "efficiency": 1.0,
}
"""100 MW of electric boiler: its group, not its own capacity, limits it (tests/model/
test_pathway.py: electric heat costs 30 EUR/MWh there)."""


def run(groups: dict, units: list | None = None, **changes):
    sf = make_scenario(waste_heat=WASTE, units=units or UNITS, capacity_groups=groups, **changes)
    return restvarme.run(sf)


def test_cops_are_the_caps():
    res = run({})
    np.testing.assert_allclose(res["heat_pump_cop"].values, [[4.0, 2.5]] * HOURS)


def test_two_source_station_at_its_shared_limit():
    # Without the group: hp_a 4 MW (its source's limit), hp_b 6 MW: 4·10 + 6·16 = 136 EUR/h.
    # One machine of 6 MW: hp_a 4 MW (cheaper), hp_b the other 2 MW, the boiler 4 MW:
    # 4·10 + 2·16 + 4·25 = 172 EUR/h, 688 EUR over 4 h.
    free = run({})
    assert free.attrs["objective_eur"] == pytest.approx(136 * HOURS)
    res = run({"station": {"units": ["hp_a", "hp_b"], "capacity_mw": 6}})
    assert res.attrs["objective_eur"] == pytest.approx(172 * HOURS)
    heat = res["heat_mwh"].to_series()
    assert heat["hp_a"] == pytest.approx(4 * HOURS)
    assert heat["hp_b"] == pytest.approx(2 * HOURS)
    assert heat["gas_boiler"] == pytest.approx(4 * HOURS)
    np.testing.assert_allclose(res["capacity_group_flow_mw"].values, [[6.0]] * HOURS)
    assert float(res["capacity_group_total_mw"].sel(capacity_group="station")) == 6.0


def test_a_group_of_two_unit_types():
    # hp_b (5 MW) and the gas boiler share 5 MW; an electric boiler (heat at 40 EUR/MWh)
    # outside the group. Without it: hp_a 4, hp_b 5, gas boiler 1: 40 + 80 + 25 = 145 EUR/h.
    # With it hp_b takes the 5 MW (16 < 25) and the last 1 MW goes to the electric boiler:
    # 40 + 80 + 40 = 160 EUR/h, 640 EUR over 4 h.
    units = [*UNITS[:1], {**UNITS[1], "capacity_mw": 5}, *UNITS[2:], ELECTRIC_BOILER]
    assert run({}, units=units).attrs["objective_eur"] == pytest.approx(145 * HOURS)
    res = run({"shared": {"units": ["hp_b", "gas_boiler"], "capacity_mw": 5}}, units=units)
    assert res.attrs["objective_eur"] == pytest.approx(160 * HOURS)
    heat = res["heat_mwh"].to_series()
    assert heat["hp_b"] == pytest.approx(5 * HOURS)
    assert heat["gas_boiler"] == pytest.approx(0.0, abs=1e-9)
    assert heat["eb"] == pytest.approx(1 * HOURS)


def test_input_group_limits_the_electricity_used():
    # A 1.5 MW supply shared by both: hp_a at 4 MW uses 4/4 = 1 MW, hp_b may use the other
    # 0.5 MW: 0.5 · 2.5 = 1.25 MW of heat; the boiler 10 - 4 - 1.25 = 4.75 MW.
    # 4·10 + 1.25·16 + 4.75·25 = 40 + 20 + 118.75 = 178.75 EUR/h.
    group = {"units": ["hp_a", "hp_b"], "direction": "input", "carrier": "electricity"}
    res = run({"supply": {**group, "capacity_mw": 1.5}})
    assert res.attrs["objective_eur"] == pytest.approx(178.75 * HOURS)
    assert res["heat_mwh"].to_series()["hp_b"] == pytest.approx(1.25 * HOURS)


def test_expandable_station_is_sized_at_the_break_even():
    # Each MW of station saves, every hour: its first 4 MW replace boiler heat by hp_a's,
    # 25 - 10 = 15 EUR/MWh; the next 6 MW by hp_b's, 25 - 16 = 9 EUR/MWh. Over 4 h: 60 and
    # 36 EUR per MW. At 45 EUR per MW over the horizon only the first 4 MW pay: build 4 MW.
    # Objective: 4 MW · 45 + 4 h · (4·10 + 6·25) = 180 + 760 = 940 EUR.
    rate, life, fom = 0.05, 20, 1000.0
    capital = (45 / YEARS - fom) / annuity_factor(rate, life)
    expansion = {"capital_cost_eur_per_mw": capital, "fixed_om_eur_per_mw_year": fom}
    group = {"units": ["hp_a", "hp_b"], "capacity_mw": 0, "expansion": expansion}
    res = run({"station": {**group, "expansion": {**expansion, "lifetime_years": life}}})
    assert res.attrs["objective_eur"] == pytest.approx(940.0)
    assert float(res["capacity_group_new_mw"].sel(capacity_group="station")) == pytest.approx(4)
    assert float(res["cost_eur"].sel(cost_item="capital")) == pytest.approx(180.0)
    assert float(res["cost_eur"].sum()) == pytest.approx(res.attrs["objective_eur"])


HEAT_EXCHANGER = {"name": "hx", "type": "heat_exchanger", "source": "a", "sink": "main"}
BATTERY = {"name": "bat", "type": "battery", "energy_mwh": 1, "charge_mw": 1}


@pytest.mark.parametrize(
    ("unit", "group", "says"),
    [
        # a boiler burns fuel: an input, but not of carrier electricity
        (
            "gas_boiler",
            {"direction": "input", "carrier": "electricity"},
            "unit 'gas_boiler' has no input the group can limit (its ports have no electricity); "
            "expected units with a flow of electricity",
        ),
        # a heat exchanger takes source heat and no electricity
        (
            "hx",
            {"direction": "input", "carrier": "electricity"},
            "unit 'hx' has no input the group can limit (its ports have no electricity)",
        ),
        # a battery delivers electricity, neither heat nor cooling
        (
            "bat",
            {"direction": "output"},
            "unit 'bat' has no output the group can limit (its ports have no heat or cooling); "
            "expected units with a flow of heat or cooling (a group of `direction: output` "
            "limits the heat and cooling its units deliver)",
        ),
    ],
)
def test_a_unit_without_a_flow_of_the_direction_is_a_located_error(tmp_path, unit, group, says):
    # Only the model knows a unit's ports: the error comes when it is built, placed at the
    # file's line of the group's `units`.
    groups = {"supply": {"units": ["hp_a", unit], **group, "capacity_mw": 5}}
    units = [*UNITS, {**HEAT_EXCHANGER, "capacity_mw": 1}, BATTERY]
    path = scenario_file(tmp_path, units=units, capacity_groups=groups)
    with pytest.raises(ScenarioError) as err:
        restvarme.run(load_scenario(path))
    text = str(err.value)
    line = line_after(path, "capacity_groups:", "units:")
    assert f"scenario.yaml:{line}: capacity_groups.supply.units" in text
    assert says in text


def test_a_heat_exchanger_in_an_input_group_limits_its_source_heat():
    # Without a carrier an input group counts source heat: a heat exchanger is a valid member.
    # hx (3 MW) and hp_a share source a's 3 MW anyway; an input limit of 1 MW on hx alone caps
    # its direct use at 1 MW of heat (a heat exchanger's heat is the source heat it draws).
    units = [*UNITS, {**HEAT_EXCHANGER, "capacity_mw": 3}]
    res = run({"hx_in": {"units": ["hx"], "direction": "input", "capacity_mw": 1}}, units=units)
    assert res["heat_mw"].sel(unit="hx").max() == pytest.approx(1.0)
    np.testing.assert_allclose(res["capacity_group_flow_mw"].values, [[1.0]] * HOURS)


@pytest.mark.parametrize(
    ("groups", "where", "says"),
    [
        (
            {"s": {"units": ["hp_a", "hp_x"], "capacity_mw": 1}},
            "capacity_groups.s.units[1]",
            "unknown unit 'hp_x'",
        ),
        (
            {
                "s": {"units": ["hp_a"], "capacity_mw": 1},
                "t": {"units": ["hp_b", "hp_a"], "capacity_mw": 1},
            },
            "capacity_groups.t.units[1]",
            "already in capacity group 's'",
        ),
        (
            # a heat-only group and a group of all outputs both limit hp_a's heat
            {
                "s": {"units": ["hp_a"], "carrier": "heat", "capacity_mw": 1},
                "t": {"units": ["hp_a"], "capacity_mw": 1},
            },
            "capacity_groups.t.units[0]",
            "already in capacity group 's' for its output (heat)",
        ),
        (
            {"s": {"units": ["hp_a"], "direction": "output", "carrier": "fuel"}},
            "capacity_groups.s.carrier",
            "not an output",
        ),
    ],
)
def test_group_rules_name_the_file_and_key(tmp_path, groups, where, says):
    with pytest.raises(ScenarioError) as err:
        load_scenario(scenario_file(tmp_path, capacity_groups=groups))
    text = str(err.value)
    assert "scenario.yaml:" in text
    assert where in text
    assert says in text


def test_one_unit_may_be_in_an_output_and_an_input_group():
    # The station limits heat (6 MW), the supply electricity (1.5 MW): both hold. hp_a 4 MW
    # uses 1 MW; hp_b is left 0.5 MW of electricity (1.25 MW heat) and 2 MW of station: 1.25.
    groups = {
        "station": {"units": ["hp_a", "hp_b"], "capacity_mw": 6},
        "supply": {"units": ["hp_a", "hp_b"], "direction": "input", "carrier": "electricity"},
    }
    groups["supply"]["capacity_mw"] = 1.5
    res = run(groups)
    assert res.attrs["objective_eur"] == pytest.approx(178.75 * HOURS)


def test_expandable_group_in_a_pathway_is_built_when_gas_retires(scenario_factory):
    # tests/model/test_pathway.py's retirement case, with the electric boiler's capacity in a
    # group: gas (25 EUR/MWh) until it retires in 2030, then 10 MW of shared capacity at
    # 50 EUR/MW per horizon (r = 0, 2 years a period): 2000 + 2000 + 2 · (40·30 + 10·50) = 7400.
    from tests.model.test_pathway import YEARS as PATHWAY_YEARS
    from tests.model.test_pathway import gas
    from tests.model.test_pathway import run as run_pathway

    boiler = ELECTRIC_BOILER
    expansion = {"capital_cost_eur_per_mw": 50 / PATHWAY_YEARS * 20, "lifetime_years": 20}
    groups = {"station": {"units": ["eb"], "capacity_mw": 0, "expansion": expansion}}
    ds = run_pathway(
        scenario_factory,
        [gas(retired_year=2030), boiler],
        capacity_groups=groups,
    )
    assert ds.attrs["objective_eur"] == pytest.approx(7400.0, rel=1e-9)
    np.testing.assert_allclose(
        ds["capacity_group_new_mw"].sel(capacity_group="station"), [0, 0, 10], atol=1e-6
    )
    assert float(ds["discounted_cost_eur"].sum()) == pytest.approx(7400.0, rel=1e-9)
    np.testing.assert_allclose(
        ds["capacity_group_built_mw"].sel(capacity_group="station"), [0, 0, 10], atol=1e-6
    )


def test_summary_table_of_the_groups():
    res = run({"station": {"units": ["hp_a", "hp_b"], "capacity_mw": 6}})
    table = summary_tables(res)["capacity_groups"]
    assert table.loc["station", "total_mw"] == 6.0
    assert table.loc["station", "flow_mwh"] == pytest.approx(6 * HOURS)


@pytest.mark.parametrize(("lifetime", "built"), [(20, [10, 0]), (2, [10, 10])])
def test_expandable_group_in_a_myopic_pathway_carries_its_capacity(
    scenario_factory, lifetime, built
):
    # Two periods, 2026 and 2028, 2 years each (r = 0), no gas: the 10 MW load is met by the
    # electric boiler (30 EUR/MWh) through a group of 0 MW existing, 50 EUR/MW per horizon.
    # 2026 (planned alone) builds 10 MW: 2 · (40 · 30 + 10 · 50) = 3400. In 2028 a 20-year
    # station is still in service (carried: nothing more is built, its annuity of 500 per
    # horizon still paid); a 2-year one has retired (2026 + 2 <= 2028) and 2028 builds 10 MW
    # again. Either way 2028 costs 3400 as well: 6800 in total.
    from tests.model.test_pathway import YEARS as PATHWAY_YEARS
    from tests.model.test_pathway import run as run_pathway

    boiler = ELECTRIC_BOILER
    capital = 50 / PATHWAY_YEARS * lifetime  # straight line at r = 0: 50 per horizon
    expansion = {"capital_cost_eur_per_mw": capital, "lifetime_years": lifetime}
    groups = {"station": {"units": ["eb"], "capacity_mw": 0, "expansion": expansion}}
    periods = [{"year": 2026}, {"year": 2028}]
    pathway = {"periods": periods, "last_period_years": 2, "foresight": "myopic"}
    ds = run_pathway(scenario_factory, [boiler], capacity_groups=groups, pathway=pathway)
    assert ds.attrs["foresight"] == "myopic"
    assert ds.attrs["objective_eur"] == pytest.approx(6800.0, rel=1e-9)
    station = {"capacity_group": "station"}
    np.testing.assert_allclose(ds["capacity_group_built_mw"].sel(station), built, atol=1e-6)
    np.testing.assert_allclose(ds["capacity_group_new_mw"].sel(station), [10, 10], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_group_existing_mw"].sel(station), [0, 0], atol=1e-9)
    np.testing.assert_allclose(ds["capacity_group_total_mw"].sel(station), [10, 10], atol=1e-6)
    np.testing.assert_allclose(ds["cost_eur"].sel(cost_item="capital"), [500, 500], rtol=1e-9)
    assert float(ds["discounted_cost_eur"].sum()) == pytest.approx(6800.0, rel=1e-9)
    # the run folder's capacity_groups.csv, by period
    table = summary_tables(ds)["capacity_groups"]
    np.testing.assert_allclose(table["built_mw"].to_numpy(), built, atol=1e-6)
    np.testing.assert_allclose(table["total_mw"].to_numpy(), [10, 10], atol=1e-6)


def test_myopic_group_expansion_limit_shrinks_by_what_was_built(scenario_factory):
    # As above (20-year station), but at most 12 MW may ever be built and the load is 10 MW in
    # 2026, 14 MW in 2028. 2026 builds 10 MW; 2028 may add only 12 - 10 = 2 MW, so 2 MW of its
    # load stays unserved (5000 EUR/MWh): the limit is on the total, not per period.
    from tests.model.test_pathway import YEARS as PATHWAY_YEARS
    from tests.model.test_pathway import run as run_pathway

    boiler = ELECTRIC_BOILER
    expansion = {"capital_cost_eur_per_mw": 50 / PATHWAY_YEARS * 20, "max_mw": 12}
    groups = {"station": {"units": ["eb"], "capacity_mw": 0, "expansion": expansion}}
    periods = [
        {"year": 2026},
        {"year": 2028, "changes": {"networks.main.demand.series_mw": 14.0}},
    ]
    pathway = {"periods": periods, "last_period_years": 2, "foresight": "myopic"}
    ds = run_pathway(scenario_factory, [boiler], capacity_groups=groups, pathway=pathway)
    station = {"capacity_group": "station"}
    np.testing.assert_allclose(ds["capacity_group_built_mw"].sel(station), [10, 2], atol=1e-6)
    unserved = (ds["unserved_heat_mw"] * ds["snapshot_weight_h"]).sum(["snapshot", "network"])
    np.testing.assert_allclose(unserved, [0, 2 * 4], atol=1e-6)


def test_the_documented_station_shares_its_machine(tmp_path):
    # docs/scenario.md's example: 40 MW of demand, one 20 MW machine on ESS (30 °C, 12 MW) and
    # MAX IV (22 °C, 10 MW); bio-oil peak heat costs 60 / 0.9 = 66.7 EUR/MWh, more than either
    # heat pump's 40 / COP. So the machine runs at 20 MW; ESS's warmer source (higher COP) is
    # used up first: hp_ess draws all 12 MW, Q_ess = 12 / (1 - 1/COP_ess); MAX IV gets the
    # rest of the machine, 20 - Q_ess; the boiler the other 20 MW.
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "scenario.md").read_text(encoding="utf-8")
    block = text.split("<!-- example: heat_pump_station -->\n```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "station.yaml"
    path.write_text(block, encoding="utf-8")
    res = restvarme.run(load_scenario(path))
    cop_ess = res["heat_pump_cop"].isel(snapshot=0).to_series()
    assert cop_ess["hp_ess"] > cop_ess["hp_max_iv"]
    heat = res["heat_mw"].isel(snapshot=0).to_series()
    q_ess = 12 / (1 - 1 / cop_ess["hp_ess"])
    assert heat["hp_ess"] == pytest.approx(q_ess)
    assert heat["hp_max_iv"] == pytest.approx(20 - q_ess)
    assert heat["peak"] == pytest.approx(20)
    np.testing.assert_allclose(res["capacity_group_flow_mw"].values, 20.0)
