"""A scalar engine for reverse-mode automatic differentiation (chapter 11).

Each operation on a :class:`Value` records its inputs and a closure that adds the local derivative times the
result's gradient to theirs; :meth:`Value.backward` runs the closures once each, in reverse topological order.

Examples
--------
>>> x, y = Value(2.0), Value(-3.0)
>>> f = x * y + x            # x feeds two operations
>>> f.backward()
>>> x.grad, y.grad           # ∂f/∂x = y + 1, ∂f/∂y = x
(-2.0, 2.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

__all__ = ["Value", "topological_order", "zero_grad"]


class Value:
    """A scalar, the operation that produced it, and the gradient ∂f/∂(this node).

    Parameters
    ----------
    data : float
        The value computed in the forward pass.
    children : tuple of Value, optional
        The inputs of the operation that produced it (none for a leaf).
    op : str, optional
        The operation's name ("" for a leaf). Results take the type of the left operand.
    """

    def __init__(self, data: float, children: tuple[Value, ...] = (), op: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self.children = children
        self.op = op
        self._backward: Callable[[], None] = lambda: None

    def __repr__(self) -> str:
        op = f", op={self.op}" if self.op else ""
        return f"{type(self).__name__}(data={self.data:.6g}, grad={self.grad:.6g}{op})"

    def _unary(self, data: float, local: float, op: str) -> Value:
        out = type(self)(data, (self,), op)
        def _backward() -> None:
            self.grad += local * out.grad
        out._backward = _backward
        return out

    def __add__(self, other: Value | float) -> Value:
        other = _lift(other)
        out = type(self)(self.data + other.data, (self, other), "+")
        def _backward() -> None:  # add distributes the gradient unchanged
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = _lift(other)
        out = type(self)(self.data * other.data, (self, other), "*")
        def _backward() -> None:  # multiply swaps the inputs and scales
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k: float) -> Value:  # a constant exponent only: x**y is (y * x.log()).exp()
        return self._unary(self.data**k, k * self.data ** (k - 1), f"**{k:g}")

    def maximum(self, other: Value | float) -> Value:
        """max(self, other); the gradient goes to the larger input (to self on a tie)."""
        other = _lift(other)
        out = type(self)(max(self.data, other.data), (self, other), "max")
        def _backward() -> None:  # max routes the gradient to the winner
            winner = self if self.data >= other.data else other
            winner.grad += out.grad
        out._backward = _backward
        return out

    def exp(self) -> Value:
        e = math.exp(self.data)
        return self._unary(e, e, "exp")

    def log(self) -> Value:  # the natural logarithm
        return self._unary(math.log(self.data), 1.0 / self.data, "log")

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t * t, "tanh")

    def sigmoid(self) -> Value:
        """The logistic sigmoid 1/(1 + e^(−x)), computed without overflow."""
        t = math.exp(-abs(self.data))
        s = 1.0 / (1.0 + t) if self.data >= 0 else t / (1.0 + t)
        return self._unary(s, s * (1.0 - s), "sigmoid")

    def relu(self) -> Value:
        """max(0, x), with derivative 0 at the kink x = 0 (as nnlib takes it)."""
        return self._unary(max(self.data, 0.0), float(self.data > 0), "relu")

    def __neg__(self) -> Value: return self * -1.0
    def __sub__(self, other: Value | float) -> Value: return self + (-_lift(other))
    def __truediv__(self, other: Value | float) -> Value: return self * _lift(other) ** -1
    def __rsub__(self, other: float) -> Value: return type(self)(other) - self
    def __rtruediv__(self, other: float) -> Value: return type(self)(other) / self
    __radd__, __rmul__ = __add__, __mul__

    def backward(self) -> None:
        """Set ``grad`` = ∂self/∂v on every node v of the graph that produced self.

        One sweep in reverse topological order: a node passes its gradient on only when
        every use has added its share. Interior nodes restart from 0, leaves add to what
        they hold: a second call without :func:`zero_grad` adds the gradients again.
        """
        order = topological_order(self)
        zero_grad(v for v in order if v.children)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


def _lift(other: Value | float) -> Value:
    return other if isinstance(other, Value) else Value(other)


def topological_order(root: Value) -> list[Value]:
    """The nodes of root's graph, each after all of its inputs (root last); no recursion."""
    order: list[Value] = []
    seen: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        elif id(v) not in seen:
            seen.add(id(v))
            stack.append((v, True))
            stack.extend((c, False) for c in v.children if id(c) not in seen)
    return order


def zero_grad(values: Iterable[Value]) -> None:
    """Set the gradient of each value to 0 (before a new backward pass)."""
    for v in values:
        v.grad = 0.0
