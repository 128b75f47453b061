"""Exercise checks of chapter 12, Debugging a network: the initial loss, update ratios, a tiny-batch test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.checks import _core
from nnlib.checks._core import ExerciseFailure, as_array, call_student, check, expect_array, expect_scalar, passed, see

_INITIAL_EX = "The loss to expect at initialisation"
_RATIO_EX = "The update-to-weight ratio"
_TINY_EX = "Find the planted bug with a tiny batch"


def _boolean(got: Any, call: str, pointer: str) -> bool:
    """The student's verdict ``got`` of ``call``, which must be True or False."""
    if not isinstance(got, bool | np.bool_):
        raise ExerciseFailure(f"{call} returned {type(got).__name__} {got!r}: return True or False.{pointer}")
    return bool(got)


@check("expected_initial_loss")
def check_expected_initial_loss(expected_initial_loss: Callable[[int], Any]) -> bool:
    """Check ``expected_initial_loss(k)``, the loss of a softmax classifier whose k logits are equal: log k."""
    pointer = see(1, _INITIAL_EX, "12.1")
    base = "; the book's log is the natural one (np.log)." + pointer
    for k in (2, 3, 7, 10, 100):
        expect_scalar(call_student(expected_initial_loss, k), np.log(k), f"expected_initial_loss({k})", rtol=1e-9,
                      hint="every class gets the probability 1/k; the loss of each sample is -log(1/k).",
                      wrong={"you used the logarithm to base 10" + base: np.log10(k),
                             "you used the logarithm to base 2" + base: np.log2(k),
                             "you returned the probability 1/k, not the loss -log(1/k)." + pointer: 1 / k,
                             "you returned log(1/k): the loss is its negative." + pointer: -np.log(k)})
    return passed("k equal logits give every class 1/k, and the loss log k.")


def _flag(loss: float, k: int, rtol: float) -> bool:
    return bool(abs(loss - np.log(k)) > rtol * np.log(k))


# (loss, k, rtol), chosen so that each slip answers at least one of them wrongly.
_STARTS = (
    (2.45, 10, 0.25),   # Xavier's start on the digits: fine
    (8.65, 10, 0.25),   # standard normal weights: far above
    (1.20, 10, 0.25),   # far below: labels leak (a flag for starts above only misses it)
    (0.75, 2, 0.25),    # two classes, 0.06 above log 2: fine
    (0.95, 2, 0.25),    # two classes, 0.26 above log 2 (0.69): suspicious
    (5.20, 100, 0.25),  # a hundred classes, 0.59 above log 100 (4.61): fine (an absolute tolerance flags it)
    (2.65, 10, 0.1),    # 0.35 above log 10: suspicious at rtol 0.1 (a tolerance fixed at 0.25 misses it)
    (2.65, 10, 0.25),   # ... and fine at rtol 0.25
)


@check("suspicious_start")
def check_suspicious_start(suspicious_start: Callable[..., Any]) -> bool:
    """Check ``suspicious_start(loss, k, rtol)``: True when the loss is off log k by more than rtol · log k."""
    for loss, k, rtol in _STARTS:
        call = f"suspicious_start({loss}, {k}, rtol={rtol})"
        got, expected = _boolean(call_student(suspicious_start, loss, k, rtol), call, see(2, _INITIAL_EX)), _flag(
            loss, k, rtol)
        if got == expected:
            continue
        msg = (f"{call} returned {got}, expected {expected}: log {k} = {np.log(k):.3f}, so the start "
               f"is off by {loss - np.log(k):+.3f}, {abs(loss - np.log(k)) / np.log(k):.0%} of log {k}.")
        if loss < np.log(k) and not got:
            msg += (" A start far below log k is suspicious too: compare the absolute value of the difference."
                    + see(2, _INITIAL_EX, "12.1"))
        elif (abs(loss - np.log(k)) > rtol) == got:
            msg += (" You compared the difference with rtol itself; compare it with rtol times log k."
                    + see(2, _INITIAL_EX))
        elif rtol != 0.25 and got == _flag(loss, k, 0.25):
            msg += " You used the tolerance 0.25 instead of the rtol you were given." + see(2, _INITIAL_EX)
        raise ExerciseFailure(msg)
    return passed("a start off log k by more than rtol · log k, above or below, is flagged.")


