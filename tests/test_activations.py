"""Activations: values, derivatives σ′ and softmax's Jacobian against centred differences.

The oracle is :func:`nnlib.gradcheck.numerical_gradient` in float64. For an
element-wise σ, the gradient of f(z) = Σ w ⊙ σ(z) is w ⊙ σ′(z), so one numerical
gradient checks every element of ``derivative`` (and ``backward``) at once.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlib import activations
from nnlib.gradcheck import numerical_gradient

FAST = settings(deadline=None, max_examples=25, derandomize=True, database=None)
ELEMENTWISE = ["sigmoid", "tanh", "relu", "identity"]

shapes = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5)
values = st.floats(-8.0, 8.0, allow_nan=False, allow_infinity=False)
z_arrays = hnp.arrays(np.float64, shapes, elements=values)
matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=5),
                      elements=values)


def away_from_kink(z: np.ndarray) -> np.ndarray:
    """Move entries off ReLU's kink at 0, where σ′ is not defined."""
    z = z.copy()
    z[np.abs(z) < 1e-3] = 0.5
    return z


@pytest.mark.parametrize("name", ELEMENTWISE)
@FAST
@given(z=z_arrays, seed=st.integers(0, 2**16))
def test_derivative_matches_centred_differences(name, z, seed):
    act = activations.get(name)
    z = away_from_kink(z) if act.has_kinks else z
    w = np.random.default_rng(seed).normal(size=z.shape)
    numeric = numerical_gradient(lambda v: float(np.sum(w * act(v))), z.copy())
    np.testing.assert_allclose(w * act.derivative(z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ELEMENTWISE)
@FAST
@given(z=z_arrays, seed=st.integers(0, 2**16))
def test_backward_is_grad_times_derivative(name, z, seed):
    act = activations.get(name)
    z = away_from_kink(z) if act.has_kinks else z
    grad = np.random.default_rng(seed).normal(size=z.shape)
    numeric = numerical_gradient(lambda v: float(np.sum(grad * act(v))), z.copy())
    np.testing.assert_allclose(act.backward(z, grad), numeric, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(act.backward(z, grad), grad * act.derivative(z), rtol=1e-12)


@pytest.mark.parametrize("name", ELEMENTWISE)
@FAST
@given(z=z_arrays)
def test_derivative_from_output_agrees_with_derivative(name, z):
    act = activations.get(name)
    z = away_from_kink(z) if act.has_kinks else z
    np.testing.assert_allclose(act.derivative_from_output(act(z)), act.derivative(z),
                               rtol=1e-12, atol=1e-15)


def test_known_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(activations.tanh(z), np.tanh(z))
    np.testing.assert_array_equal(activations.relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(activations.identity(z), z)
    assert float(activations.sigmoid(0.0)) == 0.5
    np.testing.assert_allclose(activations.sigmoid.derivative(np.zeros(1)), [0.25])
    np.testing.assert_allclose(activations.tanh.derivative(np.zeros(1)), [1.0])


@FAST
@given(z=z_arrays)
def test_sigmoid_symmetry_and_range(z):
    s = activations.sigmoid(z)
    np.testing.assert_allclose(activations.sigmoid(-z), 1 - s, atol=1e-15)
    assert np.all((s > 0) & (s < 1))


def test_relu_subgradient_at_zero_is_zero():
    assert activations.relu.derivative(np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    assert activations.relu.has_kinks and not activations.sigmoid.has_kinks


# ---------------------------------------------------------------- softmax
@FAST
@given(z=matrices)
def test_softmax_rows_are_distributions_and_shift_invariant(z):
    a = activations.softmax(z)
    assert np.all(a >= 0)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(activations.softmax(z + 123.0), a, rtol=1e-12, atol=1e-15)


@FAST
@given(z=matrices)
def test_softmax_jacobian_matches_centred_differences(z):
    J = activations.softmax.jacobian(z)
    m, k = z.shape
    assert J.shape == (m, k, k)
    for i in range(m):
        row = z[i].copy()
        for j in range(k):
            numeric = numerical_gradient(lambda v, j=j: float(activations.softmax(v)[j]), row)
            np.testing.assert_allclose(J[i, j], numeric, rtol=1e-6, atol=1e-9)


@FAST
@given(z=matrices, seed=st.integers(0, 2**16))
def test_softmax_backward_matches_centred_differences(z, seed):
    grad = np.random.default_rng(seed).normal(size=z.shape)
    numeric = numerical_gradient(lambda v: float(np.sum(grad * activations.softmax(v))), z.copy())
    backward = activations.softmax.backward(z, grad)
    np.testing.assert_allclose(backward, numeric, rtol=1e-6, atol=1e-9)
    # the vector-Jacobian product is Jᵀ grad, row by row
    J = activations.softmax.jacobian(z)
    np.testing.assert_allclose(backward, np.einsum("mkj,mk->mj", J, grad), rtol=1e-10, atol=1e-14)


def test_softmax_jacobian_of_a_vector():
    J = activations.softmax.jacobian(np.array([0.0, 0.0]))
    np.testing.assert_allclose(J, [[0.25, -0.25], [-0.25, 0.25]])


def test_softmax_has_no_elementwise_derivative():
    assert not activations.softmax.elementwise
    with pytest.raises(TypeError, match="not element-wise"):
        activations.softmax.derivative(np.zeros((2, 3)))


# -------------------------------------------------------------------- get
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
def test_get_by_name(name):
    act = activations.get(name)
    assert act.name == name
    assert activations.get(act) is act
    assert activations.get(name.upper()) is act
    assert repr(act) == f"<activation {name}>"


def test_linear_is_an_alias_of_identity():
    assert activations.get("linear") is activations.identity
