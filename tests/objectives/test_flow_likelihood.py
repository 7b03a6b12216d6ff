"""The flow's nll and bits/dim against hand computations: the logit transform's Jacobian,
uniform and variational dequantization, and the papers' bits/dim convention."""
import math

import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.flow import glow_digits, nice_mnist
from gdm.data.source import DatasetInfo
from gdm.models import flow
from gdm.objectives import flow_likelihood as lik

KEY = jax.random.key(0, impl='rbg')
TINY = DatasetInfo('tiny', (2, 2, 1), 'image')
D = 4


def log_normal(z):
  return -0.5 * (z ** 2 + math.log(2 * math.pi))


def test_logit_transform_and_its_jacobian():
  x = jnp.asarray([[0.0, 0.3, 0.999, 0.5]], jnp.float32)
  y, logdet = lik.logit_transform(x, 0.05)
  p = 0.05 + 0.9 * np.asarray(x, np.float64)
  np.testing.assert_allclose(y, np.log(p / (1 - p)), rtol=1e-5)
  jac = jax.jacfwd(lambda v: lik.logit_transform(v[None], 0.05)[0][0])(x[0])
  np.testing.assert_allclose(logdet, np.log(np.diag(jac)).sum(), rtol=1e-5)
  np.testing.assert_allclose(lik.logit_inverse(y, 0.05), x, atol=1e-6)


def _identity_model(config):
  """NICE starts as the identity (zero-initialised coupling outputs and rescaling)."""
  config.model.update(num_layers=2, hidden=(4,))
  config.data.num_examples = 0
  return flow.FAMILY.model(config, TINY)


def test_bpd_with_uniform_dequantization_and_logit_by_hand():
  config = nice_mnist.get_config('smoke')            # zero_one, dequantized, logistic prior
  config.model.update(prior='gaussian', logit=True, logit_alpha=0.05)
  model = _identity_model(config)
  pixels = np.array([[0, 17, 128, 255]], np.float64)
  u = np.array([[0.5, 0.1, 0.9, 0.99]])
  x = (pixels + u) / 256                              # preprocess: (k + u) / 256
  batch = {'x': jnp.asarray(x.reshape(1, 2, 2, 1), jnp.float32)}
  params, ms = jax.jit(model.init)(KEY, batch)
  out = jax.jit(model.evaluate)(params, ms, batch, KEY)
  # By hand: density of x is N(logit(p)) * |dy/dx|; pixel units divide by 1/256 per dim.
  p = 0.05 + 0.9 * x
  log_px = (log_normal(np.log(p / (1 - p))) + np.log(0.9 / (p * (1 - p)))).sum()
  np.testing.assert_allclose(out['nll'], -log_px, rtol=1e-5)
  np.testing.assert_allclose(out['loss'], out['nll'])
  bpd = -(log_px - D * math.log(256)) / (D * math.log(2))
  np.testing.assert_allclose(out['bpd'], bpd, rtol=1e-5)


def test_bpd_with_variational_dequantization_by_hand():
  config = glow_digits.get_config('smoke')            # [-1, 1], integer pixels
  config.model.update(kind='nice', prior='gaussian')
  model = _identity_model(config)
  pixels = np.array([[0, 17, 128, 255]], np.float64)
  batch = {'x': jnp.asarray((pixels / 127.5 - 1).reshape(1, 2, 2, 1), jnp.float32)}
  params, ms = jax.jit(model.init)(KEY, batch)
  key = jax.random.key(3, impl='rbg')
  out = jax.jit(model.evaluate)(params, ms, batch, key)
  # The zero-initialised dequantizer gives u = sigmoid(eps) with eps ~ N(0, 1) drawn from
  # the first half of the evaluation key; x = (k + u) / 128 - 1 like uniform dequantization.
  eps = np.asarray(jax.random.normal(jax.random.split(key)[0], (1, 2, 2, 1)), np.float64)
  eps = eps.reshape(1, D)
  u = 1 / (1 + np.exp(-eps))
  log_q = (log_normal(eps) - np.log(u) - np.log(1 - u)).sum()
  log_p = log_normal((pixels + u) / 128 - 1).sum()
  np.testing.assert_allclose(out['nll'], log_q - log_p, rtol=1e-5)
  bpd = (log_q - log_p + D * math.log(128)) / (D * math.log(2))
  np.testing.assert_allclose(out['bpd'], bpd, rtol=1e-5)
