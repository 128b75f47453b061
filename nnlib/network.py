"""A fully connected feed-forward network trained by backpropagation.

Notation (the book's): the input is layer 0 and the output layer is L, and
W^l has shape (n_l, n_(l−1)). The network works on a batch of m samples stacked
as the rows of a matrix, A^0 = X of shape (m, n_0). For l = 1, ..., L

    Z^l = A^(l−1) (W^l)ᵀ + b^l,     A^l = σ(Z^l),

with b^l added to every row. Python lists start at 0, so W^l is ``weights[l - 1]``
while ``zs[l]`` and ``activations[l]`` keep the book's index (``zs[0]`` is None,
``activations[0]`` is the input).

The backward pass computes Δ^l = ∂C/∂Z^l, an (m, n_l) matrix whose row i is
sample i's error δ^l divided by m (C is the average cost), with the four
equations in their batched form

    BP1  Δ^L = ∇_{A^L} C ⊙ σ′(Z^L)          (fused pairs: Δ^L = (Ŷ − Y)/m)
    BP2  Δ^l = (Δ^(l+1) W^(l+1)) ⊙ σ′(Z^l)
    BP3  ∂C/∂b^l = the column sums of Δ^l
    BP4  ∂C/∂W^l = (Δ^l)ᵀ A^(l−1)

Training lives in :mod:`nnlib.training`; :meth:`Network.fit` calls it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnlib import activations as _activations
from nnlib import init as _init
from nnlib import losses as _losses
from nnlib import training as _training
from nnlib._validation import RngLike, as_2d, as_rng, choice, non_negative_float, positive_int, same_rows
from nnlib.losses import one_hot_or_check
from nnlib.training import DivergenceError, History, Snapshots  # noqa: F401 - re-exported

# History, Snapshots and DivergenceError are defined in nnlib.training and imported from here too.
__all__ = ["Network", "Gradients"]

# Output/loss pairs whose output error simplifies to Δ^L = (Ŷ − Y)/m.
CANONICAL_PAIRS = {("sigmoid", "bce"), ("softmax", "cross_entropy"), ("identity", "mse")}


@dataclass
class Gradients:
    """∂C/∂W^l and ∂C/∂b^l for every layer: ``dW[l - 1]`` and ``db[l - 1]``."""

    dW: list[np.ndarray]
    db: list[np.ndarray]

    def __iter__(self):
        return iter((self.dW, self.db))

    def flat(self) -> list[np.ndarray]:
        """The gradients in the order of :meth:`Network.parameters`: ∂C/∂W^1, ∂C/∂b^1, ∂C/∂W^2, ...

        Examples
        --------
        >>> import numpy as np
        >>> g = Gradients([np.ones((2, 3))], [np.zeros(2)])
        >>> [a.shape for a in g.flat()]
        [(2, 3), (2,)]
        """
        return _interleave(self.dW, self.db)

    def __repr__(self) -> str:
        shapes = ", ".join(f"dW{l + 1}{w.shape}" for l, w in enumerate(self.dW))
        return f"Gradients({shapes})"


def _interleave(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> list[np.ndarray]:
    """[W^1, b^1, W^2, b^2, ...] from the lists [W^1, W^2, ...] and [b^1, b^2, ...]."""
    return [p for W, b in zip(weights, biases, strict=True) for p in (W, b)]


class Network:
    """A feed-forward network of fully connected layers.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first: ``[2, 4, 1]`` is 2 inputs, 4 hidden units, 1 output.
    hidden : str or Activation, default "sigmoid"
        Activation of every hidden layer: "sigmoid", "tanh", "relu" or "identity".
    output : str or Activation, default "sigmoid"
        Activation of the output layer: also "softmax" (needs at least 2 outputs).
    loss : str or Loss, default "mse"
        "mse" (quadratic cost with ½), "bce" (needs a sigmoid or softmax output) or
        "cross_entropy" (needs a softmax output).
    init : str or callable, default "xavier"
        Weight scheme from :mod:`nnlib.init`, or a callable ``(n_out, n_in, rng) -> W``.
    rng : None, int or numpy.random.Generator
        Source of the initial weights and, by default, of the shuffling in ``fit``.
    l2 : float, default 0.0
        L2 penalty λ: the loss gains (λ/2) Σ_l ‖W^l‖² and ∂C/∂W^l gains λ W^l.
    dtype : {numpy.float64, numpy.float32}, default float64
        Floating-point type of the parameters and the computation.

    Attributes
    ----------
    weights, biases : list of numpy.ndarray
        The live parameters: ``weights[l - 1]`` is W^l of shape (n_l, n_(l−1)) and
        ``biases[l - 1]`` is b^l of shape (n_l,). Changing an element in place
        changes the network (gradient checking relies on it).
    zs, activations : list of numpy.ndarray
        Cached by :meth:`forward`: ``zs[l]`` = Z^l and ``activations[l]`` = A^l, one
        row per sample; ``activations[0]`` is the input and ``zs[0]`` is None.

    Examples
    --------
    >>> import numpy as np
    >>> from nnlib import Network
    >>> net = Network([2, 3, 1], rng=0)
    >>> net.forward(np.zeros((4, 2))).shape
    (4, 1)
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        hidden: str | _activations.Activation = "sigmoid",
        output: str | _activations.Activation = "sigmoid",
        loss: str | _losses.Loss = "mse",
        init: str | _init.Scheme = "xavier",
        rng: RngLike = None,
        l2: float = 0.0,
        dtype: Any = np.float64,
    ) -> None:
        if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence | np.ndarray):
            raise TypeError(f"layer_sizes must be a sequence of positive integers, got {layer_sizes!r}")
        if len(layer_sizes) < 2:
            raise ValueError(f"layer_sizes needs at least 2 entries (inputs and outputs), got {list(layer_sizes)}")
        sizes = [positive_int(n, f"layer_sizes[{i}]") for i, n in enumerate(layer_sizes)]
        self.hidden = _activation(hidden, "hidden")
        self.output = _activation(output, "output")
        if self.hidden.name == "softmax":
            raise ValueError("hidden='softmax' is not supported: softmax is an output activation")
        self.loss_fn = _losses.get(loss)
        _check_pairing(self.output.name, self.loss_fn.name, sizes[-1])
        self.l2 = non_negative_float(l2, "l2")
        self.dtype = _float_dtype(dtype)
        scheme = _init.get(init)
        self.init_name = getattr(scheme, "__name__", "custom") if not isinstance(init, str) else init
        self.rng = as_rng(rng)
        self.sizes = sizes
        self.weights = [_initial_weights(scheme, n_out, n_in, self.rng, self.dtype, l)
                        for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), 1)]
        self.biases = [np.zeros(n_out, dtype=self.dtype) for n_out in sizes[1:]]
        self.zs: list[np.ndarray | None] = []
        self.activations: list[np.ndarray] = []

    @property
    def n_layers(self) -> int:
        """L, the number of weight layers (hidden layers + 1)."""
        return len(self.weights)

    @property
    def n_params(self) -> int:
        """P, the number of trainable numbers (weights and biases)."""
        return sum(p.size for p in self.parameters())

    @property
    def fused(self) -> bool:
        """True when the output/loss pair is canonical, so that Δ^L = (Ŷ − Y)/m."""
        return (self.output.name, self.loss_fn.name) in CANONICAL_PAIRS

    def __repr__(self) -> str:
        arch = "-".join(str(n) for n in self.sizes)
        return (f"Network({arch}, hidden={self.hidden.name}, output={self.output.name}, "
                f"loss={self.loss_fn.name}, P={self.n_params}"
                + (f", l2={self.l2:g}" if self.l2 else "")
                + (", float32" if self.dtype == np.float32 else "") + ")")

    def copy(self) -> Network:
        """Return an independent deep copy (parameters, settings and random state)."""
        return copy.deepcopy(self)

    def parameters(self) -> list[np.ndarray]:
        """The live parameter arrays in the order W^1, b^1, W^2, b^2, ..."""
        return _interleave(self.weights, self.biases)

    # ---------------------------------------- the teaching form (chapter 5)
    def _forward(self, X: np.ndarray) -> np.ndarray:
        """The forward pass on a checked batch X of shape (m, n_0); caches Z^l and A^l."""
        self.zs, self.activations = [None], [X]                  # A^0 = X
        for l in range(1, self.n_layers + 1):
            W, b = self.weights[l - 1], self.biases[l - 1]
            sigma = self.output if l == self.n_layers else self.hidden
            Z = self.activations[l - 1] @ W.T + b                 # Z^l = A^(l−1) (W^l)ᵀ + b^l
            self.zs.append(Z)
            self.activations.append(sigma(Z))                     # A^l = σ(Z^l)
        return self.activations[-1]

    def _output_error(self, Y: np.ndarray, fused: bool) -> np.ndarray:
        """BP1 for the cached forward pass and checked targets Y of shape (m, n_L)."""
        Y_hat, Z = self.activations[-1], self.zs[-1]
        if fused:                                                 # a canonical output/loss pair
            return (Y_hat - Y) / Y.shape[0]                       # BP1, fused: Δ^L = (Ŷ − Y)/m
        grad_A = self.loss_fn.grad(Y_hat, Y)                      # ∇_{A^L} C, with its 1/m
        if self.output.elementwise:                               # σ′(Z^L) from A^L = Ŷ
            return grad_A * self.output.derivative_from_output(Y_hat)  # BP1: Δ^L = ∇_{A^L} C ⊙ σ′(Z^L)
        return self.output.backward(Z, grad_A)                    # BP1 for softmax, row i: J_iᵀ (∇_{A^L} C)_i

    def _backward(self, Y: np.ndarray, fused: bool) -> Gradients:
        """BP1–BP4 for the cached forward pass: ∂C/∂W^l and ∂C/∂b^l for l = L, ..., 1."""
        L, W, A = self.n_layers, self.weights, self.activations  # W[l - 1] is W^l, A[l] is A^l
        sigma_prime = self.hidden.derivative_from_output          # σ′(Z^l) from A^l = σ(Z^l)
        dW, db = [None] * L, [None] * L                           # dW[l - 1] = ∂C/∂W^l, db[l - 1] = ∂C/∂b^l
        Delta = self._output_error(Y, fused)                      # BP1: Δ^L
        for l in range(L, 0, -1):                                 # Delta holds Δ^l
            if l < L:
                Delta = (Delta @ W[l]) * sigma_prime(A[l])        # BP2: Δ^l = (Δ^(l+1) W^(l+1)) ⊙ σ′(Z^l)
            db[l - 1] = Delta.sum(axis=0)                         # BP3: ∂C/∂b^l = column sums of Δ^l
            dW[l - 1] = Delta.T @ A[l - 1]                        # BP4: ∂C/∂W^l = (Δ^l)ᵀ A^(l−1)
            if self.l2:
                dW[l - 1] += self.l2 * W[l - 1]                   # L2 penalty: + λ W^l
        return Gradients(dW, db)

    def _loss(self, Y_hat: np.ndarray, Y: np.ndarray) -> float:
        """C for the output Ŷ of a forward pass, with the L2 penalty (λ/2) Σ_l ‖W^l‖²."""
        value = self.loss_fn.value(Y_hat, Y)
        if self.l2:
            value += 0.5 * self.l2 * sum(float(np.vdot(W, W)) for W in self.weights)
        return value

    # ------------------------------------ the public API: checks, then the above
    def forward(self, X: Any) -> np.ndarray:
        """Run the forward pass and cache every Z^l and A^l.

        Parameters
        ----------
        X : array-like, shape (m, n_inputs)

        Returns
        -------
        numpy.ndarray, shape (m, n_outputs)
            The output activations A^L = Ŷ.
        """
        return self._forward(self._as_inputs(X))

    def output_error(self, Y: Any, *, fused: bool | None = None) -> np.ndarray:
        """Return Δ^L = ∂C/∂Z^L for the cached forward pass (BP1).

        Parameters
        ----------
        Y : array-like, shape (m, n_outputs) (or labels for cross_entropy)
        fused : bool, optional
            Use Δ^L = (Ŷ − Y)/m for a canonical output/loss pair (the default when
            the pair is canonical), or the general BP1 ∇_{A^L} C ⊙ σ′(Z^L) when False.
        """
        return self._output_error(self._cached_targets(Y), self._resolve_fused(fused))

    def backward(self, Y: Any, *, fused: bool | None = None) -> Gradients:
        """Backpropagate from the cached forward pass and return the gradients.

        Parameters
        ----------
        Y : array-like
            Targets for the batch given to the last :meth:`forward` call.
        fused : bool, optional
            See :meth:`output_error`.

        Returns
        -------
        Gradients
            ``dW[l - 1]`` = ∂C/∂W^l and ``db[l - 1]`` = ∂C/∂b^l, C including the L2 penalty.
        """
        return self._backward(self._cached_targets(Y), self._resolve_fused(fused))

    def gradients(self, X: Any, Y: Any, *, fused: bool | None = None) -> Gradients:
        """Forward then backward on (X, Y); returns :class:`Gradients`."""
        X = self._as_inputs(X)
        Y = self._as_targets(Y, X.shape[0])
        fused = self._resolve_fused(fused)
        self._forward(X)
        return self._backward(Y, fused)

    def loss(self, X: Any, Y: Any) -> float:
        """Return the loss C on (X, Y), including the L2 penalty (λ/2) Σ ‖W^l‖²."""
        X = self._as_inputs(X)
        Y = self._as_targets(Y, X.shape[0])  # both checked before the forward pass changes the cache
        return self._loss(self._forward(X), Y)

    def predict(self, X: Any) -> np.ndarray:
        """Predict for the rows of X.

        Returns 0/1 labels (shape (m, n_outputs)) for a sigmoid output with BCE,
        class indices (shape (m,)) for a softmax output, and raw outputs otherwise.
        """
        Y_hat = self.forward(X)
        if self.output.name == "softmax":
            return np.argmax(Y_hat, axis=1)
        if self.output.name == "sigmoid" and self.loss_fn.name == "bce":
            return (Y_hat >= 0.5).astype(int)
        return Y_hat

    def accuracy(self, X: Any, y: Any) -> float:
        """Fraction of correctly classified rows.

        A single sigmoid-like output is thresholded at 0.5 (whatever the loss); several
        outputs are read by argmax. ``y`` holds 0/1 labels, class indices or one-hot rows.
        """
        X = self._as_inputs(X)  # X and y are checked before the forward pass changes the cache
        if self.sizes[-1] == 1:
            labels = as_2d(y, "y", 1)
            same_rows(X, labels, "X", "y")
            return float(np.mean((self._forward(X) >= 0.5) == (labels >= 0.5)))
        target = one_hot_or_check(y, self.sizes[-1], "y")
        same_rows(X, target, "X", "y")
        return float(np.mean(np.argmax(self._forward(X), axis=1) == np.argmax(target, axis=1)))

    # Training is a function of its own module; as a method, net.fit(X, Y, ...) is fit(net, X, Y, ...).
    fit = _training.fit

    # ------------------------------------------------------ argument checks
    def _as_inputs(self, X: Any) -> np.ndarray:
        """X as a checked (m, n_0) array of the network's dtype."""
        return as_2d(X, "X", self.sizes[0], dtype=self.dtype)

    def _as_targets(self, Y: Any, n_rows: int) -> np.ndarray:
        """Y as a checked (n_rows, n_L) array of the network's dtype (labels one-hot encoded)."""
        return _checked_targets(Y, n_rows, self.sizes[-1], self.loss_fn.name, self.dtype)

    def _cached_targets(self, Y: Any) -> np.ndarray:
        """Y checked against the batch of the cached forward pass."""
        if not self.activations:
            raise ValueError("no cached forward pass: call forward(X) before backward(Y)")
        return self._as_targets(Y, self.activations[0].shape[0])

    def _resolve_fused(self, fused: bool | None) -> bool:
        """The ``fused`` argument: None means "fused when the pair is canonical"."""
        if fused is None:
            return self.fused
        if not isinstance(fused, bool | np.bool_):
            raise TypeError(f"fused must be None, True or False, got {fused!r}")
        if fused and not self.fused:
            raise ValueError(f"fused=True needs a canonical output/loss pair {sorted(CANONICAL_PAIRS)}, "
                             f"got ({self.output.name!r}, {self.loss_fn.name!r})")
        return bool(fused)


