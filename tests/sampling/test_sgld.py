"""SGLD: the stationary law on a known Gaussian, clipping, clamping and masked updates."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.sampling.chains import SGLDConfig
from gdm.sampling.langevin import clip_per_example, sgld
from gdm.utils.schema import parse

pytestmark = pytest.mark.optimized   # long sampler loops: see tests/xla_test_flags.py

KEY = jax.random.key(0, impl='rbg')
MU = np.array([1.0, -0.5])
SIGMA = np.array([[2.0, 1.2], [1.2, 1.0]])
PRECISION = np.linalg.inv(SIGMA)


def gaussian_energy(x):
  d = x - MU
  return 0.5 * jnp.einsum('bi,ij,bj->b', d, jnp.asarray(PRECISION, jnp.float32), d)


def discretised_covariance(h, s):
  """Stationary covariance of x' = x - h P (x - mu) + s eps: C = A C A + s^2 I with
  A = I - h P, solved in P's eigenbasis: c_i = s^2 / (1 - (1 - h lambda_i)^2)."""
  lam, v = np.linalg.eigh(PRECISION)
  return v @ np.diag(s ** 2 / (1 - (1 - h * lam) ** 2)) @ v.T


@pytest.mark.parametrize('h, s', [(0.04, np.sqrt(2 * 0.04)),   # Langevin: targets N(mu, Sigma)
                                  (0.04, 0.1)])                  # decoupled noise: sharper
def test_samples_a_known_gaussian(h, s):
  n = 16_384
  x0 = jax.random.uniform(jax.random.key(1, impl='rbg'), (n, 2), minval=-4.0, maxval=4.0)
  run = jax.jit(lambda x, k: sgld(gaussian_energy, x, k, step_size=h, noise_scale=s,
                                  num_steps=800))
  x = np.asarray(run(x0, KEY), np.float64)
  mean, cov = x.mean(0), np.cov(x.T)
  want = discretised_covariance(h, s)
  # Statistical tolerance: 4 standard errors of n independent chains (slowest mode mixed:
  # (1 - h lambda_min)^800 < 1e-4 of the start's offset remains).
  se_mean = np.sqrt(np.diag(want) / n)
  se_cov = np.sqrt((want ** 2 + np.outer(np.diag(want), np.diag(want))) / n)
  np.testing.assert_array_less(np.abs(mean - MU), 4 * se_mean)
  np.testing.assert_array_less(np.abs(cov - want), 4 * se_cov)
  if s == np.sqrt(2 * h):
    # The chain's O(h) bias against the true covariance: c_i / sigma_i = 1 / (1 - h lam / 2),
    # at most 11% (in the stiff direction, lam_max = 5, variance 0.2); the samples are within
    # that plus sampling error of Sigma.
    bias = np.abs(want - SIGMA)
    assert bias.max() < 0.03
    np.testing.assert_array_less(np.abs(cov - SIGMA), bias + 4 * se_cov)
  else:   # less noise than Langevin: a visibly narrower law than Sigma
    assert np.all(np.diag(cov) < 0.5 * np.diag(SIGMA))


def test_gradient_clipping_bounds_each_examples_step():
  g = jnp.array([[3.0, 4.0], [0.3, 0.4]])
  np.testing.assert_allclose(clip_per_example(g, 1.0), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
  # E = 50 |x|^2: gradient 100 x; one noiseless step of size 0.1 moves by 0.1 * clip.
  x0 = jnp.array([[1.0, 0.0], [0.0, 0.001]])
  energy = lambda x: 50 * jnp.sum(x ** 2, 1)
  step = lambda clip: sgld(energy, x0, KEY, step_size=0.1, noise_scale=0.0, num_steps=1,
                           grad_clip=clip)
  np.testing.assert_allclose(step(2.0), [[1.0 - 0.2, 0.0], [0.0, 0.001 - 0.01]], rtol=1e-5)
  np.testing.assert_allclose(step(0.0), [[1.0 - 10.0, 0.0], [0.0, 0.001 - 0.01]], rtol=1e-5)


def test_bounds_and_update_mask():
  x0 = jnp.zeros((3, 4))
  energy = lambda x: -jnp.sum(x, 1)            # pushes every entry up by step_size per step
  update = jnp.array([True, False, True, False])
  x = sgld(energy, x0, KEY, step_size=0.3, noise_scale=0.0, num_steps=5, bounds=(-1.0, 1.0),
           update=update)
  np.testing.assert_allclose(x, np.tile([1.0, 0.0, 1.0, 0.0], (3, 1)))


@pytest.mark.parametrize('args, message', [
    ((0.0, 0.1, 5, 0.0), 'model.sgld.step_size=0.0 must be > 0'),
    ((-1.0, 0.1, 5, 0.0), 'model.sgld.step_size=-1.0 must be > 0'),
    ((0.1, 0.0, 5, 0.0), 'model.sgld.noise_scale=0.0 must be > 0'),
    ((0.1, -0.1, 5, 0.0), 'model.sgld.noise_scale=-0.1 must be > 0'),
    ((0.1, 0.1, 0, 0.0), 'model.sgld.steps=0 must be >= 1'),
    ((0.1, 0.1, 5, -1.0), 'model.sgld.grad_clip=-1.0 must be >= 0'),
])
def test_bad_settings(args, message):
  values = dict(zip(('step_size', 'noise_scale', 'steps', 'grad_clip'), args))
  with pytest.raises(ValueError, match=message):
    parse(SGLDConfig, values, 'model.sgld.')
