"""Shared test helpers.

``load_solutions(NN)`` executes the code cells tagged ``solution`` of
``chapters/solutions/NN_solutions.ipynb`` and returns their namespace, so that
the exercise-check tests run the very solutions the book shows.
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


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
