"""Argument checks shared by nnlib's public entry points.

Every check raises ``TypeError`` or ``ValueError`` with a message that names the
argument and says what was expected, before anything is modified.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

# What every ``rng`` argument of nnlib accepts: None (fresh entropy), an int seed or a Generator.
RngLike = None | int | np.random.Generator


def as_rng(rng: RngLike, name: str = "rng") -> np.random.Generator:
    """Return a ``np.random.Generator`` from ``None``, an int seed or a Generator."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)  # default_rng(Generator) returns it unchanged
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if int(rng) < 0:
            raise ValueError(f"{name} must be a non-negative integer seed, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} must be None, an int seed or a numpy.random.Generator "
        f"(np.random.default_rng), got {type(rng).__name__}"
    )


def positive_int(value: Any, name: str, *, allow_none: bool = False) -> int | None:
    """Check that ``value`` is a positive integer (not a bool, not a float)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a positive integer, got {value!r} ({type(value).__name__})"
        )
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def _finite_real(value: Any, name: str) -> float:
    """``value`` as a float, if it is a finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def positive_float(value: Any, name: str) -> float:
    """Check that ``value`` is a finite real number > 0 (a learning rate, a step ε)."""
    value = _finite_real(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def non_negative_float(value: Any, name: str) -> float:
    """Check that ``value`` is a finite real number >= 0 (a penalty λ, a noise level)."""
    value = _finite_real(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def as_float_array(x: Any, name: str, *, dtype: Any = np.float64) -> np.ndarray:
    """Convert ``x`` to a non-empty, finite floating-point array.

    Raises ``TypeError`` for non-numeric data and ``ValueError`` for empty arrays or
    arrays that contain NaN or infinity.
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be array-like of numbers: {exc}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must contain numbers, got an array of dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got complex values")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); it needs at least one sample")
    arr = arr.astype(dtype, copy=False)
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); clean the data first")
    return arr


def as_2d(
    x: Any, name: str, n_columns: int | None = None, *, dtype: Any = np.float64
) -> np.ndarray:
    """Return ``x`` as a 2-D float array of shape ``(n_samples, n_columns)``.

    A 1-D array is read as one column when ``n_columns`` is 1 (or unknown and the
    array is plainly a list of scalars); any other 1-D array is ambiguous and refused.
    """
    arr = as_float_array(x, name, dtype=dtype)
    if arr.ndim == 1:
        if n_columns in (None, 1):
            arr = arr.reshape(-1, 1)
        else:
            raise ValueError(
                f"{name} is 1-D with {arr.shape[0]} values but {n_columns} columns are expected; "
                f"pass a 2-D array of shape (n_samples, {n_columns}) "
                f"(for a single sample use {name}.reshape(1, -1))"
            )
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), got shape {arr.shape}")
    if n_columns is not None and arr.shape[1] != n_columns:
        raise ValueError(f"{name} has {arr.shape[1]} columns but {n_columns} are expected")
    return arr


def same_rows(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Check that two arrays describe the same number of samples."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{name_a} has {a.shape[0]} samples (rows) but {name_b} has {b.shape[0]}; "
            "they must match"
        )


def choice(value: Any, name: str, options: dict[str, Any]) -> Any:
    """Look ``value`` up by (case-insensitive) name in ``options``."""
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string, one of {sorted(options)}, got {type(value).__name__}"
        )
    key = value.lower()
    if key not in options:
        raise ValueError(f"unknown {name} {value!r}; expected one of {sorted(options)}")
    return options[key]
