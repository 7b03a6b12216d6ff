"""Forward processes: closed-form marginals against the step-by-step chain, the posterior
against Bayes' rule on Gaussians, the SDEs' marginals against their moment ODEs."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from gdm.diffusion import schedules
from gdm.diffusion.sde import SDE

KEY = jax.random.key(0, impl='rbg')


def test_linear_and_cosine_betas():
  b = schedules.make_betas('linear', 1000)
  assert b[0] == pytest.approx(1e-4) and b[-1] == pytest.approx(0.02) and len(b) == 1000
  b = schedules.make_betas('cosine', 100)
  f = lambda t: math.cos((t / 100 + 0.008) / 1.008 * math.pi / 2) ** 2   # noqa: E731
  np.testing.assert_allclose(np.cumprod(1 - b)[[0, 49, 98]],
                             [f(1) / f(0), f(50) / f(0), f(99) / f(0)], rtol=1e-6)


@pytest.mark.parametrize('name', schedules.SCHEDULES)
def test_marginal_matches_the_chain(name):
  s = schedules.make_schedule(name, 50)
  betas = np.asarray(schedules.make_betas(name, 50))
  x0 = jnp.array([[1.5, -2.0]])
  # Exact moments of the chain, step by step (float64): m <- sqrt(1-b) m, v <- (1-b) v + b.
  m, v = np.array([1.5, -2.0]), 0.0
  n = 40_000
  x = np.broadcast_to(np.array([1.5, -2.0]), (n, 2)).copy()
  rng = np.random.default_rng(0)
  a_all, sigma_all = schedules.marginal(s, jnp.arange(50), jnp.zeros((50, 1)))
  for t in range(50):
    m, v = np.sqrt(1 - betas[t]) * m, (1 - betas[t]) * v + betas[t]
    x = np.sqrt(1 - betas[t]) * x + np.sqrt(betas[t]) * rng.standard_normal(x.shape)
    np.testing.assert_allclose(float(a_all[t, 0]) * np.array([1.5, -2.0]), m, rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(float(sigma_all[t, 0]) ** 2, v, rtol=1e-5, atol=1e-6)
    if t in (0, 10, 49):      # and the simulated chain agrees (5 standard errors)
      np.testing.assert_allclose(x.mean(0), m, atol=5 * math.sqrt(v / n))
      np.testing.assert_allclose(x.var(0), v, atol=5 * v * math.sqrt(2 / n))
  xt = schedules.q_sample(s, x0, jnp.array([49]), jnp.ones_like(x0))
  np.testing.assert_allclose(np.asarray(xt)[0], m + math.sqrt(v), rtol=1e-5)


def test_posterior_is_bayes_rule():
  s = schedules.make_schedule('linear', 20)
  betas = schedules.make_betas('linear', 20)
  ab = np.cumprod(1 - betas)
  x0, xt = np.array([0.7, -1.3]), np.array([0.2, 0.9])
  for t in (1, 7, 19):
    # Joint of (x_{t-1}, x_t) given x_0 in float64, then Gaussian conditioning on x_t.
    m1, v1 = np.sqrt(ab[t - 1]) * x0, 1 - ab[t - 1]
    m2, v2 = np.sqrt(1 - betas[t]) * m1, (1 - betas[t]) * v1 + betas[t]
    c12 = np.sqrt(1 - betas[t]) * v1
    mean, var = m1 + c12 / v2 * (xt - m2), v1 - c12 ** 2 / v2
    got_mean, got_var, got_log_var = schedules.posterior(
        s, jnp.asarray(x0[None]), jnp.asarray(xt[None]), jnp.array([t]))
    np.testing.assert_allclose(np.asarray(got_mean)[0], mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(float(got_var[0, 0]), var, rtol=1e-5)
    np.testing.assert_allclose(float(got_log_var[0, 0]), math.log(var), rtol=1e-5)
  # At t = 0 the posterior is x_0 itself.
  mean, var, _ = schedules.posterior(s, jnp.asarray(x0[None]), jnp.asarray(xt[None]),
                                     jnp.array([0]))
  np.testing.assert_allclose(np.asarray(mean)[0], x0, rtol=1e-6)
  assert float(var[0, 0]) == 0.0


def test_reverse_variances():
  s = schedules.make_schedule('linear', 20)
  x = jnp.zeros((3, 2))
  t = jnp.array([0, 5, 19])
  small = schedules.reverse_log_variance(s, t, x, 'fixed_small')
  large = schedules.reverse_log_variance(s, t, x, 'fixed_large')
  np.testing.assert_allclose(np.exp(np.asarray(large[1:, 0])), np.asarray(s.betas)[[5, 19]],
                             rtol=1e-5)
  np.testing.assert_allclose(np.exp(np.asarray(small[1:, 0])),
                             np.asarray(s.posterior_variance)[[5, 19]], rtol=1e-5)
  # u = 1 gives the large end, u = 0 (v = -1) the small one.
  np.testing.assert_allclose(schedules.reverse_log_variance(s, t, x, 'learned_range',
                                                            jnp.ones_like(x)), large)
  np.testing.assert_allclose(schedules.reverse_log_variance(s, t, x, 'learned_range',
                                                            -jnp.ones_like(x)), small)


@pytest.mark.parametrize('kind', ['vp', 'subvp', 've'])
def test_sde_marginals_solve_the_moment_odes(kind):
  """For dx = -b(t) x dt + g dw from a point x_0: d mean/dt = -b mean, d var/dt = -2 b var +
  g^2. marginal() must be the solution of these ODEs."""
  sde = SDE(kind)
  x = jnp.ones((1, 1))

  coefs = jax.jit(lambda t: sde.sde(jnp.ones((1, 1)), t[None]))

  def rhs(t, y):
    f, g = coefs(jnp.float32(t))
    b = -float(f[0, 0])
    return [-b * y[0], -2 * b * y[1] + float(g[0, 0]) ** 2]

  ts = [0.1, 0.5, 1.0]
  sol = solve_ivp(rhs, (0, 1), [1.0, 0.0], t_eval=ts, rtol=1e-7, atol=1e-9)
  for i, t in enumerate(ts):
    a, sigma = sde.marginal(jnp.array([t]), x)
    np.testing.assert_allclose(float(a[0, 0]), sol.y[0, i], rtol=1e-4)
    np.testing.assert_allclose(float(sigma[0, 0]) ** 2, sol.y[1, i], rtol=1e-4)
  assert float(sde.prior_log_prob(jnp.zeros((1, 3)))[0]) == pytest.approx(
      -1.5 * math.log(2 * math.pi * sde.prior_std ** 2))


def test_vp_sde_is_the_limit_of_ddpm():
  s = schedules.make_schedule('linear', 1000)
  a, _ = SDE('vp').marginal(jnp.array([0.25, 0.5, 1.0]), jnp.zeros((3, 1)))
  np.testing.assert_allclose(np.asarray(a[:, 0]),
                             np.sqrt(np.asarray(s.alpha_bar)[[249, 499, 999]]), rtol=0.02,
                             atol=1e-4)
