"""The machinery shared by every exercise check.

A check calls the student's function on fixed inputs, compares the answer with
the reference and either prints a one-line pass or raises ``AssertionError``
with a message that says which element is wrong, what was expected against what
was got, and a hint. Known wrong answers (a forgotten σ′, a transposed matrix)
are recognised and named.

Every chapter module ``chNN`` also declares ``SOLUTIONS``, a dict from the name
of each of its public ``check_*`` functions to what the solutions notebook
passes that check: the name of a variable the solution cells define (a string),
or a tuple of arguments, in which a string names such a variable and any other
value (a list of layer sizes, say) is passed as it is. For example
``SOLUTIONS = {"check_bp2": "bp2", "check_spirals": ("train_spirals", [2, 8, 1])}``.
``tests/test_checks_contract.py`` reads it to prove that every check passes
the book's solution and fails the stub.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["ExerciseFailure", "backprop_variant", "call_student", "expect_array", "expect_gradient_lists",
           "expect_layer_gradients", "expect_scalar", "finite_differences", "network_problem",
           "passed", "see", "written_answer"]


class ExerciseFailure(AssertionError):
    """An exercise check failed; the message says why and how to fix it."""


def passed(message: str) -> bool:
    """Print the pass verdict and return True."""
    print(f"\u2714 Correct! {message}")
    return True


def see(hint: int | Sequence[int], exercise: str, section: str | None = None) -> str:
    """Point to where the book explains a mistake: a hint under an exercise, and a section.

    The pointer is a sentence of its own, to append to a message that ends in a
    full stop; it ends in a full stop too. Every check uses this one form, and
    ``tests/conftest.py`` parses it to prove that the hint and the section exist.

    Parameters
    ----------
    hint : int or sequence of int
        The number of the hint (1, 2 or 3), or several numbers ("hints 1 and 2").
    exercise : str
        The exercise's title, as the book prints it (the book numbers exercises
        across all chapters, so the title is what a reader finds).
    section : str, optional
        The section that explains the idea, e.g. ``"4.3"``.

    Returns
    -------
    str
        E.g. `` See hint 2 under the exercise "The quadratic cost", or section 1.8.``

    Examples
    --------
    >>> "you forgot the ½." + see(1, "The quadratic cost", "1.8")
    'you forgot the ½. See hint 1 under the exercise "The quadratic cost", or section 1.8.'
    >>> "you forgot both." + see((1, 2), "The quadratic cost")
    'you forgot both. See hints 1 and 2 under the exercise "The quadratic cost".'
    """
    numbers = [hint] if isinstance(hint, int) else list(hint)
    which = (f"hint {numbers[0]}" if len(numbers) == 1 else
             "hints " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}")
    also = f", or section {section}" if section else ""
    return f' See {which} under the exercise "{exercise}"{also}.'


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


def written_answer(value: Any, name: str, replacement: str) -> Any:
    """Return a pen-and-paper answer: a value, or what a function of no argument returns.

    Parameters
    ----------
    value : object
        The student's answer, or a function of no argument returning it.
    name : str
        What the answer is called in the message ("best_constant_cost").
    replacement : str
        What the student should write in place of the stub's ``...``.

    Returns
    -------
    object
        The answer, not yet checked.

    Raises
    ------
    ExerciseFailure
        When the answer is still the stub's ``...`` (or None).
    """
    if callable(value):
        value = call_student(value, name=name)
    if value is None or value is Ellipsis:
        raise ExerciseFailure(f"{name} is still the stub: replace `...` with {replacement}, "
                              "run that cell, then run this check again.")
    return value


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
        # A mistake that points to a hint (see()) already ends in a full stop.
        msg += f" This is exactly what you get if {mistake}" + ("" if mistake.endswith(".") else ".")
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



def expect_gradient_lists(answer: Any, n_layers: int, name: str) -> tuple[Any, Any]:
    """Unpack a student's ``(dW, db)``: two lists of one array per layer.

    Parameters
    ----------
    answer : object
        What the student's backward pass returned.
    n_layers : int
        The number L of layers, hence of arrays in each list.
    name : str
        The student's function, for the message ("backprop").

    Returns
    -------
    tuple
        ``(dW, db)``.

    Raises
    ------
    ExerciseFailure
        When ``answer`` is not a pair, or a list does not hold ``n_layers`` items.
    """
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise ExerciseFailure(f"{name} should return two lists, (dW, db); "
                              f"got {type(answer).__name__}")
    dW, db = answer
    if len(dW) != n_layers or len(db) != n_layers:
        raise ExerciseFailure(f"dW and db should hold one array per layer ({n_layers} each), "
                              f"got {len(dW)} and {len(db)}")
    return dW, db


def expect_layer_gradients(
    dW: Sequence[Any],
    db: Sequence[Any],
    expected: tuple[Sequence[Any], Sequence[Any]],
    what: str,
    *,
    hint: str,
    wrong: Mapping[str, tuple[Sequence[Any], Sequence[Any]]] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> None:
    """Compare every layer's gradients, from layer L down to 1, as backprop computes them.

    Parameters
    ----------
    dW, db : sequence of array-like
        The student's ``dW[l - 1]`` and ``db[l - 1]``, for l = 1, ..., L.
    expected : tuple
        The reference lists ``(dW, db)``.
    what : str
        A template for the name of each array, filled with ``kind`` ("dW" or
        "db"), ``p`` ("W" or "b"), ``l`` (the layer) and ``i`` (= l − 1), e.g.
        ``"{kind}[{i}] (∂C/∂{p}^{l})"``.
    hint : str
        Advice added to a value mismatch.
    wrong : mapping, optional
        ``{description of a mistake: the lists (dW, db) that mistake produces}``.
    rtol, atol : float
        The tolerances of :func:`expect_array`.
    """
    for l in range(len(expected[0]), 0, -1):
        for k, kind, got in ((0, "dW", dW), (1, "db", db)):
            expect_array(got[l - 1], expected[k][l - 1],
                         what.format(kind=kind, p=kind[1], l=l, i=l - 1),
                         rtol=rtol, atol=atol, hint=hint,
                         wrong={text: v[k][l - 1] for text, v in (wrong or {}).items()})



def network_problem(sizes: Sequence[int], m: int, seed: int, *, hidden: str, output: str,
                    loss: str) -> tuple[Any, np.ndarray, np.ndarray]:
    """A network with non-zero biases and a batch (X, Y) of m samples with 0/1 targets.

    Parameters
    ----------
    sizes : sequence of int
        The layer sizes n_0, ..., n_L.
    m : int
        The number of samples.
    seed : int
        Seeds the one generator that draws the weights, the biases, X and Y.
    hidden, output, loss : str
        Passed to :class:`~nnlib.network.Network`.

    Returns
    -------
    tuple
        ``(net, X, Y)`` with X of shape (m, n_0) and Y of shape (m, n_L).
    """
    from nnlib.network import Network

    rng = np.random.default_rng(seed)
    net = Network(list(sizes), hidden=hidden, output=output, loss=loss, rng=rng)
    for b in net.biases:
        b[...] = rng.normal(0.0, 0.5, size=b.shape)
    X = rng.normal(size=(m, sizes[0]))
    Y = (rng.uniform(size=(m, sizes[-1])) < 0.5).astype(float)
    return net, X, Y


def finite_differences(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float,
                       kind: str = "centred") -> np.ndarray:
    """Finite-difference gradient of ``f`` at ``x``, computed right or in a known wrong way.

    The checks use the wrong ways to recognise and name a student's mistake.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : numpy.ndarray
        The point; it is copied, never modified.
    eps : float
        The step ε.
    kind : {"centred", "forward", "no-two", "not-restored"}
        (f(x + ε) − f(x − ε)) / 2ε; the forward difference (f(x + ε) − f(x)) / ε; the
        centred difference divided by ε instead of 2ε; or the centred difference that
        leaves each x_i at x_i − ε before moving on to the next element.

    Returns
    -------
    numpy.ndarray
        The gradient, with the shape of ``x``.
    """
    if kind not in ("centred", "forward", "no-two", "not-restored"):
        raise ValueError(f"unknown kind {kind!r}")
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    base = f(x)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f(x)
        if kind == "forward":
            gflat[i] = (up - base) / eps
            flat[i] = old
            continue
        flat[i] = old - eps
        down = f(x)
        gflat[i] = (up - down) / (eps if kind == "no-two" else 2 * eps)
        if kind != "not-restored":
            flat[i] = old
    return grad


Check = Callable[..., bool]


_BP2_FACTORS: dict[str, Callable[[np.ndarray], Any]] = {
    "sigmoid": lambda a: a * (1.0 - a),
    "tanh": lambda a: 1.0 - a**2,
    "none": lambda a: 1.0,
}


def backprop_variant(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], X: np.ndarray,
                     Y: np.ndarray, *, hidden: str, prime: str | None = None,
                     output_prime: bool = False, average: bool = True
                     ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Backpropagation written plainly, right or with one known mistake.

    The network has ``hidden`` hidden layers ("sigmoid" or "tanh") and a sigmoid
    output. The checks compare a student's gradients with these variants to name the
    mistake they match.

    Parameters
    ----------
    weights, biases : sequence of numpy.ndarray
        W^l of shape (n_l, n_(l−1)) and b^l of shape (n_l,), for l = 1, ..., L.
    X, Y : numpy.ndarray
        The batch, shapes (m, n_0) and (m, n_L).
    hidden : {"sigmoid", "tanh"}
        The hidden layers' activation.
    prime : {"sigmoid", "tanh", "none"}, optional
        The σ′ that BP2 multiplies by, computed from the activation a: a(1 − a),
        1 − a² or 1. By default the hidden layers' own.
    output_prime : bool, default False
        Multiply the output error (ŷ − y)/m by σ′(z^L) = ŷ(1 − ŷ), as BP1 requires for
        the quadratic cost; with cross-entropy that factor is the mistake.
    average : bool, default True
        False leaves out the 1/m of the average.

    Returns
    -------
    dW, db : list of numpy.ndarray
        One array per layer, ``dW[l - 1]`` for W^l and ``db[l - 1]`` for b^l.
    """
    from nnlib.activations import sigmoid

    L = len(weights)
    acts = [X]
    for l, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        z = acts[-1] @ W.T + b
        acts.append(sigmoid(z) if l == L or hidden == "sigmoid" else np.tanh(z))
    y_hat = acts[-1]
    delta = (y_hat - Y) / (X.shape[0] if average else 1)               # BP1 ...
    if output_prime:
        delta = delta * y_hat * (1 - y_hat)                             # ... ⊙ σ′(z^L)
    factor = _BP2_FACTORS[prime or hidden]
    dW: list[np.ndarray] = [np.empty(0)] * L
    db: list[np.ndarray] = [np.empty(0)] * L
    for l in range(L, 0, -1):
        dW[l - 1] = delta.T @ acts[l - 1]                               # BP4
        db[l - 1] = delta.sum(axis=0)                                   # BP3
        if l > 1:
            delta = (delta @ weights[l - 1]) * factor(acts[l - 1])      # BP2
    return dW, db
