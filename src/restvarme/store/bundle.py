"""A scenario's files as the store keeps them: a folder that reads nothing outside itself.

A stored version is materialised into a folder of its own before it is validated or run, so a
series file it names outside its folder is not there: the built-in example ``lund_2030`` reads
``../lund/series/spot_price_se4_synthetic.csv``, and a scenario run with ``--allow-path`` reads
from the folders allowed. :func:`scenario_files` copies such a file into the version under
``imported/`` (``imported/lund/series/spot_price_se4_synthetic.csv``) and rewrites its reference in
``scenario.yaml`` to that copy; a note at the end of the file says what was moved. Files the
scenario may not read (outside its folder and the allowed ones) are not copied: the stored
version then fails validation as the scenario itself does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from restvarme.store.runs import SCENARIO_FILE, StoreError

if TYPE_CHECKING:
    from restvarme.scenario.load import ScenarioFile

IMPORTED = "imported"
"""The folder of a stored version that holds the series copied from outside its folder."""


def scenario_files(sf: ScenarioFile) -> dict[str, bytes]:
    """The files of a loaded scenario as a version: its YAML as ``scenario.yaml``, the series
    files it names (those outside its folder copied under ``imported/``, module doc) and the
    ``SOURCES.md`` beside it."""
    from restvarme.inputs.series import allowed_roots, iter_series

    if sf.path is None:
        raise StoreError("only a scenario read from a file can be stored")
    base = Path(sf.base_dir).resolve()
    roots = allowed_roots(base)
    files: dict[str, bytes] = {}
    moved: dict[str, str] = {}
    for _, value in iter_series(sf.scenario):
        ref = value if isinstance(value, str) else value.file
        path = (base / ref).resolve()
        if not path.is_file() or not any(path.is_relative_to(root) for root in roots):
            continue  # validation of the version will say what is wrong with it
        if path.is_relative_to(base):
            files[path.relative_to(base).as_posix()] = path.read_bytes()
        elif ref not in moved:
            target = _imported_name(ref, files)
            files[target] = path.read_bytes()
            moved[ref] = target
    text = Path(sf.path).read_bytes()
    files[SCENARIO_FILE] = rewrite_references(text, moved, Path(sf.path).name) if moved else text
    sources = base / "SOURCES.md"
    if sources.is_file() and not sources.is_symlink():
        files["SOURCES.md"] = sources.read_bytes()
    return files


def _imported_name(ref: str, taken: Mapping[str, bytes]) -> str:
    """Where a series file from outside goes: ``imported/`` and its reference without ``..``,
    ``.`` and a root (``../lund/series/x.csv`` -> ``imported/lund/series/x.csv``)."""
    parts = [p for p in PurePosixPath(ref.replace("\\", "/")).parts if p not in ("..", ".", "/")]
    name = "/".join([IMPORTED, *parts])
    n = 1
    while name in taken:
        n += 1
        name = "/".join([IMPORTED, str(n), *parts])
    return name


def rewrite_references(text: bytes, moved: Mapping[str, str], shown: str) -> bytes:
    """``text`` (a scenario's YAML) with each series reference of ``moved`` replaced by its new
    path, checked: the YAML read back must be the old one with those values replaced."""
    import yaml

    source = text.decode("utf-8")
    new = source
    for old, target in moved.items():
        # the reference as a YAML scalar: after ": ", "- ", "{file: " or a quote, before the
        # end of the line, a comment, a quote, "," or "}"
        pattern = re.compile(
            r"(?<=[\s'\"\[{,])" + re.escape(old) + r"(?=['\"]?\s*(?:[,}\]#]|$))", re.M
        )
        new = pattern.sub(target, new)
    new = (
        new.rstrip("\n")
        + "\n"
        + "".join(
            f"# restvarme store: {old} is stored as {target}\n" for old, target in moved.items()
        )
    )
    try:
        ok = yaml.safe_load(new) == _replaced(yaml.safe_load(source), moved)
    except yaml.YAMLError:
        ok = False
    if not ok:
        raise StoreError(
            f"{shown}: cannot store the series {', '.join(sorted(moved))} from outside the "
            "scenario's folder (its reference could not be rewritten): copy it into the folder"
        )
    return new.encode("utf-8")


def _replaced(value: Any, moved: Mapping[str, str]) -> Any:
    """``value`` (parsed YAML) with every string of ``moved`` replaced by its new path."""
    if isinstance(value, dict):
        return {k: _replaced(v, moved) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, moved) for v in value]
    if isinstance(value, str):
        return moved.get(value, value)
    return value


__all__ = ["IMPORTED", "rewrite_references", "scenario_files"]
