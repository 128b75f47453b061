"""Small data sets used in the course, generated from a seed.

Each function returns ``(X, y)`` with ``X`` of shape (n_samples, n_features)
and is deterministic for a given ``rng`` seed. ``moons`` is scikit-learn's
``make_moons``, and ``digits`` its bundled digits (scikit-learn is a dependency
of nnlib). Classification labels are integers; regression targets are floats.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnlib._validation import RngLike, as_rng, non_negative_float, positive_float, positive_int

__all__ = ["xor", "circle", "rings", "moons", "sine", "surface", "spirals", "digits"]


def _noise(noise: float) -> float:
    return non_negative_float(noise, "noise")


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points: X = {0, 1}², y = x₁ XOR x₂.

    Returns
    -------
    X : numpy.ndarray, shape (4, 2)
    y : numpy.ndarray of int, shape (4,)
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([0, 1, 1, 0])


def circle(n: int = 500, radius: float = 0.5, rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform on the square [−1, 1]², labelled 1 inside the circle of ``radius``.

    With the default radius 0.5 about a fifth of the points are inside.
    """
    n = positive_int(n, "n")
    radius = positive_float(radius, "radius")
    X = as_rng(rng).uniform(-1.0, 1.0, size=(n, 2))
    y = (np.sum(X**2, axis=1) < radius**2).astype(int)
    return X, y


def rings(n: int = 1000, rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """A disk (radius < 0.5, label 1) inside a ring (0.6 to 1, label 0), n/2 points each.

    Radii and angles are drawn uniformly, so points crowd towards the centre.
    """
    n = positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n must be at least 2 (one point per class), got {n}")
    gen = as_rng(rng)
    half = n // 2
    r = np.concatenate([gen.uniform(0.0, 0.5, half), gen.uniform(0.6, 1.0, n - half)])
    angle = gen.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    y = np.concatenate([np.ones(half, dtype=int), np.zeros(n - half, dtype=int)])
    return X, y


def moons(n: int = 200, noise: float = 0.2, rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles with Gaussian noise: scikit-learn's ``make_moons``.

    The points and labels are those of ``sklearn.datasets.make_moons(n_samples=n,
    noise=noise, random_state=seed)``, shuffled (its default), so that a data set
    written with scikit-learn can be reproduced exactly.

    Parameters
    ----------
    n : int, default 200
        Number of points, at least 2. The upper moon (class 0) has ``n // 2`` of them,
        the lower moon (class 1) the other ``n - n // 2``.
    noise : float, default 0.2
        Standard deviation of the Gaussian noise added to each coordinate, >= 0.
    rng : None, int or numpy.random.Generator, optional
        Where the randomness comes from:

        - an int is passed to ``make_moons`` unchanged as its ``random_state`` (it must
          be below 2**32), so ``moons(200, 0.2, rng=42)`` equals
          ``make_moons(n_samples=200, noise=0.2, random_state=42)`` bit for bit;
        - a Generator is turned into that seed by one draw,
          ``int(rng.integers(2**32))``: deterministic for the Generator's state, and it
          advances the Generator. ``moons(rng=np.random.default_rng(7))`` therefore
          differs from ``moons(rng=7)``, unlike nnlib's other data sets;
        - None draws the seed from fresh entropy (``np.random.default_rng()``): a new
          data set at every call. NumPy's global random state is never used.

    Returns
    -------
    X : numpy.ndarray of float64, shape (n, 2)
    y : numpy.ndarray of int, shape (n,)
        0 for the upper moon, 1 for the lower.

    Raises
    ------
    ValueError
        If ``n`` < 2, ``noise`` < 0, or an int ``rng`` is negative or not below 2**32.
    TypeError
        If an argument has the wrong type.
    """
    n = positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n must be at least 2 (one point per moon), got {n}")
    noise = _noise(noise)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        as_rng(rng)  # refuses a negative seed with the message every rng argument gives
        if int(rng) >= 2**32:
            raise ValueError(f"rng must be an int seed below 2**32 for make_moons, got {rng}")
        seed = int(rng)
    else:
        seed = int(as_rng(rng).integers(2**32))
    from sklearn.datasets import make_moons  # imported here: scikit-learn takes a while to load

    X, y = make_moons(n_samples=n, shuffle=True, noise=noise, random_state=seed)
    return X, y.astype(int)


def sine(n: int = 200, rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """x uniform on [−2π, 2π] and y = sin(x), without noise.

    Returns
    -------
    X : numpy.ndarray, shape (n, 1)
    y : numpy.ndarray, shape (n,)
    """
    n = positive_int(n, "n")
    x = as_rng(rng).uniform(-2 * np.pi, 2 * np.pi, size=(n, 1))
    return x, np.sin(x[:, 0])


def surface(n: int = 10_000, noise: float = 1.0, rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """The regression surface y = x₁x₂ + x₁² + exp(sin x₂) + N(0, noise²), x uniform on [−5, 5]²."""
    n = positive_int(n, "n")
    noise = _noise(noise)
    gen = as_rng(rng)
    X = gen.uniform(-5.0, 5.0, size=(n, 2))
    x1, x2 = X[:, 0], X[:, 1]
    y = x1 * x2 + x1**2 + np.exp(np.sin(x2)) + gen.normal(0.0, noise, size=n) * (noise > 0)
    return X, y


def spirals(
    n: int = 400, turns: float = 1.5, noise: float = 0.05, rng=None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals (classes 0 and 1) of ``turns`` revolutions each, in [−1, 1]²."""
    n = positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n must be at least 2 (one point per class), got {n}")
    turns = positive_float(turns, "turns")
    noise = _noise(noise)
    gen = as_rng(rng)
    half = n // 2
    counts = (half, n - half)
    parts, labels = [], []
    for k, count in enumerate(counts):
        t = np.sqrt(gen.uniform(0.0, 1.0, count)) * turns * 2 * np.pi  # radius grows with t
        r = t / (turns * 2 * np.pi)
        angle = t + k * np.pi
        pts = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
        parts.append(pts + gen.normal(0.0, noise, size=pts.shape) * (noise > 0))
        labels.append(np.full(count, k, dtype=int))
    X, y = np.vstack(parts), np.concatenate(labels)
    order = gen.permutation(n)
    return X[order], y[order]


def digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8×8 handwritten digits (no download), scaled to [0, 1].

    Returns
    -------
    X : numpy.ndarray, shape (1797, 64)
        Pixel intensities divided by 16.
    y : numpy.ndarray of int, shape (1797,)
        The digit, 0 to 9.
    """
    from sklearn.datasets import load_digits  # imported here: scikit-learn takes a while to load

    data = load_digits()
    return data.data / 16.0, data.target.astype(int)
