"""The CLI's tables, declared as columns over the rows of a DataFrame.

A table is a title and an ordered mapping of header to cell: a function of the row's name and the
row that gives the cell's text. The cell makers below cover what the CLI prints (the row's name,
a text field, a number scaled to GWh or MEUR, a share of a total), so a table reads as what it
shows::

    frame_table(
        units,
        {"unit": row_name, "heat GWh": number("heat_mwh", 1e-3), "share": share("heat_mwh", total)},
        title="Heat by unit",
    )

Headers and cells wrap (at spaces, else folded) instead of being cut off with an ellipsis, so
every table stays readable at 80 columns. Numbers that are NaN print as a dash.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Column, Table

if TYPE_CHECKING:
    import pandas as pd

Cell = Callable[[Hashable, "pd.Series"], str]
"""The text of one cell from the row's name and the row."""


def fmt(value: float, spec: str = ",.1f") -> str:
    """``value`` formatted with ``spec``; NaN (no value, e.g. no baseline) as a dash."""
    return "-" if value != value else format(value, spec)


def wrapping_table(*columns: str | Column, **options: Any) -> Table:
    """A rich table whose headers and cells wrap (at spaces, else folded) rather than ending in
    an ellipsis; ``options`` as :class:`rich.table.Table`'s (``title`` left-justified unless
    given)."""
    options.setdefault("title_justify", "left")
    return Table(
        *(c if isinstance(c, Column) else Column(c, overflow="fold") for c in columns), **options
    )


def frame_table(rows: pd.DataFrame, columns: Mapping[str, Cell], **options: Any) -> Table:
    """One table row per row of ``rows``, one column per entry of ``columns`` (header: cell);
    ``options`` as :func:`wrapping_table`'s."""
    table = wrapping_table(*columns, **options)
    for label, row in rows.iterrows():
        table.add_row(*(cell(label, row) for cell in columns.values()))
    return table


def row_name(name: Hashable, row: pd.Series) -> str:
    """The row's name (markup escaped: names come from scenario files)."""
    return escape(str(name))


def text(column: str, *, default: str = "-") -> Cell:
    """The row's ``column`` as text (``default`` when empty)."""
    return lambda _, row: escape(str(row[column] or default))


def number(column: str, scale: float = 1.0, spec: str = ",.1f") -> Cell:
    """The row's ``column`` times ``scale`` (1e-3: MWh to GWh; 1e-6: EUR to MEUR), formatted
    with ``spec``."""
    return lambda _, row: fmt(float(row[column]) * scale, spec)


def share(column: str, total: float) -> Cell:
    """The row's ``column`` as a share of ``total`` (negative values count as 0)."""
    return lambda _, row: f"{max(float(row[column]), 0.0) / total:.1%}"
