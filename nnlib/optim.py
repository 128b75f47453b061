"""Optimisers: how a gradient becomes a parameter update.

An optimiser has ``lr`` and ``step(params, grads)``, which updates every array
in ``params`` in place from the matching array in ``grads``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnlib._validation import choice, non_negative_float, positive_float

__all__ = ["Optimizer", "SGD", "Momentum", "get"]


class Optimizer:
    """Base class: holds the learning rate η and updates parameters in place."""

    def __init__(self, lr: float) -> None:
        self.lr = positive_float(lr, "lr")

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update each ``params[i]`` in place using ``grads[i]``."""
        raise NotImplementedError

    @staticmethod
    def _check(params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Refuse mismatched lists before any parameter is touched."""
        if len(params) != len(grads):
            raise ValueError(
                f"grads has {len(grads)} arrays but params has {len(params)}; "
                "pass one gradient per parameter array"
            )
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            if not isinstance(p, np.ndarray) or not isinstance(g, np.ndarray):
                raise TypeError(
                    f"params[{i}] and grads[{i}] must be numpy arrays (params are updated in place)"
                )
            if p.shape != g.shape:
                raise ValueError(
                    f"grads[{i}] has shape {g.shape} but params[{i}] has shape "
                    f"{p.shape}; they must match"
                )

    def reset(self) -> None:
        """Forget any state (velocities).

        ``fit`` does not call it: an optimiser passed to ``fit`` twice carries its
        velocities over, which continues a training run. Call ``reset()`` (or make a
        new optimiser) before using it on another network or a fresh run.
        """

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr:g})"


class SGD(Optimizer):
    """Plain gradient descent: θ ← θ − η ∂C/∂θ."""

    def step(self, params, grads):
        self._check(params, grads)
        for p, g in zip(params, grads, strict=True):
            p -= self.lr * g


class Momentum(Optimizer):
    """Gradient descent with momentum: v ← β v − η ∂C/∂θ, then θ ← θ + v.

    Parameters
    ----------
    lr : float
        The learning rate η > 0.
    beta : float, default 0.9
        The momentum coefficient, 0 ≤ β < 1; β = 0 is plain SGD.
    """

    def __init__(self, lr: float, beta: float = 0.9) -> None:
        super().__init__(lr)
        beta = non_negative_float(beta, "beta")
        if beta >= 1:
            raise ValueError(f"beta must be in [0, 1), got {beta}")
        self.beta = beta
        self.velocities: list[np.ndarray] | None = None

    def reset(self) -> None:
        self.velocities = None

    def step(self, params, grads):
        self._check(params, grads)
        shapes = [p.shape for p in params]
        if self.velocities is None or [v.shape for v in self.velocities] != shapes:
            self.velocities = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocities, strict=True):
            v *= self.beta
            v -= self.lr * g
            p += v

    def __repr__(self) -> str:
        return f"Momentum(lr={self.lr:g}, beta={self.beta:g})"


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum}


def get(name: str | Optimizer, lr: float) -> Optimizer:
    """Return ``name`` if it is an Optimizer, else a new "sgd" or "momentum" with rate ``lr``."""
    if isinstance(name, Optimizer):
        return name
    return choice(name, "optimizer", OPTIMIZERS)(lr)
