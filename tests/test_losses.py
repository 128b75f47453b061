"""Losses: values against their formulas and gradients ∂C/∂ŷ against centred differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import losses
from nnlib.gradcheck import numerical_gradient

FAST = settings(deadline=None, max_examples=25, derandomize=True, database=None)

batch = st.tuples(st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**16))


def probabilities(rng: np.random.Generator, shape) -> np.ndarray:
    """Predictions safely inside (0, 1), where the logarithms are smooth."""
    return rng.uniform(0.05, 0.95, size=shape)


def check_gradient(loss, y_hat, y):
    numeric = numerical_gradient(lambda v: loss(v, y), y_hat.copy())
    np.testing.assert_allclose(loss.gradient(y_hat, y), numeric, rtol=1e-6, atol=1e-9)


@FAST
@given(batch)
def test_mse_value_and_gradient(params):
    m, k, seed = params
    rng = np.random.default_rng(seed)
    y_hat, y = rng.normal(size=(m, k)), rng.normal(size=(m, k))
    assert losses.mse(y_hat, y) == pytest.approx(np.sum((y_hat - y) ** 2) / (2 * m), rel=1e-12)
    np.testing.assert_allclose(losses.mse.gradient(y_hat, y), (y_hat - y) / m, rtol=1e-12)
    check_gradient(losses.mse, y_hat, y)


@FAST
@given(batch, st.booleans())
def test_bce_value_and_gradient(params, soft_targets):
    m, k, seed = params
    rng = np.random.default_rng(seed)
    y_hat = probabilities(rng, (m, k))
    y = rng.uniform(0, 1, size=(m, k)) if soft_targets else rng.integers(0, 2, size=(m, k)) * 1.0
    expected = -np.sum(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)) / m
    assert losses.bce(y_hat, y) == pytest.approx(expected, rel=1e-12)
    check_gradient(losses.bce, y_hat, y)


@FAST
@given(st.integers(1, 6), st.integers(2, 5), st.integers(0, 2**16))
def test_cross_entropy_value_and_gradient(m, k, seed):
    rng = np.random.default_rng(seed)
    y_hat = probabilities(rng, (m, k))
    y_hat /= y_hat.sum(axis=1, keepdims=True)
    labels = rng.integers(0, k, size=m)
    one_hot = np.eye(k)[labels]
    expected = -np.sum(np.log(y_hat[np.arange(m), labels])) / m
    assert losses.cross_entropy(y_hat, one_hot) == pytest.approx(expected, rel=1e-12)
    assert losses.cross_entropy(y_hat, labels) == pytest.approx(expected, rel=1e-12)
    assert losses.cross_entropy(y_hat, labels.reshape(-1, 1)) == pytest.approx(expected, rel=1e-12)
    check_gradient(losses.cross_entropy, y_hat, one_hot)
    np.testing.assert_array_equal(losses.cross_entropy.gradient(y_hat, labels),
                                  losses.cross_entropy.gradient(y_hat, one_hot))


def test_mse_has_the_half():
    assert losses.mse([[1.0]], [[0.0]]) == 0.5
    assert losses.mse([[3.0, 0.0], [0.0, 0.0]], np.zeros((2, 2))) == pytest.approx(9 / 4)


@pytest.mark.parametrize("loss", [losses.mse, losses.bce], ids=lambda l: l.name)
def test_gradient_includes_the_one_over_m(loss):
    """Repeating the batch twice keeps the loss and halves each row's gradient."""
    y_hat, y = np.array([[0.3], [0.8]]), np.array([[0.0], [1.0]])
    twice_hat, twice_y = np.vstack([y_hat, y_hat]), np.vstack([y, y])
    assert loss(twice_hat, twice_y) == pytest.approx(loss(y_hat, y), rel=1e-12)
    np.testing.assert_allclose(loss.gradient(twice_hat, twice_y)[:2], loss.gradient(y_hat, y) / 2)


def test_one_dimensional_inputs_are_one_column():
    y_hat, y = np.array([0.2, 0.7, 0.4]), np.array([0.0, 1.0, 1.0])
    assert losses.bce(y_hat, y) == losses.bce(y_hat[:, None], y[:, None])
    assert losses.mse.gradient(y_hat, y).shape == (3, 1)


def test_perfect_predictions_cost_nothing():
    assert losses.mse([[0.5]], [[0.5]]) == 0.0
    assert losses.bce([[1.0], [0.0]], [[1.0], [0.0]]) == pytest.approx(0.0, abs=1e-12)
    assert losses.cross_entropy([[0.0, 1.0]], [1]) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("name, expected", [("mse", losses.mse), ("quadratic", losses.mse),
                                            ("bce", losses.bce), ("BCE", losses.bce),
                                            ("cross_entropy", losses.cross_entropy),
                                            ("categorical_cross_entropy", losses.cross_entropy)])
def test_get(name, expected):
    assert losses.get(name) is expected
    assert losses.get(expected) is expected
    assert repr(expected) == f"<loss {expected.name}>"
