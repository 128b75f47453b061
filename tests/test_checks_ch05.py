"""The chapter 5 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnlib.checks import ch05
from tests.conftest import WRONG, assert_fails, backward_variant, load_solutions, wrong

sol = load_solutions(5)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# -------------------------------------------------------------- tanh_gradients
def _tanh_with(prime, scale_m=True):
    """A tanh_gradients that computes the hidden derivative with ``prime(Z1, A1)``."""

    def tanh_gradients(X, Y, W1, b1, W2, b2):
        m = X.shape[0]
        Z1 = X @ W1.T + b1
        A1 = np.tanh(Z1)
        A2 = _sigmoid(A1 @ W2.T + b2)
        delta2 = (A2 - Y) / m if scale_m else A2 - Y
        delta1 = (delta2 @ W2) * prime(Z1, A1)
        return delta1.T @ X, delta1.sum(axis=0), delta2.T @ A1, delta2.sum(axis=0)

    return tanh_gradients


def test_tanh_gradients_reports_the_centred_differences(sol, capsys):
    assert ch05.check_tanh_gradients(sol.tanh_gradients) is True
    out = capsys.readouterr().out
    assert "centred differences" in out
    # a bound, stable on any machine, never the rounding-level digits of the error
    assert "every relative error below 1e-08" in out
    assert not re.search(r"\d\.\d+e-", out)


# --------------------------------------------------------------- backward_deep
def _deep_with(bp1_prime=True, scale_m=True, bp2_prime=True):
    def backward_deep(weights, biases, X, Y):
        return backward_variant(weights, biases, X, Y, output_prime=bp1_prime, average=scale_m,
                                derivative=None if bp2_prime else "none")
    return backward_deep


# ------------------------------------------------------------------- step_cost
def test_step_cost_reports_the_ratio(sol, capsys):
    assert ch05.check_step_cost(sol.step_cost) is True
    out = capsys.readouterr().out
    assert "1.01" in out and "1.67" in out and "layer 1 holds most of the weights" in out


def _pairs(sizes):
    return [a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)]


TANH, DEEP, COST = "Add tanh support", "Backpropagation for any depth", "What one training step costs"


def _cost(s, m, biases=True, batch=True, bp2=1):
    """step_cost with planted mistakes: no biases, one sample, BP2 from layer 2 (1), none (0)
    or also at layer 1 (-1)."""
    P = sum(_pairs(s)) + (sum(s[1:]) if biases else 0)
    k = m if batch else 1
    bp2_part = {1: sum(_pairs(s)[1:]), 0: 0, -1: sum(_pairs(s))}[bp2]
    return P, m * sum(_pairs(s)), k * (sum(_pairs(s)) + bp2_part)


def _transposed_dW2(*args):
    dW1, db1, dW2, db2 = sol.tanh_gradients(*args)
    return dW1, db1, dW2.T, db2


def _two_layers_only(weights, biases, X, Y):
    dW, db = sol.backward_deep(weights, biases, X, Y)
    return dW[-2:], db[-2:]


TANH, DEEP, COST = ch05.check_tanh_gradients, ch05.check_backward_deep, ch05.check_step_cost
_EXERCISE = {TANH: "Add tanh support", DEEP: "Backpropagation for any depth", COST: "What one training step costs"}


def _wrong(check, answer, message, **kwargs):
    return wrong(check, answer, message, exercise=_EXERCISE[check], **kwargs)


WRONG_ANSWERS = [
    _wrong(TANH, _tanh_with(lambda Z, A: A * (1 - A)), r"sigmoid's derivative a\(1 − a\)"),
    _wrong(TANH, _tanh_with(lambda Z, A: 1 - Z ** 2), "1 − z²"),
    _wrong(TANH, _tanh_with(lambda Z, A: np.ones_like(A)), "left out tanh′"),
    _wrong(TANH, _tanh_with(lambda Z, A: 1 - A ** 2, scale_m=False), "1/m"),
    _wrong(TANH, _transposed_dW2, "transpose", named=False),
    _wrong(TANH, lambda *args: sol.tanh_gradients(*args)[:2], r"should return 4 values \(dW1, db1, dW2, db2\)",
           named=False),
    _wrong(DEEP, _deep_with(bp1_prime=False), "fused"),
    _wrong(DEEP, _deep_with(scale_m=False), "1/m"),
    _wrong(DEEP, _deep_with(bp2_prime=False), "σ′.* in BP2"),
    _wrong(DEEP, _two_layers_only, r"dW should hold one array per layer \(3\)", named=False),
    _wrong(COST, lambda s, m: _cost(s, m, biases=False), "not the biases"),
    _wrong(COST, lambda s, m: (_cost(s, m)[0], sum(_pairs(s)), 0), "one sample", id="forward for one sample"),
    _wrong(COST, lambda s, m: _cost(s, m, batch=False), "one sample", id="backward for one sample"),
    _wrong(COST, lambda s, m: _cost(s, m, bp2=-1), "BP2 at layer 1"),
    _wrong(COST, lambda s, m: _cost(s, m, bp2=0), "left out the matrix products of BP2"),
    _wrong(COST, lambda s, m: _cost(s, m)[:2], r"should return 3 values \(P, forward_mults, backward_mults\)",
           named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=5)
