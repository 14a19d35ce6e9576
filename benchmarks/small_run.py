"""The fixed costs of a small run (issue 11's fast loop, issue 15 target 1), in one process.

A test of the fast loop solves a few hours of a few units: HiGHS takes milliseconds, and the
run's time is restvarme's own bookkeeping around it. This script prints, median of
``--repeat`` after a warm-up run, wall milliseconds:

* each phase of ``restvarme.run`` on a 24-hour system of a gas boiler, an electric boiler and a
  heat store (``tests/tiny_scenarios.py``);
* building the inputs' and the results' Dataset with ``xr.Dataset`` against
  :func:`restvarme._dataset.dataset`, on that run and on Lund's inputs;
* reading Lund's scenario file with PyYAML's own loader against ``scenario.load._parse_yaml``
  (libyaml, where PyYAML has it).

Usage::

    python benchmarks/small_run.py
    python benchmarks/small_run.py --repeat 50
    PYTHONPATH=/path/to/other/checkout/src python benchmarks/small_run.py   # phases only there
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def phases(repeat: int) -> None:
    import restvarme
    from tiny_scenarios import E_BOILER, GAS_BOILER, make_scenario

    store = {"name": "tank", "type": "storage", "network": "main", "energy_mwh": 20}
    sf = make_scenario(
        Path(tempfile.mkdtemp()),
        units=[GAS_BOILER, E_BOILER, {**store, "charge_mw": 5}],
        horizon={"hours": 24},
    )
    restvarme.run(sf)
    seen: dict[str, list[float]] = {}
    for _ in range(repeat):
        timings = restvarme.run(sf).attrs["timings_s"]
        timings = ast.literal_eval(timings) if isinstance(timings, str) else timings
        for name, seconds in timings.items():
            seen.setdefault(name, []).append(seconds)
    print(f"restvarme from {Path(restvarme.__file__).parent}")
    print(f"restvarme.run, 24 h, gas boiler + electric boiler + heat store, median of {repeat}:")
    for name, values in seen.items():
        if name != "import":
            print(f"  {name:10s} {statistics.median(values) * 1000:7.1f} ms")
    print(f"  {'in all':10s} {sum(statistics.median(v) for v in seen.values()) * 1000:7.1f} ms")


def datasets(repeat: int) -> None:
    import xarray as xr

    import restvarme
    from restvarme._dataset import dataset
    from restvarme.inputs.build import build_inputs
    from tiny_scenarios import E_BOILER, GAS_BOILER, make_scenario

    sf = make_scenario(Path(tempfile.mkdtemp()), units=[GAS_BOILER, E_BOILER])
    cases = {
        "a tiny run's results": restvarme.run(sf),
        "a tiny run's inputs": build_inputs(sf),
        "Lund's inputs": build_inputs(restvarme.load("lund")),
    }
    print(f"one Dataset from the arrays, median of {repeat}: xr.Dataset -> restvarme._dataset")
    for name, ds in cases.items():
        data = {k: ds[k] for k in ds.data_vars}
        theirs = _median_ms(lambda data=data: xr.Dataset(data), repeat)
        ours = _median_ms(lambda data=data: dataset(data), repeat)
        print(f"  {name:22s} ({len(data):3d} arrays) {theirs:6.1f} -> {ours:5.1f} ms")


def yaml_files(repeat: int) -> None:
    import yaml

    from restvarme.examples import examples_dir
    from restvarme.scenario import load

    text = (examples_dir() / "lund" / "scenario.yaml").read_text(encoding="utf-8")
    pure = _median_ms(lambda: load._parse_with(text, yaml.SafeLoader), repeat)
    used = _median_ms(lambda: load._parse_yaml(text), repeat)
    print(f"Lund's scenario file, median of {repeat}: PyYAML's loader {pure:.1f} ms, read as a")
    print(f"  run reads it {used:.1f} ms (libyaml: {load._FAST_LOADER is not None})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    phases(args.repeat)
    try:
        datasets(args.repeat)
        yaml_files(args.repeat)
    except (ImportError, AttributeError) as exc:  # an older checkout: its phases only
        print(f"(no further figures: {exc})")


if __name__ == "__main__":
    main()
