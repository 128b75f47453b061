"""Exercise checks of chapter 9, Training dynamics.

Each check calls the student's function on fixed inputs of distinct,
non-square shapes, compares the answer with the reference and names the
plausible mistakes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.checks._core import ExerciseFailure, call_student, expect_array, expect_scalar, passed, see

__all__ = ["check_momentum_step", "check_l2_regularise", "check_he_normal"]

_MOMENTUM = "Momentum against plain SGD"
_L2 = "L2 regularisation"
_HE = "He initialisation"


SOLUTIONS = {
    "check_momentum_step": "momentum_step",
    "check_l2_regularise": "l2_regularise",
    "check_he_normal": "he_normal",
}
"""What the solutions notebook passes each check (the convention is in ``nnlib.checks._core``)."""


def _momentum_trajectory(theta: np.ndarray, grads: list[np.ndarray], lr: float, beta: float,
                         *, decay: float | None = None, sign: float = -1.0,
                         scale: float = 1.0, old_velocity: bool = False) -> np.ndarray:
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


def check_momentum_step(momentum_step: Callable[..., Any]) -> bool:
    """Check one step of gradient descent with momentum.

    ``momentum_step(theta, v, grad, lr, beta)`` must return the pair
    ``(theta_new, v_new)`` with v ← β v − η ∇C, then θ ← θ + v.

    The check starts from a (3, 2) parameter array and a zero velocity, applies
    four steps with four different gradients (feeding the returned velocity back
    in) and compares θ after every step.

    Parameters
    ----------
    momentum_step : callable
        The student's function.

    Returns
    -------
    bool
        True when the answer is right.

    Raises
    ------
    ExerciseFailure
        When it is wrong, with the step and element that differ and, for a known
        mistake, its name.
    """
    rng = np.random.default_rng(9)
    theta0 = rng.normal(size=(3, 2))
    grads = [rng.normal(size=(3, 2)) for _ in range(4)]
    lr, beta = 0.1, 0.8
    theta, v = theta0.copy(), np.zeros_like(theta0)
    steps = []
    for k, g in enumerate(grads, start=1):
        result = call_student(momentum_step, theta, v, g, lr, beta)
        if not isinstance(result, tuple) or len(result) != 2:
            raise ExerciseFailure(
                f"momentum_step should return the pair (theta, v), got {type(result).__name__}"
                + (f" of length {len(result)}" if isinstance(result, tuple) else "")
                + ". End your function with `return theta, v`." + see(2, _MOMENTUM))
        theta, v = result
        if theta is None or v is None:
            raise ExerciseFailure("momentum_step returned None for theta or v: "
                                  "return both new arrays")
        theta = np.asarray(theta, dtype=float)
        v = np.asarray(v, dtype=float)
        if theta.shape != theta0.shape:
            raise ExerciseFailure(f"after step {k}, theta has shape {theta.shape} but should "
                                  f"keep the shape of the parameters, {theta0.shape}")
        steps.append(theta)
    expected = _momentum_trajectory(theta0, grads, lr, beta)
    wrong = {
        "you ignored β (that is plain gradient descent, θ ← θ − η∇C)." + see(2, _MOMENTUM, "9.6"):
            _momentum_trajectory(theta0, grads, lr, beta, decay=0.0),
        "you never decayed the velocity (v ← v − η∇C, without the factor β)."
        + see(2, _MOMENTUM, "9.6"):
            _momentum_trajectory(theta0, grads, lr, beta, decay=1.0),
        "you added the gradient (v ← βv + η∇C): the step must go downhill, against the gradient."
        + see(2, _MOMENTUM, "9.6"):
            _momentum_trajectory(theta0, grads, lr, beta, sign=1.0),
        "you moved θ with the old velocity before updating v." + see(1, _MOMENTUM, "9.6"):
            _momentum_trajectory(theta0, grads, lr, beta, old_velocity=True),
        "you used the averaging form v ← βv − η(1 − β)∇C; here η multiplies the raw gradient."
        + see(2, _MOMENTUM, "9.6"):
            _momentum_trajectory(theta0, grads, lr, beta, scale=1 - beta),
    }
    expect_array(np.stack(steps), expected, "θ after steps 1 to 4 (index 0 is the step)",
                 wrong=wrong,
                 hint="first v ← β·v − lr·grad, then θ ← θ + v; return (θ, v).")
    return passed("momentum_step follows v ← βv − η∇C, θ ← θ + v over four steps.")


def _l2_case() -> tuple[float, list[np.ndarray], list[np.ndarray], float]:
    """A data loss, its weight gradients and the weights of a 3-4-2 network."""
    from nnlib.network import Network

    rng = np.random.default_rng(3)
    net = Network([3, 4, 2], hidden="tanh", output="identity", loss="mse", rng=4)
    X = rng.normal(size=(5, 3))
    Y = rng.normal(size=(5, 2))
    grads = net.gradients(X, Y)
    return net.loss(X, Y), grads.dW, [W.copy() for W in net.weights], 0.1


def check_l2_regularise(l2_regularise: Callable[..., Any]) -> bool:
    """Check the L2 penalty added to a loss and to its weight gradients.

    ``l2_regularise(loss, dW, weights, lam)`` receives the data loss C₀, the list
    of gradients ∂C₀/∂W^l and the list of weight matrices W^l, and must return
    ``(loss_reg, dW_reg)`` with C = C₀ + (λ/2) Σ_l ‖W^l‖² and
    ∂C/∂W^l = ∂C₀/∂W^l + λ W^l.

    The inputs come from a 3-4-2 network, so W¹ is (4, 3) and W² is (2, 4).

    Parameters
    ----------
    l2_regularise : callable
        The student's function.

    Returns
    -------
    bool
        True when the answer is right.

    Raises
    ------
    ExerciseFailure
        When the loss or a gradient is wrong, naming the known mistakes.
    """
    loss0, dW0, weights, lam = _l2_case()
    result = call_student(l2_regularise, loss0, [g.copy() for g in dW0],
                          [W.copy() for W in weights], lam)
    if not isinstance(result, tuple) or len(result) != 2:
        raise ExerciseFailure("l2_regularise should return the pair (loss_reg, dW_reg); "
                              f"got {type(result).__name__}")
    loss_reg, dW_reg = result
    squares = [float(np.sum(W**2)) for W in weights]
    expect_scalar(loss_reg, loss0 + 0.5 * lam * sum(squares), "the regularised loss",
                  wrong={
                      "you left out the ½: the penalty is (λ/2) Σ‖W‖²." + see(1, _L2, "9.7"):
                          loss0 + lam * sum(squares),
                      "you used the norms ‖W‖ instead of their squares." + see(1, _L2, "9.7"):
                          loss0 + 0.5 * lam * sum(np.sqrt(s) for s in squares),
                      "you penalised the last layer only." + see(1, _L2, "9.7"):
                          loss0 + 0.5 * lam * squares[-1],
                      "you returned the penalty without the data loss." + see(2, _L2, "9.7"):
                          0.5 * lam * sum(squares),
                  },
                  hint="add (λ/2)·Σ_l sum(W_l**2) to the data loss.")
    if not isinstance(dW_reg, list | tuple) or len(dW_reg) != len(weights):
        length = f" of length {len(dW_reg)}" if isinstance(dW_reg, list | tuple) else ""
        raise ExerciseFailure(f"dW_reg should be a list of {len(weights)} arrays, one per layer; "
                              f"got {type(dW_reg).__name__}{length}")
    for l, (got, g, W) in enumerate(zip(dW_reg, dW0, weights, strict=True), start=1):
        expect_array(got, g + lam * W, f"dW_reg[{l - 1}] (the gradient for W^{l})",
                     wrong={
                         "you differentiated λ‖W‖² (giving 2λW) instead of (λ/2)‖W‖²."
                         + see(1, _L2, "9.7"): g + 2 * lam * W,
                         "you subtracted λW: the penalty's gradient is +λW." + see(2, _L2, "9.7"):
                             g - lam * W,
                         "you returned λW alone and dropped the data gradient."
                         + see(2, _L2, "9.7"): lam * W,
                         "you used λ·sign(W), which is the gradient of the L1 penalty."
                         + see(1, _L2): g + lam * np.sign(W),
                     },
                     hint="each dW_l gains λ·W_l.")
    return passed("the loss gains (λ/2)Σ‖W‖² and every ∂C/∂W gains λW.")


def check_he_normal(he_normal: Callable[..., Any]) -> bool:
    """Check the He initialisation scheme.

    ``he_normal(n_out, n_in, rng)`` must return an (n_out, n_in) matrix of
    independent normal draws with mean 0 and variance 2 / n_in, taken from the
    generator ``rng``. The check draws a (300, 200) matrix, measures its mean,
    standard deviation and tails, and calls the function twice with equal seeds
    (the draws must repeat) and once with another seed (they must change).

    Parameters
    ----------
    he_normal : callable
        The student's scheme.

    Returns
    -------
    bool
        True when the answer is right.

    Raises
    ------
    ExerciseFailure
        When a statistic is off, naming the known mistakes (a variance used as a
        standard deviation, n_out or n_in + n_out in place of n_in, a uniform draw).
    """
    n_out, n_in = 300, 200
    W = call_student(he_normal, n_out, n_in, np.random.default_rng(0))
    if W is None:
        raise ExerciseFailure("he_normal returned None: did you forget to `return` the matrix?")
    W = np.asarray(W, dtype=float)
    if W.shape != (n_out, n_in):
        extra = (" You drew an (n_in, n_out) matrix: W^l has one row per unit of layer l."
                 + see(2, _HE)
                 if W.shape == (n_in, n_out) else "")
        raise ExerciseFailure(f"he_normal({n_out}, {n_in}, rng) returned shape {W.shape}; "
                              f"it should be (n_out, n_in) = ({n_out}, {n_in}).{extra}")
    if not np.all(np.isfinite(W)):
        raise ExerciseFailure("the weights contain NaN or infinity")
    std = float(W.std())
    if abs(float(W.mean())) > 5 * std / np.sqrt(W.size):
        raise ExerciseFailure(f"the weights have mean {W.mean():.4f} but should be centred on 0: "
                              "draw from a normal distribution with mean 0." + see(2, _HE))
    expect_scalar(std, np.sqrt(2 / n_in), "the standard deviation of the weights", rtol=0.03,
                  wrong={
                      "you used the variance 2/n_in as the standard deviation "
                      "(take its square root)." + see(2, _HE, "9.4"): 2 / n_in,
                      "you divided by n_out; He's variance is 2/n_in (the fan-in)."
                      + see(1, _HE, "9.4"): np.sqrt(2 / n_out),
                      "you used Xavier's variance 2/(n_in + n_out)." + see(1, _HE, "9.4"):
                          np.sqrt(2 / (n_in + n_out)),
                      "you used variance 1/n_in; ReLU needs twice that, 2/n_in."
                      + see(1, _HE, "9.4"): np.sqrt(1 / n_in),
                  },
                  hint="rng.normal(0.0, np.sqrt(2 / n_in), size=(n_out, n_in)).")
    tails = float(np.mean(np.abs(W) > 2 * np.sqrt(2 / n_in)))
    expect_scalar(tails, 0.0455, "the fraction of weights beyond two standard deviations", rtol=0.2,
                  wrong={"you drew from a uniform distribution; He's scheme is normal."
                         + see(2, _HE): 0.0},
                  hint="a normal distribution puts 4.55% of its mass beyond 2σ.")
    again = np.asarray(call_student(he_normal, 4, 3, np.random.default_rng(7)))
    same = np.asarray(call_student(he_normal, 4, 3, np.random.default_rng(7)))
    other = np.asarray(call_student(he_normal, 4, 3, np.random.default_rng(8)))
    if not np.array_equal(again, same) or np.array_equal(again, other):
        raise ExerciseFailure("he_normal must draw from the generator `rng` it is given "
                              "(rng.normal), not from np.random: equal seeds must give "
                              "equal weights." + see(2, _HE))
    return passed(f"(300, 200) weights with mean 0 and standard deviation {std:.4f} "
                  "≈ √(2/200) = 0.1000.")
