"""Every exercise check passes the book's solution and fails the stub.

Each check of a chapter module ``nnlib.checks.chNN`` declares, with the decorator
``nnlib.checks._core.check``, what the solutions notebook passes it (read back by
``nnlib.checks._core.solutions``). This file proves, for every chapter module found:
every public ``check_*`` function is declared (so no check goes unproven), it
returns True and prints "✔ Correct!" on the solution loaded with
``load_solutions(NN)``, and it fails with "still the stub" when any one of its
answers is the stub: ``stub`` (a function that raises NotImplementedError) for
every answer, and also ``...`` for an answer that is a value (a number worked
out by hand), which is what the notebook's stub cell leaves. The wrong-answer
tests, specific to each check, are in tests/test_checks_chNN.py.

A named mistake's message points to a hint under its exercise and to a section
(``nnlib.checks._core.see``); every chapter's exercises have the collapsed hints
1, ..., n it can point to, and ``assert_points_to_a_hint``, which the chapter
tests use, fails a pointer to a hint, an exercise or a section that is not there.
"""

from __future__ import annotations

import importlib
import pkgutil
from inspect import getmembers, isfunction

import pytest

import nnlib.checks
from nnlib.checks._core import see, solutions
from tests.conftest import HINT, assert_points_to_a_hint, chapter_markdown, hints_per_exercise, load_solutions, stub

MODULES = [importlib.import_module(f"nnlib.checks.{info.name}")
           for info in pkgutil.iter_modules(nnlib.checks.__path__)
           if info.name.startswith("ch")]


def _short(module) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def _declared(module) -> dict:
    """``{check: its arguments}``, as the decorator ``@check(...)`` declared them."""
    return solutions(module)


def _arguments(module, check_name: str) -> tuple:
    """The check's arguments as declared: names of solution variables, or plain values."""
    return _declared(module)[check_name]


def _solution_arguments(module, check_name: str) -> list:
    sol = load_solutions(int(_short(module)[2:]))
    return [getattr(sol, a) if isinstance(a, str) else a for a in _arguments(module, check_name)]


CASES = [(module, name) for module in MODULES for name in _declared(module)]
CASE_IDS = [f"{_short(m)}.{n}" for m, n in CASES]


def _stub_cases():
    for module, name in CASES:
        for position, arg in enumerate(_arguments(module, name)):
            if not isinstance(arg, str):
                continue
            yield pytest.param(module, name, position, stub, id=f"{_short(module)}.{name}-{arg}")
            value = getattr(load_solutions(int(_short(module)[2:])), arg, None)  # missing: its tests fail, not all
            if not callable(value):
                yield pytest.param(module, name, position, ...,
                                   id=f"{_short(module)}.{name}-{arg}-ellipsis")


def test_the_chapter_modules_are_found():
    assert [_short(m) for m in MODULES] == [f"ch{n:02d}" for n in range(1, len(MODULES) + 1)]
    assert len(MODULES) >= 10


@pytest.mark.parametrize("module", MODULES, ids=_short)
def test_every_check_declares_its_solution(module):
    checks = {name for name, fn in getmembers(module, isfunction)
              if name.startswith("check_") and fn.__module__ == module.__name__}
    assert checks, f"{module.__name__} has no check_* function"
    declared = _declared(module)
    assert set(declared) == checks, (
        f"{module.__name__}: checks without a solution: {sorted(checks - set(declared))}; "
        f"solutions without a check: {sorted(set(declared) - checks)}")
    assert not hasattr(module, "SOLUTIONS") and not hasattr(module, "__all__"), "declarations are kept by hand"
    for name in declared:
        assert any(isinstance(a, str) for a in _arguments(module, name)), name


@pytest.mark.parametrize("module", MODULES, ids=_short)
def test_the_returns_and_raises_of_a_check_are_said_once(module):
    for name in _declared(module):
        doc = getattr(module, name).__doc__
        assert doc.count("Returns\n") == 1 and doc.count("Raises\n") == 1, name   # the decorator's, only
        assert doc.count("ExerciseFailure\n") == 1 and "✔ Correct!" in doc, name


def test_a_check_must_name_a_solution_variable():
    from nnlib.checks._core import check

    with pytest.raises(TypeError, match="names at least one variable"):
        check([2, 8, 1])


@pytest.mark.parametrize(("module", "name"), CASES, ids=CASE_IDS)
def test_check_passes_the_solution(module, name, capsys):
    assert getattr(module, name)(*_solution_arguments(module, name)) is True
    assert "\u2714 Correct!" in capsys.readouterr().out


@pytest.mark.parametrize(("module", "name", "position", "unanswered"), list(_stub_cases()))
def test_check_fails_the_stub(module, name, position, unanswered):
    args = _solution_arguments(module, name)
    args[position] = unanswered
    with pytest.raises(AssertionError, match="still the stub"):
        getattr(module, name)(*args)


@pytest.mark.parametrize("hidden, loss, output_prime", [("sigmoid", "mse", True),
                                                        ("tanh", "bce", False)])
