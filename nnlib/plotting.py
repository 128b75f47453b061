"""Plots with one consistent style: decision boundaries, loss curves, snapshots.

Class 0 is always drawn in ``CLASS_COLORS[0]`` (blue) and class 1 in
``CLASS_COLORS[1]`` (orange), throughout the book.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap

from nnlib._validation import as_2d, as_float_array, positive_int

__all__ = [
    "CLASS_COLORS",
    "use_style",
    "plot_data",
    "plot_decision_boundary",
    "plot_losses",
    "plot_boundary_evolution",
]

CLASS_COLORS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]
PROBA_CMAP = LinearSegmentedColormap.from_list("nnlib_proba", ["#c6dbef", "#ffffff", "#fdd0a2"])


def use_style() -> None:
    """Apply the book's matplotlib style (figure size, dpi, grid, fonts)."""
    plt.rcParams.update(
        {
            "figure.figsize": (6.0, 4.0),
            "figure.dpi": 90,
            "savefig.dpi": 90,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "font.size": 10,
            "image.cmap": "viridis",
        }
    )


def _ax(ax: Axes | None) -> Axes:
    return plt.gca() if ax is None else ax


def plot_data(X: Any, y: Any, ax: Axes | None = None, s: float = 14, alpha: float = 0.8) -> Axes:
    """Scatter 2-D points coloured by integer class label."""
    X = as_2d(X, "X", 2)
    y = as_float_array(y, "y").reshape(-1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} labels but X has {X.shape[0]} rows")
    if np.any(y < 0) or np.any(y != np.round(y)):
        bad = y[(y < 0) | (y != np.round(y))][0]
        raise ValueError(f"y must hold integer class labels 0, 1, 2, ...; found {bad:g}")
    ax = _ax(ax)
    for k in np.unique(y).astype(int):
        mask = y == k
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            s=s,
            alpha=alpha,
            color=CLASS_COLORS[k % 10],
            edgecolors="white",
            linewidths=0.3,
            label=f"class {k}",
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def _grid_values(model: Any, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    if callable(model) and not hasattr(model, "forward"):
        out = np.asarray(model(grid), dtype=float)
    else:
        out = np.asarray(model.forward(grid), dtype=float)
    if out.ndim == 2 and out.shape[1] > 1:
        out = np.argmax(out, axis=1).astype(float)
    return out.reshape(xx.shape)


def plot_decision_boundary(
    model: Any,
    X: Any,
    y: Any | None = None,
    ax: Axes | None = None,
    resolution: int = 200,
    margin: float = 0.25,
    title: str | None = None,
    boundary: float | None = 0.5,
    colorbar: bool = False,
) -> Axes:
    """Shade a model's output over the plane of X and draw its 0.5 contour.

    Parameters
    ----------
    model : Network or callable
        A network (its ``forward`` is used) or a function ``grid -> values`` for an
        (n, 2) grid. Several outputs are reduced to the argmax class.
    X : array-like, shape (n, 2)
        The data; it sets the plotted range.
    y : array-like, optional
        Class labels, drawn as points when given.
    resolution : int, default 200
        Grid points per axis.
    boundary : float or None, default 0.5
        Level of the contour line; None draws no line (for regression surfaces).
    """
    if not (callable(model) or hasattr(model, "forward")):
        raise TypeError(
            f"model must be a Network or a callable grid -> values, got {type(model).__name__}"
        )
    X = as_2d(X, "X", 2)
    resolution = positive_int(resolution, "resolution")
    ax = _ax(ax)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    values = _grid_values(model, xs, ys)
    is_proba = boundary is not None and values.min() >= 0 and values.max() <= 1
    mesh = ax.pcolormesh(
        xs,
        ys,
        values,
        shading="auto",
        cmap=PROBA_CMAP if is_proba else "viridis",
        vmin=0 if is_proba else None,
        vmax=1 if is_proba else None,
        rasterized=True,
    )
    if boundary is not None and values.min() < boundary < values.max():
        ax.contour(xs, ys, values, levels=[boundary], colors="black", linewidths=1.5)
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, label="network output")
    if y is not None:
        plot_data(X, y, ax=ax, s=10)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def _as_curves(histories: Any) -> dict[str, Sequence[float]]:
    curves = _raw_curves(histories)
    if not curves:
        raise ValueError("histories is empty: pass a History, a list of losses, or a dict of them")
    checked = {}
    for label, loss in curves.items():
        if isinstance(loss, str | bytes):
            raise TypeError(f"the losses of {label!r} must be numbers, got a string")
        loss = as_float_array(loss, f"the losses of {label!r}").reshape(-1)
        checked[label] = loss
    return checked


