"""The machinery shared by every exercise check.

A check calls the student's function on fixed inputs, compares the answer with
the reference and either prints a one-line pass or raises ``AssertionError``
with a message that says which element is wrong, what was expected against what
was got, and a hint. Known wrong answers (a forgotten σ′, a transposed matrix)
are recognised and named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

__all__ = ["ExerciseFailure", "call_student", "expect_array", "expect_scalar", "passed"]


class ExerciseFailure(AssertionError):
    """An exercise check failed; the message says why and how to fix it."""


def passed(message: str) -> bool:
    """Print the pass verdict and return True."""
    print(f"\u2714 Correct! {message}")
    return True


def call_student(fn: Any, *args: Any, name: str | None = None) -> Any:
    """Call the student's ``fn`` and turn a stub or a crash into a helpful failure."""
    name = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        raise ExerciseFailure(f"expected a function for {name}, got {type(fn).__name__}")
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    try:
        return fn(*args)
    except NotImplementedError:
        raise ExerciseFailure(
            f"{name} is still the stub: replace `raise NotImplementedError` with your code, "
            "run that cell, then run this check again."
        ) from None
    except Exception as exc:  # any crash in the student's code
        raise ExerciseFailure(f"{name} raised {type(exc).__name__}: {exc}") from exc


def _diagnose(
    got: np.ndarray, wrong: Mapping[str, Any] | None, rtol: float, atol: float
) -> str | None:
    for mistake, value in (wrong or {}).items():
        value = np.asarray(value, dtype=float)
        if value.shape == got.shape and np.allclose(got, value, rtol=rtol, atol=atol):
            return mistake
    return None


def expect_array(
    got: Any,
    expected: Any,
    what: str,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hint: str = "",
    wrong: Mapping[str, Any] | None = None,
) -> None:
    """Raise ExerciseFailure unless ``got`` matches ``expected`` element by element.

    Parameters
    ----------
    got, expected : array-like
    what : str
        What the array is, for the message ("the output of layer_forward").
    hint : str
        Advice added to a value mismatch.
    wrong : mapping, optional
        ``{description of a mistake: the array that mistake produces}``; when the
        answer matches one, the message names the mistake.
    """
    expected = np.asarray(expected, dtype=float)
    if got is None:
        raise ExerciseFailure(f"{what} is None: did you forget to `return` it?")
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseFailure(
            f"{what} should be a numeric array, got {type(got).__name__}"
        ) from None
    if got.shape != expected.shape:
        extra = ""
        if got.ndim == 2 and got.shape == expected.shape[::-1]:
            extra = (
                " It is the transpose of the expected shape: check the order of a matrix product."
            )
        elif got.size == expected.size:
            extra = " It has the right number of elements: check a reshape or a missing keepdims."
        raise ExerciseFailure(
            f"{what} has shape {got.shape} but should have shape {expected.shape}.{extra}"
        )
    if not np.all(np.isfinite(got)):
        raise ExerciseFailure(
            f"{what} contains NaN or infinity: look for an overflow or a division by zero"
        )
    close = np.isclose(got, expected, rtol=rtol, atol=atol)
    if close.all():
        return
    mistake = _diagnose(got, wrong, rtol, atol)
    err = np.abs(got - expected)
    idx = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    where = f" at index {tuple(int(i) for i in idx)}" if idx else ""
    n_bad = int((~close).sum())
    msg = (
        f"{what} is wrong in {n_bad} of {close.size} element(s). Largest difference{where}: "
        f"expected {float(expected[idx]):.6g}, got {float(got[idx]):.6g}."
    )
    if mistake:
        msg += f" This is exactly what you get if {mistake}."
    if hint:
        msg += f" Hint: {hint}"
    raise ExerciseFailure(msg)


def expect_scalar(
    got: Any,
    expected: float,
    what: str,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hint: str = "",
    wrong: Mapping[str, float] | None = None,
) -> None:
    """Raise ExerciseFailure unless the number ``got`` is close to ``expected``."""
    if got is None:
        raise ExerciseFailure(f"{what} is None: did you forget to `return` it?")
    arr = np.asarray(got)
    if arr.size != 1 or not np.issubdtype(arr.dtype, np.number):
        raise ExerciseFailure(
            f"{what} should be a single number, got {type(got).__name__} of shape {arr.shape}"
        )
    expect_array(
        arr.reshape(()),
        np.asarray(expected),
        what,
        rtol=rtol,
        atol=atol,
        hint=hint,
        wrong={k: np.asarray(v) for k, v in (wrong or {}).items()},
    )


Check = Callable[..., bool]
