"""The kill test of issue 12: `restvarme run` SIGKILLed at steps while writing its output folder
leaves a folder that every reader rejects, or a complete result (the previous one, or the new one
once its manifest is in place), never a half folder that reads as complete; and the next run
into it needs no --overwrite.

tests/results/kill_run.py runs the real command in forked children and kills each at one step
that changes the file system (before each write, with a file half written, before each rename
and removal). Both tests are marked ``slow`` (forked processes, each run and reader again: seconds;
the fast loop keeps tests/results/test_run_folder.py's half folders, rejected by every reader).
The first kills at a step of each outcome (the previous result whole, a folder every reader
rejects, the new result) and at the journal's arrival, over a previous run and into a new folder,
and checks that the next run after each needs no --overwrite; the second kills at every other
step but the writes of staged data files after the first (which leave the same state as the
first), and checks the next run after each step of each kind (:data:`KINDS`, :data:`FRESH_KINDS`)
that the first leaves out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from run_folders import COOLING, COOLING_ONLY_FILES, HEAT, READERS, assert_rejected, invoke_reader
from typer.testing import CliRunner

import restvarme
from restvarme.cli import app
from restvarme.results.folder import (
    JOURNAL_FILE,
    LOCK_FILE,
    MANIFEST_FILE,
    STAGING_PREFIX,
    RunFolderError,
    named_like_output,
    verify_run_folder,
)
from restvarme.results.io import read_results

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper forks")

KILL_RUN = Path(__file__).with_name("kill_run.py")
SRC = Path(restvarme.__file__).parents[1]
runner = CliRunner()


def run_cli(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def kill_runs(scenario: Path, jobs: list[tuple[Path, int, Path]]) -> list[dict]:
    """Run the helper once: one child per (folder, step, step log); its JSON lines."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"}
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    listed = [{"out": str(o), "n": n, "log": str(log)} for o, n, log in jobs]
    proc = subprocess.run(
        [sys.executable, str(KILL_RUN), str(scenario), json.dumps(listed)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def files_of(folder: Path) -> dict[str, str]:
    return {n: e["sha256"] for n, e in verify_run_folder(folder)["files"].items()}


def outputs_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if named_like_output(p.name)}


def check_killed_folder(
    folder: Path, step: str, previous: dict | None, new: dict, good: Path, scratch: Path
) -> str:
    """Assert the folder reads as one complete run or is rejected by every reader; say which."""
    try:
        files = files_of(folder)
    except RunFolderError:
        for reader in READERS:
            assert_rejected(invoke_reader(reader, folder, good, scratch), f"{step}: {reader}")
        with pytest.raises(RunFolderError):
            read_results(folder)
        return "rejected"
    # the manifest's hashes hold: the files are the previous run's (byte for byte) or the new's
    # (whose netCDF differs from run to run in its timings)
    assert files == previous or set(files) == set(new), f"killed at {step!r}: {sorted(files)}"
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    present_derived = {n for n in manifest["derived"] if (folder / n).exists()}
    # nothing beside the results that this manifest does not account for (no stale CSVs)
    assert outputs_in(folder) == {*files, MANIFEST_FILE, *present_derived}, step
    result = invoke_reader("accounts", folder, good, scratch)
    assert result.exit_code == 0, f"{step}: {result.output}"
    return "previous" if files == previous else "new"


def check_next_run(folder: Path, scenario: Path, step: str) -> None:
    """The next run into the killed folder succeeds without --overwrite and tidies up."""
    result = run_cli("run", str(scenario), "--out", str(folder), "-q")
    assert result.exit_code == 0, f"after a kill at {step!r}: {result.output}"
    verify_run_folder(folder)
    left = {p.name for p in folder.iterdir()}
    assert not {JOURNAL_FILE, LOCK_FILE} & left
    assert not any(n.startswith(STAGING_PREFIX) for n in left)


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """Scenarios, a complete previous run (cooling, with a user's file and a derived price
    list), and the steps of writing the heat run over it and into a new folder."""
    base = tmp_path_factory.mktemp("kill")
    heat, cooling = base / "heat.yaml", base / "cooling.yaml"
    heat.write_text(HEAT)
    cooling.write_text(COOLING)
    previous = base / "previous"
    assert run_cli("run", str(cooling), "--out", str(previous), "-q").exit_code == 0
    result = run_cli("waste-heat-value", str(previous), "--source", "w", "--temperatures", "40")
    assert result.exit_code == 0, result.output
    (previous / "notes.txt").write_text("my notes")
    counted = base / "counted"
    shutil.copytree(previous, counted)
    done = kill_runs(
        heat, [(counted, 0, base / "log.0"), (base / "fresh", 0, base / "fresh-log.0")]
    )
    assert all(not d["killed"] and d["exit"] == 0 for d in done), done
    return {
        "base": base,
        "heat": heat,
        "previous": previous,
        "previous_files": files_of(previous),
        "new_files": files_of(counted),
        "steps": (base / "log.0").read_text().splitlines(),
        "fresh_steps": (base / "fresh-log.0").read_text().splitlines(),
        "good": counted,
    }


KINDS = (
    "write results.nc (half written)",  # staging: the previous result is still whole
    "write manifest.json (half written)",
    f"rename {JOURNAL_FILE} into place",
    "remove manifest.json",  # from here on readers must reject the folder
    "remove cooling_networks.csv",
    "rename results.nc into place",
    "rename manifest.json into place",
    f"remove {JOURNAL_FILE}",  # the new result is complete
)
"""A step of each kind over a previous run (a write into the staging folder, the journal, the
old manifest's removal, a stale file's removal, renames, the new manifest): each kind of state
a reader can find; the next run after each is checked."""

FRESH_KINDS = (
    "write results.nc (half written)",
    f"rename {JOURNAL_FILE} into place",
    "rename results.nc into place",
    "rename manifest.json into place",
    f"remove {JOURNAL_FILE}",
)
"""... and into a folder that did not exist."""

FAST_STEPS = (
    "write results.nc (half written)",  # the previous result
    f"rename {JOURNAL_FILE} into place",  # the previous result, and a journal to undo
    "remove cooling_networks.csv",  # rejected, half way through replacing the files
    f"remove {JOURNAL_FILE}",  # the new result
)
"""The steps the first test kills at over a previous run: each outcome, and the journal."""

FRESH_STEPS = (
    "rename results.nc into place",  # rejected
    f"remove {JOURNAL_FILE}",  # the new result
)
"""... and into a folder that did not exist."""


def _numbers(steps: list[str], chosen) -> list[int]:
    assert set(chosen) <= set(steps), steps
    return [i for i, label in enumerate(steps, start=1) if label in chosen]


@dataclass(frozen=True)
class Kills:
    """Kills of the heat run at some of its steps, over copies of the previous run or into new
    folders, and the steps after which the next run into the killed folder is checked."""

    name: str
    numbers: list[int]
    over_previous: bool
    next_run: set[int]


def _kill_and_check(setting, *groups: Kills) -> list[set[str]]:
    """Kill runs of the heat scenario at the steps of each group (all in one helper process);
    check each folder (and the next run into it after the steps in ``next_run``); return the
    outcomes seen in each group."""
    base = setting["base"]
    jobs = []
    for group in groups:
        for n in group.numbers:
            folder = base / f"{group.name}-{n}"
            if group.over_previous:
                shutil.copytree(setting["previous"], folder)
            jobs.append((group, folder, n))
    done = kill_runs(setting["heat"], [(f, n, base / f"{g.name}-log.{n}") for g, f, n in jobs])
    seen: dict[str, set[str]] = {group.name: set() for group in groups}
    for job, (group, folder, n) in zip(done, jobs, strict=True):
        over = group.over_previous
        step = (setting["steps"] if over else setting["fresh_steps"])[n - 1]
        assert job["killed"] and job["step"] == step, job
        previous = setting["previous_files"] if over else None
        seen[group.name].add(
            check_killed_folder(folder, step, previous, setting["new_files"], setting["good"], base)
        )
        if over:
            assert (folder / "notes.txt").read_text() == "my notes"  # never touched
        if n in group.next_run:
            check_next_run(folder, setting["heat"], step)
            assert not outputs_in(folder) & COOLING_ONLY_FILES
            if over:
                assert (folder / "notes.txt").read_text() == "my notes"
    return [seen[group.name] for group in groups]


@pytest.mark.slow  # forked runs killed, each folder read by every reader and run again
def test_killed_at_steps_of_each_kind(setting):
    over = _numbers(setting["steps"], FAST_STEPS)
    fresh = setting["fresh_steps"]
    into_new = _numbers(fresh, FRESH_STEPS)
    seen_over, seen_new = _kill_and_check(
        setting,
        Kills("over", over, over_previous=True, next_run=set(over)),
        Kills("fresh", into_new, over_previous=False, next_run=set(into_new)),
    )
    assert seen_over == {"previous", "rejected", "new"}
    assert seen_new == {"rejected", "new"}
    assert fresh[-1] == f"remove {JOURNAL_FILE}"  # the only kill after which it reads as new


def _staged_data(steps: list[str], files) -> set[int]:
    """Writes of data files into the staging folder after the first: each leaves the same kind
    of state as the first (the folder as it was, and a staging folder)."""
    data = {f"write {n}" for n in files} - {"write results.nc"}
    return {i for i, s in enumerate(steps, start=1) if s.removesuffix(" (half written)") in data}


@pytest.mark.slow
def test_killed_at_every_other_step(setting):
    # every step the first test leaves out, over a previous run and into a new folder, but the
    # writes of staged data files after the first; the next run after each step of each kind
    steps, fresh, files = setting["steps"], setting["fresh_steps"], setting["new_files"]
    skip = set(_numbers(steps, FAST_STEPS)) | _staged_data(steps, files)
    over = [n for n in range(1, len(steps) + 1) if n not in skip]
    skip = set(_numbers(fresh, FRESH_STEPS)) | _staged_data(fresh, files)
    into_new = [n for n in range(1, len(fresh) + 1) if n not in skip]
    seen_over, seen_new = _kill_and_check(
        setting,
        Kills("all", over, over_previous=True, next_run=set(_numbers(steps, KINDS))),
        Kills(
            "all-fresh", into_new, over_previous=False, next_run=set(_numbers(fresh, FRESH_KINDS))
        ),
    )
    assert seen_over == {"previous", "rejected"}
    assert seen_new == {"rejected"}
