"""Determinism: a seed fixes every data set, every initial network and every fit.

Different seeds give different draws, a Generator gives the same draws as its
seed, and nnlib never touches NumPy's global random state.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import Network, Snapshots, datasets, gradcheck, init, plotting  # noqa: E402

SEEDED = {
    "circle": lambda rng: datasets.circle(60, rng=rng),
    "rings": lambda rng: datasets.rings(60, rng=rng),
    "moons": lambda rng: datasets.moons(60, noise=0.2, rng=rng),
    "sine": lambda rng: datasets.sine(60, rng=rng),
    "surface": lambda rng: datasets.surface(60, noise=1.0, rng=rng),
    "spirals": lambda rng: datasets.spirals(60, rng=rng),
}


@pytest.mark.parametrize("name", SEEDED)
def test_dataset_is_fixed_by_its_seed(name):
    make = SEEDED[name]
    X1, y1 = make(7)
    X2, y2 = make(7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, y3 = make(np.random.default_rng(7))  # a Generator draws what its seed draws,
    if name == "moons":  # except for make_moons, whose random_state is the Generator's first draw
        X1, y1 = make(int(np.random.default_rng(7).integers(2**32)))
    np.testing.assert_array_equal(X1, X3)
    np.testing.assert_array_equal(y1, y3)
    X4, _ = make(8)
    assert not np.array_equal(X1, X4)
    assert X1.shape[0] == y1.shape[0] == 60


@pytest.mark.parametrize("name", SEEDED)
def test_dataset_without_a_seed_differs_between_calls(name):
    X1, _ = SEEDED[name](None)
    X2, _ = SEEDED[name](None)
    assert not np.array_equal(X1, X2)


def test_generator_advances_between_calls():
    gen = np.random.default_rng(3)
    X1, _ = datasets.circle(20, rng=gen)
    X2, _ = datasets.circle(20, rng=gen)
    assert not np.array_equal(X1, X2)


@pytest.mark.parametrize(("n", "noise", "seed"), [(200, 0.2, 42), (7, 0.0, 0), (60, 0.35, np.int64(2**32 - 1))])
def test_moons_is_make_moons_for_an_int_seed(n, noise, seed):
    from sklearn.datasets import make_moons

    X, y = datasets.moons(n, noise=noise, rng=seed)
    X_ref, y_ref = make_moons(n_samples=n, noise=noise, random_state=int(seed))  # shuffled, as by default
    np.testing.assert_array_equal(X, X_ref)  # identical floats, not merely close
    np.testing.assert_array_equal(y, y_ref)
    assert X.dtype == np.float64 and X.shape == (n, 2)
    assert y.dtype == int and y.shape == (n,)
    assert np.sum(y == 0) == n // 2 and np.sum(y == 1) == n - n // 2
    if n > 2:
        assert not np.array_equal(y, np.sort(y))  # the classes are shuffled, not in two blocks


def test_moons_from_a_generator_is_make_moons_of_its_first_draw():
    from sklearn.datasets import make_moons

    gen = np.random.default_rng(5)
    X1, y1 = datasets.moons(50, noise=0.2, rng=gen)
    X2, _ = datasets.moons(50, noise=0.2, rng=gen)
    assert not np.array_equal(X1, X2)  # the Generator advanced, by exactly one draw:
    twin = np.random.default_rng(5)
    first, second = (int(twin.integers(2**32)) for _ in range(2))
    assert gen.bit_generator.state == twin.bit_generator.state
    X_ref, y_ref = make_moons(n_samples=50, noise=0.2, random_state=first)
    np.testing.assert_array_equal(X1, X_ref)
    np.testing.assert_array_equal(y1, y_ref)
    np.testing.assert_array_equal(X2, make_moons(n_samples=50, noise=0.2, random_state=second)[0])


def test_fixed_datasets():
    X, y = datasets.xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    a, b = datasets.digits(), datasets.digits()
    np.testing.assert_array_equal(a[0], b[0])
    assert a[0].shape == (1797, 64) and a[0].min() == 0.0 and a[0].max() == 1.0
    assert set(np.unique(a[1])) == set(range(10))


@pytest.mark.parametrize("scheme", ["xavier", "he", "normal", "uniform"])
def test_initial_weights_are_fixed_by_the_seed(scheme):
    a, b, c = (Network([3, 5, 2], init=scheme, rng=s) for s in (11, 11, 12))
    for Wa, Wb, Wc in zip(a.weights, b.weights, c.weights, strict=True):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)


def fit_once(seed, fit_rng=None, optimizer=None):
    X, y = datasets.moons(64, noise=0.2, rng=1)
    net = Network([2, 6, 1], hidden="tanh", loss="bce", rng=seed)
    lr = None if optimizer else 0.5
    history = net.fit(X, y, epochs=15, lr=lr, batch_size=16, rng=fit_rng, optimizer=optimizer)
    return net, history


@pytest.mark.parametrize("fit_rng", [None, 5], ids=["network's rng", "fit rng"])
def test_fit_is_fixed_by_the_seed(fit_rng):
    net1, h1 = fit_once(0, fit_rng)
    net2, h2 = fit_once(0, fit_rng)
    assert h1.loss == h2.loss  # identical floats, not merely close
    for p, q in zip(net1.parameters(), net2.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)
    _, h3 = fit_once(1, fit_rng)
    assert h3.loss != h1.loss


def test_the_shuffling_seed_matters():
    _, h1 = fit_once(0, fit_rng=5)
    _, h2 = fit_once(0, fit_rng=6)
    assert h1.loss != h2.loss


def test_fit_with_momentum_is_deterministic():
    from nnlib.optim import Momentum

    _, h1 = fit_once(0, 3, optimizer=Momentum(0.2))
    _, h2 = fit_once(0, 3, optimizer=Momentum(0.2))
    assert h1.loss == h2.loss


def test_nnlib_never_touches_the_global_random_state():
    np.random.seed(1234)  # noqa: NPY002 - the global state is what this test watches
    state = np.random.get_state()  # noqa: NPY002
    for make in SEEDED.values():
        make(None)
        make(3)
    datasets.xor()
    for scheme in ("xavier", "he", "normal", "uniform", "zeros", "ones"):
        init.get(scheme)(3, 2, None)
    net = Network([2, 4, 1], hidden="relu", loss="bce")  # rng=None: fresh entropy
    X, y = datasets.moons(40, rng=None)
    snaps = Snapshots([0, 2])
    net.fit(X, y, 3, lr=0.1, batch_size=8, callbacks=[snaps])
    net.fit(X, y, 2, optimizer="momentum", lr=0.1, batch_size=8, rng=None)
    gradcheck.check_network(Network([2, 2, 1], rng=None), X[:4], y[:4])
    plotting.plot_boundary_evolution(snaps, X, y, resolution=10)
    plt.close("all")
    after = np.random.get_state()  # noqa: NPY002
    assert after[0] == state[0]
    np.testing.assert_array_equal(after[1], state[1])
    assert after[2:] == state[2:]
