"""Weight initialisation schemes.

A scheme is a callable ``scheme(n_out, n_in, rng) -> W`` that returns a weight
matrix of shape ``(n_out, n_in)``. Biases always start at zero.

==========  ==============================================================
name        weights
==========  ==============================================================
"xavier"    normal, Var = 2 / (n_in + n_out) (Glorot & Bengio, 2010)
"he"        normal, Var = 2 / n_in (He et al., 2015), suited to ReLU
"normal"    normal with standard deviation ``scale`` (default 0.01)
"uniform"   uniform on [low, high) (default [0, 1))
"zeros"     all 0: every unit gets the same gradient
"ones"      all 1: the symmetry trap, hidden units stay identical forever
==========  ==============================================================
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

from nnlib._validation import RngLike, as_rng, choice, positive_float, positive_int

__all__ = ["xavier", "he", "normal", "uniform", "zeros", "ones", "get", "Scheme"]

Scheme = Callable[[int, int, np.random.Generator], np.ndarray]


def _layer(n_out: int, n_in: int, rng: RngLike = None) -> tuple[int, int, np.random.Generator]:
    """Validate a scheme's arguments: positive layer sizes and an rng."""
    return positive_int(n_out, "n_out"), positive_int(n_in, "n_in"), as_rng(rng)


def xavier(n_out: int, n_in: int, rng: RngLike = None) -> np.ndarray:
    """Glorot normal: N(0, 2 / (n_in + n_out)).

    Examples
    --------
    >>> W = xavier(300, 500, np.random.default_rng(0))
    >>> W.shape, round(float(W.var()) * (300 + 500) / 2, 1)
    ((300, 500), 1.0)
    """
    n_out, n_in, rng = _layer(n_out, n_in, rng)
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_out, n_in))


def he(n_out: int, n_in: int, rng: RngLike = None) -> np.ndarray:
    """He normal: N(0, 2 / n_in)."""
    n_out, n_in, rng = _layer(n_out, n_in, rng)
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))


def normal(scale: float = 0.01) -> Scheme:
    """Return a scheme drawing N(0, scale²), e.g. ``normal(0.01)`` for "small random weights"."""
    scale = positive_float(scale, "scale")

    def scheme(n_out: int, n_in: int, rng: RngLike = None) -> np.ndarray:
        n_out, n_in, rng = _layer(n_out, n_in, rng)
        return rng.normal(0.0, scale, size=(n_out, n_in))

    scheme.__name__ = f"normal(scale={scale:g})"
    return scheme


def uniform(low: float = 0.0, high: float = 1.0) -> Scheme:
    """Return a scheme drawing U[low, high)."""
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"uniform needs finite low < high, got low={low}, high={high}")

    def scheme(n_out: int, n_in: int, rng: RngLike = None) -> np.ndarray:
        n_out, n_in, rng = _layer(n_out, n_in, rng)
        return rng.uniform(low, high, size=(n_out, n_in))

    scheme.__name__ = f"uniform({low:g}, {high:g})"
    return scheme


def zeros(n_out: int, n_in: int, rng: RngLike = None) -> np.ndarray:
    """All weights 0."""
    n_out, n_in, _ = _layer(n_out, n_in, rng)
    return np.zeros((n_out, n_in))


def ones(n_out: int, n_in: int, rng: RngLike = None) -> np.ndarray:
    """All weights 1 (the symmetry trap)."""
    n_out, n_in, _ = _layer(n_out, n_in, rng)
    return np.ones((n_out, n_in))


SCHEMES: dict[str, Scheme] = {
    "xavier": xavier, "glorot": xavier, "he": he, "normal": normal(0.01),
    "uniform": uniform(0.0, 1.0), "zeros": zeros, "ones": ones,
}


def get(scheme: str | Scheme) -> Scheme:
    """Return the scheme called ``scheme``, or ``scheme`` itself if it is callable."""
    if callable(scheme):
        return scheme
    return choice(scheme, "init", SCHEMES)
