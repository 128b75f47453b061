"""nnlib: a small, readable NumPy library for feed-forward networks and backpropagation.

The companion of the course "Backpropagation from Scratch". Modules:

- :mod:`nnlib.activations`: sigmoid, tanh, relu, identity, softmax
- :mod:`nnlib.losses`: mse, bce, cross_entropy
- :mod:`nnlib.network`: :class:`Network`, forward, backward (BP1–BP4)
- :mod:`nnlib.training`: the training loop behind ``Network.fit``, History, Snapshots
- :mod:`nnlib.init`: weight initialisation schemes
- :mod:`nnlib.optim`: SGD, Momentum
- :mod:`nnlib.gradcheck`: centred differences, relative error, network checks
- :mod:`nnlib.datasets`: xor, circle, rings, moons, sine, surface, spirals, digits
- :mod:`nnlib.plotting`: decision boundaries and loss curves

and, imported by name (``import nnlib.autodiff``), since ``import nnlib`` does not load them:

- :mod:`nnlib.autodiff`: a scalar engine for reverse-mode automatic differentiation
- :mod:`nnlib.experiments`: several networks trained side by side, for claims over seeds
- :mod:`nnlib.listing`: nnlib's own source, displayed in a notebook (needs IPython)
- :mod:`nnlib.sklearn`: scikit-learn estimators built on :class:`Network` (needs scikit-learn)
- :mod:`nnlib.checks`: the exercise checks
"""

from nnlib import activations, datasets, gradcheck, init, losses, optim, plotting, training
from nnlib.network import DivergenceError, Gradients, History, Network, Snapshots

__version__ = "0.1.0"

__all__ = ["Network", "Gradients", "History", "Snapshots", "DivergenceError", "activations",
           "losses", "init", "optim", "training", "gradcheck", "datasets", "plotting", "__version__"]
