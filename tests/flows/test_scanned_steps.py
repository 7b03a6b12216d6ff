"""Scanned Glow steps: a bijector with the brute-force logdet, equal to applying its stacked
steps one by one, the same with remat, and a real init that differs per step."""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.flows.scanned_steps import GlowStep, GlowSteps
from tests.flows.test_flow_layers import check_bijector, params_for

X = jax.random.normal(jax.random.PRNGKey(3), (2, 4, 4, 4))
STEPS = GlowSteps(num_steps=3, first_seed=5, lu=True, channels=8)


def test_scanned_steps_invert_with_the_brute_force_logdet():
  check_bijector(STEPS, X)
  check_bijector(GlowSteps(num_steps=2, first_seed=0, lu=False, channels=8), X)


def test_scanned_steps_equal_their_steps_applied_one_by_one():
  params = params_for(STEPS, X)
  stacked = params['params']['steps']
  assert jax.tree.leaves(stacked)[0].shape[0] == 3
  y, logdet = STEPS.apply(params, X)
  h, total = X, jnp.zeros(2)
  for i in range(3):
    step = GlowStep(True, 8, 0, (64, 64), 'relu')
    (h, total), _ = step.apply({'params': jax.tree.map(lambda a: a[i], stacked)}, (h, total),
                               jnp.int32(5 + i))
  np.testing.assert_allclose(y, h, rtol=1e-5, atol=1e-5)
  np.testing.assert_allclose(logdet, total, rtol=1e-5, atol=1e-5)


def test_remat_changes_nothing_computed():
  remat = GlowSteps(num_steps=3, first_seed=5, lu=True, channels=8, remat=True)
  params = params_for(STEPS, X)
  loss = lambda m: lambda p: m.apply(p, X)[0].sum() + m.apply(p, X)[1].sum()  # noqa: E731
  g1, g2 = jax.grad(loss(STEPS))(params), jax.grad(loss(remat))(params)
  for a, b in zip(jax.tree.leaves(g1), jax.tree.leaves(g2)):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_init_gives_each_step_its_own_rotation_and_data_dependent_actnorm():
  params = STEPS.init(jax.random.PRNGKey(0), X)['params']['steps']
  lower = np.asarray(params['conv1x1']['lower'])
  assert not np.allclose(lower[0], lower[1]) and not np.allclose(lower[1], lower[2])
  # the first step's actnorm makes the batch zero-mean per channel
  loc = np.asarray(params['actnorm']['loc'][0])
  np.testing.assert_allclose(loc, -np.asarray(X).mean((0, 1, 2)), rtol=1e-5, atol=1e-6)
