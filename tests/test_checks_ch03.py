"""The chapter 3 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch03
from tests.conftest import assert_points_to_a_hint, backward_variant, load_solutions

sol = load_solutions(3)


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


def test_bp2_sigmoid_applied_twice_is_named():
    def twice(d, W, z):
        s = _sigmoid(_sigmoid(z))
        return (d @ W) * s * (1 - s)

    with pytest.raises(AssertionError, match="applied the sigmoid twice"):
        ch03.check_bp2(twice)


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

BACKPROP_MISTAKES = [
    ({"output_prime": False}, "σ′\\(z\\^L\\) in BP1"),
    ({"derivative": "none"}, "σ′\\(z\\^l\\) in BP2"),
    ({"average": False}, "summed the per-sample gradients"),
]
BACKPROP_IDS = ["BP1-no-prime", "BP2-no-prime", "no-1/m"]


@pytest.mark.parametrize(("kwargs", "message"), BACKPROP_MISTAKES, ids=BACKPROP_IDS)
def test_backprop_mistakes_are_named(kwargs, message):
    with pytest.raises(AssertionError, match=message):
        ch03.check_backprop(lambda *args: backward_variant(*args, **kwargs))


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


# ------------------------------------------------------ pointers to the book's help

def _bp2_transposed(d, W, z):
    s = _sigmoid(z)
    return (d @ W.T) * s * (1 - s)


def _bp2_twice(d, W, z):
    s = _sigmoid(_sigmoid(z))
    return (d @ W) * s * (1 - s)


def _backprop(kwargs):
    return lambda *args: backward_variant(*args, **kwargs)


@pytest.mark.parametrize(("check", "answer"), [
    (ch03.check_bp2, lambda d, W, z: d @ W),
    (ch03.check_bp2, _bp2_transposed),
    (ch03.check_bp2, lambda d, W, z: (d @ W) * _sigmoid(z)),
    (ch03.check_bp2, _bp2_twice),
    (ch03.check_layer_gradients, lambda d, a: (d.T @ a / d.shape[0], d.sum(axis=0))),
    (ch03.check_layer_gradients, lambda d, a: (d.T @ a, d.mean(axis=0))),
    *[(ch03.check_backprop, _backprop(kwargs)) for kwargs, _ in BACKPROP_MISTAKES],
], ids=["bp2 no σ′", "bp2 transposed", "bp2 σ", "bp2 twice", "layer 1/m", "layer mean",
        *BACKPROP_IDS])
def test_named_mistakes_point_to_a_hint_and_a_section(check, answer):
    with pytest.raises(AssertionError) as failure:
        check(answer)
    assert_points_to_a_hint(str(failure.value), 3, with_section=True)
