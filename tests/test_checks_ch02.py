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


def _shared(*, positions=(0, 1), factor=1.0, prime=True):
    """A shared_gradient written here, with one of the named slips when asked."""
    def answer(w, b, v, x, y):
        dw, db = np.zeros(2), 0.0
        z = [w[0] * x[i] + w[1] * x[i + 1] + b for i in range(2)]
        h = [1 / (1 + np.exp(-zi)) for zi in z]
        y_hat = v[0] * h[0] + v[1] * h[1]
        for i in positions:
            d = (y_hat - y) * v[i] * (h[i] * (1 - h[i]) if prime else 1.0)
            dw = dw + factor * d * np.array([x[i], x[i + 1]])
            db = db + factor * d
        return dw, db
    return answer


def _overwrites(w, b, v, x, y):
    """The loop that assigns instead of adding: only the last position survives."""
    z = np.array([w @ x[:2] + b, w @ x[1:] + b])
    h = 1 / (1 + np.exp(-z))
    for i in range(2):
        d = (v @ h - y) * v[i] * h[i] * (1 - h[i])
        dw, db = d * x[i:i + 2], d
    return dw, db


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


SHARED, HAND = ch02.check_shared_gradient, ch02.check_hand_gradient
WRONG_ANSWERS = [
    wrong(SHARED, _overwrites, "second position only", with_section=True),
    wrong(SHARED, _shared(positions=(1,)), "second position only", with_section=True),
    wrong(SHARED, _shared(positions=(0,)), "first position only", with_section=True),
    wrong(SHARED, _shared(factor=0.5), "averaged the two contributions", with_section=True),
    wrong(SHARED, _shared(prime=False), "left out σ′", with_section=True),
    wrong(SHARED, _shared(factor=-1.0), r"dw \(∂C/∂w\) at .* is wrong", named=False),
    wrong(SHARED, lambda w, b, v, x, y: sol.shared_gradient(w, b, v, x, y)[0], r"should return the pair \(dw, db\)",
          named=False),
    wrong(SHARED, lambda w, b, v, x, y: (sol.shared_gradient(w, b, v, x, y)[0], np.zeros(2)),
          r"db \(∂C/∂b\) .* should be a single number", named=False),
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
