"""The chapter 11 checks name the known mistakes (see also test_checks_contract.py).

Every wrong answer is a row of ``WRONG_ANSWERS``, written here independently of
the checks' own references; the solutions are also compared with oracles of
their own (centred differences, Network.gradients).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnlib import Network
from nnlib.autodiff import Value
from nnlib.checks import ch11
from tests.conftest import WRONG, assert_fails, wrong

# ------------------------------------------------------------------ softplus


def _softplus(local, *, overwrite=False, chain=True):
    """A student's softplus node with the given local derivative, accumulation and chain factor."""
    def softplus(x):
        out = Value(math.log1p(math.exp(x.data)), (x,), "softplus")

        def _backward():
            share = local(x.data) * (out.grad if chain else 1.0)
            if overwrite:
                x.grad = share
            else:
                x.grad += share
        out._backward = _backward
        return out
    return softplus


def _logistic(t):
    return 1 / (1 + math.exp(-t))


def _composed_softplus(x):
    return (x.exp() + 1.0).log()


def _wrong_value_softplus(x):
    out = Value(math.exp(x.data), (x,), "softplus")
    return out


# ------------------------------------------------------------- the buggy engine


def _class_with_unary(body):
    class Student(ch11.BuggyValue):
        def _unary(self, data, local, op):
            out = type(self)(data, (self,), op)

            def _backward():
                body(self, local, out)
            out._backward = _backward
            return out
    return Student


def _set(node, local, out):
    node.grad = local * out.grad


def _add_local_only(node, local, out):
    node.grad += local


