"""Exercise checks of chapter 10, Capstone: handwritten digits (fixed inputs whose answers are not symmetric)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.checks._core import ExerciseFailure, as_array, call_student, check, expect_array, expect_items, passed, see

_CONFUSION_EX = "A confusion matrix from scratch"
_PRECISION_EX = "Precision and recall per digit"
_WIDTH_EX = "How few hidden units?"
_STOPPING_EX = "When does early stopping stop?"

# 13 samples of 4 classes: class 3 is never the truth, class 2 is never predicted.
_Y_TRUE = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 1, 2, 0])
_Y_PRED = np.array([0, 1, 0, 1, 1, 3, 0, 0, 1, 0, 1, 3, 3])
# A 4-class confusion matrix (rows: true class, columns: predicted class).
_CONFUSION = np.array([[50, 3, 0, 2], [4, 40, 6, 0], [1, 9, 30, 5], [0, 2, 8, 20]])


@check("confusion_matrix")
def check_confusion_matrix(confusion_matrix: Callable[..., Any]) -> bool:
    """Check ``confusion_matrix(y_true, y_pred, n_classes)``: ``C[i, j]`` counts the samples of class i predicted j."""
    expected = np.zeros((4, 4), dtype=int)
    np.add.at(expected, (_Y_TRUE, _Y_PRED), 1)
    got = call_student(confusion_matrix, _Y_TRUE, _Y_PRED, 4)
    if got is not None and np.shape(got) != (4, 4):
        raise ExerciseFailure(f"confusion_matrix(y_true, y_pred, 4) returned shape {np.shape(got)}; it should be "
                              "(4, 4): size it with n_classes, not with the labels that occur." + see(1, _CONFUSION_EX))
    expect_array(got, expected, "the confusion matrix",
                 wrong={"you swapped rows and columns: row i is the true class, column j the prediction."
                        + see(1, _CONFUSION_EX, "10.8"): expected.T,
                        "you normalised the rows; the matrix holds counts." + see(1, _CONFUSION_EX, "10.8"):
                            expected / np.maximum(expected.sum(axis=1, keepdims=True), 1),
                        "you counted only the correct predictions (the diagonal)."
                        + see(2, _CONFUSION_EX, "10.8"): np.diag(np.diag(expected)),
                        "you wrote C[y_true, y_pred] += 1, which adds 1 only once for a pair that occurs several "
                        "times; use np.add.at(C, (y_true, y_pred), 1) or a loop over the samples."
                        + see(2, _CONFUSION_EX): (expected > 0).astype(int)},
                 hint="for each sample, add 1 to C[y_true[i], y_pred[i]].")
    return passed("C[i, j] counts the samples of class i predicted as j.")


@check("precision_recall")
def check_precision_recall(precision_recall: Callable[..., Any]) -> bool:
    """Check ``precision_recall(C)``: ``(C[k, k] / column sum, C[k, k] / row sum)`` for each class k."""
    C = _CONFUSION
    diag = np.diag(C).astype(float)
    precision, recall = diag / C.sum(axis=0), diag / C.sum(axis=1)
    got_precision, got_recall = expect_items(call_student(precision_recall, C), ("precision", "recall"),
                                             "precision_recall")
    total = "you divided by the total number of samples." + see(2, _PRECISION_EX)
    expect_array(got_precision, precision, "precision", hint="precision[k] = C[k, k] / C[:, k].sum().",
                 wrong={"you divided by the row sums, which gives the recall: precision divides C[k, k] by the "
                        "column sum, the number of samples predicted as k." + see(2, _PRECISION_EX, "10.8"): recall,
                        total: diag / C.sum()})
    expect_array(got_recall, recall, "recall", hint="recall[k] = C[k, k] / C[k, :].sum().",
                 wrong={"you divided by the column sums, which gives the precision: recall divides C[k, k] by the "
                        "row sum, the number of samples of class k." + see(2, _PRECISION_EX, "10.8"): precision,
                        total: diag / C.sum()})
    return passed("precision divides the diagonal by the column sums, recall by the row sums.")


# The width experiment on a small case: 200 digits to train on, the next 100 to validate.
_WIDTHS, _SEEDS, _EPOCHS, _LR = (3, 6, 12), (0, 1), 3, 0.3


def _width_runs(data: tuple, *, shuffle: int = 1, optimizer: str = "momentum", measure: str = "val") -> np.ndarray:
    """The reference runs, or a slip: shuffling from seed + 0, plain "sgd", ``measure`` "fit" or "loss"."""
    from nnlib import optim
    from nnlib.network import Network

    X_fit, y_fit, X_val, y_val = data
    out = np.zeros((len(_WIDTHS), len(_SEEDS)))
    for i, width in enumerate(_WIDTHS):
        for j, seed in enumerate(_SEEDS):
            net = Network([X_fit.shape[1], width, 10], hidden="tanh", output="softmax", loss="cross_entropy",
                          rng=seed)
            opt = optim.Momentum(_LR, beta=0.9) if optimizer == "momentum" else optim.SGD(_LR)
            net.fit(X_fit, y_fit, epochs=_EPOCHS, batch_size=32, optimizer=opt, rng=seed + shuffle)
            out[i, j] = (net.loss(X_val, y_val) if measure == "loss" else
                         net.accuracy(*((X_fit, y_fit) if measure == "fit" else (X_val, y_val))))
    return out


@check("width_experiment")
def check_width_experiment(width_experiment: Callable[..., Any]) -> bool:
    """Check ``width_experiment(widths, seeds, epochs, lr, (X_fit, y_fit, X_val, y_val))``, section 10.3's recipe."""
    from nnlib.datasets import digits

    X, y = digits()
    data = (X[:200], y[:200], X[200:300], y[200:300])
    call = f"width_experiment({_WIDTHS}, {_SEEDS}, {_EPOCHS}, {_LR}, data)"
    got, again = (as_array(call_student(width_experiment, _WIDTHS, _SEEDS, _EPOCHS, _LR, data),
                           f"what {call} returned", (len(_WIDTHS), len(_SEEDS)),
                           transposed="one row per width and one column per seed." + see(2, _WIDTH_EX))
                  for _ in range(2))
    if not np.array_equal(got, again):
        raise ExerciseFailure(f"two calls of {call} gave different accuracies: a run is not reproducible "
                              "unless both its seeds are passed, rng=seed to Network (the weights) and "
                              "rng=seed + 1 to fit (the shuffling)." + see((1, 2), _WIDTH_EX))
    expect_array(got, _width_runs(data), "the validation accuracies", rtol=0, atol=1e-12,
                 hint="train Network([64, H, 10], hidden=\"tanh\", output=\"softmax\", loss=\"cross_entropy\", "
                      "rng=seed) with fit(X_fit, y_fit, epochs=epochs, batch_size=32, "
                      "optimizer=optim.Momentum(lr, beta=0.9), rng=seed + 1), then net.accuracy(X_val, y_val).",
                 wrong={"you measured the accuracy on the training images; the choice is made on the "
                        "validation images (X_val, y_val)." + see(1, _WIDTH_EX, "10.4"):
                            _width_runs(data, measure="fit"),
                        "you returned the validation loss; the experiment reports the accuracy, "
                        "net.accuracy(X_val, y_val)." + see(1, _WIDTH_EX): _width_runs(data, measure="loss"),
                        "you shuffled with the weights' seed; section 10.3 shuffles with seed + 1."
                        + see(1, _WIDTH_EX, "10.3"): _width_runs(data, shuffle=0),
                        "you trained with plain SGD; the recipe uses optim.Momentum(lr, beta=0.9)."
                        + see(1, _WIDTH_EX, "10.3"): _width_runs(data, optimizer="sgd")})
    return passed(f"{len(_WIDTHS) * len(_SEEDS)} runs, one row per width and one column per seed, "
                  "each reproducible and measured on the validation images.")


