"""The chapter 7 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, datasets
from nnlib.checks import ch07
from tests.conftest import assert_points_to_a_hint


# ------------------------------------------------------------ accuracy
def test_accuracy_solution_agrees_with_network_accuracy(sol, rng):
    X = rng.normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(int)
    net = Network([2, 3, 1], loss="bce", rng=0)
    assert sol.accuracy_from_probabilities(net.forward(X), y) == net.accuracy(X, y)


def _one_output_only(rule):
    """A wrong answer for one output that still handles several outputs correctly."""
    def accuracy(probs, labels):
        if probs.shape[1] > 1:
            return float(np.mean(np.argmax(probs, axis=1) == labels))
        return rule(probs, labels)
    return accuracy


ACCURACY_MISTAKES = [
    (_one_output_only(lambda p, y: float(np.mean((p >= 0.5) == y))), "broadcast"),
    (_one_output_only(lambda p, y: float(np.mean((p[:, 0] > 0.5) == y))), "strict"),
    (_one_output_only(lambda p, y: 100 * float(np.mean((p[:, 0] >= 0.5) == y))), "percentage"),
    (_one_output_only(lambda p, y: float(np.mean((p[:, 0] >= 0.5) != y))), "error rate"),
    (lambda p, y: float(np.mean((p[:, 0] >= 0.5).astype(int) == y)),
     "thresholded the first column"),
]


@pytest.mark.parametrize(("wrong", "message"), ACCURACY_MISTAKES)
def test_accuracy_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch07.check_accuracy_from_probabilities(wrong)


def test_accuracy_reports_a_crash():
    with pytest.raises(AssertionError, match="raised IndexError"):
        ch07.check_accuracy_from_probabilities(lambda p, y: p[:, 5])


# ------------------------------------------------------------ plateau values
PLATEAU_MISTAKES = [
    (1.0, 0.105, "base-2 logarithm"),
    (0.3010, 0.105, "base-10 logarithm"),
    (-0.6931, 0.105, "minus sign"),
    (0.6931, 0.21, r"forgot the ½"),
    (0.6931, 0.125, r"answered ŷ = ½"),
    (0.6931, 0.15, "majority class"),
    (0.6931, 0.35, r"answered ŷ = 1"),
]


@pytest.mark.parametrize(("bce", "cost", "message"), PLATEAU_MISTAKES)
def test_plateaus_name_the_mistake(bce, cost, message):
    with pytest.raises(AssertionError, match=message):
        ch07.check_plateau_values(bce, cost)


def test_plateaus_reject_a_non_number():
    with pytest.raises(AssertionError, match="single number"):
        ch07.check_plateau_values("0.69", 0.105)


# ------------------------------------------------------------ spirals
def test_spirals_report_the_parameter_count(sol, capsys):
    assert ch07.check_spirals(sol.train_spirals, [2, 8, 1]) is True
    assert "33 parameters" in capsys.readouterr().out


def test_spirals_fail_an_untrained_network():
    def untrained(layer_sizes, rng):
        return Network(layer_sizes, hidden="tanh", loss="bce", rng=rng)

    with pytest.raises(AssertionError, match="untrained"):
        ch07.check_spirals(untrained, [2, 8, 1])


def test_spirals_fail_a_partly_trained_network_with_a_hint(sol):
    # The solution's own recipe with 4 hidden units ends near 80% on the training spirals.
    with pytest.raises(AssertionError, match=r"it needs at least 95%.*train longer or faster.*"
                       r"See hint 2 under the exercise \"Two spirals"):
        ch07.check_spirals(sol.train_spirals, [2, 4, 1])


def test_spirals_fail_a_network_of_other_sizes():
    def linear(layer_sizes, rng):
        X, y = datasets.spirals(400, rng=0)
        net = Network([2, 1], loss="bce", rng=rng)
        net.fit(X, y, epochs=50, lr=1.0)
        return net

    with pytest.raises(AssertionError, match="ignored layer_sizes"):
        ch07.check_spirals(linear, [2, 8, 1])


def test_spirals_fail_an_overfitted_boundary():
    with pytest.raises(AssertionError, match="fits the noise"):
        ch07.check_spirals(lambda sizes, rng: _spirals_memoriser(), [2, 8, 1])


def test_spirals_need_a_return():
    with pytest.raises(AssertionError, match="forget to `return`"):
        ch07.check_spirals(lambda sizes, rng: None, [2, 8, 1])


# ------------------------------------------------------------ pointers to the book's help
def _spirals_memoriser():
    X_train, _ = datasets.spirals(400, rng=0)

    class Memoriser:            # perfect on the training points, a coin elsewhere
        sizes = [2, 8, 1]
        n_params = 33

        def accuracy(self, X, y):
            return 1.0 if np.array_equal(X, X_train) else 0.5
    return Memoriser()


NAMED_MISTAKES = [
    *[pytest.param(lambda w=wrong: ch07.check_accuracy_from_probabilities(w), id=f"accuracy-{i}")
      for i, (wrong, _) in enumerate(ACCURACY_MISTAKES)],
    *[pytest.param(lambda b=bce, c=cost: ch07.check_plateau_values(b, c), id=f"plateaus-{i}")
      for i, (bce, cost, _) in enumerate(PLATEAU_MISTAKES)],
    pytest.param(lambda: ch07.check_spirals(
        lambda sizes, rng: Network(sizes, hidden="tanh", loss="bce", rng=rng), [2, 8, 1]),
        id="spirals-untrained"),
    pytest.param(lambda: ch07.check_spirals(
        lambda sizes, rng: Network([2, 4, 1], loss="bce", rng=rng), [2, 8, 1]), id="spirals-sizes"),
    pytest.param(lambda: ch07.check_spirals(lambda sizes, rng: _spirals_memoriser(), [2, 8, 1]),
                 id="spirals-noise"),
]


@pytest.mark.parametrize("attempt", NAMED_MISTAKES)
def test_each_named_mistake_points_to_a_hint_in_the_book(attempt):
    with pytest.raises(AssertionError) as failure:
        attempt()
    assert_points_to_a_hint(str(failure.value), 7)
