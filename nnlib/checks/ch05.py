"""Exercise checks of chapter 5, Implementing backpropagation: a new activation, a new loss, a frozen layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.checks import _core
from nnlib.checks._core import ExerciseFailure, call_student, check, expect_array, expect_scalar, passed, see
from nnlib.gradcheck import check_network

_EX_ELU, _EX_HUBER, _EX_FREEZE = "An ELU activation", "A Huber loss", "Train only the last layer"


def _in_a_network(what: str, **kw: Any) -> str:
    """Gradient-check a 3-5-4-2 network that uses the student's activation or loss; say what it showed."""
    net, X, Y = _core.network_problem([3, 5, 4, 2], 6, 55, **kw)
    report = check_network(net, X, Y)
    if not report.passed:  # pragma: no cover - the comparisons before are stricter
        raise ExerciseFailure(f"in a network, {what} disagrees with centred differences: {report}")
    return f"in a 3-5-4-2 network every gradient agrees with centred differences (below {report.threshold:.0e})."


@check("ELU")
def check_elu(ELU: type) -> bool:
    """Check ``ELU(alpha)``, an nnlib Activation: σ(z) = z for z > 0, α(eᶻ − 1) otherwise."""
    elu, alpha = call_student(ELU, 0.5, name="ELU"), 0.5
    z = np.array([-30.0, -2.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 2.0])
    a = np.where(z > 0, z, alpha * np.expm1(z))
    no_alpha = "you left out α: eᶻ − 1 instead of α(eᶻ − 1)." + see(1, _EX_ELU)
    expect_array(call_student(elu, z, name="ELU(0.5)"), a, "ELU(0.5)(z)", hint="α(eᶻ − 1) for z ≤ 0, z above.",
                 wrong={no_alpha: np.where(z > 0, z, np.expm1(z))})
    wrong = {"you computed σ′ from z, not from the output a = σ(z): for z ≤ 0, σ′ = αeᶻ = a + α."
             + see(2, _EX_ELU, "5.6"): np.where(a > 0, 1.0, alpha * np.exp(a)),
             "you wrote a + 1: σ′ = a + α for z ≤ 0, and α is 0.5 here." + see(2, _EX_ELU): np.where(a > 0, 1.0, a + 1),
             "you took the branch z > 0 at z = 0 (a >= 0): z = 0 belongs to α(eᶻ − 1), whose slope there is α."
             + see(3, _EX_ELU): np.where(a >= 0, 1.0, a + alpha)}
    expect_array(call_student(elu.derivative_from_output, a.copy(), name="ELU(0.5).derivative_from_output"),
                 np.where(z > 0, 1.0, a + alpha), "ELU(0.5).derivative_from_output(a)", wrong=wrong,
                 hint="1 where a > 0, a + α elsewhere.")
    if getattr(elu, "has_kinks", False) is not True:
        raise ExerciseFailure("ELU(0.5).has_kinks is not True, but the slope jumps from α to 1 at z = 0, a kink "
                              "that the gradient checker must know about." + see(3, _EX_ELU, "6.5"))
    return passed("ELU(0.5) and its σ′ from the output are right on both branches and at z = 0; "
                  + _in_a_network("your ELU", hidden=elu, output="sigmoid", loss="bce"))


@check("Huber")
def check_huber(Huber: type) -> bool:
    """Check ``Huber(c)``, an nnlib Loss with ``value(y_hat, y)`` and ``grad(y_hat, y)``, averaged over the m rows."""
    huber, c = call_student(Huber, 0.5, name="Huber"), 0.5
    Y_hat = np.array([[0.9, 0.2], [0.4, 0.7], [0.1, 0.95], [0.75, 0.5]])
    Y = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    r, m = Y_hat - Y, len(Y)
    rho = np.where(np.abs(r) <= c, r**2 / 2, c * (np.abs(r) - c / 2))
    one_m = "you left out the 1/m of the average (nnlib's losses include it)." + see(1, _EX_HUBER, "5.5")
    expect_scalar(call_student(huber.value, Y_hat, Y, name="Huber(0.5).value"), rho.sum() / m, "Huber(0.5).value(ŷ, y)",
                  wrong={one_m: rho.sum(), "you wrote c|r| for |r| > c: the pieces meet only with c(|r| − c/2)."
                         + see(1, _EX_HUBER): np.where(np.abs(r) <= c, r**2 / 2, c * np.abs(r)).sum() / m})
    wrong = {one_m: np.clip(r, -c, c),
             "you kept the quadratic branch's slope r for |r| > c, where it is c·sign(r)." + see(2, _EX_HUBER): r / m,
             "you dropped the sign: for |r| > c the slope is c·sign(r), not c." + see(2, _EX_HUBER):
                 np.where(np.abs(r) <= c, r, c) / m,
             "your gradient has the wrong sign: r = ŷ − y, and ∂C/∂ŷ points the way C grows." + see(2, _EX_HUBER):
                 -np.clip(r, -c, c) / m}
    expect_array(call_student(huber.grad, Y_hat, Y, name="Huber(0.5).grad"), np.clip(r, -c, c) / m,
                 "Huber(0.5).grad(ŷ, y)", wrong=wrong, hint="∂C/∂ŷ = clip(ŷ − y, −c, c)/m.")
    return passed("Huber(0.5)'s value and gradient are right on both branches; with a sigmoid output (the general "
                  "BP1), " + _in_a_network("your Huber loss", hidden="tanh", output="sigmoid", loss=huber))


@check("train_last_layer")
def check_train_last_layer(train_last_layer: Callable[..., Any]) -> bool:
    """Check ``train_last_layer(net, X, Y, epochs, lr)``: full-batch gradient descent on W^L and b^L only."""
    net, X, Y = _core.network_problem([3, 5, 4, 2], 8, 56, hidden="sigmoid", output="sigmoid", loss="bce")

    def run(trained: tuple[int, ...] = (4, 5), stale: bool = False) -> list[np.ndarray]:  # W³ and b³ are 4, 5
        ref = net.copy()
        grads = ref.gradients(X, Y).flat()
        for _ in range(20):
            grads = grads if stale else ref.gradients(X, Y).flat()
            for i in trained:
                ref.parameters()[i][...] -= 0.5 * grads[i]
        return ref.parameters()

    expected = run()
    wrong = {"you trained every layer: zero the lower layers' gradients." + see(1, _EX_FREEZE): run((0, 1, 2, 3, 4, 5)),
             "you froze b^L too: the last layer is W^L and b^L." + see(1, _EX_FREEZE): run((4,)),
             "you computed the gradients once, before the loop: each step needs fresh ones." + see(2, _EX_FREEZE):
                 run(stale=True)}
    got = call_student(train_last_layer, net, X, Y, 20, 0.5)
    if got is not net:
        raise ExerciseFailure(f"train_last_layer should train net in place and return it, got {type(got).__name__}")
    for i, (p, q) in enumerate(zip(got.parameters(), expected, strict=True)):
        expect_array(p, q, f"{'Wb'[i % 2]}^{i // 2 + 1} after 20 steps", hint="only W^L and b^L move.",
                     wrong={text: v[i] for text, v in wrong.items()})
    return passed("the lower layers stayed where they were, and W^L and b^L took the 20 steps of "
                  "gradient descent.")
