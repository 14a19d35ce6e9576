"""A plan that holds across futures: two-stage stochastic expansion as one linear programme.

The first stage chooses the new capacity ``N[u]`` of every extendable unit and capacity group
once; the second stage dispatches it in each of the scenarios ``s`` (the cases of a sweep:
weather years, price years, parameter values), each with probability ``π[s]``::

    min   C1(N)  +  Σ_s π[s] · C2[s](N, x[s])                                      (risk neutral)
          + λ · ( η + 1/(1-α) · Σ_s π[s] · z[s] )                                  (CVaR term)
    s.t.  z[s] >= C1(N) + C2[s](N, x[s]) - η,   z[s] >= 0,   η free
          every constraint of scenario s on its own dispatch x[s] and the shared N

with ``C1(N) = Σ_u c[u] · N[u]`` the capital and fixed cost of the horizon [EUR] and ``C2[s]``
the operating cost of scenario ``s`` alone [EUR] (fuel, electricity, carbon, penalties,
shortfalls of its own targets). The bracket is the conditional value at risk of the cost at
level ``α`` in Rockafellar and Uryasev's linearisation (doi:10.21314/JOR.2000.038, Theorem 1):
at the optimum ``η`` is the value at risk and ``CVaR_α`` the mean cost of the worst ``1-α``
share of the probability. ``λ = 0`` (the default) is the risk-neutral two-stage problem.

How it is built. A pathway already stacks scenarios along a ``period`` dimension, each with its
own hours, prices and limits, sharing new capacity ``N[b,u]`` by build period ``b``
(:mod:`restvarme.model.capacity`), and weights each period's costs by ``D[p]``
(:mod:`restvarme.inputs.pathway`). A two-stage problem is that stack with

- one period per scenario, labelled by its case number, its costs weighted by ``D[s] = π[s]``;
- capacity built only in the first build period, in service in every scenario (later build
  periods fixed at zero, lifetimes taken past the last scenario), so ``C1`` counts once:
  ``c · N · Σ_s π[s] = c · N``;
- capital costs that differ between scenarios (a swept capital cost) at their expectation
  ``Σ_s π[s] · c[s]`` (they are paid before the future is known).

So the existing builder (:func:`restvarme.model.build.build_model`) writes every scenario's
constraints, with targets and storage cycles per scenario, and no second formulation of any unit
exists; the alternative, one model per scenario in one linopy model, would need every builder's
names to be made unique. The CVaR rows are added after: each scenario's cost is read off the
objective by the scenario each of its terms belongs to.

Figures (:func:`compare_plans`), with ``F`` the objective above applied to a plan's costs:

- ``RP``, the stochastic plan's ``F``;
- the plan of each scenario alone (the deterministic expansion of that year), evaluated in every
  scenario: ``F`` of its costs less ``RP`` is the cost of ignoring uncertainty with that plan
  (the value of the stochastic solution against it, Birge and Louveaux, Introduction to
  Stochastic Programming, 2nd ed. 2011, section 4.2; ``>= 0``);
- ``WS``, ``F`` of each scenario's own optimum (wait and see), and ``EVPI = RP - WS >= 0``, what
  knowing the future before building would be worth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

if TYPE_CHECKING:
    import linopy

    from restvarme.model.build import BuiltModel
    from restvarme.scenario.load import ScenarioFile
    from restvarme.sweep.spec import Sweep

SCENARIO = "period"
"""The dimension scenarios are stacked on (a pathway's; labelled by case number)."""
LONG_LIFE_YEARS = 1e9
"""Lifetime given to every unit in the stack, so that first-stage capacity serves every
scenario (the costs already hold the annuity of the real lifetime)."""


@dataclass(frozen=True)
class Risk:
    """The CVaR term: weight ``lam`` [-] and level ``alpha`` in [0, 1)."""

    lam: float = 0.0
    alpha: float = 0.9


@dataclass
class StochasticModel:
    """A built two-stage model with handles to its first-stage capacity and CVaR rows."""

    built: BuiltModel
    cases: list[int]
    probability: np.ndarray
    risk: Risk
    capacity: dict[str, linopy.Variable]
    """New capacity by unit dimension (``capacity_group`` for groups), on ``build_period``."""
    var_eur: linopy.Variable | None = None
    excess_eur: linopy.Variable | None = None


@dataclass
class Solution:
    """One solved stack: its plan, each scenario's cost and the objective ``F``."""

    plan: dict[str, float]
    """New capacity by ``<dim>.<name>`` [MW, MWh for stores, m² for fields]."""
    cost_eur: pd.Series
    """Cost of each scenario (capital and operating) [EUR], by case."""
    objective_eur: float


@dataclass
class Comparison:
    """The stochastic plan beside the plan of each scenario alone (see the module docstring)."""

    stochastic: Solution
    alone: dict[int, Solution]
    """Each scenario's own deterministic optimum, by case."""
    evaluated: dict[int, Solution]
    """Each scenario's own plan dispatched in every scenario, by case."""
    probability: pd.Series
    risk: Risk

    @property
    def wait_and_see_eur(self) -> float:
        return objective_of(
            pd.Series({c: s.objective_eur for c, s in self.alone.items()}),
            self.probability,
            self.risk,
        )

    @property
    def evpi_eur(self) -> float:
        return self.stochastic.objective_eur - self.wait_and_see_eur

    def table(self) -> pd.DataFrame:
        """One row per plan (``stochastic``, then ``case <n> alone``): its new capacities,
        expected cost, CVaR, objective ``F`` and the cost of ignoring uncertainty (``F`` less
        the stochastic plan's), then each scenario's cost [EUR]."""
        rows = {"stochastic": self.stochastic}
        rows |= {f"case {c} alone": s for c, s in self.evaluated.items()}
        out = []
        for name, s in rows.items():
            row: dict[str, float | str] = {"plan": name}
            row |= {f"capacity_new.{k}": v for k, v in s.plan.items()}
            row["expected_cost_eur"] = float((s.cost_eur * self.probability).sum())
            row["cvar_eur"] = cvar(s.cost_eur, self.probability, self.risk.alpha)
            row["objective_eur"] = s.objective_eur
            row["cost_of_ignoring_uncertainty_eur"] = (
                s.objective_eur - self.stochastic.objective_eur
            )
            row |= {f"cost_eur.case_{c}": float(v) for c, v in s.cost_eur.items()}
            out.append(row)
        return pd.DataFrame(out).set_index("plan")


def cvar(cost: pd.Series, probability: pd.Series, alpha: float) -> float:
    """CVaR_α of a discrete cost distribution [EUR]: ``min_η η + E[(C-η)+]/(1-α)``
    (Rockafellar and Uryasev 2000), the minimum taken at one of the costs."""
    c = cost.to_numpy(float)
    p = probability.reindex(cost.index).to_numpy(float)
    return float(min(eta + (p * np.maximum(c - eta, 0.0)).sum() / (1 - alpha) for eta in c))


def objective_of(cost: pd.Series, probability: pd.Series, risk: Risk) -> float:
    """``F`` of a plan's costs: expected cost plus ``λ`` times its CVaR [EUR]."""
    expected = float((cost * probability.reindex(cost.index)).sum())
    if risk.lam == 0:
        return expected
    return expected + risk.lam * cvar(cost, probability, risk.alpha)


def stack_inputs(
    scenarios: Sequence[ScenarioFile], cases: Sequence[int], probability: Sequence[float]
) -> xr.Dataset:
    """The inputs of every scenario stacked on ``period`` (labelled by case), costs weighted by
    probability, lifetimes past the last scenario, capital costs at their expectation."""
    from restvarme.errors import Problem, ScenarioError
    from restvarme.inputs.aggregate import aggregate_inputs
    from restvarme.inputs.build import build_inputs

    first = scenarios[0].scenario
    for sf, case in zip(scenarios, cases, strict=True):
        if sf.scenario.pathway is not None:
            raise ScenarioError(
                [Problem("a two-stage plan is for one year; this scenario has a pathway", ())]
            )
        if sf.scenario.horizon != first.horizon:
            raise ScenarioError(
                [Problem(f"case {case} changes `horizon`; every scenario must keep the base's", ())]
            )
    parts = [build_inputs(sf, aggregate=False) for sf in scenarios]
    index = parts[0]["snapshot"].to_index()
    parts = [p.assign_coords(snapshot=index) for p in parts]
    numeric = [k for k, v in parts[0].data_vars.items() if v.dtype.kind not in "OUS"]
    for k, v in parts[0].data_vars.items():
        if v.dtype.kind in "OUS":
            for case, p in zip(cases[1:], parts[1:], strict=True):
                if not p[k].equals(v):
                    raise ScenarioError(
                        [
                            Problem(
                                f"case {case} changes {k!r} (which network, fuel or source a unit "
                                "uses); scenarios of a two-stage plan may change values only",
                                (),
                            )
                        ]
                    )
    ds = xr.concat(
        parts,
        dim=pd.Index(list(cases), name=SCENARIO),
        data_vars=numeric,
        coords="minimal",
        compat="override",
        join="override",
        combine_attrs="drop_conflicts",
    )
    weight = xr.DataArray(np.asarray(probability, float), coords={SCENARIO: list(cases)})
    ds["period_discounted_years"] = weight.assign_attrs(units="-", meaning="probability")
    ds["period_years"] = xr.ones_like(weight).assign_attrs(units="yr")
    ds["cost_weight"] = (ds["snapshot_weight_h"] * weight).assign_attrs(units="h")
    for name in list(ds.data_vars):
        key = str(name)
        if key.endswith("_lifetime_years"):
            ds[key] = xr.full_like(ds[key], LONG_LIFE_YEARS, dtype=float)
        elif key.endswith("_capacity_cost_eur_per_year") and SCENARIO in ds[key].dims:
            expected = (ds[key] * weight).sum(SCENARIO)
            ds[key] = expected.broadcast_like(ds[key]).assign_attrs(ds[key].attrs)
    ds.attrs["foresight"] = "perfect"
    return aggregate_inputs(ds, first.horizon)


def build_stochastic(
    scenarios: Sequence[ScenarioFile],
    cases: Sequence[int],
    probability: Sequence[float],
    risk: Risk = Risk(),
) -> StochasticModel:
    """The two-stage model of ``scenarios`` (module docstring): built by the pathway builder on
    the stacked inputs, capacity fixed at zero in every build period but the first, and the
    CVaR rows added when ``risk.lam > 0``."""
    from restvarme.model.build import build_model

    p = np.asarray(probability, float)
    inputs = stack_inputs(scenarios, cases, probability)
    built = build_model(inputs)
    capacity = {}
    first = inputs[SCENARIO].values[0]
    handles = {dim: ports.new_capacity for dim, ports in built.units.items()}
    if built.groups is not None:
        handles["capacity_group"] = built.groups.new_capacity
    for dim, new in handles.items():
        if new is None:
            continue
        later = new.labels["build_period"] != first
        new.update(lower=new.lower.where(~later, 0.0), upper=new.upper.where(~later, 0.0))
        capacity[dim] = new
    model = StochasticModel(built, list(cases), p, risk, capacity)
    if risk.lam > 0:
        _add_cvar(model)
    return model


def _scenario_of_labels(m: linopy.Model, cases: Sequence[int]) -> np.ndarray:
    """For every variable label, the position of its scenario in ``cases``, or -1 for the
    first stage (variables without a scenario dimension)."""
    out = np.full(m._xCounter, -1, dtype=np.int64)
    position = {c: i for i, c in enumerate(cases)}
    for _, var in m.variables.items():
        if SCENARIO not in var.dims:
            continue
        labels = var.labels
        where = xr.DataArray(
            [position[c] for c in labels[SCENARIO].values], coords={SCENARIO: labels[SCENARIO]}
        ).broadcast_like(labels)
        flat, at = labels.values.ravel(), where.transpose(*labels.dims).values.ravel()
        keep = flat >= 0
        out[flat[keep]] = at[keep]
    return out


def _add_cvar(model: StochasticModel) -> None:
    """``η`` and ``z[s] >= C1 + C2[s] - η`` (module docstring); the objective gains
    ``λ (η + Σ_s π[s] z[s] / (1-α))``. ``C2[s]`` are the objective's terms of scenario ``s``
    divided by its probability, ``C1`` those of no scenario (with the objective's constant)."""
    import linopy

    m = model.built.model
    expr = m.objective.expression
    assert isinstance(expr, linopy.LinearExpression)
    vars_ = expr.vars.values.ravel()
    coeffs = expr.coeffs.values.ravel()
    const = float(expr.const.values.sum())
    owner = _scenario_of_labels(m, model.cases)[np.where(vars_ >= 0, vars_, 0)]
    owner = np.where(vars_ >= 0, owner, -2)
    n = len(model.cases)
    first = owner == -1
    rows_v, rows_c = [], []
    for s in range(n):  # one row per scenario (a handful), not per hour
        mine = owner == s
        rows_v.append(np.concatenate([vars_[first], vars_[mine]]))
        rows_c.append(np.concatenate([coeffs[first], coeffs[mine] / model.probability[s]]))
    width = max(len(v) for v in rows_v)
    v = np.full((n, width), -1, dtype=np.int64)
    c = np.zeros((n, width))
    for s in range(n):
        v[s, : len(rows_v[s])] = rows_v[s]
        c[s, : len(rows_c[s])] = rows_c[s]
    index = pd.Index(model.cases, name="scenario")
    cost = linopy.LinearExpression(
        xr.Dataset(
            {
                "vars": (("scenario", "_term"), v),
                "coeffs": (("scenario", "_term"), c),
                "const": (("scenario",), np.full(n, const)),
            },
            coords={"scenario": index},
        ),
        m,
    )
    eta = m.add_variables(name="cvar_value_at_risk_eur")
    z = m.add_variables(lower=0, coords=[index], name="cvar_excess_eur")
    m.add_constraints(z + eta - cost >= 0, name="cvar_excess")
    weight = xr.DataArray(model.probability, coords=[index]) / (1 - model.risk.alpha)
    lam = model.risk.lam
    m.objective = expr + lam * eta + (lam * weight * z).sum()
    model.var_eur, model.excess_eur = eta, z


def solve_stochastic(
    model: StochasticModel, solver: str = "highs", plan: dict[str, float] | None = None
) -> Solution:
    """Solve the model (with new capacity fixed at ``plan`` if given) and read its plan, each
    scenario's cost (capital and operating, from the results) and its objective."""
    from restvarme.model.solve import solve
    from restvarme.results.collect import collect_results

    first = model.built.inputs[SCENARIO].values[0]
    saved = {}
    for dim, new in model.capacity.items():
        saved[dim] = (new.lower.copy(), new.upper.copy())
        if plan is not None:
            fixed = new.lower.copy()
            names = new.labels[dim].values
            values = [plan.get(f"{dim}.{n}", 0.0) for n in names]
            fixed.loc[{"build_period": first}] = values
            new.update(lower=fixed, upper=fixed)
    try:
        solved = solve(model.built, solver)
    finally:
        for dim, new in model.capacity.items():
            new.update(lower=saved[dim][0], upper=saved[dim][1])
    results = collect_results(model.built, solved)
    cost = results["cost_eur"].sum([d for d in results["cost_eur"].dims if d != SCENARIO])
    cost_eur = cost.to_series().rename_axis("case")
    found = {}
    for dim, new in model.capacity.items():
        values = new.solution.sel(build_period=first)
        for name, value in zip(new.labels[dim].values, values.values, strict=True):
            found[f"{dim}.{name}"] = float(value)
    return Solution(found, cost_eur, float(solved.objective_eur))


def compare_plans(
    scenarios: Sequence[ScenarioFile],
    cases: Sequence[int],
    probability: Sequence[float],
    risk: Risk = Risk(),
    solver: str = "highs",
) -> Comparison:
    """The stochastic plan, each scenario's own optimum, and each such plan dispatched in every
    scenario (module docstring). ``len(cases) + 2`` solves: one of the stack, one per scenario
    alone, and the stack again per plan with its capacity fixed."""
    p = pd.Series(np.asarray(probability, float), index=pd.Index(list(cases), name="case"))
    model = build_stochastic(scenarios, cases, probability, risk)
    stochastic = solve_stochastic(model, solver)
    stochastic.objective_eur = objective_of(stochastic.cost_eur, p, risk)
    alone, evaluated = {}, {}
    for sf, case in zip(scenarios, cases, strict=True):
        alone[case] = solve_stochastic(build_stochastic([sf], [case], [1.0]), solver)
        if len(cases) == 1:
            evaluated[case] = alone[case]
            continue
        own = solve_stochastic(model, solver, plan=alone[case].plan)
        own.objective_eur = objective_of(own.cost_eur, p, risk)
        evaluated[case] = own
    return Comparison(stochastic, alone, evaluated, p, risk)


def summary(comparison: Comparison) -> dict[str, float]:
    """The headline figures [EUR]: RP, WS, EVPI, and the smallest, mean and largest cost of
    ignoring uncertainty over the plans of the scenarios alone."""
    regret = comparison.table()["cost_of_ignoring_uncertainty_eur"].drop("stochastic")
    return {
        "stochastic_objective_eur": comparison.stochastic.objective_eur,
        "expected_cost_eur": float((comparison.stochastic.cost_eur * comparison.probability).sum()),
        "wait_and_see_eur": comparison.wait_and_see_eur,
        "evpi_eur": comparison.evpi_eur,
        "cost_of_ignoring_uncertainty_min_eur": float(regret.min()),
        "cost_of_ignoring_uncertainty_mean_eur": float(regret.mean()),
        "cost_of_ignoring_uncertainty_max_eur": float(regret.max()),
    }


def sweep_scenarios(sweep: Sweep) -> tuple[list[ScenarioFile], list[int], list[float], Risk]:
    """The cases of ``sweep`` as validated scenarios (a case that is not a valid scenario is a
    :class:`~restvarme.errors.ScenarioError` naming it), their probabilities (the file's, or
    equal) and the CVaR term of its ``stochastic:`` block."""
    from pydantic import ValidationError

    from restvarme.errors import Problem, ScenarioError
    from restvarme.scenario.load import ScenarioFile, validation_problems, value_problems
    from restvarme.scenario.references import check_references
    from restvarme.scenario.schema import Scenario
    from restvarme.sweep.design import case_values
    from restvarme.sweep.execute import plan_cases
    from restvarme.sweep.spec import apply_case

    table = plan_cases(sweep).drop(columns="key")
    scenarios, cases = [], []
    for case in table.index:
        data = apply_case(sweep, case_values(table, int(case)))
        try:
            scenario = Scenario.model_validate(data)
            problems = check_references(scenario) + value_problems(scenario, data)
        except ValidationError as exc:
            problems = validation_problems(exc, data)
        if problems:
            raise ScenarioError(
                [Problem(f"case {case} of the two-stage plan: {p}", ()) for p in problems]
            )
        scenarios.append(ScenarioFile(scenario, sweep.base.path, sweep.base.base_dir))
        cases.append(int(case))
    st = sweep.spec.stochastic
    probability = (
        list(st.probabilities)
        if st is not None and st.probabilities is not None
        else [1.0 / len(cases)] * len(cases)
    )
    risk = Risk(st.cvar.weight, st.cvar.alpha) if st is not None and st.cvar else Risk()
    return scenarios, cases, probability, risk


def run_stochastic(sweep: Sweep, out: Path, solver: str = "highs") -> Comparison:
    """The two-stage plan over the cases of ``sweep``, compared with each case's own plan
    (:func:`compare_plans`); writes ``out/stochastic.parquet`` (:meth:`Comparison.table`) and
    ``out/stochastic.json`` (:func:`summary`, the probabilities and the CVaR term)."""
    from restvarme.inputs.series import allow_paths, allowed_roots
    from restvarme.sweep.execute import _write_parquet, write_json_atomic

    with allow_paths(*allowed_roots(sweep.base.base_dir)[1:]):
        scenarios, cases, probability, risk = sweep_scenarios(sweep)
        comparison = compare_plans(scenarios, cases, probability, risk, solver)
    out.mkdir(parents=True, exist_ok=True)
    _write_parquet(comparison.table(), out / "stochastic.parquet")
    write_json_atomic(
        out / "stochastic.json",
        {
            **summary(comparison),
            "probabilities": dict(zip(map(str, cases), probability, strict=True)),
            "cvar_weight": risk.lam,
            "cvar_alpha": risk.alpha,
        },
    )
    return comparison
