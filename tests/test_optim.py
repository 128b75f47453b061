"""The optimisers of nnlib.optim."""

from __future__ import annotations

import numpy as np

from nnlib import optim


# ------------------------------------------------------------------ optimisers
def test_sgd_step_is_theta_minus_lr_grad():
    p = [np.array([1.0, 2.0]), np.array([[3.0]])]
    g = [np.array([0.5, -1.0]), np.array([[2.0]])]
    same = [a for a in p]
    optim.SGD(0.1).step(p, g)
    np.testing.assert_allclose(p[0], [0.95, 2.1])
    np.testing.assert_allclose(p[1], [[2.8]])
    assert all(a is b for a, b in zip(p, same, strict=True))  # in place
    assert repr(optim.SGD(0.1)) == "SGD(lr=0.1)"


def test_momentum_accumulates_velocity():
    p = [np.array([0.0])]
    opt = optim.Momentum(0.1, beta=0.5)
    g = [np.array([1.0])]
    opt.step(p, g)  # v = −0.1, θ = −0.1
    opt.step(p, g)  # v = 0.5·(−0.1) − 0.1 = −0.15, θ = −0.25
    np.testing.assert_allclose(p[0], [-0.25])
    np.testing.assert_allclose(opt.velocities[0], [-0.15])
    opt.reset()
    assert opt.velocities is None
    assert repr(opt) == "Momentum(lr=0.1, beta=0.5)"


def test_momentum_with_beta_zero_is_sgd():
    rng = np.random.default_rng(0)
    a, b = [rng.normal(size=(3, 2))], None
    b = [a[0].copy()]
    m, s = optim.Momentum(0.05, beta=0.0), optim.SGD(0.05)
    for _ in range(5):
        g = [rng.normal(size=(3, 2))]
        m.step(a, g)
        s.step(b, g)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-14)


def test_momentum_restarts_its_velocities_for_new_shapes():
    opt = optim.Momentum(0.1)
    opt.step([np.zeros(2)], [np.ones(2)])
    p = [np.zeros(3)]
    opt.step(p, [np.ones(3)])
    np.testing.assert_allclose(p[0], -0.1)


def test_momentum_beats_sgd_on_an_ill_conditioned_quadratic():
    scales = np.array([1.0, 0.01])

    def run(opt):
        theta = [np.array([1.0, 1.0])]
        for _ in range(200):
            opt.step(theta, [scales * theta[0]])
        return float(0.5 * np.sum(scales * theta[0] ** 2))

    assert run(optim.Momentum(1.0, beta=0.9)) < 0.01 * run(optim.SGD(1.0))


def test_optim_get():
    assert isinstance(optim.get("sgd", 0.1), optim.SGD)
    assert isinstance(optim.get("Momentum", 0.1), optim.Momentum)
    opt = optim.SGD(0.3)
    assert optim.get(opt, 0.1) is opt
