"""Experiments over several seeds: one training recipe, many networks, one loop.

A claim drawn from training ("a linear output reaches a lower loss", "width
pays") rests on several random starts. Training ten small networks one after
the other costs ten Python loops of tiny matrix products;
:func:`fit_side_by_side` trains them in one loop instead, as the blocks of one
wide network, and leaves each network where a separate call of
:meth:`Network.fit <nnlib.network.Network.fit>` would have taken it, to
rounding error.

How it works: the wide network has, in layer l, the weight matrix whose
diagonal blocks are the networks' W^l (zeros elsewhere) and the concatenated
biases. Its inputs are the networks' inputs side by side, and its targets
their targets side by side. With a cost that adds up over the output units
(the quadratic cost, or the binary cross-entropy of sigmoid outputs), the
wide cost is the sum of the networks' costs, so each block receives the
gradient its network would receive alone. The gradient of an entry between
blocks is not zero, though: the optimiser multiplies every gradient by a mask
of 0s and 1s first, so the zeros between the blocks stay zero.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from nnlib import optim as _optim
from nnlib.network import Network

__all__ = ["fit_side_by_side"]

# Activations applied element by element (a wide layer of them is the layers side by side).
ELEMENTWISE = ("sigmoid", "tanh", "relu", "identity")
# Output/loss pairs whose cost is a sum over the output units, so that the cost of the
# wide network is the sum of the networks' costs.
ADDITIVE = {"mse": ELEMENTWISE, "bce": ("sigmoid",)}


def _one_blas_thread():
    """A context that runs BLAS on one thread (small products wait less), if threadpoolctl is there."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _block_diagonal(blocks: Sequence[np.ndarray], dtype: Any) -> np.ndarray:
    """The matrix with ``blocks`` along its diagonal and zeros elsewhere."""
    out = np.zeros((sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)), dtype=dtype)
    r = c = 0
    for b in blocks:
        out[r:r + b.shape[0], c:c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return out


class _Masked(_optim.Optimizer):
    """Wraps an optimiser: each gradient is multiplied by its parameter's mask first.

    ``masks`` maps ``id(parameter array)`` to an array of 0s and 1s (or 1.0): a
    parameter entry whose mask is 0 never changes.
    """

    def __init__(self, optimizer: _optim.Optimizer, masks: dict[int, Any]) -> None:
        super().__init__(optimizer.lr)
        self.optimizer, self.masks = optimizer, masks

    def step(self, params, grads):
        self.optimizer.step(params, [g * self.masks[id(p)] for p, g in zip(params, grads, strict=True)])


def _check_networks(nets: Any) -> list[Network]:
    """``nets`` as a list, after checking that they are distinct networks of one recipe that
    can be trained side by side; raises TypeError or ValueError naming the problem."""
    if isinstance(nets, Network) or not isinstance(nets, Sequence) or isinstance(nets, str | bytes):
        raise TypeError(f"nets must be a list of Network objects, got {type(nets).__name__}")
    nets = list(nets)
    if not nets:
        raise ValueError("nets is empty: pass at least one Network")
    for k, net in enumerate(nets):
        if not isinstance(net, Network):
            raise TypeError(f"nets[{k}] must be a Network, got {type(net).__name__}")
    if len({id(net) for net in nets}) != len(nets):
        raise ValueError("nets contains the same Network twice; pass distinct networks (net.copy())")
    first = nets[0]
    recipe = ("sizes", "hidden", "output", "loss", "l2", "dtype")

    def settings(net: Network) -> tuple:
        return (list(net.sizes), net.hidden.name, net.output.name, net.loss_fn.name, net.l2, net.dtype)

    for k, net in enumerate(nets[1:], start=1):
        for name, a, b in zip(recipe, settings(first), settings(net), strict=True):
            if a != b:
                raise ValueError(f"nets[{k}] has {name} {b} but nets[0] has {a}; the networks "
                                 "trained side by side must share one recipe")
    if first.hidden.name not in ELEMENTWISE:
        raise ValueError(f"nets have hidden={first.hidden.name!r}; side by side needs an element-wise "
                         f"hidden activation, one of {ELEMENTWISE}")
    loss, out = first.loss_fn.name, first.output.name
    if loss not in ADDITIVE or out not in ADDITIVE[loss]:
        raise ValueError(f"nets have output={out!r} with loss={loss!r}; side by side needs a cost that "
                         "adds up over the output units: loss='mse' with an element-wise output, or "
                         "loss='bce' with output='sigmoid'")
    return nets


def _check_data(arrays: Any, name: str, n_nets: int, n_columns: int, m: int | None,
                dtype: Any) -> list[np.ndarray]:
    """The arrays of ``arrays`` (one per network, ``n_columns`` columns, ``m`` rows if m is
    given, else all of one length, finite), as 2-D arrays of ``dtype``; raises TypeError or
    ValueError naming ``name[k]``."""
    if isinstance(arrays, np.ndarray) or not isinstance(arrays, Sequence) or isinstance(arrays, str | bytes):
        raise TypeError(f"{name} must be a list with one array per network, got {type(arrays).__name__}; "
                        f"for one data set shared by all, pass [X] * len(nets)")
    if len(arrays) != n_nets:
        raise ValueError(f"{name} has {len(arrays)} arrays but nets has {n_nets} networks; "
                         "pass one per network")
    out = []
    for k, a in enumerate(arrays):
        try:
            a = np.asarray(a, dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name}[{k}] must be an array of numbers: {exc}") from None
        if a.ndim == 1 and n_columns == 1 and name == "ys":
            a = a[:, None]
        if a.ndim != 2 or a.shape[1] != n_columns:
            raise ValueError(f"{name}[{k}] has shape {a.shape} but the networks need "
                             f"(n_samples, {n_columns})")
        if a.shape[0] == 0:
            raise ValueError(f"{name}[{k}] is empty: it needs at least one sample")
        if m is not None and a.shape[0] != m:
            raise ValueError(f"{name}[{k}] has {a.shape[0]} samples but Xs[0] has {m}; the data sets "
                             "trained side by side must have equal lengths")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name}[{k}] contains NaN or infinite values")
        m = a.shape[0]
        out.append(a)
    return out


