"""Checks for the exercises of chapter 6, Gradient checking.

The references are computed independently of the student's code: closed-form
derivatives, nnlib's backpropagation, and centred differences in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.activations import sigmoid
from nnlib.checks._core import (
    ExerciseFailure,
    backprop_variant,
    call_student,
    expect_array,
    expect_layer_gradients,
    expect_scalar,
    finite_differences,
    network_problem,
    passed,
    see,
)
from nnlib.gradcheck import numerical_gradient as _nnlib_numerical_gradient
from nnlib.gradcheck import relative_error as _nnlib_relative_error
from nnlib.network import Network

__all__ = ["check_numerical_gradient", "check_relative_error", "check_bug_hunt",
           "check_forward_step", "backward_buggy"]

SOLUTIONS = {
    "check_numerical_gradient": "numerical_gradient",
    "check_relative_error": "relative_error",
    "check_bug_hunt": "backward_fixed",
    "check_forward_step": "best_forward_step",
}
"""What the solutions notebook passes each check (the convention is in ``nnlib.checks._core``)."""

_EX_NUMGRAD = "The numerical gradient"
_EX_RELERR = "The relative error"
_EX_BUGHUNT = "Bug hunt"
_EX_FORWARD = "The best step for a forward difference"


def _bound(err: float) -> str:
    """A relative error as a statement that holds on any machine.

    At rounding level the digits of a relative error depend on the floating-point
    kernels of the processor, so such an error is given as a bound; a larger one
    keeps two significant digits.
    """
    for limit in (1e-8, 1e-6):
        if err < limit:
            return f"below {limit:.0e}"
    return f"of {err:.1e}"


# ------------------------------------------------------------ numerical gradient
def _smooth(x: np.ndarray) -> float:
    """A test function with a known gradient: 3 cos(3x) + x ⊙ (the row index + 1)."""
    rows = np.arange(1, x.shape[0] + 1)[:, None]
    return float(np.sum(np.sin(3 * x)) + 0.5 * np.sum(rows * x ** 2))


def check_numerical_gradient(numerical_gradient: Callable[..., Any]) -> bool:
    """Check ``numerical_gradient(f, x, eps=1e-6)``: centred differences, in place.

    The student's function must return (f(x + ε eᵢ) − f(x − ε eᵢ)) / (2ε) for every
    element i of ``x``, with the shape of ``x``; it must nudge ``x`` itself (so that
    it works on a network's live weights, which ``f`` reads without receiving them)
    and leave ``x`` as it found it.

    Parameters
    ----------
    numerical_gradient : callable
        The student's function.

    Returns
    -------
    bool
        True when the answers are right; otherwise ``ExerciseFailure`` is raised.
    """
    name = getattr(numerical_gradient, "__name__", "numerical_gradient")
    # 1. A smooth function of a (3, 2) array, with a large step so that the
    #    forward difference is visibly worse than the centred one.
    x = np.array([[0.3, -1.2], [0.8, 0.1], [-0.5, 1.7]])
    x_before = x.copy()
    eps = 1e-3
    got = call_student(lambda: numerical_gradient(_smooth, x, eps), name=name)
    ref = {kind: finite_differences(_smooth, x_before, eps, kind) for kind in ("centred", "forward")}
    if not np.array_equal(x, x_before):
        raise ExerciseFailure(f"{name} changed x: after the call x differs from before by up "
                              f"to {np.max(np.abs(x - x_before)):.1e}. Restore each element "
                              "to its old value once its two function values are computed."
                              + see(2, _EX_NUMGRAD))
    expect_array(got, ref["centred"], f"{name}(f, x, eps=1e-3) for f(x) = Σ sin(3x) + ...",
                 rtol=1e-7, atol=1e-10,
                 wrong={"you used the forward difference (f(x + ε) − f(x)) / ε, accurate to "
                        "O(ε) only." + see(1, _EX_NUMGRAD, "6.1"): ref["forward"],
                        "you divided by ε instead of 2ε." + see(3, _EX_NUMGRAD, "6.1"):
                        2 * ref["centred"],
                        "you computed (f(x − ε) − f(x + ε)) / (2ε): the sign is flipped."
                        + see(3, _EX_NUMGRAD, "6.1"): -ref["centred"]},
                 hint="for each index i: save x[i], set x[i] = old + ε and evaluate f, set "
                      "x[i] = old − ε and evaluate f, put x[i] back, then divide the "
                      "difference by 2ε.")
    # 2. A network's live weights: f reads them through the network, not its argument.
    rng = np.random.default_rng(61)
    net = Network([3, 4, 2], hidden="sigmoid", output="sigmoid", loss="bce", rng=rng)
    X = rng.normal(size=(5, 3))
    Y = (rng.uniform(size=(5, 2)) < 0.5).astype(float)
    W1 = net.weights[0]
    W1_before = W1.copy()
    got = call_student(lambda: numerical_gradient(lambda _: net.loss(X, Y), W1), name=name)
    if not np.allclose(W1, W1_before, rtol=0, atol=1e-12):
        raise ExerciseFailure(f"{name} left the network's weights changed (by up to "
                              f"{np.max(np.abs(W1 - W1_before)):.1e}): restore x[i] to the "
                              "value you saved, rather than adding and subtracting ε."
                              + see(2, _EX_NUMGRAD))
    backprop = net.gradients(X, Y).dW[0]
    expect_array(got, backprop, f"{name}(lambda _: net.loss(X, Y), net.weights[0]) with the "
                 "default eps", rtol=1e-5, atol=1e-8,
                 wrong={"you perturbed a copy of x: f reads the network's own weights, so "
                        "nudge x itself, in place." + see(2, _EX_NUMGRAD): np.zeros_like(backprop)},
                 hint="the default step should be eps=1e-6.")
    err = _nnlib_relative_error(got, backprop)
    return passed(f"centred differences, in place; on a network's W¹ your gradient agrees "
                  f"with backpropagation to a relative error {_bound(err)}.")


# ---------------------------------------------------------------- relative error
def check_relative_error(relative_error: Callable[..., Any]) -> bool:
    """Check ``relative_error(a, b) = ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂)`` (0.0 when both are zero).

    Parameters
    ----------
    relative_error : callable
        The student's function.

    Returns
    -------
    bool
        True when every case is right; otherwise ``ExerciseFailure`` is raised.
    """
    name = getattr(relative_error, "__name__", "relative_error")
    a = np.array([[1.0, -2.0, 3.0], [0.5, 0.25, 4.0]])
    b = a + np.array([[0.1, 0.0, 0.3], [0.0, 0.2, 0.1]])  # ‖b‖ > ‖a‖
    cases = [("a (2×3) and b = a + a small change", a, b, 1.0),
             ("the same pair scaled by 1e-9", a, b, 1e-9),
             ("the pair swapped: relative_error(b, a)", b, a, 1.0)]
    pointer = see(1, _EX_RELERR, "6.2")
    for what, p, q, scale in cases:
        p, q = p * scale, q * scale
        n_p, n_q = np.linalg.norm(p), np.linalg.norm(q)
        got = call_student(relative_error, p, q, name=name)
        wrong = {
            "you returned the absolute error ‖a − b‖ without dividing by the norms." + pointer:
                np.linalg.norm(p - q),
            "you divided by ‖a‖ only, which is not symmetric in a and b." + pointer:
                np.linalg.norm(p - q) / n_p,
            "you divided by max(‖a‖, ‖b‖) instead of ‖a‖ + ‖b‖." + pointer:
                np.linalg.norm(p - q) / max(n_p, n_q),
            "you used sums of absolute values (the 1-norm) instead of Euclidean norms." + pointer:
                np.abs(p - q).sum() / (np.abs(p).sum() + np.abs(q).sum()),
            "you took the largest element-wise relative error." + pointer:
                np.max(np.abs(p - q) / (np.abs(p) + np.abs(q))),
        }
        expect_scalar(got, np.linalg.norm(p - q) / (n_p + n_q), f"{name} for {what}",
                      rtol=1e-9, atol=1e-15, wrong=wrong,
                      hint="use np.linalg.norm on a − b, on a and on b.")
    zeros = np.zeros((2, 3))
    got = call_student(relative_error, zeros, zeros, name=name)
    arr = np.asarray(got, dtype=float) if got is not None else None
    if arr is not None and arr.size == 1 and np.isnan(arr):
        raise ExerciseFailure(f"{name} returns NaN when a and b are both zero (0/0): return "
                              "0.0 in that case, since the two arrays agree exactly."
                              + see(2, _EX_RELERR, "6.2"))
    expect_scalar(got, 0.0, f"{name} for two zero arrays", rtol=0, atol=0,
                  hint="when ‖a‖ + ‖b‖ = 0 the arrays are equal: return 0.0.")
    return passed("symmetric, scale-free, and 0 for two zero arrays.")


# ---------------------------------------------------------------------- bug hunt
def backward_buggy(weights, biases, X, Y):
    """The bug hunt's given backward pass (tanh hidden layers, sigmoid output, BCE); it has a bug.

    Parameters
    ----------
    weights, biases : list of numpy.ndarray
        W^l of shape (n_l, n_(l−1)) and b^l of shape (n_l,), for l = 1, ..., L.
    X : numpy.ndarray, shape (m, n_0)
    Y : numpy.ndarray, shape (m, n_L)

    Returns
    -------
    dW, db : list of numpy.ndarray
        Meant to be ∂C/∂W^l and ∂C/∂b^l, C the mean binary cross-entropy.
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