class _WrongPlace(ch11.BuggyValue):
    # "repairs" the product, which was right: the bug stays
    def __mul__(self, other):
        other = other if isinstance(other, Value) else type(self)(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out


# ------------------------------------------------------------- the MLP on the engine


def _mlp_by_numpy(net, X, y, *, hidden=np.tanh, average=True):
    """A student's answer computed with NumPy by BP1-BP4 (a stand-in for an engine answer)."""
    acts = [X]
    for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
        z = acts[-1] @ W.T + b
        if l < len(net.weights):
            acts.append(hidden(z))
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            acts.append(e / e.sum(axis=1, keepdims=True))
    Y = np.eye(net.sizes[-1])[y]
    delta = (acts[-1] - Y) / (len(X) if average else 1)
    dW, db = [None] * len(net.weights), [None] * len(net.weights)
    for l in range(len(net.weights), 0, -1):
        dW[l - 1], db[l - 1] = delta.T @ acts[l - 1], delta.sum(axis=0)
        if l > 1:
            a = acts[l - 1]
            prime = 1 - a**2 if hidden is np.tanh else a * (1 - a)
            delta = (delta @ net.weights[l - 1]) * prime
    return dW, db


def _sigmoid_array(z):
    return 1 / (1 + np.exp(-z))


# ------------------------------------------------------------- forward mode


def _jvp_student(*, bias=False, prime=True, output_prime=True):
    def jvp(net, x, v):
        a, t = x, v
        L = len(net.weights)
        for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
            act = net.output if l == L else net.hidden
            z = W @ a + b
            zt = W @ t + (b if bias else 0)
            a = act(z)
            use_prime = prime and (output_prime or l < L)
            t = act.derivative(z) * zt if use_prime else zt
        return a, t
    return jvp


# ------------------------------------------------------------- the input gradient


def _input_student(*, hidden_prime=True, input_prime=False, per_sample=False):
    def input_gradient(net, X, Y):
        net.forward(X)
        D = net.output_error(Y) * (len(X) if per_sample else 1)
        for l in range(len(net.weights), 1, -1):
            D = D @ net.weights[l - 1]
            if hidden_prime:
                D = D * net.hidden.derivative(net.zs[l - 1])
        dX = D @ net.weights[0]
        return dX * net.hidden.derivative(X) if input_prime else dX
    return input_gradient


SOFTPLUS, BUG = ch11.check_softplus, ch11.check_fixed_engine
MLP, JVP, INPUT = ch11.check_mlp_gradients, ch11.check_jvp, ch11.check_input_gradient
WRONG_ANSWERS = [
    wrong(SOFTPLUS, _softplus(_logistic, overwrite=True), r"x.grad = \.\.\. instead of x.grad \+=",
          with_section=True),
    wrong(SOFTPLUS, _softplus(_logistic, chain=False), "you left out out.grad", with_section=True),
    wrong(SOFTPLUS, _softplus(lambda t: _logistic(-t)), r"you used σ\(−x\)"),
    wrong(SOFTPLUS, _softplus(math.exp), "you used e\\^x"),
    wrong(SOFTPLUS, _composed_softplus, "one new node whose only input is x", with_section=True),
    wrong(SOFTPLUS, _wrong_value_softplus, r"softplus\(Value\(-3\)\).data is wrong", named=False),
    wrong(SOFTPLUS, lambda x: 1.0, "should return a Value, got float", named=False),
    wrong(BUG, lambda: ch11.BuggyValue, "the faulty method is still in place", with_section=True),
    wrong(BUG, lambda: _WrongPlace, "the faulty method is still in place", with_section=True,
          id="repaired the wrong method"),
    wrong(BUG, lambda: _class_with_unary(_set), "the faulty method is still in place", with_section=True,
          id="rewritten, still ="),
    wrong(BUG, lambda: _class_with_unary(_add_local_only), "multiply it by out.grad", with_section=True),
    wrong(BUG, lambda: Value, "should return a class derived from BuggyValue", named=False),
    wrong(BUG, lambda: ch11.BuggyValue(1.0), "should return a class derived from BuggyValue", named=False,
          id="an instance"),
    wrong(MLP, lambda net, X, y: _mlp_by_numpy(net, X, y, average=False), "you summed the costs"),
    wrong(MLP, lambda net, X, y: _mlp_by_numpy(net, X, y, hidden=_sigmoid_array), "use the sigmoid",
          with_section=True),
    wrong(MLP, lambda net, X, y: ([g.T for g in _mlp_by_numpy(net, X, y)[0]], _mlp_by_numpy(net, X, y)[1]),
          "transpose of the expected shape", named=False),
    wrong(MLP, lambda net, X, y: (*_mlp_by_numpy(net, X, y), 0.0), r"should return the pair \(dW, db\)",
          named=False),
    wrong(MLP, lambda net, X, y: (_mlp_by_numpy(net, X, y)[0][:1], _mlp_by_numpy(net, X, y)[1]),
          r"dW should hold one array per layer", named=False),
    wrong(JVP, _jvp_student(bias=True), "you added the bias to the tangent", with_section=True),
    wrong(JVP, _jvp_student(prime=False), "you left out σ′: the tangent", with_section=True),
    wrong(JVP, _jvp_student(output_prime=False), "at the output layer", with_section=True),
    wrong(JVP, lambda net, x, v: _jvp_student()(net, x, v)[1], r"should return the pair \(y_hat, Jv\)",
          named=False),
    wrong(INPUT, _input_student(hidden_prime=False), "you left out σ′ in the hidden layers", with_section=True),
    wrong(INPUT, _input_student(input_prime=True), "you multiplied by σ′ at the input", with_section=True),
    wrong(INPUT, _input_student(per_sample=True), "each sample's own gradient"),
    wrong(INPUT, lambda net, X, Y: _input_student()(net, X, Y).T, "transpose of the expected shape", named=False),
]


@pytest.mark.parametrize(WRONG, WRONG_ANSWERS)
def test_a_wrong_answer_fails_with_its_message(check, answer, message, named, pointer):
    assert_fails(check, answer, message, named, pointer, chapter=11)


# ------------------------------------------------------ the solutions against oracles


def test_softplus_against_centred_differences(sol):
    for x0 in (-4.0, -0.3, 0.0, 1.7):
        x = Value(x0)
        (sol.softplus(x) * x).backward()

        def f(t):
            return math.log1p(math.exp(t)) * t

        assert x.grad == pytest.approx((f(x0 + 1e-6) - f(x0 - 1e-6)) / 2e-6, rel=1e-7, abs=1e-9)
    assert sol.softplus(Value(800.0)).data == 800.0      # no overflow


def test_the_bug_is_where_the_probe_points():
    wrong_grads = ch11.engine_gradients(ch11.BuggyValue)
    right = ch11.engine_gradients(Value)
    per_graph = (wrong_grads != right).reshape(len(ch11.BUG_GRAPHS), -1).any(axis=1)
    assert per_graph.tolist() == [False, False, True, True, False, False]


def test_engine_mlp_against_nnlib_on_other_networks(sol, rng):
    for sizes in ([5, 4, 3], [3, 6, 2, 4]):
        net = Network(sizes, hidden="tanh", output="softmax", loss="cross_entropy", rng=rng)
        X, y = rng.normal(size=(6, sizes[0])), rng.integers(0, sizes[-1], 6)
        dW, db = sol.engine_mlp_gradients(net, X, y)
        grads = net.gradients(X, y)
        for a, b in zip(dW + db, grads.dW + grads.db, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)


def test_jvp_against_centred_differences(sol, rng):
    net = Network([4, 6, 3], hidden="relu", output="identity", rng=rng)
    x, v = rng.normal(size=4), rng.normal(size=4)
    _, Jv = sol.jvp(net, x, v)
    fd = (net.forward((x + 1e-6 * v)[None])[0] - net.forward((x - 1e-6 * v)[None])[0]) / 2e-6
    np.testing.assert_allclose(Jv, fd, rtol=1e-6, atol=1e-9)


def test_input_gradient_against_centred_differences(sol, rng):
    from nnlib.gradcheck import numerical_gradient, relative_error

    net = Network([5, 4, 4, 3], hidden="tanh", output="softmax", loss="cross_entropy", rng=rng)
    X, y = rng.normal(size=(7, 5)), rng.integers(0, 3, 7)
    Y = np.eye(3)[y]
    fd = numerical_gradient(lambda X_: net.loss(X_, Y), X.copy())
    assert relative_error(sol.input_gradient(net, X, Y), fd) < 1e-7
