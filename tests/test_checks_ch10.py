"""The chapter 10 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch10
from tests.conftest import assert_points_to_a_hint, mistake_id


# ------------------------------------------------------------ confusion_matrix
def test_confusion_matrix_agrees_with_scikit_learn(sol):
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    np.testing.assert_array_equal(sol.confusion_matrix(y_true, y_pred, 5),
                                  confusion_matrix(y_true, y_pred, labels=range(5)))


def _counts(y_true, y_pred, k):
    C = np.zeros((k, k))
    np.add.at(C, (y_true, y_pred), 1)
    return C


def _fancy_index_counts(y_true, y_pred, k):
    # The classic slip: a repeated (true, predicted) pair is incremented only once
    C = np.zeros((k, k), dtype=int)
    C[y_true, y_pred] += 1
    return C


CONFUSION_MISTAKES = [
    (lambda t, p, k: _counts(p, t, k), "swapped rows and columns"),
    (lambda t, p, k: _counts(t, p, k) / np.maximum(_counts(t, p, k).sum(axis=1, keepdims=True), 1),
     "normalised the rows"),
    (lambda t, p, k: np.diag(np.diag(_counts(t, p, k))), "only the correct predictions"),
    (_fancy_index_counts, r"adds 1 only once for a pair"),
    (lambda t, p, k: _counts(t, p, int(max(t.max(), p.max())) + 1)[:3, :3],
     "size it with n_classes"),
]


@pytest.mark.parametrize(("wrong", "message"), CONFUSION_MISTAKES)
def test_confusion_matrix_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch10.check_confusion_matrix(wrong)


# ------------------------------------------------------------ precision_recall
def _diag(C):
    return np.diag(C).astype(float)


PRECISION_MISTAKES = [
    (lambda C: (_diag(C) / C.sum(axis=1), _diag(C) / C.sum(axis=0)), "gives the recall"),
    (lambda C: (_diag(C) / C.sum(axis=0), _diag(C) / C.sum(axis=0)), "gives the precision"),
    (lambda C: (_diag(C) / C.sum(), _diag(C) / C.sum(axis=1)), "total number of samples"),
    (lambda C: (_diag(C) / C.sum(axis=0), _diag(C) / C.sum()), "total number of samples"),
]


@pytest.mark.parametrize(("wrong", "message"), PRECISION_MISTAKES)
def test_precision_recall_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch10.check_precision_recall(wrong)


def test_precision_recall_must_return_a_pair():
    with pytest.raises(AssertionError, match=r"the pair \(precision, recall\)"):
        ch10.check_precision_recall(lambda C: _diag(C) / C.sum(axis=0))


# ------------------------------------------------------- pointers to the book
@pytest.mark.parametrize(("check", "wrong", "message"), [
    *[(ch10.check_confusion_matrix, w, m) for w, m in CONFUSION_MISTAKES],
    *[(ch10.check_precision_recall, w, m) for w, m in PRECISION_MISTAKES],
], ids=mistake_id)
def test_each_named_mistake_points_to_a_hint_that_exists(check, wrong, message):
    with pytest.raises(AssertionError, match=message) as failure:
        check(wrong)
    assert_points_to_a_hint(str(failure.value), 10)