def _activation(value: Any, argument: str) -> _activations.Activation:
    """Look up the activation for ``hidden`` or ``output``, naming that argument on failure."""
    if isinstance(value, _activations.Activation):
        return value
    return choice(value, f"{argument} activation", _activations.ACTIVATIONS)


def _check_pairing(output: str, loss: str, n_outputs: int) -> None:
    """Refuse an output activation and a loss that do not go together."""
    if output == "softmax" and n_outputs < 2:
        raise ValueError("output='softmax' needs at least 2 output units; use 'sigmoid' for one")
    if loss == "cross_entropy" and output != "softmax":
        raise ValueError(f"loss='cross_entropy' needs output='softmax', got output={output!r}")
    if loss == "bce" and output not in ("sigmoid", "softmax"):
        raise ValueError(f"loss='bce' needs outputs in [0, 1] (output='sigmoid'), got output={output!r}")


def _checked_targets(Y: Any, n_rows: int, n_outputs: int, loss: str, dtype: np.dtype) -> np.ndarray:
    """Y as an (n_rows, n_outputs) array for ``loss``, or a ValueError/TypeError naming Y."""
    if loss == "cross_entropy":
        Y = one_hot_or_check(Y, n_outputs, "Y", dtype=dtype)
    else:
        Y = as_2d(Y, "Y", None, dtype=dtype)
        if Y.shape[1] != n_outputs:
            raise ValueError(f"Y has {Y.shape[1]} columns but the network has {n_outputs} output(s)")
        if loss == "bce" and np.any((Y < 0) | (Y > 1)):
            raise ValueError(f"Y must lie in [0, 1] for loss='bce'; found values from "
                             f"{Y.min():g} to {Y.max():g}")
    if Y.shape[0] != n_rows:
        raise ValueError(f"Y has {Y.shape[0]} samples (rows) but X has {n_rows}; they must match")
    return Y


def _float_dtype(dtype: Any) -> np.dtype:
    """``dtype`` as numpy.float32 or numpy.float64, or a TypeError/ValueError naming it."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be numpy.float32 or numpy.float64, got {dtype!r}") from None
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def _initial_weights(scheme: _init.Scheme, n_out: int, n_in: int, rng: np.random.Generator,
                     dtype: np.dtype, layer: int) -> np.ndarray:
    """W^layer drawn by ``scheme``, checked: shape (n_out, n_in), finite, C-contiguous."""
    try:
        W = np.asarray(scheme(n_out, n_in, rng), dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"init must return an array of numbers of shape ({n_out}, {n_in}): "
                        f"{exc}") from exc
    if W.shape != (n_out, n_in):
        raise ValueError(f"init returned shape {W.shape} for a layer that needs ({n_out}, {n_in})")
    if not np.all(np.isfinite(W)):
        raise ValueError(f"init returned NaN or infinite weights for layer {layer}; "
                         "initial weights must be finite")
    return np.ascontiguousarray(W)
