"""nnlib.sklearn: scikit-learn's estimator checks and the tools the book uses them with."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_moons, make_regression
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from nnlib import Network
from nnlib.sklearn import NNClassifier, NNRegressor

# Checks that an estimator is expected to fail, each with a one-line reason; they
# would be reported as xfail. There are none: every check of scikit-learn 1.9 passes.
# The four checks that scikit-learn skips give their own reason: pandas is not
# installed, and SCIPY_ARRAY_API is not set (nnlib computes with NumPy only).
EXPECTED_FAILED_CHECKS: dict[str, dict[str, str]] = {
    "NNClassifier": {},
    "NNRegressor": {},
}


def expected_failed_checks(estimator) -> dict[str, str]:
    return EXPECTED_FAILED_CHECKS[type(estimator).__name__]


# The estimators with their default settings, as a user gets them (about 10 s in all).
@parametrize_with_checks(
    [NNClassifier(random_state=0), NNRegressor(random_state=0)],
    expected_failed_checks=expected_failed_checks,
    xfail_strict=True,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def moons():
    return make_moons(200, noise=0.2, random_state=0)


def test_pipeline_with_standard_scaler(moons):
    X, y = moons
    model = make_pipeline(StandardScaler(), NNClassifier((8,), epochs=200, random_state=0))
    assert model.fit(X, y).score(X, y) > 0.9
    proba = model.predict_proba(X)
    assert proba.shape == (200, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_classifier_matches_network(moons):
    """The estimator is a thin wrapper: same seed, same settings, same network."""
    X, y = moons
    clf = NNClassifier((5,), lr=0.3, epochs=20, batch_size=16, random_state=3).fit(X, y)
    net = Network([2, 5, 1], output="sigmoid", loss="bce", rng=3)
    history = net.fit(X, y, 20, lr=0.3, batch_size=16)
    np.testing.assert_array_equal(clf.predict_proba(X)[:, 1], net.forward(X)[:, 0])
    assert clf.history_.loss == history.loss


def test_cross_val_score(moons):
    X, y = moons
    model = make_pipeline(StandardScaler(), NNClassifier((8,), epochs=100, random_state=0))
    scores = cross_val_score(model, X, y, cv=KFold(3, shuffle=True, random_state=0))
    assert scores.shape == (3,)
    assert scores.min() > 0.8


def test_grid_search(moons):
    X, y = moons
    model = make_pipeline(StandardScaler(), NNClassifier(epochs=60, random_state=0))
    grid = GridSearchCV(model, {"nnclassifier__hidden_layer_sizes": [(2,), (8,)],
                                "nnclassifier__lr": [0.05, 0.5]}, cv=3)
    grid.fit(X, y)
    assert set(grid.best_params_) == {"nnclassifier__hidden_layer_sizes", "nnclassifier__lr"}
    assert grid.best_params_["nnclassifier__lr"] == 0.5
    assert grid.best_score_ > 0.8


def test_decision_boundary_display(moons):
    X, y = moons
    clf = NNClassifier((8,), epochs=100, random_state=0).fit(X, y)
    display = DecisionBoundaryDisplay.from_estimator(clf, X, response_method="predict_proba",
                                                     grid_resolution=30)
    assert display.response.shape == (30, 30)
    assert 0.0 <= display.response.min() <= display.response.max() <= 1.0
    display = DecisionBoundaryDisplay.from_estimator(clf, X, grid_resolution=20)
    assert display.response.shape == (20, 20)
    plt.close("all")


def test_multiclass_and_string_labels():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 3.0], [3.0, 0.0], [-3.0, -3.0]])
    X = np.vstack([c + rng.normal(size=(30, 2)) for c in centres])
    y = np.repeat(np.array(["ant", "bee", "cat"]), 30)
    clf = NNClassifier((8,), epochs=100, random_state=0).fit(X, y)
    assert list(clf.classes_) == ["ant", "bee", "cat"]
    assert clf.network_.output.name == "softmax"
    assert clf.predict_proba(X).shape == (90, 3)
    assert clf.score(X, y) > 0.95


def test_regressor_one_and_several_outputs():
    X, y = make_regression(200, n_features=3, noise=0.1, random_state=0)
    y = (y - y.mean()) / y.std()
    model = make_pipeline(StandardScaler(), NNRegressor((16,), epochs=200, random_state=0))
    assert model.fit(X, y).predict(X).shape == (200,)
    assert model.score(X, y) > 0.9
    Y = np.column_stack([y, -y])
    model = clone(model).fit(X, Y)
    assert model.predict(X).shape == (200, 2)
    assert model.score(X, Y) > 0.9


def test_float32_estimator(moons):
    X, y = moons
    clf = NNClassifier((8,), epochs=50, dtype="float32", random_state=0).fit(X, y)
    assert clf.network_.weights[0].dtype == np.float32
    assert clf.predict_proba(X).dtype == np.float32


def test_one_class_is_refused():
    with pytest.raises(ValueError, match="at least 2 classes"):
        NNClassifier().fit(np.zeros((5, 2)), np.ones(5))


def test_importing_nnlib_does_not_import_sklearn():
    code = "import sys, nnlib; assert 'sklearn' not in sys.modules, 'nnlib imported sklearn'"
    subprocess.run([sys.executable, "-c", code], check=True)
