"""The chapter 6 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, built here independently of the
checks' own references.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnlib.checks import ch06
from nnlib.gradcheck import numerical_gradient, relative_error
from tests.conftest import WRONG, assert_fails, backward_variant, wrong


# ---------------------------------------------------------- numerical_gradient
def _differences(kind):
    """A numerical_gradient with one planted mistake."""

    def numerical_gradient(f, x, eps=1e-6):
        grad = np.zeros(x.shape)
        f0 = f(x) if kind == "forward" else None
        for idx in np.ndindex(x.shape):
            old = x[idx]
            if kind == "copy":
                plus, minus = x.copy(), x.copy()
                plus[idx] += eps
                minus[idx] -= eps
                grad[idx] = (f(plus) - f(minus)) / (2 * eps)
                continue
            x[idx] = old + eps
            f_plus = f(x)
            x[idx] = old - eps
            f_minus = f(x)
            if kind != "no restore":
                x[idx] = old
            if kind == "forward":
                grad[idx] = (f_plus - f0) / eps
            elif kind == "eps":
                grad[idx] = (f_plus - f_minus) / eps
            elif kind == "sign":
                grad[idx] = (f_minus - f_plus) / (2 * eps)
            else:
                grad[idx] = (f_plus - f_minus) / (2 * eps)
        return grad

    return numerical_gradient


def _drifting(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        x[idx] += eps
        f_plus = f(x)
        x[idx] -= 2 * eps
        f_minus = f(x)
        x[idx] += eps + 1e-9           # a restore that does not land on the old value
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def _restores_small_arrays_only(f, x, eps=1e-6):
    """Right on the check's (3, 2) array, but leaves every other array nudged."""
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        f_plus = f(x)
        x[idx] = old - eps
        f_minus = f(x)
        x[idx] = old if x.size <= 6 else old - eps
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def _norm(v):
    return np.linalg.norm(v)


def _bug_hunt_sigmoid_repair(weights, biases, X, Y):
    return backward_variant(weights, biases, X, Y, hidden="tanh", derivative="sigmoid", output_prime=False)


def _fixed_then(transform):
    def answer(weights, biases, X, Y):
        from tests.conftest import load_solutions

        return transform(*load_solutions(6).backward_fixed(weights, biases, X, Y))
    return answer


NUMGRAD, RELERR, BUGHUNT, FORWARD = (ch06.check_numerical_gradient, ch06.check_relative_error, ch06.check_bug_hunt,
                                     ch06.check_forward_step)
DIAGNOSIS = ch06.check_diagnosis
_EXERCISE = {NUMGRAD: "The numerical gradient", RELERR: "The relative error", BUGHUNT: "Bug hunt",
             FORWARD: "The best step for a forward difference", DIAGNOSIS: "Read the report"}


def _diagnosis(**changes):
    """The right diagnosis, written out here, with some networks' answers changed."""
    answer = {"A": "BP2", "B": "BP4", "C": "BP1", "D": "BP3"}
    answer.update(changes)
    return answer


def _wrong(check, answer, message, **kwargs):
    return wrong(check, answer, message, exercise=_EXERCISE[check], **kwargs)


WRONG_ANSWERS = [
    _wrong(NUMGRAD, _differences("forward"), "forward difference"),
    _wrong(NUMGRAD, _differences("eps"), "divided by ε instead of 2ε"),
    _wrong(NUMGRAD, _differences("sign"), "sign is flipped"),
    _wrong(NUMGRAD, _differences("copy"), "perturbed a copy of x"),
    _wrong(NUMGRAD, _differences("no restore"), "changed x", id="no restore"),
    _wrong(NUMGRAD, _drifting, "changed x", id="add and subtract drift"),
    _wrong(NUMGRAD, _restores_small_arrays_only, "left the network's weights changed"),
    _wrong(RELERR, lambda a, b: _norm(a - b), "absolute error"),
    _wrong(RELERR, lambda a, b: _norm(a - b) / _norm(a) if _norm(a) else 0.0, r"divided by ‖a‖ only"),
    _wrong(RELERR, lambda a, b: _norm(a - b) / max(_norm(a), _norm(b)) if _norm(a) else 0.0, "max"),
    _wrong(RELERR, lambda a, b: np.abs(a - b).sum() / (np.abs(a).sum() + np.abs(b).sum())
           if np.abs(a).sum() else 0.0, "1-norm"),
    _wrong(RELERR, lambda a, b: np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))) if np.abs(a).sum() else 0.0,
           "element-wise"),
    _wrong(RELERR, lambda a, b: _norm(a - b) / (_norm(a) + _norm(b)), "NaN"),
    _wrong(BUGHUNT, ch06.backward_buggy, "original, buggy line"),
    _wrong(BUGHUNT, _bug_hunt_sigmoid_repair, "sigmoid's derivative"),
    _wrong(BUGHUNT, _fixed_then(lambda dW, db: dW), r"should return the pair \(dW, db\)", named=False),
    _wrong(BUGHUNT, _fixed_then(lambda dW, db: (dW[:-1], db)), r"dW should hold one array per layer \(3\)",
           named=False),
    _wrong(FORWARD, lambda u, F, M2: (np.sqrt(u * F / M2), 2 * np.sqrt(u * F * M2)), "factor 2"),
    _wrong(FORWARD, lambda u, F, M2: ((3 * u * F / M2) ** (1 / 3), 2 * np.sqrt(u * F * M2)), "centred"),
    _wrong(FORWARD, lambda u, F, M2: (4 * u * F / M2, 2 * np.sqrt(u * F * M2)), "square root"),
    _wrong(FORWARD, lambda u, F, M2: (2 * np.sqrt(u * F / M2), np.sqrt(u * F * M2)), "truncation part"),
    _wrong(FORWARD, lambda u, F, M2: 2 * np.sqrt(u * F / M2),
           r"should return the pair \(eps_star, error_star\), got float", named=False),
    _wrong(DIAGNOSIS, _diagnosis(A="BP1", C="BP2"), "network A: .* a BP1 bug would change", id="BP1 for BP2"),
    _wrong(DIAGNOSIS, _diagnosis(A="BP3"), "network A: .* BP3 gives only the biases", id="BP3 for BP2"),
    _wrong(DIAGNOSIS, _diagnosis(A="BP4"), "network A: .* BP4 gives only the weights", id="BP4 for BP2"),
    _wrong(DIAGNOSIS, _diagnosis(B="BP3", D="BP4"), "network B: .* BP3 gives only the biases", id="BP3 for BP4"),
    _wrong(DIAGNOSIS, _diagnosis(B="BP1"), "network B: .* a BP1 bug would change", id="BP1 for BP4"),
    _wrong(DIAGNOSIS, _diagnosis(B="BP2"), "network B: .* BP2 only carries", id="BP2 for BP4"),
    _wrong(DIAGNOSIS, _diagnosis(C="BP2", A="BP1"), "network A: ", id="swapped A and C: A is named first"),
    _wrong(DIAGNOSIS, _diagnosis(C="BP3", D="BP1"), "network C: .* BP3 gives only the biases", id="BP3 for BP1"),
    _wrong(DIAGNOSIS, _diagnosis(D="BP4"), "network D: .* BP4 gives only the weights", id="BP4 for BP3"),
    _wrong(DIAGNOSIS, ..., r"diagnosis is still the stub", named=False),
    _wrong(DIAGNOSIS, {"A": ..., "B": ..., "C": ..., "D": ...}, r'diagnosis\["A"\] is still the stub', named=False),
    _wrong(DIAGNOSIS, _diagnosis(A="BP5"), "should be one of", named=False),
    _wrong(DIAGNOSIS, {"A": "BP2", "B": "BP4"}, "with the keys", named=False),
    _wrong(DIAGNOSIS, ["BP2", "BP4", "BP1", "BP3"], "should be a dict", named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=6)


