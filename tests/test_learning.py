"""fit learns: XOR, the circle, the moons, and a 1-D regression, with fast settings."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, datasets
from nnlib.optim import Momentum


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_learns_xor(seed):
    X, y = datasets.xor()
    net = Network([2, 4, 1], hidden="tanh", output="sigmoid", loss="bce", rng=seed)
    history = net.fit(X, y, epochs=1000, lr=1.0)
    assert net.accuracy(X, y) == 1.0
    assert history.final_loss < 0.05 < history.loss[0]
    np.testing.assert_array_equal(net.predict(X)[:, 0], y)


def test_learns_the_circle():
    X, y = datasets.circle(300, rng=0)
    X_test, y_test = datasets.circle(300, rng=1)
    net = Network([2, 8, 1], hidden="tanh", output="sigmoid", loss="bce", rng=0)
    history = net.fit(X, y, epochs=300, lr=0.5, batch_size=32, rng=0)
    assert net.accuracy(X, y) >= 0.95
    assert net.accuracy(X_test, y_test) >= 0.93
    assert history.final_loss < 0.5 * history.loss[0]


def test_learns_the_moons():
    X, y = datasets.moons(200, noise=0.2, rng=42)
    X_test, y_test = datasets.moons(200, noise=0.2, rng=43)
    net = Network([2, 8, 1], hidden="tanh", output="sigmoid", loss="bce", rng=0)
    net.fit(X, y, epochs=300, lr=0.5, batch_size=20, rng=0)
    assert net.accuracy(X, y) >= 0.95
    assert net.accuracy(X_test, y_test) >= 0.93


def test_learns_the_moons_with_softmax_and_momentum():
    X, y = datasets.moons(200, noise=0.2, rng=42)
    net = Network([2, 8, 2], hidden="relu", output="softmax", loss="cross_entropy", init="he",
                  rng=0)
    net.fit(X, y, epochs=150, optimizer=Momentum(0.1, beta=0.9), batch_size=20, rng=0)
    assert net.accuracy(X, y) >= 0.95


def test_learns_a_sine_with_a_linear_output():
    X, y = datasets.sine(200, rng=0)
    net = Network([1, 16, 1], hidden="tanh", output="identity", loss="mse", rng=0)
    history = net.fit(X / (2 * np.pi), y, epochs=600, optimizer=Momentum(0.05), batch_size=20,
                      rng=0)
    assert history.final_loss < 0.01  # ½·MSE: an RMS error below about 0.14
    assert net.loss(X / (2 * np.pi), y) < 0.01
