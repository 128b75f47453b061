"""Behaviour the chapters teach, pinned where the other tests left it free.

A mutation run over nnlib found that these could change without any test
noticing: which output error a network uses where the fused and the general BP1
disagree (chapter 4's σ(40) lesson), the gradient checker's rules for zero
gradients and kinks (chapter 6), whether a full batch is shuffled (chapter 5),
dtypes, and a few defaults, thresholds and contracts. Each test states what a reader
relies on, through the public API only.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, activations, init, losses
from nnlib.gradcheck import check_network

# --------------------------------------------------------------------------- BP1: fused or general


def _saturated_sigmoid_bce() -> tuple[Network, np.ndarray, np.ndarray]:
    """ŷ = σ(40) = 1.0 exactly in float64, for targets y = 0: confidently wrong."""
    net = Network([1, 1], output="sigmoid", loss="bce", rng=0)
    net.weights[0][:] = 40.0
    net.biases[0][:] = 0.0
    X = np.ones((2, 1))
    Y = np.zeros((2, 1))
    return net, X, Y


def test_a_saturated_sigmoid_output_is_exactly_one():
    net, X, _ = _saturated_sigmoid_bce()
    assert np.all(net.forward(X) == 1.0)


def test_the_fused_output_error_survives_saturation_and_the_general_one_does_not():
    net, X, Y = _saturated_sigmoid_bce()
    net.forward(X)
    m = X.shape[0]
    fused = net.output_error(Y)  # the default for sigmoid + BCE
    np.testing.assert_array_equal(fused, (1.0 - 0.0) / m * np.ones((m, 1)))
    np.testing.assert_array_equal(net.output_error(Y, fused=True), fused)
    general = net.output_error(Y, fused=False)  # ∇_a C ⊙ σ′(z): σ′ is 0 at ŷ = 1
    assert np.all(np.isfinite(general)) and np.all(general == 0.0)


def test_gradients_and_fit_use_the_fused_output_error_by_default():
    net, X, Y = _saturated_sigmoid_bce()
    grads = net.gradients(X, Y)
    np.testing.assert_array_equal(grads.db[0], [1.0])  # Σ_i (ŷ_i − y_i)/m = 1
    np.testing.assert_array_equal(grads.dW[0], [[1.0]])
    assert np.all(net.gradients(X, Y, fused=False).db[0] == 0.0)
    net.fit(X, Y, epochs=1, lr=0.25)  # one full-batch step: b ← b − η · 1
    np.testing.assert_array_equal(net.biases[0], [-0.25])
    np.testing.assert_array_equal(net.weights[0], [[40.0 - 0.25]])


@pytest.mark.parametrize("output, loss, fused", [
    ("sigmoid", "bce", True), ("softmax", "cross_entropy", True), ("identity", "mse", True),
    ("sigmoid", "mse", False), ("tanh", "mse", False),
])
def test_which_pairs_are_fused(output, loss, fused):
    n_out = 3 if output == "softmax" else 1
    assert Network([2, n_out], output=output, loss=loss, rng=0).fused is fused


# --------------------------------------------------------------------------- the gradient checker


class _DropsLayerOne(Network):
    """A planted bug: backpropagation that loses the first layer's gradient."""

    def backward(self, Y, **kwargs):
        grads = super().backward(Y, **kwargs)
        grads.dW[0][...] = 0.0
        grads.db[0][...] = 0.0
        return grads

    def gradients(self, X, Y, **kwargs):
        grads = super().gradients(X, Y, **kwargs)
        grads.dW[0][...] = 0.0
        grads.db[0][...] = 0.0
        return grads


@pytest.mark.parametrize("scale", [1.0, 1e-3])
def test_the_checker_rejects_a_dropped_layer_even_when_its_gradient_is_small(scale):
    # The first layer's true gradient is about `scale` times the others: at 1e-3 it
    # is small, but far above the rounding noise of a centred difference, so "both
    # are zero up to rounding" must not excuse a backprop that returns zero for it.
    gen = np.random.default_rng(3)
    X = scale * gen.normal(size=(6, 3))
    Y = gen.uniform(size=(6, 2))
    good = Network([3, 4, 2], hidden="tanh", output="identity", rng=1)
    bad = _DropsLayerOne([3, 4, 2], hidden="tanh", output="identity", rng=1)
    assert check_network(good, X, Y).passed
    true_norm = np.linalg.norm(good.gradients(X, Y).dW[0])
    assert true_norm > 1e-6  # real, not rounding
    report = check_network(bad, X, Y)
    assert not report.passed
    assert report.errors["W1"] > report.threshold and report.errors["W2"] < report.threshold


