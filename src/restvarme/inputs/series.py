"""Read a scenario *series* value (constant or CSV column) into one value per snapshot.

A series is a constant, a CSV path or a ``{file, column, scale}`` mapping (see
:class:`~restvarme.scenario.schema.SeriesFile`).

**Where files may be.** CSV paths are relative to the scenario file's folder and must stay
inside it: after resolving ``..`` and symbolic links, the file must lie in the scenario folder,
in a folder named with :func:`allow_paths` (``restvarme run --allow-path FOLDER``), or, for a
built-in example, in the examples' folder (``lund_2030`` reads ``../lund/series``). An absolute
path is accepted only when it points into one of these; ``~`` is not expanded. A path leading
elsewhere is refused before the file is opened, with the same message whether or not the file
exists, so nothing of an outside file reaches a result or a message.

**What a file holds.** A header line and one data row per hour from the start of the horizon;
only the first rows the horizon needs are read (the rest of the file never is), and a
file larger than :data:`MAX_SERIES_FILE_BYTES` or with a line longer than
:data:`MAX_LINE_CHARS` is refused. A file of bare numbers without a header is read as one
column, and a ``;``-separated file (a spreadsheet in many European locales) may use decimal
commas. If the file has a time column (``time``, ``timestamp``, ``datetime``, ``date``,
``snapshot``, ``hour`` or ``utc``), it is read and must step by exactly one hour, increasing
and unique: ISO 8601 times (``2030-01-01 00:00``) in **local standard time, without
daylight-saving shifts, or UTC** (times with offsets, ``2030-10-27T02:00+01:00``, are compared
in UTC), or hour numbers counting up by one. A local-time file with summer time repeats an hour
in autumn and skips one in spring, and is refused at that row. Values must be finite numbers:
not empty, ``nan``, ``inf`` or ``true``, and within the range the key's unit allows
(:func:`restvarme.scenario.limits.limit_for`: a temperature above absolute zero, a power at most
100 GW, ...).

Every problem is a :class:`~restvarme.errors.ScenarioError` naming the scenario file and the line
of the key, the key path, the CSV file and, for bad rows, the CSV line and column; a cell is
quoted at most in part (:func:`_quote`), and nothing of pandas' own messages is passed on.
"""

from __future__ import annotations

import difflib
import io
import math
import os
import re
import threading
import typing
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from restvarme.errors import Problem, ScenarioError, server_mode, show_path
from restvarme.examples import examples_dir
from restvarme.scenario.limits import limit_for
from restvarme.scenario.load import ScenarioFile, key_line
from restvarme.scenario.schema import Series, SeriesFile

_TIME_NAMES = {"time", "timestamp", "datetime", "date", "snapshot", "hour", "utc"}
_CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".dat"}

MAX_SERIES_FILE_BYTES = 64_000_000
"""Largest series file restvarme opens [bytes]. A year of hourly values is some 0.2 MB a column."""
MAX_LINE_CHARS = 65_536
"""Longest line of a series file [bytes]."""
MAX_PATH_CHARS = 255
"""Longest series path, as written in the scenario [characters]."""

_ALLOWED: ContextVar[tuple[Path, ...]] = ContextVar("restvarme_allowed_paths", default=())

KeyPath = tuple[str | int, ...]


