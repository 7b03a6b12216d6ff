"""Relativistic GAN losses (Jolicoeur-Martineau, 2019) against numpy formulas, hand values,
their shift invariance and their value where D cannot tell real from fake."""
import math

import jax.numpy as jnp
import numpy as np
import pytest

from gdm.objectives.adversarial import LOSSES

REAL = np.array([2.0, -1.0, 0.0, 0.5])
FAKE = np.array([-3.0, 0.5, 1.0, 0.0])


def log_sigmoid(s):
  return -np.log1p(np.exp(-s))


def test_pairs_are_registered_and_the_generators_see_real_scores():
  assert LOSSES['rpgan'].g_uses_real and LOSSES['ragan'].g_uses_real


def test_losses_match_the_papers_formulas():
  r, f = REAL, FAKE
  want = {
      'rpgan': (-log_sigmoid(r - f), -log_sigmoid(f - r)),
      'ragan': (-log_sigmoid(r - f.mean()) - np.log(1 - np.exp(log_sigmoid(f - r.mean()))),
                -log_sigmoid(f - r.mean()) - np.log(1 - np.exp(log_sigmoid(r - f.mean())))),
  }
  for name, (d_want, g_want) in want.items():
    pair = LOSSES[name]
    np.testing.assert_allclose(pair.d_loss(jnp.asarray(r), jnp.asarray(f)), d_want, rtol=1e-6)
    np.testing.assert_allclose(pair.g_loss(jnp.asarray(r), jnp.asarray(f)), g_want, rtol=1e-6)


def test_hand_values():
  one, zero = jnp.array([1.0]), jnp.array([0.0])
  # rpgan: -log sigmoid(1 - 0) = log(1 + e^-1); its generator log(1 + e).
  assert float(LOSSES['rpgan'].d_loss(one, zero)[0]) == pytest.approx(0.3132617, rel=1e-6)
  assert float(LOSSES['rpgan'].g_loss(one, zero)[0]) == pytest.approx(1.3132617, rel=1e-6)
  # ragan with one example: each mean is the example itself, so both of its terms are the
  # pairing loss and D is twice rpgan's.
  for r, f in ((one, zero), (jnp.array([-2.5]), jnp.array([0.7]))):
    np.testing.assert_allclose(LOSSES['ragan'].d_loss(r, f), 2 * LOSSES['rpgan'].d_loss(r, f),
                               rtol=1e-6)


@pytest.mark.parametrize('name', ['rpgan', 'ragan'])
@pytest.mark.parametrize('shift', [-5.0, 3.7])
def test_losses_are_invariant_to_shifting_the_critic(name, shift):
  r, f, pair = jnp.asarray(REAL), jnp.asarray(FAKE), LOSSES[name]
  np.testing.assert_allclose(pair.d_loss(r + shift, f + shift), pair.d_loss(r, f), rtol=1e-5)
  np.testing.assert_allclose(pair.g_loss(r + shift, f + shift), pair.g_loss(r, f), rtol=1e-5)


def test_indistinguishable_real_and_fake_give_log_2_per_term():
  # rpgan: any real == fake logits give -log sigmoid(0) = log 2 per example, for both players.
  s = jnp.asarray(REAL)
  for loss in (LOSSES['rpgan'].d_loss, LOSSES['rpgan'].g_loss):
    np.testing.assert_allclose(loss(s, s), math.log(2), rtol=1e-6)
  # ragan compares with batch means: with equal constant logits each of its two terms is
  # log 2, so both losses are 2 log 2 (= log 4, the standard GAN's D loss at D = 1/2).
  c = jnp.full((4,), 0.3)
  for loss in (LOSSES['ragan'].d_loss, LOSSES['ragan'].g_loss):
    np.testing.assert_allclose(loss(c, c), 2 * math.log(2), rtol=1e-6)


def test_losses_are_stable_for_large_scores():
  big, small = jnp.array([300.0, -300.0]), jnp.array([-300.0, 300.0])
  for name in ('rpgan', 'ragan'):
    for loss in (LOSSES[name].d_loss, LOSSES[name].g_loss):
      assert np.all(np.isfinite(loss(big, small)))
  np.testing.assert_allclose(LOSSES['rpgan'].d_loss(big, small), [0.0, 600.0], atol=1e-6)
