"""Behaviour the chapters teach, pinned where the other tests left it free.

A mutation run over nnlib found that these could change without any test
noticing: which output error a network uses where the fused and the general BP1
disagree (chapter 4's σ(40) lesson), the gradient checker's rules for zero
gradients and kinks (chapter 6), whether a full batch is shuffled (chapter 5),
dtypes, and a few defaults, thresholds and contracts. Each test states what a reader
relies on, through the public API only.
"""

from __future__ import annotations

import functools
import re
import warnings

import numpy as np
import pytest

from nnlib import DivergenceError, Network, activations, init, losses, optim
from nnlib.gradcheck import GradCheckReport, check_network, numerical_gradient
from nnlib.network import Gradients

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
    # a soft label is read by the same rule as an output: 0.5 is class 1
    assert net.accuracy(X, [0.5, 0.5, 0.5]) == 1.0 and net.accuracy(X, [0.4, 0.4, 0.4]) == 0.0


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



# --------------------------------------------------------------------------- the second round
# A second mutation run found the behaviour below free to change. Each test says what a
# reader or a student relies on; tests/test_refusals.py pins the refusals' wording.


def test_the_check_passes_only_below_its_threshold():
    # "Relative errors below the threshold pass" (THRESHOLDS): an error equal to it fails,
    # in the verdict and in the printed line of the array that reaches it.
    gen = np.random.default_rng(6)
    X, Y = gen.normal(size=(4, 2)), gen.normal(size=(4, 1))
    net = Network([2, 3, 1], hidden="tanh", output="identity", rng=3)
    first = check_network(net, X, Y)
    assert first.passed and first.max_error > 0.0
    at = check_network(net, X, Y, threshold=first.max_error)  # the same computation, the same errors
    assert at.max_error == first.max_error and not at.passed
    worst = max(at.errors, key=at.errors.get)
    assert f"  {worst:<4} relative error {at.max_error:.2e}  FAIL" in str(at).splitlines()
    assert check_network(net, X, Y, threshold=np.nextafter(first.max_error, 1.0)).passed


def _least_squares_fit(n_in: int, m: int, scale: float, dtype=np.float64) -> tuple[Network, np.ndarray, np.ndarray]:
    """A linear network at the least-squares optimum of its data: every true gradient is 0."""
    gen = np.random.default_rng(5)
    X = gen.normal(size=(m, n_in))
    Y = scale * gen.normal(size=(m, 1))
    solution, *_ = np.linalg.lstsq(np.hstack([X, np.ones((m, 1))]), Y, rcond=None)
    net = Network([n_in, 1], output="identity", loss="mse", rng=0, dtype=dtype)
    net.weights[0][:] = solution[:-1, 0]
    net.biases[0][:] = solution[-1]
    return net, X, Y


def test_zero_up_to_rounding_scales_with_the_loss_and_the_array_size():
    # At a minimum both gradients are rounding noise. The centred difference's noise is the
    # rounding of C (about u·|C|) over 2ε, in each of the 64 coordinates of W1: with C about
    # 3e5 it is far above what a loss of 1 would leave, and a correct network must still pass.
    net, X, Y = _least_squares_fit(64, 200, 1e3)
    loss = net.loss(X, Y)
    assert loss > 1e5
    report = check_network(net, X, Y)
    u, root = np.finfo(np.float64).eps, np.sqrt(64)
    assert np.linalg.norm(report.numeric["W1"]) > 1e3 * (10 * u / report.eps) * root  # not zero for C = 1
    assert np.linalg.norm(report.analytic["W1"]) < 1e-9  # backprop: zero up to its own rounding
    assert report.passed and report.errors["W1"] == 0.0


def test_zero_up_to_rounding_is_measured_in_the_network_precision():
    # In float32 a minimum leaves noise of float32 size (about 1e-7 relative), which is zero
    # up to rounding there, though it would be a real gradient in float64.
    net, X, Y = _least_squares_fit(4, 16, 1.0, dtype=np.float32)
    report = check_network(net, X, Y)
    assert np.linalg.norm(report.analytic["W1"]) > 1e3 * np.finfo(np.float64).eps
    assert report.passed and report.errors["W1"] == 0.0


