"""The chapter 1 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, activations
from nnlib.checks import ch01
from tests.conftest import WRONG, assert_fails, load_solutions, wrong

sol = load_solutions(1)


def _naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _where_sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def _clipped_sigmoid(z):
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))


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


def _by_hand(*, hidden_bias=True, output_bias=True, hidden_sigma=True, output_sigma=True, transpose_w1=False):
    """The 2-2-1 network worked out as a student would, with the usual slips, to four decimals."""
    def s(v):
        return 1 / (1 + np.exp(-v))

    x, W1, b1 = np.array([1.0, -1.0]), np.array([[2.0, 1.0], [-1.0, 3.0]]), np.array([-1.0, 2.0])
    z1 = (W1.T if transpose_w1 else W1) @ x + (b1 if hidden_bias else 0)
    a1 = s(z1) if hidden_sigma else z1
    z2 = 4.0 * a1[0] - 2.0 * a1[1] + (-1.0 if output_bias else 0)
    return round(float(s(z2) if output_sigma else z2), 4)


SIGMOID, LAYER, FORWARD = ch01.check_sigmoid, ch01.check_layer_forward, ch01.check_forward
COST, HAND = ch01.check_quadratic_cost, ch01.check_hand_forward
WRONG_ANSWERS = [
    wrong(SIGMOID, _naive_sigmoid, "not numerically stable.*overflow", id="sigmoid naive"),
    wrong(SIGMOID, _where_sigmoid, "not numerically stable.*overflow", id="sigmoid np.where"),
    wrong(SIGMOID, lambda z: sol.sigmoid(-z), "sign of the exponent is flipped"),
    wrong(LAYER, lambda W, b, A, s: s(A @ W.T), "left out the bias"),
    wrong(LAYER, lambda W, b, A, s: A @ W.T + b, "without applying sigma"),
    wrong(LAYER, lambda W, b, A, s: s(A @ W.T) + b, "added b after applying sigma"),
    wrong(LAYER, lambda W, b, A, s: activations.sigmoid(A @ W.T + b), "sigmoid instead of the function"),
    wrong(LAYER, lambda W, b, A, s: s(W @ A.T + b[:, None]), r"transpose of the expected shape.*samples in "
          r"columns.*A @ W.T"),
    wrong(LAYER, lambda W, b, A, s: s(A @ W + b), r"raised ValueError.*Hint: W has shape \(n_out, n_in\)"),
    wrong(LAYER, lambda W, b, A, s: None, "the output of layer_forward is None: did you forget to `return`",
          named=False),
    wrong(FORWARD, _forward_variant(output_sigma=False), r"returned z\^L"),
    wrong(FORWARD, _forward_variant(bias=False), "left out the biases"),
    wrong(FORWARD, _forward_variant(hidden_sigma=False), "sigmoid only at the output layer"),
    wrong(FORWARD, _forward_variant(stop_early=True), r"returned a\^2, the activation of layer 2"),
    wrong(FORWARD, _three_layers, r"2-7-1 network.*do not assume a number of layers"),
    wrong(FORWARD, _forward_untransposed, r"raised ValueError.*Hint: for the 3-5-4-2 network"),
    wrong(COST, lambda yh, y: float(np.sum((yh - y) ** 2)) / yh.shape[0], "forgot the factor ½"),
    wrong(COST, lambda yh, y: 0.5 * float(np.sum((yh - y) ** 2)), "forgot to divide by the number"),
    wrong(COST, lambda yh, y: float(np.sum((yh - y) ** 2)), "forgot both"),
    wrong(COST, lambda yh, y: 0.5 * float(np.mean((yh - y) ** 2)), "averaged over all m × n_outputs"),
    wrong(COST, lambda yh, y: float(np.mean((yh - y) ** 2)), r"np.mean\(\(y_hat - y\)\*\*2\)"),
    wrong(COST, lambda yh, y: float(np.sqrt(np.sum((yh - y) ** 2) / yh.shape[0])), "square root"),
    wrong(COST, lambda yh, y: 0.5 * np.sum((yh - y) ** 2, axis=1), "should be a single number", named=False),
    wrong(HAND, _by_hand(hidden_bias=False, output_bias=False), "forgot both biases"),
    wrong(HAND, _by_hand(hidden_bias=False), "forgot the hidden biases"),
    wrong(HAND, _by_hand(output_bias=False), "forgot the output bias"),
    wrong(HAND, _by_hand(output_sigma=False), "reported z² instead of ŷ"),
    wrong(HAND, _by_hand(hidden_sigma=False), "used z¹ instead of a¹"),
    wrong(HAND, _by_hand(hidden_sigma=False, output_sigma=False), r"z instead of σ\(z\) in both layers"),
    wrong(HAND, _by_hand(transpose_w1=True), "transpose of W¹"),
    wrong(HAND, 0.70, "expected 0.6817", named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=1)


def test_sigmoid_clipping_and_rounded_hand_answers_are_accepted(capsys):
    assert ch01.check_sigmoid(_clipped_sigmoid) is True
    assert ch01.check_hand_forward(0.682) is True
    assert ch01.check_hand_forward(_by_hand()) is True


def test_forward_solution_agrees_with_network(rng):
    for sizes in ([3, 5, 4, 2], [2, 7, 1]):
        net = Network(sizes, rng=rng)
        X = rng.normal(size=(6, sizes[0]))
        np.testing.assert_allclose(sol.forward(net.weights, net.biases, X), net.forward(X), rtol=0, atol=1e-12)


def test_quadratic_cost_solution_matches_nnlib(rng):
    from nnlib import losses

    y_hat, y = rng.uniform(size=(7, 3)), rng.uniform(size=(7, 3))
    assert np.isclose(sol.quadratic_cost(y_hat, y), losses.mse(y_hat, y), rtol=1e-12)


def test_the_hand_network_is_a_network():
    p = ch01.HAND_NETWORK
    net = Network([2, 2, 1], rng=0)
    for l, (W, b) in enumerate(((p["W1"], p["b1"]), (p["W2"], p["b2"]))):
        net.weights[l][:], net.biases[l][:] = W, b
    assert round(float(net.forward(p["x"].reshape(1, -1))[0, 0]), 4) == _by_hand() == 0.6817
