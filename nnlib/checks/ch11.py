"""Exercise checks of chapter 11, Backpropagation as reverse-mode automatic differentiation."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.autodiff import Value
from nnlib.checks import _core
from nnlib.checks._core import ExerciseFailure, as_array, call_student, check, expect_array, expect_items, passed, see

_SOFTPLUS_EX = "The backward of a new operation"
_BUG_EX = "Find the overwriting bug"
_MLP_EX = "A small MLP on the engine"
_JVP_EX = "Forward mode through the layers"
_INPUT_EX = "The gradient with respect to the input"


def _sigmoid(x: float) -> float:
    t = math.exp(-abs(x))
    return 1 / (1 + t) if x >= 0 else t / (1 + t)


def _softplus_variant(x: Value, mistake: str = "") -> Value:
    """softplus(x) = log(1 + e^x) as one node, right or with one known mistake in its backward."""
    out = Value(max(x.data, 0.0) + math.log1p(math.exp(-abs(x.data))), (x,), "softplus")

    def _backward() -> None:
        local = {"sign": _sigmoid(-x.data), "exp": math.exp(x.data)}.get(mistake, _sigmoid(x.data))
        share = local if mistake == "no out.grad" else local * out.grad
        x.grad = share if mistake == "overwrite" else x.grad + share
    out._backward = _backward
    return out


# Graphs that reveal each mistake: the plain derivative, a scaled output (out.grad ≠ 1),
# x feeding two softplus nodes (an overwrite loses one share), and x used by a product too.
_SOFTPLUS_GRAPHS: list[Callable[[Value, Callable[[Value], Value]], Value]] = [
    lambda x, sp: sp(x), lambda x, sp: sp(x) * 3.0, lambda x, sp: sp(x) + sp(x), lambda x, sp: sp(x) * x]
_SOFTPLUS_POINTS = (-3.0, -0.5, 0.0, 2.0, 40.0)


def _softplus_gradients(softplus: Callable[[Value], Value]) -> np.ndarray:
    grads = []
    for graph in _SOFTPLUS_GRAPHS:
        for x0 in _SOFTPLUS_POINTS:
            x = Value(x0)
            graph(x, softplus).backward()
            grads.append(x.grad)
    return np.array(grads)


@check("softplus")
def check_softplus(softplus: Callable[[Value], Value]) -> bool:
    """Check ``softplus(x)``: log(1 + e^x) as one new node of the engine, with its own backward."""
    for x0 in _SOFTPLUS_POINTS:
        x = Value(x0)
        out = call_student(softplus, x, name="softplus")
        if not isinstance(out, Value):
            raise ExerciseFailure(f"softplus(Value({x0:g})) should return a Value, got {type(out).__name__}.")
        if tuple(out.children) != (x,):
            raise ExerciseFailure(f"softplus(Value({x0:g})) should be one new node whose only input is x; its "
                                  f"inputs are {len(out.children)} other node(s): build it as "
                                  "Value(data, (x,), 'softplus') with its own _backward, not from exp, + and log."
                                  + see(2, _SOFTPLUS_EX, "11.2"))
        expected = max(x0, 0.0) + math.log1p(math.exp(-abs(x0)))
        expect_array(out.data, expected, f"softplus(Value({x0:g})).data", rtol=1e-12, atol=1e-12,
                     hint="log(1 + e^x); for large x, math.log1p(math.exp(-abs(x))) + max(x, 0) avoids overflow.")
    mistakes = {"you wrote x.grad = ... instead of x.grad += ...: when x feeds two nodes, the second overwrites "
                "the first's share." + see(3, _SOFTPLUS_EX, "11.2"): "overwrite",
                "you left out out.grad: the share sent back is the local derivative times the gradient arriving "
                "at the output." + see(3, _SOFTPLUS_EX, "11.1"): "no out.grad",
                "you used σ(−x) = 1/(1 + e^x): the derivative of log(1 + e^x) is e^x/(1 + e^x) = σ(x)."
                + see(1, _SOFTPLUS_EX): "sign",
                "you used e^x and forgot the chain rule through the log: divide by 1 + e^x." + see(1, _SOFTPLUS_EX):
                "exp"}
    expect_array(call_student(_softplus_gradients, softplus, name="softplus"), _softplus_gradients(_softplus_variant),
                 "x.grad on the test graphs (softplus, ×3, two uses, times x, at five points each)",
                 rtol=1e-10, atol=1e-12, hint="the local derivative of log(1 + e^x) is σ(x); add σ(x)·out.grad.",
                 wrong={text: _softplus_gradients(lambda x, kind=kind: _softplus_variant(x, kind))
                        for text, kind in mistakes.items()})
    return passed("softplus is one node whose backward adds σ(x)·out.grad to x.grad.")


class BuggyValue(Value):
    """The engine with its gradient-passing methods written out again, and one of them wrong."""

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def maximum(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(max(self.data, other.data), (self, other), "max")

        def _backward() -> None:
            winner = self if self.data >= other.data else other
            winner.grad += out.grad
        out._backward = _backward
        return out

    def _unary(self, data: float, local: float, op: str) -> Value:
        out = type(self)(data, (self,), op)

        def _backward() -> None:
            self.grad = local * out.grad
        out._backward = _backward
        return out

    __radd__, __rmul__ = __add__, __mul__


class _NoChainValue(Value):
    # the repair that forgets the gradient arriving at the output
    def _unary(self, data: float, local: float, op: str) -> Value:
        out = type(self)(data, (self,), op)

        def _backward() -> None:
            self.grad += local
        out._backward = _backward
        return out


# The six graphs of the bug hunt (the chapter's probe draws them with centred differences).
BUG_GRAPHS: list[Callable[[Value, Value], Value]] = [
    lambda x, y: x * y + x,
    lambda x, y: x.maximum(y) * x,
    lambda x, y: x.tanh() + x,
    lambda x, y: x.sigmoid() * x.relu() + y.exp(),
    lambda x, y: x / (y * y + 1.0) + y,
    lambda x, y: (x * y).log() * 3.0,
]
BUG_POINTS = ((1.3, 0.8), (0.6, 2.1))


def engine_gradients(cls: type, graphs: list[Callable[[Value, Value], Value]] = BUG_GRAPHS) -> np.ndarray:
    """(∂f/∂x, ∂f/∂y) of each test graph at each test point, with leaves of class ``cls``."""
    grads = []
    for graph in graphs:
        for x0, y0 in BUG_POINTS:
            x, y = cls(x0), cls(y0)
            graph(x, y).backward()
            grads += [x.grad, y.grad]
    return np.array(grads)


@check("fixed_engine")
def check_fixed_engine(fixed_engine: Callable[[], type]) -> bool:
    """Check the repaired engine: ``fixed_engine()`` returns a subclass of BuggyValue with the bug fixed."""
    cls = call_student(fixed_engine, name="fixed_engine")
    if not (isinstance(cls, type) and issubclass(cls, BuggyValue)):
        raise ExerciseFailure(f"fixed_engine() should return a class derived from BuggyValue (write "
                              f"`class FixedValue(BuggyValue): ...` and return FixedValue), got {cls!r}.")
    got = call_student(engine_gradients, cls, name="your engine")
    expect_array(got, engine_gradients(Value), "(∂f/∂x, ∂f/∂y) on the test graphs", rtol=1e-10, atol=1e-12,
                 hint="compare each graph's gradients with centred differences to see which operation is wrong.",
                 wrong={"the faulty method is still in place: your engine gives exactly BuggyValue's gradients. "
                        "The probe shows which graphs fail; the operations they share hold the bug."
                        + see((1, 2), _BUG_EX, "11.2"): engine_gradients(BuggyValue),
                        "your repair adds the local derivative alone; multiply it by out.grad."
                        + see(3, _BUG_EX, "11.1"): engine_gradients(_NoChainValue)})
    return passed("every share is added: the engine agrees with Value on all six graphs.")


@check("engine_mlp_gradients")
def check_mlp_gradients(engine_mlp_gradients: Callable[..., Any]) -> bool:
    """Check ``engine_mlp_gradients(net, X, y)``: the gradients of a tanh/softmax network, by the engine."""
    for sizes, m, seed in (([3, 4, 3], 5, 0), ([2, 3, 3, 4], 4, 1)):
        net, X, _ = _core.network_problem(sizes, m, seed, hidden="tanh", output="softmax", loss="cross_entropy")
        y = np.arange(m) % sizes[-1]
        expected = net.gradients(X, y)
        answer = call_student(engine_mlp_gradients, net.copy(), X, y, name="engine_mlp_gradients")
        dW, db = _core.expect_layers(answer, len(sizes) - 1, "engine_mlp_gradients")
        for l in range(len(sizes) - 1):
            as_array(dW[l], f"dW[{l}] on the {'-'.join(map(str, sizes))} network", expected.dW[l].shape,
                     transposed="dW[l] has the shape of W^(l+1), (n_out, n_in).")
        sigmoid_net = _core.network_problem(sizes, m, seed, hidden="sigmoid", output="softmax", loss="cross_entropy")[0]
        summed = "you summed the costs of the samples; the cost is their average (divide by m)." + see(2, _MLP_EX)
        _core.expect_layer_gradients(dW, db, (expected.dW, expected.db),
                                     f"{{kind}}[{{i}}] (∂C/∂{{p}}^{{l}}) on the {'-'.join(map(str, sizes))} network",
                                     rtol=1e-8, atol=1e-12, hint="write C = (1/m) Σ_i −log(softmax(z^L_i)[y_i]).",
                                     wrong={summed: ([g * m for g in expected.dW], [g * m for g in expected.db]),
                                            "your hidden layers use the sigmoid; the network's are tanh."
                                            + see(1, _MLP_EX, "11.2"): tuple(sigmoid_net.gradients(X, y))})
    return passed("the engine's gradients equal Network.gradients: reverse mode on scalars is backpropagation.")


def _jvp_variant(net: Any, x: np.ndarray, v: np.ndarray, mistake: str = "") -> tuple[np.ndarray, np.ndarray]:
    """(ŷ, J v) by carrying tangents through the layers, right or with one known mistake."""
    a, a_dot = np.asarray(x, dtype=float), np.asarray(v, dtype=float)
    L = len(net.weights)
    for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
        act = net.output if l == L else net.hidden
        z, z_dot = W @ a + b, W @ a_dot + (b if mistake == "bias" else 0.0)
        skip = mistake == "no σ′" or (mistake == "no output σ′" and l == L)
        a, a_dot = act(z), z_dot if skip else act.derivative(z) * z_dot
    return a, a_dot


@check("jvp")
def check_jvp(jvp: Callable[..., Any]) -> bool:
    """Check ``jvp(net, x, v)``: forward mode through the layers, returning ``(y_hat, Jv)``."""
    for sizes, hidden, seed in (([3, 4, 2], "tanh", 0), ([2, 5, 3, 2], "sigmoid", 1)):
        net, (x, v), _ = _core.network_problem(sizes, 2, seed, hidden=hidden, output="sigmoid")
        name = "-".join(map(str, sizes))
        y_hat, Jv = _jvp_variant(net, x, v)
        got_y, got_Jv = expect_items(call_student(jvp, net.copy(), x, v, name="jvp"), ("y_hat", "Jv"), "jvp")
        expect_array(got_y, y_hat, f"y_hat on the {name} network", rtol=1e-10, atol=1e-12,
                     hint="run the forward pass z = W a + b, a = σ(z) on the single sample x.")
        expect_array(got_Jv, Jv, f"Jv on the {name} network", rtol=1e-8, atol=1e-12,
                     hint="carry ż = W ȧ and ȧ = σ′(z) ⊙ ż from ȧ⁰ = v.",
                     wrong={"you added the bias to the tangent: b is a constant, its tangent is 0, so ż = W ȧ."
                            + see(2, _JVP_EX, "11.4"): _jvp_variant(net, x, v, "bias")[1],
                            "you left out σ′: the tangent of a = σ(z) is σ′(z) ⊙ ż." + see(2, _JVP_EX, "11.4"):
                                _jvp_variant(net, x, v, "no σ′")[1],
                            "you left out σ′ at the output layer: its sigmoid needs σ′(z^L) ⊙ ż^L like any layer."
                            + see(2, _JVP_EX, "11.4"): _jvp_variant(net, x, v, "no output σ′")[1]})
    return passed("one forward-mode pass gives the directional derivative J v.")


def _input_gradient_variant(net: Any, X: np.ndarray, Y: np.ndarray, mistake: str = "") -> np.ndarray:
    """∂C/∂X by BP1, BP2 and one more product with W^1, right or with one known mistake."""
    net.forward(X)
    Delta = net.output_error(Y) * (X.shape[0] if mistake == "per sample" else 1)
    for l in range(len(net.weights), 1, -1):
        Delta = Delta @ net.weights[l - 1]
        if mistake != "no σ′":
            Delta = Delta * net.hidden.derivative(net.zs[l - 1])
    dX = Delta @ net.weights[0]
    return dX * net.hidden.derivative(X) if mistake == "input σ′" else dX


@check("input_gradient")
def check_input_gradient(input_gradient: Callable[..., Any]) -> bool:
    """Check ``input_gradient(net, X, Y)``: ∂C/∂X of the averaged cost, shape (m, n_0)."""
    for sizes, hidden, output, loss, m, seed in (([4, 5, 3], "sigmoid", "sigmoid", "bce", 6, 0),
                                                 ([64, 8, 10], "tanh", "softmax", "cross_entropy", 3, 1)):
        net, X, Y = _core.network_problem(sizes, m, seed, hidden=hidden, output=output, loss=loss, inputs="uniform")
        name = "-".join(map(str, sizes))
        expected = _input_gradient_variant(net.copy(), X, Y)
        got = call_student(input_gradient, net.copy(), X, Y, name="input_gradient")
        expect_array(got, expected, f"∂C/∂X on the {name} network", rtol=1e-8, atol=1e-12,
                     transposed="∂C/∂X has the shape of X, one row per sample.",
                     hint="start from Δ^L = net.output_error(Y), apply BP2 down to layer 1, then multiply by W^1.",
                     wrong={"you left out σ′ in the hidden layers (BP2 multiplies by σ′(Z^l))."
                            + see(2, _INPUT_EX, "11.3"): _input_gradient_variant(net.copy(), X, Y, "no σ′"),
                            "you multiplied by σ′ at the input: layer 0 has no activation, ∂C/∂X = Δ¹ W¹."
                            + see(2, _INPUT_EX, "11.5"): _input_gradient_variant(net.copy(), X, Y, "input σ′"),
                            "you computed each sample's own gradient ∂C_i/∂x_i; the averaged cost has 1/m in it."
                            + see(3, _INPUT_EX): _input_gradient_variant(net.copy(), X, Y, "per sample")})
    return passed("∂C/∂X = Δ¹ W¹: backpropagation carried one step further, to the input.")
