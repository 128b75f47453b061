"""Checks for the exercises of chapter 5, Implementing backpropagation.

Every check builds its own small problem with layer sizes that are all
different (so that a transposed matrix cannot slip through), computes the
reference answer with nnlib, and compares the student's answer with it.
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
    network_problem,
    passed,
    see,
)
from nnlib.gradcheck import numerical_gradient, relative_error

__all__ = ["check_tanh_gradients", "check_backward_deep", "check_step_cost"]

SOLUTIONS = {
    "check_tanh_gradients": "tanh_gradients",
    "check_backward_deep": "backward_deep",
    "check_step_cost": "step_cost",
}
"""What the solutions notebook passes each check (the convention is in ``nnlib.checks._core``)."""

_EX_TANH = "Add tanh support"
_EX_DEEP = "Backpropagation for any depth"
_EX_COST = "What one training step costs"


# --------------------------------------------------------------------- helpers
def _as_arrays(got: Any, n: int, what: str) -> list[Any]:
    """Check that the student returned a tuple or list of ``n`` items."""
    if got is None:
        raise ExerciseFailure(f"{what} returned None: did you forget to `return` the gradients?")
    if not isinstance(got, (tuple, list)) or len(got) != n:
        kind = type(got).__name__
        size = f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""
        raise ExerciseFailure(f"{what} should return {n} items, got a {kind}{size}.")
    return list(got)


def _tanh_variant(X: np.ndarray, Y: np.ndarray, W1: np.ndarray, b1: np.ndarray,
                  W2: np.ndarray, b2: np.ndarray, mistake: str) -> list[np.ndarray]:
    """The gradients (dW1, db1, dW2, db2) that a known mistake produces."""
    m = X.shape[0]
    Z1 = X @ W1.T + b1
    A1 = np.tanh(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    delta2 = (A2 - Y) if mistake == "no 1/m" else (A2 - Y) / m
    if mistake == "sigmoid prime":
        prime = A1 * (1 - A1)
    elif mistake == "z squared":
        prime = 1 - Z1 ** 2
    elif mistake == "no prime":
        prime = np.ones_like(A1)
    else:
        prime = 1 - A1 ** 2
    delta1 = (delta2 @ W2) * prime
    return [delta1.T @ X, delta1.sum(axis=0), delta2.T @ A1, delta2.sum(axis=0)]


# ---------------------------------------------------------------------- checks
def check_tanh_gradients(tanh_gradients: Callable[..., Any]) -> bool:
    """Check ``tanh_gradients(X, Y, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)``.

    The network has one tanh hidden layer and a sigmoid output, and the loss is
    the binary cross-entropy averaged over the m rows of X. The answer is
    compared with nnlib's backpropagation, and the pass message reports its
    relative error against centred finite differences.

    Parameters
    ----------
    tanh_gradients : callable
        The student's function.

    Returns
    -------
    bool
        True when every gradient is right; otherwise ``ExerciseFailure`` is raised.
    """
    net, X, Y = network_problem([3, 5, 2], 7, seed=51, hidden="tanh", output="sigmoid", loss="bce")
    W1, b1, W2, b2 = (p.copy() for p in net.parameters())
    got = _as_arrays(call_student(tanh_gradients, X, Y, W1, b1, W2, b2),
                     4, "tanh_gradients")
    grads = net.gradients(X, Y)
    expected = [grads.dW[0], grads.db[0], grads.dW[1], grads.db[1]]
    names = ["dW1 (your first return value)", "db1 (your second return value)",
             "dW2 (your third return value)", "db2 (your fourth return value)"]
    mistakes = {
        "you used the sigmoid's derivative a(1 − a) instead of tanh′ = 1 − a²."
        + see(2, _EX_TANH, "4.3"): "sigmoid prime",
        "you computed 1 − z² instead of 1 − tanh(z)² = 1 − a²." + see(2, _EX_TANH, "4.3"): "z squared",
        "you left out tanh′ in BP2." + see(1, _EX_TANH, "5.4"): "no prime",
        "you left out the 1/m of the average in δ² (BP1)." + see(1, _EX_TANH, "5.4"): "no 1/m",
    }
    variants = {text: _tanh_variant(X, Y, W1, b1, W2, b2, key) for text, key in mistakes.items()}
    # The output layer first: BP1, BP3 and BP4 there do not involve tanh′.
    for i in (2, 3, 0, 1):
        expect_array(got[i], expected[i], names[i],
                     wrong={text: v[i] for text, v in variants.items()},
                     hint="δ² = (a² − y)/m for a sigmoid output with BCE; "
                          "δ¹ = (δ² W²) ⊙ (1 − (a¹)²) with a¹ = tanh(z¹).")
    worst = 0.0
    for param, answer in zip(net.parameters(), got, strict=True):
        numeric = numerical_gradient(lambda _: net.loss(X, Y), param, 1e-6)
        worst = max(worst, relative_error(answer, numeric))
    if worst > 1e-6:  # pragma: no cover - the comparison above is stricter
        raise ExerciseFailure(f"your gradients disagree with centred differences "
                              f"(relative error {worst:.0e}, above the threshold 1e-06)")
    # The relative error of a correct answer is set by rounding (about 1e-9 here) and its
    # last digits change from machine to machine: report a bound, never the digits.
    bound = next(b for b in (1e-8, 1e-7, 1e-6) if worst < b)
    return passed("your tanh gradients match backpropagation in nnlib, and centred "
                  f"differences confirm them (every relative error below {bound:.0e}).")


def check_backward_deep(backward_deep: Callable[..., Any]) -> bool:
    """Check ``backward_deep(weights, biases, X, Y) -> (dW, db)`` for any depth.

    Every layer is a sigmoid and the loss is the quadratic cost
    C = (1/m) Σᵢ ½‖ŷᵢ − yᵢ‖². ``dW[l - 1]`` and ``db[l - 1]`` must be ∂C/∂W^l and
    ∂C/∂b^l. Networks of depth 1, 2 and 3 are tried.

    Parameters
    ----------
    backward_deep : callable
        The student's function.

    Returns
    -------
    bool
        True when every gradient is right; otherwise ``ExerciseFailure`` is raised.
    """
    mistakes = {
        "you used the fused δᴸ = (ŷ − y)/m, which needs a canonical output/loss pair; "
        "a sigmoid output with the quadratic cost needs ⊙ σ′(zᴸ) (BP1)."
        + see(2, _EX_DEEP, "5.3"): {},
        "you left out the 1/m of the average in δᴸ." + see(1, _EX_DEEP, "5.4"):
            {"output_prime": True, "average": False},
        "you left out σ′(z^(l−1)) in BP2." + see(2, _EX_DEEP, "5.4"):
            {"output_prime": True, "prime": "none"},
    }
    for sizes, m, seed in (([3, 5, 4, 2], 6, 52), ([2, 3, 1], 4, 53), ([4, 2], 5, 54)):
        net, X, Y = network_problem(sizes, m, seed, hidden="sigmoid", output="sigmoid", loss="mse")
        weights = [W.copy() for W in net.weights]
        biases = [b.copy() for b in net.biases]
        got = _as_arrays(call_student(backward_deep, weights, biases, X, Y), 2, "backward_deep")
        L = len(sizes) - 1
        dW = _as_arrays(got[0], L, f"backward_deep's dW for a network of depth {L}")
        db = _as_arrays(got[1], L, f"backward_deep's db for a network of depth {L}")
        grads = net.gradients(X, Y)
        variants = {text: backprop_variant(net.weights, net.biases, X, Y, hidden="sigmoid", **how)
                    for text, how in mistakes.items()}
        arch = "-".join(map(str, sizes))
        expect_layer_gradients(dW, db, (grads.dW, grads.db),
                               f"{{kind}}[{{i}}] = ∂C/∂{{p}}^{{l}} (network {arch})",
                               wrong=variants,
                               hint="walk l from L down to 1: BP3 and BP4 first, then BP2 "
                                    "for l > 1 only.")
    return passed("your backward pass works for networks of depth 1, 2 and 3 and agrees "
                  "with nnlib.")


def check_step_cost(step_cost: Callable[..., Any]) -> bool:
    """Check ``step_cost(layer_sizes, m) -> (P, forward_mults, backward_mults)``.

    P is the number of parameters; ``forward_mults`` the scalar multiplications
    in the matrix products A^(l−1) (W^l)ᵀ of the forward pass for a batch of m
    samples; ``backward_mults`` those of the matrix products of BP4 (every layer)
    and BP2 (layers L down to 2).

    Parameters
    ----------
    step_cost : callable
        The student's function.

    Returns
    -------
    bool
        True when the three counts are right; otherwise ``ExerciseFailure`` is raised.
    """
    ratios = {}
    for sizes, m in (([784, 30, 10], 10), ([3, 5, 4, 2], 6), ([2, 4, 1], 200),
                     ([100, 100, 100, 100], 32)):
        got = _as_arrays(call_student(step_cost, list(sizes), m), 3, "step_cost")
        pairs = [n_out * n_in for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        weights, biases = sum(pairs), sum(sizes[1:])
        forward = m * weights
        backward = forward + m * sum(pairs[1:])
        arch = f"layer_sizes={sizes}, m={m}"
        expect_scalar(got[0], weights + biases, f"P for {arch}", rtol=0, atol=0.5,
                      wrong={"you counted the weights but not the biases."
                             + see(1, _EX_COST, "5.7"): weights},
                      hint="each layer has n_l × n_(l−1) weights and n_l biases.")
        expect_scalar(got[1], forward, f"forward_mults for {arch}", rtol=0, atol=0.5,
                      wrong={"you counted one sample instead of the batch of m."
                             + see(2, _EX_COST): weights},
                      hint="A^(l−1) (W^l)ᵀ multiplies an (m, n_(l−1)) matrix by an "
                           "(n_(l−1), n_l) one: m · n_(l−1) · n_l multiplications.")
        expect_scalar(got[2], backward, f"backward_mults for {arch}", rtol=0, atol=0.5,
                      wrong={"you also counted BP2 at layer 1, which backprop never needs "
                             "(nothing is below the input)." + see(2, _EX_COST, "5.4"): 2 * forward,
                             "you left out the matrix products of BP2."
                             + see(2, _EX_COST, "5.4"): forward,
                             "you counted one sample instead of the batch of m."
                             + see(2, _EX_COST): backward // m},
                      hint="BP4 costs as much as the forward product of each layer; BP2 "
                           "runs for l = L, ..., 2 only.")
        ratios[sizes[0]] = backward / forward
    return passed(f"backward/forward = {ratios[784]:.2f} for 784-30-10 but "
                  f"{ratios[100]:.2f} for 100-100-100-100: the skipped BP2 at layer 1 "
                  "saves most when layer 1 holds most of the weights.")
