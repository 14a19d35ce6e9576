"""Built-in example scenarios, found by name (``lund``) or used as paths."""

from __future__ import annotations

from pathlib import Path

from restvarme.errors import Problem, ScenarioError


def examples_dir() -> Path:
    """Folder of the built-in examples: packaged copy when installed, repository otherwise."""
    packaged = Path(__file__).parent / "_examples"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "examples"


def example_names() -> list[str]:
    """Names of the built-in examples (folders holding a ``scenario.yaml``)."""
    root = examples_dir()
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob("*/scenario.yaml"))


def resolve_scenario(name_or_path: str | Path) -> Path:
    """A scenario path from a file path, a folder holding ``scenario.yaml``, or an example name."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    if path.is_dir() and (path / "scenario.yaml").is_file():
        return path / "scenario.yaml"
    candidate = examples_dir() / str(name_or_path) / "scenario.yaml"
    if candidate.is_file():
        return candidate
    names = ", ".join(example_names()) or "none installed"
    raise ScenarioError(
        [
            Problem(
                f"no scenario file or built-in example called {str(name_or_path)!r} "
                f"(built-in examples: {names})",
                file=path,
            )
        ]
    )
