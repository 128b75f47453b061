"""Shared test helpers.

``load_solutions(NN)`` executes the code cells tagged ``solution`` of
``chapters/solutions/NN_solutions.ipynb`` and returns their namespace, so that
the exercise-check tests run the very solutions the book shows. In
``tests/test_checks_chNN.py`` the fixture ``sol`` is ``load_solutions(NN)``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "chapters" / "solutions"


@cache
def _solution_namespace(chapter: int) -> dict:
    matches = sorted(SOLUTIONS.glob(f"{chapter:02d}_*.ipynb"))
    if not matches:
        raise FileNotFoundError(f"no solutions notebook for chapter {chapter} in {SOLUTIONS}")
    cells = json.loads(matches[0].read_text())["cells"]
    namespace: dict = {"__name__": f"solutions_{chapter:02d}"}
    found = False
    for cell in cells:
        if cell["cell_type"] == "code" and "solution" in cell.get("metadata", {}).get("tags", []):
            exec(compile("".join(cell["source"]), f"{matches[0].name}", "exec"), namespace)
            found = True
    if not found:
        raise LookupError(f"{matches[0].name} has no code cell tagged 'solution'")
    return namespace


def load_solutions(chapter: int) -> SimpleNamespace:
    """Return the names defined by chapter ``chapter``'s solution cells."""
    return SimpleNamespace(**{k: v for k, v in _solution_namespace(chapter).items()
                              if not k.startswith("__")})


def stub(*args, **kwargs):
    """What a student's function does before it is written."""
    raise NotImplementedError


def backward_variant(weights, biases, X, Y, *, hidden="sigmoid", derivative=None,
                     output_prime=True, average=True):
    """A student's backward pass, ``(dW, db)``, written independently of nnlib and its checks.

    The hidden layers use ``hidden`` ("sigmoid" or "tanh"), the output layer a
    sigmoid. The keywords plant the usual mistakes: ``derivative`` is the σ′
    used in BP2 ("sigmoid" a(1 − a), "tanh" 1 − a², "none"; by default that of
    ``hidden``), ``output_prime`` multiplies the output error by σ′(z^L) (right
    for the quadratic cost, wrong for cross-entropy), and ``average=False``
    leaves out the 1/m.
    """
    act = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}
    prime = {"sigmoid": lambda a: a * (1 - a), "tanh": lambda a: 1 - a**2, "none": lambda a: 1.0}
    L = len(weights)
    acts = [X]
    for l, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        acts.append(act["sigmoid" if l == L else hidden](acts[-1] @ W.T + b))
    delta = (acts[L] - Y) / (X.shape[0] if average else 1)
    if output_prime:
        delta = delta * acts[L] * (1 - acts[L])
    dW, db = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dW[l - 1] = delta.T @ acts[l - 1]
        db[l - 1] = delta.sum(axis=0)
        if l > 1:
            delta = (delta @ weights[l - 1]) * prime[derivative or hidden](acts[l - 1])
    return dW, db


@pytest.fixture(scope="module")
def sol(request: pytest.FixtureRequest) -> SimpleNamespace:
    """The solutions of the chapter named by the test module, test_checks_chNN."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    if not name.startswith("test_checks_ch"):
        raise LookupError(f"the fixture `sol` is for tests/test_checks_chNN.py, not {name}")
    return load_solutions(int(name.removeprefix("test_checks_ch")))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
