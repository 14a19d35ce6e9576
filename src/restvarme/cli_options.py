"""Command-line options that several commands share, declared once (help text and flags).

Kept apart from :mod:`restvarme.cli` so that the command modules it registers (``operate``,
``sweep``, ``report``, ...) can import them while ``restvarme.cli`` is still being imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

OutFolder = Annotated[
    Path | None,
    typer.Option(help="Output folder [default: out/<name of the example, folder or file>]."),
]
"""``--out`` of ``run``, ``plan`` and ``operate`` (:func:`restvarme.cli.default_out`)."""
Solver = Annotated[str, typer.Option(help="Any solver linopy knows.")]
"""``--solver``; ``"highs"`` by default."""
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]
"""``--quiet``/``-q``."""
Overwrite = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        help="Replace files in the output folder that are named like results but were not "
        "written by a run into it (see docs/security.md).",
    ),
]
"""``--overwrite`` of the commands that write a run folder (restvarme.results.folder)."""