def load_series(
    value: Series,
    *,
    n: int,
    base_dir: Path,
    path: Sequence[str | int],
    scenario_file: Path | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> np.ndarray:
    """Return ``value`` as a float array of length ``n``.

    Parameters
    ----------
    value : float, str or SeriesFile
        A constant, a CSV path relative to ``base_dir``, or a file/column/scale mapping.
    n : int
        Number of snapshots; a CSV must have at least this many rows (extra rows are not read).
    base_dir : Path
        Folder of the scenario file; CSV files must lie inside it or in a folder of
        :func:`allowed_roots`.
    path : sequence of str or int
        Key path of the value in the scenario, for error messages.
    scenario_file : Path, optional
        The scenario file, for error messages (its name and the line of ``path``).
    minimum : float, optional
        Smallest allowed value (e.g. 0 for demand and availability); smaller values are an error.
    maximum : float, optional
        Largest allowed value (e.g. 1 for a capacity factor); larger values are an error.

    Raises
    ------
    ScenarioError
        One problem: file outside the allowed folders, missing, too large, unreadable or empty,
        column unknown or ambiguous, too few rows, a time column that does not step by one hour,
        or a value that is not a finite number (with its CSV line and column).
    """
    key_path = tuple(path)

    def fail(message: str, suggestion: str | None = None) -> ScenarioError:
        line = key_line(scenario_file, key_path) if scenario_file is not None else None
        return ScenarioError([Problem(message, key_path, scenario_file, line, suggestion)])

    if isinstance(value, bool):  # true is not 1 MW
        raise fail(f"got {str(value).lower()}; expected a number")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise fail(f"got {value}; expected a finite number")
        if minimum is not None and value < minimum:
            raise fail(f"got {value:g}; expected a number >= {minimum:g}")
        if maximum is not None and value > maximum:
            raise fail(f"got {value:g}; expected a number <= {maximum:g}")
        if why := limit_for(key_path).problem(float(value)):
            raise fail(f"got {value:g}; {why}")
        return np.full(n, float(value))
    ref = SeriesFile(file=value, column=None, scale=1.0) if isinstance(value, str) else value

    csv_path = _resolve(ref.file, base_dir, fail)
    parsed = _read_csv(csv_path, ref.file, n, fail)
    frame, first_line = parsed.frame, parsed.first_line
    column = _pick_column(frame, ref, fail)
    _enough_rows(frame, ref.file, column, n, first_line, fail)
    if not parsed.time_checked:
        _check_time(frame, ref.file, n, first_line, fail)
        parsed.time_checked = True
    with np.errstate(over="ignore"):
        values = _numbers(frame[column], ref.file, column, n, first_line, fail) * ref.scale
    if (huge := np.flatnonzero(~np.isfinite(values))).size:
        raise fail(
            f"{ref.file!r} column {column!r} times scale {ref.scale:g} is not a finite number at "
            f"CSV line {first_line + int(huge[0])}; expected a smaller scale"
        )
    if minimum is not None and (below := np.flatnonzero(values < minimum)).size:
        row = int(below[0])
        raise fail(
            f"{ref.file!r} column {column!r} has {below.size} value(s) below {minimum:g}, first "
            f"{values[row]:g} at CSV line {first_line + row}; expected numbers >= {minimum:g}"
        )
    if maximum is not None and (above := np.flatnonzero(values > maximum)).size:
        row = int(above[0])
        raise fail(
            f"{ref.file!r} column {column!r} has {above.size} value(s) above {maximum:g}, first "
            f"{values[row]:g} at CSV line {first_line + row}; expected numbers <= {maximum:g}"
        )
    limit = limit_for(key_path)
    if (wrong := np.flatnonzero(limit.outside(values))).size:
        row = int(wrong[0])
        raise fail(
            f"{ref.file!r} column {column!r} has {wrong.size} value(s) out of range, first "
            f"{values[row]:g} at CSV line {first_line + row}; {limit.problem(values[row])}"
        )
    return values


@contextmanager
def allow_paths(*folders: str | Path) -> Iterator[tuple[Path, ...]]:
    """Within the ``with`` block, series files may also be read from ``folders``.

    Each folder (or single file) is resolved once, here; its subfolders are allowed too. Blocks
    nest, and the widening ends with the block. It is kept in a :class:`~contextvars.ContextVar`:
    it holds in the thread or asyncio task that entered the block, and not in a thread started
    inside it. The command line's ``--allow-path`` uses it. Folders come from whoever runs
    restvarme, never from the scenario: a scenario cannot widen its own reach.

    Yields the folders allowed in the block, besides each scenario's own.
    """
    roots = _ALLOWED.get() + tuple(Path(os.fspath(f)).resolve() for f in folders)
    token = _ALLOWED.set(roots)
    try:
        yield roots
    finally:
        _ALLOWED.reset(token)


def allowed_roots(base_dir: Path) -> tuple[Path, ...]:
    """Folders the series files of a scenario in ``base_dir`` may be read from.

    The scenario's folder; the built-in examples' folder if the scenario is one of them; and the
    folders of the enclosing :func:`allow_paths` blocks. All resolved (no symbolic links).
    """
    base = base_dir.resolve()
    roots = [base]
    examples = examples_dir().resolve()
    if base.is_relative_to(examples):
        roots.append(examples)
    roots += [root for root in _ALLOWED.get() if root not in roots]
    return tuple(roots)


def check_all_series(scenario_file: ScenarioFile) -> list[Problem]:
    """Read every series of a loaded scenario over its horizon; return the problems found.

    For ``restvarme validate``: reports all broken CSV references at once instead of the first.
    """
    sf = scenario_file
    problems: list[Problem] = []
    for path, value in iter_series(sf.scenario):
        try:
            load_series(
                value,
                n=sf.scenario.horizon.hours,
                base_dir=sf.base_dir,
                path=path,
                scenario_file=sf.path,
            )
        except ScenarioError as exc:
            problems += exc.problems
    return problems


def iter_series(model: BaseModel, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str | SeriesFile]]:
    """Key path and value of every series in ``model`` that refers to a file (not constants)."""
    for name, info in type(model).model_fields.items():
        yield from _series_in(getattr(model, name), info.annotation, (*path, name))


