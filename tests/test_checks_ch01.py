"""The chapter 1 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, activations
from nnlib.checks import ch01
from tests.conftest import assert_points_to_a_hint, load_solutions

sol = load_solutions(1)

# --------------------------------------------------------------------- sigmoid

def _naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _where_sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def _clipped_sigmoid(z):
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))


@pytest.mark.parametrize("wrong", [_naive_sigmoid, _where_sigmoid], ids=["naive", "np.where"])
def test_sigmoid_overflow_is_named(wrong):
    with pytest.raises(AssertionError, match="not numerically stable.*overflow"):
        ch01.check_sigmoid(wrong)


def test_sigmoid_flipped_sign_is_named():
    def flipped(z):
        return sol.sigmoid(-z)

    with pytest.raises(AssertionError, match="sign of the exponent is flipped"):
        ch01.check_sigmoid(flipped)


def test_sigmoid_clipping_is_accepted(capsys):
    assert ch01.check_sigmoid(_clipped_sigmoid) is True


def test_sigmoid_check_leaves_numpy_error_state_alone():
    before = np.geterr()
    with pytest.raises(AssertionError):
        ch01.check_sigmoid(_naive_sigmoid)
    assert np.geterr() == before


# --------------------------------------------------------------- layer_forward

LAYER_MISTAKES = [
    (lambda W, b, A, s: s(A @ W.T), "left out the bias"),
    (lambda W, b, A, s: A @ W.T + b, "without applying sigma"),
    (lambda W, b, A, s: s(A @ W.T) + b, "added b after applying sigma"),
    (lambda W, b, A, s: activations.sigmoid(A @ W.T + b), "sigmoid instead of the function"),
    (lambda W, b, A, s: s(W @ A.T + b[:, None]), r"samples in columns.*A @ W.T"),
    (lambda W, b, A, s: s(A @ W + b), r"raised ValueError.*Hint: W has shape \(n_out, n_in\)"),
]
LAYER_IDS = ["no bias", "no sigma", "bias after sigma", "hard-coded sigmoid", "W @ A.T", "A @ W"]


@pytest.mark.parametrize(("wrong", "message"), LAYER_MISTAKES, ids=LAYER_IDS)
def test_layer_forward_mistakes_are_named(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch01.check_layer_forward(wrong)


def test_layer_forward_none_is_reported():
    with pytest.raises(AssertionError, match="did you forget to `return`"):
        ch01.check_layer_forward(lambda W, b, A, s: None)


# --------------------------------------------------------------------- forward

def _forward_variant(*, output_sigma=True, hidden_sigma=True, bias=True, stop_early=False):
    def forward(weights, biases, X):
        A = X
        L = len(weights)
        for l, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
            if stop_early and l == L:
                break
            Z = A @ W.T + (b if bias else 0.0)
            use_sigma = output_sigma if l == L else hidden_sigma
            A = activations.sigmoid(Z) if use_sigma else Z
        return A
    return forward


def _three_layers(weights, biases, X):
    A = X
    for l in range(3):
        A = activations.sigmoid(A @ weights[l].T + biases[l])
    return A


def _forward_untransposed(weights, biases, X):
    A = X
    for W, b in zip(weights, biases, strict=True):
        A = activations.sigmoid(A @ W + b)
    return A


FORWARD_MISTAKES = [
    (_forward_variant(output_sigma=False), "returned z\\^L"),
    (_forward_variant(bias=False), "left out the biases"),
    (_forward_variant(hidden_sigma=False), "sigmoid only at the output layer"),
    (_forward_variant(stop_early=True), "returned a\\^2, the activation of layer 2"),
    (_three_layers, r"2-7-1 network.*do not assume a number of layers"),
    (_forward_untransposed, r"raised ValueError.*Hint: for the 3-5-4-2 network"),
]
FORWARD_IDS = ["z^L", "no biases", "linear hidden", "stops early", "hard-coded depth", "A @ W"]


@pytest.mark.parametrize(("wrong", "message"), FORWARD_MISTAKES, ids=FORWARD_IDS)
def test_forward_mistakes_are_named(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch01.check_forward(wrong)


def test_forward_reference_agrees_with_network():
    for sizes, m, seed in ch01._FORWARD_CASES:
        weights, biases, X = ch01._network_case(sizes, m, seed)
        net = Network(list(sizes), rng=0)
        for l, (W, b) in enumerate(zip(weights, biases, strict=True)):
            net.weights[l][:] = W
            net.biases[l][:] = b
        _, acts = ch01._reference_activations(weights, biases, X)
        np.testing.assert_allclose(acts[-1], net.forward(X), rtol=0, atol=1e-12)


# -------------------------------------------------------------- quadratic cost

COST_MISTAKES = [
    (lambda yh, y: float(np.sum((yh - y) ** 2)) / yh.shape[0], "forgot the factor ½"),
    (lambda yh, y: 0.5 * float(np.sum((yh - y) ** 2)), "forgot to divide by the number"),
    (lambda yh, y: float(np.sum((yh - y) ** 2)), "forgot both"),
    (lambda yh, y: 0.5 * float(np.mean((yh - y) ** 2)), "averaged over all m × n_outputs"),
    (lambda yh, y: float(np.mean((yh - y) ** 2)), r"np.mean\(\(y_hat - y\)\*\*2\)"),
    (lambda yh, y: float(np.sqrt(np.sum((yh - y) ** 2) / yh.shape[0])), "square root"),
]
COST_IDS = ["no half", "no 1/m", "neither", "mean of all", "np.mean", "RMS"]


@pytest.mark.parametrize(("wrong", "message"), COST_MISTAKES, ids=COST_IDS)
def test_quadratic_cost_mistakes_are_named(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch01.check_quadratic_cost(wrong)


def test_quadratic_cost_must_be_one_number():
    with pytest.raises(AssertionError, match="single number"):
        ch01.check_quadratic_cost(lambda yh, y: 0.5 * np.sum((yh - y) ** 2, axis=1))


def test_quadratic_cost_solution_matches_nnlib(rng):
    from nnlib import losses

    y_hat, y = rng.uniform(size=(7, 3)), rng.uniform(size=(7, 3))
    assert np.isclose(sol.quadratic_cost(y_hat, y), losses.mse(y_hat, y), rtol=1e-12)


# ------------------------------------------------------------ hand computation

HAND_MISTAKES = [
    ({"hidden_bias": False, "output_bias": False}, "forgot both biases"),
    ({"hidden_bias": False}, "forgot the hidden biases"),
    ({"output_bias": False}, "forgot the output bias"),
    ({"output_sigma": False}, "reported z² instead of ŷ"),
    ({"hidden_sigma": False}, "used z¹ instead of a¹"),
    ({"hidden_sigma": False, "output_sigma": False}, "z instead of σ\\(z\\) in both layers"),
    ({"transpose_w1": True}, "transpose of W¹"),
]
HAND_IDS = ["no biases", "no hidden bias", "no output bias", "z2", "z1", "z both", "transposed W1"]


@pytest.mark.parametrize(("mistake", "message"), HAND_MISTAKES, ids=HAND_IDS)
def test_hand_forward_mistakes_are_named(mistake, message):
    value = round(ch01.hand_network_output(**mistake), 4)
    with pytest.raises(AssertionError, match=message):
        ch01.check_hand_forward(value)


def test_hand_forward_accepts_rounded_answers(capsys):
    assert ch01.check_hand_forward(0.682) is True
    with pytest.raises(AssertionError, match="expected 0.6817"):
        ch01.check_hand_forward(0.70)


def test_hand_forward_matches_network():
    net = Network([2, 2, 1], rng=0)
    net.weights[0][:] = ch01.HAND_W1
    net.biases[0][:] = ch01.HAND_B1
    net.weights[1][:] = ch01.HAND_W2
    net.biases[1][:] = ch01.HAND_B2
    assert np.isclose(net.forward(ch01.HAND_X.reshape(1, -1))[0, 0], ch01.hand_network_output())


# ------------------------------------------------------ pointers to the book's help

NAMED_MISTAKES = (
    [(ch01.check_sigmoid, wrong) for wrong in
     (_naive_sigmoid, _where_sigmoid, lambda z: 1 / (1 + np.exp(-np.clip(-z, -500, 500))))]
    + [(ch01.check_layer_forward, wrong) for wrong, _ in LAYER_MISTAKES]
    + [(ch01.check_forward, wrong) for wrong, _ in FORWARD_MISTAKES]
    + [(ch01.check_quadratic_cost, wrong) for wrong, _ in COST_MISTAKES]
    + [(ch01.check_hand_forward, round(ch01.hand_network_output(**kw), 4)) for kw, _ in HAND_MISTAKES])
NAMED_IDS = (["sigmoid overflow", "sigmoid np.where", "sigmoid flipped"]
             + [f"layer {i}" for i in LAYER_IDS] + [f"forward {i}" for i in FORWARD_IDS]
             + [f"cost {i}" for i in COST_IDS] + [f"hand {i}" for i in HAND_IDS])


@pytest.mark.parametrize(("check", "answer"), NAMED_MISTAKES, ids=NAMED_IDS)
def test_named_mistakes_point_to_a_hint_and_a_section(check, answer):
    with pytest.raises(AssertionError) as failure:
        check(answer)
    assert_points_to_a_hint(str(failure.value), 1, with_section=True)