def _ratio_problem() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Three layers whose steps differ: a rotation that keeps the norm, a shrinking step, a small step."""
    rng = np.random.default_rng(12)
    before = [rng.normal(size=(4, 3)), rng.normal(size=(3, 4)), rng.normal(0, 0.1, size=(2, 3))]
    c, s = np.cos(0.3), np.sin(0.3)
    after = [before[0] @ np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]),
             0.6 * before[1] + 0.05 * rng.normal(size=(3, 4)), before[2] + 1e-3 * rng.normal(size=(2, 3))]
    return before, after


@check("update_ratios")
def check_update_ratios(update_ratios: Callable[..., Any]) -> bool:
    """Check ``update_ratios(before, after)``: ‖W_after − W_before‖ / ‖W_before‖ for each layer's weights."""
    before, after = _ratio_problem()
    got = as_array(call_student(update_ratios, [W.copy() for W in before], [W.copy() for W in after]),
                   "what update_ratios returned")
    if got.shape != (3,):
        raise ExerciseFailure(f"update_ratios should return one number per layer (3 here), got an array of "
                              f"shape {got.shape}." + see(2, _RATIO_EX))
    norm = np.linalg.norm

    def each(ratio: Callable[[np.ndarray, np.ndarray], float]) -> list[float]:
        return [ratio(B, A) for B, A in zip(before, after, strict=True)]

    expect_array(got, each(lambda B, A: norm(A - B) / norm(B)), "the update-to-weight ratios", rtol=1e-6,
                 atol=1e-12, hint="ratio[l] = np.linalg.norm(after[l] - before[l]) / np.linalg.norm(before[l]).",
                 wrong={"you took the difference of the two norms, |‖after‖ − ‖before‖| / ‖before‖: a step that "
                        "rotates the weights changes them without changing their norm." + see(1, _RATIO_EX, "12.4"):
                            each(lambda B, A: abs(norm(A) - norm(B)) / norm(B)),
                        "you divided by the norm of the weights after the step; divide by the norm before it."
                        + see(1, _RATIO_EX, "12.4"): each(lambda B, A: norm(A - B) / norm(A)),
                        "you divided the squared norms; take the norms themselves." + see(2, _RATIO_EX):
                            each(lambda B, A: norm(A - B) ** 2 / norm(B) ** 2),
                        "you averaged element-wise ratios |ΔW| / |W|; divide the norm of the change by the norm "
                        "of the weights." + see(2, _RATIO_EX): each(lambda B, A: np.mean(np.abs(A - B) / np.abs(B))),
                        "you returned the size of the change without dividing by the size of the weights."
                        + see(1, _RATIO_EX, "12.4"): each(lambda B, A: norm(A - B))})
    return passed("the ratio of the first layer is not 0 although its norm did not change: the step rotated it.")


def _softmax_again() -> Any:
    """The planted bug of section 12.2: a cross-entropy that applies a second softmax to the outputs."""
    from nnlib import activations, losses

    class SoftmaxAgain(losses.Loss):
        name = "cross-entropy of softmax(ŷ)"

        def value(self, y_hat, y):
            return -float(np.sum(y * np.log(activations.softmax(y_hat)))) / len(y_hat)

        def grad(self, y_hat, y):
            return activations.softmax.backward(y_hat, -y / activations.softmax(y_hat) / len(y_hat))

    return SoftmaxAgain()


@check("overfits_tiny_batch")
def check_overfits_tiny_batch(overfits_tiny_batch: Callable[..., Any]) -> bool:
    """Check ``overfits_tiny_batch(net, X, Y)``: True for a network that can memorise ten images, else False.

    It is tried on a correct network, one whose loss applies a second softmax (100% accuracy, but a loss
    above log(1 + 9/e)) and one whose weights all start at 0; it must train a copy of the network.
    """
    from nnlib.datasets import digits
    from nnlib.network import Network

    X, y = digits()
    first = np.array([np.flatnonzero(y == d)[0] for d in range(10)])
    X, Y = X[first], np.eye(10)[y[first]]
    kinds = {"a correct network": (dict(loss="cross_entropy"), True),
             "a network whose loss applies a second softmax": (dict(loss=_softmax_again()), False),
             "a network whose weights all start at 0": (dict(loss="cross_entropy", init="zeros"), False)}
    for what, (options, expected) in kinds.items():
        net = Network([64, 32, 10], hidden="tanh", output="softmax", rng=0, **options)
        start = [p.copy() for p in net.parameters()]
        got = _boolean(call_student(overfits_tiny_batch, net, X.copy(), Y.copy()), f"overfits_tiny_batch, for {what},",
                       see(1, _TINY_EX))
        if not all(np.array_equal(p, q) for p, q in zip(net.parameters(), start, strict=True)):
            raise ExerciseFailure(f"overfits_tiny_batch changed the parameters of the network it was given ({what}): "
                                  "train a copy, trial = net.copy()." + see(2, _TINY_EX))
        if got != expected:
            msg = f"overfits_tiny_batch returned {got} for {what}; expected {expected}."
            if "second softmax" in what:
                msg += (" That network reaches 100% accuracy on the ten images, but its loss cannot fall below "
                        "log(1 + 9/e) ≈ 1.461: judge by the loss, against 0.01, not by the accuracy or a loose "
                        "threshold." + see(1, _TINY_EX, "12.2"))
            elif expected:
                msg += (" A correct network trained for 200 full-batch epochs at lr = 1 ends below 0.01: check "
                        "the number of epochs, the learning rate and that every step uses the whole batch."
                        + see(2, _TINY_EX))
            raise ExerciseFailure(msg)
    return passed("the correct network memorises the ten images; the two with planted bugs cannot.")


@check("culprits")
def check_culprits(culprits: Any) -> bool:
    """Check ``culprits``, the names of the suspects that fail the tiny-batch test: ["B"], all weights 0."""
    culprits = _core.written_answer(culprits, "culprits", 'the list of the names that fail, e.g. ["A"]')
    names = sorted(str(c) for c in ([culprits] if isinstance(culprits, str) else culprits))
    if names == ["B"]:
        return passed('suspect B starts with all weights 0: its hidden units output 0 and get no gradient, so '
                      "only the output biases learn and the loss cannot fall below log 10.")
    if "C" in names:
        raise ExerciseFailure(f"culprits is {names}: suspect C is a smaller ReLU network with He's initialisation, "
                              "and it memorises the ten images. Run your test on it again." + see(3, _TINY_EX))
    raise ExerciseFailure(f"culprits is {names}: run overfits_tiny_batch on each suspect and keep the names of "
                          "those for which it returns False." + see(3, _TINY_EX))
