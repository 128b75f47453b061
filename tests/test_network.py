"""Network: shapes, the forward pass and its cache, predict, accuracy, copies, fit's contract."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib
from nnlib import DivergenceError, Network, optim


@pytest.fixture
def data(rng):
    return rng.normal(size=(6, 3)), rng.uniform(0, 1, size=(6, 2))


def test_parameter_shapes_follow_the_book():
    net = Network([3, 5, 4, 2], rng=0)
    assert [W.shape for W in net.weights] == [(5, 3), (4, 5), (2, 4)]
    assert [b.shape for b in net.biases] == [(5,), (4,), (2,)]
    assert all(np.all(b == 0) for b in net.biases)
    assert net.n_layers == 3
    assert net.n_params == 5 * 3 + 5 + 4 * 5 + 4 + 2 * 4 + 2
    assert [p.shape for p in net.parameters()] == [(5, 3), (5,), (4, 5), (4,), (2, 4), (2,)]


def test_forward_is_z_equals_a_prev_at_w_transpose_plus_b(data):
    X, _ = data
    net = Network([3, 4, 2], hidden="tanh", output="identity", rng=1)
    out = net.forward(X)
    W1, W2 = net.weights
    b1, b2 = net.biases
    expected = np.tanh(X @ W1.T + b1) @ W2.T + b2
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    assert net.zs[0] is None
    np.testing.assert_array_equal(net.activations[0], X)
    np.testing.assert_allclose(net.zs[1], X @ W1.T + b1, rtol=1e-12)
    np.testing.assert_allclose(net.activations[1], np.tanh(net.zs[1]), rtol=1e-12)
    assert len(net.zs) == len(net.activations) == 3


def test_parameters_are_live(data):
    X, _ = data
    net = Network([3, 2, 1], output="identity", rng=2)
    before = net.forward(X).copy()
    net.biases[-1][0] += 1.0  # in place: the network sees it
    np.testing.assert_allclose(net.forward(X), before + 1.0, rtol=1e-12)


def test_copy_is_independent(data):
    X, Y = data
    net = Network([3, 4, 2], rng=3)
    twin = net.copy()
    twin.weights[0][:] = 0.0
    assert not np.all(net.weights[0] == 0)
    np.testing.assert_array_equal(Network([3, 4, 2], rng=3).forward(X), net.forward(X))


def test_one_dimensional_targets_are_one_column(rng):
    X = rng.normal(size=(5, 2))
    y = rng.integers(0, 2, size=5)
    net = Network([2, 3, 1], loss="bce", rng=0)
    assert net.loss(X, y) == net.loss(X, y.reshape(-1, 1))


@pytest.mark.parametrize("output, loss, expected_shape, expected_values", [
    ("sigmoid", "bce", (4, 1), {0, 1}),
    ("softmax", "cross_entropy", (4,), {0, 1, 2}),
    ("identity", "mse", (4, 1), None),
    ("sigmoid", "mse", (4, 1), None),
])
def test_predict(output, loss, expected_shape, expected_values, rng):
    X = rng.normal(size=(4, 2))
    n_out = 3 if output == "softmax" else 1
    net = Network([2, 3, n_out], output=output, loss=loss, rng=0)
    pred = net.predict(X)
    assert pred.shape == expected_shape
    if expected_values is None:
        np.testing.assert_array_equal(pred, net.forward(X))  # raw outputs
    else:
        assert set(np.unique(pred)) <= expected_values
        assert np.issubdtype(pred.dtype, np.integer)


def test_accuracy_reads_labels_and_one_hot(rng):
    X = rng.normal(size=(8, 2))
    net = Network([2, 4, 3], output="softmax", loss="cross_entropy", rng=0)
    labels = net.predict(X)
    assert net.accuracy(X, labels) == 1.0
    assert net.accuracy(X, np.eye(3)[labels]) == 1.0
    assert net.accuracy(X, (labels + 1) % 3) == 0.0
    binary = Network([2, 3, 1], loss="bce", rng=0)
    assert binary.accuracy(X, binary.predict(X)[:, 0]) == 1.0


def test_fused_property_and_repr():
    assert Network([2, 1], output="sigmoid", loss="bce").fused
    assert Network([2, 2], output="softmax", loss="cross_entropy").fused
    assert Network([2, 1], output="identity", loss="mse").fused
    assert not Network([2, 1], output="sigmoid", loss="mse").fused
    text = repr(Network([2, 3, 1], hidden="relu", loss="bce", l2=0.01, rng=0))
    assert text == "Network(2-3-1, hidden=relu, output=sigmoid, loss=bce, P=13, l2=0.01)"


def test_activation_and_loss_objects_are_accepted():
    net = Network([2, 2, 2], hidden=nnlib.activations.tanh, output=nnlib.activations.softmax,
                  loss=nnlib.losses.cross_entropy, init=nnlib.init.he, rng=0)
    assert (net.hidden.name, net.output.name, net.loss_fn.name) == ("tanh", "softmax",
                                                                    "cross_entropy")


def test_float32_network_computes_in_float32(rng):
    net = Network([2, 3, 1], rng=0, dtype=np.float32)
    assert all(W.dtype == np.float32 for W in net.weights)
    assert net.forward(rng.normal(size=(4, 2))).dtype == np.float32


# ----------------------------------------------------------------------- fit
def test_fit_returns_a_history_and_lowers_the_loss(data):
    X, Y = data
    net = Network([3, 4, 2], hidden="tanh", output="sigmoid", loss="bce", rng=0)
    start = net.loss(X, Y)
    history = net.fit(X, Y, epochs=50, lr=0.5)
    assert len(history) == 50 and history.lr == 0.5 and history.batch_size == 6
    assert history.loss[0] == pytest.approx(start, rel=1e-12)  # full batch: loss before step 1
    assert history.final_loss < start


@pytest.mark.parametrize("hidden, output, loss", [
    ("sigmoid", "sigmoid", "bce"), ("tanh", "softmax", "cross_entropy"),
    ("relu", "identity", "mse"), ("sigmoid", "sigmoid", "mse"), ("tanh", "softmax", "mse")])
@pytest.mark.parametrize("n, batch_size", [(40, 16), (1300, None), (2100, 1200)],
                         ids=["small batches", "tall full batch", "tall batches + a short one"])
def test_fit_computes_what_gradients_computes(hidden, output, loss, n, batch_size):
    # fit's fast path (reused work arrays, column-major for tall batches, in-place
    # updates) must take the very steps that the plain forward/backward of the book give.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 3))
    Y = rng.uniform(0, 1, size=(n, 2))
    if loss == "cross_entropy":
        Y = rng.integers(0, 2, size=n)
    net = Network([3, 5, 4, 2], hidden=hidden, output=output, loss=loss, rng=0, l2=1e-3)
    ref = net.copy()
    history = net.fit(X, Y, epochs=3, lr=0.05, batch_size=batch_size, rng=np.random.default_rng(9))

    shuffle = np.random.default_rng(9)
    m = n if batch_size is None else batch_size
    expected = []
    for _ in range(3):
        order = np.arange(n) if batch_size is None else shuffle.permutation(n)
        total = 0.0
        for start in range(0, n, m):
            rows = order[start:start + m]
            total += ref.loss(X[rows], Y[rows]) * len(rows)
            grads = ref.gradients(X[rows], Y[rows])
            steps = grads.flat()
            for p, g in zip(ref.parameters(), steps, strict=True):
                p -= 0.05 * g
        expected.append(total / n)
    np.testing.assert_allclose(history.loss, expected, rtol=1e-12)
    for p, q in zip(net.parameters(), ref.parameters(), strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-13)


def test_fit_with_an_optimizer_object(data):
    X, Y = data
    net = Network([3, 4, 2], rng=0)
    history = net.fit(X, Y, epochs=5, optimizer=optim.Momentum(0.1, beta=0.5), batch_size=4)
    assert history.lr == 0.1 and history.batch_size == 4 and len(history) == 5


def test_batch_size_larger_than_the_data_is_the_full_batch(data):
    X, Y = data
    a, b = Network([3, 2, 2], rng=0), Network([3, 2, 2], rng=0)
    assert a.fit(X, Y, 3, lr=0.1, batch_size=100).loss == b.fit(X, Y, 3, lr=0.1).loss


def test_callbacks_are_called_and_can_stop_training(data):
    X, Y = data
    seen = []

    def record(epoch, net, loss):
        seen.append((epoch, loss))
        return epoch == 3  # True stops training

    history = Network([3, 2, 2], rng=0).fit(X, Y, 10, lr=0.1, callbacks=[record])
    assert [e for e, _ in seen] == [1, 2, 3]
    assert [l for _, l in seen] == history.loss
    assert history.stopped_early and len(history) == 3


def test_diverging_training_raises_divergence_error(rng):
    X = rng.normal(size=(20, 2)) * 10
    Y = rng.normal(size=(20, 1)) * 10
    net = Network([2, 8, 1], hidden="identity", output="identity", loss="mse", rng=0)
    with pytest.raises(DivergenceError, match=r"epoch \d+.*smaller learning rate") as info:
        net.fit(X, Y, epochs=200, lr=5.0)
    err = info.value
    assert isinstance(err, FloatingPointError)
    assert 1 < err.epoch <= 200
    assert f"epoch {err.epoch}" in str(err) and "lr=5" in str(err)
    assert len(err.history) == err.epoch - 1  # the epochs completed before it
    assert all(np.isfinite(err.history.loss))


def test_divergence_is_reported_with_mini_batches_too(rng):
    X = rng.normal(size=(32, 2)) * 10
    Y = rng.normal(size=(32, 1)) * 10
    net = Network([2, 8, 1], hidden="identity", output="identity", loss="mse", rng=0)
    with pytest.raises(DivergenceError, match=r"in epoch \d+ .*try a smaller learning rate"):
        net.fit(X, Y, epochs=200, lr=2.0, batch_size=8, rng=0)


def test_progress_bar(data, capsys):
    pytest.importorskip("tqdm")
    X, Y = data
    history = Network([3, 2, 2], rng=0).fit(X, Y, 3, lr=0.1, progress=True)
    assert len(history) == 3
    assert "3/3" in capsys.readouterr().err
