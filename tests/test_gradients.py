"""Whole-network gradients (BP1–BP4) against centred differences, in float64.

Every hidden activation × every output/loss pair × 1 to 3 hidden layers of random
widths, with and without L2, must agree with
:func:`nnlib.gradcheck.check_network` to a worst relative error below 1e-6. The
fused output error δᴸ = (ŷ − y)/m must equal the general BP1 path.

The oracle has a resolution. A centred difference of a loss C carries a rounding
error of about u·|C|/ε (u = 2.2e-16), so a parameter array whose whole gradient is
tiny (vanishing gradients through three sigmoid layers) cannot be checked to a
relative 1e-6, whatever backprop does; nor can a saturated output, where log(1 − ŷ)
loses digits, or a ReLU pre-activation within ε of the kink. The random problems
below are therefore drawn well-conditioned (see :func:`well_conditioned`), and
the step is ε = 1e-5 ≈ u^(1/3), the best balance of truncation and rounding error.
A dedicated test covers the kink.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnlib import Network
from nnlib.gradcheck import check_network, relative_error

FAST = settings(deadline=None, max_examples=3, derandomize=True, database=None)

HIDDEN = ["sigmoid", "tanh", "relu", "identity"]
PAIRS = [("sigmoid", "bce"), ("sigmoid", "mse"), ("identity", "mse"),
         ("softmax", "cross_entropy"), ("tanh", "mse")]
CANONICAL = [("sigmoid", "bce"), ("identity", "mse"), ("softmax", "cross_entropy")]
TOLERANCE = 1e-6
EPS = 1e-5


def make_problem(hidden, output, loss, widths, n_in, n_out, m, seed, l2=0.0):
    """A small network and a batch whose targets suit the output/loss pair."""
    rng = np.random.default_rng(seed)
    if output == "softmax":
        n_out = max(n_out, 2)
    net = Network([n_in, *widths, n_out], hidden=hidden, output=output, loss=loss,
                  rng=seed, l2=l2)
    X = rng.normal(size=(m, n_in))
    if loss == "cross_entropy":
        Y = rng.integers(0, n_out, size=m)
    elif loss == "bce":
        Y = rng.integers(0, 2, size=(m, n_out)).astype(float)
    elif output == "sigmoid":
        Y = rng.uniform(0, 1, size=(m, n_out))
    elif output == "tanh":
        Y = rng.uniform(-1, 1, size=(m, n_out))
    else:
        Y = rng.normal(size=(m, n_out))
    return net, X, Y


def relu_margin(net, X) -> float:
    """The smallest |z| over the ReLU layers: how far the batch is from a kink."""
    net.forward(X)
    zs = [net.zs[l] for l in range(1, net.n_layers)]
    return float(min(np.abs(z).min() for z in zs))


def well_conditioned(net, X, Y) -> bool:
    """True when centred differences can resolve every gradient array to 1e-6."""
    grads = net.gradients(X, Y)
    if min(float(np.linalg.norm(g)) for g in grads.dW + grads.db) < 1e-4:
        return False
    y_hat = net.activations[-1]
    saturated = y_hat.min() <= 1e-4 or y_hat.max() >= 1 - 1e-4
    if net.output.name in ("sigmoid", "softmax") and saturated:
        return False
    return not net.hidden.has_kinks or relu_margin(net, X) > 1e-3


def assert_gradients_agree(net, X, Y):
    report = check_network(net, X, Y, eps=EPS)
    assert report.max_error < TOLERANCE, str(report)
    assert report.passed
    assert set(report.errors) == {f"{p}{l}" for l in range(1, net.n_layers + 1) for p in "Wb"}
    if net.hidden.has_kinks:
        # A nudge of ε moves each z by far less than 1e-3 here, so a batch whose
        # pre-activations keep that distance from 0 must not straddle a kink;
        # otherwise the skipped coordinates are counted and reported.
        if relu_margin(net, X) > 1e-3:
            assert report.kinks == 0, str(report)
        elif report.kinks:
            assert "ReLU kink" in str(report)
        assert report.kinks < report.n_params
    else:
        assert report.kinks == 0
    return report


@pytest.mark.parametrize("depth", [1, 2, 3], ids=lambda d: f"{d}hidden")
@pytest.mark.parametrize("output, loss", PAIRS, ids=[f"{o}+{l}" for o, l in PAIRS])
@pytest.mark.parametrize("hidden", HIDDEN)
@FAST
@given(data=st.data())
def test_network_gradients_match_centred_differences(hidden, output, loss, depth, data):
    widths = data.draw(st.lists(st.integers(1, 5), min_size=depth, max_size=depth), label="widths")
    n_in = data.draw(st.integers(1, 4), label="n_in")
    n_out = data.draw(st.integers(1, 3), label="n_out")
    m = data.draw(st.integers(1, 6), label="m")
    seed = data.draw(st.integers(0, 2**16), label="seed")
    net, X, Y = make_problem(hidden, output, loss, widths, n_in, n_out, m, seed)
    assume(well_conditioned(net, X, Y))
    assert_gradients_agree(net, X, Y)


@pytest.mark.parametrize("output, loss", PAIRS, ids=[f"{o}+{l}" for o, l in PAIRS])
@pytest.mark.parametrize("hidden", HIDDEN)
@FAST
@given(l2=st.sampled_from([1e-3, 0.1, 1.0]), seed=st.integers(0, 2**16))
def test_gradients_with_l2(hidden, output, loss, l2, seed):
    net, X, Y = make_problem(hidden, output, loss, [4, 3], 3, 2, 5, seed, l2=l2)
    assume(well_conditioned(net, X, Y))
    report = assert_gradients_agree(net, X, Y)
    # The penalty really is in the gradient: λW shifts dW by a visible amount.
    plain = Network(net.sizes, hidden=hidden, output=output, loss=loss, rng=seed)
    g_plain, g_l2 = plain.gradients(X, Y), net.gradients(X, Y)
    for W, dW0, dW in zip(net.weights, g_plain.dW, g_l2.dW, strict=True):
        np.testing.assert_allclose(dW - dW0, l2 * W, rtol=1e-9, atol=1e-12)
    assert report.passed


def test_l2_penalty_is_in_the_loss():
    net, X, Y = make_problem("tanh", "identity", "mse", [3], 2, 1, 4, 0, l2=0.5)
    plain = Network(net.sizes, hidden="tanh", output="identity", loss="mse", rng=0)
    penalty = 0.25 * sum(float(np.sum(W**2)) for W in net.weights)
    assert net.loss(X, Y) == pytest.approx(plain.loss(X, Y) + penalty, rel=1e-12)


@pytest.mark.parametrize("output, loss", CANONICAL, ids=[f"{o}+{l}" for o, l in CANONICAL])
@settings(deadline=None, max_examples=15, derandomize=True, database=None)
@given(hidden=st.sampled_from(HIDDEN), widths=st.lists(st.integers(1, 5), min_size=1, max_size=3),
       m=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_fused_output_error_equals_general_bp1(output, loss, hidden, widths, m, seed):
    net, X, Y = make_problem(hidden, output, loss, widths, 3, 2, m, seed)
    assert net.fused
    fused = net.gradients(X, Y)
    general = net.gradients(X, Y, fused=False)
    for a, b in zip(fused.dW + fused.db, general.dW + general.db, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-13)
    net.forward(X)
    delta = net.output_error(Y)
    np.testing.assert_allclose(delta, net.output_error(Y, fused=False), rtol=1e-9, atol=1e-13)
    Y_full = np.eye(net.sizes[-1])[Y] if loss == "cross_entropy" else Y
    np.testing.assert_allclose(delta, (net.activations[-1] - Y_full) / m, rtol=1e-12)


@pytest.mark.parametrize("output, loss", [("sigmoid", "mse"), ("tanh", "mse")])
def test_non_canonical_pairs_use_the_general_path(output, loss):
    net, X, Y = make_problem("tanh", output, loss, [3], 2, 1, 4, 1)
    assert not net.fused
    np.testing.assert_array_equal(net.gradients(X, Y).dW[0], net.gradients(X, Y, fused=False).dW[0])


def test_relu_kink_is_skipped_and_reported():
    """Hidden unit 0 has a pre-activation exactly at 0 on the first sample; unit 1 none."""
    net = Network([1, 2, 1], hidden="relu", output="identity", loss="mse", rng=0)
    net.weights[0][:] = [[1.0], [1.0]]
    net.biases[0][:] = [0.0, 0.5]
    X, Y = np.array([[0.0], [1.0]]), np.array([[0.5], [0.2]])
    report = check_network(net, X, Y)
    # Exactly b1[0] and W1[0] straddle (the nudge of W1[0] moves z only for x = 1, which
    # stays positive, so only b1[0] crosses): one coordinate, the one at the kink.
    assert report.kinks == 1, str(report)
    assert report.passed and not report.unchecked, str(report)
    assert "1 coordinate(s) straddled a ReLU kink" in str(report)


def test_an_array_with_every_coordinate_at_a_kink_is_reported_and_does_not_pass():
    """One hidden unit at z = 0: its only bias coordinate is skipped, so b1 is not compared at all."""
    net = Network([1, 1, 1], hidden="relu", output="identity", loss="mse", rng=0)
    net.weights[0][:] = 1.0
    net.biases[0][:] = 0.0
    X, Y = np.array([[0.0], [1.0]]), np.array([[0.5], [0.2]])
    report = check_network(net, X, Y)
    assert report.unchecked == ["b1"], str(report)
    assert np.isnan(report.errors["b1"]) and not report.passed
    assert "b1   NOT CHECKED" in str(report) and "FAILED" in str(report)
    net.biases[0][:] = 0.25  # away from the kink, the same network passes
    assert check_network(net, X, Y).passed


def test_float32_network_passes_its_own_threshold():
    net = Network([3, 4, 2], hidden="tanh", output="softmax", loss="cross_entropy", rng=3,
                  dtype=np.float32)
    X = np.random.default_rng(3).normal(size=(5, 3))
    report = check_network(net, X, [0, 1, 1, 0, 1])  # float32 defaults: eps 1e-2, threshold 1e-2
    assert report.dtype == "float32" and report.threshold == 1e-2
    assert report.passed, str(report)


def test_gradients_leave_the_parameters_alone():
    net, X, Y = make_problem("tanh", "sigmoid", "bce", [3, 2], 2, 1, 4, 7)
    before = [p.copy() for p in net.parameters()]
    check_network(net, X, Y)
    for p, q in zip(net.parameters(), before, strict=True):
        np.testing.assert_array_equal(p, q)
    assert relative_error(net.forward(X), Network(net.sizes, hidden="tanh", output="sigmoid",
                                                  loss="bce", rng=7).forward(X)) == 0.0
