"""The dtype option: a float32 network computes in float32 everywhere, fit's fast path included.

Nothing may be silently promoted to float64 (a float64 temporary would cost the
memory and time that float32 is meant to save), and gradient checking follows
the dtype with its own step and threshold.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, activations, gradcheck
from nnlib.optim import Momentum

DTYPES = [np.float32, np.float64]
CONFIGS = [  # hidden, output, loss, n_outputs
    ("sigmoid", "sigmoid", "mse", 1),
    ("sigmoid", "sigmoid", "bce", 1),
    ("tanh", "softmax", "cross_entropy", 3),
    ("relu", "identity", "mse", 2),
    ("identity", "tanh", "mse", 2),
]
CONFIG_IDS = [f"{hidden}-{loss}" for hidden, _, loss, _ in CONFIGS]


def data(n_outputs: int, loss: str, m: int = 50):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(m, 3))  # float64 on purpose: the network converts it
    if loss == "cross_entropy":
        Y = rng.integers(0, n_outputs, m)
    elif loss == "bce":
        Y = (rng.random((m, n_outputs)) < 0.5).astype(float)
    else:
        Y = rng.normal(size=(m, n_outputs))
    return X, Y


def assert_dtype(arrays, dtype, what):
    for i, a in enumerate(arrays):
        if a is None:
            continue
        assert isinstance(a, np.ndarray), f"{what}[{i}] is {type(a).__name__}"
        assert a.dtype == dtype, f"{what}[{i}] has dtype {a.dtype}, expected {np.dtype(dtype)}"


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("hidden, output, loss, n_out", CONFIGS, ids=CONFIG_IDS)
def test_forward_backward_keep_the_dtype(dtype, hidden, output, loss, n_out):
    X, Y = data(n_out, loss)
    net = Network([3, 5, 4, n_out], hidden=hidden, output=output, loss=loss, rng=1, dtype=dtype)
    assert_dtype(net.weights + net.biases, dtype, "parameters")
    assert net.forward(X).dtype == dtype
    assert_dtype(net.zs, dtype, "zs")
    assert_dtype(net.activations, dtype, "activations")
    assert net.output_error(Y).dtype == dtype
    grads = net.backward(Y)
    assert_dtype(grads.dW + grads.db, dtype, "gradients")
    assert isinstance(net.loss(X, Y), float)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("hidden, output, loss, n_out", CONFIGS, ids=CONFIG_IDS)
@pytest.mark.parametrize("batch_size", [None, 16], ids=["full-batch", "batches-of-16"])
def test_fit_keeps_the_dtype(dtype, hidden, output, loss, n_out, batch_size):
    """fit writes into reused work arrays: they, and everything else, stay in the dtype."""
    X, Y = data(n_out, loss)
    net = Network([3, 5, 4, n_out], hidden=hidden, output=output, loss=loss, rng=1, dtype=dtype,
                  l2=0.01)
    seen = []

    def inspect_caches(epoch, network, loss_value):
        assert_dtype(network.zs, dtype, "zs during fit")
        assert_dtype(network.activations, dtype, "activations during fit")
        seen.append(epoch)

    history = net.fit(X, Y, 3, lr=0.05, batch_size=batch_size, callbacks=[inspect_caches])
    assert seen == [1, 2, 3]
    assert_dtype(net.weights + net.biases, dtype, "parameters after fit")
    assert all(isinstance(v, float) and np.isfinite(v) for v in history.loss)
    net.fit(X, Y, 2, optimizer=Momentum(0.05), batch_size=batch_size)
    assert_dtype(net.weights + net.biases, dtype, "parameters after momentum")
    assert net.forward(X).dtype == dtype


def test_float32_training_follows_float64():
    """Same seed, same data: the float32 loss curve stays within float32 rounding of float64's."""
    X, Y = data(1, "bce", m=200)
    curves = {}
    for dtype in DTYPES:
        net = Network([3, 8, 1], output="sigmoid", loss="bce", rng=2, dtype=dtype)
        curves[dtype] = np.array(net.fit(X, Y, 30, lr=0.5, batch_size=25, rng=3).loss)
    np.testing.assert_allclose(curves[np.float32], curves[np.float64], rtol=1e-4)
    assert not np.array_equal(curves[np.float32], curves[np.float64])  # really another precision


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
def test_activations_keep_the_dtype(dtype, name):
    act = activations.get(name)
    z = np.linspace(-30, 30, 12, dtype=dtype).reshape(3, 4)
    a = act(z)
    assert a.dtype == dtype
    if act.elementwise:
        sp = act.derivative_from_output(a)
        assert sp.dtype == dtype
        np.testing.assert_allclose(sp, act.derivative(z), rtol=1e-6 if dtype == np.float32 else 1e-15)


@pytest.mark.parametrize("dtype, eps, threshold",
                         [(np.float32, 1e-2, 1e-2), (np.float64, 1e-6, 1e-6)],
                         ids=["float32", "float64"])
def test_gradcheck_thresholds_follow_the_dtype(dtype, eps, threshold):
    X, Y = data(2, "mse", m=6)
    net = Network([3, 4, 2], hidden="tanh", output="identity", loss="mse", rng=4, dtype=dtype)
    report = gradcheck.check_network(net, X, Y)
    assert report.dtype == np.dtype(dtype).name
    assert (report.eps, report.threshold) == (eps, threshold)
    assert report.passed, str(report)
