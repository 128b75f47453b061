"""nnlib.gradcheck: centred differences, the relative error and the network check's report."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, datasets, gradcheck


@pytest.fixture
def moons():
    return datasets.moons(60, noise=0.2, rng=0)


# ------------------------------------------------------------------ gradcheck
def test_numerical_gradient_of_a_quadratic():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.5, -1.0])
    g = gradcheck.numerical_gradient(lambda v: float(0.5 * v @ A @ v), x)
    np.testing.assert_allclose(g, A @ x, rtol=1e-8, atol=1e-8)
    np.testing.assert_array_equal(x, [0.5, -1.0])  # restored


def test_relative_error():
    assert gradcheck.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert gradcheck.relative_error([0.0], [0.0]) == 0.0
    assert gradcheck.relative_error([1.0], [-1.0]) == 1.0
    assert gradcheck.relative_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)


def test_report_passes_a_correct_network(moons):
    X, y = moons
    net = Network([2, 3, 1], hidden="tanh", loss="bce", rng=0)
    report = gradcheck.check_network(net, X[:5], y[:5])
    assert report.passed and report.max_error < 1e-6
    assert set(report.errors) == {"W1", "b1", "W2", "b2"}
    assert report.n_params == net.n_params and report.kinks == 0
    assert report.analytic["W1"].shape == report.numeric["W1"].shape == (3, 2)
    text = str(report)
    assert "PASSED" in text and "FAIL" not in text.replace("FAILED", "")


@pytest.mark.parametrize("corrupt", ["dW", "db"])
def test_report_fails_a_corrupted_gradient(moons, corrupt):
    X, y = moons
    net = Network([2, 3, 1], hidden="tanh", loss="bce", rng=0)
    gradients = net.gradients

    def broken(X, Y):
        grads = gradients(X, Y)
        getattr(grads, corrupt)[0] *= 1.05  # a 5% bug in layer 1
        return grads

    net.gradients = broken
    report = gradcheck.check_network(net, X[:5], y[:5])
    name = "W1" if corrupt == "dW" else "b1"
    assert not report.passed
    assert report.errors[name] > 1e-2
    assert report.errors["W2"] < 1e-6
    assert f"{name}   relative error" in str(report) and "FAILED" in str(report)


def test_report_fails_on_a_nan_gradient(moons):
    X, y = moons
    net = Network([2, 3, 1], hidden="tanh", loss="bce", rng=0)
    gradients = net.gradients

    def broken(X, Y):
        grads = gradients(X, Y)
        grads.db[-1][:] = np.nan
        return grads

    net.gradients = broken
    assert not gradcheck.check_network(net, X[:5], y[:5]).passed



def test_gradcheck_dead_relu_layer_passes_and_float32_tiny_eps_fails():
    """A layer whose gradient is exactly zero (dead ReLUs) is not a bug; but rounding noise
    in float32 with a tiny step must not be mistaken for a zero gradient."""
    X = np.random.default_rng(0).normal(size=(5, 2))
    net = Network([2, 3, 1], hidden="relu", rng=0)
    net.biases[0][:] = -100.0  # every hidden unit is dead: dW1 = db1 = dW2 = 0
    report = gradcheck.check_network(net, X, np.ones(5))
    assert report.passed and report.errors["W1"] == 0.0 and report.errors["W2"] == 0.0
    net32 = Network([2, 3, 1], rng=0, dtype=np.float32)
    assert not gradcheck.check_network(net32, X, np.ones(5), eps=1e-6).passed


def test_check_network_uses_only_the_public_api_and_leaves_the_network_as_it_was(moons):
    """The check runs on the public loss and gradients; it restores every parameter and
    leaves the cache describing the unperturbed network."""
    X, y = moons
    net = Network([2, 3, 1], hidden="relu", loss="bce", rng=0)
    before = [p.copy() for p in net.parameters()]
    calls = {"loss": 0}
    loss = net.loss

    def counting_loss(X, Y):
        calls["loss"] += 1
        return loss(X, Y)

    net.loss = counting_loss
    report = gradcheck.check_network(net, X[:6], y[:6])
    assert report.passed
    assert calls["loss"] == 1 + 2 * net.n_params  # the base loss, then ±ε per coordinate
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters(), before, strict=True))
    np.testing.assert_array_equal(net.activations[-1], Network.forward(net.copy(), X[:6]))


def test_check_network_refuses_what_is_not_a_network():
    with pytest.raises(TypeError, match="net must be an nnlib Network"):
        gradcheck.check_network(object(), np.zeros((2, 2)), np.zeros(2))


def test_kinks_are_counted_and_a_fully_kinked_array_is_not_checked():
    """A ReLU input exactly at 0 straddles the kink under any nudge of its bias."""
    X = np.zeros((3, 2))
    net = Network([2, 2, 1], hidden="relu", loss="mse", rng=0)  # Z^1 = b^1 = 0 for every sample
    report = gradcheck.check_network(net, X, np.ones(3))
    assert report.unchecked == ["b1"] and not report.passed
    assert np.isnan(report.errors["b1"]) and np.isnan(report.max_error)
    assert report.kinks == 2
    assert "b1   NOT CHECKED" in str(report)
