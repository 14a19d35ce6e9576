"""The two-stage plan (restvarme.sweep.stochastic) against PyPSA's stochastic optimisation.

Each scenario is mapped by the peer (:func:`restvarme_peers.pypsa_network.to_pypsa`); the first
network gets PyPSA's scenarios (``n.set_scenarios``, PyPSA >= 1.0), and every scenario's numbers
(static attributes and series) are set from its own network. PyPSA then shares the extendable
capacities between the scenarios and minimises capital cost plus the probability-weighted
operating cost, as restvarme does; the objectives must agree to 1e-6 relative.

CVaR: PyPSA minimises ``CAPEX + (1-ω)·E[OPEX] + ω·CVaR_α(OPEX)``
(``n.set_risk_preference(alpha, omega)``); restvarme ``E[C] + λ·CVaR_α(C)`` with ``C = CAPEX +
OPEX`` the whole cost of a scenario. CVaR moves with a constant (CVaR(c + k) = CVaR(c) + k), so
restvarme's objective is ``(1+λ)·CAPEX + E[OPEX] + λ·CVaR(OPEX)``, which is ``1+λ`` times
PyPSA's with ``ω = λ/(1+λ)``.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from extras import require
from restvarme.inputs.build import build_inputs
from restvarme.sweep.stochastic import Risk, build_stochastic, solve_stochastic

require("pypsa", (1, 0), "PyPSA's scenarios need PyPSA 1.0 or later")  # not imported here

from restvarme_peers import pypsa_network as peer  # noqa: E402

sys.path.insert(0, str(Path(__file__).parents[1] / "sweep"))
from test_sweep_stochastic import SCENARIOS, richer_scenario  # noqa: E402

if TYPE_CHECKING:
    import pypsa

REL_TOL = 1e-6


@pytest.fixture(autouse=True)
def _quiet():
    loggers = [logging.getLogger(name) for name in ("pypsa", "linopy")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


def stochastic_network(scenarios, probability) -> pypsa.Network:
    """One PyPSA network with a scenario per restvarme scenario (see the module docstring)."""
    networks = {str(i): peer.to_pypsa(build_inputs(sf)) for i, sf in enumerate(scenarios)}
    n = peer.to_pypsa(build_inputs(scenarios[0]))
    n.set_scenarios(dict(zip(networks, probability, strict=True)))
    for c in n.components:
        if c.static.empty:
            continue
        for s, own in networks.items():
            other = own.components[c.name]
            for col in other.static.columns:
                if col in c.static.columns and pd.api.types.is_float_dtype(c.static[col]):
                    c.static.loc[(s, slice(None)), col] = other.static[col].to_numpy()
            for key, frame in other.dynamic.items():
                for col in frame.columns if key in c.dynamic else ():
                    c.dynamic[key][(s, col)] = frame[col].to_numpy()
    return n


def test_the_hand_case_matches_pypsa():
    n = stochastic_network(SCENARIOS, [0.5, 0.5])
    assert peer.optimize(n, log_to_console=False)[0] == "ok"
    ours = solve_stochastic(build_stochastic(SCENARIOS, [0, 1], [0.5, 0.5]))
    assert ours.objective_eur == pytest.approx(794.0, rel=1e-9)  # by hand, test_sweep_stochastic
    assert float(n.objective) == pytest.approx(ours.objective_eur, rel=REL_TOL)


@pytest.mark.slow  # a second PyPSA solve of the file (the fast loop: the hand case above)
def test_cvar_matches_pypsa_risk_preference():
    lam, alpha = 1.0, 0.5
    n = stochastic_network(SCENARIOS, [0.5, 0.5])
    n.set_risk_preference(alpha=alpha, omega=lam / (1 + lam))
    assert peer.optimize(n, log_to_console=False)[0] == "ok"
    ours = solve_stochastic(build_stochastic(SCENARIOS, [0, 1], [0.5, 0.5], Risk(lam, alpha)))
    assert ours.objective_eur == pytest.approx(1762.0, rel=1e-9)  # by hand
    assert (1 + lam) * float(n.objective) == pytest.approx(ours.objective_eur, rel=REL_TOL)


@pytest.mark.slow  # a day of two scenarios in PyPSA: seconds
def test_a_day_with_a_heat_pump_and_a_tank_matches_pypsa(tmp_path):
    # two price days (the second dearer), probabilities 0.3 and 0.7; extendable heat pump on a
    # data centre's heat and an extendable tank (its charge power tied to its energy)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    scenarios = [richer_scenario(first), richer_scenario(second)]
    dear = [60, 55, 50, 45, 50, 70, 110, 150, 120, 90, 80, 75] * 2
    (second / "price.csv").write_text("price\n" + "\n".join(map(str, dear)) + "\n")
    ours = solve_stochastic(build_stochastic(scenarios, [0, 1], [0.3, 0.7]))
    assert ours.plan["heat_pump.hp"] > 0 and ours.plan["storage.tank"] > 0
    n = stochastic_network(scenarios, [0.3, 0.7])
    assert peer.optimize(n, log_to_console=False)[0] == "ok"
    assert float(n.objective) == pytest.approx(ours.objective_eur, rel=REL_TOL)
