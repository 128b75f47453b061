"""Exercise checks of chapter 2, Derivatives and the chain rule: a weight used twice, a 3-2-1 network by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.activations import sigmoid as _sigmoid
from nnlib.checks._core import call_student, check, expect_array, expect_items, expect_scalar, passed, see

_EX_SHARED = "A weight used twice"
_EX_HAND = "A 3-2-1 network by hand"

# Inputs (w, b, v, x, y) of the two-position convolution: both positions matter,
# and each named mistake gives numbers far from the right ones.
_SHARED_CASES = [
    (np.array([0.5, -1.0]), 0.1, np.array([1.5, -2.0]), np.array([1.0, 2.0, -0.5]), 1.0),
    (np.array([-0.3, 0.8]), -0.4, np.array([0.7, 1.2]), np.array([2.0, -1.0, 0.5]), -0.5),
]


def _shared_gradients(w: np.ndarray, b: float, v: np.ndarray, x: np.ndarray, y: float, *,
                      uses: tuple[int, ...] = (0, 1), scale: float = 1.0,
                      prime: bool = True) -> tuple[np.ndarray, float]:
    h = _sigmoid(np.array([w @ x[i:i + 2] + b for i in (0, 1)]))
    delta = (v @ h - y) * v * (h * (1 - h) if prime else 1.0)      # ∂C/∂z_i
    return (scale * sum(delta[i] * x[i:i + 2] for i in uses),
            scale * float(sum(delta[i] for i in uses)))


@check("shared_gradient")
def check_shared_gradient(shared_gradient: Callable[..., Any]) -> bool:
    """Check ``shared_gradient(w, b, v, x, y) -> (dw, db)`` for a weight used at two positions."""
    for w, b, v, x, y in _SHARED_CASES:
        dw, db = expect_items(call_student(shared_gradient, w, b, v, x, y, name="shared_gradient"),
                              ["dw", "db"], "shared_gradient")
        right = _shared_gradients(w, b, v, x, y)
        mistakes = {
            "you kept the contribution of the second position only, as a loop does that "
            "overwrites (=) instead of adding (+=)." + see(3, _EX_SHARED, "2.4"):
                _shared_gradients(w, b, v, x, y, uses=(1,)),
            "you kept the contribution of the first position only: w and b also feed z_2."
            + see(1, _EX_SHARED, "2.4"): _shared_gradients(w, b, v, x, y, uses=(0,)),
            "you averaged the two contributions instead of adding them."
            + see(3, _EX_SHARED, "2.4"): _shared_gradients(w, b, v, x, y, scale=0.5),
            "you left out σ′(z_i) of the two sigmoid neurons."
            + see(2, _EX_SHARED, "2.3"): _shared_gradients(w, b, v, x, y, prime=False),
        }
        at = f" at w = {w.tolist()}, b = {b}, v = {v.tolist()}, x = {x.tolist()}, y = {y}"
        expect_array(dw, right[0], "dw (∂C/∂w)" + at, rtol=1e-6, atol=1e-9,
                     hint="∂C/∂w_1 = (∂C/∂z_1) x_1 + (∂C/∂z_2) x_2 and ∂C/∂w_2 = (∂C/∂z_1) x_2 + (∂C/∂z_2) x_3, "
                          "with ∂C/∂z_i = (ŷ − y) v_i σ′(z_i).",
                     wrong={text: value[0] for text, value in mistakes.items()})
        expect_scalar(db, right[1], "db (∂C/∂b)" + at, rtol=1e-6, atol=1e-9,
                      hint="∂C/∂b = ∂C/∂z_1 + ∂C/∂z_2: b feeds both neurons.",
                      wrong={text: value[1] for text, value in mistakes.items()})
    return passed("dw and db add the contributions of both positions, on two inputs.")


# The 3-2-1 network of the exercise ex-ch02-hand: sigmoid hidden layer, linear output, C = ½(ŷ − y)², one sample.
HAND_NETWORK: dict[str, np.ndarray] = {
    "x": np.array([1.0, -2.0, 0.5]), "y": np.array([2.0]), "W1": np.array([[0.5, -0.3, 0.8], [-0.2, 0.4, 0.1]]),
    "b1": np.array([0.1, -0.1]), "W2": np.array([[1.5, -0.7]]), "b2": np.array([0.2])}


def _hand_gradients(*, hidden_prime: bool = True, half: bool = True, sign: float = 1.0) -> tuple[np.ndarray, ...]:
    p = HAND_NETWORK
    a1 = _sigmoid(p["W1"] @ p["x"] + p["b1"])
    y_hat = p["W2"] @ a1 + p["b2"]
    gamma = sign * (y_hat - p["y"]) * (1.0 if half else 2.0)  # γ = ∂C/∂z² = ∂C/∂ŷ (linear output)
    d1 = (p["W2"].T @ gamma) * (a1 * (1 - a1) if hidden_prime else 1.0)
    return np.outer(d1, p["x"]), d1, np.outer(gamma, a1), gamma


@check("hand_gradient")
def check_hand_gradient(hand_gradient: Callable[[], Any]) -> bool:
    """Check the gradient of the 3-2-1 network in ``HAND_NETWORK``."""
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
