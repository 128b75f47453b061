"""The chapter 5 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references: an ELU, a Huber loss and a last-layer trainer, each with one
planted mistake.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnlib.activations import Activation
from nnlib.checks import ch05
from nnlib.losses import Loss
from tests.conftest import WRONG, assert_fails, wrong


def _elu(value=lambda z, al: np.where(z > 0, z, al * (np.exp(np.minimum(z, 0)) - 1)),
         prime=lambda a, al: np.where(a > 0, 1.0, a + al), kinks=True):
    """An ELU class whose σ is ``value(z, α)`` and σ′ from the output ``prime(a, α)``."""

    class ELU(Activation):
        name, has_kinks = "elu", kinks

        def __init__(self, alpha=1.0):
            self.alpha = alpha

        def __call__(self, z):
            return value(np.asarray(z, dtype=float), self.alpha)

        def derivative_from_output(self, a):
            return prime(a, self.alpha)

    return ELU


def _huber(rho=lambda r, c: np.where(abs(r) <= c, r * r / 2, c * abs(r) - c * c / 2),
           slope=lambda r, c: np.minimum(np.maximum(r, -c), c), average=True):
    """A Huber class with per-element loss ``rho(r, c)`` and slope ``slope(r, c)``, r = ŷ − y."""

    class Huber(Loss):
        name = "huber"

        def __init__(self, c=1.0):
            self.c = c

        def value(self, y_hat, y):
            return float(np.sum(rho(y_hat - y, self.c))) / (len(y) if average else 1)

        def grad(self, y_hat, y):
            return slope(y_hat - y, self.c) / (len(y) if average else 1)

    return Huber


def _trainer(trained=(-2, -1), fresh=True, returns=True):
    """train_last_layer that steps the parameters at ``trained`` (indices into W¹, b¹, ...)."""

    def train_last_layer(net, X, Y, epochs, lr):
        grads = net.gradients(X, Y).flat()
        for _ in range(epochs):
            grads = net.gradients(X, Y).flat() if fresh else grads
            params = net.parameters()
            for i in trained:
                params[i] -= lr * grads[i]
        return net if returns else None

    return train_last_layer


def test_the_answers_written_here_pass(capsys):
    assert ch05.check_elu(_elu()) and ch05.check_huber(_huber()) and ch05.check_train_last_layer(_trainer())
    out = capsys.readouterr().out
    assert out.count("✔ Correct!") == 3 and "centred differences (below 1e-06)" in out
    assert not re.search(r"\d\.\d+e-", out)     # a bound, never rounding-level digits


ELU, HUBER, FREEZE = ch05.check_elu, ch05.check_huber, ch05.check_train_last_layer
_EXERCISE = {ELU: "An ELU activation", HUBER: "A Huber loss", FREEZE: "Train only the last layer"}


def _wrong(check, answer, message, **kwargs):
    return wrong(check, answer, message, exercise=_EXERCISE[check], **kwargs)


WRONG_ANSWERS = [
    _wrong(ELU, _elu(value=lambda z, al: np.where(z > 0, z, np.exp(np.minimum(z, 0)) - 1),
                     prime=lambda a, al: np.where(a > 0, 1.0, a + 1)), "left out α"),
    _wrong(ELU, _elu(prime=lambda a, al: np.where(a > 0, 1.0, al * np.exp(a))), "from z, not from the output"),
    _wrong(ELU, _elu(prime=lambda a, al: np.where(a > 0, 1.0, a + 1)), "you wrote a \\+ 1"),
    _wrong(ELU, _elu(prime=lambda a, al: np.where(a >= 0, 1.0, a + al)), "branch z > 0 at z = 0"),
    _wrong(ELU, _elu(kinks=False), "has_kinks is not True"),
    _wrong(ELU, _elu(value=lambda z, al: np.maximum(z, 0)), r"ELU\(0.5\)\(z\) is wrong", named=False),
    _wrong(HUBER, _huber(average=False), "1/m of the average"),
    _wrong(HUBER, _huber(rho=lambda r, c: np.where(abs(r) <= c, r * r / 2, c * abs(r))), r"c\|r\| for \|r\| > c"),
    _wrong(HUBER, _huber(slope=lambda r, c: r), "quadratic branch's slope"),
    _wrong(HUBER, _huber(slope=lambda r, c: np.where(abs(r) <= c, r, c)), "dropped the sign"),
    _wrong(HUBER, _huber(slope=lambda r, c: -np.clip(r, -c, c)), "wrong sign"),
    _wrong(FREEZE, _trainer(trained=range(6)), "trained every layer"),
    _wrong(FREEZE, _trainer(trained=(-2,)), "froze b\\^L too"),
    _wrong(FREEZE, _trainer(fresh=False), "gradients once"),
    _wrong(FREEZE, _trainer(returns=False), "should train net in place and return it", named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=5)
