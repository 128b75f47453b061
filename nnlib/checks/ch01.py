"""Exercise checks of chapter 1, Neurons and the forward pass (distinct non-square shapes, so a transpose shows)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from nnlib import activations
from nnlib.checks import _core
from nnlib.checks._core import ExerciseFailure, call_student, check, expect_array, expect_scalar, passed, see

_BATCH_FORM = "the batched form is Z = A @ W.T + b, with one sample per row of A"
_EX_SIGMOID = "A sigmoid that never overflows"
_EX_LAYER = "One layer for a batch"
_EX_FORWARD = "The whole forward pass"
_EX_COST = "The quadratic cost"
_EX_HAND = "A forward pass with pen and paper"

_sigmoid = activations.sigmoid
_SIGMOID_Z = np.array([[-1e4, -800.0, -40.0, -3.0, -0.5], [0.0, 0.25, 2.0, 50.0, 1e4]])


@check("sigmoid")
def check_sigmoid(sigmoid: Callable[[np.ndarray], np.ndarray]) -> bool:
    """Check a numerically stable sigmoid σ(z) = 1 / (1 + e^(−z)), ``sigmoid(z)`` of the shape of ``z``."""
    z = _SIGMOID_Z.copy()
    try:
        with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
            warnings.simplefilter("error", RuntimeWarning)
            got = call_student(sigmoid, z, name="sigmoid")
    except ExerciseFailure as failure:
        if isinstance(failure.__cause__, (FloatingPointError, RuntimeWarning, OverflowError)):
            raise ExerciseFailure(
                f"sigmoid is not numerically stable: on z = [-1e4, ..., 1e4] NumPy reports '{failure.__cause__}'. "
                "For z = -1e4, e^(-z) = e^10000 is far above the largest float64 (about 1.8e308) and becomes inf. "
                "Hint: work with t = np.exp(-np.abs(z)), which lies in (0, 1]; np.where evaluates both of its "
                "branches for every element, so it cannot protect an overflowing np.exp(z) or np.exp(-z)."
                f"{see(2, _EX_SIGMOID, '1.2')}") from failure.__cause__
        raise
    expect_array(got, _sigmoid(z), "sigmoid(z)", rtol=1e-9, atol=1e-12,
                 hint="σ(z) = 1/(1 + e^(−z)) is 0.5 at z = 0 and tends to 1 as z → +∞.",
                 wrong={"you computed σ(−z) = 1 − σ(z): the sign of the exponent is flipped, or the forms for "
                        "z ≥ 0 and z < 0 are swapped." + see(3, _EX_SIGMOID, "1.2"): _sigmoid(-z)})
    return passed("sigmoid is exact, finite and warning-free at |z| = 1e4.")


@check("layer_forward")
def check_layer_forward(layer_forward: Callable[..., np.ndarray]) -> bool:
    """Check ``layer_forward(W, b, A, sigma)``, one fully connected layer for a batch: σ(A Wᵀ + b), shape (m, n_out)."""
    gen = np.random.default_rng(101)
    W, b, A = gen.normal(size=(4, 3)), gen.normal(size=4), gen.normal(size=(5, 3))
    hint = (f"W has shape (n_out, n_in) = {W.shape} and A has shape (m, n_in) = {A.shape}; "
            f"{_BATCH_FORM}.{see(2, _EX_LAYER, '1.5')}")
    got = call_student(layer_forward, W, b, A, activations.tanh, name="layer_forward", hints={ValueError: hint})
    Z = A @ W.T + b
    see_inside = see(3, _EX_LAYER, "1.3")
    expect_array(got, np.tanh(Z), "the output of layer_forward",
                 transposed=f"one row per sample, one column per neuron. You probably computed W @ A.T (samples "
                            f"in columns). Hint: {_BATCH_FORM}.{see(2, _EX_LAYER, '1.5')}",
                 hint="apply sigma to Z = A @ W.T + b, and use the sigma you are given.",
                 wrong={f"you left out the bias b.{see_inside}": np.tanh(A @ W.T),
                        f"you returned Z without applying sigma.{see_inside}": Z,
                        f"you added b after applying sigma (it belongs inside).{see_inside}": np.tanh(A @ W.T) + b,
                        "you used the sigmoid instead of the function passed as sigma."
                        + see(3, _EX_LAYER, "1.2"): _sigmoid(Z)})
    return passed(f"layer_forward maps shape {A.shape} to shape {Z.shape}.")


@check("forward")
def check_forward(forward: Callable[..., np.ndarray]) -> bool:
    """Check ``forward(weights, biases, X)``, the forward pass of an all-sigmoid network."""
    for sizes, m, seed in (((3, 5, 4, 2), 6, 202), ((2, 7, 1), 4, 303)):
        gen = np.random.default_rng(seed)
        weights = [gen.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        biases = [gen.normal(size=n_out) for n_out in sizes[1:]]
        X = gen.normal(size=(m, sizes[0]))
        arch, L = "-".join(str(n) for n in sizes), len(weights)
        hint = (f"for the {arch} network, weights[l - 1] has shape (n_l, n_(l-1)) and X has shape "
                f"{X.shape}; {_BATCH_FORM}.{see(2, _EX_LAYER, '1.5')}")
        layers = (f"the {arch} network has L = {L} layers: do not assume a number of layers, loop over "
                  f"zip(weights, biases).{see(2, _EX_FORWARD, '1.4')}")
        try:
            got = call_student(forward, [W.copy() for W in weights], [b.copy() for b in biases], X.copy(),
                               name="forward", hints={ValueError: hint, IndexError: layers})
        except ExerciseFailure as failure:
            if failure.__cause__ is None:   # the stub
                raise
            raise ExerciseFailure(f"On the {arch} network: {failure}") from failure.__cause__
        zs, acts = _core.forward_pass(weights, biases, X)
        what = f"forward's output for the {arch} network (L = {L})"
        if isinstance(got, np.ndarray) and got.shape != acts[-1].shape:
            for l, a in enumerate(acts[:-1]):
                if got.shape == a.shape and np.allclose(got, a):
                    stop = "the input X itself" if l == 0 else f"a^{l}, the activation of layer {l}"
                    raise ExerciseFailure(
                        f"{what} has shape {got.shape} but should have shape {acts[-1].shape}: you returned {stop}. "
                        f"Hint: the loop must visit every layer l = 1, ..., L = {L}, e.g. `for W, b in zip(weights, "
                        f"biases)`.{see(2, _EX_FORWARD, '1.4')}")
        see_3 = see(3, _EX_FORWARD, "1.4")
        expect_array(got, acts[-1], what,
                     hint="every layer, the output layer included, computes A = sigmoid(A_prev @ W.T + b).",
                     wrong={f"you returned z^L: apply the sigmoid at the output layer too.{see_3}": zs[-1],
                            f"you left out the biases.{see_3}":
                                _core.forward_pass(weights, [0 * b for b in biases], X)[1][L],
                            f"you applied the sigmoid only at the output layer.{see_3}":
                                _core.forward_pass(weights, biases, X, hidden="identity")[1][-1]})
    return passed("forward works at any depth (tested on 3-5-4-2 and 2-7-1).")


@check("quadratic_cost")
def check_quadratic_cost(quadratic_cost: Callable[[np.ndarray, np.ndarray], float]) -> bool:
    """Check ``quadratic_cost(y_hat, y)`` = (1/m) Σᵢ ½‖ŷᵢ − yᵢ‖², for arrays of shape (m, n_outputs)."""
    gen = np.random.default_rng(404)
    y_hat, y = gen.uniform(0.0, 1.0, size=(4, 3)), gen.uniform(0.0, 1.0, size=(4, 3))
    m, sq = y_hat.shape[0], float(np.sum((y_hat - y) ** 2))
    expected = 0.5 * sq / m
    see_1, see_2 = (see(k, _EX_COST, "1.8") for k in (1, 2))
    expect_scalar(call_student(quadratic_cost, y_hat, y, name="quadratic_cost"), expected,
                  f"quadratic_cost on a batch of shape {y_hat.shape}", rtol=1e-9, atol=1e-12,
                  hint="sum the squared differences over the outputs of each sample, halve, "
                       "and average over the m samples (rows).",
                  wrong={f"you forgot the factor ½.{see_1}": sq / m,
                         f"you forgot to divide by the number of samples m.{see_2}": 0.5 * sq,
                         "you forgot both the ½ and the 1/m." + see((1, 2), _EX_COST, "1.8"): sq,
                         "you averaged over all m × n_outputs entries (np.mean of the whole "
                         f"array) instead of over the m samples.{see_2}": 0.5 * sq / y_hat.size,
                         "you used np.mean((y_hat - y)**2), which forgets the ½ and divides by "
                         f"m × n_outputs instead of m.{see_2}": sq / y_hat.size,
                         f"you took a square root (that is an RMS error, not the quadratic cost).{see_1}":
                             np.sqrt(sq / m)})
    return passed(f"quadratic_cost = {expected:.6f}: the ½ and the 1/m are right.")


# The 2-2-1 sigmoid network of the pen-and-paper exercise (row j of W1 holds the weights into hidden neuron j).
HAND_NETWORK: dict[str, np.ndarray] = {
    "x": np.array([1.0, -1.0]), "W1": np.array([[2.0, 1.0], [-1.0, 3.0]]), "b1": np.array([-1.0, 2.0]),
    "W2": np.array([[4.0, -2.0]]), "b2": np.array([-1.0])}


def _hand_output(*, hidden_bias: bool = True, output_bias: bool = True, hidden_sigma: bool = True,
                 output_sigma: bool = True, transpose_w1: bool = False) -> float:
    """ŷ = σ(W² σ(W¹ x + b¹) + b²) of ``HAND_NETWORK``, or of a mistaken variant."""
    p = HAND_NETWORK
    z1 = (p["W1"].T if transpose_w1 else p["W1"]) @ p["x"] + (p["b1"] if hidden_bias else 0.0)
    a1 = _sigmoid(z1) if hidden_sigma else z1
    z2 = p["W2"] @ a1 + (p["b2"] if output_bias else 0.0)
    return float((_sigmoid(z2) if output_sigma else z2)[0])


@check("y_hat_by_hand")
def check_hand_forward(value: float | Callable[[], float]) -> bool:
    """Check the output ŷ of the 2-2-1 sigmoid network of ``HAND_NETWORK``, computed by hand."""
    value = _core.written_answer(value, "your answer", "the number you computed by hand (for example 0.123)")
    see_1, see_2 = (see(k, _EX_HAND, "1.3") for k in (1, 2))
    wrong = {
        f"you forgot the hidden biases b¹.{see_1}": _hand_output(hidden_bias=False),
        f"you forgot the output bias b².{see_2}": _hand_output(output_bias=False),
        "you forgot both biases." + see((1, 2), _EX_HAND, "1.3"): _hand_output(hidden_bias=False, output_bias=False),
        f"you used z¹ instead of a¹ = σ(z¹) in the hidden layer.{see_2}": _hand_output(hidden_sigma=False),
        f"you reported z² instead of ŷ = σ(z²).{see_2}": _hand_output(output_sigma=False),
        f"you used z instead of σ(z) in both layers.{see_2}": _hand_output(hidden_sigma=False, output_sigma=False),
        f"you multiplied by the transpose of W¹ (row j of W¹ feeds hidden neuron j).{see_1}":
            _hand_output(transpose_w1=True),
    }
    expected = _hand_output()
    expect_scalar(value, expected, "your value of ŷ", rtol=0.0, atol=1e-3, wrong=wrong,
                  hint="compute z¹ = W¹x + b¹ (two numbers), a¹ = σ(z¹), then z² = W²a¹ + b² "
                       "and ŷ = σ(z²); keep four decimals along the way.")
    return passed(f"ŷ = {expected:.4f}, from z¹ = (0, −2) and z² = 0.7616.")
