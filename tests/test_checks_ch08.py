"""The chapter 8 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network
from nnlib.checks import ch08
from tests.conftest import WRONG, assert_fails, wrong


# ------------------------------------------------------------ fit_square
def test_fit_square_reports_the_architectures(sol, capsys):
    assert ch08.check_fit_square(sol.fit_square) is True
    assert "1-8-8-1" in capsys.readouterr().out


def _square_net(layer_sizes, rng, output="identity", epochs=2000):
    gen = np.random.default_rng(rng)
    x = gen.uniform(-2.0, 2.0, size=(200, 1))
    net = Network(layer_sizes, hidden="tanh", output=output, loss="mse", rng=gen)
    net.fit(x, x[:, 0] ** 2, epochs=epochs, lr=0.1, optimizer="momentum")
    return net


# ------------------------------------------------------------ standardize
def _own_statistics(A, B):
    return (A - A.mean(0)) / A.std(0), (B - B.mean(0)) / B.std(0)


def _pooled(A, B):
    both = np.vstack([A, B])
    mu, s = both.mean(0), both.std(0)
    return (A - mu) / s, (B - mu) / s


def _rows(A, B):
    def scale(M):
        return (M - M.mean(1, keepdims=True)) / M.std(1, keepdims=True)
    return scale(A), scale(B)


def _ddof1(A, B):
    mu, s = A.mean(0), A.std(0, ddof=1)
    return (A - mu) / s, (B - mu) / s


STANDARDIZE_MISTAKES = [
    (_own_statistics, "test set with its own mean"),
    (_pooled, "pooled together"),
    (_rows, "over rows"),
    (_ddof1, "ddof=1"),
]


def _in_place(A, B):
    mu, s = A.mean(0), A.std(0)
    A -= mu
    A /= s
    B -= mu
    B /= s
    return A, B


# ------------------------------------------------------------ best_bounded_cost
def test_bounded_reports_the_tanh_floor(sol, capsys):
    assert ch08.check_best_bounded_cost(sol.best_bounded_cost) is True
    assert "0.1730" in capsys.readouterr().out


def _clip_cost(y, low, high, half=0.5, lower=True, upper=True, per_entry=False):
    y = np.asarray(y, dtype=float)
    best = np.clip(y, low if lower else -np.inf, high if upper else np.inf)
    sq = half * (best - y) ** 2
    return float(np.mean(sq)) if per_entry else float(np.sum(sq) / y.shape[0])


BOUNDED_MISTAKES = [
    (lambda y, lo, hi: _clip_cost(y, lo, hi, half=1.0), r"forgot the ½"),
    (lambda y, lo, hi: _clip_cost(y, lo, hi, upper=False), "only the lower bound"),
    (lambda y, lo, hi: _clip_cost(y, lo, hi, lower=False), "only the upper bound"),
    (lambda y, lo, hi: _clip_cost(y, lo, hi, per_entry=True), "all m·k entries"),
]


def test_bounded_solution_reproduces_the_sigmoid_floor(sol):
    y = np.sin(np.linspace(0, 2 * np.pi, 100_001))
    assert abs(sol.best_bounded_cost(y, 0.0, 1.0) - 0.125) < 1e-4


def _diverged_square_net(layer_sizes, rng):
    net = Network(layer_sizes, output="identity", loss="mse", rng=rng)
    net.weights[-1][:] = np.nan          # what an overflowing training run leaves
    return net


def _square(output="identity", epochs=2000, sizes=None):
    return lambda layer_sizes, rng: _square_net(sizes or layer_sizes, rng, output, epochs)


SQUARE, STANDARDIZE = ch08.check_fit_square, ch08.check_standardize
BOUNDED, SYMMETRY = ch08.check_best_bounded_cost, ch08.check_symmetry_predictions
WRONG_ANSWERS = [
    wrong(SQUARE, _square("sigmoid", epochs=50), "sigmoid output.*output='identity'"),
    wrong(SQUARE, _square("tanh", epochs=50), "tanh output.*reaches 4"),
    wrong(SQUARE, _square(epochs=5), "should be at most 0.01.*train longer"),
    wrong(SQUARE, _square(sizes=[1, 8, 1]), "ignored layer_sizes"),
    wrong(SQUARE, _diverged_square_net, "network's output contains NaN or infinity: the training diverged"),
    wrong(SQUARE, lambda sizes, rng: None, "forget to `return`", named=False),
    *[wrong(STANDARDIZE, answer, message) for answer, message in STANDARDIZE_MISTAKES],
    wrong(STANDARDIZE, _in_place, "changed the array X_train passed in"),
    wrong(STANDARDIZE, lambda A, B: (A - A.mean(0)) / A.std(0), "return the pair", named=False),
    *[wrong(BOUNDED, answer, message) for answer, message in BOUNDED_MISTAKES],
    wrong(SYMMETRY, (5, 5), "expected zeros to break the symmetry"),
    wrong(SYMMETRY, (1, 1), "different biases"),
    wrong(SYMMETRY, (3, 5), "distinct rows of W¹ after an all-zero start", named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=8)
