"""The machinery shared by every exercise check, and the one message each kind of mistake gets across the book.

A check calls the student's function on fixed inputs and either prints a one-line pass (:func:`passed`) or
raises :class:`ExerciseFailure`: which element is wrong, expected against got, a hint, and a known mistake
named with the hint that explains it (:func:`see`). :func:`check` declares a check and its solution.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

_RETURNS_RAISES = """

    Returns
    -------
    bool
        True, after printing "✔ Correct! ..." and what the answer shows, when it is right.

    Raises
    ------
    ExerciseFailure
        Otherwise: what is wrong, a hint, and the mistake when it is a known one.
"""


class ExerciseFailure(AssertionError):
    """An exercise check failed; the message says why and how to fix it."""


def check(*solution: Any) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """Declare a check with its arguments in the solutions notebook (a string names a variable; others pass as is).

    It records them in ``check_x.solution`` and adds the Returns and Raises sections to the docstring.

    Examples
    --------
    >>> @check("train_spirals", [2, 8, 1])
    ... def check_spirals(train_spirals, layer_sizes):
    ...     '''Check a network trained on the spirals.'''
    ...     return passed("it separates them.")
    >>> check_spirals.solution
    ('train_spirals', [2, 8, 1])
    """
    if not any(isinstance(a, str) for a in solution):
        raise TypeError("a check's solution names at least one variable of the solutions notebook")

    def declare(fn: Callable[..., bool]) -> Callable[..., bool]:
        fn.solution = solution  # type: ignore[attr-defined]
        fn.__doc__ = (fn.__doc__ or "").rstrip() + _RETURNS_RAISES
        return fn

    return declare


def solutions(module: Any) -> dict[str, tuple]:
    """``{check name: what the solutions notebook passes it}`` for a chapter module."""
    return {name: fn.solution for name, fn in vars(module).items()
            if callable(fn) and hasattr(fn, "solution") and getattr(fn, "__module__", "") == module.__name__}


def passed(message: str) -> bool:
    """Print the pass verdict and return True."""
    print(f"\u2714 Correct! {message}")
    return True


def see(hint: int | Sequence[int], exercise: str, section: str | None = None) -> str:
    """A sentence pointing to hint(s) ``hint`` under the exercise titled ``exercise``, and to a ``section``.

    ``tests/conftest.py`` parses it to prove that the hint and the section exist.

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


# ----------------------------------------------------------- the student's answer


def call_student(fn: Any, *args: Any, name: str | None = None, hints: Mapping[type, str] | None = None) -> Any:
    """Call the student's ``fn`` on copies of the array arguments; a stub or a crash becomes a failure.

    ``hints`` maps a kind of exception to the hint that a crash of that kind gets.
    """
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
        text = f"{name} raised {type(exc).__name__}: {exc}"
        hint = next((hint for kind, hint in (hints or {}).items() if isinstance(exc, kind)), "")
        if hint:
            text += f"{'' if text.endswith('.') else '.'} Hint: {hint}"
        raise ExerciseFailure(text) from exc


def written_answer(value: Any, name: str, replacement: str) -> Any:
    """A pen-and-paper answer (or what ``value()`` returns); the stub ``...`` or None fails, naming ``replacement``."""
    if callable(value):
        value = call_student(value, name=name)
    if value is None or value is Ellipsis:
        raise ExerciseFailure(f"{name} is still the stub: replace `...` with {replacement}, "
                              "run that cell, then run this check again.")
    return value


def _returned_none(what: str) -> ExerciseFailure:
    return ExerciseFailure(f"{what} is None: did you forget to `return` it?")


def _kind(value: Any) -> str:
    length = f" of length {len(value)}" if isinstance(value, tuple | list) else ""
    return f"{type(value).__name__}{length}"


def expect_items(answer: Any, names: Sequence[str], who: str, *, hint: str = "") -> list[Any]:
    """Unpack the tuple or list of ``len(names)`` values that the student's function ``who`` returned."""
    if answer is None:
        raise _returned_none(f"what {who} returned")
    n = len(names)
    if not isinstance(answer, tuple | list) or len(answer) != n:
        count = "the pair" if n == 2 else f"{n} values"
        raise ExerciseFailure(f"{who} should return {count} ({', '.join(names)}), got {_kind(answer)}."
                              + (f" {hint}" if hint else ""))
    return list(answer)


def expect_layers(answer: Any, n_layers: int, who: str, names: Sequence[str] = ("dW", "db")) -> list[Any]:
    """Unpack lists of one array per layer: ``answer`` holds one per name (is the list, for one name)."""
    lists = expect_items(answer, names, who) if len(names) > 1 else [answer]
    for name, got in zip(names, lists, strict=True):
        if not isinstance(got, tuple | list) or len(got) != n_layers:
            raise ExerciseFailure(f"{name} should hold one array per layer ({n_layers}), got {_kind(got)}")
    return lists if len(names) > 1 else lists[0]


