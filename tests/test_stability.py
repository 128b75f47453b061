"""Numerical stability: finite, warning-free values at |z| = 1e4 and at ŷ ∈ {0, 1}.

Every computation runs with warnings turned into errors and NumPy's overflow,
division-by-zero and invalid-operation checks set to raise. Underflow is left at
NumPy's default (ignore): e^(−10⁴) rounding to 0.0 is the correctly rounded
answer, not a loss of accuracy, and a stable sigmoid or softmax relies on it.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np
import pytest

from nnlib import Network, activations, losses

EXTREME = np.array([-1e4, -1e3, -745.0, -50.0, -1.0, 0.0, 1.0, 50.0, 745.0, 1e3, 1e4])
DTYPES = [np.float64, np.float32]


@contextmanager
def strict():
    """Warnings are errors; overflow, divide and invalid raise FloatingPointError."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield


def finite(*arrays) -> bool:
    return all(np.all(np.isfinite(a)) for a in arrays)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_elementwise_activations_at_extremes(name, dtype):
    act = activations.get(name)
    z = EXTREME.astype(dtype)
    with strict():
        a = act(z)
        d = act.derivative(z)
        d_out = act.derivative_from_output(a)
        back = act.backward(z, np.ones_like(z))
    assert finite(a, d, d_out, back)
    if name in ("sigmoid", "tanh"):
        low = 0.0 if name == "sigmoid" else -1.0
        assert a[0] == low and a[-1] == 1.0
        assert np.all((a >= low) & (a <= 1.0))
        assert d[0] == 0.0 and d[-1] == 0.0  # saturated: σ′ is 0, not NaN


def test_sigmoid_keeps_precision_on_the_negative_side():
    with strict():
        s = activations.sigmoid(np.array([-30.0, -700.0]))
    np.testing.assert_allclose(s, np.exp([-30.0, -700.0]), rtol=1e-12)  # not rounded to 0


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_softmax_at_extremes(dtype):
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4], [745.0, 0.0, -745.0],
                  [1e4, 1e4 - 1.0, -1e4]], dtype=dtype)
    grad = np.ones_like(z)
    with strict():
        a = activations.softmax(z)
        J = activations.softmax.jacobian(z)
        back = activations.softmax.backward(z, grad)
    assert finite(a, J, back)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(a[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(a[1], [1 / 3] * 3, rtol=1e-6)
    np.testing.assert_allclose(a[4, :2], [1 / (1 + np.exp(-1.0)), 1 / (1 + np.e)], rtol=1e-6)


Y_HAT = np.array([[0.0], [1.0], [0.0], [1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])  # two right, two completely wrong


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("loss", [losses.mse, losses.bce], ids=lambda l: l.name)
def test_losses_at_zero_and_one(loss, dtype):
    with strict():
        value = loss(Y_HAT.astype(dtype), Y.astype(dtype))
        grad = loss.gradient(Y_HAT.astype(dtype), Y.astype(dtype))
    assert np.isfinite(value) and finite(grad)
    assert value > 0


def test_bce_is_large_but_finite_when_confidently_wrong():
    with strict():
        wrong = losses.bce([[0.0]], [[1.0]])
        right = losses.bce([[1.0]], [[1.0]])
    assert 30 < wrong < 40  # −log of the clipping floor, 2.2e-16
    assert right == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_cross_entropy_at_zero_and_one(dtype):
    y_hat = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype=dtype)
    with strict():
        for labels in ([0, 1, 2], [1, 2, 0]):
            value = losses.cross_entropy(y_hat, labels)
            grad = losses.cross_entropy.gradient(y_hat, labels)
            assert np.isfinite(value) and finite(grad)


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "identity"])
@pytest.mark.parametrize("output, loss", [("sigmoid", "bce"), ("sigmoid", "mse"),
                                          ("softmax", "cross_entropy"), ("tanh", "mse")])
def test_network_with_saturated_units_stays_finite(hidden, output, loss):
    """Inputs of 1e4 drive every unit into saturation; both BP1 paths stay finite."""
    n_out = 2 if output == "softmax" else 1
    net = Network([2, 3, n_out], hidden=hidden, output=output, loss=loss, rng=0)
    X = np.array([[1e4, -1e4], [-1e4, 1e4], [1e4, 1e4]])
    Y = np.array([0, 1, 1]) if loss == "cross_entropy" else np.array([[0.0], [1.0], [1.0]])
    with strict():
        value = net.loss(X, Y)
        fused = net.gradients(X, Y)
        general = net.gradients(X, Y, fused=False)
        pred = net.predict(X)
    assert np.isfinite(value)
    assert finite(*fused.dW, *fused.db, *general.dW, *general.db, pred)
