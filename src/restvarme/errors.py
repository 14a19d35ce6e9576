"""Exceptions raised by restvarme.

::

    RestvarmeError                 base of everything restvarme raises on purpose
    ├── ScenarioError              bad scenario file or series: names file, key path, line
    ├── SolveError                 the solver did not return an optimum
    │   └── InfeasibleError        names the balance that could not be met
    └── MissingExtraError          an optional dependency is not installed

The CLI turns any :class:`RestvarmeError` into a message and exit code 2, without a traceback.

In *server mode* (environment variable ``RESTVARME_SERVER_MODE=1``, for a service that runs
scenarios from strangers) messages name files relative to the scenario folder, never by an
absolute path on the server: see :func:`server_mode` and :func:`show_path`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class RestvarmeError(Exception):
    """Base class of restvarme's own errors."""


SERVER_MODE_ENV = "RESTVARME_SERVER_MODE"
"""Environment variable that turns server mode on (``1``, ``true``, ``yes`` or ``on``)."""


def server_mode() -> bool:
    """Whether messages must not name absolute paths (``RESTVARME_SERVER_MODE`` is set).

    Read at every call, so a service can set it once in its environment and tests can set it
    for one test.
    """
    return os.environ.get(SERVER_MODE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def show_path(path: str | Path, base: Path | None = None) -> str:
    """``path`` as a message should name it.

    Normally the path as it is. In server mode the path relative to ``base`` (the scenario
    folder) when it lies inside it, otherwise only its final name: a stranger learns nothing of
    the server's folders from a message.
    """
    if not server_mode():
        return str(path)
    path = Path(path)
    if base is not None:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.name


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
        where = show_path(self.file) if self.file else "<scenario>"
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
