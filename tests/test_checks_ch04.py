"""The chapter 4 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch04
from tests.conftest import assert_points_to_a_hint, backward_variant

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


def test_softmax_jacobian_missing_diagonal_is_named():
    def off_diagonal(z):
        a = _softmax(z)
        return -np.outer(a, a)

    with pytest.raises(AssertionError, match="left out the diagonal term"):
        ch04.check_softmax_jacobian(off_diagonal)


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

def _tanh_backward(*args, **mistakes):
    """The 2-3-3-1 network's backward pass: tanh hidden layers, BCE (no σ′ at the output)."""
    return backward_variant(*args, **{"hidden": "tanh", "output_prime": False, **mistakes})


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"derivative": "sigmoid"}, "sigmoid's derivative a\\(1 − a\\) in a tanh layer"),
    ({"derivative": "none"}, "left out tanh′"),
    ({"average": False}, "summed the cost"),
    ({"output_prime": True}, "multiplied the output error by σ′"),
], ids=["sigmoid-prime", "no-prime", "no-1/m", "output-prime"])
def test_tanh_backward_mistakes_are_named(kwargs, message):
    with pytest.raises(AssertionError, match=message):
        ch04.check_tanh_backward(lambda *args: _tanh_backward(*args, **kwargs))


def test_tanh_backward_reference_agrees_with_the_solution(capsys):
    assert ch04.check_tanh_backward(_tanh_backward) is True


# ------------------------------------------------------- pointers to the hints

def _unstable_jacobian(z):
    e = np.exp(z)
    a = e / e.sum()
    return np.diag(a) - np.outer(a, a)


BCE, JACOBIAN, TANH = ("The output error of cross-entropy", "The softmax Jacobian",
                       "The backward pass of the tanh network")
NAMED_MISTAKES = [
    *[(ch04.check_bce_output_error, wrong, BCE) for wrong in (
        lambda y_hat, y: y_hat - y,
        lambda y_hat, y: (y - y_hat) / len(y),
        lambda y_hat, y: (y_hat - y) * y_hat * (1 - y_hat) / len(y),
        lambda y_hat, y: (y_hat - y) / y.size)],
    (ch04.check_softmax_jacobian, _unstable_jacobian, JACOBIAN),
    *[(ch04.check_softmax_jacobian, wrong, JACOBIAN) for wrong in (
        lambda z: np.diag(_softmax(z) * (1 - _softmax(z))),
        lambda z: np.diag(_softmax(z)) + np.outer(_softmax(z), _softmax(z)),
        lambda z: -np.outer(_softmax(z), _softmax(z)))],
    *[(ch04.check_tanh_backward, lambda *args, kw=kwargs: _tanh_backward(*args, **kw), TANH)
      for kwargs in ({"derivative": "sigmoid"}, {"derivative": "none"}, {"average": False},
                     {"output_prime": True})],
]


@pytest.mark.parametrize(("check", "wrong", "exercise"), NAMED_MISTAKES,
                         ids=["bce-no-1/m", "bce-sign", "bce-sigma-prime", "bce-outputs",
                              "jacobian-overflow", "jacobian-diagonal", "jacobian-plus",
                              "jacobian-no-diag", "tanh-sigmoid-prime", "tanh-no-prime",
                              "tanh-no-1/m", "tanh-output-prime"])
def test_each_named_mistake_points_to_a_hint_that_exists(check, wrong, exercise):
    before = np.geterr()
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(AssertionError) as failure:
        check(wrong)
    assert np.geterr() == before
    assert_points_to_a_hint(str(failure.value), 4, exercise=exercise)