def _series_in(value: Any, annotation: Any, path: KeyPath) -> Iterator[tuple[KeyPath, Any]]:
    if isinstance(value, str) and value in _literal_choices(annotation):
        return  # a built-in name the field also accepts (a fleet's ``profile: overnight``)
    if isinstance(value, SeriesFile) or (isinstance(value, str) and _takes_series(annotation)):
        yield path, value
    elif isinstance(value, BaseModel):
        yield from iter_series(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _series_in(item, None, (*path, key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _series_in(item, None, (*path, i))


def _literal_choices(annotation: Any) -> set:
    """Values a field's ``Literal[...]`` members allow (empty when it has none)."""
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    return set().union(*(_literal_choices(arg) for arg in typing.get_args(annotation)))


def _takes_series(annotation: Any) -> bool:
    """Whether a field's type admits a :class:`SeriesFile` (so a string there is a CSV path)."""
    if annotation is SeriesFile:
        return True
    return any(_takes_series(arg) for arg in typing.get_args(annotation))


# --- reading -----------------------------------------------------------------------------------

Fail = Callable[..., ScenarioError]


def _resolve(file: str, base_dir: Path, fail: Fail) -> Path:
    """The CSV path, resolved, inside an allowed folder; or a problem saying why not.

    The check comes before anything else about the file, so an outside path gets the same
    message whether or not something is there.
    """
    if len(file) > MAX_PATH_CHARS:
        raise fail(
            f"the series path is {len(file)} characters long; at most {MAX_PATH_CHARS} are "
            "allowed: use a shorter file name or folder"
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in file):
        raise fail(f"the series path {_quote(file)} contains a control character")
    base = base_dir.resolve()
    written = base / file  # no expanduser(): "~" is a folder name like any other
    try:
        csv_path = written.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        why = "a loop of symbolic links" if isinstance(exc, RuntimeError) else _os_reason(exc)
        raise fail(f"cannot resolve series file {file!r}: {why}") from None
    roots = allowed_roots(base)
    if not any(csv_path.is_relative_to(root) for root in roots):
        raise fail(_outside(file, written, base, roots))
    try:
        if csv_path.is_file():
            return csv_path
    except OSError as exc:
        raise fail(f"cannot read series file {file!r}: {_os_reason(exc)}") from None
    shown = show_path(csv_path, base)
    if server_mode() and csv_path.is_relative_to(base):
        shown += " in the scenario folder"
    message = f"series file {file!r} not found (looked for {shown}"
    message += ")" if Path(file).is_absolute() else "; paths are relative to the scenario folder)"
    if file.startswith("~"):
        message += "; '~' is not expanded: the path is read inside the scenario folder"
    if Path(file).suffix.lower() not in _CSV_SUFFIXES:
        message += "; text here is read as a CSV path, so write a constant as a bare number"
    raise fail(message)


def _outside(file: str, written: Path, base: Path, roots: Sequence[Path]) -> str:
    """Why ``file`` is refused, what is allowed and how to widen it (no outside path named in
    server mode)."""
    lexical = Path(os.path.normpath(written))
    link = any(lexical.is_relative_to(root) for root in roots)
    message = f"series file {file!r} is outside the scenario folder"
    if link:
        message += " (it is, or passes through, a symbolic link that leads out of it)"
    others = roots[1:]
    if server_mode():
        allowed = "the scenario folder"
        if others:
            allowed += f" and {len(others)} other allowed folder{'s' if len(others) > 1 else ''}"
    else:
        allowed = f"the scenario folder ({base})"
        if others:
            allowed += " and from " + ", ".join(map(str, others))
    return (
        f"{message}; series files are read only from {allowed}: move the file there, or name "
        "its folder with `--allow-path FOLDER` (restvarme run, plan, validate) or "
        "`restvarme.inputs.series.allow_paths(FOLDER)` in Python"
    )


def _os_reason(exc: OSError) -> str:
    """An OS error's reason without the path it names (which may be absolute)."""
    return (exc.strerror or type(exc).__name__).lower()


@dataclass
class _Parsed:
    """A series file's first ``n`` rows as text cells (:func:`_read_csv`)."""

    frame: pd.DataFrame
    first_line: int
    """The file line of the first data row."""
    time_checked: bool = False
    """Whether its time column (if any) passed :func:`_check_time` already."""


_PARSED: OrderedDict[tuple[int, str], _Parsed] = OrderedDict()
"""The last :data:`PARSED_FILES_KEPT` files parsed, by the rows read and their text."""
PARSED_FILES_KEPT = 16
_PARSED_LOCK = threading.Lock()


def _read_csv(csv_path: Path, file: str, n: int, fail: Fail) -> _Parsed:
    """The header and first ``n`` data rows as text cells, and the file line of the first.

    Each file is parsed once: a scenario reads several columns of one file (a waste-heat
    source's availability and temperature), or the same file for several keys, and every
    read after the first finds the parse by the text read (the file is always read again, so
    a file changed on disk is parsed again; a read that fails is not kept)."""
    text = _head_text(csv_path, file, n, fail)
    key = (n, text)
    with _PARSED_LOCK:
        if (parsed := _PARSED.get(key)) is not None:
            _PARSED.move_to_end(key)
            return parsed
    parsed = _Parsed(*_parse_csv(text, file, n, fail))
    with _PARSED_LOCK:
        _PARSED[key] = parsed
        while len(_PARSED) > PARSED_FILES_KEPT:
            _PARSED.popitem(last=False)
    return parsed


def _head_text(csv_path: Path, file: str, n: int, fail: Fail) -> str:
    """The header and first ``n`` rows of a series file as text (size checked first)."""
    try:
        size = csv_path.stat().st_size
    except OSError as exc:
        raise fail(f"cannot read series file {file!r}: {_os_reason(exc)}") from None
    if size > MAX_SERIES_FILE_BYTES:
        raise fail(
            f"series file {file!r} is larger than the {MAX_SERIES_FILE_BYTES / 1e6:.0f} MB "
            f"restvarme reads ({size / 1e6:,.1f} MB); a year of hourly values "
            "takes some 0.2 MB a column: keep the hours and columns the scenario needs"
        )
    text = _head(csv_path, file, n + 1, fail)
    if not text.strip():
        raise fail(
            f"series file {file!r} is empty; expected a header line and {n} rows, one per hour"
        )
    return text


def _parse_csv(text: str, file: str, n: int, fail: Fail) -> tuple[pd.DataFrame, int]:
    """The rows of a series file's text as text cells, and the file line of the first."""
    header = text.split("\n", 1)[0]
    semicolon = ";" in header and "," not in header
    options: dict[str, Any] = {
        "sep": ";" if semicolon else ",",
        "dtype": str,
        "keep_default_na": False,
        "skip_blank_lines": False,
    }
    try:
        frame = pd.read_csv(io.StringIO(text), **options)
        first_line = 2
        if len(frame.columns) and all(_is_number(c) for c in frame.columns):
            frame, first_line = pd.read_csv(io.StringIO(text), header=None, **options), 1
            frame = frame.iloc[:n]
    except pd.errors.EmptyDataError:
        raise fail(
            f"series file {file!r} is empty; expected a header line and {n} rows, one per hour"
        ) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise fail(_parser_message(file, str(exc))) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("")  # short rows
    if semicolon:
        frame = frame.apply(lambda col: col.str.replace(",", ".", regex=False))
    blank = frame.apply(lambda col: col.str.strip() == "").all(axis=1).to_numpy()
    last = len(frame) - int(np.argmin(blank[::-1])) if (~blank).any() else 0
    frame = frame.iloc[:last]  # trailing blank lines are not rows
    if frame.empty:
        raise fail(
            f"series file {file!r} has a header but no data rows; expected {n}, one per hour"
        )
    return frame, first_line


def _head(csv_path: Path, file: str, count: int, fail: Fail) -> str:
    """The first ``count`` lines of the file as text; the file is read in blocks of
    :data:`READ_BLOCK_BYTES` until they are in, and each line checked (length, UTF-8, NUL),
    the first line with a fault named.

    The checks run on the whole head at once (numpy over its bytes, one decode), not line by
    line: on a year of hours that took 9-20 ms of Python per file read."""
    try:
        with csv_path.open("rb") as handle:
            data = _head_bytes(handle, count)
    except OSError as exc:
        raise fail(f"cannot read series file {file!r}: {_os_reason(exc)}") from None
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))[:count]
    if ends.size < count and (not ends.size or ends[-1] + 1 < len(data)):
        ends = np.append(ends, len(data))  # a last line without a line break
    head = data[: int(ends[-1]) + 1] if ends.size else b""
    starts = np.concatenate([[0], ends[:-1] + 1]) if ends.size else ends
    faults: list[tuple[int, int, str]] = []  # (line, order of the checks, message)
    long = np.flatnonzero(ends - starts > MAX_LINE_CHARS)
    for k in long:  # the exact rule on the few candidates: line breaks and \r not counted
        if len(head[starts[k] : ends[k] + 1].rstrip(b"\r\n")) > MAX_LINE_CHARS:
            faults.append((int(k) + 1, 0, "long"))
            break
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head  # a leading UTF-8 BOM
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        faults.append((body.count(b"\n", 0, exc.start) + 1, 1, "utf8"))
        text = ""
    nul = head.find(b"\x00")
    if nul >= 0:
        faults.append((head.count(b"\n", 0, nul) + 1, 2, "nul"))
    if faults:
        number, _, kind = min(faults)
        raise fail(
            {
                "long": f"series file {file!r} line {number} is longer than {MAX_LINE_CHARS} "
                "characters; expected one row of a few values per line",
                "utf8": f"series file {file!r} line {number} is not UTF-8 text; save the file "
                "as UTF-8 (CSV UTF-8 in a spreadsheet)",
                "nul": f"series file {file!r} line {number} holds a NUL character; expected "
                "a text file",
            }[kind]
        )
    return text


READ_BLOCK_BYTES = 1 << 20
"""How much of a series file :func:`_head` reads at a time [bytes]."""


def _head_bytes(handle: Any, count: int) -> bytes:
    """The start of a file holding its first ``count`` line breaks (or all of it), read in
    blocks; reading stops early once a line is longer than :data:`MAX_LINE_CHARS` (the
    check that names it follows)."""
    blocks: list[bytes] = []
    found = 0
    line_so_far = 0  # bytes since the last line break
    while found < count:
        block = handle.read(READ_BLOCK_BYTES)
        if not block:
            break
        blocks.append(block)
        breaks = block.count(b"\n")
        found += breaks
        line_so_far = len(block) - block.rfind(b"\n") - 1 if breaks else line_so_far + len(block)
        if line_so_far > MAX_LINE_CHARS + 2:
            break
    return b"".join(blocks)


def _parser_message(file: str, error: str) -> str:
    """A pandas parser error in our words: its line, never the text it may quote."""
    if fields := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", error):
        expected, line, saw = fields.groups()
        return (
            f"series file {file!r} line {line} has {saw} fields; the header has {expected} "
            "(a stray separator, or a decimal comma in a ','-separated file?)"
        )
    if quote := re.search(r"EOF inside string starting at row (\d+)", error):
        line = int(quote.group(1)) + 1
        return f"series file {file!r} line {line}: a quote opened there is not closed"
    return f"cannot read series file {file!r} as CSV: check its quotes and separators"


def _pick_column(frame: pd.DataFrame, ref: SeriesFile, fail: Fail) -> str:
    """The column named by ``ref``, or the only value column (not a time, mostly numbers)."""
    columns = list(frame.columns)
    if ref.column is not None:
        if ref.column in columns:
            return ref.column
        near = difflib.get_close_matches(ref.column, columns, n=1)
        raise fail(
            f"series file {ref.file!r} has no column {ref.column!r}; its columns are {columns}",
            near[0] if near else None,
        )
    candidates = [c for c in columns if c.lower() not in _TIME_NAMES]
    if len(candidates) > 1:
        candidates = [c for c in candidates if _mostly_numbers(frame[c])]
    if len(candidates) != 1:
        raise fail(
            f"series file {ref.file!r} has columns {columns}; name the one to use with "
            f"`{{file: {ref.file}, column: NAME}}`"
        )
    return candidates[0]


def _enough_rows(
    frame: pd.DataFrame, file: str, column: str, n: int, first_line: int, fail: Fail
) -> None:
    if len(frame) < n:
        rows = f"{len(frame)} data row{'s' if len(frame) != 1 else ''}"
        raise fail(
            f"series file {file!r} column {column!r} has {rows} (last on line "
            f"{len(frame) + first_line - 1}); expected at least {n}, one per hour of the horizon"
        )


_TIME_RULE = "in local standard time (no daylight-saving shifts) or UTC"
_OFFSET = re.compile(r"\d:\d\d(?::\d\d(?:\.\d*)?)?\s*(?:Z|[+-]\d\d(?::?\d\d)?)$", re.IGNORECASE)


def _check_time(frame: pd.DataFrame, file: str, n: int, first_line: int, fail: Fail) -> None:
    """The time column, if there is one, steps by one hour over the first ``n`` rows."""
    names = [c for c in frame.columns if c.lower() in _TIME_NAMES]
    if not names:
        return
    column = names[0]
    text = frame[column].iloc[:n].str.strip()

    def at(row: int, what: str, expected: str) -> ScenarioError:
        where = f"series file {file!r} line {row + first_line} (data row {row + 1})"
        return fail(f"{where}, column {column!r}: {what}; expected {expected}")

    if text.str.fullmatch(r"[+-]?\d{1,9}").all():
        numbers = text.astype(np.int64).to_numpy()
        steps = np.diff(numbers)
        if (row := _first_wrong_step(steps.astype(float))) is not None:
            what = f"hour {numbers[row]} follows hour {numbers[row - 1]}"
            raise at(row, what, "hour numbers counting up by one, one row per hour")
        return
    example = f"a date and time such as 2030-01-01 00:00 (ISO 8601) {_TIME_RULE}"
    offsets = text.str.contains(_OFFSET).to_numpy()
    if offsets.any() and not offsets.all():
        row = int(np.flatnonzero(offsets != offsets[0])[0])
        has = "has no UTC offset" if offsets[0] else "has a UTC offset"
        what = f"this time {has}, unlike line {first_line}"
        raise at(row, what, f"every time with a UTC offset, or none ({_TIME_RULE})")
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=bool(offsets[0]))
    if (missing := np.flatnonzero(parsed.isna().to_numpy())).size:
        row = int(missing[0])
        raise at(row, f"got {_quote(text.iloc[row])}, not a date and time", example)
    if offsets[0]:
        parsed = parsed.dt.tz_convert(None)
    seconds = parsed.to_numpy(dtype="datetime64[s]").astype(np.int64)
    steps = np.diff(seconds) / 3600
    if (row := _first_wrong_step(steps)) is not None:
        step, before = steps[row - 1], f"that of line {row + first_line - 1}"
        if step == 0:
            what = f"the time repeats {before}"
        else:
            what = (
                f"the time is {_duration(abs(step))} {'after' if step > 0 else 'before'} {before}"
            )
        raise at(row, what, f"one row per hour, increasing and unique, {_TIME_RULE}")


