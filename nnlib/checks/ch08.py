"""Exercise checks of chapter 8, Regression.

Each check calls the student's function (or reads the student's numbers) on
fixed inputs of distinct, non-square shapes, compares the answer with the
reference and names the plausible mistakes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.checks._core import (
    ExerciseFailure,
    call_student,
    expect_array,
    expect_scalar,
    passed,
    see,
    written_answer,
)

__all__ = ["check_fit_square", "check_standardize", "check_best_bounded_cost",
           "check_symmetry_predictions"]

SOLUTIONS = {
    "check_fit_square": "fit_square",
    "check_standardize": "standardize",
    "check_best_bounded_cost": "best_bounded_cost",
    "check_symmetry_predictions": ("distinct_rows_zeros", "distinct_rows_random_bias"),
}
"""What the solutions notebook passes each check (the convention is in ``nnlib.checks._core``)."""

_SQUARE = "Fitting x² with three architectures"
_STANDARDIZE = "Standardise with training statistics"
_BOUNDED = "The best cost of a bounded output"
_SYMMETRY = "Which symmetries does gradient descent keep?"


SQUARE_ARCHITECTURES = ([1, 8, 1], [1, 16, 1], [1, 8, 8, 1])
SQUARE_THRESHOLD = 0.01


def check_fit_square(fit_square: Callable[..., Any]) -> bool:
    """Check networks trained to fit f(x) = x² on [−2, 2].

    ``fit_square(layer_sizes, rng)`` must return a trained network with the
    given layer sizes. The check calls it with rng = 0 for 1-8-1, 1-16-1 and
    1-8-8-1 and requires each network's quadratic cost
    (1/m) Σ ½ (ŷ − x²)² on 201 evenly spaced points of [−2, 2] to be at most 0.01.

    Parameters
    ----------
    fit_square : callable
        The student's function ``fit_square(layer_sizes, rng) -> Network``.

    Returns
    -------
    bool
        True (after printing the three costs) when every network fits.

    Raises
    ------
    ExerciseFailure
        When a network has the wrong shape or fits badly; a bounded output
        (sigmoid or tanh), which cannot reach 4, is named.
    """
    x = np.linspace(-2.0, 2.0, 201)[:, None]
    target = x[:, 0] ** 2
    costs = {}
    for sizes in SQUARE_ARCHITECTURES:
        arch = "-".join(str(n) for n in sizes)
        net = call_student(fit_square, list(sizes), 0, name="fit_square")
        if net is None:
            raise ExerciseFailure("fit_square returned None: did you forget to `return` the "
                                  "network?")
        if not (hasattr(net, "forward") and hasattr(net, "sizes")):
            raise ExerciseFailure("fit_square should return an nnlib Network, got "
                                  f"{type(net).__name__}")
        if list(net.sizes) != list(sizes):
            raise ExerciseFailure(f"fit_square({list(sizes)}, rng) returned a network of sizes "
                                  f"{list(net.sizes)}: you ignored layer_sizes; build "
                                  f"Network(layer_sizes, ...).{see(3, _SQUARE)}")
        y_hat = np.asarray(net.forward(x), dtype=float).reshape(-1)
        if not np.all(np.isfinite(y_hat)):
            raise ExerciseFailure(f"the {arch} network outputs NaN or infinity: the training "
                                  f"diverged; try a smaller learning rate.{see(2, _SQUARE, '8.3')}")
        cost = float(np.mean(0.5 * (y_hat - target) ** 2))
        if cost > SQUARE_THRESHOLD:
            output = getattr(getattr(net, "output", None), "name", "")
            if output in ("sigmoid", "tanh"):
                raise ExerciseFailure(
                    f"the {arch} network has a {output} output, whose values stay below 1, "
                    f"but x² reaches 4 on [−2, 2] (its cost is {cost:.4f}). Use output='identity', "
                    f"a linear output, for regression.{see(1, _SQUARE, '8.2')}")
            worst = int(np.argmax(np.abs(y_hat - target)))
            raise ExerciseFailure(
                f"the {arch} network's cost on 201 points of [−2, 2] is {cost:.4f}; it should be "
                f"at most {SQUARE_THRESHOLD}. Its largest error is "
                f"{abs(y_hat[worst] - target[worst]):.3f} at x = {x[worst, 0]:.2f}. Hint: train "
                "longer, try tanh hidden units or optimizer='momentum', and check that the "
                f"training points cover [−2, 2].{see(3, _SQUARE)}")
        costs[arch] = cost
    summary = ", ".join(f"{arch}: {c:.2e}" for arch, c in costs.items())
    return passed(f"all three networks fit x² on [−2, 2]; test costs {summary}.")


def _standardize_case() -> tuple[np.ndarray, np.ndarray]:
    """A (7, 3) training set and a (5, 3) test set with columns of very different scales."""
    rng = np.random.default_rng(808)
    scale = np.array([1.0, 100.0, 0.01])
    shift = np.array([5.0, -300.0, 0.2])
    X_train = rng.normal(size=(7, 3)) * scale + shift
    X_test = rng.normal(size=(5, 3)) * scale * 1.5 + shift + 2 * scale
    return X_train, X_test


def check_standardize(standardize: Callable[..., Any]) -> bool:
    """Check input standardisation with statistics from the training set only.

    ``standardize(X_train, X_test)`` must return ``(X_train_scaled, X_test_scaled)``
    where both arrays have the training columns' means subtracted and are
    divided by the training columns' standard deviations (``np.std``, ddof = 0),
    leaving the arrays passed in unchanged.

    Parameters
    ----------
    standardize : callable
        The student's function.

    Returns
    -------
    bool
        True (after printing the verdict) when both arrays are right.

    Raises
    ------
    ExerciseFailure
        Naming the known mistakes: the test set scaled with its own statistics,
        pooled statistics, statistics over rows, ddof = 1, and changing the
        arrays passed in.
    """
    X_train, X_test = _standardize_case()
    given_train, given_test = X_train.copy(), X_test.copy()
    # call_student copies array arguments; these are passed as they are, to see them changed
    result = call_student(lambda: standardize(given_train, given_test), name="standardize")
    for given, original, name in ((given_train, X_train, "X_train"), (given_test, X_test, "X_test")):
        if given.shape != original.shape or not np.array_equal(given, original):
            raise ExerciseFailure(f"standardize changed the array {name} passed in (an in-place "
                                  "operation such as `X -= mu`); build new arrays instead."
                                  + see(2, _STANDARDIZE))
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise ExerciseFailure("standardize should return the pair (X_train_scaled, X_test_scaled); "
                              f"got {type(result).__name__}. End with `return train, test`.")
    got_train, got_test = result
    mu, s = X_train.mean(axis=0), X_train.std(axis=0)
    both = np.vstack([X_train, X_test])
    mu_all, s_all = both.mean(axis=0), both.std(axis=0)
    s1 = X_train.std(axis=0, ddof=1)

    def rows(A: np.ndarray) -> np.ndarray:
        return (A - A.mean(axis=1, keepdims=True)) / A.std(axis=1, keepdims=True)

    pooled = ("you used the statistics of the training and test sets pooled together; use the "
              "training set's only." + see(1, _STANDARDIZE, "8.6"))
    ddof1 = ("you divided by the sample standard deviation (ddof=1); use np.std's default, ddof=0."
             + see(2, _STANDARDIZE))
    expect_array(got_train, (X_train - mu) / s, "X_train_scaled",
                 wrong={pooled: (X_train - mu_all) / s_all, ddof1: (X_train - mu) / s1,
                        "you computed the statistics over rows (axis=1); each column (feature) "
                        "needs its own mean and standard deviation (axis=0)."
                        + see(2, _STANDARDIZE): rows(X_train)},
                 hint="mu = X_train.mean(axis=0), s = X_train.std(axis=0); (X - mu) / s.")
    expect_array(got_test, (X_test - mu) / s, "X_test_scaled",
                 wrong={"you scaled the test set with its own mean and standard deviation; the "
                        "test set must reuse the training statistics."
                        + see(1, _STANDARDIZE, "8.6"):
                            (X_test - X_test.mean(axis=0)) / X_test.std(axis=0),
                        pooled: (X_test - mu_all) / s_all, ddof1: (X_test - mu) / s1},
                 hint="apply the training set's mu and s to the test set unchanged.")
    return passed("both sets are scaled with the training columns' mean and standard deviation.")


def _bounded(y: np.ndarray, low: float, high: float, *, half: float = 0.5, per_entry: bool = False,
             lower: bool = True, upper: bool = True) -> float:
    y = np.asarray(y, dtype=float)
    best = np.clip(y, low if lower else -np.inf, high if upper else np.inf)
    sq = half * (best - y) ** 2
    if per_entry or y.ndim == 1:
        return float(np.mean(sq))
    return float(np.sum(sq) / y.shape[0])


def check_best_bounded_cost(best_bounded_cost: Callable[..., Any]) -> bool:
    """Check the smallest quadratic cost reachable with outputs confined to [low, high].

    ``best_bounded_cost(y, low, high)`` must return
    (1/m) Σᵢ ½ ‖clip(yᵢ, low, high) − yᵢ‖² for targets ``y`` of shape (m,) or (m, k).

    The check uses (6, 2) targets with [low, high] = [0, 1] and 5 one-dimensional
    targets with [low, high] = [−1, 1].

    Parameters
    ----------
    best_bounded_cost : callable
        The student's function.

    Returns
    -------
    bool
        True (after printing the verdict) when both values are right.

    Raises
    ------
    ExerciseFailure
        Naming a forgotten ½, an average over all entries instead of over
        samples, and a bound applied on one side only.
    """
    y2 = np.array([[-0.5, 0.3], [1.6, -1.2], [0.4, 0.9], [2.5, 0.1], [-2.0, 1.3], [0.7, -0.1]])
    cases = [(y2, 0.0, 1.0, "targets of shape (6, 2) with outputs in [0, 1]"),
             (np.array([-1.5, 0.2, 3.0, -0.4, 1.1]), -1.0, 1.0,
              "targets of shape (5,) with outputs in [-1, 1]")]
    for y, low, high, what in cases:
        got = call_student(best_bounded_cost, y, low, high, name="best_bounded_cost")
        wrong = {
            "you forgot the ½ of the quadratic cost." + see(2, _BOUNDED, "8.2"):
                _bounded(y, low, high, half=1.0),
            "you applied only the lower bound; outputs above `high` cost something too."
            + see(1, _BOUNDED, "8.2"): _bounded(y, low, high, upper=False),
            "you applied only the upper bound; outputs below `low` cost something too."
            + see(1, _BOUNDED, "8.2"): _bounded(y, low, high, lower=False),
        }
        if y.ndim == 2:
            wrong["you averaged over all m·k entries; the cost averages over the m samples and "
                  "sums over the k outputs of each." + see(2, _BOUNDED)] = _bounded(
                      y, low, high, per_entry=True)
        expect_scalar(got, _bounded(y, low, high), f"the best cost for {what}", wrong=wrong,
                      hint="the best output for each target is np.clip(y, low, high); sum "
                           "½(best − y)² over everything and divide by m = y.shape[0].")
    floor = _bounded(2 * np.sin(np.linspace(0, 2 * np.pi, 100_001)), -1.0, 1.0)
    return passed(f"the best bounded output is clip(y, low, high). (A tanh output on 2 sin x "
                  f"cannot go below {floor:.4f}.)")


def check_symmetry_predictions(distinct_rows_zeros: Any, distinct_rows_random_bias: Any) -> bool:
    """Check the predicted number of distinct rows of W¹ after training a 2-5-1 network.

    1. All weights and biases start at 0: the hidden units stay identical (1 row).
    2. All weights start at 1 but the hidden biases are random: the units differ
       from the first step (5 rows).

    Parameters
    ----------
    distinct_rows_zeros, distinct_rows_random_bias : int or callable
        The two predictions (or functions of no argument returning them).

    Returns
    -------
    bool
        True (after printing the verdict) when both predictions are right.

    Raises
    ------
    ExerciseFailure
        Explaining the symmetry argument for the case that is wrong.
    """
    answers = [written_answer(value, name, "your prediction (an integer from 1 to 5)")
               for value, name in ((distinct_rows_zeros, "distinct_rows_zeros"),
                                   (distinct_rows_random_bias, "distinct_rows_random_bias"))]
    expect_scalar(answers[0], 1, "the number of distinct rows of W¹ after an all-zero start",
                  rtol=0, atol=0.01,
                  wrong={"you expected zeros to break the symmetry; but every hidden unit starts "
                         "with the same z¹ = 0 and a¹ = σ(0) = ½, so by BP2–BP4 all receive the "
                         "same gradient (the first step even leaves W¹ unchanged, since δ¹ is "
                         "proportional to W² = 0)." + see(2, _SYMMETRY, "8.5"): 5},
                  hint="apply the induction of section 8.5: equal parameters, equal gradients.")
    expect_scalar(answers[1], 5, "the number of distinct rows of W¹ with random hidden biases",
                  rtol=0, atol=0.01,
                  wrong={"you expected the equal weights to keep the units identical; but with "
                         "different biases the units' weighted inputs z¹ⱼ differ, so do their "
                         "activations and σ′(z¹ⱼ), and so, by BP2–BP4, do their gradients."
                         + see(2, _SYMMETRY, "8.5"): 1},
                  hint="the symmetry needs every parameter of the units to be equal, biases "
                       "included.")
    return passed("an all-zero start keeps the 5 units identical (1 distinct row); different "
                  "biases alone are enough to break the symmetry (5 distinct rows).")
