"""EDM against known answers: the preconditioning coefficients and the sigma grid against
their formulas; for Gaussian data the ideal denoiser D(x; sigma) = E[x_0 | x] minimises the
loss (with sigma_data = the data's std its loss is exactly 1 at every sigma), and the Heun
sampler driven by it reproduces the data's mean and covariance, deterministically when
S_churn = 0, in 2N - 1 denoiser calls."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.diffusion.processes import PROCESSES, ProcessData
from gdm.diffusion.processes.edm import EDMSettings, loss_weight, preconditioning
from gdm.diffusion.samplers import SAMPLERS
from gdm.diffusion.samplers.heun import HeunOptions, churn_gammas, heun, karras_sigmas
from tests.diffusion import gaussian_reference as G

KEY = jax.random.key(0, impl='rbg')
N = 4000


def test_preconditioning_matches_table_1():
  sd = 0.5
  sigma = np.array([0.002, 0.1, 0.5, 1.0, 7.3, 80.0])
  c_skip, c_out, c_in, c_noise = map(np.asarray, preconditioning(sigma, sd))
  np.testing.assert_allclose(c_skip, sd ** 2 / (sigma ** 2 + sd ** 2), rtol=1e-6)
  np.testing.assert_allclose(c_out, sigma * sd / np.sqrt(sigma ** 2 + sd ** 2), rtol=1e-6)
  np.testing.assert_allclose(c_in, 1 / np.sqrt(sigma ** 2 + sd ** 2), rtol=1e-6)
  np.testing.assert_allclose(c_noise, np.log(sigma) / 4, rtol=1e-6, atol=1e-7)
  lam = np.asarray(loss_weight(sigma, sd))
  np.testing.assert_allclose(lam, (sigma ** 2 + sd ** 2) / (sigma * sd) ** 2, rtol=1e-6)
  # lambda = 1 / c_out^2: the network's own target has unit weight; and c_in x has unit
  # variance when x = x_0 + sigma n with Var[x_0] = sigma_data^2.
  np.testing.assert_allclose(lam * c_out ** 2, 1.0, rtol=1e-5)
  np.testing.assert_allclose(c_in ** 2 * (sd ** 2 + sigma ** 2), 1.0, rtol=1e-5)


def test_sigma_grid_is_the_rho_formula():
  n, lo, hi, rho = 18, 0.002, 80.0, 7.0
  got = karras_sigmas(n, lo, hi, rho)
  want = [(hi ** (1 / rho) + i / (n - 1) * (lo ** (1 / rho) - hi ** (1 / rho))) ** rho
          for i in range(n)] + [0.0]
  np.testing.assert_allclose(got, want, rtol=1e-12)
  assert got[0] == pytest.approx(hi) and got[n - 1] == pytest.approx(lo) and got[n] == 0
  assert np.all(np.diff(got) < 0)
  np.testing.assert_array_equal(karras_sigmas(1, lo, hi, rho), [hi, 0.0])
  gammas = churn_gammas(got, HeunOptions(s_churn=40.0, s_min=0.05, s_max=50.0))
  inside = (got[:-1] >= 0.05) & (got[:-1] <= 50.0)
  np.testing.assert_allclose(gammas, np.where(inside, min(40 / n, math.sqrt(2) - 1), 0.0))


def edm(sd=1.0, **settings):
  return PROCESSES['edm'].build(EDMSettings(sigma_data=sd, **settings), ProcessData((2,)))


def output_for(process, denoiser):
  """The network output F(c_in x, c_noise) whose preconditioned D(x; sigma) is denoiser."""
  def out(x_in, c_noise):
    sigma = jnp.exp(4 * c_noise)[:, None]
    c_skip, c_out, c_in, _ = preconditioning(sigma, process.s.sigma_data)
    x = x_in / c_in
    return (denoiser(x, sigma) - c_skip * x) / c_out
  return out


def isotropic_denoiser(mu, s):
  """E[x_0 | x] for x_0 ~ N(mu, s^2 I): mu + s^2 / (s^2 + sigma^2) (x - mu)."""
  return lambda x, sigma: mu + s ** 2 / (s ** 2 + sigma ** 2) * (x - mu)


def gaussian_denoiser(x, sigma):
  """E[x_0 | x] = x + sigma^2 grad log p(x) (Tweedie) for x_0 ~ N(G.MU, G.COV), one sigma."""
  return x + sigma[0, 0] ** 2 * G.score(x, 1.0, sigma)


@jax.jit
def _losses(x0, noise, key):
  s = math.sqrt(0.7)               # x_0 ~ N(mu, s^2 I), sigma_data = s
  mu = jnp.asarray(G.MU, jnp.float32)
  process = edm(sd=s)
  ideal = output_for(process, isotropic_denoiser(mu, s))

  def loss(delta):
    def net_fn(x_in, c_noise):     # the ideal output, linearly perturbed
      return ideal(x_in, c_noise) + x_in @ delta['A'] + delta['c']
    per_example, _, _ = process.loss(net_fn, mu + s * x0, noise, key, {}, True)
    return per_example.mean()

  zero = {'A': jnp.zeros((2, 2)), 'c': jnp.zeros(2)}
  off = {'A': 0.1 * jnp.eye(2), 'c': jnp.full(2, 0.1)}
  return jax.grad(loss)(zero), jax.grad(loss)(off), loss(zero), loss(off)


def test_the_ideal_denoiser_minimises_the_loss():
  rng = np.random.default_rng(1)
  x0, noise = (jnp.asarray(rng.standard_normal((100_000, 2)), jnp.float32) for _ in range(2))
  g0, g1, l0, l1 = _losses(x0, noise, KEY)
  size0 = max(np.abs(np.asarray(v)).max() for v in jax.tree.leaves(g0))
  size1 = max(np.abs(np.asarray(v)).max() for v in jax.tree.leaves(g1))
  # Monte Carlo gradient at the minimiser ~ 1/sqrt(N); away from it, O(0.1).
  assert size0 < 0.02 and size1 > 10 * size0, (size0, size1)
  assert float(l0) < float(l1)
  # lambda(sigma) Var[x_0 | x] = 1 per dimension when sigma_data is the data's std.
  np.testing.assert_allclose(float(l0), 1.0, rtol=0.02)


def run_heun(process, key, x_init, steps=18, **churn):
  fn = process.model_fn(output_for(process, gaussian_denoiser))
  return SAMPLERS['heun'].run(process, key, fn, x_init, steps, HeunOptions(**churn))


@pytest.mark.optimized
def test_heun_with_the_exact_denoiser_reproduces_the_data():
  process = edm()
  x_init = process.prior_sample(jax.random.key(1, impl='rbg'), (N, 2))
  det = jax.jit(lambda k: run_heun(process, k, x_init))
  G.assert_moments(det(KEY), what='heun, 18 steps')
  # The paper's stochastic setting (its ImageNet one: 256 steps); with gamma = sqrt(2) - 1 at
  # every step, 18 steps are too coarse for churn (about 20% too much variance).
  churned = jax.jit(lambda k: run_heun(process, k, x_init, steps=256, s_churn=40.0,
                                       s_min=0.05, s_max=50.0, s_noise=1.003))
  G.assert_moments(churned(KEY), what='heun with churn, 256 steps')


def test_churn_zero_is_deterministic():
  process = edm()
  x_init = process.prior_sample(jax.random.key(1, impl='rbg'), (64, 2))
  det = jax.jit(lambda k: run_heun(process, k, x_init, steps=6))
  a, b = det(KEY), det(jax.random.key(7, impl='rbg'))
  np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
  churned = jax.jit(lambda k: run_heun(process, k, x_init, steps=6, s_churn=10.0))
  assert not np.allclose(np.asarray(churned(KEY)), np.asarray(churned(jax.random.key(7))))


def test_heun_calls_the_denoiser_2n_minus_1_times():
  calls = []

  def denoiser(x, sigma):
    jax.debug.callback(lambda: calls.append(1))
    return jnp.zeros_like(x)        # D = 0: x shrinks with sigma, x_N = 0 exactly

  sigmas = karras_sigmas(18, 0.002, 80.0, 7.0)
  x = jax.block_until_ready(jax.jit(lambda k: heun(k, denoiser, jnp.ones((3, 2)), sigmas))(KEY))
  assert len(calls) == 35
  np.testing.assert_allclose(np.asarray(x), 0.0, atol=1e-6)
