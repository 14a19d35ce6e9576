"""Exceptions raised by restvarme.

::

    RestvarmeError                 base of everything restvarme raises on purpose
    ├── ScenarioError              bad scenario file or series: names file, key path, line
    ├── SolveError                 the solver did not return an optimum
    │   └── InfeasibleError        names the balance that could not be met
    └── MissingExtraError          an optional dependency is not installed

The CLI turns any :class:`RestvarmeError` into a message and exit code 2, without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class RestvarmeError(Exception):
    """Base class of restvarme's own errors."""


def format_key_path(path: Sequence[str | int]) -> str:
    """``("units", 3, "sink")`` -> ``units[3].sink``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


@dataclass
class Problem:
    """One thing wrong in a scenario, located as precisely as we can."""

    message: str
    path: tuple[str | int, ...] = ()
    file: Path | None = None
    line: int | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        where = str(self.file) if self.file else "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {format_key_path(self.path)}: {self.message}"
        if self.suggestion:
            text += f" (did you mean {self.suggestion!r}?)"
        return text


@dataclass
class ScenarioError(RestvarmeError):
    """A scenario file or one of its series is wrong; carries every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the scenario:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class SolveError(RestvarmeError):
    """The solver finished without an optimal solution."""


class InfeasibleError(SolveError):
    """The model has no feasible solution; the message names what could not be met."""


class MissingExtraError(RestvarmeError, ImportError):
    """An optional dependency is missing; the message says which extra to install."""