def test_the_checks_pass_nnlib_own_numerical_gradient_and_relative_error():
    assert ch06.check_numerical_gradient(numerical_gradient) is True
    assert ch06.check_relative_error(relative_error) is True


def test_the_given_bug_really_is_a_bug(sol):
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(4, 3)), rng.normal(size=(2, 4))]
    biases = [rng.normal(size=4), rng.normal(size=2)]
    X, Y = rng.normal(size=(5, 3)), (rng.uniform(size=(5, 2)) < 0.5).astype(float)
    buggy = ch06.backward_buggy(weights, biases, X, Y)
    fixed = sol.backward_fixed(weights, biases, X, Y)
    assert np.allclose(buggy[0][-1], fixed[0][-1])          # the output layer is right
    assert not np.allclose(buggy[0][0], fixed[0][0])        # the hidden layer is not


ROUNDING_DIGITS = r"\d\.\d+e-(?:0[7-9]|[1-9]\d)"


def test_pass_messages_give_rounding_level_errors_as_bounds(sol, capsys):
    """A relative error at rounding level has machine-dependent digits: the messages bound it."""
    assert ch06.check_numerical_gradient(numerical_gradient) is True
    assert ch06.check_relative_error(relative_error) is True
    assert ch06.check_bug_hunt(sol.backward_fixed) is True
    assert ch06.check_forward_step(sol.best_forward_step) is True
    out = capsys.readouterr().out
    assert out.count("relative error below 1e-08") == 2, out
    assert "centred differences" in out and "2√u ≈ 2e-08" in out
    assert not re.search(ROUNDING_DIGITS, out), out


@pytest.mark.parametrize(("err", "text"), [
    (2e-9, "below 1e-08"), (3e-8, "below 1e-06"), (2.5e-3, "of 2.5e-03"), (0.0, "below 1e-08"),
])
def test_bound_states_what_holds(err, text):
    assert ch06._bound(err) == text


# ------------------------------------------------------------- read the report
def _equation_from_report(report):
    """Section 6.6's reading of a report, written here independently of the check."""
    failing = {name for name, err in report.errors.items() if not err < report.threshold}
    L = len(report.errors) // 2
    weights, biases = {f"W{l}" for l in range(1, L + 1)}, {f"b{l}" for l in range(1, L + 1)}
    if failing == weights | biases:
        return "BP1"
    if failing == (weights | biases) - {f"W{L}", f"b{L}"}:
        return "BP2"
    if failing and failing <= biases:
        return "BP3"
    if failing and failing <= weights:
        return "BP4"
    return None


def test_each_mystery_network_shows_the_pattern_of_its_bug(sol):
    from nnlib.gradcheck import check_network

    reports = {name: check_network(net, X, Y) for name, (net, X, Y) in ch06.mystery_networks().items()}
    seen = {name: _equation_from_report(report) for name, report in reports.items()}
    assert seen == sol.diagnosis == _diagnosis()
    # The pattern is clear-cut: every array is at rounding level or far above the threshold.
    assert all(err < 1e-7 or err > 1e-2 for report in reports.values() for err in report.errors.values())
    assert sorted(seen.values()) == ["BP1", "BP2", "BP3", "BP4"]


def test_diagnosis_passes_the_solution_in_any_spelling(sol):
    assert ch06.check_diagnosis(sol.diagnosis) is True
    assert ch06.check_diagnosis({k: f" {v.lower()} " for k, v in sol.diagnosis.items()}) is True
