"""Pure finance functions shared by the model inputs and the accounting."""

from __future__ import annotations

import numpy as np


def annuity_factor(
    discount_rate: float | np.ndarray, lifetime_years: float | np.ndarray
) -> float | np.ndarray:
    """Capital recovery factor: the constant yearly payment per unit of investment [1/yr].

    .. math:: a = \\frac{r}{1 - (1 + r)^{-n}}, \\qquad a = 1/n \\text{ for } r = 0

    Parameters
    ----------
    discount_rate : float or array
        Real discount rate r per year [-].
    lifetime_years : float or array
        Economic lifetime n [yr], > 0.

    References
    ----------
    Short, Packey & Holt (1995), *A Manual for the Economic Evaluation of Energy Efficiency and
    Renewable Energy Technologies*, NREL/TP-462-5173, eq. 4-5 (capital recovery factor).
    """
    r = np.asarray(discount_rate, dtype=float)
    n = np.asarray(lifetime_years, dtype=float)
    if np.any(n <= 0):
        raise ValueError(f"lifetime_years must be positive, got {lifetime_years}")
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(r == 0, 1 / n, r / (1 - (1 + r) ** -n))
    return a if a.ndim else float(a)


def discount_factor(
    discount_rate: float | np.ndarray, years_from_base: float | np.ndarray
) -> float | np.ndarray:
    """Present value of one EUR paid ``years_from_base`` years after the base year [-]:
    :math:`(1 + r)^{-t}`."""
    return (1 + np.asarray(discount_rate, dtype=float)) ** -np.asarray(years_from_base, dtype=float)
