"""Contrastive divergence: terms by hand, and the maximum-likelihood gradient it gives."""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.objectives.contrastive import contrastive_divergence


def test_terms_by_hand():
  out = contrastive_divergence(jnp.array([1.0, -2.0]), jnp.array([0.5, 3.0]), alpha=0.1)
  np.testing.assert_allclose(out['cd'], [0.5, -5.0])
  np.testing.assert_allclose(out['reg'], [0.1 * (1 + 0.25), 0.1 * (4 + 9)], rtol=1e-6)
  np.testing.assert_allclose(out['loss'], [0.5 + 0.125, -5.0 + 1.3], rtol=1e-6)
  assert out['loss'].dtype == jnp.float32
  half = contrastive_divergence(jnp.array([1.0], jnp.bfloat16), jnp.array([2.0]), 0.0)
  assert half['loss'].dtype == jnp.float32 and float(half['reg'][0]) == 0.0


def test_gradient_of_a_linear_energy():
  """E_w(x) = w.x: d/dw mean loss = mean(x_data) - mean(x_neg)
  + 2 alpha mean(E_data x_data + E_neg x_neg), the CD gradient plus the regulariser's."""
  rng = np.random.default_rng(0)
  x_data, x_neg = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
  w, alpha = rng.normal(size=3), 0.3

  def loss(w):
    return contrastive_divergence(x_data @ w, x_neg @ w, alpha)['loss'].mean()

  e_d, e_n = x_data @ w, x_neg @ w
  want = (x_data.mean(0) - x_neg.mean(0)
          + 2 * alpha * ((e_d[:, None] * x_data).mean(0) + (e_n[:, None] * x_neg).mean(0)))
  np.testing.assert_allclose(jax.grad(loss)(jnp.asarray(w, jnp.float32)), want, rtol=1e-4)
