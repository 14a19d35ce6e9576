"""Neutrality tracking on a hand-made emissions table (pathway runs do not exist yet), and the
rows one dispatch run contributes to it."""

from __future__ import annotations

import pandas as pd
import pytest

import restvarme
from restvarme.accounting.targets import (
    emission_shares,
    emissions_table,
    linear_trajectory_t,
    neutrality_table,
    residual_emissions,
)

# Baseline 2024: 100 t. Periods 2026, 2028, 2030 (target: 0 t in 2030).
EMISSIONS = pd.DataFrame(
    [
        (2026, "chp", "wood", 50.0),
        (2026, "peak", "oil", 30.0),
        (2028, "chp", "wood", 25.0),
        (2028, "peak", "oil", 5.0),
        (2030, "chp", "wood", 4.0),
        (2030, "hp", "electricity", 1.0),
    ],
    columns=["period", "unit", "fuel", "emissions_t"],
)


def test_linear_trajectory_by_hand():
    # 100 t in 2024 to 0 in 2030: -16.667 t/yr -> 2026: 66.67, 2028: 33.33, 2030: 0; held after
    path = linear_trajectory_t(
        [2022, 2026, 2028, 2030, 2032], baseline_year=2024, baseline_t=100, target_year=2030
    )
    assert path.tolist() == pytest.approx([100, 200 / 3, 100 / 3, 0, 0])
    with pytest.raises(ValueError, match="after"):
        linear_trajectory_t([2030], baseline_year=2030, baseline_t=1, target_year=2030)


def test_neutrality_table_by_hand():
    path = linear_trajectory_t(
        [2026, 2028, 2030], baseline_year=2024, baseline_t=100, target_year=2030
    )
    table = neutrality_table(EMISSIONS, path, baseline_t=100, removals_t={2030: 2.0})
    # 2026: 80 - 66.67 = +13.33 (off track); 2028: 30 - 33.33 = -3.33 (on track);
    # 2030: 5 - 2 removed = 3 net, 3 above the zero target.
    assert table["emissions_t"].tolist() == pytest.approx([80, 30, 5])
    assert table["net_t"].tolist() == pytest.approx([80, 30, 3])
    assert table["gap_t"].tolist() == pytest.approx([80 - 200 / 3, 30 - 100 / 3, 3])
    assert table["on_track"].tolist() == [False, True, False]
    assert table["reduction_vs_baseline"].tolist() == pytest.approx([0.2, 0.7, 0.97])
    assert table["largest_unit"].tolist() == ["chp", "chp", "chp"]
    assert table.loc[2026, "largest_unit_share"] == pytest.approx(50 / 80)
    with pytest.raises(ValueError, match="no value for period"):
        neutrality_table(EMISSIONS, {2026: 1.0})


def test_shares_and_residual():
    shares = emission_shares(EMISSIONS, by="fuel")
    assert shares.loc[2026, "oil"] == pytest.approx(30 / 80)
    assert shares.sum(axis=1).tolist() == pytest.approx([1, 1, 1])
    by_both = emission_shares(EMISSIONS, by=["unit", "fuel"])
    assert by_both.loc[2030, ("hp", "electricity")] == pytest.approx(0.2)
    residual = residual_emissions(EMISSIONS, 2030)
    assert residual.attrs["period"] == 2030
    assert residual["emissions_t"].tolist() == pytest.approx([4.0, 1.0])
    assert residual.index[0] == ("chp", "wood")
    # a target year between periods looks at the last period before it
    assert residual_emissions(EMISSIONS, 2029).attrs["period"] == 2028
    with pytest.raises(ValueError, match="no period"):
        residual_emissions(EMISSIONS, 2020)
    with pytest.raises(ValueError, match="lacks column"):
        emission_shares(EMISSIONS.drop(columns="fuel"))


def test_rows_from_a_dispatch_run_add_up_to_its_emissions(scenario_factory):
    # A gas boiler (0.8) and an air heat pump (3 MW) buying electricity at 0.1 t/MWh: the
    # import emissions are placed on the heat pump, the fuel on the boiler; 4 h scaled to a year.
    ds = restvarme.run(
        scenario_factory(
            electricity={
                "price_eur_per_mwh": 40.0,
                "export_allowed": False,
                "emission_t_per_mwh": 0.1,
            },
            units=[
                {
                    "name": "boiler",
                    "type": "boiler",
                    "fuel": "gas",
                    "sink": "main",
                    "capacity_mw": 20,
                    "efficiency": 0.8,
                },
                {
                    "name": "hp",
                    "type": "heat_pump",
                    "cop_method": "carnot",
                    "source": "air",
                    "sink": "main",
                    "capacity_mw": 3,
                },
            ],
        )
    )
    rows = emissions_table(ds, period=2030)
    assert set(rows.columns) == {"period", "unit", "fuel", "emissions_t"}
    assert rows["emissions_t"].sum() == pytest.approx(float(ds["emissions_t"].sum()) * 8760 / 4)
    by_unit = rows.set_index(["unit", "fuel"])["emissions_t"]
    cop = 0.5 * 347.15 / 79
    assert by_unit[("hp", "electricity")] == pytest.approx(3 / cop * 0.1 * 8760)
    assert by_unit[("boiler", "gas")] == pytest.approx(7 / 0.8 * 0.2 * 8760)
    table = neutrality_table(rows, {2030: 0.0})
    assert not bool(table.loc[2030, "on_track"])


def test_a_pathway_run_gives_one_block_per_period(scenario_factory):
    # Gas boiler (0.25 t/MWh heat) retires in 2030, an electric boiler (0.1 t/MWh electricity)
    # takes over: 10 MW * 8760 h * 0.25 = 21,900 t/yr in 2026 and 2028, 8,760 t/yr in 2030.
    ds = restvarme.run(
        scenario_factory(
            discount_rate=0.0,
            electricity={
                "price_eur_per_mwh": 30.0,
                "export_allowed": False,
                "emission_t_per_mwh": 0.1,
            },
            pathway={"periods": [{"year": 2026}, {"year": 2028}, {"year": 2030}]},
            units=[
                {
                    "name": "gas",
                    "type": "boiler",
                    "fuel": "gas",
                    "sink": "main",
                    "capacity_mw": 20,
                    "efficiency": 0.8,
                    "retired_year": 2030,
                },
                {
                    "name": "eb",
                    "type": "electric_boiler",
                    "sink": "main",
                    "capacity_mw": 20,
                    "efficiency": 1.0,
                },
            ],
        )
    )
    rows = emissions_table(ds)
    by_period = rows.groupby("period")["emissions_t"].sum()
    assert by_period.to_dict() == pytest.approx({2026: 21_900.0, 2028: 21_900.0, 2030: 8_760.0})
    table = neutrality_table(
        rows,
        linear_trajectory_t(
            [2026, 2028, 2030], baseline_year=2026, baseline_t=21_900, target_year=2030
        ),
    )
    assert table["on_track"].tolist() == [True, False, False]
    assert residual_emissions(rows, 2030).index[0] == ("eb", "electricity")
    # the other accounting functions want one period at a time, and say so
    from restvarme.accounting import cost_by_unit

    with pytest.raises(ValueError, match=r"ds.sel\(period=2030\)"):
        cost_by_unit(ds)
    one = ds.sel(period=2028)
    assert cost_by_unit(one)["total"].sum() == pytest.approx(float(one["cost_eur"].sum()))
