"""History, Snapshots, the optimisers, the init schemes, gradcheck's report and the plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import History, Network, Snapshots, datasets, gradcheck, init, optim, plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


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


# ------------------------------------------------------------------ optimisers
def test_sgd_step_is_theta_minus_lr_grad():
    p = [np.array([1.0, 2.0]), np.array([[3.0]])]
    g = [np.array([0.5, -1.0]), np.array([[2.0]])]
    same = [a for a in p]
    optim.SGD(0.1).step(p, g)
    np.testing.assert_allclose(p[0], [0.95, 2.1])
    np.testing.assert_allclose(p[1], [[2.8]])
    assert all(a is b for a, b in zip(p, same, strict=True))  # in place
    assert repr(optim.SGD(0.1)) == "SGD(lr=0.1)"


def test_momentum_accumulates_velocity():
    p = [np.array([0.0])]
    opt = optim.Momentum(0.1, beta=0.5)
    g = [np.array([1.0])]
    opt.step(p, g)  # v = −0.1, θ = −0.1
    opt.step(p, g)  # v = 0.5·(−0.1) − 0.1 = −0.15, θ = −0.25
    np.testing.assert_allclose(p[0], [-0.25])
    np.testing.assert_allclose(opt.velocities[0], [-0.15])
    opt.reset()
    assert opt.velocities is None
    assert repr(opt) == "Momentum(lr=0.1, beta=0.5)"


def test_momentum_with_beta_zero_is_sgd():
    rng = np.random.default_rng(0)
    a, b = [rng.normal(size=(3, 2))], None
    b = [a[0].copy()]
    m, s = optim.Momentum(0.05, beta=0.0), optim.SGD(0.05)
    for _ in range(5):
        g = [rng.normal(size=(3, 2))]
        m.step(a, g)
        s.step(b, g)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-14)


def test_momentum_restarts_its_velocities_for_new_shapes():
    opt = optim.Momentum(0.1)
    opt.step([np.zeros(2)], [np.ones(2)])
    p = [np.zeros(3)]
    opt.step(p, [np.ones(3)])
    np.testing.assert_allclose(p[0], -0.1)


def test_momentum_beats_sgd_on_an_ill_conditioned_quadratic():
    scales = np.array([1.0, 0.01])

    def run(opt):
        theta = [np.array([1.0, 1.0])]
        for _ in range(200):
            opt.step(theta, [scales * theta[0]])
        return float(0.5 * np.sum(scales * theta[0] ** 2))

    assert run(optim.Momentum(1.0, beta=0.9)) < 0.01 * run(optim.SGD(1.0))


def test_optim_get():
    assert isinstance(optim.get("sgd", 0.1), optim.SGD)
    assert isinstance(optim.get("Momentum", 0.1), optim.Momentum)
    opt = optim.SGD(0.3)
    assert optim.get(opt, 0.1) is opt


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
    backward = net._backward

    def broken(Y, fused):
        grads = backward(Y, fused)
        getattr(grads, corrupt)[0] *= 1.05  # a 5% bug in layer 1
        return grads

    net._backward = broken
    report = gradcheck.check_network(net, X[:5], y[:5])
    name = "W1" if corrupt == "dW" else "b1"
    assert not report.passed
    assert report.errors[name] > 1e-2
    assert report.errors["W2"] < 1e-6
    assert f"{name}   relative error" in str(report) and "FAILED" in str(report)


def test_report_fails_on_a_nan_gradient(moons):
    X, y = moons
    net = Network([2, 3, 1], hidden="tanh", loss="bce", rng=0)
    backward = net._backward

    def broken(Y, fused):
        grads = backward(Y, fused)
        grads.db[-1][:] = np.nan
        return grads

    net._backward = broken
    assert not gradcheck.check_network(net, X[:5], y[:5]).passed


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


def test_gradcheck_dead_relu_layer_passes_and_float32_tiny_eps_fails():
    """A layer whose gradient is exactly zero (dead ReLUs) is not a bug; but rounding noise
    in float32 with a tiny step must not be mistaken for a zero gradient."""
    from nnlib import Network, gradcheck

    X = np.random.default_rng(0).normal(size=(5, 2))
    net = Network([2, 3, 1], hidden="relu", rng=0)
    net.biases[0][:] = -100.0  # every hidden unit is dead: dW1 = db1 = dW2 = 0
    report = gradcheck.check_network(net, X, np.ones(5))
    assert report.passed and report.errors["W1"] == 0.0 and report.errors["W2"] == 0.0
    net32 = Network([2, 3, 1], rng=0, dtype=np.float32)
    assert not gradcheck.check_network(net32, X, np.ones(5), eps=1e-6).passed
