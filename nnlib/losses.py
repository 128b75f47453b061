"""Loss functions C(ŷ, y), averaged over the m samples of a batch.

Each loss has ``__call__(y_hat, y) -> float`` and ``gradient(y_hat, y)`` = ∂C/∂ŷ,
with the 1/m of the average included. Both stay finite when ŷ is exactly 0 or 1.

* ``mse``: C = (1/m) Σᵢ ½‖ŷᵢ − yᵢ‖², the quadratic cost (note the ½).
* ``bce``: C = −(1/m) Σᵢ Σₖ [yᵢₖ log ŷᵢₖ + (1 − yᵢₖ) log(1 − ŷᵢₖ)], targets in [0, 1].
* ``cross_entropy``: C = −(1/m) Σᵢ Σₖ yᵢₖ log ŷᵢₖ, with one-hot rows or integer labels.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import as_float_array, choice

__all__ = ["Loss", "MSE", "BCE", "CrossEntropy", "mse", "bce", "cross_entropy", "get", "LOSSES"]


def _clip(y_hat: np.ndarray) -> np.ndarray:
    """Keep probabilities inside [eps, 1 − eps] so that logarithms stay finite."""
    eps = np.finfo(y_hat.dtype).eps
    return np.clip(y_hat, eps, 1.0 - eps)


class Loss:
    """Base class of the losses; see the module docstring for the formulas."""

    name: str = "loss"

    def __call__(self, y_hat: np.ndarray, y: np.ndarray) -> float:
        y_hat, y = self.validate(y_hat, y)
        return float(self.value(y_hat, y))

    def gradient(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return ∂C/∂ŷ, shape of ``y_hat``, including the 1/m of the average."""
        y_hat, y = self.validate(y_hat, y)
        return self.grad(y_hat, y)

    # Unchecked versions used inside the training loop, where the network
    # has validated the data once already.
    def value(self, y_hat: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    def grad(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def validate(self, y_hat: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Check shapes and values; return float arrays ``(y_hat, y)`` of equal 2-D shape."""
        y_hat = as_float_array(y_hat, "y_hat")
        y = as_float_array(y, "y", dtype=y_hat.dtype)
        for name, arr in (("y_hat", y_hat), ("y", y)):
            if arr.ndim > 2:
                raise ValueError(
                    f"{name} must be 1-D (m,) or 2-D (m, n_outputs), got shape {arr.shape}"
                )
        if y_hat.ndim == 1:
            y_hat = y_hat.reshape(-1, 1)
        if y.ndim == 1 and y_hat.shape[1] == 1:
            y = y.reshape(-1, 1)
        if y.shape != y_hat.shape:
            raise ValueError(
                f"y has shape {y.shape} but y_hat has shape {y_hat.shape}; they must match"
            )
        return y_hat, y

    def __repr__(self) -> str:
        return f"<loss {self.name}>"


class MSE(Loss):
    """The quadratic cost C = (1/m) Σᵢ ½‖ŷᵢ − yᵢ‖², with ∂C/∂ŷ = (ŷ − y)/m."""

    name = "mse"

    def value(self, y_hat: np.ndarray, y: np.ndarray) -> float:
        diff = y_hat - y
        return 0.5 * float(np.vdot(diff, diff)) / y_hat.shape[0]

    def grad(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (y_hat - y) / y_hat.shape[0]


class BCE(Loss):
    """Binary cross-entropy; targets must lie in [0, 1] and ŷ in [0, 1].

    ∂C/∂ŷ = (ŷ − y) / (ŷ (1 − ŷ) m), which the sigmoid's σ′ = ŷ(1 − ŷ) cancels.
    """

    name = "bce"

    def validate(self, y_hat, y):
        y_hat, y = super().validate(y_hat, y)
        if np.any((y < 0) | (y > 1)):
            raise ValueError(
                "bce targets y must lie in [0, 1] (labels 0/1 or probabilities); "
                f"found values from {y.min():g} to {y.max():g}"
            )
        if np.any((y_hat < 0) | (y_hat > 1)):
            raise ValueError("bce predictions y_hat must lie in [0, 1]: use a sigmoid output")
        return y_hat, y

    def value(self, y_hat: np.ndarray, y: np.ndarray) -> float:
        p = _clip(y_hat)
        total = np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p))
        return -float(total) / y_hat.shape[0]

    def grad(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        p = _clip(y_hat)
        return (p - y) / (p * (1.0 - p)) / y_hat.shape[0]


class CrossEntropy(Loss):
    """Categorical cross-entropy C = −(1/m) Σᵢ Σₖ yᵢₖ log ŷᵢₖ for a softmax output.

    ``y`` may be one-hot (same shape as ŷ) or integer class labels of shape (m,)
    or (m, 1), which are one-hot encoded here. ∂C/∂ŷ = −y / (ŷ m).
    """

    name = "cross_entropy"

    def validate(self, y_hat, y):
        y_hat = as_float_array(y_hat, "y_hat")
        if y_hat.ndim != 2:
            raise ValueError(
                f"cross_entropy needs y_hat of shape (m, n_classes), got {y_hat.shape}"
            )
        if y_hat.shape[1] < 2:
            raise ValueError(
                f"cross_entropy needs at least 2 classes (columns of y_hat), got shape "
                f"{y_hat.shape}; for a single output use bce"
            )
        y = one_hot_or_check(y, y_hat.shape[1], "y", dtype=y_hat.dtype)
        if y.shape[0] != y_hat.shape[0]:
            raise ValueError(f"y has {y.shape[0]} samples but y_hat has {y_hat.shape[0]}")
        if np.any(y_hat < 0) or np.any(y_hat > 1):
            raise ValueError(
                "cross_entropy predictions y_hat must lie in [0, 1]: use a softmax output"
            )
        return y_hat, y

    def value(self, y_hat: np.ndarray, y: np.ndarray) -> float:
        return -float(np.sum(y * np.log(_clip(y_hat)))) / y_hat.shape[0]

    def grad(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        return -y / _clip(y_hat) / y_hat.shape[0]


def one_hot_or_check(y, n_classes: int, name: str = "y", dtype=np.float64) -> np.ndarray:
    """Return ``y`` as one-hot rows of width ``n_classes``.

    Integer labels of shape (m,) or (m, 1) are encoded; an (m, n_classes) array must
    hold non-negative rows that sum to 1.
    """
    y = as_float_array(y, name)
    if y.ndim == 2 and y.shape[1] == n_classes and n_classes > 1:
        if np.any(y < 0) or not np.allclose(y.sum(axis=1), 1.0):
            raise ValueError(f"{name} rows must be one-hot (or probabilities summing to 1)")
        return y.astype(dtype, copy=False)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"{name} must be integer labels of shape (m,) or one-hot of shape (m, {n_classes}), "
            f"got shape {y.shape}"
        )
    if not np.all(y == np.round(y)):
        raise ValueError(f"{name} class labels must be integers 0..{n_classes - 1}")
    if y.min() < 0 or y.max() > n_classes - 1:
        raise ValueError(
            f"{name} class labels must lie in 0..{n_classes - 1}, "
            f"found {int(y.min())}..{int(y.max())}"
        )
    out = np.zeros((y.shape[0], n_classes), dtype=dtype)
    out[np.arange(y.shape[0]), y.astype(int)] = 1.0
    return out


mse = MSE()
bce = BCE()
cross_entropy = CrossEntropy()

LOSSES: dict[str, Loss] = {
    "mse": mse,
    "quadratic": mse,
    "bce": bce,
    "cross_entropy": cross_entropy,
    "categorical_cross_entropy": cross_entropy,
}


def get(name: str | Loss) -> Loss:
    """Return the loss called ``name`` ("mse", "bce" or "cross_entropy"), or ``name`` itself.

    Examples
    --------
    >>> from nnlib import losses
    >>> losses.get("mse")([[1.0]], [[0.0]])
    0.5
    """
    if isinstance(name, Loss):
        return name
    return choice(name, "loss", LOSSES)
