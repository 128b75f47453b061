"""Exercise checks of chapter 6, Gradient checking: references from closed forms, backprop and float64 differences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.activations import sigmoid
from nnlib.checks import _core
from nnlib.checks._core import ExerciseFailure, call_student, check, expect_array, expect_scalar, passed, see
from nnlib.gradcheck import numerical_gradient as _nnlib_numerical_gradient
from nnlib.gradcheck import relative_error as _nnlib_relative_error
from nnlib.network import Gradients, Network

_EX_NUMGRAD = "The numerical gradient"
_EX_RELERR = "The relative error"
_EX_BUGHUNT = "Bug hunt"
_EX_FORWARD = "The best step for a forward difference"
_EX_REPORT = "Read the report"


def _bound(err: float) -> str:
    """A relative error as a statement that holds on any machine: a bound at rounding level, else 2 digits."""
    for limit in (1e-8, 1e-6):
        if err < limit:
            return f"below {limit:.0e}"
    return f"of {err:.1e}"


def _smooth(x: np.ndarray) -> float:
    """A test function with a known gradient: 3 cos(3x) + x ⊙ (the row index + 1)."""
    rows = np.arange(1, x.shape[0] + 1)[:, None]
    return float(np.sum(np.sin(3 * x)) + 0.5 * np.sum(rows * x ** 2))


def _forward_difference(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float) -> np.ndarray:
    """(f(x + ε eᵢ) − f(x)) / ε for every element i of (a copy of) x: the mistake accurate to O(ε) only."""
    x, grad = x.copy(), np.zeros_like(x)
    base = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - base) / eps
        x[i] = old
    return grad


def _left_changed(name: str, what: str, before: np.ndarray, after: np.ndarray, advice: str) -> ExerciseFailure:
    return ExerciseFailure(f"{name} {what} (by up to {np.max(np.abs(after - before)):.1e}): {advice}"
                           + see(2, _EX_NUMGRAD))


@check("numerical_gradient")
def check_numerical_gradient(numerical_gradient: Callable[..., Any]) -> bool:
    """Check ``numerical_gradient(f, x, eps=1e-6)``: centred differences, in place.

    It must return (f(x + ε eᵢ) − f(x − ε eᵢ)) / (2ε) for every element i of ``x``, nudging ``x`` itself
    (``f`` may read a network's live weights without receiving them) and leaving it as it found it.
    """
    name = getattr(numerical_gradient, "__name__", "numerical_gradient")
    # 1. A large step, so that the forward difference is visibly worse than the centred one.
    x = np.array([[0.3, -1.2], [0.8, 0.1], [-0.5, 1.7]])
    x_before, eps = x.copy(), 1e-3
    got = call_student(lambda: numerical_gradient(_smooth, x, eps), name=name)
    centred = _nnlib_numerical_gradient(_smooth, x_before.copy(), eps)
    if not np.array_equal(x, x_before):
        raise _left_changed(name, "changed x: after the call x differs from before", x_before, x,
                            "restore each element to its old value once its two function values are computed.")
    see_3 = see(3, _EX_NUMGRAD, "6.1")
    expect_array(got, centred, f"{name}(f, x, eps=1e-3) for f(x) = Σ sin(3x) + ...", rtol=1e-7, atol=1e-10,
                 wrong={"you used the forward difference (f(x + ε) − f(x)) / ε, accurate to O(ε) only."
                        + see(1, _EX_NUMGRAD, "6.1"): _forward_difference(_smooth, x_before, eps),
                        f"you divided by ε instead of 2ε.{see_3}": 2 * centred,
                        f"you computed (f(x − ε) − f(x + ε)) / (2ε): the sign is flipped.{see_3}": -centred},
                 hint="for each index i: save x[i], set x[i] = old + ε and evaluate f, set x[i] = old − ε and "
                      "evaluate f, put x[i] back, then divide the difference by 2ε.")
    # 2. A network's live weights: f reads them through the network, not its argument.
    rng = np.random.default_rng(61)
    net = Network([3, 4, 2], hidden="sigmoid", output="sigmoid", loss="bce", rng=rng)
    X = rng.normal(size=(5, 3))
    Y = (rng.uniform(size=(5, 2)) < 0.5).astype(float)
    W1 = net.weights[0]
    W1_before = W1.copy()
    got = call_student(lambda: numerical_gradient(lambda _: net.loss(X, Y), W1), name=name)
    if not np.allclose(W1, W1_before, rtol=0, atol=1e-12):
        raise _left_changed(name, "left the network's weights changed", W1_before, W1,
                            "restore x[i] to the value you saved, rather than adding and subtracting ε.")
    backprop = net.gradients(X, Y).dW[0]
    expect_array(got, backprop, f"{name}(lambda _: net.loss(X, Y), net.weights[0]) with the default eps",
                 rtol=1e-5, atol=1e-8, hint="the default step should be eps=1e-6.",
                 wrong={"you perturbed a copy of x: f reads the network's own weights, so nudge x itself, in place."
                        + see(2, _EX_NUMGRAD): np.zeros_like(backprop)})
    return passed(f"centred differences, in place; on a network's W¹ your gradient agrees with backpropagation "
                  f"to a relative error {_bound(_nnlib_relative_error(got, backprop))}.")


@check("relative_error")
def check_relative_error(relative_error: Callable[..., Any]) -> bool:
    """Check ``relative_error(a, b) = ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂)`` (0.0 when both are zero)."""
    name = getattr(relative_error, "__name__", "relative_error")
    a = np.array([[1.0, -2.0, 3.0], [0.5, 0.25, 4.0]])
    b = a + np.array([[0.1, 0.0, 0.3], [0.0, 0.2, 0.1]])  # ‖b‖ > ‖a‖
    pointer = see(1, _EX_RELERR, "6.2")
    for what, p, q in (("a (2×3) and b = a + a small change", a, b), ("the pair swapped: relative_error(b, a)", b, a),
                       ("the same pair scaled by 1e-9", a * 1e-9, b * 1e-9)):
        n_p, n_q, n_d = np.linalg.norm(p), np.linalg.norm(q), np.linalg.norm(p - q)
        wrong = {"you returned the absolute error ‖a − b‖ without dividing by the norms.": n_d,
                 "you divided by ‖a‖ only, which is not symmetric in a and b.": n_d / n_p,
                 "you divided by max(‖a‖, ‖b‖) instead of ‖a‖ + ‖b‖.": n_d / max(n_p, n_q),
                 "you used sums of absolute values (the 1-norm) instead of Euclidean norms.":
                     np.abs(p - q).sum() / (np.abs(p).sum() + np.abs(q).sum()),
                 "you took the largest element-wise relative error.": np.max(np.abs(p - q) / (np.abs(p) + np.abs(q)))}
        expect_scalar(call_student(relative_error, p, q, name=name), n_d / (n_p + n_q), f"{name} for {what}",
                      rtol=1e-9, atol=1e-15, wrong={text + pointer: value for text, value in wrong.items()},
                      hint="use np.linalg.norm on a − b, on a and on b.")
    zeros = np.zeros((2, 3))
    got = call_student(relative_error, zeros, zeros, name=name)
    if got is not None and np.size(got) == 1 and np.isnan(np.asarray(got, dtype=float)):
        raise ExerciseFailure(f"{name} returns NaN when a and b are both zero (0/0): return 0.0 in that case, "
                              "since the two arrays agree exactly." + see(2, _EX_RELERR, "6.2"))
    expect_scalar(got, 0.0, f"{name} for two zero arrays", rtol=0, atol=0,
                  hint="when ‖a‖ + ‖b‖ = 0 the arrays are equal: return 0.0.")
    return passed("symmetric, scale-free, and 0 for two zero arrays.")


def backward_buggy(weights, biases, X, Y):
    """The bug hunt's given backward pass (tanh hidden layers, sigmoid output, BCE); it has a bug.

    ``weights[l - 1]`` = W^l of shape (n_l, n_(l−1)), ``biases[l - 1]`` = b^l, X of shape
    (m, n_0) and Y of shape (m, n_L); returns ``(dW, db)``, meant to be ∂C/∂W^l and
    ∂C/∂b^l for C the mean binary cross-entropy.
    """
    L = len(weights)
    A = [X]
    for l in range(1, L + 1):
        Z = A[l - 1] @ weights[l - 1].T + biases[l - 1]
        A.append(sigmoid(Z) if l == L else np.tanh(Z))
    m = X.shape[0]
    delta = (A[L] - Y) / m                                     # BP1
    dW, db = [None] * L, [None] * L
    for l in range(L, 0, -1):
        db[l - 1] = delta.sum(axis=0)                          # BP3
        dW[l - 1] = delta.T @ A[l - 1]                         # BP4
        if l > 1:
            delta = (delta @ weights[l - 1]) * (1 - np.tanh(A[l - 1]) ** 2)   # BP2
    return dW, db


@check("backward_fixed")
def check_bug_hunt(backward_fixed: Callable[..., Any]) -> bool:
    """Check the repaired ``backward_fixed(weights, biases, X, Y) -> (dW, db)`` against nnlib's backpropagation.

    The networks have tanh hidden layers, a sigmoid output and the mean binary cross-entropy.
    """
    name = getattr(backward_fixed, "__name__", "backward_fixed")
    worst = 0.0
    for sizes, m, seed in (([4, 6, 5, 3], 7, 62), ([2, 3, 1], 5, 63)):
        net, X, Y = _core.network_problem(sizes, m, seed, hidden="tanh", output="sigmoid", loss="bce")
        dW, db = _core.expect_backprop(
            backward_fixed, name, net, X, Y, hidden="tanh", name=name,
            what=f"{{kind}}[{{i}}] = ∂C/∂{{p}}^{{l}} (network {'-'.join(map(str, sizes))})",
            mistakes={"you kept the original, buggy line: your gradients are those of backward_buggy."
                      + see(2, _EX_BUGHUNT, "6.6"): backward_buggy(net.weights, net.biases, X, Y),
                      "you used the sigmoid's derivative a(1 − a) for the tanh layers." + see(3, _EX_BUGHUNT, "4.3"):
                      {"prime": "sigmoid"}},
            hint="the output layer's gradients were right from the start; compare the hidden layers' line with "
                 "tanh′ = 1 − tanh²(z).")
        for param, grad in zip(net.parameters(), Gradients(dW, db).flat(), strict=True):
            numeric = _nnlib_numerical_gradient(lambda _, n=net, a=X, t=Y: n.loss(a, t), param, 1e-6)
            worst = max(worst, _nnlib_relative_error(np.asarray(grad, dtype=float), numeric))
    return passed(f"bug fixed: every array now agrees with centred differences (largest "
                  f"relative error {_bound(worst)}, threshold 1e-06).")


# ------------------------------------------------------------------ read the report
_MYSTERIES = {"A": "BP2", "B": "BP4", "C": "BP1", "D": "BP3"}
"""The equation that each mystery network's backward pass gets wrong."""

