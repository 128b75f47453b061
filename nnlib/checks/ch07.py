"""Exercise checks of chapter 7, Classification: accuracy from probabilities, two plateaus, the spirals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from nnlib.checks import _core
from nnlib.checks._core import ExerciseFailure, call_student, check, expect_network, expect_scalar, passed, see

_ACCURACY = "Accuracy from probabilities"
_PLATEAUS = "The values of two plateaus"
_SPIRALS = "Two spirals, and the smallest network that separates them"

# One sigmoid output: 7 samples, two of them exactly at the threshold 0.5.
_BINARY_PROBS = np.array([[0.9], [0.5], [0.2], [0.5], [0.7], [0.1], [0.4]])
_BINARY_LABELS = np.array([1, 1, 0, 1, 1, 1, 0])
# A softmax output: 6 samples, 3 classes.
_MULTI_PROBS = np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.4, 0.45, 0.15], [0.3, 0.3, 0.4],
                         [0.55, 0.25, 0.2]])
_MULTI_LABELS = np.array([1, 0, 2, 0, 1, 2])


@check("accuracy_from_probabilities")
def check_accuracy_from_probabilities(accuracy_from_probabilities: Callable[..., Any]) -> bool:
    """Check the accuracy computed from predicted probabilities and true labels."""
    p, y = _BINARY_PROBS, _BINARY_LABELS
    right = float(np.mean((p[:, 0] >= 0.5) == y))
    percentage = "you returned a percentage; return a fraction between 0 and 1." + see(1, _ACCURACY, "7.1")
    got = call_student(accuracy_from_probabilities, p, y, name="accuracy_from_probabilities")
    expect_scalar(got, right, "the accuracy for 7 samples with one sigmoid output",
                  wrong={"you compared an (m, 1) array with an (m,) array: NumPy broadcast them to an (m, m) table "
                         "and averaged all of it." + see(2, _ACCURACY, "7.1"): float(np.mean((p >= 0.5) == y)),
                         "you used a strict `> 0.5`; a probability of exactly 0.5 counts as class 1 (>= 0.5)."
                         + see(2, _ACCURACY, "7.1"): float(np.mean((p[:, 0] > 0.5) == y)),
                         percentage: 100 * right,
                         "you returned the error rate (the fraction of mistakes) instead of the accuracy."
                         + see(1, _ACCURACY, "7.1"): 1 - right},
                  hint="labels_hat = (probs[:, 0] >= 0.5).astype(int); return the mean of labels_hat == labels.")
    p, y = _MULTI_PROBS, _MULTI_LABELS
    right_multi = float(np.mean(np.argmax(p, axis=1) == y))
    got = call_student(accuracy_from_probabilities, p, y, name="accuracy_from_probabilities")
    expect_scalar(got, right_multi, "the accuracy for 6 samples with 3 softmax outputs",
                  wrong={"you thresholded the first column at 0.5, the rule for a single output; with several columns "
                         "the predicted class is the column of the largest probability." + see(1, _ACCURACY):
                             float(np.mean((p[:, 0] >= 0.5).astype(int) == y)),
                         percentage: 100 * right_multi},
                  hint="with several columns the predicted class is np.argmax(probs, axis=1).")
    return passed(f"accuracies {right:.4f} (one output, ties at 0.5 count as class 1) and "
                  f"{right_multi:.4f} (three classes, argmax).")


@check("bce_at_one_half", "best_constant_cost")
def check_plateau_values(bce_at_one_half: Any, best_constant_cost: Any) -> bool:
    """Check the two plateau values of the pen-and-paper exercise, each within 0.0005."""
    bce, cost = (_core.written_answer(value, name, "the number you worked out (for example 0.1234)")
                 for value, name in ((bce_at_one_half, "bce_at_one_half"), (best_constant_cost, "best_constant_cost")))
    logs = "logarithm; the course's logarithms are natural." + see(2, _PLATEAUS, "7.6")
    expect_scalar(bce, np.log(2), "the cross-entropy at y_hat = 1/2", rtol=0, atol=5e-4,
                  wrong={f"you used a base-2 {logs}": 1.0, f"you used a base-10 {logs}": np.log10(2),
                         "you dropped the minus sign in front of the cross-entropy."
                         + see(2, _PLATEAUS, "7.6"): -np.log(2)},
                  hint="for y = 1 the loss is −log ŷ, for y = 0 it is −log(1 − ŷ); both equal −log(1/2).")
    p, pointer = 0.3, see(2, _PLATEAUS, "7.3")
    expect_scalar(cost, 0.5 * p * (1 - p), "the best constant quadratic cost for p = 0.3", rtol=0, atol=5e-4,
                  wrong={f"you forgot the ½ of the quadratic cost.{pointer}": p * (1 - p),
                         f"you answered ŷ = ½ for everyone; the best constant is c = p.{pointer}": 0.125,
                         "you answered the majority class (ŷ = 0) for everyone; the best constant is c = p, not a "
                         f"label.{pointer}": 0.5 * p,
                         f"you answered ŷ = 1 for everyone; the best constant is c = p.{pointer}": 0.5 * (1 - p)},
                  hint="write C(c) = ½[p(1 − c)² + (1 − p)c²] and set C′(c) = 0.")
    return passed(f"log 2 = {np.log(2):.4f}, and the best constant c = p = 0.3 costs "
                  f"½·0.3·0.7 = {0.5 * p * (1 - p):.4f}.")


@check("train_spirals", [2, 8, 1])
def check_spirals(train_spirals: Callable[..., Any], layer_sizes: Sequence[int]) -> bool:
    """Check that ``train_spirals(layer_sizes, 0)`` returns a network that separates the spirals."""
    from nnlib import datasets

    sizes = [int(n) for n in layer_sizes]
    net = call_student(train_spirals, sizes, 0, name="train_spirals")
    expect_network(net, sizes, f"train_spirals({sizes}, rng)", see(3, _SPIRALS))
    X_train, y_train = datasets.spirals(400, rng=0)
    X_new, y_new = datasets.spirals(400, rng=1)
    train_acc, new_acc = net.accuracy(X_train, y_train), net.accuracy(X_new, y_new)
    if train_acc < 0.95:
        hint = ("it looks untrained (did you call fit?)." + see(3, _SPIRALS) if train_acc < 0.6 else
                "train longer or faster (tanh hidden units, cross-entropy, a larger learning rate or "
                "optimizer='momentum'), or make the network wider." + see(2, _SPIRALS))
        raise ExerciseFailure(f"the network classifies {train_acc:.1%} of the training spirals; "
                              f"it needs at least 95%. Hint: {hint}")
    if new_acc < 0.95:
        raise ExerciseFailure(f"{train_acc:.1%} on the training spirals but only {new_acc:.1%} on new points: the "
                              f"boundary fits the noise. Hint: fewer parameters or fewer epochs.{see(2, _SPIRALS)}")
    return passed(f"the {'-'.join(str(n) for n in sizes)} network ({net.n_params} parameters) separates the spirals: "
                  f"{train_acc:.1%} on the training points, {new_acc:.1%} on new ones.")
