"""Exercise checks of chapter 9, Training dynamics: a momentum step, L2 regularisation, He initialisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.checks import _core
from nnlib.checks._core import ExerciseFailure, as_array, call_student, check, expect_array, expect_scalar, passed, see

_MOMENTUM = "Momentum against plain SGD"
_L2 = "L2 regularisation"
_HE = "He initialisation"


def _momentum_trajectory(theta: np.ndarray, grads: list[np.ndarray], lr: float, beta: float, *,
                         decay: float | None = None, sign: float = -1.0, scale: float = 1.0,
                         old_velocity: bool = False) -> np.ndarray:
    """θ after each step of momentum, and the variants that the common mistakes produce."""
    decay = beta if decay is None else decay
    theta, v = theta.copy(), np.zeros_like(theta)
    out = []
    for g in grads:
        if old_velocity:
            theta = theta + v
        v = decay * v + sign * lr * scale * g
        if not old_velocity:
            theta = theta + v
        out.append(theta)
    return np.stack(out)


@check("momentum_step")
def check_momentum_step(momentum_step: Callable[..., Any]) -> bool:
    """Check one step of gradient descent with momentum: ``momentum_step(theta, v, grad, lr, beta)``.

    It must return the pair ``(theta_new, v_new)`` with v ← β v − η ∇C, then θ ← θ + v; four steps are
    chained, each fed the velocity returned by the one before.
    """
    rng = np.random.default_rng(9)
    theta0 = rng.normal(size=(3, 2))
    grads = [rng.normal(size=(3, 2)) for _ in range(4)]
    lr, beta = 0.1, 0.8
    theta, v = theta0.copy(), np.zeros_like(theta0)
    steps = []
    for k, g in enumerate(grads, start=1):
        answer = call_student(momentum_step, theta, v, g, lr, beta)
        theta, v = _core.expect_items(answer, ("theta", "v"), "momentum_step",
                                      hint="End your function with `return theta, v`." + see(2, _MOMENTUM))
        theta, v = as_array(theta, f"theta after step {k}", theta0.shape), as_array(v, f"v after step {k}")
        steps.append(theta)
    pointer = see(2, _MOMENTUM, "9.6")
    slips = {f"you ignored β (that is plain gradient descent, θ ← θ − η∇C).{pointer}": {"decay": 0.0},
             f"you never decayed the velocity (v ← v − η∇C, without the factor β).{pointer}": {"decay": 1.0},
             f"you added the gradient (v ← βv + η∇C): the step must go downhill, against the gradient.{pointer}":
                 {"sign": 1.0},
             "you moved θ with the old velocity before updating v." + see(1, _MOMENTUM, "9.6"): {"old_velocity": True},
             f"you used the averaging form v ← βv − η(1 − β)∇C; here η multiplies the raw gradient.{pointer}":
                 {"scale": 1 - beta}}
    expect_array(np.stack(steps), _momentum_trajectory(theta0, grads, lr, beta),
                 "θ after steps 1 to 4 (index 0 is the step)",
                 wrong={text: _momentum_trajectory(theta0, grads, lr, beta, **slip) for text, slip in slips.items()},
                 hint="first v ← β·v − lr·grad, then θ ← θ + v; return (θ, v).")
    return passed("momentum_step follows v ← βv − η∇C, θ ← θ + v over four steps.")


@check("l2_regularise")
def check_l2_regularise(l2_regularise: Callable[..., Any]) -> bool:
    """Check the L2 penalty added to a loss and to its weight gradients.

    ``l2_regularise(loss, dW, weights, lam)`` receives the data loss C₀, the list of
    gradients ∂C₀/∂W^l and the list of weight matrices W^l, and must return
    ``(loss_reg, dW_reg)`` with C = C₀ + (λ/2) Σ_l ‖W^l‖² and ∂C/∂W^l = ∂C₀/∂W^l + λ W^l.
    """
    from nnlib.network import Network

    rng = np.random.default_rng(3)
    net = Network([3, 4, 2], hidden="tanh", output="identity", loss="mse", rng=4)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    loss0, dW0, weights, lam = net.loss(X, Y), net.gradients(X, Y).dW, [W.copy() for W in net.weights], 0.1
    answer = call_student(l2_regularise, loss0, [g.copy() for g in dW0], [W.copy() for W in weights], lam)
    loss_reg, dW_reg = _core.expect_items(answer, ("loss_reg", "dW_reg"), "l2_regularise")
    squares = [float(np.sum(W**2)) for W in weights]
    pointer_1, pointer_2 = see(1, _L2, "9.7"), see(2, _L2, "9.7")
    expect_scalar(loss_reg, loss0 + 0.5 * lam * sum(squares), "the regularised loss",
                  wrong={f"you left out the ½: the penalty is (λ/2) Σ‖W‖².{pointer_1}": loss0 + lam * sum(squares),
                         f"you used the norms ‖W‖ instead of their squares.{pointer_1}":
                             loss0 + 0.5 * lam * sum(np.sqrt(s) for s in squares),
                         f"you penalised the last layer only.{pointer_1}": loss0 + 0.5 * lam * squares[-1],
                         f"you returned the penalty without the data loss.{pointer_2}": 0.5 * lam * sum(squares)},
                  hint="add (λ/2)·Σ_l sum(W_l**2) to the data loss.")
    dW_reg = _core.expect_layers(dW_reg, len(weights), "l2_regularise", names=("dW_reg",))
    for l, (got, g, W) in enumerate(zip(dW_reg, dW0, weights, strict=True), start=1):
        expect_array(got, g + lam * W, f"dW_reg[{l - 1}] (the gradient for W^{l})",
                     wrong={f"you differentiated λ‖W‖² (giving 2λW) instead of (λ/2)‖W‖².{pointer_1}": g + 2 * lam * W,
                            f"you subtracted λW: the penalty's gradient is +λW.{pointer_2}": g - lam * W,
                            f"you returned λW alone and dropped the data gradient.{pointer_2}": lam * W,
                            "you used λ·sign(W), which is the gradient of the L1 penalty." + see(1, _L2):
                                g + lam * np.sign(W)},
                     hint="each dW_l gains λ·W_l.")
    return passed("the loss gains (λ/2)Σ‖W‖² and every ∂C/∂W gains λW.")


@check("he_normal")
def check_he_normal(he_normal: Callable[..., Any]) -> bool:
    """Check the He initialisation scheme ``he_normal(n_out, n_in, rng)``.

    It must return an (n_out, n_in) matrix of independent normal draws with mean 0 and
    variance 2 / n_in, taken from the generator ``rng`` (equal seeds, equal weights).
    """
    n_out, n_in = 300, 200
    W = as_array(call_student(he_normal, n_out, n_in, np.random.default_rng(0)),
                 f"the matrix he_normal({n_out}, {n_in}, rng) returned", (n_out, n_in),
                 transposed="you drew an (n_in, n_out) matrix, but W^l has one row per unit of layer l." + see(2, _HE))
    std = float(W.std())
    if abs(float(W.mean())) > 5 * std / np.sqrt(W.size):
        raise ExerciseFailure(f"the weights have mean {W.mean():.4f} but should be centred on 0: "
                              "draw from a normal distribution with mean 0." + see(2, _HE))
    pointer = see(1, _HE, "9.4")
    expect_scalar(std, np.sqrt(2 / n_in), "the standard deviation of the weights", rtol=0.03,
                  wrong={"you used the variance 2/n_in as the standard deviation (take its square root)."
                         + see(2, _HE, "9.4"): 2 / n_in,
                         f"you divided by n_out; He's variance is 2/n_in (the fan-in).{pointer}": np.sqrt(2 / n_out),
                         f"you used Xavier's variance 2/(n_in + n_out).{pointer}": np.sqrt(2 / (n_in + n_out)),
                         f"you used variance 1/n_in; ReLU needs twice that, 2/n_in.{pointer}": np.sqrt(1 / n_in)},
                  hint="rng.normal(0.0, np.sqrt(2 / n_in), size=(n_out, n_in)).")
    tails = float(np.mean(np.abs(W) > 2 * np.sqrt(2 / n_in)))
    expect_scalar(tails, 0.0455, "the fraction of weights beyond two standard deviations", rtol=0.2,
                  wrong={"you drew from a uniform distribution; He's scheme is normal." + see(2, _HE): 0.0},
                  hint="a normal distribution puts 4.55% of its mass beyond 2σ.")
    again, same, other = (np.asarray(call_student(he_normal, 4, 3, np.random.default_rng(s))) for s in (7, 7, 8))
    if not np.array_equal(again, same) or np.array_equal(again, other):
        raise ExerciseFailure("he_normal must draw from the generator `rng` it is given (rng.normal), not from "
                              "np.random: equal seeds must give equal weights." + see(2, _HE))
    return passed(f"(300, 200) weights with mean 0 and standard deviation {std:.4f} ≈ √(2/200) = 0.1000.")
