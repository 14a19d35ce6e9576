"""Dump the LP that HiGHS receives for a scenario, and compare two dumps exactly.

A change to the model build that is meant to leave the LP alone (a faster builder, say) is
checked with this script: dump with the old checkout, dump with the new one, compare. The dump
holds what :func:`restvarme.model.highs.to_highs` hands to HiGHS, taken from linopy's
``Model.matrices`` as that function takes it: per column its cost, bounds and type; per row its
lower and upper bound; the constraint matrix's entries; and the objective's constant. Every
column and row is named by its linopy variable or constraint and its coordinates
(``heat_pump_heat[2019-01-01 00:00:00, hp_ess]``), so the comparison does not depend on
linopy's labels; it also says whether the columns, rows and entries come in the same order as
well (the same labels), which is what makes HiGHS's path through the simplex the same.

Cases (``--case``, repeatable; all by default): ``lund``, ``barcelona``, ``the_hague``,
``lund_2030`` (the pathway as the example runs it, on typical days) and ``lund_2030_blocks``
(its 2030 period as a one-year expansion on 4-h blocks, ``_expansion.write_lund_expansion``),
``lund_2030_hourly`` (the same on every hour: ``benchmarks/vs_pypsa_expansion.py``'s system),
``window`` and ``window_commitment`` (the first 48-h operating window of the Lund year,
stores half full, as ``benchmarks/operate.py --windows-only`` plans it, without and with
:data:`operate.COMMITMENT`).

Usage::

    PYTHONPATH=/old/src python benchmarks/_lp_fingerprint.py dump /tmp/old
    PYTHONPATH=/new/src python benchmarks/_lp_fingerprint.py dump /tmp/new
    python benchmarks/_lp_fingerprint.py compare /tmp/old /tmp/new
    PYTHONPATH=/new/src python benchmarks/_lp_fingerprint.py time --case window --repeat 20

``time`` prints the CPU seconds of ``build_model`` per case (after a warm-up build).
``sizes`` prints, per case and per linopy variable and constraint name, the columns, rows and
non-zeros HiGHS receives, and what of them HiGHS's presolve would remove first because the
model states it in a roundabout way: columns fixed by their bounds (lower = upper), columns
in no row, and rows on one column only (a bound written as a row); and the fixed columns
:func:`restvarme.model.highs.to_highs` does not hand over (``left out``)::

    PYTHONPATH=src python benchmarks/_lp_fingerprint.py sizes --case lund
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CASES = (
    "lund",
    "barcelona",
    "the_hague",
    "lund_2030",
    "lund_2030_blocks",
    "lund_2030_hourly",
    "window",
    "window_commitment",
)


def case_inputs(case: str):
    """The inputs build_model gets for ``case`` (module docstring)."""
    import restvarme
    from restvarme.inputs.build import build_inputs
    from restvarme.inputs.pathway import build_pathway_inputs

    if case in ("window", "window_commitment"):
        sys.path.insert(0, str(HERE))
        import operate as bench  # benchmarks/operate.py
        from restvarme.operate import rolling
        from restvarme.operate.forecast import perfect
        from restvarme.units._commitment import committed_types

        sf = restvarme.load(bench.LUND)
        if case == "window_commitment":
            sf = bench.with_commitment(sf)
        real = build_inputs(sf)
        w = rolling.windows(real.sizes["snapshot"], 48, 24)[0]
        start = rolling._year_start(real, None, rolling.store_types(real), 0.5)
        x = perfect(real, w.start, w.stop, w.index)
        final = {d: start[d] * rolling._retention(x, d) for d in start}
        states = {d: rolling._initial_state(real, d) for d in committed_types(real)}
        return rolling.with_store_levels(x, start, final).assign(
            {k: v for d in states for k, v in states[d].items()}
        )
    if case in ("lund_2030_blocks", "lund_2030_hourly"):
        import tempfile

        sys.path.insert(0, str(HERE))
        from _expansion import write_lund_expansion

        folder = Path(tempfile.mkdtemp(prefix="lp-fingerprint-"))
        hours = 4 if case == "lund_2030_blocks" else 1
        return build_inputs(restvarme.load(write_lund_expansion(folder, resolution_h=hours)))
    sf = restvarme.load(case)
    if sf.scenario.pathway is not None:
        return build_pathway_inputs(sf)
    return build_inputs(sf)


def _names(items, count: int) -> np.ndarray:
    """The name ``item[coord, coord]`` of every linopy label below ``count``."""
    out = np.full(count, "", dtype=object)
    for name, item in items.items():
        labels = item.labels
        values = labels.values
        if values.size == 0:
            continue
        if values.ndim == 0:
            keys = np.array([name], dtype=object)
        else:
            axes = [np.asarray(labels.indexes[d]).astype(str) for d in labels.dims]
            grids = np.meshgrid(*axes, indexing="ij")
            flat = [g.ravel() for g in grids]
            keys = np.array(
                [f"{name}[{', '.join(parts)}]" for parts in zip(*flat, strict=True)], dtype=object
            )
        lab = values.ravel()
        keep = lab >= 0
        out[lab[keep]] = keys[keep]
    return out


def fingerprint(model) -> dict[str, np.ndarray]:
    """The LP as :func:`restvarme.model.highs.to_highs` hands it over
    (:func:`restvarme.model.highs.lp_arrays`), every column and row named (module docstring),
    in that order; ``left_out``: the fixed columns it does not hand over."""
    from restvarme.model import highs
    from restvarme.model.solve import integers_relaxed

    # a unit-commitment model is handed over with its integer columns relaxed, as
    # restvarme.model.solve's MIP path hands it over; their type says which they are
    with integers_relaxed(model) as integers:
        lp = highs.lp_arrays(model)
    integer_labels = np.concatenate([v.labels.values.ravel() for v in integers] or [[]])
    count = int(max(lp.vlabels.max(initial=-1), lp.fixed_labels.max(initial=-1))) + 1
    names = _names(model.variables, count)
    cnames = _names(model.constraints, int(lp.clabels.max()) + 1)[lp.clabels]
    coo = lp.a.tocoo()
    return {
        "col": names[lp.vlabels].astype(str),
        "col_cost": lp.cost,
        "col_lower": lp.lower,
        "col_upper": lp.upper,
        "col_type": np.where(np.isin(lp.vlabels, integer_labels), "I", "C"),
        "row": cnames.astype(str),
        "row_lower": lp.row_lower,
        "row_upper": lp.row_upper,
        "entry_row": coo.row.astype(np.int64),
        "entry_col": coo.col.astype(np.int64),
        "entry_value": coo.data.astype(float),
        "constant": np.array([float(model.objective.expression.const) + lp.offset]),
        "sense": np.array([model.objective.sense]),
        "left_out": names[lp.fixed_labels].astype(str),
    }


def dump(out: Path, cases: list[str]) -> None:
    from restvarme.model.build import build_model

    out.mkdir(parents=True, exist_ok=True)
    for case in cases:
        inputs = case_inputs(case)
        began = time.process_time()
        built = build_model(inputs)
        cpu = time.process_time() - began
        fp = fingerprint(built.model)
        np.savez_compressed(out / f"{case}.npz", **fp)
        print(
            f"{case}: {fp['col'].size} columns, {fp['row'].size} rows, "
            f"{fp['entry_value'].size} entries (build {cpu:.2f} CPU s) -> {out / case}.npz",
            flush=True,
        )


def time_builds(cases: list[str], repeat: int) -> None:
    """CPU seconds of ``build_model`` per case: one warm-up build, then the mean of ``repeat``."""
    from restvarme.model.build import build_model

    for case in cases:
        inputs = case_inputs(case)
        build_model(inputs)
        began = time.process_time()
        for _ in range(repeat):
            build_model(inputs)
        cpu = (time.process_time() - began) / repeat
        print(f"{case}: build_model {cpu:.3f} CPU s (mean of {repeat} after a warm-up)", flush=True)


def _base(names: np.ndarray) -> np.ndarray:
    """``heat_pump_heat`` of ``heat_pump_heat[2019-01-01 00:00:00, hp_ess]``."""
    return np.array([n.partition("[")[0] for n in names], dtype=object)


def sizes(cases: list[str]) -> None:
    """Columns, rows and non-zeros per variable and constraint name (module docstring)."""
    from restvarme.model.build import build_model

    for case in cases:
        fp = fingerprint(build_model(case_inputs(case)).model)
        col, row = _base(fp["col"]), _base(fp["row"])
        col_nnz = np.bincount(fp["entry_col"], minlength=col.size)
        row_nnz = np.bincount(fp["entry_row"], minlength=row.size)
        fixed = fp["col_lower"] == fp["col_upper"]
        left_out = _base(fp["left_out"])
        print(
            f"{case}: {col.size} columns, {row.size} rows, {fp['entry_value'].size} non-zeros "
            f"({left_out.size} fixed columns left out)",
            flush=True,
        )
        head = f"  {'variable':44}{'columns':>9}{'non-zeros':>11}{'fixed':>8}{'in no row':>11}"
        print(head + f"{'left out':>10}")
        for name in sorted(set(col) | set(left_out)):
            at = col == name
            print(
                f"  {name:44}{at.sum():9d}{col_nnz[at].sum():11d}"
                f"{(fixed & at).sum():8d}{(at & (col_nnz == 0)).sum():11d}"
                f"{(left_out == name).sum():10d}"
            )
        print(f"  {'constraint':44}{'rows':>9}{'non-zeros':>11}{'on 1 col':>10}")
        for name in sorted(set(row)):
            at = row == name
            single = (at & (row_nnz == 1)).sum()
            print(f"  {name:44}{at.sum():9d}{row_nnz[at].sum():11d}{single:10d}")


def _same(x: np.ndarray, y: np.ndarray) -> bool:
    """Exactly equal arrays (NaN equal to NaN; -0.0 equal to 0.0, as HiGHS reads them)."""
    if x.shape != y.shape or x.dtype.kind != y.dtype.kind:
        return False
    if x.dtype.kind == "f":
        return bool(np.all((x == y) | (np.isnan(x) & np.isnan(y))))
    return bool(np.array_equal(x, y))


def _canonical(fp: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The dump with columns and rows sorted by name and entries by (row name, column name)."""
    col_order, row_order = np.argsort(fp["col"], kind="stable"), np.argsort(fp["row"])
    col_rank = np.empty_like(col_order)
    col_rank[col_order] = np.arange(col_order.size)
    row_rank = np.empty_like(row_order)
    row_rank[row_order] = np.arange(row_order.size)
    er, ec = row_rank[fp["entry_row"]], col_rank[fp["entry_col"]]
    entry_order = np.lexsort((ec, er))
    out = {k: v[col_order] for k, v in fp.items() if k.startswith("col")}
    out |= {k: v[row_order] for k, v in fp.items() if k.startswith("row")}
    out |= {
        "entry_row": er[entry_order],
        "entry_col": ec[entry_order],
        "entry_value": fp["entry_value"][entry_order],
        "constant": fp["constant"],
        "sense": fp["sense"],
    }
    return out