_BUGS = {"BP1": {"average": False}, "BP2": {"prime": "none"}, "BP3": {"mean_db": True}, "BP4": {"z_in_dW": True}}
"""How each equation goes wrong: BP1 loses the 1/m, BP2 leaves out σ′, BP3 takes the mean over the samples
instead of the sum, BP4 multiplies by Z^(l−1) instead of A^(l−1)."""

_SHOWS = {
    "BP1": "every array fails, the output layer's too, each by the same relative error",
    "BP2": "the output layer's W and b pass, and every array below it fails",
    "BP3": "every bias fails and every weight passes",
    "BP4": "weights fail and every bias passes",
}
"""What the gradient check of a network with each kind of bug shows."""

_RULES_OUT = {
    "BP1": "a BP1 bug would change Δ^L, and with it every array, the output layer's included."
           + see(1, _EX_REPORT, "6.6"),
    "BP2": "BP2 only carries Δ to the layers below L, so a BP2 bug leaves the output layer right "
           "and spoils the weights and the biases below it together." + see(1, _EX_REPORT, "6.6"),
    "BP3": "BP3 gives only the biases' gradients, so a BP3 bug leaves every weight right."
           + see(1, _EX_REPORT, "6.6"),
    "BP4": "BP4 gives only the weights' gradients, so a BP4 bug leaves every bias right."
           + see((1, 2), _EX_REPORT, "6.6"),
}
"""Why a diagnosis cannot be right for a report that shows another pattern: one message per equation."""


