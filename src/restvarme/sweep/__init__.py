"""Scenario sweeps: one base scenario, parameters varied by a design, every case a full run.

``restvarme sweep SWEEP.yaml`` (docs/sweep.md). Steps, one module each: :mod:`.spec` (the sweep
file, validated), :mod:`.design` (the case table), :mod:`.execute` (local processes or Dask,
resumable), :mod:`.results` (one Parquet table), :mod:`.report` (an HTML page).
"""