def test_the_report_prints_one_verdict_per_array():
    report = GradCheckReport(errors={"W1": 0.5, "b1": float("nan"), "W2": 1e-6, "b2": 0.0},
                             max_error=float("nan"), threshold=1e-6, passed=False, eps=1e-6,
                             dtype="float64", kinks=3, unchecked=["b1"])
    assert str(report).splitlines() == [
        "gradient check (float64, eps=1e-06, threshold 1e-06)",
        "  W1   relative error 5.00e-01  FAIL",
        "  b1   NOT CHECKED: every coordinate straddled a kink (try a smaller eps)",
        "  W2   relative error 1.00e-06  FAIL",
        "  b2   relative error 0.00e+00  ok",
        "  max  relative error nan  FAILED",
        "  (3 coordinate(s) straddled a ReLU kink and were skipped)",
    ]
    report = GradCheckReport(errors={"W1": 2.5e-9, "b1": 0.0}, max_error=2.5e-9, threshold=1e-6,
                             passed=True, eps=1e-6, dtype="float64")
    assert str(report).splitlines()[-1] == "  max  relative error 2.50e-09  PASSED"


def test_the_network_repr_names_only_the_settings_that_differ_from_the_defaults():
    assert repr(Network([2, 3, 1], rng=0)) == "Network(2-3-1, hidden=sigmoid, output=sigmoid, loss=mse, P=13)"
    assert (repr(Network([2, 3, 1], rng=0, dtype=np.float32))
            == "Network(2-3-1, hidden=sigmoid, output=sigmoid, loss=mse, P=13, float32)")


def test_numerical_gradient_takes_float32_arrays_and_one_element_losses():
    def loss(v):
        return float(np.sum(v.astype(np.float64) ** 2))

    x32 = np.array([1.0, -2.0], dtype=np.float32)
    np.testing.assert_allclose(numerical_gradient(loss, x32, eps=1e-2), [2.0, -4.0], rtol=1e-6)
    x = np.array([1.0, -2.0])
    for shape in [(1,), (1, 1)]:  # a loss computed with keepdims, or as W @ x of one output
        g = numerical_gradient(lambda v, shape=shape: np.full(shape, loss(v)), x)
        np.testing.assert_allclose(g, [2.0, -4.0], rtol=1e-6)


@pytest.mark.parametrize("scheme", [init.normal(), init.uniform(), init.normal(0.5), init.uniform(-1.0, 1.0)])
def test_the_init_schemes_draw_from_the_generator_they_are_given(scheme):
    np.testing.assert_array_equal(scheme(3, 4, 7), scheme(3, 4, np.random.default_rng(7)))
    first, second = (Network([4, 3, 2], init=scheme, rng=11) for _ in range(2))
    for W, V in zip(first.weights, second.weights, strict=True):
        np.testing.assert_array_equal(W, V)


def test_the_init_name_is_what_was_asked_for():
    assert Network([2, 1], init="glorot", rng=0).init_name == "glorot"
    assert Network([2, 1], init="normal", rng=0).init_name == "normal"
    assert Network([2, 1], init=functools.partial(init.he), rng=0).init_name == "custom"  # no __name__


def test_a_new_momentum_optimiser_starts_like_a_reset_one():
    fresh, reset = optim.Momentum(0.1), optim.Momentum(0.1)
    reset.step([np.ones(2)], [np.ones(2)])
    reset.reset()
    assert fresh.velocities is None and reset.velocities is None


def test_boolean_targets_count_as_zero_and_one():
    X, Y = _moons_like()
    Y_bool = Y.astype(bool)  # e.g. y = (x1 * x2 > 0), written without a cast
    net = Network([2, 3, 1], loss="bce", rng=0)
    assert net.loss(X, Y_bool) == net.loss(X, Y)
    assert net.accuracy(X, Y_bool) == net.accuracy(X, Y)
    twin = net.copy()
    assert net.fit(X, Y_bool, epochs=2, lr=0.1).loss == twin.fit(X, Y, epochs=2, lr=0.1).loss


def test_a_float64_batch_is_used_as_it_is():
    # A^0 = X: the forward pass reads the caller's array; nothing is copied per call.
    X, _ = _moons_like()
    net = Network([2, 3, 1], rng=0)
    net.forward(X)
    assert net.activations[0] is X


@pytest.mark.parametrize("name", ["sigmoid", "softmax"])
def test_an_activation_of_an_integer_array_is_the_one_of_its_float_values(name):
    act = activations.get(name)
    z = np.array([[0, 1, -2], [3, 0, -1]])
    np.testing.assert_array_equal(act(z), act(z.astype(float)))
    assert act(z).dtype == np.float64


