"""Load a scenario YAML file into a validated :class:`~restvarme.scenario.schema.Scenario`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from restvarme.errors import Problem, ScenarioError
from restvarme.scenario.schema import Scenario


@dataclass(frozen=True)
class ScenarioFile:
    """A validated scenario together with where it came from."""

    scenario: Scenario
    path: Path | None
    base_dir: Path


def load_scenario(path: str | Path) -> ScenarioFile:
    """Read and validate a scenario file; raise :class:`ScenarioError` with located problems."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError([Problem(f"scenario file not found: {path}", file=path)])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario = Scenario.model_validate(data)
    return ScenarioFile(scenario, path.resolve(), path.resolve().parent)
