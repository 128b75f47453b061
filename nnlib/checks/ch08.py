"""Exercise checks of chapter 8, Regression: fitting x², standardising, a bounded output's cost, symmetry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.checks import _core
from nnlib.checks._core import ExerciseFailure, as_array, call_student, check, expect_array, expect_scalar, passed, see

_SQUARE = "Fitting x² with three architectures"
_STANDARDIZE = "Standardise with training statistics"
_BOUNDED = "The best cost of a bounded output"
_SYMMETRY = "Which symmetries does gradient descent keep?"

SQUARE_ARCHITECTURES = ([1, 8, 1], [1, 16, 1], [1, 8, 8, 1])
SQUARE_THRESHOLD = 0.01


@check("fit_square")
def check_fit_square(fit_square: Callable[..., Any]) -> bool:
    """Check networks trained to fit f(x) = x² on [−2, 2]."""
    x = np.linspace(-2.0, 2.0, 201)[:, None]
    target = x[:, 0] ** 2
    costs = {}
    for sizes in SQUARE_ARCHITECTURES:
        arch = "-".join(str(n) for n in sizes)
        net = call_student(fit_square, list(sizes), 0, name="fit_square")
        _core.expect_network(net, sizes, f"fit_square({list(sizes)}, rng)", see(3, _SQUARE))
        y_hat = as_array(net.forward(x), f"the {arch} network's output", nonfinite="the training diverged; try a "
                         f"smaller learning rate.{see(2, _SQUARE, '8.3')}").reshape(-1)
        cost = float(np.mean(0.5 * (y_hat - target) ** 2))
        if cost > SQUARE_THRESHOLD:
            output = getattr(getattr(net, "output", None), "name", "")
            if output in ("sigmoid", "tanh"):
                raise ExerciseFailure(
                    f"the {arch} network has a {output} output, whose values stay below 1, but x² reaches 4 on "
                    f"[−2, 2] (its cost is {cost:.4f}). Use output='identity', a linear output, for regression."
                    f"{see(1, _SQUARE, '8.2')}")
            worst = int(np.argmax(np.abs(y_hat - target)))
            raise ExerciseFailure(
                f"the {arch} network's cost on 201 points of [−2, 2] is {cost:.4f}; it should be at most "
                f"{SQUARE_THRESHOLD}. Its largest error is {abs(y_hat[worst] - target[worst]):.3f} at x = "
                f"{x[worst, 0]:.2f}. Hint: train longer, try tanh hidden units or optimizer='momentum', and check "
                f"that the training points cover [−2, 2].{see(3, _SQUARE)}")
        costs[arch] = cost
    summary = ", ".join(f"{arch}: {c:.2e}" for arch, c in costs.items())
    return passed(f"all three networks fit x² on [−2, 2]; test costs {summary}.")


@check("standardize")
def check_standardize(standardize: Callable[..., Any]) -> bool:
    """Check input standardisation with statistics from the training set only."""
    rng = np.random.default_rng(808)
    scale, shift = np.array([1.0, 100.0, 0.01]), np.array([5.0, -300.0, 0.2])
    X_train = rng.normal(size=(7, 3)) * scale + shift
    X_test = rng.normal(size=(5, 3)) * scale * 1.5 + shift + 2 * scale
    given_train, given_test = X_train.copy(), X_test.copy()
    # call_student copies array arguments; these are passed as they are, to see them changed
    result = call_student(lambda: standardize(given_train, given_test), name="standardize")
    for given, original, name in ((given_train, X_train, "X_train"), (given_test, X_test, "X_test")):
        if given.shape != original.shape or not np.array_equal(given, original):
            raise ExerciseFailure(f"standardize changed the array {name} passed in (an in-place operation such as "
                                  "`X -= mu`); build new arrays instead." + see(2, _STANDARDIZE))
    got_train, got_test = _core.expect_items(result, ("X_train_scaled", "X_test_scaled"), "standardize",
                                             hint="End with `return train, test`.")
    mu, s, s1 = X_train.mean(axis=0), X_train.std(axis=0), X_train.std(axis=0, ddof=1)
    both = np.vstack([X_train, X_test])
    mu_all, s_all = both.mean(axis=0), both.std(axis=0)
    pooled = ("you used the statistics of the training and test sets pooled together; use the training set's only."
              + see(1, _STANDARDIZE, "8.6"))
    ddof1 = ("you divided by the sample standard deviation (ddof=1); use np.std's default, ddof=0."
             + see(2, _STANDARDIZE))
    rows = (X_train - X_train.mean(axis=1, keepdims=True)) / X_train.std(axis=1, keepdims=True)
    expect_array(got_train, (X_train - mu) / s, "X_train_scaled",
                 wrong={pooled: (X_train - mu_all) / s_all, ddof1: (X_train - mu) / s1,
                        "you computed the statistics over rows (axis=1); each column (feature) needs its own mean and "
                        "standard deviation (axis=0)." + see(2, _STANDARDIZE): rows},
                 hint="mu = X_train.mean(axis=0), s = X_train.std(axis=0); (X - mu) / s.")
    expect_array(got_test, (X_test - mu) / s, "X_test_scaled",
                 wrong={"you scaled the test set with its own mean and standard deviation; the test set must reuse "
                        "the training statistics." + see(1, _STANDARDIZE, "8.6"):
                            (X_test - X_test.mean(axis=0)) / X_test.std(axis=0),
                        pooled: (X_test - mu_all) / s_all, ddof1: (X_test - mu) / s1},
                 hint="apply the training set's mu and s to the test set unchanged.")
    return passed("both sets are scaled with the training columns' mean and standard deviation.")


def _bounded(y: np.ndarray, low: float, high: float, *, half: float = 0.5, per_entry: bool = False,
             lower: bool = True, upper: bool = True) -> float:
    y = np.asarray(y, dtype=float)
    sq = half * (np.clip(y, low if lower else -np.inf, high if upper else np.inf) - y) ** 2
    return float(np.mean(sq)) if per_entry or y.ndim == 1 else float(np.sum(sq) / y.shape[0])


@check("best_bounded_cost")
def check_best_bounded_cost(best_bounded_cost: Callable[..., Any]) -> bool:
    """Check the smallest quadratic cost reachable with outputs confined to [low, high]."""
    y2 = np.array([[-0.5, 0.3], [1.6, -1.2], [0.4, 0.9], [2.5, 0.1], [-2.0, 1.3], [0.7, -0.1]])
    for y, low, high, what in ((y2, 0.0, 1.0, "targets of shape (6, 2) with outputs in [0, 1]"),
                               (np.array([-1.5, 0.2, 3.0, -0.4, 1.1]), -1.0, 1.0,
                                "targets of shape (5,) with outputs in [-1, 1]")):
        got = call_student(best_bounded_cost, y, low, high, name="best_bounded_cost")
        wrong = {
            "you forgot the ½ of the quadratic cost." + see(2, _BOUNDED, "8.2"): _bounded(y, low, high, half=1.0),
            "you applied only the lower bound; outputs above `high` cost something too."
            + see(1, _BOUNDED, "8.2"): _bounded(y, low, high, upper=False),
            "you applied only the upper bound; outputs below `low` cost something too."
            + see(1, _BOUNDED, "8.2"): _bounded(y, low, high, lower=False),
        }
        if y.ndim == 2:
            wrong["you averaged over all m·k entries; the cost averages over the m samples and sums over the k "
                  "outputs of each." + see(2, _BOUNDED)] = _bounded(y, low, high, per_entry=True)
        expect_scalar(got, _bounded(y, low, high), f"the best cost for {what}", wrong=wrong,
                      hint="the best output for each target is np.clip(y, low, high); sum ½(best − y)² over "
                           "everything and divide by m = y.shape[0].")
    floor = _bounded(2 * np.sin(np.linspace(0, 2 * np.pi, 100_001)), -1.0, 1.0)
    return passed(f"the best bounded output is clip(y, low, high). (A tanh output on 2 sin x "
                  f"cannot go below {floor:.4f}.)")


@check("distinct_rows_zeros", "distinct_rows_random_bias")
def check_symmetry_predictions(distinct_rows_zeros: Any, distinct_rows_random_bias: Any) -> bool:
    """Check the predicted number of distinct rows of W¹ after training a 2-5-1 network."""
    zeros, biases = (_core.written_answer(value, name, "your prediction (an integer from 1 to 5)")
                     for value, name in ((distinct_rows_zeros, "distinct_rows_zeros"),
                                         (distinct_rows_random_bias, "distinct_rows_random_bias")))
    expect_scalar(zeros, 1, "the number of distinct rows of W¹ after an all-zero start", rtol=0, atol=0.01,
                  wrong={"you expected zeros to break the symmetry; but every hidden unit starts with the same z¹ = 0 "
                         "and a¹ = σ(0) = ½, so by BP2–BP4 all receive the same gradient (the first step even leaves "
                         "W¹ unchanged, since δ¹ is proportional to W² = 0)." + see(2, _SYMMETRY, "8.5"): 5},
                  hint="apply the induction of section 8.5: equal parameters, equal gradients.")
    expect_scalar(biases, 5, "the number of distinct rows of W¹ with random hidden biases", rtol=0, atol=0.01,
                  wrong={"you expected the equal weights to keep the units identical; but with different biases the "
                         "units' weighted inputs z¹ⱼ differ, so do their activations and σ′(z¹ⱼ), and so, by "
                         "BP2–BP4, do their gradients." + see(2, _SYMMETRY, "8.5"): 1},
                  hint="the symmetry needs every parameter of the units to be equal, biases included.")
    return passed("an all-zero start keeps the 5 units identical (1 distinct row); different "
                  "biases alone are enough to break the symmetry (5 distinct rows).")
