"""The exercise checks of chapter 3 pass the reference solutions and name the usual mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch03
from tests.conftest import load_solutions, stub

sol = load_solutions(3)

CHECKS = [
    (ch03.check_bp2, "bp2"),
    (ch03.check_layer_gradients, "layer_gradients"),
    (ch03.check_backprop, "backprop_batch"),
]


@pytest.mark.parametrize(("check", "name"), CHECKS, ids=[n for _, n in CHECKS])
def test_check_passes_the_solution(check, name, capsys):
    assert check(getattr(sol, name)) is True
    assert "\u2714 Correct!" in capsys.readouterr().out


@pytest.mark.parametrize(("check", "name"), CHECKS, ids=[n for _, n in CHECKS])
def test_check_fails_the_stub(check, name):
    with pytest.raises(AssertionError, match="still the stub"):
        check(stub)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ------------------------------------------------------------------------- bp2

def test_bp2_missing_sigma_prime_is_named():
    with pytest.raises(AssertionError, match="left out σ′"):
        ch03.check_bp2(lambda d, W, z: d @ W)


def test_bp2_transposed_W_is_named():
    def transposed(d, W, z):
        s = _sigmoid(z)
        return (d @ W.T) * s * (1 - s)

    with pytest.raises(AssertionError, match="W\\^\\(l\\+1\\) transposed"):
        ch03.check_bp2(transposed)


def test_bp2_sigma_instead_of_prime_is_named():
    with pytest.raises(AssertionError, match="σ\\(z\\) instead of σ′\\(z\\)"):
        ch03.check_bp2(lambda d, W, z: (d @ W) * _sigmoid(z))


def test_bp2_column_form_passes_and_a_square_only_answer_fails():
    def column_form(d, W, z):                  # (Wᵀ Δᵀ)ᵀ: BP2 in the column form
        s = _sigmoid(z)
        return (W.T @ d.T).T * s * (1 - s)

    assert ch03.check_bp2(column_form) is True  # the same thing, written in column form

    def square_only(d, W, z):
        s = _sigmoid(z)
        if W.shape[0] == W.shape[1]:
            return (d @ W) * s * (1 - s)
        return np.zeros((z.shape[1], z.shape[0]))

    with pytest.raises(AssertionError, match="transpose of the expected shape"):
        ch03.check_bp2(square_only)


# ------------------------------------------------------------- layer_gradients

def test_layer_gradients_transposed_dW_is_named():
    with pytest.raises(AssertionError, match="transpose of the expected shape"):
        ch03.check_layer_gradients(lambda d, a: (a.T @ d, d.sum(axis=0)))


def test_layer_gradients_extra_division_by_m_is_named():
    with pytest.raises(AssertionError, match="divided by m again"):
        ch03.check_layer_gradients(lambda d, a: (d.T @ a / d.shape[0], d.sum(axis=0)))


def test_layer_gradients_mean_bias_is_named():
    with pytest.raises(AssertionError, match="averaged over the samples"):
        ch03.check_layer_gradients(lambda d, a: (d.T @ a, d.mean(axis=0)))


def test_layer_gradients_single_return_is_reported():
    with pytest.raises(AssertionError, match="two arrays"):
        ch03.check_layer_gradients(lambda d, a: d.T @ a)


# ---------------------------------------------------------------------- backprop

def _backprop(weights, biases, X, Y, *, output_prime=True, hidden_prime=True, average=True):
    acts = [X]
    for W, b in zip(weights, biases, strict=True):
        acts.append(_sigmoid(acts[-1] @ W.T + b))
    L = len(weights)
    delta = (acts[L] - Y) / (X.shape[0] if average else 1)
    if output_prime:
        delta = delta * acts[L] * (1 - acts[L])
    dW, db = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dW[l - 1] = delta.T @ acts[l - 1]
        db[l - 1] = delta.sum(axis=0)
        if l > 1:
            delta = delta @ weights[l - 1]
            if hidden_prime:
                delta = delta * acts[l - 1] * (1 - acts[l - 1])
    return dW, db


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"output_prime": False}, "σ′\\(z\\^L\\) in BP1"),
    ({"hidden_prime": False}, "σ′\\(z\\^l\\) in BP2"),
    ({"average": False}, "summed the per-sample gradients"),
], ids=["BP1-no-prime", "BP2-no-prime", "no-1/m"])
def test_backprop_mistakes_are_named(kwargs, message):
    with pytest.raises(AssertionError, match=message):
        ch03.check_backprop(lambda *args: _backprop(*args, **kwargs))


def test_backprop_wrong_number_of_layers_is_reported():
    def two_layers(weights, biases, X, Y):
        dW, db = sol.backprop_batch(weights, biases, X, Y)
        return dW[:2], db[:2]

    with pytest.raises(AssertionError, match="one array per layer"):
        ch03.check_backprop(two_layers)


def test_backprop_check_does_not_let_the_student_modify_the_network():
    def vandal(weights, biases, X, Y):
        for W in weights:
            W[...] = 0.0
        return sol.backprop_batch(weights, biases, X, Y)

    with pytest.raises(AssertionError):
        ch03.check_backprop(vandal)
