"""The chapter 7 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, datasets
from nnlib.checks import ch07
from tests.conftest import WRONG, assert_fails, load_solutions, wrong


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


# ------------------------------------------------------------ spirals
def test_spirals_report_the_parameter_count(sol, capsys):
    assert ch07.check_spirals(sol.train_spirals, [2, 8, 1]) is True
    assert "33 parameters" in capsys.readouterr().out


def _spirals_memoriser():
    X_train, _ = datasets.spirals(400, rng=0)

    class Memoriser:            # perfect on the training points, a coin elsewhere
        sizes = [2, 8, 1]
        n_params = 33

        def forward(self, X):
            return np.full((len(X), 1), 0.5)

        def accuracy(self, X, y):
            return 1.0 if np.array_equal(X, X_train) else 0.5
    return Memoriser()


def _untrained(sizes, rng):
    return Network(sizes, hidden="tanh", loss="bce", rng=rng)


def _linear(layer_sizes, rng):
    X, y = datasets.spirals(400, rng=0)
    net = Network([2, 1], loss="bce", rng=rng)
    net.fit(X, y, epochs=50, lr=1.0)
    return net


ACCURACY, PLATEAUS, SPIRALS = ch07.check_accuracy_from_probabilities, ch07.check_plateau_values, ch07.check_spirals
WRONG_ANSWERS = [
    *[wrong(ACCURACY, answer, message) for answer, message in ACCURACY_MISTAKES],
    wrong(ACCURACY, lambda p, y: p[:, 5], "raised IndexError", named=False),
    *[wrong(PLATEAUS, (bce, cost), message) for bce, cost, message in PLATEAU_MISTAKES],
    wrong(PLATEAUS, ("0.69", 0.105), "single number", named=False),
    wrong(SPIRALS, (_untrained, [2, 8, 1]), "untrained"),
    # The solution's own recipe with 4 hidden units ends near 80% on the training spirals.
    wrong(SPIRALS, (load_solutions(7).train_spirals, [2, 4, 1]), r"it needs at least 95%.*train longer or faster.*"
          r"See hint 2 under the exercise \"Two spirals", id="partly trained"),
    wrong(SPIRALS, (_linear, [2, 8, 1]), "ignored layer_sizes"),
    wrong(SPIRALS, (lambda sizes, rng: _spirals_memoriser(), [2, 8, 1]), "fits the noise"),
    wrong(SPIRALS, (lambda sizes, rng: None, [2, 8, 1]), "forget to `return`", named=False),
    wrong(SPIRALS, (lambda sizes, rng: "a network", [2, 8, 1]), "should return an nnlib Network, got str",
          named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=7)
