"""Load a scenario YAML file into a validated :class:`~restvarme.scenario.schema.Scenario`.

Everything that can be wrong with the file comes back as one :class:`ScenarioError` listing every
:class:`Problem`, each with the file, the key path in scenario terms (``units[3].capacity_mw``),
the line and, where there is one, the nearest valid key. Nothing from pydantic or PyYAML escapes.

Steps, in order: read the text; parse it with PyYAML keeping the line of every key path; validate
with pydantic and translate each error; check the cross-references between sections
(:func:`~restvarme.scenario.references.check_references`) and that numbers are numbers (not
``true`` read as 1, not ``.inf`` or ``.nan``) and times carry no time zone. Series files (CSV) are
read later, by :mod:`restvarme.inputs.series`, which reuses :func:`key_line` to locate its
problems.

A scenario may come from a stranger, so the file is read within limits, each a located problem
rather than a crash: at most :data:`MAX_SCENARIO_BYTES`, values nested at most
:data:`MAX_YAML_DEPTH` deep (PyYAML builds nested values recursively), and at most
:data:`MAX_YAML_VALUES` values once aliases (``*name``) are expanded (a few lines of aliases can
stand for billions of values).
"""

from __future__ import annotations

import copy
import difflib
import functools
import math
import re
import types
import typing
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from restvarme.errors import Problem, ScenarioError, format_key_path, show_path
from restvarme.scenario.limits import limit_for
from restvarme.scenario.pathway import ChangeKeyError, apply_change
from restvarme.scenario.references import check_references
from restvarme.scenario.schema import Scenario

KeyPath = tuple[str | int, ...]

MAX_SCENARIO_BYTES = 1_000_000
"""Largest scenario file read [bytes]; the largest example is under 10 kB."""
MAX_YAML_DEPTH = 32
"""Deepest nesting of mappings and lists; a scenario needs fewer than 10 levels."""
MAX_YAML_VALUES = 100_000
"""Most values (keys, items, scalars) a scenario may hold once its aliases are expanded."""


@dataclass(frozen=True)
class ScenarioFile:
    """A validated scenario together with where it came from."""

    scenario: Scenario
    path: Path | None
    base_dir: Path


def load_scenario(path: str | Path) -> ScenarioFile:
    """Read and validate a scenario file; raise :class:`ScenarioError` with located problems.

    Parameters
    ----------
    path : str or Path
        The scenario YAML file. Series CSV paths inside it are relative to its folder.

    Raises
    ------
    ScenarioError
        With every problem found: unreadable file, YAML syntax, schema violations (each with its
        key path, line and a suggestion for misspelt keys), and broken cross-references.
    """
    path = Path(path)
    text = _read_text(path)
    parsed = _parse_yaml(text)
    problems = list(parsed.problems)
    scenario: Scenario | None = None
    if parsed.data is not None:
        try:
            scenario = Scenario.model_validate(parsed.data)
        except ValidationError as exc:
            problems += validation_problems(exc, parsed.data)
        if scenario is not None:
            problems += check_references(scenario)
            problems += value_problems(scenario, parsed.data)
            if not problems:
                problems += pathway_problems(scenario)
    if problems:
        raise ScenarioError(_locate(problems, path, parsed.lines))
    assert scenario is not None
    resolved = path.resolve()
    return ScenarioFile(scenario, resolved, resolved.parent)


def key_line(file: str | Path, path: Sequence[str | int]) -> int | None:
    """Line (1-based) of key path ``path`` in scenario file ``file``, or of its nearest ancestor.

    ``None`` if the file cannot be read or parsed. Cached per file and modification time, so
    modules reporting problems about an already loaded scenario (series, weather) can call it
    freely.
    """
    try:
        stat = Path(file).resolve().stat()
    except OSError:
        return None
    lines = _cached_lines(str(Path(file).resolve()), stat.st_mtime_ns)
    return _nearest_line(lines, tuple(path))


