"""The chapter 10 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch10
from tests.conftest import WRONG, assert_fails, wrong


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


def _diag(C):
    return np.diag(C).astype(float)


def _width_experiment(*, measure="val", shuffle=1, momentum=True, transpose=False, seeded=True):
    """A student's width experiment, right or with one slip, written independently of the check."""
    from nnlib import Network, optim

    def width_experiment(widths, seeds, epochs, lr, data):
        X_fit, y_fit, X_val, y_val = data
        rows = []
        for width in widths:
            row = []
            for seed in seeds:
                net = Network([64, width, 10], hidden="tanh", output="softmax", loss="cross_entropy",
                              rng=seed if seeded else None)
                net.fit(X_fit, y_fit, epochs=epochs, batch_size=32,
                        optimizer=optim.Momentum(lr, beta=0.9) if momentum else optim.SGD(lr),
                        rng=seed + shuffle if seeded else None)
                row.append(net.loss(X_val, y_val) if measure == "loss" else
                           net.accuracy(X_fit, y_fit) if measure == "fit" else net.accuracy(X_val, y_val))
            rows.append(row)
        return np.array(rows).T if transpose else np.array(rows)

    return width_experiment


def test_width_experiment_agrees_with_the_slip_free_generator(sol):
    from nnlib.datasets import digits

    X, y = digits()
    data = (X[:120], y[:120], X[120:180], y[120:180])
    np.testing.assert_array_equal(sol.width_experiment((4, 8), (3,), 2, 0.1, data),
                                  _width_experiment()((4, 8), (3,), 2, 0.1, data))


def _stopping_rule(*, ties=False, wait=0, at_first_rise=False, whole_curve=False, from_zero=False,
                   last_epoch=False):
    """A student's stopping_epoch, right or with one slip, written independently of the check."""

    def stopping_epoch(val_loss, patience):
        losses = list(val_loss)
        limit = 1 if at_first_rise else patience + wait
        best, stop = 1, None
        for epoch in range(2, len(losses) + 1):
            earlier = min(losses[:epoch - 1])
            if losses[epoch - 1] < earlier or (ties and losses[epoch - 1] == earlier):
                best = epoch
            if epoch - best >= limit:
                stop = epoch
                break
        if whole_curve:
            best = losses.index(min(losses)) + 1
        if stop is None and last_epoch:
            stop = len(losses)
        if from_zero:
            best, stop = best - 1, (None if stop is None else stop - 1)
        return best, stop

    return stopping_epoch


def test_stopping_epoch_agrees_with_the_slip_free_rule_on_random_curves(sol):
    rng = np.random.default_rng(1)
    right = _stopping_rule()
    for _ in range(200):
        curve = list(np.round(rng.uniform(0, 1, rng.integers(1, 25)), 1))  # rounded: ties occur
        patience = int(rng.integers(1, 6))
        assert sol.stopping_epoch(curve, patience) == right(curve, patience), (curve, patience)


CONFUSION, PRECISION = ch10.check_confusion_matrix, ch10.check_precision_recall
STOPPING = ch10.check_stopping_epoch
WIDTH = ch10.check_width_experiment
WRONG_ANSWERS = [
    wrong(CONFUSION, lambda t, p, k: _counts(p, t, k), "swapped rows and columns"),
    wrong(CONFUSION, lambda t, p, k: _counts(t, p, k) / np.maximum(_counts(t, p, k).sum(axis=1, keepdims=True), 1),
          "normalised the rows"),
    wrong(CONFUSION, lambda t, p, k: np.diag(np.diag(_counts(t, p, k))), "only the correct predictions"),
    wrong(CONFUSION, _fancy_index_counts, r"adds 1 only once for a pair"),
    wrong(CONFUSION, lambda t, p, k: _counts(t, p, int(max(t.max(), p.max())) + 1)[:3, :3], "size it with n_classes"),
    wrong(CONFUSION, lambda t, p, k: None, "the confusion matrix is None: did you forget to `return` it", named=False),
    wrong(PRECISION, lambda C: (_diag(C) / C.sum(axis=1), _diag(C) / C.sum(axis=0)), "gives the recall"),
    wrong(PRECISION, lambda C: (_diag(C) / C.sum(axis=0), _diag(C) / C.sum(axis=0)), "gives the precision"),
    wrong(PRECISION, lambda C: (_diag(C) / C.sum(), _diag(C) / C.sum(axis=1)), "total number of samples",
          id="precision by the total"),
    wrong(PRECISION, lambda C: (_diag(C) / C.sum(axis=0), _diag(C) / C.sum()), "total number of samples",
          id="recall by the total"),
    wrong(PRECISION, lambda C: _diag(C) / C.sum(axis=0), r"should return the pair \(precision, recall\)", named=False),
    wrong(WIDTH, _width_experiment(measure="fit"), "accuracy on the training images"),
    wrong(WIDTH, _width_experiment(measure="loss"), "returned the validation loss"),
    wrong(WIDTH, _width_experiment(shuffle=0), "shuffled with the weights' seed"),
    wrong(WIDTH, _width_experiment(momentum=False), "plain SGD"),
    wrong(WIDTH, _width_experiment(seeded=False), "not reproducible"),
    wrong(WIDTH, _width_experiment(transpose=True), "one row per width and one column per seed"),
    wrong(WIDTH, lambda widths, seeds, epochs, lr, data: None, "is None: did you forget to `return` it",
          named=False),
    wrong(STOPPING, _stopping_rule(ties=True), "equal to the best as a new best"),
    wrong(STOPPING, _stopping_rule(wait=1), "one epoch too many"),
    wrong(STOPPING, _stopping_rule(at_first_rise=True), "first epoch without a new best"),
    wrong(STOPPING, _stopping_rule(whole_curve=True), "over the whole curve"),
    wrong(STOPPING, _stopping_rule(from_zero=True), "counted epochs from 0"),
    wrong(STOPPING, _stopping_rule(last_epoch=True), "returned the last epoch when the rule never fires"),
    wrong(STOPPING, lambda val_loss, patience: _stopping_rule()(val_loss, patience)[0],
          r"should return the pair \(best, stop\)", named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=10)
