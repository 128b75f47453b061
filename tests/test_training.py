"""nnlib.training: History, Snapshots, and fit running the network's own forward and backward."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import History, Network, Snapshots, datasets, optim, training
from nnlib.network import DivergenceError


@pytest.fixture
def moons():
    return datasets.moons(60, noise=0.2, rng=0)


# ------------------------------------------------------------------- History
def test_history():
    h = History(loss=[0.9, 0.5, 0.25], lr=0.1, batch_size=8)
    assert len(h) == 3
    np.testing.assert_array_equal(h.epochs, [1, 2, 3])
    assert h.final_loss == 0.25
    assert repr(h) == "History(3 epochs, loss 0.9 -> 0.25)"
    assert not h.stopped_early


def test_empty_history():
    h = History()
    assert len(h) == 0 and repr(h) == "History(no epochs)"
    with pytest.raises(ValueError, match="the history is empty"):
        _ = h.final_loss


# ----------------------------------------------------------------- Snapshots
def test_snapshots_copy_the_network_at_chosen_epochs(moons):
    X, y = moons
    net = Network([2, 4, 1], hidden="tanh", loss="bce", rng=0)
    untrained = net.forward(X).copy()
    snaps = Snapshots([5, 0, 2, 2])
    assert snaps.at == [0, 2, 5]
    net.fit(X, y, epochs=6, lr=0.5, callbacks=[snaps])
    assert sorted(snaps.networks) == [0, 2, 5]
    np.testing.assert_array_equal(snaps.networks[0].forward(X), untrained)
    assert snaps.networks[5] is not net
    assert not np.array_equal(snaps.networks[5].weights[0], net.weights[0])  # epoch 6 moved on
    twin = Network([2, 4, 1], hidden="tanh", loss="bce", rng=0)
    twin.fit(X, y, epochs=5, lr=0.5)
    np.testing.assert_array_equal(snaps.networks[5].weights[0], twin.weights[0])
    assert repr(snaps) == "Snapshots(at=[0, 2, 5], taken=[0, 2, 5])"


# ------------------------------------------------------------- the training loop
@pytest.mark.parametrize("batch_size", [None, 16, 7])
@pytest.mark.parametrize("hidden, output, loss", [("sigmoid", "sigmoid", "bce"),
                                                  ("tanh", "sigmoid", "mse"),
                                                  ("relu", "softmax", "cross_entropy")])
def test_fit_takes_the_steps_of_the_public_forward_and_backward(moons, batch_size, hidden,
                                                                 output, loss):
    """One code path: fit's steps are forward, backward and SGD.step, bit for bit."""
    X, y = moons
    n_out = 2 if output == "softmax" else 1
    Y = np.eye(2)[y] if n_out == 2 else y.reshape(-1, 1).astype(float)
    net = Network([2, 5, 4, n_out], hidden=hidden, output=output, loss=loss, rng=1, l2=1e-3)
    by_hand = net.copy()
    history = net.fit(X, Y, epochs=3, lr=0.3, batch_size=batch_size, rng=5)

    rng, n, sgd = np.random.default_rng(5), len(X), optim.SGD(0.3)
    B = n if batch_size is None else batch_size
    losses = []
    for _ in range(3):
        order = np.arange(n) if B == n else rng.permutation(n)
        total = 0.0
        for start in range(0, n, B):
            idx = order[start:start + B]
            total += by_hand.loss(X[idx], Y[idx]) * len(idx)  # loss() runs forward(X[idx])
            sgd.step(by_hand.parameters(), by_hand.backward(Y[idx]).flat())
        losses.append(total / n)
    assert history.loss == losses
    for p, q in zip(net.parameters(), by_hand.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_gradients_flat_is_in_the_order_of_parameters(moons):
    X, y = moons
    net = Network([2, 3, 4, 1], rng=0)
    grads = net.gradients(X, y)
    assert [g.shape for g in grads.flat()] == [p.shape for p in net.parameters()]
    assert grads.flat()[0] is grads.dW[0] and grads.flat()[1] is grads.db[0]


def test_divergence_stops_training_and_keeps_the_history(moons):
    X, y = moons
    net = Network([2, 4, 1], output="identity", loss="mse", rng=0)
    with pytest.raises(DivergenceError, match="smaller learning rate") as info:
        net.fit(X, y, epochs=50, lr=1e3)
    assert info.value.epoch >= 1 and len(info.value.history) == info.value.epoch - 1


def test_a_callback_returning_true_stops_training(moons):
    X, y = moons
    net = Network([2, 4, 1], loss="bce", rng=0)
    history = net.fit(X, y, epochs=10, lr=0.5, callbacks=[lambda epoch, net, loss: epoch == 3])
    assert len(history) == 3 and history.stopped_early


def test_training_is_importable_from_where_it_was():
    import nnlib
    import nnlib.network

    for name in ("History", "Snapshots", "DivergenceError"):
        assert getattr(nnlib, name) is getattr(nnlib.network, name) is getattr(training, name)
    assert Network.fit is training.fit and "nnlib.training.train" in Network.fit.__doc__