def _raw_curves(histories: Any) -> dict[str, Any]:
    if hasattr(histories, "loss"):
        return {"training loss": histories.loss}
    if isinstance(histories, Mapping):
        return {str(k): getattr(v, "loss", v) for k, v in histories.items()}
    if isinstance(histories, str | bytes):
        raise TypeError(
            "histories must be a History, a list of losses, or a dict of them, got a string"
        )
    if isinstance(histories, Sequence) and histories and hasattr(histories[0], "loss"):
        return {f"run {i + 1}": h.loss for i, h in enumerate(histories)}
    if isinstance(histories, Sequence | np.ndarray):
        return {"training loss": list(histories)} if len(histories) else {}
    raise TypeError(
        "histories must be a History, a list of losses, or a dict of them, "
        f"got {type(histories).__name__}"
    )


def plot_losses(
    histories: Any,
    ax: Axes | None = None,
    log: bool = True,
    title: str | None = "Training loss",
    ylabel: str = "loss",
) -> Axes:
    """Plot one or several loss curves against the epoch.

    Parameters
    ----------
    histories : History, sequence of float, or dict of label -> History or losses
    log : bool, default True
        Logarithmic loss axis.
    """
    curves = _as_curves(histories)
    if log and any(np.any(loss <= 0) for loss in curves.values()):
        raise ValueError("a loss of 0 or below cannot be drawn on a log scale; pass log=False")
    ax = _ax(ax)
    for label, loss in curves.items():
        ax.plot(np.arange(1, loss.size + 1), loss, label=label, linewidth=1.5)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    return ax


def plot_boundary_evolution(
    snapshots: Any,
    X: Any,
    y: Any,
    ncols: int = 3,
    size: float = 3.0,
    resolution: int = 120,
    label: Callable[[int, Any], str] | None = None,
) -> plt.Figure:
    """Draw the decision boundary at each snapshot epoch, in a grid of panels.

    Parameters
    ----------
    snapshots : Snapshots or dict of epoch -> Network
    X, y : the data to draw on every panel
    label : callable, optional
        ``label(epoch, network) -> str`` for each panel title; by default
        the epoch and the accuracy.
    """
    nets = getattr(snapshots, "networks", snapshots)
    if not isinstance(nets, Mapping):
        raise TypeError(
            "snapshots must be a Snapshots callback or a dict epoch -> Network, "
            f"got {type(snapshots).__name__}"
        )
    if not nets:
        raise ValueError("snapshots is empty: pass Snapshots(at=[...]) to fit's callbacks first")
    epochs = sorted(nets)
    ncols = min(positive_int(ncols, "ncols"), len(epochs))
    nrows = -(-len(epochs) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    for ax, epoch in zip(axes.flat, epochs, strict=False):
        net = nets[epoch]
        title = label(epoch, net) if label else f"epoch {epoch}: accuracy {net.accuracy(X, y):.0%}"
        plot_decision_boundary(net, X, y, ax=ax, resolution=resolution, title=title)
        ax.set_xlabel("")
        ax.set_ylabel("")
    for ax in list(axes.flat)[len(epochs) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
