"""Every sampler, driven by the exact score of Gaussian data N(MU, COV), reproduces the
data's mean and covariance; the probability-flow ODE likelihood equals the analytic
log-density; DDIM with eta = 1 on the full schedule is the ancestral sampler."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.diffusion import samplers, schedules
from gdm.diffusion.sde import SDE
from tests.diffusion import gaussian_reference as G

pytestmark = pytest.mark.optimized   # long sampler loops: see tests/xla_test_flags.py

KEY = jax.random.key(0, impl='rbg')
N = 4000
T = 1000
SCHED = schedules.make_schedule('linear', T)


def discrete_eps_fn(variance):
  def eps_fn(x, t):
    a, sigma = schedules.marginal(SCHED, t, x)
    return G.eps(x, a, sigma), schedules.reverse_log_variance(SCHED, t, x, variance)
  return eps_fn


def prior(key, std=1.0):
  return std * jax.random.normal(key, (N, 2))


@pytest.mark.parametrize('variance', ['fixed_small', 'fixed_large'])
def test_ancestral(variance):
  run = jax.jit(lambda k: samplers.ddpm_ancestral(k, discrete_eps_fn(variance), SCHED,
                                                  prior(k)))
  G.assert_moments(run(KEY), what=variance)


def test_ddim_eta0_on_a_subset_and_eta1_is_ancestral():
  eps_fn = discrete_eps_fn('fixed_small')
  subset = samplers.spaced_timesteps(T, 200)
  x = jax.jit(lambda k: samplers.ddim(k, eps_fn, SCHED, prior(k), subset, eta=0.0))(KEY)
  G.assert_moments(x, what='ddim eta=0, 200 steps')
  # eta = 1 on all T steps is the same update as the ancestral sampler with beta~ variances:
  # same noise, same samples, even for a wrong model (here: the exact eps scaled by 0.7).
  wrong = lambda x, t: (0.7 * eps_fn(x, t)[0], eps_fn(x, t)[1])   # noqa: E731
  x_init = prior(jax.random.key(1, impl='rbg'))[:256]
  full = np.arange(T)[::-1]
  a = samplers.ddim(KEY, wrong, SCHED, x_init, full, eta=1.0)
  b = samplers.ddpm_ancestral(KEY, wrong, SCHED, x_init)
  np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-3, atol=1e-3)


def test_annealed_langevin():
  sigmas = jnp.asarray(np.geomspace(10.0, 0.01, 20), jnp.float32)

  def score_fn(x, i):
    return G.score(x, 1.0, sigmas[i])

  run = jax.jit(lambda k: samplers.annealed_langevin(k, score_fn, sigmas, prior(k, 10.0),
                                                     steps_per_sigma=100, step_lr=2e-4))
  G.assert_moments(run(KEY), what='annealed Langevin')


def sde_score(sde):
  def score_fn(x, t):
    a, sigma = sde.marginal(t, x)
    return G.score(x, a, sigma)
  return score_fn


@pytest.mark.parametrize('kind', ['vp', 'subvp', 've'])
def test_sde_samplers(kind):
  sde = SDE(kind)
  score_fn, eps = sde_score(sde), sde.sampling_eps

  @jax.jit
  def run(key):
    x1 = sde.prior_sample(key, (N, 2))
    k1, k2 = jax.random.split(key)
    return (samplers.euler_maruyama(k1, score_fn, sde, x1, 1000, eps),
            samplers.predictor_corrector(k2, score_fn, sde, x1, 500, eps, snr=0.16),
            samplers.ode_sample(score_fn, sde, x1, 100, eps))

  for name, x in zip(('euler_maruyama', 'predictor_corrector', 'ode'), run(KEY)):
    G.assert_moments(x, what=f'{kind} {name}')


@pytest.mark.parametrize('kind', ['vp', 've'])
def test_ode_likelihood_is_the_analytic_log_density(kind):
  sde = SDE(kind)
  x = jnp.asarray(G.sample(np.random.default_rng(0), 64))
  eps = sde.sampling_eps
  a, sigma = sde.marginal_1d(eps)
  expected = G.log_density(np.asarray(x), float(a), float(sigma))
  a1, sigma1 = sde.marginal_1d(1.0)

  @jax.jit
  def run(key):
    exact, x1 = samplers.ode_log_likelihood(key, sde_score(sde), sde, x, 100, eps, 'exact')
    # Hutchinson's estimate, 64 probes per point. The probe is fixed along the path, so in
    # 2-D it is tr(A) + 2 e1 e2 A_12 with A the integrated Jacobian and e1 e2 = +-1: two
    # values per point, whose midpoint is the exact answer (and both occur in 64 draws).
    xs = jnp.tile(x, (64, 1))
    hutch, _ = samplers.ode_log_likelihood(key, sde_score(sde), sde, xs, 100, eps)
    hutch = hutch.reshape(64, -1)
    return exact, 0.5 * (hutch.min(0) + hutch.max(0)), x1, sde.prior_log_prob(x1)

  exact, hutch, x1, prior_lp = map(np.asarray, run(KEY))
  # The only approximation besides the integrator is the prior: p_1 is N(a(1) MU, ...), not
  # exactly N(0, prior_std^2 I). With the exact p_1 in its place the ODE gives the analytic
  # density to integrator precision; as is, within the prior mismatch (a few 0.01 nats).
  mismatch = G.log_density(x1, float(a1), float(sigma1)) - prior_lp
  np.testing.assert_allclose(exact + mismatch, expected, atol=2e-4)
  np.testing.assert_allclose(exact, expected, atol=0.05)
  np.testing.assert_allclose(hutch + mismatch, expected, atol=1e-3)


def test_spaced_timesteps_and_step_counts():
  np.testing.assert_array_equal(samplers.spaced_timesteps(10, 4), [9, 6, 3, 0])
  assert len(samplers.spaced_timesteps(1000, 50)) == 50
  with pytest.raises(ValueError, match=r'1001 steps is not in \[1, 1000\]'):
    samplers.spaced_timesteps(1000, 1001)
  with pytest.raises(ValueError, match='strictly decreasing'):
    samplers.ddim(KEY, None, SCHED, jnp.zeros((1, 2)), np.array([3, 5]))