def _first_wrong_step(steps: np.ndarray) -> int | None:
    """Row (of the values the steps lie between, so >= 1) of the first step that is not one
    hour: going back first, then a repeat, then any other gap."""
    for wrong in (steps < 0, steps == 0, steps != 1):
        if (found := np.flatnonzero(wrong)).size:
            return int(found[0]) + 1
    return None


def _duration(hours: float) -> str:
    if hours == int(hours):
        return f"{hours:g} hour{'s' if hours != 1 else ''}"
    minutes = hours * 60
    return f"{minutes:g} minute{'s' if minutes != 1 else ''}"


_TRUTH = {"true", "false"}


def _numbers(
    cells: pd.Series, file: str, column: str, n: int, first_line: int, fail: Fail
) -> np.ndarray:
    """The first ``n`` cells as finite floats, or a problem naming the first bad CSV line."""
    text = cells.iloc[:n].str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        row = int(bad[0])
        found = text.iloc[row]
        what = f"got {_quote(found)}" if found else "got an empty cell"
        expected = "a number"
        if found.lower() in _TRUTH:
            what += " (true/false is not a number)"
        elif np.isinf(values[row]):
            expected = "a finite number"
        hint = " (use '.' as the decimal point)" if "," in found else ""
        count = f"; {bad.size} bad values in all" if bad.size > 1 else ""
        raise fail(
            f"series file {file!r} line {row + first_line} (data row {row + 1}), column "
            f"{column!r}: {what}; "
            f"expected {expected}{hint}{count}"
        )
    return values


def _quote(text: str, limit: int = 16) -> str:
    """A cell or path as a message shows it: quoted, and cut after ``limit`` characters."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def _is_number(text: Any) -> bool:
    try:
        return bool(np.isfinite(float(str(text))))
    except ValueError:
        return False


def _mostly_numbers(cells: pd.Series) -> bool:
    sample = cells.iloc[:200].str.strip()
    return bool(pd.to_numeric(sample, errors="coerce").notna().mean() > 0.5)
