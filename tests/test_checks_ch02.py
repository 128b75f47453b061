"""The chapter 2 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch02
from tests.conftest import assert_points_to_a_hint, load_solutions

sol = load_solutions(2)


# ---------------------------------------------------------- numerical_gradient

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


def _no_two(f, x, eps):
    return 2 * sol.numerical_gradient(f, x, eps)


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


NUMGRAD_MISTAKES = [
    (_forward_difference, "forward difference"),
    (_no_two, "divided by ε instead of 2ε"),
    (_not_restored, "did not restore"),
]
NUMGRAD_IDS = ["forward", "no-two", "not-restored"]


@pytest.mark.parametrize(("wrong", "message"), NUMGRAD_MISTAKES, ids=NUMGRAD_IDS)
def test_numerical_gradient_mistakes_are_named(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch02.check_numerical_gradient(wrong)


def test_numerical_gradient_only_for_two_dimensions_fails():
    def rows_only(f, x, eps):
        if x.ndim != 2:
            return np.zeros((1, x.size))
        return sol.numerical_gradient(f, x, eps)

    with pytest.raises(AssertionError, match="shape"):
        ch02.check_numerical_gradient(rows_only)


def test_numerical_gradient_crash_is_reported():
    def crashes(f, x, eps):
        return f(x.reshape(5, -1))

    with pytest.raises(AssertionError, match="raised"):
        ch02.check_numerical_gradient(crashes)


# --------------------------------------------------------------- hand_gradient

def _variant(transform):
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


def test_hand_gradient_missing_sigma_prime_is_named():
    with pytest.raises(AssertionError, match="left out σ′"):
        ch02.check_hand_gradient(_no_sigma_prime)


def test_hand_gradient_transposed_dW1_is_named():
    with pytest.raises(AssertionError, match="transpose"):
        ch02.check_hand_gradient(_variant(lambda dW1, db1, dW2, db2: (dW1.T, db1, dW2, db2)))


def test_hand_gradient_missing_half_is_named():
    with pytest.raises(AssertionError, match="without the ½"):
        ch02.check_hand_gradient(_variant(lambda *g: tuple(2 * a for a in g)))


def test_hand_gradient_flipped_sign_is_named():
    with pytest.raises(AssertionError, match="sign is flipped"):
        ch02.check_hand_gradient(_variant(lambda *g: tuple(-a for a in g)))


def test_hand_gradient_rounded_to_five_digits_passes(capsys):
    def five_digits(a):
        return np.array([float(f"{v:.5g}") for v in a.ravel()]).reshape(a.shape)

    rounded = _variant(lambda *g: tuple(five_digits(a) for a in g))
    assert ch02.check_hand_gradient(rounded) is True


def test_hand_gradient_wrong_count_is_reported():
    with pytest.raises(AssertionError, match="four arrays"):
        ch02.check_hand_gradient(lambda: sol.hand_gradient()[:3])


# ------------------------------------------------------ pointers to the book's help

@pytest.mark.parametrize(("check", "answer"), [
    *[(ch02.check_numerical_gradient, wrong) for wrong, _ in NUMGRAD_MISTAKES],
    (ch02.check_hand_gradient, _no_sigma_prime),
    (ch02.check_hand_gradient, _variant(lambda *g: tuple(2 * a for a in g))),
    (ch02.check_hand_gradient, _variant(lambda *g: tuple(-a for a in g))),
], ids=[*NUMGRAD_IDS, "hand no σ′", "hand no ½", "hand sign"])
def test_named_mistakes_point_to_a_hint_and_a_section(check, answer):
    with pytest.raises(AssertionError) as failure:
        check(answer)
    assert_points_to_a_hint(str(failure.value), 2, with_section=True)
