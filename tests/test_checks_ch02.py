"""The chapter 2 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch02
from tests.conftest import WRONG, assert_fails, load_solutions, wrong

sol = load_solutions(2)


def _forward_difference(f, x, eps):
    grad = np.zeros(x.shape)
    flat, g = x.reshape(-1), grad.reshape(-1)
    base = f(x)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        g[i] = (f(x) - base) / eps
        flat[i] = old
    return grad


def _not_restored(f, x, eps):
    grad = np.zeros(x.shape)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f(x)
        flat[i] = old - eps
        g[i] = (up - f(x)) / (2 * eps)
    return grad


def _rows_only(f, x, eps):
    return sol.numerical_gradient(f, x, eps) if x.ndim == 2 else np.zeros((1, x.size))


def _hand(transform):
    def answer():
        return transform(*sol.hand_gradient())
    return answer


def _no_sigma_prime():
    p = ch02.HAND_NETWORK
    x, y = p["x"], p["y"]
    a1 = 1 / (1 + np.exp(-(p["W1"] @ x + p["b1"])))
    gamma = p["W2"] @ a1 + p["b2"] - y
    d1 = p["W2"][0] * gamma                   # σ′(z¹) forgotten
    return np.outer(d1, x), d1, np.outer(gamma, a1), gamma


NUMGRAD, HAND = ch02.check_numerical_gradient, ch02.check_hand_gradient
WRONG_ANSWERS = [
    wrong(NUMGRAD, _forward_difference, "forward difference", with_section=True),
    wrong(NUMGRAD, lambda f, x, eps: 2 * sol.numerical_gradient(f, x, eps), "divided by ε instead of 2ε",
          with_section=True),
    wrong(NUMGRAD, _not_restored, "did not restore", with_section=True),
    wrong(NUMGRAD, _rows_only, r"1-D v has shape \(1, 4\) but should have shape \(4,\)", named=False),
    wrong(NUMGRAD, lambda f, x, eps: f(x.reshape(5, -1)), "raised ValueError", named=False),
    wrong(HAND, _no_sigma_prime, "left out σ′", with_section=True),
    wrong(HAND, _hand(lambda dW1, db1, dW2, db2: (dW1.T, db1, dW2, db2)), "transpose of the expected shape",
          named=False),
    wrong(HAND, _hand(lambda *g: tuple(2 * a for a in g)), "without the ½", with_section=True),
    wrong(HAND, _hand(lambda *g: tuple(-a for a in g)), "sign is flipped", with_section=True),
    wrong(HAND, lambda: sol.hand_gradient()[:3], r"should return 4 values \(dW1, db1, dW2, db2\), got tuple of len",
          named=False),
    wrong(HAND, lambda: None, "what hand_gradient returned is None: did you forget to `return` it", named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=2)


def test_hand_gradient_rounded_to_five_digits_passes(capsys):
    def five_digits(a):
        return np.array([float(f"{v:.5g}") for v in a.ravel()]).reshape(a.shape)

    assert ch02.check_hand_gradient(_hand(lambda *g: tuple(five_digits(a) for a in g))) is True