class _MysteryNetwork(Network):
    """A Network whose ``gradients`` come from a backward pass with one planted bug (see _BUGS)."""

    def __init__(self, *args: Any, bug: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__bug = bug

    def gradients(self, X: Any, Y: Any) -> Gradients:
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        return Gradients(*_core.backprop_variant(self.weights, self.biases, X, Y, hidden="tanh", **_BUGS[self.__bug]))


def mystery_networks() -> dict[str, tuple[Network, np.ndarray, np.ndarray]]:
    """Four 3-5-4-2 networks (tanh, sigmoid output, BCE), each with a batch of 6 samples.

    Each network's ``gradients`` gets a different one of BP1–BP4 wrong, for the
    exercise "Read the report": ``{"A": (net, X, Y), ...}``.
    """
    problems = {}
    for seed, (name, bug) in enumerate(_MYSTERIES.items(), start=70):
        draw = np.random.default_rng(seed)
        net = _MysteryNetwork([3, 5, 4, 2], hidden="tanh", output="sigmoid", loss="bce", rng=draw, bug=bug)
        X = draw.normal(size=(6, 3))
        Y = (draw.uniform(size=(6, 2)) < 0.5).astype(float)
        problems[name] = (net, X, Y)
    return problems


@check("diagnosis")
def check_diagnosis(diagnosis: Any) -> bool:
    """Check ``diagnosis``: for each mystery network, the equation its backward pass gets wrong.

    The answer is a dict ``{"A": "BP1", ...}`` over the four networks of
    :func:`mystery_networks`, each value one of "BP1", "BP2", "BP3", "BP4". A wrong
    value is answered with what that network's report shows and why it rules the
    given equation out.
    """
    diagnosis = _core.written_answer(diagnosis, "diagnosis", 'a dict {"A": "BP…", "B": "BP…", "C": "BP…", "D": "BP…"}')
    if not isinstance(diagnosis, dict) or sorted(diagnosis) != sorted(_MYSTERIES):
        raise ExerciseFailure(f"diagnosis should be a dict with the keys {', '.join(map(repr, _MYSTERIES))}, "
                              f"one per network, got {diagnosis!r}.")
    answers = {}
    for name in _MYSTERIES:
        value = _core.written_answer(diagnosis[name], f'diagnosis["{name}"]', 'an equation such as "BP1"')
        text = str(value).strip().upper().replace(" ", "")
        if text not in _SHOWS:
            raise ExerciseFailure(f'diagnosis["{name}"] should be one of "BP1", "BP2", "BP3" and "BP4", '
                                  f"got {value!r}.")
        answers[name] = text
    for name, bug in _MYSTERIES.items():
        if answers[name] != bug:
            raise ExerciseFailure(f"network {name}: its report shows that {_SHOWS[bug]}; but "
                                  + _RULES_OUT[answers[name]])
    return passed("each report's pattern of failing arrays names its equation: "
                  + ", ".join(f"{name} {bug}" for name, bug in _MYSTERIES.items()) + ".")


@check("best_forward_step")
def check_forward_step(best_forward_step: Callable[..., Any]) -> bool:
    """Check ``best_forward_step(u, F, M2) -> (eps_star, error_star)``.

    For the error model of the forward difference, E(ε) = (M₂/2) ε + 2uF/ε, the
    minimiser is ε* = 2 √(uF/M₂) and the smallest error E(ε*) = 2 √(uF M₂).
    """
    name = getattr(best_forward_step, "__name__", "best_forward_step")
    u64, u32 = 2.0 ** -53, 2.0 ** -24
    for u, F, M2 in ((u64, 1.0, 1.0), (u64, 0.7, 3.0), (u32, 2.0, 0.5)):
        got = _core.expect_items(call_student(best_forward_step, u, F, M2, name=name), ("eps_star", "error_star"), name)
        what = f"(u={u:.2e}, F={F:g}, M2={M2:g})"
        expect_scalar(got[0], 2 * np.sqrt(u * F / M2), f"eps_star for {what}", rtol=1e-9, atol=0,
                      wrong={"you forgot the factor 2 that comes from ε² = 4uF/M₂."
                             + see(2, _EX_FORWARD): np.sqrt(u * F / M2),
                             "you used the centred-difference optimum (3uF/M)^(1/3)."
                             + see(1, _EX_FORWARD, "6.3"): (3 * u * F / M2) ** (1 / 3),
                             "you dropped the square root." + see(2, _EX_FORWARD): 4 * u * F / M2},
                      hint="set dE/dε = M₂/2 − 2uF/ε² to zero.")
        expect_scalar(got[1], 2 * np.sqrt(u * F * M2), f"error_star for {what}", rtol=1e-9, atol=0,
                      wrong={"you returned only the truncation part (M₂/2) ε*."
                             + see(2, _EX_FORWARD): np.sqrt(u * F * M2)},
                      hint="evaluate E at ε*: both terms turn out equal.")
    return passed(f"in float64 with F = M₂ = 1 the best forward step is 2√u ≈ "
                  f"{2 * np.sqrt(u64):.0e} and its error is 2√u too: of order √u, far worse "
                  "than the centred difference's u^(2/3).")