def expect_network(net: Any, sizes: Sequence[int], call: str, pointer: str) -> None:
    """Fail unless ``call`` (e.g. ``"train_spirals([2, 8, 1], 0)"``) returned a Network of these ``sizes``."""
    if net is None:
        raise _returned_none(f"the network {call} returned")
    if not all(hasattr(net, a) for a in ("forward", "accuracy", "sizes")):
        raise ExerciseFailure(f"{call} should return an nnlib Network, got {type(net).__name__}")
    if list(net.sizes) != list(sizes):
        raise ExerciseFailure(f"{call} returned a network of sizes {list(net.sizes)}: you ignored "
                              f"layer_sizes; build Network(layer_sizes, ...).{pointer}")


# ---------------------------------------------------------------- the comparisons


def as_array(got: Any, what: str, shape: tuple[int, ...] | None = None, *, transposed: str = "",
             nonfinite: str = "") -> np.ndarray:
    """``what`` as a finite float array of ``shape``; ``transposed`` and ``nonfinite`` replace the general advice."""
    if got is None:
        raise _returned_none(what)
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseFailure(f"{what} should be a numeric array, got {type(got).__name__}") from None
    if shape is not None and arr.shape != tuple(shape):
        extra = ""
        if arr.ndim == 2 and arr.shape == tuple(shape)[::-1]:
            extra = " It is the transpose of the expected shape: " + (
                transposed or "check the order of a matrix product.")
        elif arr.size == np.prod(shape):
            extra = " It has the right number of elements: check a reshape or a missing keepdims."
        raise ExerciseFailure(f"{what} has shape {arr.shape} but should have shape {tuple(shape)}.{extra}")
    if not np.all(np.isfinite(arr)):
        raise ExerciseFailure(f"{what} contains NaN or infinity: "
                              + (nonfinite or "look for an overflow or a division by zero"))
    return arr


def expect_array(got: Any, expected: Any, what: str, *, rtol: float = 1e-6, atol: float = 1e-9,
                 hint: str = "", wrong: Mapping[str, Any] | None = None, transposed: str = "",
                 nonfinite: str = "") -> None:
    """Fail unless ``got`` is close to ``expected`` everywhere; ``wrong`` maps a mistake to the array it gives."""
    expected = np.asarray(expected, dtype=float)
    got = as_array(got, what, expected.shape, transposed=transposed, nonfinite=nonfinite)
    close = np.isclose(got, expected, rtol=rtol, atol=atol)
    if close.all():
        return
    mistake = next((text for text, value in (wrong or {}).items()
                    if np.shape(value) == got.shape and np.allclose(got, np.asarray(value, dtype=float),
                                                                     rtol=rtol, atol=atol)), None)
    err = np.abs(got - expected)
    idx = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    where = f" at index {tuple(int(i) for i in idx)}" if idx else ""
    msg = (f"{what} is wrong in {int((~close).sum())} of {close.size} element(s). Largest difference{where}: "
           f"expected {float(expected[idx]):.6g}, got {float(got[idx]):.6g}.")
    if mistake:
        # A mistake that points to a hint (see()) already ends in a full stop.
        msg += f" This is exactly what you get if {mistake}" + ("" if mistake.endswith(".") else ".")
    if hint:
        msg += f" Hint: {hint}"
    raise ExerciseFailure(msg)


def expect_scalar(got: Any, expected: float, what: str, *, rtol: float = 1e-6, atol: float = 1e-9,
                  hint: str = "", wrong: Mapping[str, float] | None = None) -> float:
    """Raise ExerciseFailure unless the number ``got`` is close to ``expected``; return it as a float."""
    if got is None:
        raise _returned_none(what)
    arr = np.asarray(got)
    if arr.size != 1 or not np.issubdtype(arr.dtype, np.number):
        raise ExerciseFailure(f"{what} should be a single number, got {type(got).__name__} of shape {arr.shape}")
    expect_array(arr.reshape(()), np.asarray(expected), what, rtol=rtol, atol=atol, hint=hint,
                 wrong={k: np.asarray(v) for k, v in (wrong or {}).items()})
    return float(arr.reshape(()))


def expect_layer_gradients(dW: Sequence[Any], db: Sequence[Any], expected: tuple[Sequence[Any], Sequence[Any]],
                           what: str, *, hint: str,
                           wrong: Mapping[str, tuple[Sequence[Any], Sequence[Any]]] | None = None,
                           rtol: float = 1e-6, atol: float = 1e-9) -> None:
    """Compare ``dW[l - 1]`` and ``db[l - 1]`` with ``expected`` from layer L down; ``what`` takes kind, p, l, i."""
    for l in range(len(expected[0]), 0, -1):
        for k, kind, got in ((0, "dW", dW), (1, "db", db)):
            expect_array(got[l - 1], expected[k][l - 1], what.format(kind=kind, p=kind[1], l=l, i=l - 1),
                         rtol=rtol, atol=atol, hint=hint,
                         wrong={text: v[k][l - 1] for text, v in (wrong or {}).items()})


