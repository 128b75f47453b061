"""nnlib.experiments.fit_side_by_side: networks trained at once end where separate runs do."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib
from nnlib import Network
from nnlib.experiments import fit_side_by_side


def largest_gap(nets_a, nets_b) -> float:
    return max(float(np.max(np.abs(p - q))) for a, b in zip(nets_a, nets_b, strict=True)
               for p, q in zip(a.parameters(), b.parameters(), strict=True))


def data(n_sets: int, m: int, n_in: int, n_out: int, seed: int, binary: bool = False):
    gen = np.random.default_rng(seed)
    Xs = [gen.normal(size=(m, n_in)) for _ in range(n_sets)]
    if binary:
        ys = [(gen.random(size=(m, n_out)) < 0.5).astype(float) for _ in range(n_sets)]
    else:
        ys = [gen.normal(size=(m, n_out)) for _ in range(n_sets)]
    return Xs, ys


# (recipe, shared data set?, training arguments)
RECIPES = {
    "sigmoid/identity, mse, full batch, a data set each": (
        dict(sizes=[2, 4, 1], hidden="sigmoid", output="identity", loss="mse"), False,
        dict(epochs=30, lr=0.5)),
    "sigmoid/sigmoid, mse, mini-batches, one shared data set": (
        dict(sizes=[1, 6, 1], hidden="sigmoid", output="sigmoid", loss="mse"), True,
        dict(epochs=15, lr=2.0, batch_size=7, rng=3)),
    "tanh, 1-5-4-1, momentum, last batch smaller": (
        dict(sizes=[1, 5, 4, 1], hidden="tanh", output="identity", loss="mse"), False,
        dict(epochs=20, lr=0.05, batch_size=8, rng=0, optimizer="momentum")),
    "relu/sigmoid, bce, two outputs, L2": (
        dict(sizes=[3, 5, 2], hidden="relu", output="sigmoid", loss="bce", l2=0.01), False,
        dict(epochs=25, lr=1.0)),
}


@pytest.mark.parametrize("name", list(RECIPES))
def test_side_by_side_matches_separate_runs_seed_by_seed(name):
    recipe, shared, kwargs = RECIPES[name]
    recipe = dict(recipe)
    sizes = recipe.pop("sizes")
    seeds = (0, 1, 2, 5)
    Xs, ys = data(1 if shared else len(seeds), 30, sizes[0], sizes[-1], seed=11,
                  binary=recipe["loss"] == "bce")
    if shared:
        Xs, ys = Xs * len(seeds), ys * len(seeds)
    if sizes[-1] == 1 and shared:
        ys = [y[:, 0] for y in ys]                       # 1-D targets are accepted
    together = [Network(sizes, rng=seed, **recipe) for seed in seeds]
    alone = [net.copy() for net in together]
    start = [net.copy() for net in together]
    returned = fit_side_by_side(together, Xs, ys, **kwargs)
    assert returned == together and all(a is b for a, b in zip(returned, together, strict=True))
    for net, X, y in zip(alone, Xs, ys, strict=True):    # seed by seed, separately
        net.fit(X, y, **kwargs)
    for k in range(len(seeds)):
        assert largest_gap([together[k]], [alone[k]]) < 1e-12, f"seed {seeds[k]}"
        assert largest_gap([together[k]], [start[k]]) > 1e-3, "the networks did train"


def test_a_diverging_network_stops_all_and_changes_none():
    X = np.linspace(-1, 1, 20)[:, None]
    nets = [Network([1, 8, 1], output="identity", rng=seed) for seed in range(3)]
    nets[1].weights[1][:] *= 1e3                         # this one overshoots at lr 50
    before = [net.copy() for net in nets]
    with pytest.raises(nnlib.DivergenceError):
        fit_side_by_side(nets, [X] * 3, [X[:, 0] * 1e3] * 3, epochs=200, lr=50.0)
    assert largest_gap(nets, before) == 0.0


def _nets(n=2, **kw):
    base = dict(hidden="sigmoid", output="identity", loss="mse")
    base.update(kw)
    return [Network([2, 3, 1], rng=k, **base) for k in range(n)]


X5 = np.random.default_rng(0).normal(size=(5, 2))
Y5 = np.arange(5.0)

# (case, call, exception, regular expression the message must match)
BAD = [
    ("nets not a list", lambda: fit_side_by_side(_nets()[0], [X5], [Y5], 1, 0.1), TypeError, r"nets must be a list"),
    ("nets empty", lambda: fit_side_by_side([], [], [], 1, 0.1), ValueError, r"nets is empty"),
    ("not a Network", lambda: fit_side_by_side([_nets()[0], "net"], [X5] * 2, [Y5] * 2, 1, 0.1),
     TypeError, r"nets\[1\] must be a Network"),
    ("same net twice", lambda: (lambda n: fit_side_by_side([n, n], [X5] * 2, [Y5] * 2, 1, 0.1))(_nets()[0]),
     ValueError, r"same Network twice"),
    ("other sizes", lambda: fit_side_by_side([_nets()[0], Network([2, 4, 1], output="identity")],
                                             [X5] * 2, [Y5] * 2, 1, 0.1), ValueError, r"nets\[1\] has sizes"),
    ("other hidden", lambda: fit_side_by_side([_nets()[0], _nets(1, hidden="tanh")[0]], [X5] * 2, [Y5] * 2, 1, 0.1),
     ValueError, r"nets\[1\] has hidden tanh but nets\[0\] has sigmoid"),
    ("softmax output", lambda: fit_side_by_side([Network([2, 3, 2], output="softmax", loss="cross_entropy")],
                                                [X5], [np.eye(2)[[0, 1, 0, 1, 0]]], 1, 0.1),
     ValueError, r"adds up over the output units"),
    ("Xs an array", lambda: fit_side_by_side(_nets(), X5, [Y5] * 2, 1, 0.1), TypeError, r"Xs must be a list"),
    ("too few Xs", lambda: fit_side_by_side(_nets(), [X5], [Y5] * 2, 1, 0.1), ValueError,
     r"Xs has 1 arrays but nets has 2"),
    ("X wrong columns", lambda: fit_side_by_side(_nets(), [X5, X5[:, :1]], [Y5] * 2, 1, 0.1), ValueError,
     r"Xs\[1\] has shape \(5, 1\)"),
    ("unequal lengths", lambda: fit_side_by_side(_nets(), [X5, X5[:4]], [Y5] * 2, 1, 0.1), ValueError,
     r"Xs\[1\] has 4 samples"),
    ("y length", lambda: fit_side_by_side(_nets(), [X5] * 2, [Y5, Y5[:3]], 1, 0.1), ValueError,
     r"ys\[1\] has 3 samples"),
    ("NaN in y", lambda: fit_side_by_side(_nets(), [X5] * 2, [Y5, np.r_[Y5[:4], np.nan]], 1, 0.1),
     ValueError, r"ys\[1\] contains NaN"),
    ("text in X", lambda: fit_side_by_side(_nets(), [X5, "abc"], [Y5] * 2, 1, 0.1), (TypeError, ValueError),
     r"Xs\[1\]"),
    ("mini-batches without rng", lambda: fit_side_by_side(_nets(), [X5] * 2, [Y5] * 2, 1, 0.1, batch_size=2),
     ValueError, r"rng is required"),
    ("batch_size 0", lambda: fit_side_by_side(_nets(), [X5] * 2, [Y5] * 2, 1, 0.1, batch_size=0),
     ValueError, r"batch_size must be a positive integer"),
    ("unknown optimizer", lambda: fit_side_by_side(_nets(), [X5] * 2, [Y5] * 2, 1, 0.1, optimizer="adam"),
     ValueError, r"optimizer"),
    ("negative lr", lambda: fit_side_by_side(_nets(), [X5] * 2, [Y5] * 2, 1, -0.1), ValueError, r"lr"),
    ("epochs 0", lambda: fit_side_by_side(_nets(), [X5] * 2, [Y5] * 2, 0, 0.1), ValueError, r"epochs"),
]


@pytest.mark.parametrize("case, call, exc, message", BAD, ids=[row[0] for row in BAD])
def test_bad_input_is_refused_with_a_message_naming_the_argument(case, call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_a_refused_call_changes_no_network():
    nets = _nets()
    before = [net.copy() for net in nets]
    with pytest.raises(ValueError):
        fit_side_by_side(nets, [X5] * 2, [Y5] * 2, epochs=0, lr=0.1)
    with pytest.raises(ValueError):
        fit_side_by_side(nets, [X5, X5[:4]], [Y5] * 2, epochs=1, lr=0.1)
    assert largest_gap(nets, before) == 0.0