# --- reading and parsing ----------------------------------------------------------------------


@dataclass
class _Parsed:
    data: Any = None
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _read_text(path: Path) -> str:
    def fail(message: str) -> ScenarioError:
        return ScenarioError([Problem(message, file=path)])

    shown = show_path(path)
    if not path.exists():
        raise fail(f"scenario file not found (looked for {show_path(path.resolve())})")
    if not path.is_file():
        raise fail(f"{shown} is not a file; expected a scenario YAML file")
    try:
        data = _read_bytes(path)
    except OSError as exc:
        raise fail(f"cannot read {shown}: {(exc.strerror or type(exc).__name__).lower()}") from None
    if data is None:
        raise fail(
            f"the scenario file is larger than {MAX_SCENARIO_BYTES / 1e6:g} MB; a scenario of "
            "hundreds of units takes well under 100 kB: keep hourly values in CSV series files"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"cannot read {shown}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
        raise fail(message) from None


def _read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None if it holds more than :data:`MAX_SCENARIO_BYTES`."""
    if path.stat().st_size > MAX_SCENARIO_BYTES:
        return None
    with path.open("rb") as handle:
        data = handle.read(MAX_SCENARIO_BYTES + 1)
    return None if len(data) > MAX_SCENARIO_BYTES else data


_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader, where PyYAML was built with it: the same nodes, lines and values in
a fraction of the time (``benchmarks/small_run.py``). A file it finds a problem in is read again
by PyYAML's own loader, whose messages the checks state."""


def _parse_yaml(text: str) -> _Parsed:
    """Parse YAML keeping the line of each key path; syntax errors become problems."""
    try:
        yaml.reader.Reader(text)  # PyYAML's check of the characters, which libyaml lacks
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        column = exc.position - before.rfind("\n")
        message = f"YAML syntax error: control character U+{exc.character:04X} (column {column})"
        line = before.count("\n") + 1
        return _Parsed(problems=[Problem(message, line=line)])
    if _FAST_LOADER is not None:
        parsed = _parse_with(text, _FAST_LOADER)
        if not parsed.problems:
            return parsed
    return _parse_with(text, yaml.SafeLoader)


def _parse_with(text: str, loader_class: type[yaml.SafeLoader]) -> _Parsed:
    """:func:`_parse_yaml` with one loader, once the characters are checked."""
    if (deep := _too_deep(text, loader_class)) is not None:
        return _Parsed(problems=[deep])
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is not None and (large := _expansion_problem(loader, node)) is not None:
            return _Parsed(lines=_line_map(loader, node), problems=[large])
        duplicates = _duplicate_keys(loader, node) if node is not None else []
        data = loader.construct_document(node) if node is not None else None
        lines = _line_map(loader, node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        return _Parsed(problems=[_syntax_problem(exc)])
    except yaml.YAMLError as exc:
        return _Parsed(problems=[Problem(f"YAML syntax error: {exc}")])
    finally:
        loader.dispose()
    if data is None:
        message = "the file is empty; expected a mapping of scenario keys (name, location, ...)"
        return _Parsed(problems=[Problem(message, line=1)])
    if not isinstance(data, dict):
        message = (
            f"the top level is {_kind(data)}; expected a mapping of scenario keys such as "
            "`name:`, `location:`, `electricity:`, `networks:`"
        )
        return _Parsed(problems=[Problem(message, line=1)])
    return _Parsed(data, lines, duplicates)


def _too_deep(text: str, loader_class: type[yaml.SafeLoader]) -> Problem | None:
    """A problem if mappings and lists nest deeper than :data:`MAX_YAML_DEPTH`.

    Found from PyYAML's events, which it parses without recursion, before it composes them into
    nested values, which it does recursively (a RecursionError a few hundred levels down). Syntax
    errors are left to the parse proper, which locates them.
    """
    depth, root_mapping, expect_key, top_key = 0, False, False, None
    try:
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, yaml.CollectionStartEvent):
                if depth == 1 and root_mapping and expect_key:
                    top_key = None  # a mapping or list as a key
                depth += 1
                if depth == 1:
                    root_mapping, expect_key = isinstance(event, yaml.MappingStartEvent), True
                if depth > MAX_YAML_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    message = (
                        f"values nested deeper than {MAX_YAML_DEPTH} levels; a scenario needs "
                        "fewer than 10"
                    )
                    return Problem(message, (top_key,) if top_key else (), line=line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                if depth == 1 and root_mapping:
                    expect_key = not expect_key
            elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent) and depth == 1:
                if root_mapping and expect_key and isinstance(event, yaml.ScalarEvent):
                    top_key = event.value
                expect_key = not expect_key
    except yaml.YAMLError:
        return None
    return None


def _expansion_problem(loader: yaml.SafeLoader, root: yaml.Node) -> Problem | None:
    """A problem if aliases make the document hold more than :data:`MAX_YAML_VALUES` values, or
    a value hold itself; located at the value where the expansion happens."""
    size: dict[int, int] = {}
    refs: dict[int, int] = defaultdict(int)
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            open_.discard(id(node))
            size[id(node)] = 1 + sum(size[id(c)] for _, c in _children(loader, node, keys=True))
            continue
        if id(node) in size:
            continue
        if id(node) in open_:
            message = "this value holds itself: an alias in it refers to itself; write it out"
            return Problem(message, _path_to(loader, root, node))
        open_.add(id(node))
        stack.append((node, True))
        for _, child in _children(loader, node, keys=True):
            refs[id(child)] += 1
            stack.append((child, False))
    if size[id(root)] <= MAX_YAML_VALUES:
        return None
    path: list[str | int] = []
    node = root
    while True:  # down to where aliases multiply the values
        big = [
            (part, child)
            for part, child in _children(loader, node)
            if size[id(child)] > MAX_YAML_VALUES and refs[id(child)] == 1 and part is not None
        ]
        if not big:
            break
        part, node = big[0]
        path.append(part)
    message = (
        f"aliases (*name) here expand to more than {MAX_YAML_VALUES:,} values "
        f"({size[id(node)]:,}); write the values out or use fewer aliases"
    )
    return Problem(message, tuple(path))


def _children(
    loader: yaml.SafeLoader, node: yaml.Node, keys: bool = False
) -> list[tuple[str | int | None, yaml.Node]]:
    """(key or index, child) of a mapping or list; with ``keys``, mapping keys too."""
    if isinstance(node, yaml.MappingNode):
        out: list[tuple[str | int | None, yaml.Node]] = []
        for key_node, value_node in node.value:
            if keys:
                out.append((None, key_node))
            out.append((_key_value(loader, key_node), value_node))
        return out
    if isinstance(node, yaml.SequenceNode):
        return list(enumerate(node.value))
    return []


def _path_to(loader: yaml.SafeLoader, root: yaml.Node, target: yaml.Node) -> KeyPath:
    """Key path of the first place ``target`` appears under ``root`` (breadth first)."""
    queue: list[tuple[KeyPath, yaml.Node]] = [((), root)]
    seen: set[int] = set()
    while queue:
        path, node = queue.pop(0)
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        queue += [((*path, part), c) for part, c in _children(loader, node) if part is not None]
    return ()


def _syntax_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
    if mark is not None:
        message += f" (column {mark.column + 1})"
    if exc.context and exc.context_mark and exc.problem:
        message += f", {exc.context} started at line {exc.context_mark.line + 1}"
    return Problem(message, line=mark.line + 1 if mark else None)


def _line_map(loader: yaml.SafeLoader, root: yaml.Node) -> dict[KeyPath, int]:
    """Map every key path to the 1-based line of its key (mappings) or item (sequences)."""
    lines: dict[KeyPath, int] = {(): root.start_mark.line + 1}
    stack: list[tuple[KeyPath, yaml.Node]] = [((), root)]
    seen: set[int] = set()
    while stack:
        path, node = stack.pop()
        if id(node) in seen:  # aliases share nodes; a recursive alias would loop
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = _key_value(loader, key_node)
                if key is None:
                    continue
                lines[(*path, key)] = key_node.start_mark.line + 1
                stack.append(((*path, key), value_node))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[(*path, i)] = item.start_mark.line + 1
                stack.append(((*path, i), item))
    return lines


def _duplicate_keys(loader: yaml.SafeLoader, root: yaml.Node) -> list[Problem]:
    """YAML silently keeps the last of two equal keys; report the second as a problem."""
    problems = []
    stack: list[tuple[KeyPath, yaml.Node]] = [((), root)]
    seen: set[int] = set()
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = _key_value(loader, key_node)
                line = key_node.start_mark.line + 1
                if key is None:
                    continue
                if key in first:
                    message = f"duplicate key {key!r} (first at line {first[key]}); keep one"
                    problems.append(Problem(message, (*path, key), line=line))
                else:
                    first[key] = line
                stack.append(((*path, key), value_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((*path, i), item) for i, item in enumerate(node.value))
    return problems


def _key_value(loader: yaml.SafeLoader, key_node: yaml.Node) -> str | int | None:
    if not isinstance(key_node, yaml.ScalarNode):
        return None
    value = loader.construct_object(key_node)
    return value if isinstance(value, str | int) else str(value)


@functools.lru_cache(maxsize=16)
def _cached_lines(resolved: str, mtime_ns: int) -> dict[KeyPath, int]:
    try:
        data = _read_bytes(Path(resolved))
        if data is None:
            return {}
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return _parse_yaml(text).lines


def _nearest_line(lines: Mapping[KeyPath, int], path: KeyPath) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _locate(problems: list[Problem], path: Path, lines: Mapping[KeyPath, int]) -> list[Problem]:
    """Fill in file and line, and order by line."""
    for p in problems:
        p.file = p.file or path
        if p.line is None:
            p.line = _nearest_line(lines, p.path)
    return sorted(problems, key=lambda p: p.line if p.line is not None else 10**9)


# --- pathways: each period's changes ------------------------------------------------------------


def pathway_problems(scenario: Scenario) -> list[Problem]:
    """What is wrong with the scenario of each pathway period, located at the change causing it.

    Each period's ``changes`` are applied to the base scenario as ``restvarme run`` applies them
    (:func:`restvarme.scenario.pathway.apply_change`) and the result is checked as a scenario is
    (schema, cross-references, values and limits). A problem is reported at the change key in the
    file (``pathway.periods[1].changes.units.peak.capacity_mww``), with the period's year and,
    where it differs, the scenario key it is about: the change whose key path shares the longest
    start with the problem's; one that shares nothing with any change is reported at the period's
    ``changes``. As for the base scenario, cross-references and values are checked once the
    period's scenario fits the schema.
    """
    if scenario.pathway is None:
        return []
    base = scenario.model_dump(mode="python", exclude={"pathway"}, exclude_none=False)
    problems: list[Problem] = []
    for i, period in enumerate(scenario.pathway.periods):
        where: KeyPath = ("pathway", "periods", i, "changes")
        data = copy.deepcopy({**base, "year": period.year})
        targets: dict[str, KeyPath] = {}
        for dotted, value in period.changes.items():
            try:
                targets[dotted] = apply_change(data, dotted, value)
            except ChangeKeyError as exc:
                last = exc.prefix.rsplit(".", 1)[-1]
                message = f"in {period.year}: no key {exc.prefix!r} to change"
                if exc.options and (near := _close(last, exc.options)) is None:
                    message += f"; there are: {', '.join(exc.options[:20])}"
                else:
                    near = _close(last, exc.options)
                problems.append(Problem(message, (*where, dotted), suggestion=near))
        if len(targets) < len(period.changes):
            continue
        try:
            changed = Scenario.model_validate(data)
        except ValidationError as exc:
            found = validation_problems(exc, data)
        else:
            found = check_references(changed) + value_problems(changed, data)
        problems += [_at_change(p, period.year, where, targets) for p in found]
    return problems


def _at_change(p: Problem, year: int, where: KeyPath, targets: dict[str, KeyPath]) -> Problem:
    """``p`` (about the period's scenario) located at the change that caused it."""

    def shared(target: KeyPath) -> int:
        """Length of the key path ``target`` and ``p.path`` start with."""
        n = 0
        for a, b in zip(target, p.path, strict=False):
            if a != b:
                break
            n += 1
        return n

    best = max(targets, key=lambda k: shared(targets[k]), default=None)
    if best is None or shared(targets[best]) == 0:
        return Problem(f"in {year}: {format_key_path(p.path)}: {p.message}", where)
    about = "" if targets[best] == p.path else f"{format_key_path(p.path)}: "
    return Problem(f"in {year}: {about}{p.message}", (*where, best), suggestion=p.suggestion)


# --- numbers that are numbers, times without a zone -------------------------------------------


def value_problems(scenario: BaseModel, data: Any) -> list[Problem]:
    """Values pydantic accepts but a scenario must not hold, located by key path.

    ``true``/``false`` (and YAML's ``yes``/``no``) where a number goes, which pydantic reads as
    1 and 0; numbers that are not finite (``.inf``, ``.nan``, ``'1e999'``); and times with a UTC
    offset (``2030-01-01T00:00+01:00``), since restvarme's hours carry no time zone; and
    numbers beyond the physical or plausible range their key's unit allows
    (:func:`restvarme.scenario.limits.limit_for`: temperatures above absolute zero,
    ``annual_gwh`` at most 1,000 TWh, and so on, each with its reason). Walks the validated
    ``scenario`` beside the ``data`` it was validated from; defaults are not checked.
    """
    problems: list[Problem] = []
    stack: list[tuple[Any, Any, KeyPath]] = [(scenario, data, ())]
    while stack:
        value, raw, path = stack.pop()
        if isinstance(value, BaseModel) and isinstance(raw, dict):
            stack += [
                (getattr(value, k), raw[k], (*path, k))
                for k in type(value).model_fields
                if k in raw
            ]
        elif isinstance(value, dict) and isinstance(raw, dict):
            stack += [(v, raw[k], (*path, k)) for k, v in value.items() if k in raw]
        elif isinstance(value, list | tuple) and isinstance(raw, list | tuple):
            stack += [(v, r, (*path, i)) for i, (v, r) in enumerate(zip(value, raw, strict=False))]
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int | float) and isinstance(raw, bool):
            problems.append(Problem(f"got {_show(raw)}; expected a number", path))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(f"got {_non_finite(raw)}; expected a finite number", path))
        elif isinstance(value, int | float) and (why := _out_of_range(value, path)):
            problems.append(Problem(f"got {_show(raw)}; {why}", path))
        elif isinstance(value, datetime) and value.utcoffset() is not None:
            offset = value.isoformat()[19:] or "+00:00"
            message = (
                f"got a time with a UTC offset ({offset}); expected local standard time without "
                "one, such as 2030-01-01T00:00 (restvarme's hours carry no time zone)"
            )
            problems.append(Problem(message, path))
    return problems