def expect_backprop(fn: Any, who: str, net: Any, X: np.ndarray, Y: np.ndarray, *, hidden: str, hint: str,
                    mistakes: Mapping[str, Any], what: str = "{kind}[{i}] (∂C/∂{p}^{l})", name: str | None = None,
                    rtol: float = 1e-6, atol: float = 1e-9) -> tuple[list[Any], list[Any]]:
    """Compare the student's ``fn(weights, biases, X, Y) -> (dW, db)`` with ``net.gradients(X, Y)``; return it.

    ``mistakes`` maps a mistake to the :func:`backprop_variant` options that make it, or to its ``(dW, db)``.
    """
    got = call_student(fn, [W.copy() for W in net.weights], [b.copy() for b in net.biases], X, Y, name=name)
    dW, db = expect_layers(got, len(net.weights), who)
    grads = net.gradients(X, Y)
    expect_layer_gradients(dW, db, (grads.dW, grads.db), what, rtol=rtol, atol=atol, hint=hint,
                           wrong={text: kw if isinstance(kw, tuple) else
                                  backprop_variant(net.weights, net.biases, X, Y, hidden=hidden, **kw)
                                  for text, kw in mistakes.items()})
    return dW, db


# -------------------------------------------------------- references and variants


def network_problem(sizes: Sequence[int], m: int, seed: int | tuple[int, int], *, hidden: str, output: str,
                    loss: str = "mse", inputs: str = "normal", soft: bool = False
                    ) -> tuple[Any, np.ndarray, np.ndarray]:
    """``(net, X, Y)`` drawn from ``seed``: a Network with non-zero biases, m ``inputs`` ("normal" or "uniform")
    and 0/1 targets (one-hot for a softmax output; ``soft``: uniform in [0, 1)).

    A pair of seeds draws the weights from the first, and the biases and the data from the second.
    """
    from nnlib.network import Network

    rng = np.random.default_rng(seed if isinstance(seed, int) else seed[0])
    net = Network(list(sizes), hidden=hidden, output=output, loss=loss, rng=rng)
    rng = rng if isinstance(seed, int) else np.random.default_rng(seed[1])
    for b in net.biases:
        b[...] = rng.normal(0.0, 0.5, size=b.shape)
    X = getattr(rng, inputs)(size=(m, sizes[0]))
    if output == "softmax":
        return net, X, np.eye(sizes[-1])[rng.integers(0, sizes[-1], m)]
    Y = rng.uniform(size=(m, sizes[-1]))
    return net, X, Y if soft else (Y < 0.5).astype(float)


_PRIMES: dict[str, Callable[[np.ndarray], Any]] = {
    "sigmoid": lambda a: a * (1.0 - a), "tanh": lambda a: 1.0 - a**2, "none": lambda a: 1.0}


def forward_pass(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], X: np.ndarray, *,
                 hidden: str = "sigmoid") -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``([Z¹, ..., Zᴸ], [A⁰ = X, ..., Aᴸ])``, ``hidden`` layers ("sigmoid", "tanh", "identity"), a sigmoid output."""
    from nnlib.activations import sigmoid

    act = {"sigmoid": sigmoid, "tanh": np.tanh, "identity": lambda z: z}
    zs, acts = [], [np.asarray(X, dtype=float)]
    for l, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        zs.append(acts[-1] @ W.T + b)
        acts.append(sigmoid(zs[-1]) if l == len(weights) else act[hidden](zs[-1]))
    return zs, acts


def backprop_variant(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], X: np.ndarray,
                     Y: np.ndarray, *, hidden: str, prime: str | None = None, output_prime: bool = False,
                     average: bool = True, mean_db: bool = False, z_in_dW: bool = False
                     ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Backpropagation written plainly, ``(dW, db)``, right or with one known mistake to recognise.

    ``prime`` is BP2's σ′ (see _PRIMES; by default the hidden layers' own); ``output_prime`` multiplies
    (ŷ − y)/m by σ′(z^L) (right for the quadratic cost); ``average=False`` leaves out the 1/m;
    ``mean_db`` averages Δ^l over the samples in BP3; ``z_in_dW`` takes Z^(l−1) for A^(l−1) in BP4.
    """
    zs, acts = forward_pass(weights, biases, X, hidden=hidden)
    L, y_hat = len(weights), acts[-1]
    delta = (y_hat - Y) / (X.shape[0] if average else 1)               # BP1 ...
    if output_prime:
        delta = delta * y_hat * (1 - y_hat)                             # ... ⊙ σ′(z^L)
    dW: list[np.ndarray] = [np.empty(0)] * L
    db: list[np.ndarray] = [np.empty(0)] * L
    for l in range(L, 0, -1):
        dW[l - 1] = delta.T @ ([X, *zs][l - 1] if z_in_dW else acts[l - 1])  # BP4
        db[l - 1] = delta.mean(axis=0) if mean_db else delta.sum(axis=0)      # BP3
        if l > 1:
            delta = (delta @ weights[l - 1]) * _PRIMES[prime or hidden](acts[l - 1])  # BP2
    return dW, db

