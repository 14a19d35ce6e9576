"""The sweep file (``SWEEP.yaml``): a base scenario, the parameters varied and the design.

::

    base: lund                      # a built-in example, or a scenario file or folder
                                    # relative to this file (and inside its folder)
    design: {kind: latin_hypercube, cases: 40, seed: 7}
    parameters:
      carbon_price_eur_per_t: {values: [50, 90, 130]}
      waste_heat.ess_28c.price_eur_per_mwh: {range: [0, 20], num: 3}
      units.hp_ess.expansion.capital_cost_eur_per_mw:
        {distribution: triang, params: {c: 0.5, loc: 6.0e+5, scale: 4.0e+5}}
      electricity.price_eur_per_mwh: {series: [series/spot_2022.csv, series/spot_2023.csv]}

A parameter is a key path into the base scenario, written as a pathway period's change is
(:func:`restvarme.scenario.pathway.apply_change`: mapping keys, and ``units.<name>`` for a unit by
its name); every part of it must exist in the base scenario. Its values are one of

- ``values``: a list of numbers (or of texts where the scenario takes a text);
- ``range: [low, high]``: uniform between the two; ``num`` evenly spaced levels (both ends
  included) for a full factorial design;
- ``distribution``: a distribution of :mod:`scipy.stats` by name with its ``params`` (``loc``,
  ``scale`` and the shape parameters, as scipy names them), sampled by its quantile function;
- ``series``: alternative series files (a weather year, a price year) for a key that takes a
  series, each read as the scenario reads its own series: relative to the base scenario's
  folder and confined to it (docs/security.md, "The confinement rule").

Designs (:mod:`restvarme.sweep.design`): ``factorial`` (every combination of the levels; a
distribution has none), ``latin_hypercube`` and ``monte_carlo`` (``cases`` draws, reproducible
by ``seed``).

An optional ``stochastic:`` block (``probabilities``, one per case; ``cvar: {weight, alpha}``)
makes the cases the scenarios of a two-stage plan (:mod:`restvarme.sweep.stochastic`); it is
checked against the design's number of cases and the base scenario (:func:`stochastic_problems`).

Everything wrong in the file comes back as one :class:`SweepError` (a
:class:`~restvarme.errors.ScenarioError`) listing each problem with the sweep file, its line and
key path, as scenario files are checked; a parameter's values are checked by applying each
level (a range's two ends, a distribution's median) to the base scenario and validating it as a
scenario is, the problem located at the parameter.
"""

from __future__ import annotations

import copy
import difflib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, ValidationError, field_validator, model_validator

from restvarme.errors import Problem, ScenarioError, format_key_path, show_path
from restvarme.scenario.base import _Strict

KeyPath = tuple[str | int, ...]

MAX_SWEEP_BYTES = 200_000
"""Largest sweep file read [bytes]."""
MAX_CASES = 100_000
"""Most cases a sweep may have (a factorial design's product of levels included)."""
MAX_PATH_CHARS = 255
"""Longest ``base`` path accepted, as for series files."""


class SweepError(ScenarioError):
    """A sweep file is wrong; carries every problem found (each located in the sweep file)."""

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the sweep file:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class Design(_Strict):
    """How cases are drawn from the parameters."""

    kind: Literal["factorial", "latin_hypercube", "monte_carlo"] = Field(
        "factorial",
        description="factorial: every combination of the levels; latin_hypercube and "
        "monte_carlo: `cases` draws (scipy.stats.qmc.LatinHypercube, numpy's default generator).",
    )
    cases: int | None = Field(None, gt=0, le=MAX_CASES, description="Draws of a sampled design.")
    seed: int = Field(0, ge=0, description="Seed of a sampled design: same seed, same cases.")

    @model_validator(mode="after")
    def _cases_for_samples(self) -> Design:
        if self.kind != "factorial" and self.cases is None:
            raise ValueError(f"a {self.kind} design needs `cases:`, the number of draws")
        if self.kind == "factorial" and self.cases is not None:
            raise ValueError(
                "a factorial design takes every combination of the levels; `cases:` is for "
                "latin_hypercube and monte_carlo designs: remove it"
            )
        return self