def _out_of_range(value: float, path: KeyPath) -> str | None:
    """Why a finite number is beyond its key's limit, or None."""
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return f"expected a number within ±{limit_for(path).high:g}"
    return limit_for(path).problem(number)


def _non_finite(raw: Any) -> str:
    """A non-finite number as the user wrote it: ``.inf``, ``-.inf``, ``.nan`` or the text."""
    if isinstance(raw, float):
        return ".nan" if math.isnan(raw) else ("-.inf" if raw < 0 else ".inf")
    return _show(raw)


# --- pydantic errors in scenario terms ---------------------------------------------------------


@dataclass
class _Error:
    """One pydantic error walked against the schema."""

    raw: dict[str, Any]
    path: KeyPath  # the user's key path (pydantic's union tags removed)
    unions: list[tuple[KeyPath, str]]  # (path of the union value, branch tag) passed on the way
    owner: type[BaseModel] | None  # model whose field the last path component is
    here: Any  # schema type at the end of the path (None if unknown)
    key_error: bool = False  # the error is about a mapping key itself (e.g. a number as a name)

    @property
    def type(self) -> str:
        return str(self.raw["type"])


def validation_problems(
    exc: ValidationError, data: Any, root: type[BaseModel] = Scenario
) -> list[Problem]:
    """Translate a pydantic :class:`ValidationError` into problems located by key path.

    One problem per user-visible mistake: the alternatives of a union (a series may be a number,
    a path or a mapping) are merged or the intended one chosen, and a missing key that an
    unknown key's suggestion already names is not reported twice.
    """
    errors = [_walk_loc(err, root) for err in exc.errors(include_url=False)]
    errors = _resolve_unions(errors)
    problems = [_problem(e, data) for e in errors]
    suggested = {(p.path[:-1], p.suggestion) for p in problems if p.suggestion}
    return [
        p
        for p, e in zip(problems, errors, strict=True)
        if not (e.type == "missing" and (p.path[:-1], p.path[-1]) in suggested)
    ]


