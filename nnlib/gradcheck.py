"""Gradient checking: compare backpropagation with centred finite differences.

The numerical derivative of C with respect to one parameter θ is

    (C(θ + ε) − C(θ − ε)) / (2ε),

which is accurate to O(ε²). Comparing it with backpropagation's value through
the relative error ‖a − b‖ / (‖a‖ + ‖b‖) catches almost every backprop bug.
It costs 2P forward passes for P parameters, so it is a test, not a training method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnlib._validation import as_float_array, positive_float
from nnlib.network import Network

__all__ = [
    "numerical_gradient",
    "relative_error",
    "check_network",
    "GradCheckReport",
    "THRESHOLDS",
    "DEFAULT_EPS",
]

# Relative errors below the threshold pass. Centred differences in float64 with
# eps ≈ 1e-6 give 1e-10 to 1e-7 on a correct gradient (chapter 6 checks 20 networks); a bug
# gives 1e-2 or more.
THRESHOLDS = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-2}
# The best eps balances truncation O(ε²) against rounding O(u/ε): about u^(1/3).
DEFAULT_EPS = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-2}


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """Centred-difference gradient of the scalar function ``f`` at the array ``x``.

    Each element of ``x`` is nudged in place by ±eps and restored afterwards, so
    ``x`` may be a live parameter array that ``f`` reads indirectly.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : numpy.ndarray
        A floating-point array, modified temporarily.
    eps : float, default 1e-6
        The step ε > 0.

    Returns
    -------
    numpy.ndarray
        The gradient, with the shape of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> g = numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0]))
    >>> np.round(g, 6)
    array([ 2., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a floating-point numpy array (it is perturbed in place)")
    if x.size == 0:
        raise ValueError(f"x is empty (shape {x.shape}); it needs at least one element")
    eps = positive_float(eps, "eps")
    grad = np.zeros(x.shape, dtype=np.float64)
    flat = x.reshape(-1)  # a view: writing to it writes to x
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so that it can be perturbed in place")
    for i in range(flat.size):
        f_plus, f_minus = _nudged(lambda: _scalar(f(x)), flat, i, eps)
        grad.reshape(-1)[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _nudged(f: Callable[[], Any], x: np.ndarray, index: Any, eps: float) -> tuple[Any, Any]:
    """``f()`` with ``x[index]`` raised by ε, then lowered by ε; ``x[index]`` is restored
    afterwards, even when ``f`` raises."""
    old = x[index]
    try:
        x[index] = old + eps
        plus = f()
        x[index] = old - eps
        minus = f()
    finally:
        x[index] = old
    return plus, minus


def _scalar(value: Any) -> float:
    """Return ``f``'s value as a float, or say clearly that it is not a scalar."""
    if np.ndim(value) != 0 and np.size(value) != 1:
        raise TypeError(
            f"f must return a scalar (the loss), got an array of shape {np.shape(value)}"
        )
    try:
        return float(np.asarray(value).reshape(()))
    except (TypeError, ValueError):
        raise TypeError(f"f must return a real scalar (the loss), got {value!r}") from None


def relative_error(a: Any, b: Any) -> float:
    """Relative error ‖a − b‖₂ / (‖a‖₂ + ‖b‖₂), and 0.0 when both are zero.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return _relative_error(a, b)


def _relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """:func:`relative_error` without the checks (NaN in, NaN out)."""
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denom)


@dataclass
class GradCheckReport:
    """The result of :func:`check_network`.

    Attributes
    ----------
    errors : dict[str, float]
        Relative error per parameter array ("W1", "b1", ...).
    max_error : float
        The largest of them.
    threshold : float
        The pass threshold for the network's dtype.
    passed : bool
        ``max_error < threshold``, and False when some array had no coordinate left
        to compare (see ``unchecked``).
    eps : float
        The step used.
    dtype : str
    kinks : int
        Number of coordinates whose ±ε nudge moved a ReLU input across 0; they are
        left out of the comparison because the finite difference is meaningless there.
    n_params : int
    unchecked : list[str]
        The arrays whose every coordinate straddled a kink, so that nothing of them
        was compared: their error is NaN and the check does not pass.
    """

    errors: dict[str, float]
    max_error: float
    threshold: float
    passed: bool
    eps: float
    dtype: str
    kinks: int = 0
    n_params: int = 0
    unchecked: list[str] = field(default_factory=list)
    analytic: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    numeric: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        lines = [f"gradient check ({self.dtype}, eps={self.eps:g}, threshold {self.threshold:g})"]
        for name, err in self.errors.items():
            if name in self.unchecked:
                lines.append(f"  {name:<4} NOT CHECKED: every coordinate straddled a kink (try a smaller eps)")
                continue
            flag = "ok" if err < self.threshold else "FAIL"
            lines.append(f"  {name:<4} relative error {err:.2e}  {flag}")
        verdict = "PASSED" if self.passed else "FAILED"
        lines.append(f"  max  relative error {self.max_error:.2e}  {verdict}")
        if self.kinks:
            lines.append(f"  ({self.kinks} coordinate(s) straddled a ReLU kink and were skipped)")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):  # IPython display
        p.text(str(self))


def check_network(
    net: Network, X: Any, Y: Any, eps: float | None = None, threshold: float | None = None
) -> GradCheckReport:
    """Check ``net``'s backpropagated gradients against centred differences.

    Parameters
    ----------
    net : Network
    X, Y : array-like
        A small batch (the check costs 2P loss evaluations).
    eps : float, optional
        The step; by default 1e-6 in float64 and 1e-2 in float32.
    threshold : float, optional
        Pass threshold on the relative error; by default 1e-6 in float64 and
        1e-2 in float32 (see ``THRESHOLDS``).

    Returns
    -------
    GradCheckReport
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib Network, got {type(net).__name__}")
    dtype = net.dtype
    eps = DEFAULT_EPS[dtype] if eps is None else positive_float(eps, "eps")
    threshold = THRESHOLDS[dtype] if threshold is None else positive_float(threshold, "threshold")
    grads = net.gradients(X, Y)  # checks X and Y (and refuses them before anything changes)
    _check_gradient_shapes(net, grads)
    base_loss = net.loss(X, Y)
    # A coordinate straddles a kink when its nudge flips the sign of some ReLU input Z^l.
    kinked = [l for l in range(1, net.n_layers + 1)
              if (net.output if l == net.n_layers else net.hidden).has_kinks]
    base_signs = [net.zs[l] > 0 for l in kinked]

    def loss_and_kink() -> tuple[float, bool]:
        """The public loss at the current parameters, and whether a ReLU input changed sign."""
        value = float(net.loss(X, Y))
        return value, any(np.any((net.zs[l] > 0) != s) for l, s in zip(kinked, base_signs, strict=True))

    # A gradient counts as exactly zero when backprop's value is at rounding level and the
    # centred difference is within its own rounding noise (rounding of C divided by 2ε).
    tiny = 100 * np.finfo(dtype).eps * max(1.0, abs(base_loss))
    noise = 10 * np.finfo(dtype).eps * max(1.0, abs(base_loss)) / eps
    errors: dict[str, float] = {}
    analytic: dict[str, np.ndarray] = {}
    numeric: dict[str, np.ndarray] = {}
    kinks = 0
    unchecked: list[str] = []
    for name, param, grad in zip(_names(net.n_layers), net.parameters(), grads.flat(), strict=True):
        num = np.zeros(param.shape, dtype=np.float64)
        crossed = np.zeros(param.shape, dtype=bool)
        for index in np.ndindex(param.shape):  # one coordinate at a time, in place
            (c_plus, kink_plus), (c_minus, kink_minus) = _nudged(loss_and_kink, param, index, eps)
            num[index] = (c_plus - c_minus) / (2 * eps)
            crossed[index] = kink_plus or kink_minus
        keep = ~crossed
        kinks += int(crossed.sum())
        root = np.sqrt(param.size)
        if not keep.any():
            unchecked.append(name)  # nothing left to compare: say so, never pass
            errors[name] = float("nan")
        elif (np.linalg.norm(grad[keep]) <= tiny * root
                and np.linalg.norm(num[keep]) <= noise * root):
            errors[name] = 0.0  # both are zero up to rounding: a dead unit, not a bug
        else:
            errors[name] = _relative_error(grad[keep], num[keep])
        analytic[name], numeric[name] = grad, num
    max_error = float(np.max(list(errors.values())))  # NaN propagates (max() would drop it)
    net.forward(X)  # leave the cache describing the unperturbed parameters
    return GradCheckReport(
        errors=errors,
        max_error=max_error,
        threshold=threshold,
        passed=bool(max_error < threshold) and not unchecked,
        eps=eps,
        dtype=str(dtype),
        kinks=kinks,
        n_params=net.n_params,
        unchecked=unchecked,
        analytic=analytic,
        numeric=numeric,
    )


def _check_gradient_shapes(net: Network, grads: Any) -> None:
    """Refuse gradients that do not match the parameters one to one (a backprop that drops a
    layer or transposes a matrix), before any parameter is nudged."""
    names, flat = _names(net.n_layers), grads.flat()
    if len(flat) != len(names):
        raise ValueError(f"net.gradients returned {len(flat)} arrays for the {len(names)} "
                         f"parameter arrays {', '.join(names)}; it needs one per array")
    for name, param, grad in zip(names, net.parameters(), flat, strict=True):
        if np.shape(grad) != param.shape:
            raise ValueError(f"net.gradients returned d{name} of shape {np.shape(grad)} "
                             f"but {name} has shape {param.shape}; they must match")


def _names(n_layers: int) -> list[str]:
    """"W1", "b1", "W2", "b2", ...: the parameter arrays in the order of ``parameters()``."""
    return [f"{p}{l}" for l in range(1, n_layers + 1) for p in ("W", "b")]
