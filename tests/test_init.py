"""The weight initialisation schemes of nnlib.init."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, datasets, init


@pytest.fixture
def moons():
    return datasets.moons(60, noise=0.2, rng=0)


# ----------------------------------------------------------------- init
@pytest.mark.parametrize("n_out, n_in", [(200, 300), (500, 100)])
def test_xavier_and_he_variances(n_out, n_in):
    rng = np.random.default_rng(0)
    xavier = init.xavier(n_out, n_in, rng)
    he = init.he(n_out, n_in, rng)
    assert xavier.shape == he.shape == (n_out, n_in)
    assert xavier.var() == pytest.approx(2 / (n_in + n_out), rel=0.05)
    assert he.var() == pytest.approx(2 / n_in, rel=0.05)
    assert abs(xavier.mean()) < 0.01 and abs(he.mean()) < 0.02


def test_other_schemes():
    rng = np.random.default_rng(1)
    small = init.normal(0.01)(300, 300, rng)
    assert small.std() == pytest.approx(0.01, rel=0.05)
    u = init.uniform(-0.5, 0.5)(200, 200, rng)
    assert -0.5 <= u.min() and u.max() < 0.5 and u.var() == pytest.approx(1 / 12, rel=0.05)
    np.testing.assert_array_equal(init.zeros(2, 3, rng), np.zeros((2, 3)))
    np.testing.assert_array_equal(init.ones(2, 3, rng), np.ones((2, 3)))
    assert init.get("glorot") is init.xavier
    assert init.get("uniform")(50, 50, rng).min() >= 0.0  # U[0, 1) by default


def test_ones_is_the_symmetry_trap(moons):
    """With identical initial weights every hidden unit stays identical."""
    X, y = moons
    net = Network([2, 4, 1], loss="bce", init="ones", rng=0)
    net.fit(X, y, epochs=20, lr=0.5)
    W1 = net.weights[0]
    np.testing.assert_allclose(W1, np.broadcast_to(W1[0], W1.shape), rtol=1e-12)


def test_init_accepts_a_callable():
    net = Network([2, 3, 1], init=lambda n_out, n_in, rng: np.full((n_out, n_in), 0.5), rng=0)
    assert np.all(net.weights[0] == 0.5) and net.init_name == "<lambda>"
