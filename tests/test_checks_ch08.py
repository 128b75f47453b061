"""The chapter 8 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network
from nnlib.checks import ch08
from tests.conftest import assert_points_to_a_hint


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


def test_fit_square_names_a_sigmoid_output():
    with pytest.raises(AssertionError, match="sigmoid output.*output='identity'"):
        ch08.check_fit_square(lambda sizes, rng: _square_net(sizes, rng, "sigmoid", epochs=50))


def test_fit_square_names_a_tanh_output():
    with pytest.raises(AssertionError, match="tanh output.*reaches 4"):
        ch08.check_fit_square(lambda sizes, rng: _square_net(sizes, rng, "tanh", epochs=50))


def test_fit_square_fails_an_undertrained_network():
    with pytest.raises(AssertionError, match="should be at most 0.01.*train longer"):
        ch08.check_fit_square(lambda sizes, rng: _square_net(sizes, rng, epochs=5))


def test_fit_square_needs_the_requested_architecture():
    with pytest.raises(AssertionError, match="ignored layer_sizes"):
        ch08.check_fit_square(lambda sizes, rng: _square_net([1, 8, 1], rng))


def test_fit_square_needs_a_return():
    with pytest.raises(AssertionError, match="forget to `return`"):
        ch08.check_fit_square(lambda sizes, rng: None)


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


@pytest.mark.parametrize(("wrong", "message"), STANDARDIZE_MISTAKES)
def test_standardize_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch08.check_standardize(wrong)


def _in_place(A, B):
    mu, s = A.mean(0), A.std(0)
    A -= mu
    A /= s
    B -= mu
    B /= s
    return A, B


def test_standardize_names_an_in_place_change():
    with pytest.raises(AssertionError, match="changed the array X_train passed in"):
        ch08.check_standardize(_in_place)


def test_standardize_must_return_a_pair():
    with pytest.raises(AssertionError, match="return the pair"):
        ch08.check_standardize(lambda A, B: (A - A.mean(0)) / A.std(0))


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


@pytest.mark.parametrize(("wrong", "message"), BOUNDED_MISTAKES)
def test_bounded_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch08.check_best_bounded_cost(wrong)


def test_bounded_solution_reproduces_the_sigmoid_floor(sol):
    y = np.sin(np.linspace(0, 2 * np.pi, 100_001))
    assert abs(sol.best_bounded_cost(y, 0.0, 1.0) - 0.125) < 1e-4


# ------------------------------------------------------------ symmetry predictions
@pytest.mark.parametrize(("zeros", "bias", "message"), [
    (5, 5, "expected zeros to break the symmetry"),
    (1, 1, "different biases"),
    (3, 5, "distinct rows of W¹ after an all-zero start"),
])
def test_symmetry_names_the_mistake(zeros, bias, message):
    with pytest.raises(AssertionError, match=message):
        ch08.check_symmetry_predictions(zeros, bias)


# ------------------------------------------------------------ pointers to the book's help
def _diverged_square_net(layer_sizes, rng):
    net = Network(layer_sizes, output="identity", loss="mse", rng=rng)
    net.weights[-1][:] = np.nan          # what an overflowing training run leaves
    return net


NAMED_MISTAKES = [
    pytest.param(lambda: ch08.check_fit_square(
        lambda sizes, rng: _square_net(sizes, rng, "sigmoid", epochs=50)), id="square-sigmoid"),
    pytest.param(lambda: ch08.check_fit_square(
        lambda sizes, rng: _square_net(sizes, rng, "tanh", epochs=50)), id="square-tanh"),
    pytest.param(lambda: ch08.check_fit_square(lambda sizes, rng: _square_net(sizes, rng, epochs=5)),
                 id="square-undertrained"),
    pytest.param(lambda: ch08.check_fit_square(lambda sizes, rng: _square_net([1, 8, 1], rng)),
                 id="square-sizes"),
    pytest.param(lambda: ch08.check_fit_square(_diverged_square_net), id="square-diverged"),
    *[pytest.param(lambda w=wrong: ch08.check_standardize(w), id=f"standardize-{i}")
      for i, (wrong, _) in enumerate(STANDARDIZE_MISTAKES)],
    pytest.param(lambda: ch08.check_standardize(_in_place), id="standardize-in-place"),
    *[pytest.param(lambda w=wrong: ch08.check_best_bounded_cost(w), id=f"bounded-{i}")
      for i, (wrong, _) in enumerate(BOUNDED_MISTAKES)],
    pytest.param(lambda: ch08.check_symmetry_predictions(5, 5), id="symmetry-zeros"),
    pytest.param(lambda: ch08.check_symmetry_predictions(1, 1), id="symmetry-biases"),
]


@pytest.mark.parametrize("attempt", NAMED_MISTAKES)
def test_each_named_mistake_points_to_a_hint_in_the_book(attempt):
    with pytest.raises(AssertionError) as failure:
        attempt()
    assert_points_to_a_hint(str(failure.value), 8)
