"""Exercise checks of chapter 3, The four equations (inputs of distinct shapes, so a transposed matrix shows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.activations import sigmoid as _sigmoid
from nnlib.checks import _core
from nnlib.checks._core import call_student, check, expect_array, expect_backprop, expect_items, passed, see

_EX_BP2 = "BP2 for one layer"
_EX_BP34 = "BP3 and BP4 for one layer"
_EX_BACKPROP = "Backpropagation for a batch, at any depth"


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    return _sigmoid(z) * (1.0 - _sigmoid(z))


@check("bp2")
def check_bp2(bp2: Callable[..., Any]) -> bool:
    """Check ``bp2(delta_next, W_next, z)``: BP2 for one layer of sigmoid neurons."""
    hint = ("row i of delta is sample i: multiply delta_next (m, n_(l+1)) by W_next "
            "(n_(l+1), n_l), then multiply element by element by σ′(z) = σ(z)(1 − σ(z)).")
    for what, (m, n, n_next), seed in (("Δ^l for a square W^(l+1) (3×3, m = 4)", (4, 3, 3), 7),
                                       ("Δ^l for W^(l+1) of shape (2, 3) and m = 4", (4, 3, 2), 8)):
        gen = np.random.default_rng(seed)
        d_next, W_next, z = gen.normal(size=(m, n_next)), gen.normal(size=(n_next, n)), gen.normal(size=(m, n))
        see_3 = see(3, _EX_BP2, "3.3")
        wrong = {f"you left out σ′(z^l).{see_3}": d_next @ W_next,
                 "you multiplied by σ(z) instead of σ′(z)." + see(3, _EX_BP2, "2.2"): (d_next @ W_next) * _sigmoid(z),
                 f"you took σ′ of σ(z), i.e. applied the sigmoid twice.{see_3}":
                     (d_next @ W_next) * _sigmoid_prime(_sigmoid(z))}
        if n == n_next:
            wrong["you used W^(l+1) transposed: in the row (mini-batch) form BP2 is delta_next @ W_next, not "
                  "delta_next @ W_next.T." + see(2, _EX_BP2, "3.7")] = (d_next @ W_next.T) * _sigmoid_prime(z)
        expect_array(call_student(bp2, d_next, W_next, z), (d_next @ W_next) * _sigmoid_prime(z), what,
                     hint=hint, wrong=wrong)
    return passed("bp2 implements BP2, Δ^l = (Δ^(l+1) W^(l+1)) ⊙ σ′(Z^l).")


@check("layer_gradients")
def check_layer_gradients(layer_gradients: Callable[..., Any]) -> bool:
    """Check ``layer_gradients(delta, a_prev) -> (dW, db)``: BP4 and BP3 for one layer."""
    gen = np.random.default_rng(11)
    m, n, n_prev = 4, 3, 5
    delta = gen.normal(size=(m, n)) / m
    a_prev = gen.uniform(size=(m, n_prev))
    dW, db = expect_items(call_student(layer_gradients, delta, a_prev), ("dW", "db"), "layer_gradients")
    see_3 = see(3, _EX_BP34, "3.7")
    expect_array(dW, delta.T @ a_prev, "dW (∂C/∂W^l)",
                 hint="BP4 in row form: dW = delta.T @ a_prev, shape (n_l, n_(l−1)); the "
                      "matrix product sums over the m samples.",
                 wrong={f"you divided by m again (delta already holds the 1/m of the average).{see_3}":
                        delta.T @ a_prev / m})
    expect_array(db, delta.sum(axis=0), "db (∂C/∂b^l)",
                 hint="BP3: ∂C/∂b^l is δ^l summed over the samples (the rows): delta.sum(axis=0).",
                 wrong={f"you averaged over the samples instead of summing (delta already holds the 1/m).{see_3}":
                        delta.mean(axis=0)})
    return passed("layer_gradients implements BP4 (Δᵀ A) and BP3 (column sums of Δ).")


@check("backprop_batch")
def check_backprop(backprop: Callable[..., Any]) -> bool:
    """Check ``backprop(weights, biases, X, Y) -> (dW, db)`` for a sigmoid network."""
    net, X, Y = _core.network_problem([3, 5, 4, 2], 6, (3, 4), hidden="sigmoid", output="sigmoid", soft=True)
    mistakes = {
        "you left out σ′(z^L) in BP1 (the output error)." + see(2, _EX_BACKPROP, "3.2"): {},
        "you left out σ′(z^l) in BP2." + see(3, _EX_BACKPROP, "3.3"): {"output_prime": True, "prime": "none"},
        "you summed the per-sample gradients instead of averaging them (no 1/m)."
        + see(2, _EX_BACKPROP, "3.7"): {"output_prime": True, "average": False},
    }
    expect_backprop(backprop, "backprop", net, X, Y, hidden="sigmoid", mistakes=mistakes, atol=1e-10,
                    hint="start from Δ^L = ((A^L − Y)/m) ⊙ σ′(Z^L), then for each layer l from L down to 1: "
                         "dW = Δᵀ A^(l−1), db = column sums of Δ, and Δ ← (Δ W^l) ⊙ σ′(Z^(l−1)).")
    return passed("backprop agrees with nnlib.Network.gradients on every layer of a 3-5-4-2 network.")