def _walk_loc(err: Mapping[str, Any], root: type[BaseModel]) -> _Error:
    path: list[str | int] = []
    unions: list[tuple[KeyPath, str]] = []
    tp: Any = root
    owner: type[BaseModel] | None = None
    key_error = False
    for part in err["loc"]:
        tp = _unwrap(tp)
        options = _union_options(tp)
        if options:
            unions.append((tuple(path), str(part)))
            tp = _branch(options, str(part))
            continue
        if part == "[key]":
            key_error = True
            continue
        owner, tp = _step(tp, part)
        path.append(part)
    return _Error(dict(err), tuple(path), unions, owner, _unwrap(tp), key_error)


def _step(tp: Any, part: str | int) -> tuple[type[BaseModel] | None, Any]:
    """Owner model and type of ``part`` inside type ``tp``."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(str(part))
        return tp, (info.annotation if info else None)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is dict and len(args) == 2:
        return None, args[1]
    if origin is list and args:
        return None, args[0]
    if origin is tuple and args and isinstance(part, int):
        return None, args[0] if args[-1] is Ellipsis else args[min(part, len(args) - 1)]
    return None, None


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` layers."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        options = _non_none(tp)
        if options is not None and len(options) == 1:
            tp = options[0]
            continue
        return tp


def _non_none(tp: Any) -> list[Any] | None:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return None


def _union_options(tp: Any) -> list[Any] | None:
    options = _non_none(tp)
    return options if options and len(options) > 1 else None


def _branch(options: list[Any], tag: str) -> Any:
    """The union member pydantic's ``tag`` names (a discriminator value or a type label)."""
    for option in options:
        member = _unwrap(option)
        if isinstance(member, type) and issubclass(member, BaseModel):
            if tag in _literal_values(member, "type") or re.search(rf"\b{member.__name__}\b", tag):
                return member
        elif getattr(member, "__name__", None) == tag:
            return member
    return None


