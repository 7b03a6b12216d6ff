"""Exact answers for Gaussian data x_0 ~ N(MU, COV) under a Gaussian kernel
x_t = a x_0 + sigma eps: x_t ~ N(a MU, C) with C = a^2 COV + sigma^2 I, so

  score(x_t)      = -C^{-1} (x_t - a MU)
  E[eps | x_t]    = sigma C^{-1} (x_t - a MU)      (the optimal eps-predictor)
  E[x_0 | x_t]    = (x_t - sigma E[eps | x_t]) / a
"""
import math

import jax.numpy as jnp
import numpy as np

from gdm.data.toy import GAUSSIAN_COV

MU = np.array([1.0, -0.5])
COV = GAUSSIAN_COV


def _first(v):
  """The samplers use one noise level for the whole batch: its value."""
  return jnp.asarray(v, jnp.float32).reshape(-1)[0]


def precision(a, sigma):
  """C^{-1} [2, 2] (closed-form 2x2 inverse)."""
  c = a ** 2 * jnp.asarray(COV, jnp.float32) + sigma ** 2 * jnp.eye(2)
  det = c[0, 0] * c[1, 1] - c[0, 1] * c[1, 0]
  return jnp.array([[c[1, 1], -c[0, 1]], [-c[1, 0], c[0, 0]]]) / det


def score(x, a, sigma):
  """a, sigma: broadcastable against x [B, 2], equal over the batch."""
  a, sigma = _first(a), _first(sigma)
  return -(x - a * jnp.asarray(MU, jnp.float32)) @ precision(a, sigma)


def eps(x, a, sigma):
  return -_first(sigma) * score(x, a, sigma)


def log_density(x, a=1.0, sigma=0.0):
  """log N(x; a MU, a^2 COV + sigma^2 I) in numpy float64, per row."""
  c = a ** 2 * COV + sigma ** 2 * np.eye(2)
  d = np.asarray(x, np.float64) - a * MU
  quad = np.einsum('bi,ij,bj->b', d, np.linalg.inv(c), d)
  return -0.5 * (quad + math.log(np.linalg.det(2 * math.pi * c)))


def sample(rng: np.random.Generator, n: int) -> np.ndarray:
  return (MU + rng.standard_normal((n, 2)) @ np.linalg.cholesky(COV).T).astype(np.float32)


def assert_moments(x, n_se=5.0, what=''):
  """Mean and covariance of samples x [N, 2] match MU, COV within n_se standard errors (plus
  a 2% allowance for the samplers' discretisation)."""
  x = np.asarray(x, np.float64)
  n = x.shape[0]
  assert np.all(np.isfinite(x)), what
  se_mean = np.sqrt(np.diag(COV) / n)
  np.testing.assert_array_less(np.abs(x.mean(0) - MU), n_se * se_mean + 0.02, err_msg=what)
  # Var of a sample covariance entry: (C_ij^2 + C_ii C_jj) / n for Gaussian data.
  se_cov = np.sqrt((COV ** 2 + np.outer(np.diag(COV), np.diag(COV))) / n)
  np.testing.assert_array_less(np.abs(np.cov(x.T) - COV), n_se * se_cov + 0.02 * np.abs(COV)
                               + 0.01, err_msg=what)
