"""The chapter 3 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch03
from tests.conftest import WRONG, assert_fails, backward_variant, load_solutions, wrong

sol = load_solutions(3)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _bp2(d, W, z, *, transposed=False, twice=False):
    s = _sigmoid(_sigmoid(z) if twice else z)
    return (d @ (W.T if transposed else W)) * s * (1 - s)


def _square_only(d, W, z):
    return _bp2(d, W, z) if W.shape[0] == W.shape[1] else np.zeros((z.shape[1], z.shape[0]))


def _backprop(**kwargs):
    return lambda *args: backward_variant(*args, **kwargs)


def _two_layers(weights, biases, X, Y):
    dW, db = sol.backprop_batch(weights, biases, X, Y)
    return dW[:2], db[:2]


def _vandal(weights, biases, X, Y):
    for W in weights:
        W[...] = 0.0
    return sol.backprop_batch(weights, biases, X, Y)


BP2, LAYER, BACKPROP = ch03.check_bp2, ch03.check_layer_gradients, ch03.check_backprop
WRONG_ANSWERS = [
    wrong(BP2, lambda d, W, z: d @ W, "left out σ′", with_section=True),
    wrong(BP2, lambda d, W, z: _bp2(d, W, z, transposed=True), r"W\^\(l\+1\) transposed", with_section=True),
    wrong(BP2, lambda d, W, z: (d @ W) * _sigmoid(z), r"σ\(z\) instead of σ′\(z\)", with_section=True),
    wrong(BP2, lambda d, W, z: _bp2(d, W, z, twice=True), "applied the sigmoid twice", with_section=True),
    wrong(BP2, _square_only, "transpose of the expected shape", named=False),
    wrong(LAYER, lambda d, a: (a.T @ d, d.sum(axis=0)), "transpose of the expected shape", named=False),
    wrong(LAYER, lambda d, a: (d.T @ a / d.shape[0], d.sum(axis=0)), "divided by m again", with_section=True),
    wrong(LAYER, lambda d, a: (d.T @ a, d.mean(axis=0)), "averaged over the samples", with_section=True),
    wrong(LAYER, lambda d, a: d.T @ a, r"should return the pair \(dW, db\)", named=False),
    wrong(BACKPROP, _backprop(output_prime=False), r"σ′\(z\^L\) in BP1", with_section=True),
    wrong(BACKPROP, _backprop(derivative="none"), r"σ′\(z\^l\) in BP2", with_section=True),
    wrong(BACKPROP, _backprop(average=False), "summed the per-sample gradients", with_section=True),
    wrong(BACKPROP, _two_layers, r"dW should hold one array per layer \(3\)", named=False),
    wrong(BACKPROP, _vandal, "wrong in", named=False, id="the student cannot modify the network"),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=3)


def test_bp2_in_the_column_form_passes():
    def column_form(d, W, z):                  # (Wᵀ Δᵀ)ᵀ: BP2 in the column form
        s = _sigmoid(z)
        return (W.T @ d.T).T * s * (1 - s)

    assert ch03.check_bp2(column_form) is True