def check_bug_hunt(backward_fixed: Callable[..., Any]) -> bool:
    """Check the repaired ``backward_fixed(weights, biases, X, Y) -> (dW, db)``.

    The answer must match nnlib's backpropagation for tanh hidden layers, a
    sigmoid output and the mean binary cross-entropy, on two networks; the
    pass message gives its relative error against centred differences.

    Parameters
    ----------
    backward_fixed : callable
        The student's repaired function.

    Returns
    -------
    bool
        True when the gradients are right; otherwise ``ExerciseFailure`` is raised.
    """
    name = getattr(backward_fixed, "__name__", "backward_fixed")
    worst = 0.0
    for sizes, m, seed in (([4, 6, 5, 3], 7, 62), ([2, 3, 1], 5, 63)):
        net, X, Y = network_problem(sizes, m, seed, hidden="tanh", output="sigmoid", loss="bce")
        weights = [W.copy() for W in net.weights]
        biases = [b.copy() for b in net.biases]
        got = call_student(backward_fixed, weights, biases, X, Y, name=name)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise ExerciseFailure(f"{name} should return the pair (dW, db), got "
                                  f"{type(got).__name__}")
        dW, db = got
        L = len(sizes) - 1
        for what, answer in (("dW", dW), ("db", db)):
            if not isinstance(answer, (tuple, list)) or len(answer) != L:
                raise ExerciseFailure(f"{name}'s {what} should be a list of {L} arrays "
                                      f"for a network of {L} layers")
        grads = net.gradients(X, Y)
        buggy = backward_buggy(net.weights, net.biases, X, Y)
        sig = backprop_variant(net.weights, net.biases, X, Y, hidden="tanh", prime="sigmoid")
        arch = "-".join(map(str, sizes))
        expect_layer_gradients(dW, db, (grads.dW, grads.db),
                               f"{{kind}}[{{i}}] = ∂C/∂{{p}}^{{l}} (network {arch})",
                               wrong={"you kept the original, buggy line: your gradients are "
                                      "those of backward_buggy." + see(2, _EX_BUGHUNT, "6.6"):
                                      buggy,
                                      "you used the sigmoid's derivative a(1 − a) for the tanh "
                                      "layers." + see(3, _EX_BUGHUNT, "4.3"): sig},
                               hint="the output layer's gradients were right from the start; "
                                    "compare the hidden layers' line with tanh′ = 1 − tanh²(z).")
        for param, grad in zip(net.parameters(), [g for pair in zip(dW, db, strict=True)
                                                  for g in pair], strict=True):
            numeric = _nnlib_numerical_gradient(lambda _, n=net, a=X, t=Y: n.loss(a, t),
                                                param, 1e-6)
            worst = max(worst, _nnlib_relative_error(np.asarray(grad, dtype=float), numeric))
    return passed(f"bug fixed: every array now agrees with centred differences (largest "
                  f"relative error {_bound(worst)}, threshold 1e-06).")


