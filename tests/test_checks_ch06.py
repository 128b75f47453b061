"""The chapter 6 checks name the known mistakes (see also test_checks_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.checks import ch06
from tests.conftest import assert_points_to_a_hint, backward_variant


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


def test_numerical_gradient_passes_nnlib_own():
    from nnlib.gradcheck import numerical_gradient

    assert ch06.check_numerical_gradient(numerical_gradient) is True


@pytest.mark.parametrize(("kind", "message"), [
    ("forward", "forward difference"),
    ("eps", "divided by ε instead of 2ε"),
    ("sign", "sign is flipped"),
    ("copy", "perturbed a copy of x"),
    ("no restore", "changed x"),
])
def test_numerical_gradient_names_the_mistake(kind, message):
    with pytest.raises(AssertionError, match=message):
        ch06.check_numerical_gradient(_differences(kind))


def test_numerical_gradient_catches_add_and_subtract_drift():
    def drifting(f, x, eps=1e-6):
        grad = np.zeros(x.shape)
        for idx in np.ndindex(x.shape):
            x[idx] += eps
            f_plus = f(x)
            x[idx] -= 2 * eps
            f_minus = f(x)
            x[idx] += eps + 1e-9           # a restore that does not land on the old value
            grad[idx] = (f_plus - f_minus) / (2 * eps)
        return grad

    with pytest.raises(AssertionError, match="changed x"):
        ch06.check_numerical_gradient(drifting)


# -------------------------------------------------------------- relative_error
def test_relative_error_passes_nnlib_own():
    from nnlib.gradcheck import relative_error

    assert ch06.check_relative_error(relative_error) is True


def _norm(v):
    return np.linalg.norm(v)


@pytest.mark.parametrize(("wrong", "message"), [
    (lambda a, b: _norm(a - b), "absolute error"),
    (lambda a, b: _norm(a - b) / _norm(a) if _norm(a) else 0.0, r"divided by ‖a‖ only"),
    (lambda a, b: _norm(a - b) / max(_norm(a), _norm(b)) if _norm(a) else 0.0, "max"),
    (lambda a, b: np.abs(a - b).sum() / (np.abs(a).sum() + np.abs(b).sum())
     if np.abs(a).sum() else 0.0, "1-norm"),
    (lambda a, b: np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))) if np.abs(a).sum() else 0.0,
     "element-wise"),
    (lambda a, b: _norm(a - b) / (_norm(a) + _norm(b)), "NaN"),
])
def test_relative_error_names_the_mistake(wrong, message):
    with np.errstate(invalid="ignore", divide="ignore"):
        with pytest.raises(AssertionError, match=message):
            ch06.check_relative_error(wrong)


# -------------------------------------------------------------------- bug hunt
def test_bug_hunt_reports_the_centred_differences(sol, capsys):
    assert ch06.check_bug_hunt(sol.backward_fixed) is True
    assert "centred differences" in capsys.readouterr().out


def test_bug_hunt_recognises_the_unchanged_bug():
    with pytest.raises(AssertionError, match="original, buggy line"):
        ch06.check_bug_hunt(ch06.backward_buggy)


def test_bug_hunt_recognises_the_sigmoid_repair():
    def sigmoid_repair(weights, biases, X, Y):
        return backward_variant(weights, biases, X, Y, hidden="tanh", derivative="sigmoid",
                                output_prime=False)

    with pytest.raises(AssertionError, match="sigmoid's derivative"):
        ch06.check_bug_hunt(sigmoid_repair)


def test_bug_hunt_must_return_a_pair(sol):
    with pytest.raises(AssertionError, match=r"pair \(dW, db\)"):
        ch06.check_bug_hunt(lambda *args: sol.backward_fixed(*args)[0])


def test_the_given_bug_really_is_a_bug(sol):
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(4, 3)), rng.normal(size=(2, 4))]
    biases = [rng.normal(size=4), rng.normal(size=2)]
    X, Y = rng.normal(size=(5, 3)), (rng.uniform(size=(5, 2)) < 0.5).astype(float)
    buggy = ch06.backward_buggy(weights, biases, X, Y)
    fixed = sol.backward_fixed(weights, biases, X, Y)
    assert np.allclose(buggy[0][-1], fixed[0][-1])          # the output layer is right
    assert not np.allclose(buggy[0][0], fixed[0][0])        # the hidden layer is not


# ---------------------------------------------------------------- forward step
@pytest.mark.parametrize(("wrong", "message"), [
    (lambda u, F, M2: (np.sqrt(u * F / M2), 2 * np.sqrt(u * F * M2)), "factor 2"),
    (lambda u, F, M2: ((3 * u * F / M2) ** (1 / 3), 2 * np.sqrt(u * F * M2)), "centred"),
    (lambda u, F, M2: (4 * u * F / M2, 2 * np.sqrt(u * F * M2)), "square root"),
    (lambda u, F, M2: (2 * np.sqrt(u * F / M2), np.sqrt(u * F * M2)), "truncation part"),
])
def test_forward_step_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch06.check_forward_step(wrong)


# ------------------------------------------------------------ portable messages
ROUNDING_DIGITS = r"\d\.\d+e-(?:0[7-9]|[1-9]\d)"


def test_pass_messages_give_rounding_level_errors_as_bounds(sol, capsys):
    """A relative error at rounding level has machine-dependent digits: the messages bound it."""
    import re

    from nnlib.gradcheck import numerical_gradient, relative_error

    assert ch06.check_numerical_gradient(numerical_gradient) is True
    assert ch06.check_relative_error(relative_error) is True
    assert ch06.check_bug_hunt(sol.backward_fixed) is True
    assert ch06.check_forward_step(sol.best_forward_step) is True
    out = capsys.readouterr().out
    assert out.count("relative error below 1e-08") == 2, out
    assert "2√u ≈ 2e-08" in out
    assert not re.search(ROUNDING_DIGITS, out), out


@pytest.mark.parametrize(("err", "text"), [
    (2e-9, "below 1e-08"), (3e-8, "below 1e-06"), (2.5e-3, "of 2.5e-03"), (0.0, "below 1e-08"),
])
def test_bound_states_what_holds(err, text):
    assert ch06._bound(err) == text


# ------------------------------------------------------- pointers to the hints

NUMGRAD, RELERR, BUGHUNT, FORWARD = ("The numerical gradient", "The relative error", "Bug hunt",
                                     "The best step for a forward difference")


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


def _bug_hunt_sigmoid_repair(weights, biases, X, Y):
    return backward_variant(weights, biases, X, Y, hidden="tanh", derivative="sigmoid",
                            output_prime=False)


NAMED_MISTAKES = {
    **{f"numgrad-{kind}": (ch06.check_numerical_gradient, _differences(kind), NUMGRAD)
       for kind in ("forward", "eps", "sign", "copy", "no restore")},
    "numgrad-network-left-changed": (ch06.check_numerical_gradient, _restores_small_arrays_only,
                                     NUMGRAD),
    "relerr-absolute": (ch06.check_relative_error, lambda a, b: _norm(a - b), RELERR),
    "relerr-by-a": (ch06.check_relative_error,
                    lambda a, b: _norm(a - b) / _norm(a) if _norm(a) else 0.0, RELERR),
    "relerr-by-max": (ch06.check_relative_error,
                      lambda a, b: _norm(a - b) / max(_norm(a), _norm(b)) if _norm(a) else 0.0,
                      RELERR),
    "relerr-1-norm": (ch06.check_relative_error,
                      lambda a, b: np.abs(a - b).sum() / (np.abs(a).sum() + np.abs(b).sum())
                      if np.abs(a).sum() else 0.0, RELERR),
    "relerr-element-wise": (ch06.check_relative_error,
                            lambda a, b: np.max(np.abs(a - b) / (np.abs(a) + np.abs(b)))
                            if np.abs(a).sum() else 0.0, RELERR),
    "relerr-nan": (ch06.check_relative_error, lambda a, b: _norm(a - b) / (_norm(a) + _norm(b)),
                   RELERR),
    "bughunt-unchanged": (ch06.check_bug_hunt, ch06.backward_buggy, BUGHUNT),
    "bughunt-sigmoid": (ch06.check_bug_hunt, _bug_hunt_sigmoid_repair, BUGHUNT),
    "forward-factor-2": (ch06.check_forward_step,
                         lambda u, F, M2: (np.sqrt(u * F / M2), 2 * np.sqrt(u * F * M2)), FORWARD),
    "forward-centred": (ch06.check_forward_step,
                        lambda u, F, M2: ((3 * u * F / M2) ** (1 / 3), 0.0), FORWARD),
    "forward-no-root": (ch06.check_forward_step, lambda u, F, M2: (4 * u * F / M2, 0.0), FORWARD),
    "forward-truncation-only": (ch06.check_forward_step,
                                lambda u, F, M2: (2 * np.sqrt(u * F / M2), np.sqrt(u * F * M2)),
                                FORWARD),
}


@pytest.mark.parametrize(("check", "wrong", "exercise"), NAMED_MISTAKES.values(),
                         ids=NAMED_MISTAKES.keys())
def test_each_named_mistake_points_to_a_hint_that_exists(check, wrong, exercise):
    with np.errstate(invalid="ignore", divide="ignore"), pytest.raises(AssertionError) as failure:
        check(wrong)
    assert_points_to_a_hint(str(failure.value), 6, exercise=exercise)
