"""The scalar engine nnlib.autodiff against independent oracles.

Every operation's gradient is compared with a centred finite difference in
float64; whole networks are compared with ``Network.gradients`` (BP1-BP4).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnlib import Network
from nnlib.autodiff import Value, topological_order, zero_grad


def _tanh(x):
    return x.tanh() if isinstance(x, Value) else math.tanh(x)


def _sigmoid(x):
    return x.sigmoid() if isinstance(x, Value) else 1 / (1 + math.exp(-x))


def _exp(x):
    return x.exp() if isinstance(x, Value) else math.exp(x)


OPERATIONS = {
    "add": (lambda x, y: x + y, 2),
    "radd": (lambda x: 3.0 + x, 1),
    "sub": (lambda x, y: x - y, 2),
    "rsub": (lambda x: 3.0 - x, 1),
    "mul": (lambda x, y: x * y, 2),
    "rmul": (lambda x: 3.0 * x, 1),
    "div": (lambda x, y: x / y, 2),
    "rdiv": (lambda x: 3.0 / x, 1),
    "neg": (lambda x: -x, 1),
    "pow": (lambda x: x**3, 1),
    "pow_fraction": (lambda x: (x * x) ** 0.5, 1),
    "exp": (_exp, 1),
    "log": (lambda x: (x * x).log() if isinstance(x, Value) else math.log(x * x), 1),
    "tanh": (_tanh, 1),
    "sigmoid": (_sigmoid, 1),
    "relu": (lambda x: x.relu() if isinstance(x, Value) else max(x, 0.0), 1),
    "maximum": (lambda x, y: x.maximum(y) if isinstance(x, Value) else max(x, y), 2),
    "fan_out": (lambda x, y: x * y + x * x / y, 2),
    "chain": (lambda x, y: _exp(_tanh(x * y) + _sigmoid(x - y)) * x, 2),
}


def finite_difference(f, args, i, eps=1e-6):
    up, down = list(args), list(args)
    up[i] += eps
    down[i] -= eps
    return (f(*up) - f(*down)) / (2 * eps)


@pytest.mark.parametrize("name", OPERATIONS)
@pytest.mark.parametrize("point", [(0.7, -1.3), (-2.1, 0.4), (1.5, 2.5)])
def test_operation_against_finite_differences(name, point):
    f, arity = OPERATIONS[name]
    args = point[:arity]
    leaves = [Value(a) for a in args]
    out = f(*leaves)
    assert out.data == pytest.approx(f(*args), rel=1e-14, abs=1e-14)
    out.backward()
    for i, leaf in enumerate(leaves):
        assert leaf.grad == pytest.approx(finite_difference(f, args, i), rel=1e-7, abs=1e-8)


def test_gate_patterns_exactly():
    x, y, z, w = Value(3.0), Value(-2.0), Value(1.0), Value(2.0)
    f = (x * y + x.maximum(z)) * w
    f.backward()
    assert f.data == -6.0
    # add distributes 2 to both branches, multiply swaps (y·2, x·2), max routes to x only,
    # and x, used twice, collects y·w + w
    assert (x.grad, y.grad, z.grad, w.grad) == (-2.0, 6.0, 0.0, -3.0)


def test_node_used_twice_collects_both_uses():
    x = Value(3.0)
    f = x * x
    f.backward()
    assert x.grad == 6.0


def test_second_backward_adds_to_the_leaves_until_zeroed():
    x, y = Value(1.5), Value(-0.5)
    f = (x * y).tanh() + x
    f.backward()
    first = (x.grad, y.grad)
    f.backward()
    assert (x.grad, y.grad) == (2 * first[0], 2 * first[1])
    zero_grad([x, y])
    f.backward()
    assert (x.grad, y.grad) == first


def test_topological_order_puts_inputs_first_and_visits_each_node_once():
    x, y = Value(1.0), Value(2.0)
    a = x * y
    f = a + a * x
    order = topological_order(f)
    assert len(order) == len({id(v) for v in order}) == 5
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for c in v.children:
            assert position[id(c)] < position[id(v)]
    assert order[-1] is f


def test_a_long_chain_needs_no_recursion():
    x = Value(1.0)
    f = x
    for _ in range(5000):
        f = f + x
    f.backward()
    assert x.grad == 5001.0


def test_repr_and_constant_exponent_only():
    assert repr(Value(2.0)) == "Value(data=2, grad=0)"
    assert "op=+" in repr(Value(1.0) + 1.0)
    with pytest.raises(TypeError):
        Value(2.0) ** Value(3.0)


def engine_loss(net, X, Y):
    """The network's averaged loss as one Value, and its parameters as Values."""
    W = [[[Value(w) for w in row] for row in M] for M in net.weights]
    b = [[Value(v) for v in vec] for vec in net.biases]
    act = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu, "identity": lambda v: v}
    total = Value(0.0)
    for x, y in zip(X, Y, strict=True):
        a = list(x)
        for l in range(net.n_layers):
            f = act[net.output.name if l == net.n_layers - 1 else net.hidden.name]
            a = [f(sum((w * ak for w, ak in zip(row, a, strict=True)), bj)) for row, bj in zip(W[l], b[l], strict=True)]
        for ak, yk in zip(a, y, strict=True):
            if net.loss_fn.name == "mse":
                total = total + 0.5 * (ak - yk) ** 2
            else:
                total = total - (yk * ak.log() + (1 - yk) * (1 - ak).log())
    return total / len(X), W, b


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("output,loss", [("sigmoid", "mse"), ("sigmoid", "bce"), ("identity", "mse")])
@pytest.mark.parametrize("seed", [0, 1])
def test_engine_agrees_with_network_gradients(hidden, output, loss, seed):
    rng = np.random.default_rng(seed)
    net = Network([3, 4, 3, 2], hidden=hidden, output=output, loss=loss, rng=seed)
    for b in net.biases:
        b[:] = rng.normal(0, 0.5, b.shape)
    X = rng.normal(size=(5, 3))
    Y = rng.uniform(size=(5, 2)) if loss == "bce" else rng.normal(size=(5, 2))
    C, W, b = engine_loss(net, X, Y)
    C.backward()
    assert C.data == pytest.approx(net.loss(X, Y), rel=1e-13)
    grads = net.gradients(X, Y)
    for l in range(net.n_layers):
        dW = np.array([[w.grad for w in row] for row in W[l]])
        db = np.array([v.grad for v in b[l]])
        np.testing.assert_allclose(dW, grads.dW[l], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(db, grads.db[l], rtol=1e-10, atol=1e-12)
