"""Exercise checks of chapter 2, Derivatives and the chain rule.

- :func:`check_numerical_gradient`: centred differences, written by the student.
- :func:`check_hand_gradient`: the gradient of a small 3-2-1 network, derived on
  paper and entered as numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.activations import sigmoid as _sigmoid
from nnlib.checks._core import call_student, check, expect_array, expect_items, finite_differences, passed, see

_EX_NUMGRAD = "Implement the numerical gradient"
_EX_HAND = "A 3-2-1 network by hand"

# A test function with distinct, non-zero partial derivatives that couple every
# element through (Σx)², so that a perturbation left in place spoils the others.
_C = np.array([[1.0, -2.0], [0.5, 3.0], [-1.5, 2.5]])
_X0 = np.array([[0.3, -1.2], [2.0, 0.7], [-0.4, 1.1]])
_EPS = 1e-4


def _f(x: np.ndarray) -> float:
    return float(np.sum(_C * np.sin(x)) + 0.5 * np.sum(x) ** 2)


@check("numerical_gradient")
def check_numerical_gradient(numerical_gradient: Callable[..., Any]) -> bool:
    """Check a centred-difference gradient ``numerical_gradient(f, x, eps)``.

    The student's function is called on f(x) = Σ c ⊙ sin(x) + ½(Σ x)² at an x of
    shape (3, 2), with eps = 1e-4, and compared with the exact gradient
    c ⊙ cos(x) + Σ x; then on f(v) = Σ v³ at a 1-D v. Centred differences are
    accurate to about 1e-8 there; a forward difference, a missing factor 2 or a
    perturbation left in place are far off and are named.
    """
    got = call_student(numerical_gradient, _f, _X0.copy(), _EPS, name="numerical_gradient")
    see_1 = see(1, _EX_NUMGRAD, "2.1")
    variant = {kind: finite_differences(_f, _X0, _EPS, kind) for kind in ("forward", "no-two", "not-restored")}
    expect_array(got, _C * np.cos(_X0) + np.sum(_X0), "the gradient returned by numerical_gradient",
                 rtol=1e-6, atol=1e-7,
                 hint="for each element x_i compute (f(x with x_i + ε) − f(x with x_i − ε)) / (2ε), "
                      "then put x_i back to its old value before moving on.",
                 wrong={"you used the forward difference (f(x + ε) − f(x)) / ε, which is only "
                        f"accurate to O(ε).{see_1}": variant["forward"],
                        f"you divided by ε instead of 2ε.{see_1}": variant["no-two"],
                        "you did not restore x_i after perturbing it."
                        + see(3, _EX_NUMGRAD, "2.1"): variant["not-restored"]})
    # A second, one-dimensional input: the function must not assume two dimensions.
    v = np.array([0.5, -1.0, 2.0, 0.25])
    got = call_student(numerical_gradient, lambda u: float(np.sum(u**3)), v, _EPS, name="numerical_gradient")
    expect_array(got, 3 * v**2, "the gradient of f(v) = Σ v³ at a 1-D v", rtol=1e-6, atol=1e-7,
                 hint="loop over the x.size elements (x.reshape(-1) is a view), so that any shape works.")
    return passed("numerical_gradient agrees with the exact gradient (to a relative 1e-6), "
                  "on a 2-D and a 1-D input.")


HAND_NETWORK: dict[str, np.ndarray] = {
    "x": np.array([1.0, -2.0, 0.5]),
    "y": np.array([2.0]),
    "W1": np.array([[0.5, -0.3, 0.8], [-0.2, 0.4, 0.1]]),
    "b1": np.array([0.1, -0.1]),
    "W2": np.array([[1.5, -0.7]]),
    "b2": np.array([0.2]),
}
"""The 3-2-1 network of the exercise ex-ch02-hand: sigmoid hidden layer, linear output,
C = ½(ŷ − y)², one sample. ``W1`` is W¹ (shape (2, 3)), ``W2`` is W² (shape (1, 2))."""


def _hand_gradients(*, hidden_prime: bool = True, half: bool = True, sign: float = 1.0) -> tuple[np.ndarray, ...]:
    p = HAND_NETWORK
    a1 = _sigmoid(p["W1"] @ p["x"] + p["b1"])
    y_hat = p["W2"] @ a1 + p["b2"]
    gamma = sign * (y_hat - p["y"]) * (1.0 if half else 2.0)  # γ = ∂C/∂z² = ∂C/∂ŷ (linear output)
    d1 = (p["W2"].T @ gamma) * (a1 * (1 - a1) if hidden_prime else 1.0)
    return np.outer(d1, p["x"]), d1, np.outer(gamma, a1), gamma


@check("hand_gradient")
def check_hand_gradient(hand_gradient: Callable[[], Any]) -> bool:
    """Check the gradient of the 3-2-1 network in :data:`HAND_NETWORK`.

    ``hand_gradient() -> (dW1, db1, dW2, db2)`` returns ∂C/∂W¹ of shape (2, 3), ∂C/∂b¹
    of shape (2,), ∂C/∂W² of shape (1, 2) and ∂C/∂b² of shape (1,), numbers worked
    out from a derivation on paper; each must be right to 1e-4 relative, so that
    values typed with five significant digits pass.
    """
    names = ["dW1 (∂C/∂W¹)", "db1 (∂C/∂b¹)", "dW2 (∂C/∂W²)", "db2 (∂C/∂b²)"]
    answer = expect_items(call_student(hand_gradient), [n.split()[0] for n in names], "hand_gradient")
    expected, no_prime = _hand_gradients(), _hand_gradients(hidden_prime=False)
    no_half, flipped = _hand_gradients(half=False), _hand_gradients(sign=-1.0)
    hints = [
        "∂C/∂w¹_jk = (ŷ − y) · w²_1j · σ′(z¹_j) · x_k; row j is hidden neuron j, column k input k.",
        "∂C/∂b¹_j = (ŷ − y) · w²_1j · σ′(z¹_j), with σ′ = a(1 − a).",
        "∂C/∂w²_1j = (ŷ − y) · a¹_j: the output is linear, so there is no σ′ at the output.",
        "∂C/∂b² = ŷ − y for a linear output and C = ½(ŷ − y)².",
    ]
    see_3 = see(3, _EX_HAND, "2.5")
    for k in range(4):
        expect_array(answer[k], expected[k], names[k], rtol=1e-4, atol=1e-6, hint=hints[k],
                     wrong={"you left out σ′(z¹) of the hidden layer." + see(2, _EX_HAND, "2.5"): no_prime[k],
                            f"you differentiated (ŷ − y)² without the ½ (a factor 2 too large).{see_3}": no_half[k],
                            f"you used y − ŷ instead of ŷ − y (the sign is flipped).{see_3}": flipped[k]})
    return passed("all four gradients of the 3-2-1 network are right.")