# (validation curve, patience): a tie with the best, a dip that comes back within the patience,
# a curve that ends before the rule stops, a long plateau.
_CURVES = (
    ([0.9, 0.7, 0.6, 0.6, 0.65, 0.62, 0.61, 0.64, 0.58, 0.6, 0.63, 0.66, 0.7], 3),
    ([1.0, 0.8, 0.85, 0.79, 0.8, 0.81, 0.82, 0.83], 2),
    ([0.5, 0.4, 0.45, 0.39, 0.41, 0.38], 4),
    ([0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2], 5),
)


def _stopping(curve: list[float], patience: int, *, ties: bool = False, extra: int = 0, first_rise: bool = False,
              look_ahead: bool = False, zero_based: bool = False, last: bool = False) -> tuple[int, int]:
    """Section 10.3's rule on a recorded curve, ``(best, stop)`` with −1 for "never", or one of the named slips."""
    wait = 1 if first_rise else patience + extra
    best_loss, best, stop = np.inf, 0, -1
    for epoch, loss in enumerate(curve, start=1):
        if loss < best_loss or (ties and loss == best_loss):
            best_loss, best = loss, epoch
        if epoch - best >= wait:
            stop = epoch
            break
    best = int(np.argmin(curve)) + 1 if look_ahead else best
    stop = len(curve) if stop == -1 and last else stop
    shift = 1 if zero_based else 0
    return best - shift, (stop - shift if stop != -1 else -1)


@check("stopping_epoch")
def check_stopping_epoch(stopping_epoch: Callable[..., Any]) -> bool:
    """Check ``stopping_epoch(val_loss, patience)``: ``(best, stop)`` of section 10.3's rule, None for "never"."""
    slips = {
        "you counted a loss equal to the best as a new best; a new best must be strictly lower."
        + see(2, _STOPPING_EX, "10.3"): {"ties": True},
        "you waited one epoch too many: the rule stops as soon as `patience` epochs have passed "
        "since the best, when epoch − best == patience." + see(2, _STOPPING_EX, "10.3"): {"extra": 1},
        "you stopped at the first epoch without a new best; the patience lets the curve come back."
        + see(1, _STOPPING_EX, "10.3"): {"first_rise": True},
        "you took the best over the whole curve, including the epochs after the stop, which "
        "training never reaches." + see(2, _STOPPING_EX): {"look_ahead": True},
        "you counted epochs from 0; val_loss[0] is the loss after epoch 1." + see(2, _STOPPING_EX):
            {"zero_based": True},
        "you returned the last epoch when the rule never fires; return None for stop."
        + see(3, _STOPPING_EX): {"last": True},
    }
    got = []
    for curve, patience in _CURVES:
        best, stop = expect_items(call_student(stopping_epoch, list(curve), patience), ("best", "stop"),
                                  "stopping_epoch")
        got.append((np.nan if best is None else best, -1 if stop is None else stop))
    expected = [_stopping(curve, patience) for curve, patience in _CURVES]
    shown = "; ".join(f"patience {p}: {tuple(None if v == -1 else v for v in e)}"
                      for (_, p), e in zip(_CURVES, expected, strict=True))
    expect_array(got, expected, "(best, stop) for the four curves, one row per curve, None as −1",
                 rtol=0, atol=0, wrong={text: [_stopping(c, p, **slip) for c, p in _CURVES]
                                        for text, slip in slips.items()},
                 hint=f"the expected pairs are {shown}; walk through the curve epoch by epoch, keep the best so "
                      "far, and stop when epoch − best reaches the patience.")
    return passed(f"the rule gives {shown}.")
