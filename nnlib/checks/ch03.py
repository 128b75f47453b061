"""Exercise checks of chapter 3, The four equations.

- :func:`check_bp2`: BP2 for one sigmoid layer, in the mini-batch form.
- :func:`check_layer_gradients`: BP3 and BP4 for one layer.
- :func:`check_backprop`: the whole backward pass of a sigmoid network with the
  quadratic cost, compared with :class:`~nnlib.network.Network`.

The inputs have distinct shapes (m samples in rows), so that a transposed matrix
shows up as a wrong shape; only the first case of :func:`check_bp2` uses a square
W^(l+1), on purpose, so that a transposed W^(l+1) gives the right shape and is
recognised and named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.activations import sigmoid as _sigmoid
from nnlib.checks._core import (
    ExerciseFailure,
    backprop_variant,
    call_student,
    expect_array,
    expect_gradient_lists,
    expect_layer_gradients,
    passed,
    see,
)

__all__ = ["check_bp2", "check_layer_gradients", "check_backprop"]

SOLUTIONS = {
    "check_bp2": "bp2",
    "check_layer_gradients": "layer_gradients",
    "check_backprop": "backprop_batch",
}
"""What the solutions notebook passes each check (the convention is in ``nnlib.checks._core``)."""


# The titles of the exercises, as the book prints them: a message that names a
# mistake points to the hint under the exercise (by title, since the book numbers
# exercises across all chapters) and to the section that explains it.
_EX_BP2 = "BP2 for one layer"
_EX_BP34 = "BP3 and BP4 for one layer"
_EX_BACKPROP = "Backpropagation for a batch, at any depth"


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _bp2_case(m: int, n: int, n_next: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gen = np.random.default_rng(seed)
    return (gen.normal(size=(m, n_next)), gen.normal(size=(n_next, n)), gen.normal(size=(m, n)))


def check_bp2(bp2: Callable[..., Any]) -> bool:
    """Check ``bp2(delta_next, W_next, z)``: BP2 for one layer of sigmoid neurons.

    The expected answer is Δ^l = (Δ^(l+1) W^(l+1)) ⊙ σ′(Z^l), with samples in rows.
    The check first uses a square W^(l+1) (so that a transposed W gives an answer
    of the right shape, which is then recognised and named), then a non-square one.

    Parameters
    ----------
    bp2 : callable
        ``bp2(delta_next, W_next, z) -> delta`` with ``delta_next`` of shape
        (m, n_(l+1)), ``W_next`` of shape (n_(l+1), n_l) and ``z`` = Z^l of shape
        (m, n_l); returns Δ^l of shape (m, n_l).

    Returns
    -------
    bool
    """
    hint = ("row i of delta is sample i: multiply delta_next (m, n_(l+1)) by W_next "
            "(n_(l+1), n_l), then multiply element by element by σ′(z) = σ(z)(1 − σ(z)).")
    for what, shape, seed in (("Δ^l for a square W^(l+1) (3×3, m = 4)", (4, 3, 3), 7),
                              ("Δ^l for W^(l+1) of shape (2, 3) and m = 4", (4, 3, 2), 8)):
        d_next, W_next, z = _bp2_case(*shape, seed)
        got = call_student(bp2, d_next, W_next, z)
        expected = (d_next @ W_next) * _sigmoid_prime(z)
        see_3 = see(3, _EX_BP2, "3.3")
        wrong = {
            f"you left out σ′(z^l).{see_3}": d_next @ W_next,
            "you multiplied by σ(z) instead of σ′(z)."
            + see(3, _EX_BP2, "2.2"): (d_next @ W_next) * _sigmoid(z),
            f"you took σ′ of σ(z), i.e. applied the sigmoid twice.{see_3}": (d_next @ W_next)
            * _sigmoid_prime(_sigmoid(z)),
        }
        if W_next.shape[0] == W_next.shape[1]:
            transposed = (d_next @ W_next.T) * _sigmoid_prime(z)
            wrong["you used W^(l+1) transposed: in the row (mini-batch) form BP2 is "
                  "delta_next @ W_next, not delta_next @ W_next.T."
                  + see(2, _EX_BP2, "3.7")] = transposed
        expect_array(got, expected, what, hint=hint, wrong=wrong)
    return passed("bp2 implements BP2, Δ^l = (Δ^(l+1) W^(l+1)) ⊙ σ′(Z^l).")


def check_layer_gradients(layer_gradients: Callable[..., Any]) -> bool:
    """Check ``layer_gradients(delta, a_prev) -> (dW, db)``: BP4 and BP3 for one layer.

    Parameters
    ----------
    layer_gradients : callable
        Takes Δ^l of shape (m, n_l) (the 1/m of the average already inside) and
        A^(l−1) of shape (m, n_(l−1)); returns ∂C/∂W^l of shape (n_l, n_(l−1)) and
        ∂C/∂b^l of shape (n_l,).

    Returns
    -------
    bool
    """
    gen = np.random.default_rng(11)
    m, n, n_prev = 4, 3, 5
    delta = gen.normal(size=(m, n)) / m
    a_prev = gen.uniform(size=(m, n_prev))
    answer = call_student(layer_gradients, delta, a_prev)
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise ExerciseFailure("layer_gradients should return two arrays, (dW, db); "
                              f"got {type(answer).__name__}")
    dW, db = answer
    see_3 = see(3, _EX_BP34, "3.7")
    expect_array(dW, delta.T @ a_prev, "dW (∂C/∂W^l)",
                 hint="BP4 in row form: dW = delta.T @ a_prev, shape (n_l, n_(l−1)); the "
                      "matrix product sums over the m samples.",
                 wrong={"you divided by m again (delta already holds the 1/m of the average)."
                        f"{see_3}": delta.T @ a_prev / m})
    expect_array(db, delta.sum(axis=0), "db (∂C/∂b^l)",
                 hint="BP3: ∂C/∂b^l is δ^l summed over the samples (the rows): delta.sum(axis=0).",
                 wrong={"you averaged over the samples instead of summing (delta already holds "
                        f"the 1/m).{see_3}": delta.mean(axis=0)})
    return passed("layer_gradients implements BP4 (Δᵀ A) and BP3 (column sums of Δ).")


def check_backprop(backprop: Callable[..., Any]) -> bool:
    """Check ``backprop(weights, biases, X, Y) -> (dW, db)`` for a sigmoid network.

    The network has sizes 3-5-4-2 (L = 3), sigmoid activations everywhere and the
    quadratic cost C = (1/m) Σᵢ ½‖ŷᵢ − yᵢ‖² on m = 6 samples; the answer is
    compared with :meth:`~nnlib.network.Network.gradients`.

    Parameters
    ----------
    backprop : callable
        Takes ``weights`` (a list, ``weights[l - 1]`` = W^l of shape (n_l, n_(l−1))),
        ``biases`` (``biases[l - 1]`` = b^l of shape (n_l,)), X of shape (m, 3) and
        Y of shape (m, 2); returns the lists ``dW`` and ``db`` of the same shapes.

    Returns
    -------
    bool
    """
    from nnlib.network import Network

    net = Network([3, 5, 4, 2], hidden="sigmoid", output="sigmoid", loss="mse", rng=3)
    gen = np.random.default_rng(4)
    for b in net.biases:
        b[:] = gen.normal(scale=0.5, size=b.shape)
    X = gen.normal(size=(6, 3))
    Y = gen.uniform(size=(6, 2))
    weights = [W.copy() for W in net.weights]
    biases = [b.copy() for b in net.biases]
    dW, db = expect_gradient_lists(call_student(backprop, weights, biases, X, Y), 3, "backprop")
    grads = net.gradients(X, Y)
    mistakes = {
        "you left out σ′(z^L) in BP1 (the output error)."
        + see(2, _EX_BACKPROP, "3.2"): backprop_variant(
            weights, biases, X, Y, hidden="sigmoid"),
        "you left out σ′(z^l) in BP2." + see(3, _EX_BACKPROP, "3.3"): backprop_variant(
            weights, biases, X, Y, hidden="sigmoid", output_prime=True, prime="none"),
        "you summed the per-sample gradients instead of averaging them (no 1/m)."
        + see(2, _EX_BACKPROP, "3.7"):
            backprop_variant(weights, biases, X, Y, hidden="sigmoid", output_prime=True,
                             average=False),
    }
    expect_layer_gradients(
        dW, db, (grads.dW, grads.db), "{kind}[{i}] (∂C/∂{p}^{l})", rtol=1e-6, atol=1e-10,
        hint="start from Δ^L = ((A^L − Y)/m) ⊙ σ′(Z^L), then for each layer l from L "
             "down to 1: dW = Δᵀ A^(l−1), db = column sums of Δ, and "
             "Δ ← (Δ W^l) ⊙ σ′(Z^(l−1)).",
        wrong=mistakes)
    return passed("backprop agrees with nnlib.Network.gradients on every layer "
                  "of a 3-5-4-2 network.")
