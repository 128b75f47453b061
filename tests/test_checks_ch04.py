"""The exercise checks of chapter 4 pass the reference solutions and name the usual mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch04
from tests.conftest import load_solutions, stub

sol = load_solutions(4)

CHECKS = [
    (ch04.check_bce_output_error, "bce_output_error"),
    (ch04.check_softmax_jacobian, "softmax_jacobian"),
    (ch04.check_tanh_backward, "tanh_backward"),
]


@pytest.mark.parametrize(("check", "name"), CHECKS, ids=[n for _, n in CHECKS])
def test_check_passes_the_solution(check, name, capsys):
    assert check(getattr(sol, name)) is True
    assert "\u2714 Correct!" in capsys.readouterr().out


@pytest.mark.parametrize(("check", "name"), CHECKS, ids=[n for _, n in CHECKS])
def test_check_fails_the_stub(check, name):
    with pytest.raises(AssertionError, match="still the stub"):
        check(stub)


# ------------------------------------------------------------ bce_output_error

@pytest.mark.parametrize(("wrong", "message"), [
    (lambda y_hat, y: y_hat - y, "summed the cost"),
    (lambda y_hat, y: (y - y_hat) / len(y), "sign is flipped"),
    (lambda y_hat, y: (y_hat - y) * y_hat * (1 - y_hat) / len(y), "multiplied by σ′"),
    (lambda y_hat, y: (y_hat - y) / y.size, "averaged over the outputs"),
], ids=["no-1/m", "sign", "extra-sigma-prime", "divided-by-outputs"])
def test_bce_output_error_mistakes_are_named(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch04.check_bce_output_error(wrong)


def test_bce_output_error_transposed_is_reported():
    with pytest.raises(AssertionError, match="transpose of the expected shape"):
        ch04.check_bce_output_error(lambda y_hat, y: ((y_hat - y) / len(y)).T)


# ------------------------------------------------------------ softmax_jacobian

def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def test_softmax_jacobian_diagonal_only_is_named():
    def diagonal(z):
        a = _softmax(z)
        return np.diag(a * (1 - a))

    with pytest.raises(AssertionError, match="only the diagonal"):
        ch04.check_softmax_jacobian(diagonal)


def test_softmax_jacobian_plus_sign_is_named():
    def plus(z):
        a = _softmax(z)
        return np.diag(a) + np.outer(a, a)

    with pytest.raises(AssertionError, match="added a aᵀ"):
        ch04.check_softmax_jacobian(plus)


def test_softmax_jacobian_overflow_is_explained():
    def unstable(z):
        e = np.exp(z)
        a = e / e.sum()
        return np.diag(a) - np.outer(a, a)

    before = np.geterr()
    with pytest.raises(AssertionError, match="Subtract z.max"):
        ch04.check_softmax_jacobian(unstable)
    assert np.geterr() == before


# --------------------------------------------------------------- tanh_backward

def _tanh_backward(weights, biases, X, Y, *, prime="tanh", average=True, output_prime=False):
    L = len(weights)
    acts = [X]
    for l in range(1, L + 1):
        z = acts[-1] @ weights[l - 1].T + biases[l - 1]
        acts.append(1 / (1 + np.exp(-z)) if l == L else np.tanh(z))
    delta = (acts[L] - Y) / (X.shape[0] if average else 1)
    if output_prime:
        delta = delta * acts[L] * (1 - acts[L])
    dW, db = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dW[l - 1] = delta.T @ acts[l - 1]
        db[l - 1] = delta.sum(axis=0)
        if l > 1:
            a = acts[l - 1]
            derivative = {"tanh": 1 - a**2, "sigmoid": a * (1 - a), "none": 1.0}[prime]
            delta = (delta @ weights[l - 1]) * derivative
    return dW, db


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"prime": "sigmoid"}, "sigmoid's derivative a\\(1 − a\\) in a tanh layer"),
    ({"prime": "none"}, "left out tanh′"),
    ({"average": False}, "summed the cost"),
    ({"output_prime": True}, "multiplied the output error by σ′"),
], ids=["sigmoid-prime", "no-prime", "no-1/m", "output-prime"])
def test_tanh_backward_mistakes_are_named(kwargs, message):
    with pytest.raises(AssertionError, match=message):
        ch04.check_tanh_backward(lambda *args: _tanh_backward(*args, **kwargs))


def test_tanh_backward_reference_agrees_with_the_solution(capsys):
    assert ch04.check_tanh_backward(_tanh_backward) is True
