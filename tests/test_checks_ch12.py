"""The chapter 12 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch12
from tests.conftest import WRONG, assert_fails, wrong


def test_the_solutions_agree_with_a_softmax_of_equal_logits(sol):
    from nnlib import Network

    for k in (2, 5, 10):
        net = Network([3, k], output="softmax", loss="cross_entropy", init="zeros", rng=0)
        assert np.isclose(net.loss(np.ones((4, 3)), np.arange(4) % k), sol.expected_initial_loss(k), rtol=1e-12)


def test_the_ratio_of_an_sgd_step_is_eta_times_the_gradient_over_the_weights(sol):
    rng = np.random.default_rng(1)
    W, g = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    assert np.isclose(sol.update_ratios([W], [W - 0.1 * g])[0], 0.1 * np.linalg.norm(g) / np.linalg.norm(W))


def test_the_tiny_batch_test_leaves_the_network_alone(sol):
    from nnlib import Network

    X, Y = np.eye(10, 64), np.eye(10)
    net = Network([64, 32, 10], hidden="tanh", output="softmax", loss="cross_entropy", rng=3)
    before = [p.copy() for p in net.parameters()]
    assert sol.overfits_tiny_batch(net, X, Y) is True
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters(), before, strict=True))


def _norm(A):
    return float(np.sqrt(np.sum(np.asarray(A) ** 2)))


def _tiny_test(judge="loss", copy=True, epochs=200, lr=1.0):
    # A student's tiny-batch test, right or with one slip.
    def test(net, X, Y):
        trial = net.copy() if copy else net
        trial.fit(X, Y, epochs=epochs, lr=lr)
        if judge == "accuracy":
            return bool(trial.accuracy(X, np.argmax(Y, axis=1)) == 1.0)
        if judge == "loose":
            return bool(trial.loss(X, Y) < 2.0)
        return bool(trial.loss(X, Y) < 0.01)

    return test


INITIAL, START, RATIOS = ch12.check_expected_initial_loss, ch12.check_suspicious_start, ch12.check_update_ratios
TINY, CULPRITS = ch12.check_overfits_tiny_batch, ch12.check_culprits
WRONG_ANSWERS = [
    wrong(INITIAL, lambda k: np.log10(k), "base 10", with_section=True),
    wrong(INITIAL, lambda k: np.log2(k), "base 2", with_section=True),
    wrong(INITIAL, lambda k: 1 / k, "the probability 1/k", with_section=True),
    wrong(INITIAL, lambda k: np.log(1 / k), "its negative", with_section=True),
    wrong(INITIAL, lambda k: None, "is None: did you forget to `return` it", named=False),
    wrong(START, lambda loss, k, rtol=0.25: bool(loss - np.log(k) > rtol * np.log(k)), "far below log k is suspicious",
          with_section=True),
    wrong(START, lambda loss, k, rtol=0.25: bool(abs(loss - np.log(k)) > rtol), "rtol times log k"),
    wrong(START, lambda loss, k, rtol=0.25: bool(abs(loss - np.log(k)) > 0.25 * np.log(k)), "instead of the rtol"),
    wrong(START, lambda loss, k, rtol=0.25: abs(loss - np.log(k)) - rtol * np.log(k), "return True or False"),
    wrong(RATIOS, lambda b, a: [abs(_norm(A) - _norm(B)) / _norm(B) for B, A in zip(b, a, strict=True)],
          "difference of the two norms", with_section=True),
    wrong(RATIOS, lambda b, a: [_norm(A - B) / _norm(A) for B, A in zip(b, a, strict=True)], "the norm before it",
          with_section=True),
    wrong(RATIOS, lambda b, a: [_norm(A - B) ** 2 / _norm(B) ** 2 for B, A in zip(b, a, strict=True)],
          "squared norms"),
    wrong(RATIOS, lambda b, a: [float(np.mean(np.abs((A - B) / B))) for B, A in zip(b, a, strict=True)],
          "element-wise ratios"),
    wrong(RATIOS, lambda b, a: [_norm(A - B) for B, A in zip(b, a, strict=True)], "without dividing",
          with_section=True),
    wrong(RATIOS, lambda b, a: _norm(np.concatenate([(A - B).ravel() for B, A in zip(b, a, strict=True)])),
          "one number per layer"),
    wrong(RATIOS, lambda b, a: None, "is None: did you forget to `return` it", named=False),
    wrong(TINY, _tiny_test(judge="accuracy"), "not by the accuracy", with_section=True),
    wrong(TINY, _tiny_test(judge="loose"), "loose threshold", with_section=True),
    wrong(TINY, _tiny_test(copy=False), "train a copy"),
    wrong(TINY, _tiny_test(epochs=20), "the number of epochs"),
    wrong(TINY, lambda net, X, Y: 0.5, "return True or False"),
    wrong(CULPRITS, ["B", "C"], "suspect C is a smaller ReLU network"),
    wrong(CULPRITS, [], "keep the names of those"),
    wrong(CULPRITS, ["A"], "keep the names of those"),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=12)


def test_the_culprit_may_be_named_alone(capsys):
    assert ch12.check_culprits("B")
    assert "Correct" in capsys.readouterr().out
