"""Shared test helpers.

``load_solutions(NN)`` executes the code cells tagged ``solution`` of
``chapters/solutions/NN_solutions.ipynb`` and returns their namespace, so that
the exercise-check tests run the very solutions the book shows. In
``tests/test_checks_chNN.py`` the fixture ``sol`` is ``load_solutions(NN)``.

``hints_per_exercise(NN)`` and ``section_headings(NN)`` read chapter NN's
notebook, and ``assert_points_to_a_hint(message, NN)`` proves that a check's
message points to a hint and a section that exist (the pointer is the one that
``nnlib.checks._core.see`` writes).

Each ``tests/test_checks_chNN.py`` lists its wrong answers, built by the test itself
and never by the checker, as one table of :func:`wrong` rows, run by one test that
calls :func:`assert_fails`.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from workspace import section_numbers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "chapters" / "solutions"
CHAPTERS = ROOT / "chapters"


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


# ------------------------------------------------------- the book's hints and sections

EXERCISE = re.compile(r"^`{3,4}\{exercise\} (.+)$", re.M)
"""The directive that opens an exercise, with its title (three or four backticks)."""
HINT = re.compile(r"^```\{admonition\} Hint (\d+):[^\n]*\n([^\n]*)", re.M)
"""A hint admonition, with its number and the line after it (":class: dropdown" when collapsed)."""
POINTER = re.compile(r'See hints? (?P<hints>\d+(?:, \d+)*(?: and \d+)?) under the exercise "(?P<title>[^"]+)"'
                     r"(?:, or section (?P<section>(?P<chapter>\d+)\.\d+))?\.")
"""The pointer that ``nnlib.checks._core.see`` appends to a message."""


@cache
def chapter_markdown(chapter: int) -> str:
    """The markdown cells of chapter ``chapter``'s notebook, joined."""
    paths = sorted(CHAPTERS.glob(f"{chapter:02d}_*.ipynb"))
    if not paths:
        return ""           # no such chapter: it has no exercise and no section
    cells = json.loads(paths[0].read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _as_printed(title: str) -> str:
    """An exercise title as a check prints it: "$x^2$" becomes "x²"."""
    return re.sub(r"\$(\w)\^(\d)\$", lambda m: m.group(1) + "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(m.group(2))], title)


@cache
def hints_per_exercise(chapter: int) -> dict[str, list[tuple[int, bool]]]:
    """Each exercise title of the chapter, with the hints that follow it: (number, collapsed)."""
    parts = EXERCISE.split(chapter_markdown(chapter))
    return {_as_printed(title.strip()): [(int(k), line == ":class: dropdown") for k, line in HINT.findall(after)]
            for title, after in zip(parts[1::2], parts[2::2], strict=True)}


@cache
def section_headings(chapter: int) -> set[str]:
    """The numbers of the chapter's sections ("7.3"), as the numbered table of contents gives them."""
    paths = sorted(CHAPTERS.glob(f"{chapter:02d}_*.ipynb"))
    if not paths:
        return set()
    cells = json.loads(paths[0].read_text(encoding="utf-8"))["cells"]
    texts = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return {number for number in section_numbers(texts, chapter) if number.count(".") == 1}


def assert_points_to_a_hint(message: str, chapter: int, *, exercise: str | None = None,
                            with_section: bool = False) -> None:
    """``message`` points to a collapsed hint under an exercise of ``chapter``, and to a section.

    Every pointer in the message must name an exercise of the chapter (``exercise``
    when given), hints that exist under it, and a section that is a heading of its
    chapter (a section is required when ``with_section``); every other "section
    N.M" the message names must exist too.
    """
    pointers = list(POINTER.finditer(message))
    assert pointers, f"no pointer to a hint in: {message}"
    hints = hints_per_exercise(chapter)
    for found in pointers:
        title = found["title"]
        assert exercise is None or title == exercise, f"the pointer names {title!r}, not {exercise!r}"
        assert title in hints, f"no exercise titled {title!r} in chapter {chapter}"
        for k in map(int, re.findall(r"\d+", found["hints"])):
            assert (k, True) in hints[title], f"no collapsed hint {k} under {title!r}: {hints[title]}"
        assert found["section"] or not with_section, f"no section in the pointer: {found[0]}"
    for section, number in re.findall(r"section ((\d+)\.\d+)", message):
        assert section in section_headings(int(number)), f"no section {section} in the book"


def wrong(check, answer, message: str, *, named: bool = True, id: str | None = None, **pointer):
    """A row of a chapter's table of wrong answers: the check, the wrong answer, what its failure says.

    ``named`` rows are known mistakes, whose message must point to a hint (and to a
    section or exercise when ``pointer`` says ``with_section=True`` or
    ``exercise=...``); the others are malformed answers (a wrong count, a crash).
    """
    return pytest.param(check, answer, message, named, pointer, id=id or message)


WRONG = ("check", "answer", "message", "named", "pointer")
"""The parameter names of a table of :func:`wrong` rows."""


def assert_fails(check, answer, message: str, named: bool, pointer: dict, chapter: int) -> None:
    """``check(answer)`` fails with ``message`` and leaves NumPy's error state as it was.

    A named mistake must point to a hint that exists.
    """
    answers = answer if isinstance(answer, tuple) else (answer,)
    with np.errstate(invalid="ignore", divide="ignore"):
        state = np.geterr()
        with pytest.raises(AssertionError, match=message) as failure:
            check(*answers)
        assert np.geterr() == state, "the check left NumPy's floating-point error state changed"
    if named:
        assert_points_to_a_hint(str(failure.value), chapter, **pointer)


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
