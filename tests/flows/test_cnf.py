"""Continuous flow: RK4 and the trace against a linear ODE with a closed-form solution,
Hutchinson's estimator is unbiased, the CNF layer inverts and its logdet is the Jacobian's."""
import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg

from gdm.flows.cnf import (
  CNF,
  HUTCHINSON_RNG,
  exact_trace,
  hutchinson_trace,
  rademacher,
  rk4,
)
from tests.flows.test_flow_layers import KEY, check_bijector, data

A = np.array([[-0.3, 1.2, 0.0], [0.4, 0.5, -0.7], [0.1, 0.0, 0.2]], np.float32)


def test_linear_ode_logdet_is_t_times_trace():
  # dz/dt = A z: z(t) = expm(t A) z(0) and log|det dz(t)/dz(0)| = t tr(A).
  f = lambda z: z @ A.T
  z0, t = data((4, 3)), 1.5
  dynamics = lambda s, _: (f(s[0]), exact_trace(f, s[0]))
  z, logdet = jax.jit(lambda z: rk4(dynamics, (z, jnp.zeros(4)), 0.0, t, 20))(z0)
  np.testing.assert_allclose(z, z0 @ scipy.linalg.expm(t * A).T, rtol=1e-5, atol=1e-5)
  np.testing.assert_allclose(logdet, t * np.trace(A), rtol=1e-5)


def test_hutchinson_estimate_is_unbiased():
  w = jnp.asarray(np.random.default_rng(0).normal(size=(3, 3)), jnp.float32)
  f = lambda z: jnp.tanh(z @ w) * z          # a nonlinear map with a full Jacobian
  z = data((2, 3))
  exact = exact_trace(f, z)
  brute = jnp.trace(jax.vmap(jax.jacfwd(lambda v: f(v[None])[0]))(z), axis1=1, axis2=2)
  np.testing.assert_allclose(exact, brute, rtol=1e-5)
  keys = jax.random.split(KEY, 5000)
  est = jax.jit(jax.vmap(lambda k: hutchinson_trace(f, z, rademacher(k, z.shape))))(keys)
  stderr = est.std(0) / np.sqrt(len(keys))
  assert (jnp.abs(est.mean(0) - exact) < 4 * stderr + 1e-6).all(), (est.mean(0), exact)
  assert (est.std(0) > 0).all()   # really random: the estimate varies


def test_cnf_layer_inverts_and_matches_the_jacobian():
  layer = CNF(hidden=(8,), time=1.0, num_steps=8)
  x = data((3, 2))
  params, _ = check_bijector(layer, x, atol=1e-4)
  # With the Hutchinson rng the logdet is an unbiased estimate of the exact one.
  est = jax.jit(jax.vmap(lambda k: layer.apply(params, x, rngs={HUTCHINSON_RNG: k})[1]))(
      jax.random.split(KEY, 256))
  exact = layer.apply(params, x)[1]
  stderr = est.std(0) / np.sqrt(est.shape[0])
  assert (jnp.abs(est.mean(0) - exact) < 4 * stderr + 1e-5).all(), (est.mean(0), exact)
