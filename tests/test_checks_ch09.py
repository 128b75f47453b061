"""The chapter 9 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch09
from tests.conftest import WRONG, assert_fails, wrong


# --------------------------------------------------------------- momentum_step
def test_momentum_step_accepts_the_other_velocity_convention():
    def pytorch_style(theta, v, grad, lr, beta):  # v ← βv + ∇C, θ ← θ − ηv: the same θ
        v = beta * v + grad
        return theta - lr * v, v

    assert ch09.check_momentum_step(pytorch_style) is True


MOMENTUM_MISTAKES = [
    (lambda th, v, g, lr, b: (th - lr * g, v), "ignored β"),
    (lambda th, v, g, lr, b: (th + (v - lr * g), v - lr * g), "never decayed the velocity"),
    (lambda th, v, g, lr, b: (th + (b * v + lr * g), b * v + lr * g), "added the gradient"),
    (lambda th, v, g, lr, b: (th + v, b * v - lr * g), "old velocity"),
    (lambda th, v, g, lr, b: (th + (b * v - lr * (1 - b) * g), b * v - lr * (1 - b) * g),
     "averaging form"),
    (lambda th, v, g, lr, b: th - lr * g, r"return the pair \(theta, v\), got ndarray. End your function"),
]


# --------------------------------------------------------------- l2_regularise
def test_l2_regularise_agrees_with_nnlib(sol):
    """The solution reproduces Network(l2=λ): loss and gradients."""
    from nnlib import Network

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    plain = Network([3, 5, 2], hidden="tanh", output="identity", loss="mse", rng=1)
    penalised = Network([3, 5, 2], hidden="tanh", output="identity", loss="mse", rng=1, l2=0.3)
    loss, dW = sol.l2_regularise(plain.loss(X, Y), plain.gradients(X, Y).dW, plain.weights, 0.3)
    assert np.isclose(loss, penalised.loss(X, Y), rtol=1e-12)
    for got, want in zip(dW, penalised.gradients(X, Y).dW, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def _penalty(weights, lam, power=2.0):
    return lam * sum(np.sum(W**2) ** (power / 2) for W in weights)


def _plus(dW, Ws, term):
    """Each data gradient plus ``term(W)`` (the penalty's gradient, right or wrong)."""
    return [g + term(W) for g, W in zip(dW, Ws, strict=True)]


L2_MISTAKES = [
    (lambda L, dW, Ws, lam: (L + _penalty(Ws, lam), _plus(dW, Ws, lambda W: lam * W)),
     "left out the ½"),
    (lambda L, dW, Ws, lam: (L + _penalty(Ws, lam / 2, 1.0), _plus(dW, Ws, lambda W: lam * W)),
     "norms ‖W‖ instead of their squares"),
    (lambda L, dW, Ws, lam: (L + _penalty(Ws, lam / 2), _plus(dW, Ws, lambda W: 2 * lam * W)),
     "giving 2λW"),
    (lambda L, dW, Ws, lam: (L + _penalty(Ws, lam / 2), _plus(dW, Ws, lambda W: -lam * W)),
     "subtracted λW"),
    (lambda L, dW, Ws, lam: (L + _penalty(Ws, lam / 2), [lam * W for W in Ws]),
     "dropped the data gradient"),
    (lambda L, dW, Ws, lam: (L + _penalty(Ws, lam / 2), _plus(dW, Ws, lambda W: lam * np.sign(W))),
     "L1 penalty"),
    (lambda L, dW, Ws, lam: (_penalty(Ws, lam / 2), _plus(dW, Ws, lambda W: lam * W)),
     "without the data loss"),
    (lambda L, dW, Ws, lam: (L + _penalty(Ws[-1:], lam / 2), _plus(dW, Ws, lambda W: lam * W)),
     "last layer only"),
]
L2_MALFORMED = [
    (lambda L, dW, Ws, lam: L, r"should return the pair \(loss_reg, dW_reg\), got float"),
    (lambda L, dW, Ws, lam: (L + _penalty(Ws, lam / 2), dW[:1]), r"dW_reg should hold one array per layer \(2\)"),
]


# ------------------------------------------------------------------- he_normal
def test_he_normal_works_as_an_nnlib_scheme(sol):
    from nnlib import Network

    net = Network([200, 300, 1], hidden="relu", init=sol.he_normal, rng=0)
    assert net.weights[0].shape == (300, 200)
    assert abs(net.weights[0].std() - 0.1) < 0.003


HE_MISTAKES = [
    (lambda o, i, rng: rng.normal(0.0, 2 / i, size=(o, i)),
     "variance 2/n_in as the standard deviation"),
    (lambda o, i, rng: rng.normal(0.0, np.sqrt(2 / o), size=(o, i)), "divided by n_out"),
    (lambda o, i, rng: rng.normal(0.0, np.sqrt(2 / (i + o)), size=(o, i)), "Xavier"),
    (lambda o, i, rng: rng.normal(0.0, np.sqrt(1 / i), size=(o, i)), "variance 1/n_in"),
    (lambda o, i, rng: rng.normal(0.0, np.sqrt(2 / i), size=(i, o)), r"transpose of the expected shape: you drew an "
     r"\(n_in, n_out\) matrix"),
    (lambda o, i, rng: rng.uniform(-np.sqrt(6 / i), np.sqrt(6 / i), size=(o, i)),
     "uniform distribution"),
    (lambda o, i, rng: rng.normal(0.5, np.sqrt(2 / i), size=(o, i)), "centred on 0"),
    (lambda o, i, rng: np.random.default_rng().normal(0.0, np.sqrt(2 / i), size=(o, i)),
     "draw from the generator `rng`"),
]


HE_MALFORMED = [
    (lambda o, i, rng: None, "he_normal.300, 200, rng. returned is None: did you forget to `return` it"),
    (lambda o, i, rng: np.full((o, i), np.nan), "contains NaN or infinity"),
]

MOMENTUM, L2, HE = ch09.check_momentum_step, ch09.check_l2_regularise, ch09.check_he_normal
WRONG_ANSWERS = [
    *[wrong(check, answer, message) for check, table in ((MOMENTUM, MOMENTUM_MISTAKES), (L2, L2_MISTAKES),
                                                           (HE, HE_MISTAKES)) for answer, message in table],
    *[wrong(check, answer, message, named=False) for check, table in ((L2, L2_MALFORMED), (HE, HE_MALFORMED))
      for answer, message in table],
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=9)
