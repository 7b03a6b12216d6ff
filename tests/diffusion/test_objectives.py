"""Score-matching objectives: for Gaussian data the optimal predictor is known in closed form
(tests/diffusion/gaussian_reference.py); it is the minimiser of every parameterization's loss
and reaches the closed-form minimum. Importance sampling of t is unbiased."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.objectives import importance_sampling as imp
from gdm.objectives import score_matching as sm
from tests.diffusion import gaussian_reference as G

N = 100_000
# (a, sigma): VP (a^2 + sigma^2 = 1), VE (a = 1), sub-VP (sigma = 1 - a^2).
LEVELS = [(0.8, 0.6), (1.0, 3.0), (0.6, 0.64)]


@pytest.mark.parametrize('param', sm.PARAMETERIZATIONS)
def test_round_trip(param):
  rng = np.random.default_rng(0)
  x0, eps = (jnp.asarray(rng.standard_normal((5, 3)), jnp.float32) for _ in range(2))
  for a, s in LEVELS:
    xt = a * x0 + s * eps
    out = sm.target(x0, eps, a, s, param)
    e, x = sm.predictions(out, xt, a, s, param)
    np.testing.assert_allclose(e, eps, atol=1e-5)
    np.testing.assert_allclose(x, x0, atol=1e-5)
    np.testing.assert_allclose(sm.output_from_eps(eps, xt, a, s, param), out, atol=1e-5)


@jax.jit
def _gaussian_case(x0, eps, a, s):
  xt = a * x0 + s * eps
  m = a * jnp.asarray(G.MU, jnp.float32)
  exact_eps = G.eps(xt, a, s)
  out = {}
  for param in sm.PARAMETERIZATIONS:
    exact = sm.output_from_eps(exact_eps, xt, a, s, param)

    def loss(delta, exact=exact, param=param):
      # A linear perturbation of the exact predictor: exact + A (x_t - m) + c.
      pred = exact + (xt - m) @ delta['A'] + delta['c']
      return sm.dsm_loss(pred, x0, eps, a, s, param).mean()

    zero = {'A': jnp.zeros((2, 2)), 'c': jnp.zeros(2)}
    off = {'A': 0.1 * jnp.eye(2), 'c': jnp.full(2, 0.1)}
    out[param] = (jax.grad(loss)(zero), jax.grad(loss)(off), loss(zero), loss(off))
  out['eps_min'] = sm.dsm_loss(exact_eps, x0, eps, a, s, 'eps').mean()
  return out


def test_the_exact_predictor_minimises_every_parameterization():
  rng = np.random.default_rng(1)
  x0 = jnp.asarray(G.sample(rng, N))
  eps = jnp.asarray(rng.standard_normal((N, 2)), jnp.float32)
  for a, s in LEVELS:
    got = _gaussian_case(x0, eps, jnp.float32(a), jnp.float32(s))
    for param in sm.PARAMETERIZATIONS:
      g0, g1, l0, l1 = got[param]
      size0 = max(np.abs(np.asarray(v)).max() for v in jax.tree.leaves(g0))
      size1 = max(np.abs(np.asarray(v)).max() for v in jax.tree.leaves(g1))
      # Monte Carlo gradient at the minimiser ~ 1/sqrt(N); away from it, O(0.1).
      assert size0 < 0.02 and size1 > 10 * size0, (a, s, param, size0, size1)
      assert float(l0) < float(l1), (a, s, param)
    # The minimum of the eps loss is E tr Cov[eps | x_t] / D = tr(I - sigma^2 C^-1) / 2.
    c = a * a * G.COV + s * s * np.eye(2)
    expected = np.trace(np.eye(2) - s * s * np.linalg.inv(c)) / 2
    np.testing.assert_allclose(float(got['eps_min']), expected, rtol=0.02)


def test_score_losses():
  rng = np.random.default_rng(2)
  out, eps = (jnp.asarray(rng.standard_normal((4, 3)), jnp.float32) for _ in range(2))
  sigma = jnp.asarray([0.1, 1.0, 2.0, 5.0]).reshape(4, 1)
  score = -out / sigma
  # sigma^2 ||score + eps / sigma||^2 = ||eps - out||^2: NCSN's weighting equalises levels.
  np.testing.assert_allclose(sm.ncsn_loss(score, eps, sigma),
                             0.5 * np.mean((np.asarray(eps) - np.asarray(out)) ** 2, 1),
                             rtol=1e-5)
  w = jnp.asarray([1.0, 2.0, 3.0, 4.0])
  np.testing.assert_allclose(
      sm.weighted_score_loss(score, eps, sigma, w),
      np.asarray(w) * np.mean((np.asarray(score) + np.asarray(eps) / np.asarray(sigma)) ** 2, 1),
      rtol=1e-5)


def test_importance_sampling_is_unbiased():
  T = 5
  losses = jnp.asarray([4.0, 1.0, 0.5, 2.0, 0.1])
  state = imp.init_state(T)
  np.testing.assert_allclose(imp.probabilities(state), np.full(T, 0.2))  # until all seen
  state = imp.update(state, jnp.arange(T), losses)
  p = np.asarray(imp.probabilities(state))
  sq = np.sqrt(np.asarray(losses) ** 2)
  np.testing.assert_allclose(p, (1 - imp.UNIFORM_MASS) * sq / sq.sum() + imp.UNIFORM_MASS / T,
                             rtol=1e-5)
  # E_p[L_t / (T p_t)] = mean_t L_t, whatever p is.
  t, w = imp.sample(jax.random.key(0, impl="rbg"), state, 20_000)
  est = float(jnp.mean(w * losses[t]))
  np.testing.assert_allclose(est, float(losses.mean()), rtol=0.05)
  np.testing.assert_allclose(float(jnp.sum(jnp.asarray(p) * losses / (T * jnp.asarray(p)))),
                             float(losses.mean()), rtol=1e-5)
  # A second update moves mean_sq towards the new values by 1 - DECAY.
  state2 = imp.update(state, jnp.array([0, 0]), jnp.array([0.0, 2.0]))
  np.testing.assert_allclose(float(state2['mean_sq'][0]), imp.DECAY * 16 + (1 - imp.DECAY) * 2,
                             rtol=1e-5)