class _InventsAGradient(Network):
    """A planted bug: backpropagation that reports a small gradient where the true one is 0."""

    invented = 1e-5

    def gradients(self, X, Y, **kwargs):
        grads = super().gradients(X, Y, **kwargs)
        grads.dW[0][...] += self.invented
        return grads


@pytest.mark.parametrize("invented", [1e-3, 1e-6, 1e-9])
def test_the_checker_rejects_a_small_invented_gradient_of_a_dead_layer(invented):
    # Every hidden ReLU unit is dead (biases of −10), so ∂C/∂W^1 is exactly 0. A
    # backprop reporting 1e-9 or more there is wrong by orders of magnitude more than
    # rounding (about 1e-14 here): "zero up to rounding" must not excuse it.
    gen = np.random.default_rng(4)
    X, Y = gen.normal(size=(5, 3)), gen.normal(size=(5, 2))
    nets = [Network([3, 4, 2], hidden="relu", output="identity", rng=2),
            _InventsAGradient([3, 4, 2], hidden="relu", output="identity", rng=2)]
    nets[1].invented = invented
    for net in nets:
        net.biases[0][:] = -10.0
    good, bad = (check_network(net, X, Y) for net in nets)
    assert good.passed and good.errors["W1"] == 0.0
    assert not bad.passed and bad.errors["W1"] > bad.threshold


def _relu_net_with_one_sample_at_the_kink(z0: float) -> tuple[Network, np.ndarray, np.ndarray]:
    """Hidden unit 1 of sample 1 has z = z0; every other pre-activation is at least 0.3 from 0."""
    net = Network([2, 2, 1], hidden="relu", output="identity", rng=0)
    net.weights[0][:] = [[1.0, 1.0], [0.5, -0.25]]
    net.biases[0][:] = [0.0, 0.8]
    net.weights[1][:] = [[0.7, -0.4]]
    X = np.array([[1.0, -1.0 + z0], [1.0, 1.0], [-1.0, -0.5]])
    Y = np.array([[0.2], [0.1], [-0.3]])
    return net, X, Y


def test_kinks_are_counted_exactly_and_the_right_coordinates_are_skipped():
    net, X, Y = _relu_net_with_one_sample_at_the_kink(0.0)
    net.forward(X)
    z = net.zs[1]
    assert z[0, 0] == 0.0 and np.min(np.abs(np.delete(z.ravel(), 0))) >= 0.3
    report = check_network(net, X, Y)
    # Exactly the three parameters that feed unit 1 (W1[0, 0], W1[0, 1], b1[0]) move
    # z[0, 0] across 0 when nudged by ±ε; nothing else does.
    assert report.kinks == 3
    # With those three left out, what remains agrees; had other coordinates been
    # skipped instead, a kinked one (slope ½ numerically, 0 or 1 by backprop) would fail.
    assert report.passed


def test_no_kink_is_reported_away_from_zero():
    net, X, Y = _relu_net_with_one_sample_at_the_kink(0.5)
    report = check_network(net, X, Y)
    assert report.kinks == 0 and report.passed


# --------------------------------------------------------------------------- fit


def _moons_like(n: int = 16) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.default_rng(7)
    X = gen.normal(size=(n, 2))
    return X, (X[:, :1] * X[:, 1:] > 0).astype(float)


def test_a_full_batch_fit_draws_nothing_from_the_network_generator():
    X, Y = _moons_like()
    for batch_size in (None, len(X), 10 * len(X)):
        net = Network([2, 3, 1], rng=0)
        before = net.rng.bit_generator.state
        net.fit(X, Y, epochs=3, lr=0.1, batch_size=batch_size)
        assert net.rng.bit_generator.state == before, batch_size


def test_mini_batches_shuffle_with_the_network_generator_once_per_epoch():
    X, Y = _moons_like()
    net = Network([2, 3, 1], rng=0)
    net.fit(X, Y, epochs=2, lr=0.1, batch_size=4)
    # the generator after init, advanced by two permutations of 16 samples
    reference = Network([2, 3, 1], rng=0).rng
    reference.permutation(16)
    reference.permutation(16)
    assert net.rng.bit_generator.state == reference.bit_generator.state


def test_fit_is_silent_by_default_and_accepts_no_callbacks(capsys):
    X, Y = _moons_like()
    history = Network([2, 3, 1], rng=0).fit(X, Y, epochs=2, lr=0.1, callbacks=None)
    assert len(history) == 2
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


# --------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_derivative_from_output_keeps_the_dtype(name, dtype):
    act = activations.get(name)
    a = act(np.linspace(-2, 2, 7).astype(dtype))
    d = act.derivative_from_output(a)
    assert d.dtype == np.dtype(dtype), (name, d.dtype)