def _literal_values(model: type[BaseModel], name: str) -> tuple[Any, ...]:
    info = model.model_fields.get(name)
    if info is None or typing.get_origin(info.annotation) is not typing.Literal:
        return ()
    return typing.get_args(info.annotation)


_SHAPE_ERRORS = {"model_type", "model_attributes_type", "dict_type", "list_type", "tuple_type"}


def _is_shape_error(e: _Error, at: KeyPath) -> bool:
    """The value was not even of this union member's kind (a list where a number was wanted)."""
    return e.path == at and (e.type in _SHAPE_ERRORS or e.type.endswith(("_type", "_parsing")))


def _resolve_unions(errors: list[_Error]) -> list[_Error]:
    """Keep the errors of the union member the user meant; merge if they meant none."""
    out: list[_Error] = []
    groups: dict[KeyPath, list[_Error]] = defaultdict(list)
    for e in errors:
        if e.unions:
            groups[e.unions[0][0]].append(e)
        else:
            out.append(e)
    for at, group in groups.items():
        by_tag: dict[str, list[_Error]] = defaultdict(list)
        for e in group:
            by_tag[e.unions[0][1]].append(e)
        if len(by_tag) == 1:
            out += group
            continue
        meant = {t: es for t, es in by_tag.items() if not all(_is_shape_error(e, at) for e in es)}
        if not meant:
            first = group[0]
            expected = [_describe(_unwrap(e.here)) for e in (es[0] for es in by_tag.values())]
            raw = {"type": "union", "input": first.raw.get("input"), "expected": expected}
            out.append(_Error(raw, at, [], first.owner, None))
            continue
        chosen: list[_Error] = min(meant.values(), key=_branch_cost)
        out += chosen
    return out