# ------------------------------------------------------------------ forward step
def check_forward_step(best_forward_step: Callable[..., Any]) -> bool:
    """Check ``best_forward_step(u, F, M2) -> (eps_star, error_star)``.

    For the error model of the forward difference,
    E(ε) = (M₂/2) ε + 2uF/ε, the minimiser is ε* = 2 √(uF/M₂) and the
    smallest error E(ε*) = 2 √(uF M₂).

    Parameters
    ----------
    best_forward_step : callable
        The student's function.

    Returns
    -------
    bool
        True when both numbers are right for every case; otherwise ``ExerciseFailure``.
    """
    name = getattr(best_forward_step, "__name__", "best_forward_step")
    u64, u32 = 2.0 ** -53, 2.0 ** -24
    for u, F, M2 in ((u64, 1.0, 1.0), (u64, 0.7, 3.0), (u32, 2.0, 0.5)):
        got = call_student(best_forward_step, u, F, M2, name=name)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise ExerciseFailure(f"{name} should return the pair (eps_star, error_star), got "
                                  f"{type(got).__name__}")
        eps_star = 2 * np.sqrt(u * F / M2)
        what = f"(u={u:.2e}, F={F:g}, M2={M2:g})"
        expect_scalar(got[0], eps_star, f"eps_star for {what}", rtol=1e-9, atol=0,
                      wrong={"you forgot the factor 2 that comes from ε² = 4uF/M₂."
                             + see(2, _EX_FORWARD): np.sqrt(u * F / M2),
                             "you used the centred-difference optimum (3uF/M)^(1/3)."
                             + see(1, _EX_FORWARD, "6.3"): (3 * u * F / M2) ** (1 / 3),
                             "you dropped the square root." + see(2, _EX_FORWARD):
                             4 * u * F / M2},
                      hint="set dE/dε = M₂/2 − 2uF/ε² to zero.")
        expect_scalar(got[1], 2 * np.sqrt(u * F * M2), f"error_star for {what}", rtol=1e-9,
                      atol=0, wrong={"you returned only the truncation part (M₂/2) ε*."
                                     + see(2, _EX_FORWARD): np.sqrt(u * F * M2)},
                      hint="evaluate E at ε*: both terms turn out equal.")
    return passed(f"in float64 with F = M₂ = 1 the best forward step is 2√u ≈ "
                  f"{2 * np.sqrt(u64):.0e} and its error is 2√u too: of order √u, far worse "
                  "than the centred difference's u^(2/3).")
