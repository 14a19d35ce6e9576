"""Every headline figure recomputed from a run folder's CSVs by the definitions of
restvarme.report.figures, written out (importable as ``headline_definitions``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def definitions_from_csv(folder: Path) -> dict[str, float]:
    """Every headline figure recomputed from the run folder's CSVs, by the definitions of
    restvarme.report.figures, written out here."""

    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(folder / f"{name}.csv", index_col=0)

    nets = csv("networks")
    # the results' demand is the load: the customers' demand plus the network's losses
    heat = float(
        (nets["heat_demand_mwh"] - nets["heat_loss_mwh"] - nets["unserved_heat_mwh"]).sum()
    )
    cooling = 0.0
    if (folder / "cooling_networks.csv").exists():
        cn = csv("cooling_networks")
        cooling = float((cn["cooling_demand_mwh"] - cn["unserved_cooling_mwh"]).sum())
    costs = csv("costs")["eur"]
    penalties = costs[costs.index.str.contains("penalty")].sum()
    sector_cost = csv("costs_by_sector")["eur"]
    unplaced = sector_cost["heat_and_cooling_unplaced"]
    heat_cost = sector_cost["heat"] + unplaced * heat / (heat + cooling)
    cooling_cost = sector_cost["cooling"] + unplaced * cooling / (heat + cooling)
    emissions = csv("emissions_by_sector")["emissions_t"]
    out = {
        "total_cost_eur": costs.sum(),
        "system_cost_eur": costs.sum() - penalties,
        "heat_delivered_mwh": heat,
        "cooling_delivered_mwh": cooling,
        "cost_eur_per_mwh": (heat_cost + cooling_cost) / (heat + cooling),
        "heat_cost_eur_per_mwh": heat_cost / heat,
        "emissions_t": csv("emissions")["t_co2e"].sum(),
        "emission_intensity_g_per_kwh": 1000
        * (emissions["heat"] + emissions["cooling"])
        / (heat + cooling),
        "heat_emission_intensity_g_per_kwh": 1000 * emissions["heat"] / heat,
    }
    if cooling > 0:
        out["cooling_cost_eur_per_mwh"] = cooling_cost / cooling
        out["cooling_emission_intensity_g_per_kwh"] = 1000 * emissions["cooling"] / cooling
    waste = csv("waste_heat")
    out["waste_heat_share"] = (
        waste[["direct_mwh", "preheat_mwh", "heat_pump_mwh"]].sum().sum() / heat
    )
    return out
