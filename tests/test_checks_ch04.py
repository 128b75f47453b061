"""The chapter 4 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch04
from tests.conftest import WRONG, assert_fails, backward_variant, wrong


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _unstable_jacobian(z):
    e = np.exp(z)
    a = e / e.sum()
    return np.diag(a) - np.outer(a, a)


def _tanh_backward(*args, **mistakes):
    """The 2-3-3-1 network's backward pass: tanh hidden layers, BCE (no σ′ at the output)."""
    return backward_variant(*args, **{"hidden": "tanh", "output_prime": False, **mistakes})


def _tanh(**mistakes):
    return lambda *args: _tanh_backward(*args, **mistakes)


BCE, JACOBIAN, TANH = ch04.check_bce_output_error, ch04.check_softmax_jacobian, ch04.check_tanh_backward
_EXERCISE = {BCE: "The output error of cross-entropy", JACOBIAN: "The softmax Jacobian",
             TANH: "The backward pass of the tanh network"}


def _wrong(check, answer, message, **kwargs):
    return wrong(check, answer, message, exercise=_EXERCISE[check], **kwargs)


WRONG_ANSWERS = [
    _wrong(BCE, lambda y_hat, y: y_hat - y, "summed the cost"),
    _wrong(BCE, lambda y_hat, y: (y - y_hat) / len(y), "sign is flipped"),
    _wrong(BCE, lambda y_hat, y: (y_hat - y) * y_hat * (1 - y_hat) / len(y), "multiplied by σ′"),
    _wrong(BCE, lambda y_hat, y: (y_hat - y) / y.size, "averaged over the outputs"),
    _wrong(BCE, lambda y_hat, y: ((y_hat - y) / len(y)).T, "transpose of the expected shape", named=False),
    _wrong(JACOBIAN, lambda z: np.diag(_softmax(z) * (1 - _softmax(z))), "only the diagonal"),
    _wrong(JACOBIAN, lambda z: np.diag(_softmax(z)) + np.outer(_softmax(z), _softmax(z)), "added a aᵀ"),
    _wrong(JACOBIAN, lambda z: -np.outer(_softmax(z), _softmax(z)), "left out the diagonal term"),
    _wrong(JACOBIAN, _unstable_jacobian, "contains NaN or infinity: exp.1000. overflows. Subtract z.max"),
    _wrong(TANH, _tanh(derivative="sigmoid"), r"sigmoid's derivative a\(1 − a\) in a tanh layer"),
    _wrong(TANH, _tanh(derivative="none"), "left out tanh′"),
    _wrong(TANH, _tanh(average=False), "summed the cost"),
    _wrong(TANH, _tanh(output_prime=True), "multiplied the output error by σ′"),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=4)


def test_tanh_backward_reference_agrees_with_the_solution(capsys):
    assert ch04.check_tanh_backward(_tanh_backward) is True