def fit_side_by_side(
    nets: Sequence[Network],
    Xs: Sequence[Any],
    ys: Sequence[Any],
    epochs: int,
    lr: float,
    batch_size: int | None = None,
    rng: int | np.random.Generator | None = None,
    optimizer: str = "sgd",
) -> list[Network]:
    """Train several networks of one recipe at once, network k on ``(Xs[k], ys[k])``.

    Each network ends where ``nets[k].fit(Xs[k], ys[k], epochs, lr=lr,
    batch_size=batch_size, rng=rng, optimizer=optimizer)`` would take it, to
    rounding error, but the networks are trained in one loop, as the diagonal
    blocks of one wide network (see the module docstring). Use it to repeat an
    experiment over several seeds of the initial weights (and of the data).

    Parameters
    ----------
    nets : sequence of Network
        Distinct networks of one recipe: equal layer sizes, hidden and output
        activations, loss, L2 strength and dtype. The hidden activation must be
        element-wise, and the cost must add up over the output units:
        ``loss="mse"`` with an element-wise output, or ``loss="bce"`` with a
        sigmoid output. They start from their current parameters and are
        updated in place.
    Xs : sequence of array-like, each of shape (m, n_inputs)
        The inputs of each network; all data sets have the same length m. For
        one data set shared by all, pass ``[X] * len(nets)``.
    ys : sequence of array-like, each of shape (m, n_outputs), or (m,) for one output
        The targets of each network.
    epochs : int
        Number of passes over the data, > 0.
    lr : float
        Learning rate η > 0.
    batch_size : int, optional
        Samples per step; None (default) means full batches.
    rng : None, int or numpy.random.Generator, optional
        Source of the shuffling, shared by all the networks (every network sees
        its samples in the same order). Required with mini-batches: the result
        then equals separate runs each given a generator in the same state (the
        same int seed).
    optimizer : {"sgd", "momentum"}, default "sgd"
        The optimiser, as in ``fit``.

    Returns
    -------
    list of Network
        ``nets``, trained.

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed; the message names it. Nothing is changed.
    DivergenceError
        If the summed loss becomes NaN or infinite: one diverging network stops
        them all, and every network is left as it was before the call.

    Examples
    --------
    >>> import numpy as np
    >>> from nnlib import Network
    >>> X = np.linspace(-1, 1, 20)[:, None]
    >>> nets = [Network([1, 3, 1], output="identity", rng=seed) for seed in range(4)]
    >>> alone = [net.copy() for net in nets]
    >>> _ = fit_side_by_side(nets, [X] * 4, [X[:, 0] ** 2] * 4, epochs=50, lr=0.5)
    >>> for net in alone:
    ...     _ = net.fit(X, X[:, 0] ** 2, epochs=50, lr=0.5)
    >>> bool(max(np.max(np.abs(p - q)) for a, b in zip(nets, alone)
    ...          for p, q in zip(a.parameters(), b.parameters())) < 1e-12)
    True
    """
    nets = _check_networks(nets)
    first = nets[0]
    sizes, n_nets = list(first.sizes), len(nets)
    Xs = _check_data(Xs, "Xs", n_nets, sizes[0], None, first.dtype)
    ys = _check_data(ys, "ys", n_nets, sizes[-1], Xs[0].shape[0], first.dtype)
    m = Xs[0].shape[0]
    if batch_size is not None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
            raise TypeError(f"batch_size must be None or a positive integer, got {batch_size!r}")
        if batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        if batch_size < m and rng is None:
            raise ValueError("rng is required with mini-batches (batch_size < number of samples): "
                             "the networks share one shuffle, so pass an int seed")
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer must be 'sgd' or 'momentum', got {type(optimizer).__name__}")
    opt = _optim.get(optimizer, lr)          # checks the name and lr

    wide = Network([n_nets * n for n in sizes], hidden=first.hidden, output=first.output,
                   loss=first.loss_fn, init="zeros", l2=first.l2, dtype=first.dtype)
    masks: dict[int, Any] = {}
    for l in range(len(sizes) - 1):          # W^(l+1) and b^(l+1) of the book
        wide.weights[l][:] = _block_diagonal([net.weights[l] for net in nets], first.dtype)
        wide.biases[l][:] = np.concatenate([net.biases[l] for net in nets])
        masks[id(wide.weights[l])] = _block_diagonal([np.ones_like(net.weights[l]) for net in nets],
                                                     first.dtype)
        masks[id(wide.biases[l])] = 1.0
    with _one_blas_thread():
        wide.fit(np.hstack(Xs), np.hstack(ys), epochs, batch_size=batch_size, rng=rng,
                 optimizer=_Masked(opt, masks))
    for k, net in enumerate(nets):           # copy block k back into network k
        for l in range(len(sizes) - 1):
            rows = slice(k * sizes[l + 1], (k + 1) * sizes[l + 1])
            cols = slice(k * sizes[l], (k + 1) * sizes[l])
            net.weights[l][:] = wide.weights[l][rows, cols]
            net.biases[l][:] = wide.biases[l][rows]
    return nets
