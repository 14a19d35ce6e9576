"""restvarme: plan climate-neutral district heating and cooling built on waste heat.

Public API::

    import restvarme
    results = restvarme.run("lund")          # an example name, a scenario file or folder
    results["heat_mwh"].to_series()          # annual heat per unit [MWh]

Heavy dependencies (linopy, xarray) are imported when a run starts, not at ``import restvarme``.
"""

from restvarme.api import PHASES, load, run
from restvarme.errors import (
    InfeasibleError,
    MissingExtraError,
    RestvarmeError,
    ScenarioError,
    SolveError,
)

__version__ = "0.1.0"

__all__ = [
    "PHASES",
    "InfeasibleError",
    "MissingExtraError",
    "RestvarmeError",
    "ScenarioError",
    "SolveError",
    "__version__",
    "load",
    "run",
]
