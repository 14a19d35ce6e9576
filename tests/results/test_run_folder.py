"""Atomic, owned run folders (issue 12, item 3): what `restvarme run` writes, what every reader
accepts, and what a second run, a user's files and a bad `--out` get.

Each test here failed before run folders had a manifest and a lock: a 0-byte `results.nc` made
`accounts`, `report` and `compare` crash with tracebacks, a missing CSV went unnoticed, a second
run into the same folder was not refused, a cooling run's CSVs stayed beside a later heating
run's results, a user's `units.csv` was overwritten, and a bad `--out` failed only after solving.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from run_folders import COOLING, COOLING_ONLY_FILES, HEAT, READERS, assert_rejected, invoke_reader
from typer.testing import CliRunner

import restvarme
from restvarme.cli import app
from restvarme.results.folder import (
    LOCK_FILE,
    MANIFEST_FILE,
    IncompleteRunFolderError,
    RunFolderBusyError,
    RunFolderError,
    output_folder,
    verify_run_folder,
)
from restvarme.results.io import read_results, read_run

runner = CliRunner()
SRC = Path(restvarme.__file__).parents[1]


def run_cli(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("scenarios")
    paths = {"heat": base / "heat.yaml", "cooling": base / "cooling.yaml"}
    paths["heat"].write_text(HEAT)
    paths["cooling"].write_text(COOLING)
    return paths


@pytest.fixture(scope="module")
def complete_run(tmp_path_factory, scenarios) -> Path:
    """A complete run folder of the heat scenario, written by `restvarme run`."""
    out = tmp_path_factory.mktemp("complete") / "run"
    result = run_cli("run", str(scenarios["heat"]), "--out", str(out), "-q")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def no_solve(monkeypatch):
    """Fail the test if the scenario is read or solved."""

    def called(*args, **kwargs):
        raise AssertionError("the scenario was read or solved before --out was checked")

    monkeypatch.setattr(restvarme, "load", called)
    monkeypatch.setattr(restvarme, "run", called)


# --- what a run writes ---------------------------------------------------------------------------


def test_manifest_lists_every_file_with_size_and_hash(complete_run):
    manifest = json.loads((complete_run / MANIFEST_FILE).read_text())
    assert manifest["format"] == "restvarme run folder" and manifest["format_version"] == 1
    assert manifest["restvarme_version"] == restvarme.__version__
    assert manifest["created"].endswith("+00:00")
    on_disk = {p.name for p in complete_run.iterdir()} - {MANIFEST_FILE}
    assert set(manifest["files"]) == on_disk  # no lock or staging folder left behind
    assert {"results.nc", "units.csv", "scenario.resolved.json"} <= on_disk
    for name, entry in manifest["files"].items():
        data = (complete_run / name).read_bytes()
        assert entry["bytes"] == len(data) > 0
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    ds, scenario = read_run(complete_run)
    assert scenario["name"] == "Tiny heat" and ds.sizes["snapshot"] == 6


# --- half folders ----------------------------------------------------------------------------


def _zero(folder: Path, name: str) -> None:
    (folder / name).write_bytes(b"")


def _flip(path: Path) -> None:
    """Change 8 bytes in the middle of a file, keeping its size."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))


