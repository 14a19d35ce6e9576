"""A new scenario folder to edit: ``restvarme init NAME [--from EXAMPLE]``.

The folder holds ``scenario.yaml``, the series it reads and a ``SOURCES.md``: the template of
every section (``restvarme/templates/city``, the "Full example" of docs/scenario.md) or a copy of
a built-in example. Series an example takes from another example's folder (``../lund/series/...``)
are copied into the new folder's ``series/`` and the scenario points there, so the folder stands
alone: restvarme reads nothing outside a scenario's folder (docs/security.md).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from restvarme.errors import RestvarmeError

TEMPLATE = Path(__file__).parent / "templates" / "city"
"""The template of every section: docs/scenario.md, "Full example"."""

_OUTSIDE = re.compile(r"\.\./[^\s,}\]'\"]+")
"""A relative path that leaves the scenario's folder, as a scenario's YAML writes it."""


class ScaffoldError(RestvarmeError):
    """The new scenario folder cannot be written (it exists, or the example is unknown)."""


def new_scenario_folder(target: Path, example: str | None = None) -> Path:
    """Write a scenario folder at ``target`` from the template or the built-in ``example``;
    its scenario is named after the folder. Returns ``target``.

    Raises :class:`ScaffoldError` if ``target`` exists and is not an empty folder, or the
    example is unknown.
    """
    from restvarme.examples import example_names, examples_dir

    if example is None:
        source = TEMPLATE
    elif example in example_names():
        source = examples_dir() / example
    else:
        names = ", ".join(example_names()) or "none installed"
        raise ScaffoldError(f"no built-in example called {example!r} (built-in examples: {names})")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists; give the name of a new folder")
    shutil.copytree(
        source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    scenario = target / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    for outside in sorted(set(_OUTSIDE.findall(text))):
        found = (source / outside).resolve()
        if found.is_file():
            (target / "series").mkdir(exist_ok=True)
            shutil.copy2(found, target / "series" / found.name)
            text = text.replace(outside, f"series/{found.name}")
    name = f"name: {_yaml_text(target.resolve().name)}"
    text = re.sub(r"^name:.*$", name, text, count=1, flags=re.M)
    scenario.write_text(text, encoding="utf-8")
    return target


def _yaml_text(value: str) -> str:
    """A folder name as a YAML string that stays a string (quoted where YAML would read it as
    something else)."""
    return value if re.fullmatch(r"[A-Za-z][\w .-]*", value) else repr(value)
