"""Exercise checks of chapter 4, Cross-entropy: the output error, the softmax Jacobian, a tanh backward pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.activations import sigmoid as _sigmoid
from nnlib.checks._core import call_student, check, expect_array, expect_backprop, network_problem, passed, see

_EX_BCE = "The output error of cross-entropy"
_EX_JACOBIAN = "The softmax Jacobian"
_EX_TANH = "The backward pass of the tanh network"


@check("bce_output_error")
def check_bce_output_error(bce_output_error: Callable[..., Any]) -> bool:
    """Check ``bce_output_error(y_hat, y)`` = Δᴸ = (Ŷ − Y)/m, for arrays of shape (m, n_outputs)."""
    gen = np.random.default_rng(21)
    m, k = 5, 2
    y_hat = _sigmoid(gen.normal(scale=2.0, size=(m, k)))
    y = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.3, 0.8]])
    expect_array(
        call_student(bce_output_error, y_hat, y), (y_hat - y) / m, "the output error Δᴸ",
        hint="the sigmoid's σ′ = ŷ(1 − ŷ) cancels the denominator of ∂C/∂ŷ, so "
             "δᴸ = ŷ − y for each sample; the cost averages over the m samples (rows).",
        wrong={"you summed the cost over the samples instead of averaging (no 1/m)." + see(2, _EX_BCE, "4.3"):
                   y_hat - y,
               "you used y − ŷ: the sign is flipped." + see(1, _EX_BCE, "4.1"): (y - y_hat) / m,
               "you multiplied by σ′(z) = ŷ(1 − ŷ), as the quadratic cost does; with cross-entropy it cancels."
               + see(1, _EX_BCE, "4.1"): (y_hat - y) * y_hat * (1 - y_hat) / m,
               "you averaged over the outputs as well (divided by m·n_outputs); the cost sums over the outputs."
               + see(2, _EX_BCE): (y_hat - y) / (m * k)})
    return passed("Δᴸ = (Ŷ − Y)/m: the σ′ of the sigmoid has cancelled.")


@check("softmax_jacobian")
def check_softmax_jacobian(softmax_jacobian: Callable[..., Any]) -> bool:
    """Check ``softmax_jacobian(z)``: the (k, k) matrix J with J[k, j] = ∂a_k/∂z_j, for a 1-D ``z``."""
    for what, z in (("the Jacobian at z = (0.5, −1, 2, 0.1)", np.array([0.5, -1.0, 2.0, 0.1])),
                    ("the Jacobian at z = (1000, 1001, 998, 1000.5)", np.array([1000.0, 1001.0, 998.0, 1000.5]))):
        e = np.exp(z - z.max())
        a = e / e.sum()
        with np.errstate(over="ignore", invalid="ignore"):
            got = call_student(softmax_jacobian, z)
        expect_array(
            got, np.diag(a) - np.outer(a, a), what,
            nonfinite="exp(1000) overflows. Subtract z.max() from z before exponentiating; softmax(z − c) = "
                      "softmax(z) for any constant c." + see(3, _EX_JACOBIAN),
            hint="∂a_k/∂z_j = a_k(1 − a_k) when j = k and −a_k a_j otherwise: np.diag(a) − np.outer(a, a).",
            wrong={"you kept only the diagonal a_k(1 − a_k), as if softmax were element-wise."
                   + see(1, _EX_JACOBIAN, "4.4"): np.diag(a * (1 - a)),
                   "you added a aᵀ instead of subtracting it." + see(2, _EX_JACOBIAN, "4.4"):
                       np.diag(a) + np.outer(a, a),
                   "you left out the diagonal term diag(a)." + see(2, _EX_JACOBIAN, "4.4"): -np.outer(a, a)})
    return passed("J = diag(a) − a aᵀ, also for large z.")


@check("tanh_backward")
def check_tanh_backward(backward: Callable[..., Any]) -> bool:
    """Check ``backward(weights, biases, X, Y) -> (dW, db)`` for the 2-3-3-1 tanh network."""
    net, X, _ = network_problem([2, 3, 3, 1], 8, (5, 6), hidden="tanh", output="sigmoid", loss="bce")
    Y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0], [0.0], [1.0]])
    mistakes = {
        "you used the sigmoid's derivative a(1 − a) in a tanh layer (tanh′ = 1 − a²)."
        + see(2, _EX_TANH, "4.3"): {"prime": "sigmoid"},
        "you left out tanh′ = 1 − a² in BP2." + see(1, _EX_TANH, "4.3"): {"prime": "none"},
        "you summed the cost over the samples instead of averaging (no 1/m)." + see(1, _EX_TANH, "4.3"):
            {"average": False},
        "you multiplied the output error by σ′(zᴸ); with cross-entropy it cancels." + see(1, _EX_TANH, "4.1"):
            {"output_prime": True},
    }
    expect_backprop(backward, "backward", net, X, Y, hidden="tanh", mistakes=mistakes, atol=1e-10,
                    hint="Δ³ = (Ŷ − Y)/m; then Δ² = (Δ³ W³) ⊙ (1 − (A²)²) and Δ¹ = (Δ² W²) ⊙ (1 − (A¹)²); "
                         "each layer's dW = Δᵀ A^(l−1) and db = column sums of Δ.")
    return passed("backward agrees with nnlib.Network.gradients on all three layers.")