DAMAGE = {
    # what a run killed while writing left before the fix
    "0-byte results.nc": lambda f: _zero(f, "results.nc"),
    "0-byte CSV": lambda f: _zero(f, "units.csv"),
    "missing CSV": lambda f: (f / "hourly_heat_mw.csv").unlink(),
    "missing resolved scenario": lambda f: (f / "scenario.resolved.json").unlink(),
    "changed results.nc": lambda f: _flip(f / "results.nc"),
    # a complete netCDF and CSVs but no manifest: a run killed before its last step
    "no manifest": lambda f: (f / MANIFEST_FILE).unlink(),
    "damaged manifest": lambda f: (f / MANIFEST_FILE).write_text("{"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_half_folder_is_rejected_by_every_reader(complete_run, tmp_path, damage):
    folder = tmp_path / "half"
    shutil.copytree(complete_run, folder)
    DAMAGE[damage](folder)
    for reader in READERS:
        assert_rejected(invoke_reader(reader, folder, complete_run, tmp_path), reader)
    with pytest.raises(IncompleteRunFolderError, match="incomplete run folder: "):
        read_results(folder)
    with pytest.raises(IncompleteRunFolderError):
        read_results(folder / "results.nc")  # the netCDF path is checked like its folder
    from restvarme.report.compare import compare_runs

    with pytest.raises(IncompleteRunFolderError):
        compare_runs([complete_run, folder])
    assert not (tmp_path / "report.html").exists()


def test_the_message_names_each_file_and_what_to_do(complete_run, tmp_path):
    folder = tmp_path / "half"
    shutil.copytree(complete_run, folder)
    _zero(folder, "results.nc")
    (folder / "units.csv").unlink()
    result = run_cli("accounts", str(folder))
    assert result.exit_code == 2
    size = json.loads((folder / MANIFEST_FILE).read_text())["files"]["results.nc"]["bytes"]
    assert f"incomplete run folder: {folder}: 2 problems:" in result.output
    assert f"results.nc: 0 bytes, manifest.json lists {size:,}" in result.output
    assert "units.csv: missing" in result.output
    assert "run the scenario again" in result.output
    with pytest.raises(IncompleteRunFolderError) as caught:
        read_results(folder)
    assert str(pickle.loads(pickle.dumps(caught.value))) == str(caught.value)


def test_a_folder_written_by_a_newer_restvarme_is_refused(complete_run, tmp_path):
    folder = tmp_path / "newer"
    shutil.copytree(complete_run, folder)
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest["format_version"] = 99
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(RunFolderError, match="newer restvarme"):
        verify_run_folder(folder)


def test_a_manifest_cannot_make_a_run_delete_other_files(complete_run, tmp_path, scenarios):
    # A doctored manifest lists a user's file and a path outside the folder: neither is touched.
    folder = tmp_path / "doctored"
    shutil.copytree(complete_run, folder)
    (folder / "thesis.docx").write_text("mine")
    (tmp_path / "outside.csv").write_text("mine too")
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest["derived"] = ["thesis.docx", "../outside.csv"]
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert run_cli("run", str(scenarios["heat"]), "--out", str(folder), "-q").exit_code == 0
    assert (folder / "thesis.docx").read_text() == "mine"
    assert (tmp_path / "outside.csv").read_text() == "mine too"


# --- a second run ----------------------------------------------------------------------------

HOLD_LOCK = """
import sys, time
from restvarme.results.folder import output_folder
with output_folder(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_a_second_run_into_a_folder_in_use_is_refused_at_once(tmp_path, scenarios, no_solve):
    folder = tmp_path / "busy"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        start = time.perf_counter()
        result = run_cli("run", str(scenarios["heat"]), "--out", str(folder))
        assert time.perf_counter() - start < 5
        assert result.exit_code == 2, result.output
        assert "another restvarme process" in result.output
        assert f"pid {holder.pid}" in result.output
        assert "is writing into this folder" in result.output
        with pytest.raises(RunFolderBusyError):
            with output_folder(folder):
                pass
    finally:
        holder.kill()  # SIGKILL: its lock file stays behind, but not its lock
        holder.wait()
    assert (folder / LOCK_FILE).exists()
    with output_folder(folder) as out:  # a killed holder never blocks the next run
        assert out.path == folder


def test_the_same_folder_twice_in_one_process_is_refused(tmp_path):
    with output_folder(tmp_path / "x"):
        with pytest.raises(RunFolderBusyError, match="another restvarme process"):
            with output_folder(tmp_path / "x"):
                pass
    with output_folder(tmp_path / "x"):  # released at the end of the block
        pass


def test_a_run_replaces_its_own_earlier_results_and_nothing_else(tmp_path, scenarios):
    folder = tmp_path / "out"
    result = run_cli("run", str(scenarios["cooling"]), "--out", str(folder), "--report", "-q")
    assert result.exit_code == 0, result.output
    assert COOLING_ONLY_FILES <= {p.name for p in folder.iterdir()}
    assert (folder / "report.html").is_file()
    (folder / "notes.txt").write_text("my notes")
    (folder / "analysis").mkdir()
    (folder / "analysis" / "units.csv").write_text("my table")
    result = run_cli("run", str(scenarios["heat"]), "--out", str(folder), "-q")
    assert result.exit_code == 0, result.output
    names = {p.name for p in folder.iterdir()}
    assert not names & COOLING_ONLY_FILES  # the cooling run's CSVs are gone
    assert "report.html" not in names  # it described the cooling run
    assert (folder / "notes.txt").read_text() == "my notes"
    assert (folder / "analysis" / "units.csv").read_text() == "my table"
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    assert names == {*manifest["files"], MANIFEST_FILE, "notes.txt", "analysis"}
    assert read_run(folder)[1]["name"] == "Tiny heat"


# a whole workflow: two runs, a price list and two reports (derived files: also the plan test below)
@pytest.mark.slow
def test_files_written_after_the_run_are_listed_as_derived(tmp_path, scenarios):
    folder = tmp_path / "out"
    assert run_cli("run", str(scenarios["heat"]), "--out", str(folder), "-q").exit_code == 0
    result = run_cli("waste-heat-value", str(folder), "--source", "w", "--temperatures", "40")
    assert result.exit_code == 0, result.output
    assert run_cli("report", str(folder), "--quiet").exit_code == 0
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    assert manifest["derived"] == ["report.html", "waste_heat_price_list_w.csv"]
    verify_run_folder(folder)  # derived files are not hashed: they may be written again
    assert run_cli("report", str(folder), "--quiet").exit_code == 0
    verify_run_folder(folder)
    assert run_cli("run", str(scenarios["heat"]), "--out", str(folder), "-q").exit_code == 0
    assert not (folder / "report.html").exists()
    assert not (folder / "waste_heat_price_list_w.csv").exists()


# --- a user's files --------------------------------------------------------------------------


def test_a_users_file_named_like_an_output_is_refused_without_overwrite(
    tmp_path, scenarios, monkeypatch
):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "units.csv").write_text("my own units")
    (folder / "notes.txt").write_text("my notes")
    solved = []
    real_run = restvarme.run
    monkeypatch.setattr(restvarme, "run", lambda *a, **k: solved.append(1) or real_run(*a, **k))
    result = run_cli("run", str(scenarios["heat"]), "--out", str(folder))
    assert result.exit_code == 2, result.output
    assert "holds units.csv, named like restvarme's output" in result.output
    assert "--overwrite" in result.output
    assert not solved
    assert (folder / "units.csv").read_text() == "my own units"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "units.csv"]
    result = run_cli("run", str(scenarios["heat"]), "--out", str(folder), "--overwrite", "-q")
    assert result.exit_code == 0, result.output
    assert solved and (folder / "units.csv").read_text() != "my own units"
    assert (folder / "notes.txt").read_text() == "my notes"
    verify_run_folder(folder)


def test_the_python_api_refuses_a_users_file_too(tmp_path, complete_run):
    from restvarme.results.io import write_results

    ds = read_results(complete_run)
    (tmp_path / "results.nc").write_text("not mine to replace")
    with pytest.raises(RunFolderError, match=r"results\.nc"):
        write_results(ds, tmp_path)
    assert (tmp_path / "results.nc").read_text() == "not mine to replace"
    write_results(ds, tmp_path, overwrite=True)
    assert read_results(tmp_path).identical(ds)


# --- --out is checked before any work --------------------------------------------------------


@pytest.mark.parametrize("where", ["a file", "below a file"])
def test_out_is_checked_before_the_scenario_is_read(tmp_path, scenarios, no_solve, where):
    (tmp_path / "taken").write_text("a file")
    out = tmp_path / "taken" if where == "a file" else tmp_path / "taken" / "run"
    result = run_cli("run", str(scenarios["heat"]), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    expected = "is a file, not a folder" if where == "a file" else "is a file, not a folder)"
    assert f"{out}: " in result.output and expected in result.output
    assert (tmp_path / "taken").read_text() == "a file"


def test_a_failed_run_leaves_no_empty_folder_behind(tmp_path, scenarios):
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAT.replace("capacity_mw: 20, efficiency", "capacity_mw: -20, efficiency"))
    result = run_cli("run", str(bad), "--out", str(tmp_path / "new" / "run"))
    assert result.exit_code == 2
    assert not (tmp_path / "new").exists()


def _without_root_override() -> list[str] | None:
    """How to run a command that file permissions apply to: as it is for a normal user; for root,
    under setpriv without the capability to override them; None if that is not possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


SPY_RUN = """
import sys
import restvarme
from pathlib import Path

def spy(*args, **kwargs):
    Path(sys.argv[1]).write_text("called")
    raise SystemExit(3)

restvarme.load = restvarme.run = spy
from restvarme.cli import app
app(sys.argv[2:], prog_name="restvarme")
"""


@pytest.mark.slow  # two processes started (without root's override of file modes): seconds
@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_read_only_out_fails_at_once(tmp_path, scenarios):
    prefix = _without_root_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: file modes do not apply")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    marker = tmp_path / "called"
    try:
        for out in (folder, folder / "run"):
            argv = ["run", str(scenarios["heat"]), "--out", str(out)]
            proc = subprocess.run(
                [*prefix, sys.executable, "-c", SPY_RUN, str(marker), *argv],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"},
                timeout=120,
            )
            assert proc.returncode == 2, proc.stdout + proc.stderr
            assert "Traceback" not in proc.stderr
            assert f"{out}: cannot write into this folder (permission denied)" in proc.stderr
            assert not marker.exists()  # neither read nor solved
    finally:
        folder.chmod(0o755)


def test_no_traceback_for_a_folder_that_is_not_a_run(tmp_path, complete_run):
    (tmp_path / "empty").mkdir()
    for reader in READERS:
        for folder in (tmp_path / "empty", tmp_path / "missing"):
            assert_rejected(invoke_reader(reader, folder, complete_run, tmp_path), reader)


def test_the_report_checks_the_folder_before_writing(complete_run, tmp_path):
    folder = tmp_path / "half"
    shutil.copytree(complete_run, folder)
    (folder / "costs.csv").unlink()
    result = run_cli("report", str(folder))
    assert result.exit_code == 2 and "costs.csv: missing" in result.output
    assert not (folder / "report.html").exists()


def test_every_file_a_run_writes_is_named_like_an_output_and_documented():
    from restvarme.results.folder import OUTPUT_NAMES, OUTPUT_PATTERNS, named_like_output
    from restvarme.results.io import result_files
    from tiny_scenarios import GAS_BOILER, make_scenario

    dc = {"supply_temperature_c": 6, "return_temperature_c": 16, "demand": {"series_mw": 5}}
    cooling = make_scenario(
        units=[GAS_BOILER, {"name": "ch", "type": "chiller", "sink": "dc", "capacity_mw": 20}],
        cooling_networks={"dc": dc},
    )
    pathway = make_scenario(
        units=[GAS_BOILER], pathway={"periods": [{"year": 2026}, {"year": 2030}]}
    )
    for sf in (cooling, pathway):
        names = set(result_files(restvarme.run(sf), "{}"))
        assert all(named_like_output(n) for n in names), names
    docs = (Path(__file__).parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    for name in [*sorted(OUTPUT_NAMES - {"figures"}), "figures/"]:
        assert f"`{name}`" in docs, name
    patterns = ("hourly_*.csv", "waste_heat_price_list_*.csv", "accounts_*.csv", "operate_*")
    assert OUTPUT_PATTERNS == patterns and "`operate_*`" in docs
    assert "`hourly_*.csv`" in docs and "`waste_heat_price_list_<source>.csv`" in docs
    assert "`accounts_*.csv`" in docs


def test_a_plans_aggregation_check_is_derived_and_replaced_by_the_next_plan(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        HEAT.replace("horizon: {hours: 6}", "horizon: {hours: 8, resolution_h: 2}")
        + "  - {name: eb, type: electric_boiler, sink: main, capacity_mw: 0,\n"
        "     expansion: {capital_cost_eur_per_mw: 1000, lifetime_years: 20}}\n"
    )
    folder = tmp_path / "plan"
    for _ in range(2):  # the second plan replaces the first's check without --overwrite
        result = run_cli("plan", str(plan), "--out", str(folder), "-q")
        assert result.exit_code == 0, result.output
        manifest = verify_run_folder(folder)
        assert manifest["derived"] == ["aggregation_check.csv"]
        assert (folder / "aggregation_check.csv").is_file()
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_server_mode_names_no_absolute_path(complete_run, tmp_path, monkeypatch):
    from restvarme.errors import SERVER_MODE_ENV

    monkeypatch.setenv(SERVER_MODE_ENV, "1")
    folder = tmp_path / "half"
    shutil.copytree(complete_run, folder)
    _zero(folder, "results.nc")
    (tmp_path / "taken").write_text("a file")
    messages = []
    with pytest.raises(IncompleteRunFolderError) as caught:
        read_results(folder)
    messages.append(str(caught.value))
    with pytest.raises(RunFolderError) as caught:
        read_results(tmp_path / "nowhere")
    messages.append(str(caught.value))
    with pytest.raises(RunFolderError) as caught:
        with output_folder(tmp_path / "taken" / "run"):
            pass
    messages.append(str(caught.value))
    assert not [m for m in messages if str(tmp_path) in m], messages
    assert messages[0].startswith("incomplete run folder: half: results.nc: 0 bytes")
    assert messages[2].startswith("run: cannot create this folder (taken is a file")
