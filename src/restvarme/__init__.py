"""restvarme: plan climate-neutral district heating and cooling built on waste heat.

Public API (what ``__all__`` lists, pinned by tests/test_public_api.py)::

    import restvarme
    results = restvarme.run("lund")          # an example name, a scenario file or folder
    results["heat_mwh"].to_series()          # annual heat per unit [MWh]
    restvarme.write_report("out/lund")       # restvarme.report: HTML report, images, comparison
    restvarme.emissions_by_sector(results)   # restvarme.accounting: emissions, costs, indicators

Besides ``load``, ``run``, ``PHASES`` and the errors, it holds the ``accounting`` and ``report``
packages and the functions of theirs that the documentation calls (README.md, docs/*.md).

Heavy dependencies (linopy, xarray, plotly) are imported when a run starts or when an accounting
or report name is first used, not at ``import restvarme``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from restvarme.api import PHASES, load, run
from restvarme.errors import (
    InfeasibleError,
    MissingExtraError,
    RestvarmeError,
    ScenarioError,
    SolveError,
)

if TYPE_CHECKING:
    from restvarme import accounting, report
    from restvarme.accounting import (
        HeatPumpAssumptions,
        accounting_perspective,
        candidate_supplier_value,
        cost_by_unit,
        decision_perspective,
        emissions_by_sector,
        fleet_emissions,
        indicator_table,
        network_indicators,
        price_list,
        supplier_price_list,
        system_emissions_t,
    )
    from restvarme.report import (
        compare_runs,
        key_figures,
        write_comparison,
        write_images,
        write_report,
    )

__version__ = "0.1.0"

_LAZY = {
    "accounting": "restvarme.accounting",
    "report": "restvarme.report",
    # docs/accounting.md
    "HeatPumpAssumptions": "restvarme.accounting",
    "accounting_perspective": "restvarme.accounting",
    "candidate_supplier_value": "restvarme.accounting",
    "cost_by_unit": "restvarme.accounting",
    "decision_perspective": "restvarme.accounting",
    "emissions_by_sector": "restvarme.accounting",
    "fleet_emissions": "restvarme.accounting",
    "indicator_table": "restvarme.accounting",
    "network_indicators": "restvarme.accounting",
    "price_list": "restvarme.accounting",
    "supplier_price_list": "restvarme.accounting",
    "system_emissions_t": "restvarme.accounting",
    # docs/report.md
    "compare_runs": "restvarme.report",
    "key_figures": "restvarme.report",
    "write_comparison": "restvarme.report",
    "write_images": "restvarme.report",
    "write_report": "restvarme.report",
}
"""Names imported on first use (the accounting and the report pull in xarray and plotly): name ->
module; a package's own name stands for the package."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    imported = importlib.import_module(module)
    value = imported if module == f"{__name__}.{name}" else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "PHASES",
    "HeatPumpAssumptions",
    "InfeasibleError",
    "MissingExtraError",
    "RestvarmeError",
    "ScenarioError",
    "SolveError",
    "__version__",
    "accounting",
    "accounting_perspective",
    "candidate_supplier_value",
    "compare_runs",
    "cost_by_unit",
    "decision_perspective",
    "emissions_by_sector",
    "fleet_emissions",
    "indicator_table",
    "key_figures",
    "load",
    "network_indicators",
    "price_list",
    "report",
    "run",
    "supplier_price_list",
    "system_emissions_t",
    "write_comparison",
    "write_images",
    "write_report",
]
