"""Training a :class:`~nnlib.network.Network` by mini-batch gradient descent.

:func:`fit` checks its arguments and hands them to :func:`train`, the loop
itself: every epoch shuffles the samples once, cuts them into batches and, for
each batch, runs the network's forward pass, takes the loss from that pass,
runs the backward pass (BP1–BP4) and lets the optimiser step. It calls the
very ``_forward`` and ``_backward`` that chapter 5 displays.
:class:`History` records one loss per epoch; :class:`Snapshots` keeps copies
of the network; :class:`DivergenceError` stops a run whose loss stops being finite.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from nnlib import optim as _optim
from nnlib._validation import RngLike, as_rng, positive_float, positive_int

if TYPE_CHECKING:  # the network imports this module, not the other way round
    from nnlib.network import Network

__all__ = ["fit", "train", "History", "Snapshots", "DivergenceError", "Callback"]

Callback = Callable[[int, "Network", float], Any]


@dataclass
class History:
    """What :meth:`~nnlib.network.Network.fit` records: one training loss per epoch.

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


class DivergenceError(FloatingPointError):
    """Raised by :meth:`~nnlib.network.Network.fit` when the loss becomes NaN or infinite.

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
        """Copy the untrained network if epoch 0 was asked for."""
        if 0 in self.at:
            self.networks[0] = net.copy()

    def __call__(self, epoch: int, net: Network, loss: float) -> None:
        if epoch in self.at:
            self.networks[epoch] = net.copy()

    def __repr__(self) -> str:
        return f"Snapshots(at={self.at}, taken={sorted(self.networks)})"


def fit(
    net: Network,
    X: Any,
    Y: Any,
    epochs: int,
    lr: float | None = None,
    batch_size: int | None = None,
    optimizer: str | _optim.Optimizer | None = None,
    rng: RngLike = None,
    callbacks: Sequence[Callback] = (),
    progress: bool = False,
) -> History:
    """Train ``net`` by mini-batch gradient descent; ``net.fit(X, Y, ...)`` calls it.

    Each epoch shuffles the samples (with ``rng``), splits them into batches
    of ``batch_size`` and, for each batch, runs forward, backward and one
    optimiser step. During training ``zs`` and ``activations`` hold the last
    batch's forward pass.

    Every argument is checked before the network changes; then
    :func:`nnlib.training.train` runs the loop.

    Parameters
    ----------
    net : Network
        The network to train, in place.
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
    X = net._as_inputs(X)
    Y = net._as_targets(Y, X.shape[0])
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
    shuffle_rng = net.rng if rng is None else as_rng(rng)
    callbacks = _as_callbacks(callbacks)
    if not isinstance(progress, bool | np.bool_):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    bar = _progress_bar(epochs) if progress else None
    try:
        return train(net, X, Y, epochs, opt, batch_size, shuffle_rng, callbacks, bar)
    finally:
        if bar is not None:
            bar.close()


def train(net: Network, X: np.ndarray, Y: np.ndarray, epochs: int, optimizer: _optim.Optimizer,
          batch_size: int, rng: np.random.Generator, callbacks: Sequence[Callback] = (),
          bar: Any = None) -> History:
    """The training loop, on arguments that :func:`fit` has checked.

    Parameters
    ----------
    net : Network
        Trained in place, through its ``_forward``, ``_loss`` and ``_backward``.
    X, Y : numpy.ndarray
        The checked data: shapes (n, n_0) and (n, n_L), the network's dtype.
    epochs : int
        Passes over the data.
    optimizer : Optimizer
        Updates ``net.parameters()`` from ``Gradients.flat()``.
    batch_size : int
        Samples per step, at most n; n means full batches (no shuffling).
    rng : numpy.random.Generator
        Draws one permutation per epoch.
    callbacks : sequence of callables, optional
        Called as ``callback(epoch, net, loss)`` after every epoch; True stops training.
    bar : tqdm progress bar, optional
        Advanced once per epoch.

    Returns
    -------
    History

    Raises
    ------
    DivergenceError
        If a batch loss is NaN or infinite.
    """
    n = X.shape[0]
    history = History(lr=optimizer.lr, batch_size=batch_size)
    for cb in callbacks:
        if hasattr(cb, "on_fit_start"):
            cb.on_fit_start(net)
    params, fused = net.parameters(), net.fused
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            if batch_size == n:
                Xs, Ys = X, Y
            else:  # one shuffle per epoch: the batches are then slices of Xs and Ys
                order = rng.permutation(n)
                Xs, Ys = X[order], Y[order]
            total = 0.0
            for start in range(0, n, batch_size):
                Xb, Yb = Xs[start:start + batch_size], Ys[start:start + batch_size]
                Y_hat = net._forward(Xb)                       # caches Z^l and A^l
                batch_loss = net._loss(Y_hat, Yb)              # from the forward pass just run
                if not math.isfinite(batch_loss):
                    raise DivergenceError(
                        f"the loss became {batch_loss} in epoch {epoch} (lr={optimizer.lr:g}): "
                        f"training stopped. The steps overshoot; try a smaller learning rate, "
                        f"e.g. lr={optimizer.lr / 10:g}.", epoch, history)
                total += batch_loss * Xb.shape[0]
                grads = net._backward(Yb, fused)               # BP1–BP4
                optimizer.step(params, grads.flat())           # W^1, b^1, W^2, b^2, ...
            history.loss.append(total / n)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{total / n:.4g}")
            # a list, not a generator: every callback runs, even after one has said stop
            if any([cb(epoch, net, total / n) is True for cb in callbacks]):
                history.stopped_early = True
                break
    return history


def _as_callbacks(callbacks: Any) -> tuple[Callback, ...]:
    """Return ``callbacks`` as a tuple of callables, or say what is wrong with it."""
    if callbacks is None:
        return ()
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
    return callbacks


def _progress_bar(total: int) -> Any:
    """A tqdm progress bar over ``total`` epochs."""
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("progress=True needs the tqdm package: pip install tqdm") from None
    return tqdm(total=total, unit="epoch")
