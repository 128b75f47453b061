"""nnlib.plotting draws without a display."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from nnlib import Network, Snapshots, datasets, plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def moons():
    return datasets.moons(60, noise=0.2, rng=0)


# ----------------------------------------------------------------- plotting
def test_plots_run_headless(moons):
    X, y = moons
    plotting.use_style()
    net = Network([2, 4, 1], hidden="tanh", loss="bce", rng=0)
    snaps = Snapshots([0, 3])
    history = net.fit(X, y, epochs=3, lr=0.5, callbacks=[snaps])

    ax = plotting.plot_data(X, y, ax=plt.subplots()[1])
    assert len(ax.collections) == 2
    ax = plotting.plot_decision_boundary(net, X, y, ax=plt.subplots()[1], resolution=20,
                                         title="moons", colorbar=True)
    assert ax.get_title() == "moons"
    plotting.plot_decision_boundary(lambda g: g[:, 0] * g[:, 1], X, ax=plt.subplots()[1],
                                    resolution=15, boundary=None)
    ax = plotting.plot_losses(history, ax=plt.subplots()[1])
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"
    assert ax.get_title() == "Training loss"
    ax = plotting.plot_losses({"a": history, "b": [1.0, 0.5]}, ax=plt.subplots()[1], log=False,
                              title=None)
    assert len(ax.get_lines()) == 2 and ax.get_legend() is not None
    ax = plotting.plot_losses([history, history], ax=plt.subplots()[1])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["run 1", "run 2"]
    fig = plotting.plot_boundary_evolution(snaps, X, y, ncols=2, resolution=15)
    assert len([a for a in fig.axes if a.get_visible() and a.get_title()]) == 2
    fig = plotting.plot_boundary_evolution(snaps.networks, X, y, resolution=10,
                                           label=lambda e, n: f"after {e}")
    assert fig.axes[0].get_title() == "after 0"
    assert plt.get_backend().lower() == "agg"


def test_decision_boundary_of_a_softmax_network():
    X, y = datasets.spirals(60, rng=0)
    net = Network([2, 5, 2], output="softmax", loss="cross_entropy", rng=0)
    _, ax = plt.subplots()
    assert plotting.plot_decision_boundary(net, X, y, ax=ax, resolution=12) is ax
