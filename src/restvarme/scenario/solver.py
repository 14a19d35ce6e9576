"""The ``solver`` section of a scenario: where the solver may stop.

Both keys are optional; without them the solver runs with its own defaults (HiGHS: a relative
MIP gap of 1e-4 and no time limit). They reach every solve of the scenario: ``restvarme run``
(and so sweeps and the web app, which run through it), ``restvarme operate`` (every window,
the perfect-foresight year and the re-dispatch) and ``restvarme plan``. An option given on the
command line or from Python (``operate --mip-gap``, ``solver_options``) takes precedence
(:func:`restvarme.model.solve.solver_options`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from restvarme.scenario.base import _Strict


class SolverSettings(_Strict):
    """Where the solver may stop: a mixed-integer programme's relative gap, a time limit."""

    mip_rel_gap: Annotated[float, Field(ge=0, lt=1)] | None = Field(
        None,
        description="Relative gap at which the MIP of units with a `commitment` block stops, "
        "(objective - bound) / |objective|, in [0, 1) [-]; default: the solver's (HiGHS 1e-4).",
    )
    time_limit_s: Annotated[float, Field(gt=0)] | None = Field(
        None,
        description="Seconds each solve may take; a MIP stopped by it keeps its best solution "
        "and reports the gap it reached [s]; default: no limit.",
    )

    def given(self) -> dict[str, float]:
        """The settings the scenario gives (by key), without the ones left at their default."""
        return {k: float(v) for k, v in self.model_dump().items() if v is not None}
