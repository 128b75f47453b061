"""Exercise checks of chapter 10, Capstone: handwritten digits.

Each check calls the student's function on small, fixed inputs whose answers
are not symmetric, so that swapped rows and columns are caught and named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.checks._core import ExerciseFailure, call_student, check, expect_array, expect_items, passed, see

_CONFUSION_EX = "A confusion matrix from scratch"
_PRECISION_EX = "Precision and recall per digit"

# 13 samples of 4 classes: class 3 is never the truth, class 2 is never predicted.
_Y_TRUE = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 1, 2, 0])
_Y_PRED = np.array([0, 1, 0, 1, 1, 3, 0, 0, 1, 0, 1, 3, 3])

# A 4-class confusion matrix (rows: true class, columns: predicted class).
_CONFUSION = np.array([[50, 3, 0, 2],
                       [4, 40, 6, 0],
                       [1, 9, 30, 5],
                       [0, 2, 8, 20]])


@check("confusion_matrix")
def check_confusion_matrix(confusion_matrix: Callable[..., Any]) -> bool:
    """Check a confusion matrix: ``C[i, j]`` counts samples of true class i predicted as j.

    ``confusion_matrix(y_true, y_pred, n_classes)`` receives two integer label arrays
    of shape (m,) and must return an (n_classes, n_classes) array of counts. The test
    labels have a class that is never the truth and one that is never predicted, so
    the matrix must be sized by ``n_classes``, not by the labels that happen to occur.
    Rows and columns swapped, rows normalised, only the diagonal counted and repeated
    pairs counted once are named.
    """
    expected = np.zeros((4, 4), dtype=int)
    np.add.at(expected, (_Y_TRUE, _Y_PRED), 1)
    got = call_student(confusion_matrix, _Y_TRUE, _Y_PRED, 4)
    if got is not None and np.shape(got) != (4, 4):
        raise ExerciseFailure(f"confusion_matrix(y_true, y_pred, 4) returned shape {np.shape(got)}; it should be "
                              "(4, 4): size it with n_classes, not with the labels that occur." + see(1, _CONFUSION_EX))
    expect_array(got, expected, "the confusion matrix",
                 wrong={"you swapped rows and columns: row i is the true class, column j the prediction."
                        + see(1, _CONFUSION_EX, "10.4"): expected.T,
                        "you normalised the rows; the matrix holds counts." + see(1, _CONFUSION_EX, "10.4"):
                            expected / np.maximum(expected.sum(axis=1, keepdims=True), 1),
                        "you counted only the correct predictions (the diagonal)."
                        + see(2, _CONFUSION_EX, "10.4"): np.diag(np.diag(expected)),
                        "you wrote C[y_true, y_pred] += 1, which adds 1 only once for a pair that occurs several "
                        "times; use np.add.at(C, (y_true, y_pred), 1) or a loop over the samples."
                        + see(2, _CONFUSION_EX): (expected > 0).astype(int)},
                 hint="for each sample, add 1 to C[y_true[i], y_pred[i]].")
    return passed("C[i, j] counts the samples of class i predicted as j.")


@check("precision_recall")
def check_precision_recall(precision_recall: Callable[..., Any]) -> bool:
    """Check per-class precision and recall computed from a confusion matrix.

    ``precision_recall(C)`` receives a (k, k) confusion matrix (rows: true class,
    columns: predicted class) and must return ``(precision, recall)``, two arrays of
    shape (k,): precision_k = C[k, k] / Σ_i C[i, k] (of the samples predicted k, the
    fraction that are k) and recall_k = C[k, k] / Σ_j C[k, j] (of the samples of class
    k, the fraction found). Precision and recall swapped, and a division by the total
    count, are named.
    """
    C = _CONFUSION
    diag = np.diag(C).astype(float)
    precision, recall = diag / C.sum(axis=0), diag / C.sum(axis=1)
    got_precision, got_recall = expect_items(call_student(precision_recall, C), ("precision", "recall"),
                                             "precision_recall")
    total = "you divided by the total number of samples." + see(2, _PRECISION_EX)
    expect_array(got_precision, precision, "precision", hint="precision[k] = C[k, k] / C[:, k].sum().",
                 wrong={"you divided by the row sums, which gives the recall: precision divides C[k, k] by the "
                        "column sum, the number of samples predicted as k." + see(2, _PRECISION_EX, "10.4"): recall,
                        total: diag / C.sum()})
    expect_array(got_recall, recall, "recall", hint="recall[k] = C[k, k] / C[k, :].sum().",
                 wrong={"you divided by the column sums, which gives the precision: recall divides C[k, k] by the "
                        "row sum, the number of samples of class k." + see(2, _PRECISION_EX, "10.4"): precision,
                        total: diag / C.sum()})
    return passed("precision divides the diagonal by the column sums, recall by the row sums.")
