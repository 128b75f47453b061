"""scikit-learn estimators that train an nnlib :class:`~nnlib.network.Network`.

:class:`NNClassifier` and :class:`NNRegressor` follow scikit-learn's estimator
API (``get_params``/``set_params``, ``fit``, ``predict``, ``score``), so an nnlib
network can sit in a scikit-learn ``Pipeline`` after a ``StandardScaler``, be
cross-validated with ``cross_val_score``, tuned with ``GridSearchCV`` or drawn
with ``DecisionBoundaryDisplay``.

This module needs scikit-learn (``pip install scikit-learn``); ``import nnlib``
does not import it. For example, after a scaler in a pipeline:

>>> from sklearn.datasets import make_moons
>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.preprocessing import StandardScaler
>>> from nnlib.sklearn import NNClassifier
>>> X, y = make_moons(200, noise=0.2, random_state=0)
>>> model = make_pipeline(StandardScaler(), NNClassifier((8,), epochs=300, random_state=0))
>>> model.fit(X, y).score(X, y) > 0.9
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    from sklearn.preprocessing import LabelEncoder
    from sklearn.utils import check_random_state
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data
except ImportError:  # pragma: no cover - depends on the environment
    raise ImportError("nnlib.sklearn needs scikit-learn: pip install scikit-learn") from None

from nnlib.network import History, Network

__all__ = ["NNClassifier", "NNRegressor"]


class _NNBase(BaseEstimator):
    """What the classifier and the regressor share: parameters, the network, the fit.

    ``lr=None`` means the learning rate ``DEFAULT_LR`` of the subclass.
    """

    DEFAULT_LR: float

    def __init__(
        self,
        hidden_layer_sizes: Sequence[int] = (16,),
        hidden: str = "sigmoid",
        lr: float | None = None,
        epochs: int = 200,
        batch_size: int | None = 32,
        optimizer: str = "sgd",
        l2: float = 0.0,
        init: str = "xavier",
        dtype: str = "float64",
        random_state: Any = None,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.hidden = hidden
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.l2 = l2
        self.init = init
        self.dtype = dtype
        self.random_state = random_state

    # The output activation and loss of the network: set by the subclasses.
    def _output_and_loss(self, n_outputs: int) -> tuple[str, str]:
        raise NotImplementedError

    def _seed(self) -> None | int | np.random.Generator:
        """nnlib takes None, an int or a Generator; a legacy RandomState gives an int seed."""
        rs = self.random_state
        if rs is None or isinstance(rs, np.random.Generator) or (
                isinstance(rs, (int, np.integer)) and not isinstance(rs, bool)):
            return rs
        return int(check_random_state(rs).randint(np.iinfo(np.int32).max))

    def _fit_network(self, X: np.ndarray, Y: np.ndarray, n_outputs: int) -> None:
        """Build ``network_`` for (X, Y) and train it; the learning rate None means ``DEFAULT_LR``."""
        sizes = self.hidden_layer_sizes
        hidden_sizes = [sizes] if isinstance(sizes, (int, np.integer)) else list(sizes)
        output, loss = self._output_and_loss(n_outputs)
        self.network_ = Network([X.shape[1], *hidden_sizes, n_outputs], hidden=self.hidden,
                                output=output, loss=loss, init=self.init, rng=self._seed(),
                                l2=self.l2, dtype=np.dtype(self.dtype))
        lr = self.DEFAULT_LR if self.lr is None else self.lr
        self.history_: History = self.network_.fit(
            X, Y, self.epochs, lr=lr, batch_size=self.batch_size, optimizer=self.optimizer)

    def _output(self, X: Any) -> np.ndarray:
        """The trained network's output for the checked rows of X."""
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return self.network_.forward(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.non_deterministic = False
        return tags


class NNClassifier(ClassifierMixin, _NNBase):
    """A feed-forward network classifier trained with nnlib.

    Two classes use one sigmoid output with binary cross-entropy; three or more use
    a softmax output with cross-entropy. Labels may be any values (strings too):
    they are encoded as 0, 1, ... in the order of ``classes_``.

    Parameters
    ----------
    hidden_layer_sizes : sequence of int, default (16,)
        Units of each hidden layer.
    hidden : str, default "sigmoid"
        Hidden activation: "sigmoid", "tanh", "relu" or "identity".
    lr : float, optional
        Learning rate η; None (the default) means ``DEFAULT_LR`` = 0.5.
    epochs : int, default 200
        Passes over the training data.
    batch_size : int or None, default 32
        Samples per step; None trains on the full batch.
    optimizer : {"sgd", "momentum"}, default "sgd"
    l2 : float, default 0.0
        L2 penalty λ.
    init : str, default "xavier"
        Weight initialisation scheme (see :mod:`nnlib.init`).
    dtype : {"float64", "float32"}, default "float64"
        Floating-point type of the network.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed of the initial weights and of the shuffling.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The class labels, sorted.
    n_features_in_ : int
        Number of input features seen in ``fit``.
    network_ : Network
        The trained network.
    history_ : History
        The training losses, one per epoch.
    """

    DEFAULT_LR = 0.5

    def _output_and_loss(self, n_outputs: int) -> tuple[str, str]:
        return ("sigmoid", "bce") if n_outputs == 1 else ("softmax", "cross_entropy")

    def fit(self, X: Any, y: Any) -> NNClassifier:
        """Train a new network on (X, y) and return ``self``."""
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        if len(self.classes_) < 2:
            raise ValueError(f"NNClassifier needs at least 2 classes, but y has only one class "
                             f"({self.classes_[0]!r})")
        codes = encoder.transform(y)
        self._fit_network(X, codes, 1 if len(self.classes_) == 2 else len(self.classes_))
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Return the probability of each class, shape (n_samples, n_classes)."""
        out = self._output(X)
        if out.shape[1] == 1:
            out = np.hstack([1.0 - out, out])
        return out

    def predict(self, X: Any) -> np.ndarray:
        """Return the most probable class of each row of X."""
        proba = self.predict_proba(X)  # first: it checks that the model is fitted
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        tags.classifier_tags.multi_label = False
        return tags


class NNRegressor(RegressorMixin, _NNBase):
    """A feed-forward network regressor trained with nnlib.

    The output layer is linear (identity) and the loss is the quadratic cost (mse).
    ``y`` may have one column (or be 1-D) or several; ``predict`` returns the same
    shape as the ``y`` given to ``fit``.

    Parameters
    ----------
    hidden_layer_sizes, hidden, epochs, batch_size, optimizer, l2, init, dtype, random_state
        As in :class:`NNClassifier`.
    lr : float, optional
        Learning rate η; None (the default) means ``DEFAULT_LR`` = 0.05, smaller than
        the classifier's because the linear output is unbounded.

    Attributes
    ----------
    n_features_in_ : int
    network_ : Network
    history_ : History
    """

    DEFAULT_LR = 0.05

    def _output_and_loss(self, n_outputs: int) -> tuple[str, str]:
        return "identity", "mse"

    def fit(self, X: Any, y: Any) -> NNRegressor:
        """Train a new network on (X, y) and return ``self``."""
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], multi_output=True,
                             y_numeric=True)
        self._y_1d = y.ndim == 1
        Y = y.reshape(-1, 1) if self._y_1d else y
        self._fit_network(X, Y, Y.shape[1])
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Return the network's output for each row of X (1-D if ``y`` was 1-D)."""
        out = self._output(X)
        return out[:, 0] if self._y_1d else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
