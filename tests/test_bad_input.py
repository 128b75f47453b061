"""Bad input gets a clear error and loses nothing.

Each row of ``CASES`` is a malformed call to a public entry point, the exception
it must raise and a regular expression that its message must match: the
message names the argument and says what was expected. A second test runs every
row again and proves that the refused call changed no parameter of any network
(nor its random generator), and no array handed to an optimiser or to
``numerical_gradient``.
"""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib  # noqa: E402
from nnlib import Network, Snapshots, activations, datasets, gradcheck, init, losses, optim  # noqa: E402
from nnlib import plotting as plot  # noqa: E402

NAN, INF = float("nan"), float("inf")


def make_nets() -> SimpleNamespace:
    """Fresh networks and data for one row; rows receive this namespace as ``n``."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 2))
    return SimpleNamespace(
        X=X,
        y=np.array([0, 1, 1, 0, 1]),
        Y=np.array([[0.0], [1.0], [1.0], [0.0], [1.0]]),
        labels=np.array([0, 1, 2, 1, 0]),
        mse=Network([2, 3, 1], hidden="tanh", output="sigmoid", loss="mse", rng=0),
        bce=Network([2, 3, 1], hidden="relu", output="sigmoid", loss="bce", rng=1),
        ce=Network([2, 4, 3], hidden="tanh", output="softmax", loss="cross_entropy", rng=2),
        wide=Network([2, 3, 2], output="identity", loss="mse", rng=3),
        params=[np.ones(3), np.ones((2, 2))],  # handed to optimisers and gradcheck
        grid=np.zeros((3, 2)),
    )


def after_forward(net, X, call):
    net.forward(X)
    return call(net)


def row(id_, call, exc, match):
    return pytest.param(call, exc, match, id=id_)


CASES = [
    # ------------------------------------------------------------- Network()
    row("Network: layer size is a float", lambda n: Network([2.0, 3, 1]),
        TypeError, r"layer_sizes\[0\] must be a positive integer, got 2\.0"),
    row("Network: layer size is 0", lambda n: Network([2, 0, 1]),
        ValueError, r"layer_sizes\[1\] must be a positive integer, got 0"),
    row("Network: layer size is negative", lambda n: Network([2, 3, -1]),
        ValueError, r"layer_sizes\[2\] must be a positive integer, got -1"),
    row("Network: layer sizes is a string", lambda n: Network("231"),
        TypeError, r"layer_sizes must be a sequence of positive integers"),
    row("Network: layer sizes is an int", lambda n: Network(3),
        TypeError, r"layer_sizes must be a sequence of positive integers"),
    row("Network: only one layer", lambda n: Network([2]),
        ValueError, r"layer_sizes needs at least 2 entries \(inputs and outputs\)"),
    row("Network: unknown hidden", lambda n: Network([2, 3, 1], hidden="swish"),
        ValueError, r"unknown hidden activation 'swish'; expected one of \[.*'relu'.*\]"),
    row("Network: hidden is a number", lambda n: Network([2, 3, 1], hidden=1),
        TypeError, r"hidden activation must be a string, one of"),
    row("Network: unknown output", lambda n: Network([2, 3, 1], output="step"),
        ValueError, r"unknown output activation 'step'; expected one of"),
    row("Network: softmax hidden", lambda n: Network([2, 3, 2], hidden="softmax"),
        ValueError, r"hidden='softmax' is not supported"),
    row("Network: unknown loss", lambda n: Network([2, 3, 1], loss="hinge"),
        ValueError, r"unknown loss 'hinge'; expected one of \[.*'mse'.*\]"),
    row("Network: unknown init", lambda n: Network([2, 3, 1], init="lecun"),
        ValueError, r"unknown init 'lecun'; expected one of \[.*'xavier'.*\]"),
    row("Network: init returns the transpose",
        lambda n: Network([2, 3, 1], init=lambda o, i, r: np.zeros((i, o))),
        ValueError, r"init returned shape \(2, 3\) for a layer that needs \(3, 2\)"),
    row("Network: init returns NaN",
        lambda n: Network([2, 3, 1], init=lambda o, i, r: np.full((o, i), NAN)),
        ValueError, r"init returned NaN or infinite weights for layer 1"),
    row("Network: init returns text", lambda n: Network([2, 3, 1], init=lambda o, i, r: "w"),
        TypeError, r"init must return an array of numbers of shape \(3, 2\)"),
    row("Network: rng is a string", lambda n: Network([2, 3, 1], rng="seed"),
        TypeError, r"rng must be None, an int seed or a numpy\.random\.Generator"),
    row("Network: rng is negative", lambda n: Network([2, 3, 1], rng=-1),
        ValueError, r"rng must be a non-negative integer seed, got -1"),
    row("Network: rng is a legacy RandomState",
        lambda n: Network([2, 3, 1], rng=np.random.RandomState(0)),
        TypeError, r"rng must be None, an int seed or a numpy\.random\.Generator.*RandomState"),
    row("Network: l2 is negative", lambda n: Network([2, 3, 1], l2=-0.1),
        ValueError, r"l2 must be >= 0, got -0\.1"),
    row("Network: l2 is a string", lambda n: Network([2, 3, 1], l2="0.1"),
        TypeError, r"l2 must be a real number, got '0\.1'"),
    row("Network: l2 is NaN", lambda n: Network([2, 3, 1], l2=NAN),
        ValueError, r"l2 must be finite, got nan"),
    row("Network: dtype int", lambda n: Network([2, 3, 1], dtype=int),
        ValueError, r"dtype must be float32 or float64, got int64"),
    row("Network: softmax with one output",
        lambda n: Network([2, 3, 1], output="softmax", loss="cross_entropy"),
        ValueError, r"output='softmax' needs at least 2 output units"),
    row("Network: cross_entropy without softmax",
        lambda n: Network([2, 3, 2], output="sigmoid", loss="cross_entropy"),
        ValueError, r"loss='cross_entropy' needs output='softmax', got output='sigmoid'"),
    row("Network: bce on a linear output",
        lambda n: Network([2, 3, 1], output="identity", loss="bce"),
        ValueError, r"loss='bce' needs outputs in \[0, 1\].*got output='identity'"),
    # --------------------------------------------------------------- forward
    row("forward: X has 3 columns", lambda n: n.mse.forward(np.zeros((4, 3))),
        ValueError, r"X has 3 columns but 2 are expected"),
    row("forward: X is one 1-D sample", lambda n: n.mse.forward(np.zeros(2)),
        ValueError, r"X is 1-D with 2 values but 2 columns are expected.*reshape\(1, -1\)"),
    row("forward: X is 3-D", lambda n: n.mse.forward(np.zeros((2, 2, 2))),
        ValueError, r"X must be 2-D \(n_samples, n_features\), got shape \(2, 2, 2\)"),
    row("forward: X has NaN", lambda n: n.mse.forward([[NAN, 0.0], [1.0, 2.0]]),
        ValueError, r"X contains 1 NaN or infinite value"),
    row("forward: X has inf", lambda n: n.mse.forward([[INF, -INF]]),
        ValueError, r"X contains 2 NaN or infinite value"),
    row("forward: X is empty", lambda n: n.mse.forward(np.zeros((0, 2))),
        ValueError, r"X is empty \(shape \(0, 2\)\); it needs at least one sample"),
    row("forward: X is text", lambda n: n.mse.forward([["a", "b"]]),
        TypeError, r"X must contain numbers"),
    row("forward: X is ragged", lambda n: n.mse.forward([[1.0, 2.0], [3.0]]),
        TypeError, r"X must be array-like of numbers"),
    row("forward: X is None", lambda n: n.mse.forward(None),
        TypeError, r"X must contain numbers"),
    row("forward: X is complex", lambda n: n.mse.forward(np.ones((2, 2), dtype=complex)),
        TypeError, r"X must be real"),
    # -------------------------------------------------------------- backward
    row("backward: before forward", lambda n: n.mse.backward(n.Y),
        ValueError, r"no cached forward pass: call forward\(X\) before backward\(Y\)"),
    row("backward: Y has too few rows",
        lambda n: after_forward(n.mse, n.X, lambda net: net.backward(n.Y[:3])),
        ValueError, r"Y has 3 samples \(rows\) but X has 5; they must match"),
    row("backward: Y has 2 columns",
        lambda n: after_forward(n.mse, n.X, lambda net: net.backward(np.zeros((5, 2)))),
        ValueError, r"Y has 2 columns but the network has 1 output"),
    row("backward: Y has inf",
        lambda n: after_forward(n.mse, n.X, lambda net: net.backward(np.full((5, 1), INF))),
        ValueError, r"Y contains 5 NaN or infinite value"),
    row("backward: fused on a non-canonical pair",
        lambda n: after_forward(n.mse, n.X, lambda net: net.backward(n.Y, fused=True)),
        ValueError, r"fused=True needs a canonical output/loss pair"),
    row("backward: fused is a string",
        lambda n: after_forward(n.bce, n.X, lambda net: net.backward(n.Y, fused="no")),
        TypeError, r"fused must be None, True or False, got 'no'"),
    row("gradients: fused is a number", lambda n: n.bce.gradients(n.X, n.Y, fused=1),
        TypeError, r"fused must be None, True or False, got 1"),
    # ------------------------------------------------------------- gradients
    row("gradients: bce target 2", lambda n: n.bce.gradients(n.X, 2 * n.Y),
        ValueError, r"Y must lie in \[0, 1\] for loss='bce'; found values from 0 to 2"),
    row("gradients: bce target -1", lambda n: n.bce.gradients(n.X, -n.Y),
        ValueError, r"Y must lie in \[0, 1\] for loss='bce'"),
    row("gradients: class label 3 of 3 classes", lambda n: n.ce.gradients(n.X, [0, 1, 2, 3, 0]),
        ValueError, r"Y class labels must lie in 0\.\.2, found 0\.\.3"),
    row("gradients: negative class label", lambda n: n.ce.gradients(n.X, [0, -1, 2, 1, 0]),
        ValueError, r"Y class labels must lie in 0\.\.2, found -1\.\.2"),
    row("gradients: fractional class label", lambda n: n.ce.gradients(n.X, [0, 0.5, 2, 1, 0]),
        ValueError, r"Y class labels must be integers 0\.\.2"),
    row("gradients: rows that are not one-hot", lambda n: n.ce.gradients(n.X, np.ones((5, 3))),
        ValueError, r"Y rows must be one-hot"),
    row("gradients: one-hot of the wrong width",
        lambda n: n.ce.gradients(n.X, np.eye(4)[[0, 1, 2, 3, 0]]),
        ValueError, r"Y must be integer labels of shape \(m,\) or one-hot of shape \(m, 3\)"),
    row("gradients: labels for too few samples", lambda n: n.ce.gradients(n.X, [0, 1, 2]),
        ValueError, r"Y has 3 samples \(rows\) but X has 5"),
    row("gradients: Y has NaN", lambda n: n.mse.gradients(n.X, np.full((5, 1), NAN)),
        ValueError, r"Y contains 5 NaN or infinite value"),
    # ------------------------------------------------------------------ loss
    row("loss: Y has too few rows", lambda n: n.mse.loss(n.X, n.Y[:2]),
        ValueError, r"Y has 2 samples \(rows\) but X has 5"),
    row("loss: 1-D Y for two outputs", lambda n: n.wide.loss(n.X, np.zeros(5)),
        ValueError, r"Y has 1 columns but the network has 2 output"),
    row("loss: X is empty", lambda n: n.mse.loss(np.zeros((0, 2)), np.zeros((0, 1))),
        ValueError, r"X is empty"),
    # --------------------------------------------------------------- predict
    row("predict: X has 5 columns", lambda n: n.ce.predict(np.zeros((3, 5))),
        ValueError, r"X has 5 columns but 2 are expected"),
    row("predict: X has NaN", lambda n: n.bce.predict([[0.0, NAN]]),
        ValueError, r"X contains 1 NaN or infinite value"),
    # -------------------------------------------------------------- accuracy
    row("accuracy: y has too few rows", lambda n: n.bce.accuracy(n.X, n.y[:3]),
        ValueError, r"X has 5 samples \(rows\) but y has 3; they must match"),
    row("accuracy: class label out of range", lambda n: n.ce.accuracy(n.X, [0, 1, 5, 0, 0]),
        ValueError, r"y class labels must lie in 0\.\.2, found 0\.\.5"),
    row("accuracy: y has NaN", lambda n: n.bce.accuracy(n.X, np.full(5, NAN)),
        ValueError, r"y contains 5 NaN or infinite value"),
    row("accuracy: 2 columns for 1 output", lambda n: n.bce.accuracy(n.X, np.zeros((5, 2))),
        ValueError, r"y has 2 columns but 1 are expected"),
    # ------------------------------------------------------------------- fit
    row("fit: epochs 0", lambda n: n.mse.fit(n.X, n.Y, 0, lr=0.1),
        ValueError, r"epochs must be a positive integer, got 0"),
    row("fit: epochs -5", lambda n: n.mse.fit(n.X, n.Y, -5, lr=0.1),
        ValueError, r"epochs must be a positive integer, got -5"),
    row("fit: epochs 2.5", lambda n: n.mse.fit(n.X, n.Y, 2.5, lr=0.1),
        TypeError, r"epochs must be a positive integer, got 2\.5 \(float\)"),
    row("fit: epochs is a string", lambda n: n.mse.fit(n.X, n.Y, "10", lr=0.1),
        TypeError, r"epochs must be a positive integer, got '10' \(str\)"),
    row("fit: epochs True", lambda n: n.mse.fit(n.X, n.Y, True, lr=0.1),
        TypeError, r"epochs must be a positive integer, got True \(bool\)"),
    row("fit: lr 0", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0),
        ValueError, r"lr must be > 0, got 0\.0"),
    row("fit: lr negative", lambda n: n.mse.fit(n.X, n.Y, 1, lr=-0.5),
        ValueError, r"lr must be > 0, got -0\.5"),
    row("fit: lr NaN", lambda n: n.mse.fit(n.X, n.Y, 1, lr=NAN),
        ValueError, r"lr must be finite, got nan"),
    row("fit: lr inf", lambda n: n.mse.fit(n.X, n.Y, 1, lr=INF),
        ValueError, r"lr must be finite, got inf"),
    row("fit: lr is a string", lambda n: n.mse.fit(n.X, n.Y, 1, lr="0.1"),
        TypeError, r"lr must be a real number, got '0\.1' \(str\)"),
    row("fit: lr missing", lambda n: n.mse.fit(n.X, n.Y, 1),
        TypeError, r"fit needs a learning rate: fit\(X, Y, epochs, lr=\.\.\.\)"),
    row("fit: lr and an optimizer",
        lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, optimizer=optim.SGD(0.1)),
        ValueError, r"pass the learning rate either as lr or inside the optimizer, not both"),
    row("fit: batch_size 0", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, batch_size=0),
        ValueError, r"batch_size must be a positive integer, got 0"),
    row("fit: batch_size -2", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, batch_size=-2),
        ValueError, r"batch_size must be a positive integer, got -2"),
    row("fit: batch_size 2.0", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, batch_size=2.0),
        TypeError, r"batch_size must be a positive integer, got 2\.0 \(float\)"),
    row("fit: unknown optimizer", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, optimizer="adam"),
        ValueError, r"unknown optimizer 'adam'; expected one of \['momentum', 'sgd'\]"),
    row("fit: optimizer is a number", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, optimizer=3),
        TypeError, r"optimizer must be a string, one of \['momentum', 'sgd'\]"),
    row("fit: rng is a float", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, rng=0.5),
        TypeError, r"rng must be None, an int seed or a numpy\.random\.Generator.*float"),
    row("fit: callback is not callable", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, callbacks=[3]),
        TypeError, r"callbacks\[0\] must be callable, got int"),
    row("fit: a bare callback", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, callbacks=print),
        TypeError, r"callbacks must be a sequence of callables; wrap a single one in a list"),
    row("fit: progress is a string", lambda n: n.mse.fit(n.X, n.Y, 1, lr=0.1, progress="yes"),
        TypeError, r"progress must be True or False, got 'yes'"),
    row("fit: Y has too few rows", lambda n: n.mse.fit(n.X, n.Y[:3], 1, lr=0.1),
        ValueError, r"Y has 3 samples \(rows\) but X has 5"),
    row("fit: bce target 3", lambda n: n.bce.fit(n.X, 3 * n.Y, 1, lr=0.1),
        ValueError, r"Y must lie in \[0, 1\] for loss='bce'"),
    row("fit: class label 7", lambda n: n.ce.fit(n.X, [0, 1, 7, 1, 0], 1, lr=0.1),
        ValueError, r"Y class labels must lie in 0\.\.2, found 0\.\.7"),
    row("fit: X has NaN", lambda n: n.mse.fit(np.full((5, 2), NAN), n.Y, 1, lr=0.1),
        ValueError, r"X contains 10 NaN or infinite value"),
    row("fit: X is empty", lambda n: n.mse.fit(np.zeros((0, 2)), np.zeros((0, 1)), 1, lr=0.1),
        ValueError, r"X is empty"),
    # ---------------------------------------------------------------- losses
    row("losses.get: unknown name", lambda n: losses.get("l1"),
        ValueError, r"unknown loss 'l1'; expected one of"),
    row("losses.get: a number", lambda n: losses.get(3),
        TypeError, r"loss must be a string, one of"),
    row("mse: shapes differ", lambda n: losses.mse(np.zeros((3, 2)), np.zeros((3, 1))),
        ValueError, r"y has shape \(3, 1\) but y_hat has shape \(3, 2\); they must match"),
    row("mse: y has NaN", lambda n: losses.mse(np.zeros((3, 1)), np.full((3, 1), NAN)),
        ValueError, r"y contains 3 NaN or infinite value"),
    row("mse: y_hat is empty", lambda n: losses.mse(np.zeros((0, 1)), np.zeros((0, 1))),
        ValueError, r"y_hat is empty"),
    row("mse: y_hat is 3-D", lambda n: losses.mse(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))),
        ValueError, r"y_hat must be 1-D \(m,\) or 2-D \(m, n_outputs\), got shape \(2, 2, 2\)"),
    row("mse.gradient: y_hat is text", lambda n: losses.mse.gradient([["a"]], [[1.0]]),
        TypeError, r"y_hat must contain numbers"),
    row("bce: target 2", lambda n: losses.bce(np.full((3, 1), 0.5), np.full((3, 1), 2.0)),
        ValueError, r"bce targets y must lie in \[0, 1\].*found values from 2 to 2"),
    row("bce: prediction 1.5", lambda n: losses.bce(np.full((3, 1), 1.5), np.ones((3, 1))),
        ValueError, r"bce predictions y_hat must lie in \[0, 1\]"),
    row("cross_entropy: label 2 of 2 classes",
        lambda n: losses.cross_entropy(np.full((3, 2), 0.5), [0, 1, 2]),
        ValueError, r"y class labels must lie in 0\.\.1, found 0\.\.2"),
    row("cross_entropy: 1-D y_hat", lambda n: losses.cross_entropy(np.full(3, 0.5), [0, 1, 1]),
        ValueError, r"cross_entropy needs y_hat of shape \(m, n_classes\), got \(3,\)"),
    row("cross_entropy.gradient: too few labels",
        lambda n: losses.cross_entropy.gradient(np.full((3, 2), 0.5), [0, 1]),
        ValueError, r"y has 2 samples but y_hat has 3"),
    row("cross_entropy: negative prediction",
        lambda n: losses.cross_entropy(np.full((3, 2), -0.5), [0, 1, 1]),
        ValueError, r"cross_entropy predictions y_hat must lie in \[0, 1\]"),
    # ----------------------------------------------------------- activations
    row("activations.get: unknown name", lambda n: activations.get("swish"),
        ValueError, r"unknown activation 'swish'; expected one of \[.*'sigmoid'.*\]"),
    row("activations.get: None", lambda n: activations.get(None),
        TypeError, r"activation must be a string, one of .* got NoneType"),
    row("softmax.derivative: not element-wise", lambda n: activations.softmax.derivative(n.grid),
        TypeError, r"softmax is not element-wise: use jacobian\(z\) or backward\(z, grad\)"),
    # ------------------------------------------------------------------ init
    row("init.get: unknown name", lambda n: init.get("lecun"),
        ValueError, r"unknown init 'lecun'; expected one of"),
    row("init.get: a number", lambda n: init.get(5),
        TypeError, r"init must be a string, one of"),
    row("init.normal: negative scale", lambda n: init.normal(-1),
        ValueError, r"scale must be > 0, got -1\.0"),
    row("init.normal: scale is a string", lambda n: init.normal("big"),
        TypeError, r"scale must be a real number, got 'big'"),
    row("init.uniform: low above high", lambda n: init.uniform(1, 0),
        ValueError, r"uniform needs finite low < high, got low=1, high=0"),
    row("init.uniform: low is a string", lambda n: init.uniform("a", 1),
        TypeError, r"low must be a real number, got 'a'"),
    row("init.xavier: n_out 0", lambda n: init.xavier(0, 3, np.random.default_rng(0)),
        ValueError, r"n_out must be a positive integer, got 0"),
    row("init.he: n_in 0", lambda n: init.he(3, 0, np.random.default_rng(0)),
        ValueError, r"n_in must be a positive integer, got 0"),
    row("init.xavier: n_in 2.5", lambda n: init.xavier(3, 2.5, np.random.default_rng(0)),
        TypeError, r"n_in must be a positive integer, got 2\.5"),
    row("init.he: rng is a string", lambda n: init.he(3, 3, "seed"),
        TypeError, r"rng must be None, an int seed or a numpy\.random\.Generator"),
    # ----------------------------------------------------------------- optim
    row("SGD: lr 0", lambda n: optim.SGD(0),
        ValueError, r"lr must be > 0, got 0\.0"),
    row("SGD: lr is a string", lambda n: optim.SGD("fast"),
        TypeError, r"lr must be a real number, got 'fast'"),
    row("Momentum: beta 1", lambda n: optim.Momentum(0.1, beta=1),
        ValueError, r"beta must be in \[0, 1\), got 1\.0"),
    row("Momentum: beta negative", lambda n: optim.Momentum(0.1, beta=-0.1),
        ValueError, r"beta must be >= 0, got -0\.1"),
    row("optim.get: unknown name", lambda n: optim.get("adam", 0.1),
        ValueError, r"unknown optimizer 'adam'; expected one of"),
    row("SGD.step: gradient of the wrong shape",
        lambda n: optim.SGD(0.1).step(n.params, [np.ones(3), np.ones((2, 3))]),
        ValueError, r"grads\[1\] has shape \(2, 3\) but params\[1\] has shape \(2, 2\)"),
    row("Momentum.step: one gradient missing",
        lambda n: optim.Momentum(0.1).step(n.params, [np.ones(3)]),
        ValueError, r"grads has 1 arrays but params has 2"),
    row("SGD.step: a list instead of an array",
        lambda n: optim.SGD(0.1).step(n.params, [[1.0, 1.0, 1.0], np.ones((2, 2))]),
        TypeError, r"params\[0\] and grads\[0\] must be numpy arrays"),
    # ------------------------------------------------------------- gradcheck
    row("numerical_gradient: eps 0",
        lambda n: gradcheck.numerical_gradient(lambda v: 0.0, n.params[0], eps=0),
        ValueError, r"eps must be > 0, got 0\.0"),
    row("numerical_gradient: eps is a string",
        lambda n: gradcheck.numerical_gradient(lambda v: 0.0, n.params[0], eps="tiny"),
        TypeError, r"eps must be a real number, got 'tiny'"),
    row("numerical_gradient: f is not callable",
        lambda n: gradcheck.numerical_gradient(3.0, n.params[0]),
        TypeError, r"f must be callable, got float"),
    row("numerical_gradient: x is a list",
        lambda n: gradcheck.numerical_gradient(lambda v: 0.0, [1.0, 2.0]),
        TypeError, r"x must be a floating-point numpy array"),
    row("numerical_gradient: x holds integers",
        lambda n: gradcheck.numerical_gradient(lambda v: 0.0, np.arange(3)),
        TypeError, r"x must be a floating-point numpy array"),
    row("numerical_gradient: f returns an array",
        lambda n: gradcheck.numerical_gradient(lambda v: v * 2, n.params[0]),
        TypeError, r"f must return a scalar \(the loss\), got an array of shape \(3,\)"),
    row("relative_error: shapes differ",
        lambda n: gradcheck.relative_error(np.zeros(3), np.zeros(4)),
        ValueError, r"a and b must have the same shape, got \(3,\) and \(4,\)"),
    row("relative_error: NaN", lambda n: gradcheck.relative_error(np.zeros(2), [1.0, NAN]),
        ValueError, r"b contains 1 NaN or infinite value"),
    row("check_network: eps negative",
        lambda n: gradcheck.check_network(n.mse, n.X, n.Y, eps=-1e-6),
        ValueError, r"eps must be > 0"),
    row("check_network: threshold 0",
        lambda n: gradcheck.check_network(n.mse, n.X, n.Y, threshold=0),
        ValueError, r"threshold must be > 0, got 0\.0"),
    row("check_network: not a network", lambda n: gradcheck.check_network("net", n.X, n.Y),
        TypeError, r"net must be an nnlib Network, got str"),
    row("check_network: Y has too few rows", lambda n: gradcheck.check_network(n.ce, n.X, [0, 1]),
        ValueError, r"Y has 2 samples \(rows\) but X has 5"),
    # -------------------------------------------------------------- datasets
    row("circle: n 0", lambda n: datasets.circle(0),
        ValueError, r"n must be a positive integer, got 0"),
    row("circle: n 10.5", lambda n: datasets.circle(10.5),
        TypeError, r"n must be a positive integer, got 10\.5"),
    row("circle: radius negative", lambda n: datasets.circle(10, radius=-1),
        ValueError, r"radius must be > 0, got -1\.0"),
    row("circle: radius is a string", lambda n: datasets.circle(10, radius="big"),
        TypeError, r"radius must be a real number, got 'big'"),
    row("circle: rng is a string", lambda n: datasets.circle(10, rng="seed"),
        TypeError, r"rng must be None, an int seed or a numpy\.random\.Generator"),
    row("moons: noise negative", lambda n: datasets.moons(10, noise=-0.1),
        ValueError, r"noise must be >= 0, got -0\.1"),
    row("moons: n 1", lambda n: datasets.moons(1),
        ValueError, r"n must be at least 2 \(one point per moon\), got 1"),
    row("moons: rng negative", lambda n: datasets.moons(10, rng=-1),
        ValueError, r"rng must be a non-negative integer seed, got -1"),
    row("moons: rng too large for make_moons", lambda n: datasets.moons(10, rng=2**32),
        ValueError, r"rng must be an int seed below 2\*\*32 for make_moons, got 4294967296"),
    row("moons: rng is a legacy RandomState", lambda n: datasets.moons(10, rng=np.random.RandomState(0)),
        TypeError, r"rng must be None, an int seed or a numpy\.random\.Generator.*RandomState"),
    row("moons: n is a tuple", lambda n: datasets.moons((5, 5)),
        TypeError, r"n must be a positive integer, got \(5, 5\)"),
    row("rings: n 1", lambda n: datasets.rings(1),
        ValueError, r"n must be at least 2 \(one point per class\), got 1"),
    row("spirals: turns 0", lambda n: datasets.spirals(10, turns=0),
        ValueError, r"turns must be > 0, got 0\.0"),
    row("surface: noise is a string", lambda n: datasets.surface(10, noise="a lot"),
        TypeError, r"noise must be a real number, got 'a lot'"),
    row("sine: n negative", lambda n: datasets.sine(-5),
        ValueError, r"n must be a positive integer, got -5"),
    row("sine: rng negative", lambda n: datasets.sine(5, rng=-3),
        ValueError, r"rng must be a non-negative integer seed, got -3"),
    # -------------------------------------------------------------- plotting
    row("plot_data: X has 3 columns", lambda n: plot.plot_data(np.zeros((3, 3)), [0, 1, 0]),
        ValueError, r"X has 3 columns but 2 are expected"),
    row("plot_data: y too short", lambda n: plot.plot_data(n.grid, [0, 1]),
        ValueError, r"y has 2 labels but X has 3 rows"),
    row("plot_data: fractional label", lambda n: plot.plot_data(n.grid, [0, 0.5, 1]),
        ValueError, r"y must hold integer class labels 0, 1, 2, \.\.\.; found 0\.5"),
    row("plot_data: negative label", lambda n: plot.plot_data(n.grid, [0, -1, 1]),
        ValueError, r"y must hold integer class labels 0, 1, 2, \.\.\.; found -1"),
    row("plot_decision_boundary: resolution 0",
        lambda n: plot.plot_decision_boundary(n.bce, n.grid, resolution=0),
        ValueError, r"resolution must be a positive integer, got 0"),
    row("plot_decision_boundary: model is a number",
        lambda n: plot.plot_decision_boundary(3, n.grid),
        TypeError, r"model must be a Network or a callable grid -> values, got int"),
    row("plot_decision_boundary: X has 1 column",
        lambda n: plot.plot_decision_boundary(n.bce, np.zeros((3, 1))),
        ValueError, r"X has 1 columns but 2 are expected"),
    row("plot_losses: a number", lambda n: plot.plot_losses(3),
        TypeError, r"histories must be a History, a list of losses, or a dict of them, got int"),
    row("plot_losses: a string", lambda n: plot.plot_losses("loss"),
        TypeError, r"histories must be a History, a list of losses.*got a string"),
    row("plot_losses: empty list", lambda n: plot.plot_losses([]),
        ValueError, r"histories is empty"),
    row("plot_losses: NaN loss", lambda n: plot.plot_losses([1.0, NAN]),
        ValueError, r"the losses of 'training loss' contains 1 NaN or infinite value"),
    row("plot_losses: zero on a log scale", lambda n: plot.plot_losses({"a": [1.0, 0.0]}),
        ValueError, r"cannot be drawn on a log scale; pass log=False"),
    row("plot_boundary_evolution: no snapshots",
        lambda n: plot.plot_boundary_evolution({}, n.grid, [0, 1, 0]),
        ValueError, r"snapshots is empty: pass Snapshots\(at=\[\.\.\.\]\) to fit's callbacks"),
    row("plot_boundary_evolution: ncols 0",
        lambda n: plot.plot_boundary_evolution({0: n.bce}, n.grid, [0, 1, 0], ncols=0),
        ValueError, r"ncols must be a positive integer, got 0"),
    row("plot_boundary_evolution: snapshots is a number",
        lambda n: plot.plot_boundary_evolution(5, n.grid, [0, 1, 0]),
        TypeError, r"snapshots must be a Snapshots callback or a dict epoch -> Network, got int"),
    # ------------------------------------------------------------- Snapshots
    row("Snapshots: at is an int", lambda n: Snapshots(5),
        TypeError, r"Snapshots needs an iterable of epochs \(e\.g\. at=\[0, 10, 100\]\), got 5"),
    row("Snapshots: negative epoch", lambda n: Snapshots([0, -1]),
        ValueError, r"Snapshots epochs must be non-negative integers, got -1"),
    row("Snapshots: fractional epoch", lambda n: Snapshots([1.5]),
        ValueError, r"Snapshots epochs must be non-negative integers, got 1\.5"),
]


@pytest.fixture
def n():
    nets = make_nets()
    yield nets
    plt.close("all")


def test_the_table_is_big_and_its_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("call, exc, match", CASES)
def test_bad_input_raises_a_clear_error(n, call, exc, match):
    with pytest.raises(exc, match=match):
        call(n)


def _state(nets: SimpleNamespace) -> list:
    """Copies of everything a refused call must leave alone."""
    saved = []
    for net in (nets.mse, nets.bce, nets.ce, nets.wide):
        saved.append(([W.copy() for W in net.weights], [b.copy() for b in net.biases],
                      net.weights, net.biases, list(net.weights), list(net.biases),
                      net.rng.bit_generator.state, net.zs, list(net.activations)))
    saved.append([p.copy() for p in nets.params])
    return saved


@pytest.mark.parametrize("call, exc, match", CASES)
def test_refused_call_changes_nothing(n, call, exc, match, request):
    setup_runs_forward = request.node.callspec.id.startswith("backward:")  # see after_forward
    before, figures = _state(n), plt.get_fignums()
    with pytest.raises(exc):
        call(n)
    after = _state(n)
    assert plt.get_fignums() == figures  # a refused plot draws nothing
    for old, new in zip(before[:-1], after[:-1], strict=True):
        (W0, b0, wl, bl, wids, bids, rng0, zs0, A0), (W1, b1, wl1, bl1, _, _, rng1, zs1, A1) = old, new
        assert wl is wl1 and bl is bl1  # the same live lists ...
        assert all(a is b for a, b in zip(wids, wl1, strict=True))  # ... holding the same arrays
        assert all(a is b for a, b in zip(bids, bl1, strict=True))
        for a, b in zip(W0 + b0, W1 + b1, strict=True):
            np.testing.assert_array_equal(a, b)
        assert rng0 == rng1  # no random number was drawn
        if not setup_runs_forward:  # nor was a forward pass run: the cache is the one before
            assert zs0 is zs1 and len(A0) == len(A1) and all(a is b for a, b in zip(A0, A1, strict=True))
    for a, b in zip(before[-1], after[-1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_numerical_gradient_restores_x_when_f_fails():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) == 4:  # fails on element 1's minus-nudge
            raise RuntimeError("boom")
        return float(np.sum(v))

    with pytest.raises(RuntimeError, match="boom"):
        gradcheck.numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_a_refused_fit_leaves_the_network_exactly_reusable():
    nets = make_nets()
    twin = nets.mse.copy()
    with pytest.raises(ValueError):
        nets.mse.fit(nets.X, nets.Y, 3, lr=-1)
    h1 = nets.mse.fit(nets.X, nets.Y, 3, lr=0.1, batch_size=2)
    h2 = twin.fit(nets.X, nets.Y, 3, lr=0.1, batch_size=2)
    assert h1.loss == h2.loss


def test_rows_cover_every_entry_point():
    text = " ".join(case.id for case in CASES)
    for entry in ["Network:", "forward:", "backward:", "gradients:", "loss:", "predict:",
                  "accuracy:", "fit:", "losses.get:", "activations.get:", "init.", "SGD",
                  "numerical_gradient:", "check_network:", "circle:", "plot_"]:
        assert entry in text, entry
    assert nnlib.DivergenceError.__mro__[1] is FloatingPointError
