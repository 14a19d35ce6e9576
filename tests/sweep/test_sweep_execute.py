"""Running a sweep: each case against a hand calculation, failures recorded, resume."""

from __future__ import annotations

import pandas as pd
import pytest
from sweep_files import FACTORIAL, write_base, write_plan_base, write_sweep

from restvarme.sweep.execute import run_sweep
from restvarme.sweep.spec import load_sweep
from tiny_scenarios import GAS_BOILER

pytest.importorskip("pyarrow")


def hand_calculation(carbon_eur_per_t: float, gas_eur_per_mwh: float) -> dict[str, float]:
    """One case of the factorial sweep on write_plan_base's scenario, worked out by hand.

    4 h of 10 MW: 40 MWh of heat. The data centre gives 5 MW (20 MWh) at 5 EUR/MWh: 100 EUR.
    The other 20 MWh come from the cheaper of
      gas boiler: gas / 0.8 + carbon * 0.2 / 0.8 EUR/MWh of heat (0.25 t/MWh of heat), and
      electric boiler: 40 EUR/MWh of electricity, plus 5 MW to build at 1 EUR/MW an hour
      (8,760 EUR/MW paid in one year, for 4 of its 8,760 h): 20 EUR, 1 EUR/MWh over 20 MWh.
    The data centre's heat is worth what the unit it displaces costs at the margin: the gas
    boiler's cost per MWh, or the electric boiler's 40 + 1 EUR/MWh (its capacity's dual, 4 EUR/MW
    over the 4 h, is 1 EUR/MWh in the mean).
    """
    gas = gas_eur_per_mwh / 0.8 + carbon_eur_per_t * 0.25
    if gas < 41.0:
        return {
            "total_cost_eur": 100 + 20 * gas,
            "emissions_t": 20 * 0.25,
            "waste_heat_value_eur_per_mwh.dc": gas,
            "capacity_new.eb": 0.0,
        }
    return {
        "total_cost_eur": 100 + 20 * 40 + 20,
        "emissions_t": 0.0,
        "waste_heat_value_eur_per_mwh.dc": 41.0,
        "capacity_new.eb": 5.0,
    }


def test_each_case_of_a_factorial_sweep_costs_what_the_hand_calculation_says(tmp_path):
    write_plan_base(tmp_path)
    done = run_sweep(
        load_sweep(write_sweep(tmp_path, FACTORIAL)), tmp_path / "out", processes=0, progress=False
    )
    assert (done.ran, done.skipped, done.failed) == (4, 0, 0)
    table = pd.read_parquet(tmp_path / "out" / "results.parquet")
    assert list(table["carbon_price_eur_per_t"]) == [0, 0, 100, 100]
    assert list(table["fuels.gas.price_eur_per_mwh"]) == [20, 30, 20, 30]
    # by hand: 600, 850 (gas); 920, 920 (the electric boiler, built to 5 MW)
    for _, row in table.iterrows():
        expected = hand_calculation(
            row["carbon_price_eur_per_t"], row["fuels.gas.price_eur_per_mwh"]
        )
        for name, value in expected.items():
            assert row[name] == pytest.approx(value, abs=1e-6), name
    assert list(table["total_cost_eur"].round(6)) == [600, 850, 920, 920]


def test_a_failing_case_is_recorded_with_its_error_and_the_rest_are_done(tmp_path):
    write_base(tmp_path)
    # each value is valid alone; supply 50 °C with return 60 °C is not
    sweep = load_sweep(
        write_sweep(
            tmp_path,
            "base: scenario.yaml\n"
            "parameters:\n"
            "  networks.main.supply_temperature_c: {values: [70, 50]}\n"
            "  networks.main.return_temperature_c: {values: [40, 60]}\n",
        )
    )
    done = run_sweep(sweep, tmp_path / "out", processes=0, progress=False)
    assert (done.ran, done.failed) == (4, 1)
    table = pd.read_parquet(tmp_path / "out" / "results.parquet")
    assert list(table["status"]) == ["ok", "ok", "ok", "failed"]
    assert "supply_temperature_c must be above return_temperature_c" in table.loc[3, "error"]
    assert pd.isna(table.loc[3, "total_cost_eur"])
    # the others: the gas boiler's 50 MWh of gas at 20 EUR/MWh
    assert list(table["total_cost_eur"][:3]) == [1000.0, 1000.0, 1000.0]


def test_an_interrupted_sweep_resumes_without_running_finished_cases_again(tmp_path):
    write_base(tmp_path)
    sweep = load_sweep(write_sweep(tmp_path, FACTORIAL))
    out = tmp_path / "out"
    seen: list[int] = []

    def interrupt_after_two(record: dict) -> None:
        seen.append(record["case"])
        if len(seen) == 2:
            raise KeyboardInterrupt

    first = run_sweep(sweep, out, processes=0, progress=False, on_record=interrupt_after_two)
    assert first.interrupted and first.ran == 2
    assert len(pd.read_parquet(out / "results.parquet")) == 2
    files = {p.name: p.read_text() for p in (out / "cases").glob("*.json")}
    assert len(files) == 2

    again: list[int] = []
    second = run_sweep(
        sweep, out, processes=0, progress=False, on_record=lambda r: again.append(r["case"])
    )
    assert (second.ran, second.skipped) == (2, 2)
    assert sorted(again + seen) == [0, 1, 2, 3]  # the other two cases, and only those
    for name, text in files.items():  # the finished cases' files are untouched
        assert (out / "cases" / name).read_text() == text
    table = pd.read_parquet(out / "results.parquet")
    assert list(table["total_cost_eur"]) == [1000.0, 1500.0, 2000.0, 2500.0]


