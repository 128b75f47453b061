"""Activation functions σ and their derivatives σ′.

Each activation is a small object with a ``name``, ``__call__(z)`` (the value
σ(z)), ``backward(z, grad)`` (the vector–Jacobian product that carries
∂C/∂a back to ∂C/∂z) and, for element-wise activations, ``derivative(z)`` (σ′(z)).
All of them are numerically stable: no overflow or warning at ``|z| = 1e4``.
``derivative_from_output(a)`` computes σ′ from the output a = σ(z) that the
forward pass cached, which is how the backward pass uses it.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import choice

__all__ = ["Activation", "Sigmoid", "Tanh", "ReLU", "Identity", "Softmax",
           "sigmoid", "tanh", "relu", "identity", "softmax", "get", "ACTIVATIONS"]


class Activation:
    """Base class of the activation functions.

    Attributes
    ----------
    name : str
        The name used by :func:`get` and by :class:`nnlib.network.Network`.
    elementwise : bool
        True when a_j depends on z_j only, so that σ′ is a diagonal Jacobian.
    has_kinks : bool
        True when σ is not differentiable everywhere (ReLU at 0); the gradient
        checker uses it to spot finite differences that straddle a kink.
    """

    name: str = "activation"
    elementwise: bool = True
    has_kinks: bool = False

    def __call__(self, z: np.ndarray) -> np.ndarray:
        """Return σ(z), element by element (row by row for softmax)."""
        raise NotImplementedError

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """Return σ′(z), element by element."""
        return self.derivative_from_output(self(z))

    def derivative_from_output(self, a: np.ndarray) -> np.ndarray:
        """Return σ′(z) computed from the cached output a = σ(z) (cheaper in training)."""
        raise NotImplementedError

    def backward(self, z: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """Return ∂C/∂z given ∂C/∂a = ``grad``: for element-wise σ, grad ⊙ σ′(z)."""
        return grad * self.derivative(z)

    def __repr__(self) -> str:
        return f"<activation {self.name}>"


class Sigmoid(Activation):
    """The logistic function σ(z) = 1 / (1 + e^(−z)), with σ′ = σ(1 − σ)."""

    name = "sigmoid"

    def __call__(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=float) if not isinstance(z, np.ndarray) else z
        if z.dtype.kind != "f":
            z = z.astype(float)
        # σ(z) = 1/(1 + e^(−z)). For z < −709.78 (float64), e^(−z) overflows to inf and
        # 1/(1 + inf) = 0, while σ(z) < 1e-308: the overflow is a correct intermediate,
        # so it is expected (errstate), not avoided. The formula never forms inf/inf, and
        # for z ≪ 0 it divides 1 by a large number, which keeps full relative precision
        # (σ(−30) ≈ 9.4e-14 exactly). The four passes (negate, exponentiate, add 1, divide)
        # write into one new array, of z's shape (0-d for a scalar z).
        a = np.empty_like(z)
        with np.errstate(over="ignore"):
            np.exp(np.negative(z, out=a), out=a)
        a += 1.0
        return np.divide(1.0, a, out=a)

    def derivative_from_output(self, a: np.ndarray) -> np.ndarray:
        return a * (1.0 - a)


class Tanh(Activation):
    """The hyperbolic tangent, with tanh′ = 1 − tanh²."""

    name = "tanh"

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def derivative_from_output(self, a: np.ndarray) -> np.ndarray:
        return 1.0 - a * a


class ReLU(Activation):
    """The rectified linear unit max(0, z); its derivative is 1 for z > 0 and 0 otherwise.

    At z = 0 ReLU has a kink; nnlib uses the subgradient 0 there.
    """

    name = "relu"
    has_kinks = True

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0.0)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z)
        return (z > 0).astype(z.dtype if np.issubdtype(z.dtype, np.floating) else float)

    def derivative_from_output(self, a: np.ndarray) -> np.ndarray:
        return (a > 0).astype(a.dtype)


class Identity(Activation):
    """The identity (linear) activation a = z, with derivative 1."""

    name = "identity"

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return np.asarray(z)  # z itself: nothing is computed

    def derivative_from_output(self, a: np.ndarray) -> np.ndarray:
        return np.ones_like(a)

    def backward(self, z: np.ndarray, grad: np.ndarray) -> np.ndarray:
        return grad


class Softmax(Activation):
    """Softmax over each row: a_k = e^(z_k) / Σ_j e^(z_j).

    It is not element-wise: its Jacobian is ∂a_k/∂z_j = a_k (1[k = j] − a_j), so it has
    :meth:`jacobian` and :meth:`backward` but no element-wise ``derivative``.
    """

    name = "softmax"
    elementwise = False

    def __call__(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z)
        if z.dtype.kind != "f":
            z = z.astype(float)
        e = np.exp(z - z.max(axis=-1, keepdims=True))  # largest power: e^0 = 1
        return e / e.sum(axis=-1, keepdims=True)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        raise TypeError("softmax is not element-wise: use jacobian(z) or backward(z, grad)")

    def derivative_from_output(self, a: np.ndarray) -> np.ndarray:
        raise TypeError("softmax is not element-wise: use jacobian(z) or backward(z, grad)")

    def jacobian(self, z: np.ndarray) -> np.ndarray:
        """Return the Jacobian ∂a/∂z for each row: shape (m, k, k), or (k, k) for 1-D z."""
        a = self(z)
        return a[..., :, None] * (np.eye(a.shape[-1]) - a[..., None, :])

    def backward(self, z: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """Vector–Jacobian product: (∂a/∂z)ᵀ grad = a ⊙ (grad − Σ_k grad_k a_k), row by row."""
        a = self(z)
        return a * (grad - np.sum(grad * a, axis=-1, keepdims=True))


sigmoid = Sigmoid()
tanh = Tanh()
relu = ReLU()
identity = Identity()
softmax = Softmax()

ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (sigmoid, tanh, relu, identity, softmax)
}
ACTIVATIONS["linear"] = identity


def get(name: str | Activation) -> Activation:
    """Return the activation called ``name`` (or ``name`` itself if it is an Activation).

    Parameters
    ----------
    name : str or Activation
        One of "sigmoid", "tanh", "relu", "identity" (alias "linear"), "softmax".

    Returns
    -------
    Activation

    Examples
    --------
    >>> from nnlib import activations
    >>> float(activations.get("sigmoid")(0.0))
    0.5
    """
    if isinstance(name, Activation):
        return name
    return choice(name, "activation", ACTIVATIONS)