def test_backprop_variant_without_a_mistake_is_backprop(hidden, loss, output_prime):
    # The checks name a student's mistake by matching backprop_variant's mistaken
    # variants, so its unmistaken form must be the real gradient, and each option
    # must change it.
    import numpy as np

    from nnlib.checks._core import backprop_variant, network_problem

    net, X, Y = network_problem([3, 5, 4, 2], 6, 7, hidden=hidden, output="sigmoid", loss=loss)
    right = backprop_variant(net.weights, net.biases, X, Y, hidden=hidden, output_prime=output_prime)
    grads = net.gradients(X, Y)
    for got, want in zip([*right[0], *right[1]], [*grads.dW, *grads.db], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    for change in ({"prime": "none"}, {"average": False}, {"output_prime": not output_prime},
                   {"prime": "tanh" if hidden == "sigmoid" else "sigmoid"}):
        other = backprop_variant(net.weights, net.biases, X, Y, hidden=hidden,
                                 **{"output_prime": output_prime, **change})
        assert not np.allclose(other[0][0], right[0][0], rtol=1e-3), change
    # BP3 with the mean changes every bias's gradient and no weight's; BP4 with Z^(l-1) changes the weights'
    mean_db = backprop_variant(net.weights, net.biases, X, Y, hidden=hidden, output_prime=output_prime, mean_db=True)
    assert all(np.array_equal(a, b) for a, b in zip(mean_db[0], right[0], strict=True))
    assert not any(np.allclose(a, b, rtol=1e-3) for a, b in zip(mean_db[1], right[1], strict=True))
    z_in_dW = backprop_variant(net.weights, net.biases, X, Y, hidden=hidden, output_prime=output_prime, z_in_dW=True)
    assert all(np.array_equal(a, b) for a, b in zip(z_in_dW[1], right[1], strict=True))
    assert not any(np.allclose(a, b, rtol=1e-3) for a, b in zip(z_in_dW[0][1:], right[0][1:], strict=True))


@pytest.mark.parametrize("chapter", range(1, 11), ids=lambda n: f"ch{n:02d}")
def test_every_exercise_has_one_to_three_collapsed_hints_numbered_from_1(chapter):
    hints = hints_per_exercise(chapter)
    assert len(hints) >= 3, f"chapter {chapter} has {len(hints)} exercises"
    for title, found in hints.items():
        numbers = [k for k, _ in found]
        assert 1 <= len(numbers) <= 3 and numbers == list(range(1, len(numbers) + 1)), (title, numbers)
        assert all(collapsed for _, collapsed in found), f"a hint under {title!r} is not a dropdown"
    # no hint stands outside an exercise
    assert len(HINT.findall(chapter_markdown(chapter))) == sum(map(len, hints.values()))


_COST = "The quadratic cost"          # an exercise of chapter 1, with hints 1 to 3 and section 1.8


def test_a_pointer_to_help_that_exists_passes():
    assert_points_to_a_hint("you forgot the ½." + see(1, _COST, "1.8"), 1, exercise=_COST,
                            with_section=True)
    assert_points_to_a_hint("you forgot both." + see((1, 2), _COST), 1)


@pytest.mark.parametrize(("message", "why"), [
    ("you forgot the ½." + see(4, _COST, "1.8"), "no collapsed hint 4"),
    ("you forgot both." + see((1, 4), _COST, "1.8"), "no collapsed hint 4"),
    ("you forgot the ½." + see(1, "The quadratic costs", "1.8"), "no exercise titled"),
    ("you forgot the ½." + see(1, _COST, "1.99"), "no section 1.99"),
    ("you forgot the ½." + see(1, _COST, "99.1"), "no section 99.1"),
    ("you forgot the ½; see hint 1 under the exercise \"The quadratic cost\", or section 1.8.",
     "no pointer"),
    ("you forgot the ½. See hint 1 under the exercise \"The quadratic cost\", or section 1.8",
     "no pointer"),
], ids=["hint number", "one of two hints", "title", "section", "chapter of the section",
        "lower-case pointer", "no full stop"])
def test_a_pointer_to_help_that_is_not_there_fails(message, why):
    with pytest.raises(AssertionError, match=why):
        assert_points_to_a_hint(message, 1)


def test_a_pointer_without_a_section_or_to_another_exercise_fails_when_told():
    message = "you forgot the ½." + see(1, _COST)
    with pytest.raises(AssertionError, match="no section in the pointer"):
        assert_points_to_a_hint(message, 1, with_section=True)
    with pytest.raises(AssertionError, match="not 'The whole forward pass'"):
        assert_points_to_a_hint(message, 1, exercise="The whole forward pass")


def test_a_pair_of_seeds_draws_the_weights_from_the_first_and_the_rest_from_the_second():
    import numpy as np

    from nnlib import Network
    from nnlib.checks._core import network_problem

    net, X, Y = network_problem([3, 5, 2], 6, (3, 4), hidden="sigmoid", output="sigmoid", soft=True)
    by_hand = Network([3, 5, 2], hidden="sigmoid", output="sigmoid", loss="mse", rng=3)
    draw = np.random.default_rng(4)
    for l, b in enumerate(by_hand.biases):
        np.testing.assert_array_equal(net.weights[l], by_hand.weights[l])
        np.testing.assert_array_equal(net.biases[l], draw.normal(0.0, 0.5, size=b.shape))
    np.testing.assert_array_equal(X, draw.normal(size=(6, 3)))
    np.testing.assert_array_equal(Y, draw.uniform(size=(6, 2)))