def test_a_changed_base_scenario_does_not_reuse_old_cases(tmp_path):
    write_base(tmp_path)
    path = write_sweep(tmp_path, FACTORIAL)
    out = tmp_path / "out"
    run_sweep(load_sweep(path), out, processes=0, progress=False)
    # the boiler now at 100 %: 40 MWh of gas instead of 50
    write_base(tmp_path, units=[{**GAS_BOILER, "efficiency": 1.0}])
    rerun = run_sweep(load_sweep(path), out, processes=0, progress=False)
    assert (rerun.ran, rerun.skipped, rerun.ignored_files) == (4, 0, 4)
    table = pd.read_parquet(out / "results.parquet")
    # 40 MWh of gas at 20 or 30 EUR/MWh, 8 t at 0 or 100 EUR/t
    assert list(table["total_cost_eur"]) == [800.0, 1200.0, 1600.0, 2000.0]


@pytest.mark.slow
def test_local_processes_and_a_dask_local_cluster_give_the_same_table(tmp_path):
    pytest.importorskip("distributed")
    write_plan_base(tmp_path)
    sweep = load_sweep(write_sweep(tmp_path, FACTORIAL))
    local = run_sweep(sweep, tmp_path / "local", processes=2, progress=False)
    dask = run_sweep(sweep, tmp_path / "dask", workers=2, progress=False)
    assert local.ran == dask.ran == 4
    drop = ["seconds"]
    a = pd.read_parquet(tmp_path / "local" / "results.parquet").drop(columns=drop)
    b = pd.read_parquet(tmp_path / "dask" / "results.parquet").drop(columns=drop)
    pd.testing.assert_frame_equal(a, b)
    assert list(a["total_cost_eur"].round(6)) == [600, 850, 920, 920]


def test_a_lost_worker_fails_its_case_on_dask_and_leaves_it_pending_locally():
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from restvarme.sweep.execute import CaseTask, _result

    task = CaseTask(case=3, key="k", values={"a": 1.0}, data={}, scenario_path=None, base_dir=".")
    broken: Future = Future()
    broken.set_exception(BrokenProcessPool("a child process terminated abruptly"))
    assert _result(broken, task)["status"] == "lost"  # not written: runs again on resume

    class KilledWorker(Exception):  # as distributed.scheduler.KilledWorker, after Dask's retries
        pass

    killed: Future = Future()
    killed.set_exception(KilledWorker("restvarme-case-k"))
    record = _result(killed, task)
    assert (record["status"], record["case"]) == ("failed", 3)
    assert record["error"] == "KilledWorker: restvarme-case-k"


def test_alternative_series_files_are_a_parameter_and_their_bytes_are_in_the_key(tmp_path):
    eb = {"name": "eb", "type": "electric_boiler", "sink": "main", "capacity_mw": 20}
    write_base(tmp_path, units=[{**eb, "efficiency": 1.0}])
    (tmp_path / "series").mkdir()
    for name, price in (("price_2022.csv", 40), ("price_2023.csv", 60)):
        rows = "".join(f"2030-01-01T0{h}:00,{price}\n" for h in range(4))
        (tmp_path / "series" / name).write_text(f"time,price\n{rows}", encoding="utf-8")
    path = write_sweep(
        tmp_path,
        "base: scenario.yaml\n"
        "parameters:\n"
        "  electricity.price_eur_per_mwh:\n"
        "    series: [series/price_2022.csv, series/price_2023.csv]\n",
    )
    out = tmp_path / "out"
    run_sweep(load_sweep(path), out, processes=0, progress=False)
    table = pd.read_parquet(out / "results.parquet")
    # 40 MWh of heat from 40 MWh of electricity at 40 or 60 EUR/MWh
    assert table["electricity.price_eur_per_mwh"].tolist() == [
        "series/price_2022.csv",
        "series/price_2023.csv",
    ]
    assert table["total_cost_eur"].tolist() == [1600.0, 2400.0]
    # the 2023 file rewritten at 50 EUR/MWh: every key changes (the base digest holds the
    # bytes of every series file), so both cases run again and none is reused
    rows = "".join(f"2030-01-01T0{h}:00,50\n" for h in range(4))
    (tmp_path / "series" / "price_2023.csv").write_text(f"time,price\n{rows}", encoding="utf-8")
    rerun = run_sweep(load_sweep(path), out, processes=0, progress=False)
    assert (rerun.ran, rerun.skipped) == (2, 0)
    assert pd.read_parquet(out / "results.parquet")["total_cost_eur"].tolist() == [1600.0, 2000.0]


class _Started(Exception):
    """Raised by the fake pool below once it has seen how it was made."""


def test_local_workers_each_leave_highs_their_share_of_the_cores(monkeypatch):
    # two workers on four cores: two threads each for HiGHS (restvarme.model.highs.cores reads
    # OMP_NUM_THREADS); more workers than cores: one each
    from restvarme.model import highs
    from restvarme.sweep import execute

    made: dict = {}

    def pool(**kwargs):
        made.update(kwargs)
        raise _Started

    monkeypatch.setattr(execute, "ProcessPoolExecutor", pool)
    with pytest.raises(_Started):
        next(execute._run_local([object(), object(), object()], 2))
    assert made["max_workers"] == 2
    assert made["initializer"] is execute.share_cores and made["initargs"] == (2,)

    monkeypatch.setattr(highs, "cores", lambda: 4)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")  # restored after the test
    execute.share_cores(2)
    assert highs.os.environ["OMP_NUM_THREADS"] == "2"
    execute.share_cores(8)
    assert highs.os.environ["OMP_NUM_THREADS"] == "1"