def _branch_cost(errors: list[_Error]) -> tuple[int, int]:
    """Fewer unknown keys without a near match, then fewer errors: the branch the user meant."""
    unmatched = 0
    for e in errors:
        if e.type == "extra_forbidden" and e.owner is not None:
            if not difflib.get_close_matches(str(e.path[-1]), list(e.owner.model_fields), n=1):
                unmatched += 1
    return unmatched, len(errors)


def _describe(tp: Any) -> str:
    if tp is float or tp is int:
        return "a number"
    if tp is str:
        return "text (a CSV path)"
    if tp is bool:
        return "true or false"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"a mapping with keys {', '.join(tp.model_fields)}"
    return str(tp)


# --- messages ----------------------------------------------------------------------------------

_EXPECT = {
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "list_type": "a list",
    "tuple_type": "a list",
    "datetime_type": "a date and time such as 2030-01-01T00:00",
    "datetime_parsing": "a date and time such as 2030-01-01T00:00",
    "datetime_from_date_parsing": "a date and time such as 2030-01-01T00:00",
    "date_from_datetime_parsing": "a date such as 2030-01-01",
}

_BOUNDS = {
    "greater_than_equal": (">=", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("<=", "le"),
    "less_than": ("<", "lt"),
}


NAME_RULE = (
    "a name uses letters of any script (värmepump), digits, _ . and -, starts with a letter, "
    "digit or _, has no spaces or markup characters, and is at most 64 long"
)
"""What :data:`restvarme.scenario.base.NAME_PATTERN` allows, in words."""


def _problem(e: _Error, data: Any) -> Problem:
    """The problem for one (union-resolved) error."""
    kind, raw, got = e.type, e.raw, _show(e.raw.get("input"))
    ctx = raw.get("ctx") or {}
    if e.key_error and kind in ("string_pattern_mismatch", "string_too_long"):
        return Problem(f"got {got} as a name; {NAME_RULE}", e.path)
    if e.key_error:
        return Problem(f"got {got} as a name; expected text (quote it: '{raw['input']}')", e.path)
    if kind == "extra_forbidden":
        return _unknown_key(e)
    if kind == "missing":
        return Problem(f"missing required key {e.path[-1]!r}{_about(e)}", e.path)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _unit_type(e, data)
    if kind == "union":
        return Problem(f"got {got}; expected {_or(raw['expected'])}", e.path)
    if kind in _BOUNDS:
        symbol, name = _BOUNDS[kind]
        return Problem(f"got {got}; expected a number {symbol} {_num(ctx.get(name))}", e.path)
    if kind == "literal_error":
        values = [str(v) for v in typing.get_args(e.here)]
        if not values:  # a Literal inside a union pydantic did not name: take its own list
            values = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if not values:
            return Problem(f"got {got}; {str(raw.get('msg', 'invalid value')).lower()}", e.path)
        suggestion = _close(str(raw.get("input")), values)
        return Problem(
            f"got {got}; expected one of {_or(map(repr, values))}", e.path, suggestion=suggestion
        )
    if kind in ("too_short", "too_long"):
        size = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        bound = "at least" if kind == "too_short" else "at most"
        n = ctx.get("actual_length")
        return Problem(f"got {n} item{'s' if n != 1 else ''}; expected {bound} {size}", e.path)
    if kind == "string_pattern_mismatch":
        message = f"got {got}; expected only letters, digits, '_', '.' and '-' (no spaces)"
        return Problem(message, e.path)
    if kind in ("value_error", "assertion_error"):
        return _validator_problem(e)
    if kind in _EXPECT:
        return Problem(f"got {got}; expected {_EXPECT[kind]}", e.path)
    return Problem(f"got {got}; {str(raw.get('msg', 'invalid value')).lower()}", e.path)


def _unknown_key(e: _Error) -> Problem:
    key = str(e.path[-1])
    valid = list(e.owner.model_fields) if e.owner else []
    suggestion = _close(key, valid)
    message = f"unknown key {key!r}"
    if valid and suggestion is None:
        message += f"; valid keys here: {', '.join(valid)}"
    return Problem(message, e.path, suggestion=suggestion)


def _unit_type(e: _Error, data: Any) -> Problem:
    """A unit whose ``type`` is missing or unknown: list the valid types."""
    ctx = e.raw.get("ctx") or {}
    tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
    if not tags:
        options = _union_options(e.here) or []
        tags = [str(t) for option in options for t in _literal_values(_unwrap(option), "type")]
    valid = f"valid types: {', '.join(tags)}"
    if e.type == "union_tag_invalid":
        tag = str(ctx.get("tag"))
        message = f"unknown unit type {tag!r}; {valid}"
        return Problem(message, (*e.path, "type"), suggestion=_close(tag, tags))
    item = _get(data, e.path)
    near = _close("type", [str(k) for k in item]) if isinstance(item, dict) else None
    if near is not None:
        message = f"unknown key {near!r}; every unit needs a `type`"
        return Problem(message, (*e.path, near), suggestion="type")
    return Problem(f"missing required key 'type'; {valid}", (*e.path, "type"))


def _validator_problem(e: _Error) -> Problem:
    """A model validator's message; if it names exactly one key of the model, point at it."""
    message = str(e.raw.get("msg", ""))
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    model = e.here if isinstance(e.here, type) and issubclass(e.here, BaseModel) else None
    fields = model.model_fields if model else {}
    named = [k for k in dict.fromkeys(re.findall(r"`(\w+)`", message)) if k in fields]
    path = (*e.path, named[0]) if len(named) == 1 else e.path
    return Problem(message, path)


def _about(e: _Error) -> str:
    if e.owner is None:
        return ""
    info = e.owner.model_fields.get(str(e.path[-1]))
    return f" ({info.description.rstrip('.')})" if info and info.description else ""


def _close(word: str, options: Sequence[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _or(items: Any) -> str:
    items = list(items)
    if not items:
        return "nothing"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _num(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    return f"a single value ({_show(value)})"


def _show(value: Any, limit: int = 60) -> str:
    """A short rendering, in YAML terms, of a value the user wrote."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bool) or value is None:
        text = {True: "true", False: "false", None: "null"}[value]
    elif isinstance(value, dict | list):
        text = yaml.safe_dump(value, default_flow_style=True, width=10**6)
        text = text.strip().removesuffix("...").strip()
    else:
        text = _num(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
