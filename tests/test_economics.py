"""Finance helpers against textbook values."""

import numpy as np
import pytest

from restvarme.economics import annuity_factor, discount_factor


def test_annuity_factor_textbook_values():
    # Capital recovery factor tables (e.g. Short, Packey & Holt 1995, NREL/TP-462-5173,
    # appendix): 5 % over 20 years -> 0.08024; 10 % over 10 years -> 0.16275.
    # By hand: 0.05 / (1 - 1.05**-20) = 0.05 / (1 - 0.376889) = 0.0802426.
    assert annuity_factor(0.05, 20) == pytest.approx(0.0802426, abs=1e-7)
    assert annuity_factor(0.10, 10) == pytest.approx(0.1627454, abs=1e-7)


def test_annuity_factor_zero_rate_is_straight_line():
    assert annuity_factor(0.0, 25) == pytest.approx(1 / 25)
    np.testing.assert_allclose(
        annuity_factor(np.array([0.0, 0.05]), np.array([20, 20])), [0.05, 0.0802426], atol=1e-7
    )


def test_discount_factor():
    # 1 EUR four years on at 5 %: 1/1.05**4 = 0.822702
    assert float(discount_factor(0.05, 4)) == pytest.approx(0.8227025, abs=1e-7)
