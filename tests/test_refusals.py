"""A refused call says, word for word, what was wrong.

``tests/test_bad_input.py`` proves that each malformed call raises the right
error with a message that names the argument (a regular expression, which may
match part of the message). A mutation run found refusals whose wording could
change without any test noticing: a message cut short, turned to capitals,
naming another argument or another type. Each row here is one such call with
its whole message, compared as a string, so that a change of wording is a
decision taken in this file. A second test proves that a refused call leaves its
network, its generator and the arrays it was handed as they were.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

import numpy as np
import pytest

from nnlib import DivergenceError, Network, activations, gradcheck, init, losses, optim
from nnlib.network import Gradients

RNG_TYPES = "rng must be None, an int seed or a numpy.random.Generator (np.random.default_rng), got str"


def make_state() -> SimpleNamespace:
    """A network, data and arrays for one row; rows receive this namespace as ``n``."""
    X = np.random.default_rng(0).normal(size=(4, 2))
    return SimpleNamespace(
        X=X, Y=np.array([[0.0], [1.0], [1.0], [0.0]]),
        net=Network([2, 3, 1], rng=0),
        x=np.array([1.0, -2.0]),  # handed to numerical_gradient and the optimisers
    )


class _TransposedBackprop(Network):
    """A planted bug: ∂C/∂W^l returned transposed."""

    def gradients(self, X, Y, **kwargs):
        grads = super().gradients(X, Y, **kwargs)
        return Gradients([dW.T for dW in grads.dW], grads.db)


class _ForgetsLayerOne(Network):
    """A planted bug: the gradients of the first layer left out of the lists."""

    def gradients(self, X, Y, **kwargs):
        grads = super().gradients(X, Y, **kwargs)
        return Gradients(grads.dW[1:], grads.db[1:])


def row(id_, call, exc, message):
    return pytest.param(call, exc, message, id=id_)


CASES = [
    # --------------------------------------------------------------- Network
    row("Network: layer size None", lambda n: Network([2, None]),
        TypeError, "layer_sizes[1] must be a positive integer, got None (NoneType)"),
    row("Network: hidden is a number", lambda n: Network([2, 1], hidden=3),
        TypeError, "hidden activation must be a string, one of "
                   "['identity', 'linear', 'relu', 'sigmoid', 'softmax', 'tanh'], got int"),
    row("Network: softmax hidden", lambda n: Network([2, 3, 2], hidden="softmax"),
        ValueError, "hidden='softmax' is not supported: softmax is an output activation"),
    row("Network: softmax with one output", lambda n: Network([2, 1], output="softmax", loss="cross_entropy"),
        ValueError, "output='softmax' needs at least 2 output units; use 'sigmoid' for one"),
    row("Network: dtype is an unknown name", lambda n: Network([2, 1], dtype="banana"),
        TypeError, "dtype must be numpy.float32 or numpy.float64, got 'banana'"),
    row("Network: init returns NaN", lambda n: Network([2, 1], init=lambda o, i, r: np.full((o, i), np.nan)),
        ValueError, "init returned NaN or infinite weights for layer 1; initial weights must be finite"),
    row("forward: X has 3 columns", lambda n: n.net.forward(np.zeros((4, 3))),
        ValueError, "X has 3 columns but 2 are expected"),
    row("backward: before any forward pass", lambda n: n.net.backward(n.Y),
        ValueError, "no cached forward pass: call forward(X) before backward(Y)"),
    # ------------------------------------------------------------------- fit
    row("fit: epochs None", lambda n: n.net.fit(n.X, n.Y, None, lr=0.1),
        TypeError, "epochs must be a positive integer, got None (NoneType)"),
    row("fit: lr missing", lambda n: n.net.fit(n.X, n.Y, 1),
        TypeError, "fit needs a learning rate: fit(X, Y, epochs, lr=...)"),
    row("fit: lr and an optimizer", lambda n: n.net.fit(n.X, n.Y, 1, lr=0.1, optimizer=optim.SGD(0.1)),
        ValueError, "pass the learning rate either as lr or inside the optimizer, not both"),
    row("fit: callbacks is a number", lambda n: n.net.fit(n.X, n.Y, 1, lr=0.1, callbacks=5),
        TypeError, "callbacks must be a sequence of callables, got int"),
    # ---------------------------------------------------------------- losses
    row("mse: y is 3-D", lambda n: losses.mse(np.zeros((2, 2)), np.zeros((2, 2, 2))),
        ValueError, "y must be 1-D (m,) or 2-D (m, n_outputs), got shape (2, 2, 2)"),
    row("mse: 1-D y for two outputs", lambda n: losses.mse(np.zeros((3, 2)), np.zeros(3)),
        ValueError, "y has shape (3,) but y_hat has shape (3, 2); they must match"),
    row("bce: target 2", lambda n: losses.bce(np.full((3, 1), 0.5), np.full((3, 1), 2.0)),
        ValueError, "bce targets y must lie in [0, 1] (labels 0/1 or probabilities); found values from 2 to 2"),
    row("bce: prediction 1.5", lambda n: losses.bce(np.full((3, 1), 1.5), np.ones((3, 1))),
        ValueError, "bce predictions y_hat must lie in [0, 1]: use a sigmoid output"),
    row("cross_entropy: prediction below 0", lambda n: losses.cross_entropy([[1.5, -0.5]], [[1.0, 0.0]]),
        ValueError, "cross_entropy predictions y_hat must lie in [0, 1]: use a softmax output"),
    row("cross_entropy: y is text", lambda n: losses.cross_entropy([[0.5, 0.5]], [["a", "b"]]),
        TypeError, "y must contain numbers, got an array of dtype <U1"),
    row("cross_entropy: a single column", lambda n: losses.cross_entropy(np.full((3, 1), 0.7), [0, 0, 0]),
        ValueError, "cross_entropy needs at least 2 classes (columns of y_hat), got shape (3, 1); "
                    "for a single output use bce"),
    # ----------------------------------------------------------- activations
    row("softmax.derivative", lambda n: activations.softmax.derivative(n.X),
        TypeError, "softmax is not element-wise: use jacobian(z) or backward(z, grad)"),
    row("softmax.derivative_from_output", lambda n: activations.softmax.derivative_from_output(n.X),
        TypeError, "softmax is not element-wise: use jacobian(z) or backward(z, grad)"),
    # ------------------------------------------------------------------ init
    row("init.uniform: high is a string", lambda n: init.uniform(0, "1"),
        TypeError, "high must be a real number, got '1' (str)"),
    row("init.zeros: rng is a string", lambda n: init.zeros(2, 3, rng="seed"), TypeError, RNG_TYPES),
    row("init.ones: rng is a string", lambda n: init.ones(2, 3, rng="seed"), TypeError, RNG_TYPES),
    row("init.normal(): rng is a string", lambda n: init.normal()(2, 3, rng="seed"), TypeError, RNG_TYPES),
    row("init.uniform(): rng is a string", lambda n: init.uniform()(2, 3, rng="seed"), TypeError, RNG_TYPES),
    # ----------------------------------------------------------------- optim
    row("SGD.step: no gradient", lambda n: optim.SGD(0.1).step([n.x], []),
        ValueError, "grads has 0 arrays but params has 1; pass one gradient per parameter array"),
    # -------------------------------------------------------------- gradcheck
    row("numerical_gradient: x holds integers", lambda n: gradcheck.numerical_gradient(np.sum, np.arange(3)),
        TypeError, "x must be a floating-point numpy array (it is perturbed in place)"),
    row("numerical_gradient: x is empty", lambda n: gradcheck.numerical_gradient(np.sum, np.zeros((0, 2))),
        ValueError, "x is empty (shape (0, 2)); it needs at least one element"),
    row("numerical_gradient: x is a transposed view", lambda n: gradcheck.numerical_gradient(np.sum, np.ones((3, 4)).T),
        ValueError, "x must be contiguous so that it can be perturbed in place"),
    row("numerical_gradient: f returns two numbers", lambda n: gradcheck.numerical_gradient(lambda v: 2 * v, n.x),
        TypeError, "f must return a scalar (the loss), got an array of shape (2,)"),
    row("numerical_gradient: f returns text", lambda n: gradcheck.numerical_gradient(lambda v: "low", n.x),
        TypeError, "f must return a real scalar (the loss), got 'low'"),
    row("relative_error: a has NaN", lambda n: gradcheck.relative_error([np.nan, 1.0], [1.0, 1.0]),
        ValueError, "a contains 1 NaN or infinite value(s); clean the data first"),
    row("check_network: a gradient transposed",
        lambda n: gradcheck.check_network(_TransposedBackprop([2, 3, 1], rng=0), n.X, n.Y),
        ValueError, "net.gradients returned dW1 of shape (2, 3) but W1 has shape (3, 2); they must match"),
    row("check_network: a layer's gradients missing",
        lambda n: gradcheck.check_network(_ForgetsLayerOne([2, 3, 1], rng=0), n.X, n.Y),
        ValueError, "net.gradients returned 2 arrays for the 4 parameter arrays W1, b1, W2, b2; "
                    "it needs one per array"),
]


@pytest.mark.parametrize("call, exc, message", CASES)
def test_the_refusal_says_exactly_what_was_wrong(call, exc, message):
    with pytest.raises(exc) as info:
        call(make_state())
    assert str(info.value) == message


@pytest.mark.parametrize("call, exc, message", CASES)
def test_a_refused_call_changes_nothing(call, exc, message):
    n = make_state()
    params = [p.copy() for p in n.net.parameters()]
    state, x = n.net.rng.bit_generator.state, n.x.copy()
    with pytest.raises(exc):
        call(n)
    assert all(np.array_equal(p, q) for p, q in zip(n.net.parameters(), params, strict=True))
    assert n.net.rng.bit_generator.state == state
    np.testing.assert_array_equal(n.x, x)


def test_a_progress_bar_without_tqdm_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # `from tqdm.auto import tqdm` now fails
    n = make_state()
    params = [p.copy() for p in n.net.parameters()]
    with pytest.raises(ImportError) as info:
        n.net.fit(n.X, n.Y, 1, lr=0.1, progress=True)
    assert str(info.value) == "progress=True needs the tqdm package: pip install tqdm"
    assert all(np.array_equal(p, q) for p, q in zip(n.net.parameters(), params, strict=True))


def test_a_diverging_fit_names_the_epoch_and_suggests_a_tenth_of_the_learning_rate():
    net = Network([1, 1], output="identity", loss="mse", rng=0)
    net.weights[0][:] = 1.0
    X, Y = np.ones((2, 1)), np.zeros((2, 1))
    with pytest.raises(DivergenceError) as info:  # the first step throws W to about -1e300
        net.fit(X, Y, epochs=5, lr=1e300)
    assert str(info.value) == ("the loss became inf in epoch 2 (lr=1e+300): training stopped. The steps "
                               "overshoot; try a smaller learning rate, e.g. lr=1e+299.")
    assert info.value.epoch == 2 and info.value.history.loss == [0.5]  # C = ½ (1 − 0)²