@pytest.mark.parametrize("dtype, expected", [(np.float32, np.float32), (np.float64, np.float64),
                                             (np.int64, np.float64), (bool, np.float64)])
def test_the_relu_derivative_is_a_float_array(dtype, expected):
    z = np.array([-1, 0, 2]).astype(dtype)
    d = activations.relu.derivative(z)
    assert d.dtype == np.dtype(expected)
    np.testing.assert_array_equal(d, z > 0)


def test_softmax_backward_of_a_single_row_is_its_jacobian_product():
    z, grad = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0, -2.0])
    np.testing.assert_allclose(activations.softmax.backward(z, grad),
                               activations.softmax.jacobian(z).T @ grad, rtol=1e-12)


def test_bce_on_a_softmax_output_is_accepted():
    # Network's docstring: "bce" needs a sigmoid or softmax output (outputs in [0, 1]).
    net = Network([2, 3], output="softmax", loss="bce", rng=0)
    X = np.zeros((2, 2))
    assert net.loss(X, np.eye(3)[[0, 2]]) > 0.0


class _RelativeError(losses.Loss):
    """A loss of the student's own, C = (1/m) Σ ((ŷ − y)/y)², undefined where a target is 0."""

    name = "relative_error"

    def value(self, y_hat, y):
        return float(np.sum(((y_hat - y) / y) ** 2)) / y_hat.shape[0]

    def grad(self, y_hat, y):
        return 2 * (y_hat - y) / y ** 2 / y_hat.shape[0]


def test_fit_reports_a_non_finite_loss_as_divergence_and_nothing_else():
    # fit runs its loop under np.errstate: an overflow, 0/0 or x/0 on the way to a
    # non-finite loss is reported once, as DivergenceError, never as a NumPy warning.
    X, Y = np.ones((3, 1)), np.array([[1.0], [0.0], [2.0]])
    net = Network([1, 1], output="identity", loss=_RelativeError(), rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DivergenceError, match=r"^the loss became inf in epoch 1 "):
            net.fit(X, Y, epochs=2, lr=0.1)


def test_the_progress_bar_counts_epochs_and_shows_the_loss(capsys):
    pytest.importorskip("tqdm")
    X, Y = _moons_like()
    history = Network([2, 3, 1], rng=0).fit(X, Y, epochs=3, lr=0.1, progress=True)
    err = capsys.readouterr().err
    assert "3/3" in err and re.search(r"\d(epoch/s|s/epoch)", err)
    assert f"loss={history.loss[-1]:.4g}" in err


def test_a_new_network_has_empty_caches():
    net = Network([2, 3, 1], rng=0)
    assert net.zs == [] and net.activations == []


def test_gradients_with_a_bias_missing_are_refused_not_cut_short():
    grads = Gradients([np.ones((3, 2)), np.ones((1, 3))], [np.zeros(3)])  # db^2 forgotten
    with pytest.raises(ValueError):
        grads.flat()


@pytest.mark.parametrize("z", [-30.0, np.float32(-30.0), np.float16(-30.0), -30])
def test_the_sigmoid_of_a_scalar_is_computed_in_float64(z):
    # Only an array keeps its precision; a number, Python or NumPy, is read as float64, so
    # σ(−30) keeps its full relative precision (about 9.4e-14) whatever type it came in.
    a = activations.sigmoid(z)
    assert a.dtype == np.float64 and a == 1.0 / (1.0 + np.exp(30.0))


def test_gradients_unpack_into_dW_and_db_and_show_their_shapes():
    net = Network([2, 3, 1], rng=0)
    grads = net.gradients(np.zeros((4, 2)), np.zeros((4, 1)))
    dW, db = grads  # a Gradients unpacks as its two lists
    assert dW is grads.dW and db is grads.db
    assert repr(grads) == "Gradients(dW1(3, 2), dW2(1, 3))"


def test_a_report_displays_in_ipython_as_its_text():
    class Printer:  # the part of IPython's pretty printer that _repr_pretty_ uses
        def __init__(self):
            self.parts = []

        def text(self, s):
            self.parts.append(s)

    report = GradCheckReport(errors={"W1": 0.0}, max_error=0.0, threshold=1e-6, passed=True,
                             eps=1e-6, dtype="float64")
    printer = Printer()
    report._repr_pretty_(printer, cycle=False)
    assert printer.parts == [str(report)]