@pytest.mark.parametrize("output, loss, Y", [
    ("softmax", "cross_entropy", np.array([0, 2, 1, 2])),            # class labels
    ("softmax", "cross_entropy", np.eye(3)[[0, 2, 1, 2]]),           # one-hot rows (float64)
    ("sigmoid", "bce", np.array([[0], [1], [1], [0]])),              # integer 0/1 targets
])
def test_a_float32_network_stays_float32_whatever_the_targets(output, loss, Y):
    n_out = 3 if output == "softmax" else 1
    net = Network([2, 4, n_out], output=output, loss=loss, rng=0, dtype=np.float32)
    X = np.random.default_rng(0).normal(size=(4, 2))
    grads = net.gradients(X, Y)
    assert all(g.dtype == np.float32 for g in [*grads.dW, *grads.db])
    assert net.output_error(Y).dtype == np.float32
    net.fit(X, Y, epochs=2, lr=0.1)
    assert all(p.dtype == np.float32 for p in net.parameters())


# --------------------------------------------------------------------------- thresholds, contracts, defaults


def test_an_output_of_exactly_one_half_is_class_one():
    net = Network([2, 1], output="sigmoid", loss="bce", rng=0)
    net.weights[0][:] = 0.0  # σ(0) = 0.5 exactly
    X = np.zeros((3, 2))
    np.testing.assert_array_equal(net.predict(X), [[1], [1], [1]])
    assert net.accuracy(X, [1, 1, 1]) == 1.0 and net.accuracy(X, [0, 0, 0]) == 0.0


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_an_activation_leaves_its_input_alone_and_keeps_shape_and_dtype(name, dtype):
    # The forward pass caches Z^l and A^l = σ(Z^l) side by side: computing A^l must not
    # overwrite Z^l, which BP2 and the kink detection of the gradient checker read later.
    act = activations.get(name)
    z = np.random.default_rng(0).normal(size=(4, 3)).astype(dtype)
    before = z.copy()
    a = act(z)
    np.testing.assert_array_equal(z, before)
    assert a.shape == z.shape and a.dtype == z.dtype


def test_the_init_schemes_have_the_documented_means_and_spreads():
    gen = np.random.default_rng(0)
    W = init.normal()(400, 500, gen)
    assert abs(W.mean()) < 1e-4 and abs(W.std() - 0.01) < 2e-4
    U = init.uniform()(400, 500, gen)
    assert U.min() >= 0.0 and U.max() < 1.0
    assert abs(U.mean() - 0.5) < 5e-3 and abs(U.std() - np.sqrt(1 / 12)) < 5e-3


@pytest.mark.parametrize("call, error", [
    (lambda: init.uniform(0.5, 0.5), ValueError),
    (lambda: init.uniform(1.0, 0.0), ValueError),
    (lambda: losses.get("cross_entropy")(np.array([[1.5, -0.5]]), np.array([[1.0, 0.0]])), ValueError),
    (lambda: losses.get("cross_entropy")(np.array([[0.5, 0.5]]), np.array([[2.0, -1.0]])), ValueError),
])
def test_inputs_the_course_calls_meaningless_are_refused(call, error):
    with pytest.raises(error):
        call()


# --------------------------------------------------------------------------- refusals name the argument


def _softmax_net() -> Network:
    return Network([2, 3], output="softmax", loss="cross_entropy", rng=0)


@pytest.mark.parametrize("call, error, message", [
    (lambda: _softmax_net().accuracy(np.zeros((4, 2)), [0, 1, 2]), ValueError,
     r"^X has 4 samples \(rows\) but y has 3; they must match$"),
    (lambda: Network([2, 1], rng=0).accuracy(np.zeros((4, 2)), [0, 1]), ValueError,
     r"^X has 4 samples \(rows\) but y has 2; they must match$"),
    (lambda: losses.get("cross_entropy")(np.array([[1.5, 0.0]]), np.array([[1.0, 0.0]])), ValueError,
     r"y_hat must lie in \[0, 1\]"),
    (lambda: losses.get("cross_entropy")(np.array([["a", "b"]]), np.array([[1.0, 0.0]])), TypeError, r"^y_hat "),
    (lambda: losses.get("mse")(np.array([["a"]]), np.array([[1.0]])), TypeError, r"^y_hat "),
    (lambda: losses.get("mse")(np.array([[0.5]]), np.array([["a"]])), TypeError, r"^y "),
    (lambda: losses.get("cross_entropy")(np.array([[0.5, 0.5]]), np.array([0, 1, 1])), ValueError,
     r"^y has 3 samples but y_hat has 1$"),
])
def test_a_refused_call_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()