def compare(old: Path, new: Path, cases: list[str]) -> bool:
    """Print, per case, whether the two dumps hold the same LP; True if all do."""
    all_same = True
    for case in cases:
        a, b = (dict(np.load(d / f"{case}.npz", allow_pickle=False)) for d in (old, new))
        for fp in (a, b):  # dumps made before the fixed columns were left out
            fp.setdefault("left_out", np.zeros(0, dtype=str))
        raw = [k for k in a if not _same(a[k], b[k])]
        ca, cb = _canonical(a), _canonical(b)
        differ = [k for k in ca if not _same(ca[k], cb[k])]
        size = f"{a['col'].size} columns, {a['row'].size} rows, {a['entry_value'].size} entries"
        if not differ:
            order = "same order" if not raw else f"other order in {', '.join(raw)}"
            print(f"{case}: IDENTICAL LP ({size}; {order})")
        else:
            all_same = False
            print(f"{case}: DIFFERENT in {', '.join(differ)} ({size})")
            for key in differ:
                if ca[key].shape != cb[key].shape:
                    print(f"  {key}: shape {ca[key].shape} against {cb[key].shape}")
                    continue
                bad = np.flatnonzero(~((ca[key] == cb[key]) | (ca[key] != ca[key])))[:5]
                names = ca["row"] if key.startswith("row") else ca["col"]
                for i in bad:
                    where = names[i] if not key.startswith("entry") else i
                    print(f"  {key}[{where}]: {ca[key][i]!r} against {cb[key][i]!r}")
    return all_same


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("dump", "compare", "time", "sizes"))
    parser.add_argument("paths", nargs="*", type=Path, help="dump: OUT; compare: OLD NEW")
    parser.add_argument("--repeat", type=int, default=10, help="time: builds per case")
    parser.add_argument("--case", action="append", choices=CASES)
    args = parser.parse_args(argv)
    cases = args.case or list(CASES)
    if args.action == "time":
        time_builds(cases, args.repeat)
    elif args.action == "sizes":
        sizes(cases)
    elif args.action == "dump":
        dump(args.paths[0], cases)
    elif not compare(args.paths[0], args.paths[1], cases):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
