"""Latent tools: interpolation endpoints and norms, arithmetic, imputation fixed points."""
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.applications import latent


def test_lerp_and_slerp_endpoints_and_norm():
  z0, z1 = jnp.array([[3.0, 0.0]]), jnp.array([[0.0, 3.0]])
  for path in (latent.lerp, latent.slerp):
    p = path(z0, z1, 5)
    assert p.shape == (5, 1, 2)
    np.testing.assert_allclose(p[0], z0, atol=1e-6)
    np.testing.assert_allclose(p[-1], z1, atol=1e-6)
  np.testing.assert_allclose(jnp.linalg.norm(latent.slerp(z0, z1, 5), axis=-1), 3.0, rtol=1e-5)
  np.testing.assert_allclose(latent.lerp(z0, z1, 3)[1], [[1.5, 1.5]])
  np.testing.assert_allclose(latent.slerp(z0, 2 * z0, 3), latent.lerp(z0, 2 * z0, 3))


def test_arithmetic_attribute_and_anomaly_score():
  np.testing.assert_allclose(latent.latent_arithmetic(jnp.ones(2), 2 * jnp.ones(2), jnp.zeros(2)),
                             [-1.0, -1.0])
  z = jnp.array([[1.0, 0.0], [3.0, 0.0], [0.0, 1.0]])
  np.testing.assert_allclose(latent.attribute_vector(z, jnp.array([1, 1, 0])), [2.0, -1.0])
  ev = {'nll': jnp.array([1.0]), 'elbo': jnp.array([-2.0])}
  assert float(latent.anomaly_score(ev)[0]) == 1.0
  assert float(latent.anomaly_score(ev, 'elbo')[0]) == 2.0
  with pytest.raises(ValueError, match="unknown anomaly score 'x'"):
    latent.anomaly_score(ev, 'x')


def test_impute_clamps_observed_and_reaches_the_fixed_point():
  # reconstruct = each entry becomes the mean of the row: missing entries converge to the
  # mean of the observed ones.
  x = jnp.array([[1.0, 3.0, 100.0]])
  observed = jnp.array([[True, True, False]])
  out = latent.impute(lambda v: jnp.broadcast_to(v.mean(1, keepdims=True), v.shape), x,
                      observed, num_steps=60)
  np.testing.assert_allclose(out, [[1.0, 3.0, 2.0]], rtol=1e-5)
