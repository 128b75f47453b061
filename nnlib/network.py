"""A fully connected feed-forward network trained by backpropagation.

Notation (the book's): the input is layer 0 and the output layer is L. For
layer l = 1, ..., L

    z^l = W^l a^(l−1) + b^l,     a^l = σ(z^l),

with W^l of shape (n_l, n_(l−1)). With m samples stacked as the rows of A, the
batched form is ``Z = A_prev @ W.T + b``. Python lists start at 0, so W^l is
``weights[l - 1]`` while ``zs[l]`` and ``activations[l]`` keep the book's index
(``zs[0]`` is unused, ``activations[0]`` is the input).

The backward pass computes δ^l = ∂C/∂z^l with the four equations

    BP1  δ^L = ∇_a C ⊙ σ′(z^L)
    BP2  δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ′(z^l)
    BP3  ∂C/∂b^l = δ^l
    BP4  ∂C/∂W^l = δ^l (a^(l−1))ᵀ
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnlib import activations as _activations
from nnlib import init as _init
from nnlib import losses as _losses
from nnlib import optim as _optim
from nnlib._validation import as_2d, as_rng, choice, positive_float, positive_int, same_rows
from nnlib.losses import one_hot_or_check

__all__ = ["Network", "Gradients", "History", "Snapshots", "DivergenceError"]

# Output/loss pairs whose output error simplifies to δ^L = (ŷ − y)/m.
CANONICAL_PAIRS = {("sigmoid", "bce"), ("softmax", "cross_entropy"), ("identity", "mse")}


class DivergenceError(FloatingPointError):
    """Raised by :meth:`Network.fit` when the loss becomes NaN or infinite.

    Attributes
    ----------
    epoch : int
        The (1-based) epoch in which the loss stopped being finite.
    history : History
        The losses of the epochs completed before it.
    """

    def __init__(self, message: str, epoch: int, history: History) -> None:
        super().__init__(message)
        self.epoch = epoch
        self.history = history


@dataclass
class Gradients:
    """∂C/∂W^l and ∂C/∂b^l for every layer: ``dW[l - 1]`` and ``db[l - 1]``."""

    dW: list[np.ndarray]
    db: list[np.ndarray]

    def __iter__(self):
        return iter((self.dW, self.db))

    def __repr__(self) -> str:
        shapes = ", ".join(f"dW{l + 1}{w.shape}" for l, w in enumerate(self.dW))
        return f"Gradients({shapes})"


@dataclass
class History:
    """What :meth:`Network.fit` records: one training loss per epoch.

    ``loss[e]`` is the average of the mini-batch losses seen during epoch e + 1,
    each computed before its update (with full batches: the loss at the start of
    the epoch). The L2 penalty, if any, is included.
    """

    loss: list[float] = field(default_factory=list)
    lr: float | None = None
    batch_size: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> np.ndarray:
        """Epoch numbers 1, 2, ..., len(loss)."""
        return np.arange(1, len(self.loss) + 1)

    @property
    def final_loss(self) -> float:
        """The last recorded loss."""
        if not self.loss:
            raise ValueError("the history is empty: no epoch has been run")
        return self.loss[-1]

    def __len__(self) -> int:
        return len(self.loss)

    def __repr__(self) -> str:
        if not self.loss:
            return "History(no epochs)"
        return f"History({len(self.loss)} epochs, loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g})"


class Snapshots:
    """A fit callback that keeps a copy of the network at chosen epochs.

    Parameters
    ----------
    at : iterable of int
        Epoch numbers (1-based) after which to take a copy. Epoch 0, the
        untrained network, is taken when ``fit`` starts if 0 is in ``at``.

    Attributes
    ----------
    networks : dict[int, Network]
        The copies, by epoch.
    """

    def __init__(self, at: Iterable[int]) -> None:
        if isinstance(at, str | bytes) or not isinstance(at, Iterable):
            raise TypeError(f"Snapshots needs an iterable of epochs (e.g. at=[0, 10, 100]), "
                            f"got {at!r}")
        at = list(at)
        for e in at:
            if isinstance(e, bool) or not isinstance(e, (int, np.integer)) or e < 0:
                raise ValueError(f"Snapshots epochs must be non-negative integers, got {e!r}")
        self.at = sorted(set(int(e) for e in at))
        self.networks: dict[int, Network] = {}

    def on_fit_start(self, net: Network) -> None:
        if 0 in self.at:
            self.networks[0] = net.copy()

    def __call__(self, epoch: int, net: Network, loss: float) -> None:
        if epoch in self.at:
            self.networks[epoch] = net.copy()

    def __repr__(self) -> str:
        return f"Snapshots(at={self.at}, taken={sorted(self.networks)})"


class _Buffers:
    """Arrays that :meth:`Network.fit` reuses at every step instead of allocating new ones.

    For batches of m samples, ``zs[l]``, ``activations[l]``, ``deltas[l]`` and
    ``sigma_primes[l]`` (l = 1, ..., L) have the shape (m, n_l) of Z^l, A^l, Δ^l and
    σ′(Z^l). ``NO_BUFFERS`` has None everywhere instead, so that every NumPy call it
    is passed to as ``out=`` allocates a new array.

    For batches of at least ``TALL`` samples the arrays are stored column by column
    (``order="F"``), the layout that the BLAS library behind ``@`` works in: on tall,
    thin arrays (10,000 × 64, say) a full-batch epoch then runs 10–20% faster. Small
    batches keep NumPy's row layout, which suits their rows sliced from the data.
    Element-wise operations give the same results in either layout.
    """

    TALL = 1024

    def __init__(self, sizes: Sequence[int] = (), m: int = 0, dtype: Any = np.float64) -> None:
        order = "F" if m >= self.TALL else "C"

        def arrays() -> list:
            return [None] + [np.empty((m, n), dtype=dtype, order=order) for n in sizes[1:]]

        if sizes:
            self.zs, self.activations, self.deltas, self.sigma_primes = (
                arrays(), arrays(), arrays(), arrays())
        else:
            self.zs = self.activations = self.deltas = self.sigma_primes = _AlwaysNone()


class _AlwaysNone:
    """A list of None of any length."""

    def __getitem__(self, index: int) -> None:
        return None


NO_BUFFERS = _Buffers()


def _matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Return ``a @ b`` (into ``out`` if given). When ``a`` has one column the product is
    an outer product, which NumPy's broadcasting multiplication computes faster, exactly."""
    if a.shape[1] == 1:
        return np.multiply(a, b, out=out)
    return np.matmul(a, b, out=out)


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
        rng: None | int | np.random.Generator = None,
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
        self._check_pairing(sizes[-1])
        self.l2 = positive_float(l2, "l2", allow_zero=True)
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise TypeError(f"dtype must be numpy.float32 or numpy.float64, got {dtype!r}") from None
        if self.dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        scheme = _init.get(init)
        self.init_name = getattr(scheme, "__name__", "custom") if not isinstance(init, str) else init
        self.rng = as_rng(rng)

        self.sizes = sizes
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            try:
                W = np.asarray(scheme(n_out, n_in, self.rng), dtype=self.dtype)
            except (TypeError, ValueError) as exc:
                raise TypeError(f"init must return an array of numbers of shape ({n_out}, {n_in}): "
                                f"{exc}") from exc
            if W.shape != (n_out, n_in):
                raise ValueError(f"init returned shape {W.shape} for a layer that needs ({n_out}, {n_in})")
            if not np.all(np.isfinite(W)):
                raise ValueError(f"init returned NaN or infinite weights for layer "
                                 f"{len(self.weights) + 1}; initial weights must be finite")
            self.weights.append(np.ascontiguousarray(W))
            self.biases.append(np.zeros(n_out, dtype=self.dtype))
        self.zs: list[np.ndarray | None] = []
        self.activations: list[np.ndarray] = []

    def _check_pairing(self, n_outputs: int) -> None:
        out, loss = self.output.name, self.loss_fn.name
        if out == "softmax" and n_outputs < 2:
            raise ValueError("output='softmax' needs at least 2 output units; use 'sigmoid' for one")
        if loss == "cross_entropy" and out != "softmax":
            raise ValueError(f"loss='cross_entropy' needs output='softmax', got output={out!r}")
        if loss == "bce" and out not in ("sigmoid", "softmax"):
            raise ValueError(f"loss='bce' needs outputs in [0, 1] (output='sigmoid'), got output={out!r}")

    # ----------------------------------------------------------------- shape
    @property
    def n_layers(self) -> int:
        """L, the number of weight layers (hidden layers + 1)."""
        return len(self.weights)

    @property
    def n_params(self) -> int:
        """P, the number of trainable numbers (weights and biases)."""
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases, strict=True))

    @property
    def fused(self) -> bool:
        """True when the output/loss pair is canonical, so that δ^L = (ŷ − y)/m."""
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

    # ------------------------------------------------------------ validation
    def _X(self, X: Any) -> np.ndarray:
        return as_2d(X, "X", self.sizes[0], dtype=self.dtype)

    def _Y(self, Y: Any, n_rows: int) -> np.ndarray:
        if self.loss_fn.name == "cross_entropy":
            Y = one_hot_or_check(Y, self.sizes[-1], "Y", dtype=self.dtype)
        else:
            Y = as_2d(Y, "Y", None, dtype=self.dtype)
            if Y.shape[1] != self.sizes[-1]:
                raise ValueError(f"Y has {Y.shape[1]} columns but the network has {self.sizes[-1]} output(s)")
            if self.loss_fn.name == "bce" and np.any((Y < 0) | (Y > 1)):
                raise ValueError(f"Y must lie in [0, 1] for loss='bce'; found values from "
                                 f"{Y.min():g} to {Y.max():g}")
        if Y.shape[0] != n_rows:
            raise ValueError(f"Y has {Y.shape[0]} samples (rows) but X has {n_rows}; they must match")
        return Y

    # --------------------------------------------------------------- forward
    def forward(self, X: Any) -> np.ndarray:
        """Run the forward pass and cache every z^l and a^l.

        Parameters
        ----------
        X : array-like, shape (m, n_inputs)

        Returns
        -------
        numpy.ndarray, shape (m, n_outputs)
            The output activations a^L = ŷ.
        """
        return self._forward(self._X(X))

    def _forward(self, X: np.ndarray, buffers: _Buffers = NO_BUFFERS) -> np.ndarray:
        # fit passes buffers to write z^l and a^l into; without them they are new arrays.
        self.zs = [None]
        self.activations = [X]
        a = X
        L = self.n_layers
        for l in range(1, L + 1):
            W, b = self.weights[l - 1], self.biases[l - 1]
            sigma = self.output if l == L else self.hidden
            z = np.matmul(a, W.T, out=buffers.zs[l])          # z^l = W^l a^(l−1) ...
            z += b                                            #       ... + b^l
            a = sigma(z, out=buffers.activations[l])          # a^l = σ(z^l)
            self.zs.append(z)
            self.activations.append(a)
        return a

    # -------------------------------------------------------------- backward
    def output_error(self, Y: Any, *, fused: bool | None = None) -> np.ndarray:
        """Return δ^L = ∂C/∂z^L for the cached forward pass (BP1).

        Parameters
        ----------
        Y : array-like, shape (m, n_outputs) (or labels for cross_entropy)
        fused : bool, optional
            Use δ^L = (ŷ − y)/m for a canonical output/loss pair (the default when
            the pair is canonical), or the general BP1 ∇_a C ⊙ σ′(z^L) when False.
        """
        self._require_forward()
        Y = self._Y(Y, self.activations[0].shape[0])
        return self._output_error(Y, self._resolve_fused(fused))

    def _output_error(self, Y: np.ndarray, fused: bool) -> np.ndarray:
        y_hat, zL = self.activations[-1], self.zs[-1]
        if fused:
            if not self.fused:
                raise ValueError(f"fused=True needs a canonical output/loss pair {sorted(CANONICAL_PAIRS)}")
            return (y_hat - Y) / Y.shape[0]                                  # BP1, fused: (ŷ − y)/m
        grad_a = self.loss_fn.grad(y_hat, Y)                                 # ∇_a C
        if self.output.elementwise:
            return grad_a * self.output.derivative_from_output(y_hat)        # BP1: ∇_a C ⊙ σ′(z^L)
        return self.output.backward(zL, grad_a)                              # BP1 for softmax

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
        self._require_forward()
        Y = self._Y(Y, self.activations[0].shape[0])
        return self._backward(Y, self._resolve_fused(fused))

    def _backward(self, Y: np.ndarray, fused: bool, buffers: _Buffers = NO_BUFFERS) -> Gradients:
        # fit passes buffers to write δ^l and σ′(z^l) into; without them they are new arrays.
        L = self.n_layers
        dW: list[np.ndarray] = [None] * L  # type: ignore[list-item]
        db: list[np.ndarray] = [None] * L  # type: ignore[list-item]
        delta = self._output_error(Y, fused)                                 # BP1: δ^L
        for l in range(L, 0, -1):
            db[l - 1] = delta.sum(axis=0)                                    # BP3: ∂C/∂b^l = δ^l
            dW[l - 1] = delta.T @ self.activations[l - 1]                    # BP4: ∂C/∂W^l = δ^l (a^(l−1))ᵀ
            if self.l2:
                dW[l - 1] += self.l2 * self.weights[l - 1]                   # L2: + λ W^l
            if l > 1:
                sigma_prime = self.hidden.derivative_from_output(
                    self.activations[l - 1], out=buffers.sigma_primes[l - 1])  # σ′ from a^(l−1)
                back = _matmul(delta, self.weights[l - 1], out=buffers.deltas[l - 1])  # (W^l)ᵀ δ^l
                delta = np.multiply(back, sigma_prime, out=back)             # BP2: δ^(l−1)
        return Gradients(dW, db)

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

    def _require_forward(self) -> None:
        if not self.activations:
            raise ValueError("no cached forward pass: call forward(X) before backward(Y)")

    # ----------------------------------------------------------- conveniences
    def gradients(self, X: Any, Y: Any, *, fused: bool | None = None) -> Gradients:
        """Forward then backward on (X, Y); returns :class:`Gradients`."""
        X = self._X(X)
        Y = self._Y(Y, X.shape[0])
        self._forward(X)
        return self._backward(Y, self._resolve_fused(fused))

    def loss(self, X: Any, Y: Any) -> float:
        """Return the loss C on (X, Y), including the L2 penalty (λ/2) Σ ‖W^l‖²."""
        X = self._X(X)
        Y = self._Y(Y, X.shape[0])
        return self._loss(self._forward(X), Y)

    def _loss(self, y_hat: np.ndarray, Y: np.ndarray) -> float:
        value = self.loss_fn.value(y_hat, Y)
        if self.l2:
            value += 0.5 * self.l2 * sum(float(np.vdot(W, W)) for W in self.weights)
        return value

    def predict(self, X: Any) -> np.ndarray:
        """Predict for the rows of X.

        Returns 0/1 labels (shape (m, n_outputs)) for a sigmoid output with BCE,
        class indices (shape (m,)) for a softmax output, and raw outputs otherwise.
        """
        y_hat = self.forward(X)
        if self.output.name == "softmax":
            return np.argmax(y_hat, axis=1)
        if self.output.name == "sigmoid" and self.loss_fn.name == "bce":
            return (y_hat >= 0.5).astype(int)
        return y_hat

    def accuracy(self, X: Any, y: Any) -> float:
        """Fraction of correctly classified rows.

        A single sigmoid-like output is thresholded at 0.5 (whatever the loss); several
        outputs are read by argmax. ``y`` holds 0/1 labels, class indices or one-hot rows.
        """
        y_hat = self.forward(X)
        y = np.asarray(y)
        if y_hat.shape[1] == 1:
            labels = as_2d(y, "y", 1)
            same_rows(y_hat, labels, "X", "y")
            return float(np.mean((y_hat >= 0.5) == (labels >= 0.5)))
        target = one_hot_or_check(y, y_hat.shape[1], "y")
        same_rows(y_hat, target, "X", "y")
        return float(np.mean(np.argmax(y_hat, axis=1) == np.argmax(target, axis=1)))

    def parameters(self) -> list[np.ndarray]:
        """The live parameter arrays in the order W^1, b^1, W^2, b^2, ..."""
        return [p for W, b in zip(self.weights, self.biases, strict=True) for p in (W, b)]

    # ------------------------------------------------------------------- fit
    def fit(
        self,
        X: Any,
        Y: Any,
        epochs: int,
        lr: float | None = None,
        batch_size: int | None = None,
        optimizer: str | _optim.Optimizer | None = None,
        rng: None | int | np.random.Generator = None,
        callbacks: Sequence[Callable[[int, Network, float], Any]] = (),
        progress: bool = False,
    ) -> History:
        """Train by mini-batch gradient descent.

        Each epoch shuffles the samples (with ``rng``), splits them into batches
        of ``batch_size`` and, for each batch, runs forward, backward and one
        optimiser step. The two passes write into work arrays made once per call,
        so during training ``zs`` and ``activations`` are overwritten at every step:
        a callback that wants to keep them must copy them.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_inputs)
        Y : array-like, shape (n_samples, n_outputs), or (n_samples,)
            1-D targets are read as one column, or as class labels for cross_entropy.
        epochs : int
            Number of passes over the data, > 0.
        lr : float, optional
            Learning rate η > 0. Required unless ``optimizer`` is an Optimizer.
        batch_size : int, optional
            Samples per step; None (default) means the full batch. Values larger
            than n_samples mean the full batch too.
        optimizer : {"sgd", "momentum"} or Optimizer, optional
            Default "sgd". An Optimizer instance brings its own learning rate.
        rng : None, int or numpy.random.Generator, optional
            Source of the shuffling; by default the network's own generator.
        callbacks : sequence of callables
            Each is called as ``callback(epoch, network, loss)`` after every epoch
            (epochs count from 1); one that returns True stops training.
        progress : bool, default False
            Show a tqdm progress bar (needs the tqdm package).

        Returns
        -------
        History

        Raises
        ------
        DivergenceError
            If the loss becomes NaN or infinite; the message names the epoch.
        """
        X = self._X(X)
        Y = self._Y(Y, X.shape[0])
        epochs = positive_int(epochs, "epochs")
        n = X.shape[0]
        batch_size = positive_int(batch_size, "batch_size", allow_none=True)
        batch_size = n if batch_size is None else min(batch_size, n)
        if isinstance(optimizer, _optim.Optimizer):
            if lr is not None:
                raise ValueError("pass the learning rate either as lr or inside the optimizer, not both")
            opt = optimizer
        else:
            if lr is None:
                raise TypeError("fit needs a learning rate: fit(X, Y, epochs, lr=...)")
            opt = _optim.get("sgd" if optimizer is None else optimizer, positive_float(lr, "lr"))
        shuffle_rng = self.rng if rng is None else as_rng(rng)
        if callbacks is None:
            callbacks = ()
        if callable(callbacks) or isinstance(callbacks, str | bytes):
            raise TypeError("callbacks must be a sequence of callables; wrap a single one "
                            "in a list: callbacks=[cb]")
        try:
            callbacks = tuple(callbacks)
        except TypeError:
            raise TypeError("callbacks must be a sequence of callables, "
                            f"got {type(callbacks).__name__}") from None
        for i, cb in enumerate(callbacks):
            if not callable(cb):
                raise TypeError(f"callbacks[{i}] must be callable, got {type(cb).__name__}")
        if not isinstance(progress, bool | np.bool_):
            raise TypeError(f"progress must be True or False, got {progress!r}")
        bar = _progress_bar(epochs) if progress else None

        history = History(lr=opt.lr, batch_size=batch_size)
        for cb in callbacks:
            if hasattr(cb, "on_fit_start"):
                cb.on_fit_start(self)
        params = self.parameters()
        full_batch = batch_size == n
        fused = self.fused
        # Work arrays for the forward and backward passes, one set per batch size (the last
        # batch may be smaller), written over at every step instead of allocated anew.
        batch_sizes = {batch_size, n % batch_size} - {0}
        buffers = {m: _Buffers(self.sizes, m, self.dtype) for m in batch_sizes}
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(1, epochs + 1):
                if full_batch:
                    Xs, Ys = X, Y
                else:  # shuffle once per epoch: the batches are then slices of Xs and Ys
                    order = shuffle_rng.permutation(n)
                    Xs, Ys = X[order], Y[order]
                total = 0.0
                for start in range(0, n, batch_size):
                    Xb, Yb = Xs[start:start + batch_size], Ys[start:start + batch_size]
                    work = buffers[Xb.shape[0]]
                    y_hat = self._forward(Xb, work)
                    batch_loss = self._loss(y_hat, Yb)       # before the update: no extra pass
                    if not math.isfinite(batch_loss):
                        if bar is not None:
                            bar.close()
                        raise DivergenceError(
                            f"the loss became {batch_loss} in epoch {epoch} (lr={opt.lr:g}): training "
                            f"stopped. The steps overshoot; try a smaller learning rate, e.g. lr={opt.lr / 10:g}.",
                            epoch, history)
                    total += batch_loss * Xb.shape[0]
                    grads = self._backward(Yb, fused, work)
                    opt.step(params, [g for pair in zip(grads.dW, grads.db, strict=True) for g in pair])
                epoch_loss = total / n
                history.loss.append(epoch_loss)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{epoch_loss:.4g}")
                if any([cb(epoch, self, epoch_loss) is True for cb in callbacks]):
                    history.stopped_early = True
                    break
        if bar is not None:
            bar.close()
        return history


def _activation(value: Any, argument: str) -> _activations.Activation:
    """Look up the activation for ``hidden`` or ``output``, naming that argument on failure."""
    if isinstance(value, _activations.Activation):
        return value
    return choice(value, f"{argument} activation", _activations.ACTIVATIONS)


def _progress_bar(total: int):
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("progress=True needs the tqdm package: pip install tqdm") from None
    return tqdm(total=total, unit="epoch")
