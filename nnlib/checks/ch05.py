"""Exercise checks of chapter 5, Implementing backpropagation (layer sizes all different, references from nnlib)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nnlib.checks import _core
from nnlib.checks._core import call_student, check, expect_array, expect_items, expect_scalar, passed, see
from nnlib.gradcheck import numerical_gradient, relative_error

_EX_TANH = "Add tanh support"
_EX_DEEP = "Backpropagation for any depth"
_EX_COST = "What one training step costs"


@check("tanh_gradients")
def check_tanh_gradients(tanh_gradients: Callable[..., Any]) -> bool:
    """Check ``tanh_gradients(X, Y, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)``."""
    net, X, Y = _core.network_problem([3, 5, 2], 7, seed=51, hidden="tanh", output="sigmoid", loss="bce")
    W1, b1, W2, b2 = (p.copy() for p in net.parameters())
    got = expect_items(call_student(tanh_gradients, X, Y, W1, b1, W2, b2), ("dW1", "db1", "dW2", "db2"),
                       "tanh_gradients")
    grads = net.gradients(X, Y)
    expected = [grads.dW[0], grads.db[0], grads.dW[1], grads.db[1]]
    names = ["dW1 (your first return value)", "db1 (your second return value)",
             "dW2 (your third return value)", "db2 (your fourth return value)"]
    mistakes = {
        "you used the sigmoid's derivative a(1 − a) instead of tanh′ = 1 − a²." + see(2, _EX_TANH, "4.3"):
            {"prime": "sigmoid"},
        "you computed 1 − z² instead of 1 − tanh(z)² = 1 − a²." + see(2, _EX_TANH, "4.3"): {"prime": "1 - z²"},
        "you left out tanh′ in BP2." + see(1, _EX_TANH, "5.4"): {"prime": "none"},
        "you left out the 1/m of the average in δ² (BP1)." + see(1, _EX_TANH, "5.4"): {"average": False},
    }
    variants = {text: _core.backprop_variant([W1, W2], [b1, b2], X, Y, hidden="tanh", **kw)
                for text, kw in mistakes.items()}
    # The output layer first: BP1, BP3 and BP4 there do not involve tanh′.
    for i in (2, 3, 0, 1):
        expect_array(got[i], expected[i], names[i], wrong={text: v[i % 2][i // 2] for text, v in variants.items()},
                     hint="δ² = (a² − y)/m for a sigmoid output with BCE; "
                          "δ¹ = (δ² W²) ⊙ (1 − (a¹)²) with a¹ = tanh(z¹).")
    worst = max(relative_error(answer, numerical_gradient(lambda _: net.loss(X, Y), param, 1e-6))
                for param, answer in zip(net.parameters(), got, strict=True))
    if worst > 1e-6:  # pragma: no cover - the comparison above is stricter
        raise _core.ExerciseFailure(f"your gradients disagree with centred differences "
                                    f"(relative error {worst:.0e}, above the threshold 1e-06)")
    # The relative error of a correct answer is set by rounding (about 1e-9 here) and its
    # last digits change from machine to machine: report a bound, never the digits.
    bound = next(b for b in (1e-8, 1e-7, 1e-6) if worst < b)
    return passed("your tanh gradients match backpropagation in nnlib, and centred "
                  f"differences confirm them (every relative error below {bound:.0e}).")


@check("backward_deep")
def check_backward_deep(backward_deep: Callable[..., Any]) -> bool:
    """Check ``backward_deep(weights, biases, X, Y) -> (dW, db)`` for any depth."""
    mistakes = {
        "you used the fused δᴸ = (ŷ − y)/m, which needs a canonical output/loss pair; a sigmoid output with the "
        "quadratic cost needs ⊙ σ′(zᴸ) (BP1)." + see(2, _EX_DEEP, "5.3"): {},
        "you left out the 1/m of the average in δᴸ." + see(1, _EX_DEEP, "5.4"):
            {"output_prime": True, "average": False},
        "you left out σ′(z^(l−1)) in BP2." + see(2, _EX_DEEP, "5.4"): {"output_prime": True, "prime": "none"},
    }
    for sizes, m, seed in (([3, 5, 4, 2], 6, 52), ([2, 3, 1], 4, 53), ([4, 2], 5, 54)):
        net, X, Y = _core.network_problem(sizes, m, seed, hidden="sigmoid", output="sigmoid", loss="mse")
        _core.expect_backprop(backward_deep, "backward_deep", net, X, Y, hidden="sigmoid", mistakes=mistakes,
                              what=f"{{kind}}[{{i}}] = ∂C/∂{{p}}^{{l}} (network {'-'.join(map(str, sizes))})",
                              hint="walk l from L down to 1: BP3 and BP4 first, then BP2 for l > 1 only.")
    return passed("your backward pass works for networks of depth 1, 2 and 3 and agrees "
                  "with nnlib.")


@check("step_cost")
def check_step_cost(step_cost: Callable[..., Any]) -> bool:
    """Check ``step_cost(layer_sizes, m) -> (P, forward_mults, backward_mults)``."""
    ratios = {}
    for sizes, m in (([784, 30, 10], 10), ([3, 5, 4, 2], 6), ([2, 4, 1], 200), ([100, 100, 100, 100], 32)):
        got = expect_items(call_student(step_cost, list(sizes), m), ("P", "forward_mults", "backward_mults"),
                           "step_cost")
        pairs = [n_out * n_in for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        weights, biases = sum(pairs), sum(sizes[1:])
        forward = m * weights
        backward = forward + m * sum(pairs[1:])
        arch = f"layer_sizes={sizes}, m={m}"
        one_sample = "you counted one sample instead of the batch of m." + see(2, _EX_COST)
        expect_scalar(got[0], weights + biases, f"P for {arch}", rtol=0, atol=0.5,
                      wrong={"you counted the weights but not the biases." + see(1, _EX_COST, "5.7"): weights},
                      hint="each layer has n_l × n_(l−1) weights and n_l biases.")
        expect_scalar(got[1], forward, f"forward_mults for {arch}", rtol=0, atol=0.5, wrong={one_sample: weights},
                      hint="A^(l−1) (W^l)ᵀ multiplies an (m, n_(l−1)) matrix by an "
                           "(n_(l−1), n_l) one: m · n_(l−1) · n_l multiplications.")
        expect_scalar(got[2], backward, f"backward_mults for {arch}", rtol=0, atol=0.5,
                      wrong={"you also counted BP2 at layer 1, which backprop never needs (nothing is below the "
                             "input)." + see(2, _EX_COST, "5.4"): 2 * forward,
                             "you left out the matrix products of BP2." + see(2, _EX_COST, "5.4"): forward,
                             one_sample: backward // m},
                      hint="BP4 costs as much as the forward product of each layer; BP2 runs for l = L, ..., 2 only.")
        ratios[sizes[0]] = backward / forward
    return passed(f"backward/forward = {ratios[784]:.2f} for 784-30-10 but "
                  f"{ratios[100]:.2f} for 100-100-100-100: the skipped BP2 at layer 1 "
                  "saves most when layer 1 holds most of the weights.")
