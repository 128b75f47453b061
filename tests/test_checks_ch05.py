"""The chapter 5 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnlib.checks import ch05
from tests.conftest import assert_points_to_a_hint, backward_variant


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


@pytest.mark.parametrize(("wrong", "message"), [
    (_tanh_with(lambda Z, A: A * (1 - A)), r"sigmoid's derivative a\(1 − a\)"),
    (_tanh_with(lambda Z, A: 1 - Z ** 2), "1 − z²"),
    (_tanh_with(lambda Z, A: np.ones_like(A)), "left out tanh′"),
    (_tanh_with(lambda Z, A: 1 - A ** 2, scale_m=False), "1/m"),
])
def test_tanh_gradients_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch05.check_tanh_gradients(wrong)


def test_tanh_gradients_catches_a_transposed_gradient(sol):
    def transposed(*args):
        dW1, db1, dW2, db2 = sol.tanh_gradients(*args)
        return dW1, db1, dW2.T, db2

    with pytest.raises(AssertionError, match="transpose"):
        ch05.check_tanh_gradients(transposed)


def test_tanh_gradients_must_return_four_arrays(sol):
    with pytest.raises(AssertionError, match="should return 4 items"):
        ch05.check_tanh_gradients(lambda *args: sol.tanh_gradients(*args)[:2])


# --------------------------------------------------------------- backward_deep
def _deep_with(bp1_prime=True, scale_m=True, bp2_prime=True):
    def backward_deep(weights, biases, X, Y):
        return backward_variant(weights, biases, X, Y, output_prime=bp1_prime, average=scale_m,
                                derivative=None if bp2_prime else "none")
    return backward_deep


@pytest.mark.parametrize(("wrong", "message"), [
    (_deep_with(bp1_prime=False), "fused"),
    (_deep_with(scale_m=False), "1/m"),
    (_deep_with(bp2_prime=False), "σ′.* in BP2"),
])
def test_backward_deep_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch05.check_backward_deep(wrong)


def test_backward_deep_catches_a_fixed_depth(sol):
    def two_layers_only(weights, biases, X, Y):
        dW, db = sol.backward_deep(weights, biases, X, Y)
        return dW[-2:], db[-2:]

    with pytest.raises(AssertionError, match="should return 3 items"):
        ch05.check_backward_deep(two_layers_only)


# ------------------------------------------------------------------- step_cost
def test_step_cost_reports_the_ratio(sol, capsys):
    assert ch05.check_step_cost(sol.step_cost) is True
    out = capsys.readouterr().out
    assert "1.01" in out and "1.67" in out and "layer 1 holds most of the weights" in out


def _pairs(sizes):
    return [a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)]


@pytest.mark.parametrize(("wrong", "message"), [
    (lambda s, m: (sum(_pairs(s)), m * sum(_pairs(s)), m * (sum(_pairs(s)) + sum(_pairs(s)[1:]))),
     "not the biases"),
    (lambda s, m: (sum(_pairs(s)) + sum(s[1:]), sum(_pairs(s)), 0), "one sample"),
    (lambda s, m: (sum(_pairs(s)) + sum(s[1:]), m * sum(_pairs(s)), 2 * m * sum(_pairs(s))),
     "BP2 at layer 1"),
    (lambda s, m: (sum(_pairs(s)) + sum(s[1:]), m * sum(_pairs(s)), m * sum(_pairs(s))),
     "left out the matrix products of BP2"),
])
def test_step_cost_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch05.check_step_cost(wrong)


# ------------------------------------------------------- pointers to the hints

TANH, DEEP, COST = "Add tanh support", "Backpropagation for any depth", "What one training step costs"


def _cost(s, m, biases=True, batch=True, bp2=1):
    """step_cost with planted mistakes: no biases, one sample, BP2 from layer 2 (1), none (0)
    or also at layer 1 (-1)."""
    P = sum(_pairs(s)) + (sum(s[1:]) if biases else 0)
    k = m if batch else 1
    bp2_part = {1: sum(_pairs(s)[1:]), 0: 0, -1: sum(_pairs(s))}[bp2]
    return P, m * sum(_pairs(s)), k * (sum(_pairs(s)) + bp2_part)


NAMED_MISTAKES = {
    "tanh-sigmoid-prime": (ch05.check_tanh_gradients, _tanh_with(lambda Z, A: A * (1 - A)), TANH),
    "tanh-z-squared": (ch05.check_tanh_gradients, _tanh_with(lambda Z, A: 1 - Z ** 2), TANH),
    "tanh-no-prime": (ch05.check_tanh_gradients, _tanh_with(lambda Z, A: np.ones_like(A)), TANH),
    "tanh-no-1/m": (ch05.check_tanh_gradients, _tanh_with(lambda Z, A: 1 - A ** 2, scale_m=False),
                    TANH),
    "deep-fused": (ch05.check_backward_deep, _deep_with(bp1_prime=False), DEEP),
    "deep-no-1/m": (ch05.check_backward_deep, _deep_with(scale_m=False), DEEP),
    "deep-no-prime": (ch05.check_backward_deep, _deep_with(bp2_prime=False), DEEP),
    "cost-no-biases": (ch05.check_step_cost, lambda s, m: _cost(s, m, biases=False), COST),
    "cost-forward-one-sample": (ch05.check_step_cost,
                                lambda s, m: (_cost(s, m)[0], sum(_pairs(s)), 0), COST),
    "cost-backward-one-sample": (ch05.check_step_cost, lambda s, m: _cost(s, m, batch=False), COST),
    "cost-bp2-at-layer-1": (ch05.check_step_cost, lambda s, m: _cost(s, m, bp2=-1), COST),
    "cost-no-bp2": (ch05.check_step_cost, lambda s, m: _cost(s, m, bp2=0), COST),
}


@pytest.mark.parametrize(("check", "wrong", "exercise"), NAMED_MISTAKES.values(),
                         ids=NAMED_MISTAKES.keys())
def test_each_named_mistake_points_to_a_hint_that_exists(check, wrong, exercise):
    with pytest.raises(AssertionError) as failure:
        check(wrong)
    assert_points_to_a_hint(str(failure.value), 5, exercise=exercise)