class Parameter(_Strict):
    """The values one key path takes: exactly one of values, range, distribution, series."""

    values: list[float] | list[str] | None = Field(None, min_length=1)
    range: tuple[float, float] | None = Field(None, description="[low, high], uniform between.")
    num: int | None = Field(
        None, ge=2, le=1000, description="Levels of a range in a factorial design (ends included)."
    )
    distribution: str | None = Field(None, description="A scipy.stats distribution by name.")
    params: dict[str, float] = Field(
        default_factory=dict, description="The distribution's parameters (loc, scale, shapes)."
    )
    series: list[str] | None = Field(
        None, min_length=1, description="Alternative series files, relative to the base scenario."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        given = [k for k in ("values", "range", "distribution", "series") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of `values`, `range`, `distribution` or `series`"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.num is not None and self.range is None:
            raise ValueError("`num` is the number of levels of a `range`; there is no range here")
        if self.params and self.distribution is None:
            raise ValueError("`params` belong to a `distribution`; there is none here")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"`range` {list(self.range)} must be [low, high] with low < high")
        return self

    @field_validator("values")
    @classmethod
    def _finite(cls, values: list[Any] | None) -> list[Any] | None:
        if values and any(isinstance(v, float) and not math.isfinite(v) for v in values):
            raise ValueError("every value must be a finite number")
        return values

    @property
    def kind(self) -> str:
        """``values``, ``range``, ``distribution`` or ``series``."""
        return next(k for k in ("values", "range", "distribution", "series") if getattr(self, k))

    def levels(self) -> list[Any] | None:
        """The discrete values of a factorial design, or None for a distribution (or a range
        without ``num``)."""
        if self.values is not None:
            return list(self.values)
        if self.series is not None:
            return list(self.series)
        if self.range is not None and self.num is not None:
            return [float(v) for v in np.linspace(self.range[0], self.range[1], self.num)]
        return None

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Values for points ``u`` in [0, 1) (one draw of a sampled design each): a list of
        values or series is cut into equal strata, a range scaled, a distribution inverted."""
        u = np.asarray(u, dtype=float)
        choices = self.values if self.values is not None else self.series
        if choices is not None:
            index = np.minimum((u * len(choices)).astype(int), len(choices) - 1)
            return np.asarray(choices, dtype=object)[index]
        if self.range is not None:
            low, high = self.range
            return low + u * (high - low)
        return np.asarray(frozen_distribution(self).ppf(u), dtype=float)


def frozen_distribution(parameter: Parameter) -> Any:
    """``scipy.stats.<distribution>(**params)``; ValueError with a message if either is wrong."""
    import scipy.stats

    name = parameter.distribution or ""
    dist = getattr(scipy.stats, name, None)
    if not isinstance(dist, scipy.stats.rv_continuous | scipy.stats.rv_discrete):
        kinds = scipy.stats.rv_continuous | scipy.stats.rv_discrete
        names = [n for n in dir(scipy.stats) if isinstance(getattr(scipy.stats, n), kinds)]
        near = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else " such as norm, uniform, triang"
        raise ValueError(f"{name!r} is not a distribution of scipy.stats{hint}")
    shapes = [s.strip() for s in (dist.shapes or "").split(",") if s.strip()]
    allowed = [*shapes, "loc", "scale"]
    unknown = [k for k in parameter.params if k not in allowed]
    missing = [s for s in shapes if s not in parameter.params]
    if unknown or missing:
        what = f"unknown parameter {unknown[0]!r}" if unknown else f"missing shape {missing[0]!r}"
        raise ValueError(f"{what} of scipy.stats.{name}; it takes {', '.join(allowed)}")
    frozen = dist(**parameter.params)
    median = float(frozen.ppf(0.5))
    if not math.isfinite(median):
        raise ValueError(
            f"scipy.stats.{name} with {parameter.params} has no finite median: check its parameters"
        )
    return frozen


MAX_STOCHASTIC_SCENARIOS = 200
"""Most cases a two-stage plan takes as its scenarios (the LP grows with each)."""


class Cvar(_Strict):
    """The CVaR term of a two-stage plan's objective (restvarme.sweep.stochastic)."""

    weight: float = Field(ge=0, le=1e3, description="λ: weight of the CVaR beside the mean [-].")
    alpha: float = Field(
        0.9, ge=0, lt=1, description="α: the CVaR is the mean cost of the worst 1-α share."
    )


class Stochastic(_Strict):
    """A two-stage plan over the sweep's cases (``restvarme.sweep.stochastic``)."""

    probabilities: list[float] | None = Field(
        None,
        description="One probability per case, in case order, each > 0, summing to 1 "
        "(default: every case equally likely).",
    )
    cvar: Cvar | None = Field(None, description="Add λ·CVaR_α of the cost to the objective.")

    @field_validator("probabilities")
    @classmethod
    def _positive(cls, values: list[float] | None) -> list[float] | None:
        if values is None:
            return None
        if not all(math.isfinite(v) and v > 0 for v in values):
            raise ValueError("every probability must be a number above 0")
        if abs(sum(values) - 1.0) > 1e-6:
            raise ValueError(f"the probabilities sum to {sum(values):.6g}; they must sum to 1")
        return values


class SweepSpec(_Strict):
    """A sweep file, validated."""

    name: str | None = Field(None, description="A name for the sweep (default: the file's).")
    base: str = Field(description="Base scenario: example name, or file or folder path.")
    design: Design = Field(default_factory=Design)
    parameters: dict[str, Parameter] = Field(min_length=1)
    stochastic: Stochastic | None = Field(
        None, description="A two-stage plan over the cases as scenarios (docs/sweep.md)."
    )

    def case_count(self) -> int:
        """How many cases the design makes."""
        if self.design.kind != "factorial":
            assert self.design.cases is not None
            return self.design.cases
        return math.prod(len(p.levels() or []) for p in self.parameters.values())


@dataclass(frozen=True)
class Sweep:
    """A validated sweep file with its base scenario loaded."""

    spec: SweepSpec
    path: Path
    base: Any
    """The base :class:`~restvarme.scenario.load.ScenarioFile`."""
    base_data: dict
    """The base scenario as its file set it (``model_dump(exclude_unset=True)``), to which each
    case's values are applied."""
    targets: dict[str, KeyPath]
    """The scenario key path (units by index) each parameter sets."""

    @property
    def name(self) -> str:
        return self.spec.name or self.path.stem


def load_sweep(path: str | Path) -> Sweep:
    """Read and check a sweep file; raise :class:`SweepError` with every located problem."""
    from restvarme.scenario.load import _locate, _parse_yaml, _read_bytes, validation_problems

    path = Path(path)

    def fail(message: str, key: KeyPath = ()) -> SweepError:
        return SweepError([Problem(message, key, file=path)])

    if not path.is_file():
        raise fail(f"sweep file not found (looked for {show_path(path.resolve())})")
    data = _read_bytes(path) if path.stat().st_size <= MAX_SWEEP_BYTES else None
    if data is None or len(data) > MAX_SWEEP_BYTES:
        raise fail(f"the sweep file is larger than {MAX_SWEEP_BYTES / 1e3:g} kB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    parsed = _parse_yaml(text)
    if not isinstance(parsed.data, dict):
        if parsed.problems and not any(
            p.message.startswith(("the file is empty", "the top level is")) for p in parsed.problems
        ):
            raise SweepError(_locate(parsed.problems, path, parsed.lines))
        raise fail("expected a mapping with `base:`, `design:` and `parameters:`")
    problems = list(parsed.problems)
    spec: SweepSpec | None = None
    try:
        spec = SweepSpec.model_validate(parsed.data)
    except ValidationError as exc:
        problems += validation_problems(exc, parsed.data, root=SweepSpec)
    if problems or spec is None:
        raise SweepError(_locate(problems, path, parsed.lines))
    problems += _spec_problems(spec, path)
    base = _load_base(spec.base, path)
    # keys checked against every field (defaults filled in); values set in what the file set,
    # since a dump with every default does not always validate again (two alternatives given)
    every_key = base.scenario.model_dump(mode="python", exclude_none=False)
    base_data = base.scenario.model_dump(mode="python", exclude_unset=True)
    targets: dict[str, KeyPath] = {}
    for key in spec.parameters:
        try:
            targets[key] = resolve_key_path(every_key, key)
        except KeyPathError as exc:
            problems.append(Problem(str(exc), ("parameters", key), suggestion=exc.suggestion))
    if not problems:
        problems += _value_problems(spec, base, base_data, targets)
    if not problems:
        problems += stochastic_problems(spec, base.scenario)
    if problems:
        raise SweepError(_locate(problems, path, parsed.lines))
    return Sweep(spec, path.resolve(), base, base_data, targets)


def stochastic_problems(spec: SweepSpec, base: Any, *, asked: bool = False) -> list[Problem]:
    """What keeps the sweep's cases from being the scenarios of a two-stage plan: one
    probability per case, at most :data:`MAX_STOCHASTIC_SCENARIOS` cases, a one-year base
    scenario with capacity to choose. Checked when the file has a ``stochastic:`` block, or
    ``asked`` (``restvarme sweep --stochastic``)."""
    st = spec.stochastic
    if st is None and not asked:
        return []
    where: KeyPath = ("stochastic",) if st is not None else ()
    n = spec.case_count()
    problems = []
    if st is not None and st.probabilities is not None and len(st.probabilities) != n:
        problems.append(
            Problem(
                f"{len(st.probabilities)} probabilities for {n} cases: give one per case, in "
                "case order (factorial: the first parameter varying slowest)",
                ("stochastic", "probabilities"),
            )
        )
    if n > MAX_STOCHASTIC_SCENARIOS:
        problems.append(
            Problem(
                f"{n} cases; a two-stage plan takes at most {MAX_STOCHASTIC_SCENARIOS} scenarios: "
                "draw fewer cases",
                where or ("design",),
            )
        )
    if base.pathway is not None:
        problems.append(
            Problem("a two-stage plan is for one year; the base scenario has a pathway", where)
        )
    has_capacity = any(getattr(u, "expansion", None) is not None for u in base.units) or any(
        getattr(g, "expansion", None) is not None for g in (base.capacity_groups or {}).values()
    )
    if not has_capacity:
        problems.append(
            Problem(
                "a two-stage plan chooses capacity, and no unit or capacity group of the base "
                "scenario has `expansion:`; make one extendable",
                where,
            )
        )
    return problems


def _spec_problems(spec: SweepSpec, path: Path) -> list[Problem]:
    """Distributions that scipy does not know, designs they do not fit, too many cases."""
    problems = []
    for key, p in spec.parameters.items():
        if p.distribution is not None:
            try:
                frozen_distribution(p)
            except (ValueError, TypeError) as exc:
                problems.append(Problem(str(exc), ("parameters", key, "distribution")))
        if spec.design.kind == "factorial" and p.levels() is None:
            what = "a distribution" if p.distribution else "a range without `num`"
            problems.append(
                Problem(
                    f"{what} has no levels for a factorial design: give `values` or `range` "
                    "with `num`, or use a latin_hypercube or monte_carlo design",
                    ("parameters", key),
                )
            )
    if spec.design.kind == "factorial" and not problems:
        n = math.prod(len(p.levels() or []) for p in spec.parameters.values())
        if n > MAX_CASES:
            problems.append(
                Problem(f"the factorial design has {n:,} cases; at most {MAX_CASES:,}", ("design",))
            )
    return problems


def _load_base(base: str, sweep_file: Path) -> Any:
    """The base scenario: a path relative to the sweep file's folder (inside it, or inside a
    folder of :func:`restvarme.inputs.series.allow_paths`), else a built-in example."""
    from restvarme.examples import example_names, resolve_scenario
    from restvarme.inputs.series import allowed_roots
    from restvarme.scenario.load import load_scenario

    def fail(message: str) -> SweepError:
        return SweepError([Problem(message, ("base",), file=sweep_file)])

    if len(base) > MAX_PATH_CHARS or any(ord(c) < 32 or ord(c) == 127 for c in base):
        raise fail("expected an example name or a scenario path of at most 255 plain characters")
    folder = sweep_file.resolve().parent
    written = folder / base
    if written.exists():
        resolved = written.resolve()
        roots = allowed_roots(folder)
        if not any(resolved.is_relative_to(root) for root in roots):
            raise fail(
                f"base scenario {base!r} is outside the sweep file's folder; a sweep reads its "
                "base scenario only from its own folder (or a built-in example): move the "
                "scenario there, or name its folder with `restvarme.inputs.series.allow_paths`"
            )
        scenario_path = resolve_scenario(resolved)
    elif base in example_names():
        scenario_path = resolve_scenario(base)
    else:
        names = ", ".join(example_names()) or "none installed"
        raise fail(
            f"no scenario {base!r} in the sweep file's folder and no built-in example of that "
            f"name (built-in examples: {names})"
        )
    try:
        return load_scenario(scenario_path)
    except ScenarioError as exc:
        raise SweepError(
            [
                Problem("the base scenario is not valid (see below)", ("base",), sweep_file),
                *exc.problems,
            ]
        ) from None


class KeyPathError(KeyError):
    """A parameter's key path names something the base scenario does not have."""

    def __init__(self, message: str, suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion

    def __str__(self) -> str:
        return self.message


def resolve_key_path(data: dict, dotted: str) -> KeyPath:
    """The scenario key path (units by index) that ``dotted`` names in ``data``; every part must
    exist (a key set to null has nothing below it). Raises :class:`KeyPathError` naming the
    first part that does not exist and what does exist there."""
    parts = dotted.split(".")
    path: list[str | int] = []
    node: Any = data
    for i, part in enumerate(parts):
        so_far = ".".join(parts[:i])
        if isinstance(node, list):
            match = [j for j, u in enumerate(node) if isinstance(u, dict) and u.get("name") == part]
            options = [str(u.get("name")) for u in node if isinstance(u, dict)]
            if not match:
                near = difflib.get_close_matches(part, options, n=1)
                raise KeyPathError(
                    f"the base scenario has no {part!r} in {so_far}"
                    + ("" if near else f"; there are: {', '.join(options[:20])}"),
                    near[0] if near else None,
                )
            path.append(match[0])
            node = node[match[0]]
        elif isinstance(node, dict):
            if part not in node:
                options = [str(k) for k in node]
                near = difflib.get_close_matches(part, options, n=1)
                where = f"in {so_far}" if so_far else "at the top level"
                raise KeyPathError(
                    f"the base scenario has no key {part!r} {where}"
                    + ("" if near else f"; there are: {', '.join(options[:20])}"),
                    near[0] if near else None,
                )
            path.append(part)
            node = node[part]
        else:
            shown = "null (not set)" if node is None else "a single value"
            raise KeyPathError(
                f"{so_far} is {shown} in the base scenario; there is no {part!r} below it"
                + (": set it in the base scenario first" if node is None else "")
            )
    if isinstance(node, dict | list):
        raise KeyPathError(
            f"{dotted} is a whole section of the base scenario; name one value inside it"
        )
    return tuple(path)


def set_key(data: dict, target: KeyPath, value: Any) -> None:
    """Set the value at scenario key path ``target`` (from :func:`resolve_key_path`) in place;
    a section the mapping leaves to its defaults is created."""
    node: Any = data
    for part in target[:-1]:
        if isinstance(node, dict) and node.get(part) is None:
            node[part] = {}  # a section left to its defaults
        node = node[part]
    node[target[-1]] = value


def apply_case(sweep: Sweep, values: dict[str, Any]) -> dict:
    """A deep copy of the base scenario mapping with one case's parameter values set."""
    data = copy.deepcopy(sweep.base_data)
    for key, value in values.items():
        set_key(data, sweep.targets[key], _plain(value))
    return data


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers (pydantic and YAML dumps want plain values)."""
    return value.item() if isinstance(value, np.generic) else value


def _representatives(p: Parameter) -> list[Any]:
    """The values of ``p`` checked against the scenario: each level, a range's two ends, a
    distribution's median."""
    if p.values is not None:
        return list(p.values)
    if p.series is not None:
        return list(p.series)
    if p.range is not None:
        return [p.range[0], p.range[1]]
    return [float(frozen_distribution(p).ppf(0.5))]


def _value_problems(
    spec: SweepSpec, base: Any, base_data: dict, targets: dict[str, KeyPath]
) -> list[Problem]:
    """Each parameter's representative values applied alone to the base scenario and checked as
    a scenario is (schema, references, values, series files), located at the parameter."""
    from restvarme.inputs.series import iter_series, load_series
    from restvarme.scenario.load import validation_problems, value_problems
    from restvarme.scenario.references import check_references
    from restvarme.scenario.schema import Scenario

    problems: list[Problem] = []
    for key, p in spec.parameters.items():
        target = targets[key]
        for value in _representatives(p):
            data = copy.deepcopy(base_data)
            set_key(data, target, value)
            try:
                scenario = Scenario.model_validate(data)
            except ValidationError as exc:
                found = validation_problems(exc, data)
            else:
                found = check_references(scenario) + value_problems(scenario, data)
                if not found and p.series is not None:
                    series = dict(iter_series(scenario))
                    if target not in series:
                        found = [Problem("this key does not take a series file", target)]
                    else:
                        try:
                            load_series(
                                value,
                                n=scenario.horizon.hours,
                                base_dir=base.base_dir,
                                path=target,
                            )
                        except ScenarioError as exc:
                            found = [Problem(e.message, target) for e in exc.problems]
            for f in found:
                about = "" if f.path == target else f"{format_key_path(f.path)}: "
                problems.append(
                    Problem(
                        f"with {_shown(value)}: {about}{f.message}",
                        ("parameters", key, p.kind),
                        suggestion=f.suggestion,
                    )
                )
    return problems


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else repr(value)
