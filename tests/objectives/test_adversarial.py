"""Adversarial loss pairs and penalties against their formulas, brute force and the JS
identity."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.objectives import adversarial
from gdm.objectives.adversarial import auxiliary, hinge, lsgan, standard, wgan
from gdm.objectives.adversarial import regularizers as R
from gdm.objectives.adversarial.pair import accuracy

REAL = np.array([2.0, -1.0, 0.0])
FAKE = np.array([-3.0, 0.5, 1.0])
# The discriminator's two per-side terms of each separable loss.
TERMS = {'minimax': standard, 'non_saturating': standard, 'lsgan': lsgan, 'wgan': wgan,
         'hinge': hinge}


def sigmoid(s):
  return 1 / (1 + np.exp(-s))


@pytest.mark.parametrize('name, d_real, d_fake, g_fake', [
    # -log D(x), -log(1 - D(G(z))), and the generator's term, D = sigmoid(score)
    ('minimax', -np.log(sigmoid(REAL)), -np.log(1 - sigmoid(FAKE)), np.log(1 - sigmoid(FAKE))),
    ('non_saturating', -np.log(sigmoid(REAL)), -np.log(1 - sigmoid(FAKE)),
     -np.log(sigmoid(FAKE))),
    ('lsgan', [0.5, 2.0, 0.5], [4.5, 0.125, 0.5], [8.0, 0.125, 0.0]),
    ('wgan', [-2.0, 1.0, 0.0], [-3.0, 0.5, 1.0], [3.0, -0.5, -1.0]),
    ('hinge', [0.0, 2.0, 1.0], [0.0, 1.5, 2.0], [3.0, -0.5, -1.0]),
])
def test_losses_match_their_formulas(name, d_real, d_fake, g_fake):
  pair, terms = adversarial.LOSSES[name], TERMS[name]
  on_real, on_fake = terms.d_on_real(jnp.asarray(REAL)), terms.d_on_fake(jnp.asarray(FAKE))
  np.testing.assert_allclose(on_real, d_real, rtol=1e-6, atol=1e-7)
  np.testing.assert_allclose(on_fake, d_fake, rtol=1e-6, atol=1e-7)
  np.testing.assert_allclose(pair.d_loss(REAL, FAKE), np.asarray(d_real) + d_fake, rtol=1e-6)
  np.testing.assert_allclose(pair.g_loss(None, jnp.asarray(FAKE)), g_fake, rtol=1e-6,
                             atol=1e-7)


def test_losses_are_stable_for_large_scores():
  big = jnp.array([-200.0, 200.0])
  for pair in adversarial.LOSSES.values():
    assert np.all(np.isfinite(pair.d_loss(big, big)))
    assert np.all(np.isfinite(pair.g_loss(big, big)))
  np.testing.assert_allclose(adversarial.LOSSES['non_saturating'].g_loss(None, big),
                             [200.0, 0.0], atol=1e-6)


def test_accuracy_thresholds():
  t = {name: adversarial.LOSSES[name].threshold for name in ('hinge', 'lsgan')}
  np.testing.assert_allclose(accuracy(t['hinge'], np.array([2.0, -1.0, 1.0]), FAKE),
                             [1.0, 0.0, 0.5])
  np.testing.assert_allclose(accuracy(t['lsgan'], np.array([0.6, 0.4]), np.array([0.4, 0.6])),
                             [1.0, 0.0])


def test_unknown_loss():
  with pytest.raises(ValueError, match="unknown GAN loss 'wgan_gp'; choose one of: minimax"):
    adversarial.loss_pair('wgan_gp')


def _gauss(x, mu, s):
  return np.exp(-0.5 * ((x - mu) / s) ** 2) / (s * math.sqrt(2 * math.pi))


def test_optimal_discriminator_gives_the_jensen_shannon_value():
  """At D* = p_data / (p_data + p_g) the discriminator's loss is log 4 - 2 JS(p_data, p_g),
  i.e. the minimax value V(D*, G) = -log 4 + 2 JS (Goodfellow et al., 2014, Thm. 1)."""
  x = np.linspace(-12, 14, 200_001)
  dx = x[1] - x[0]
  p, q = _gauss(x, 0.0, 1.0), 0.7 * _gauss(x, 2.0, 0.5) + 0.3 * _gauss(x, -1.0, 2.0)
  m = 0.5 * (p + q)
  js = 0.5 * np.sum(p * np.log(p / m)) * dx + 0.5 * np.sum(q * np.log(q / m)) * dx
  logit = jnp.asarray(np.log(p) - np.log(q))        # sigmoid(logit) = p / (p + q)
  on_real, on_fake = standard.d_on_real(logit), standard.d_on_fake(logit)
  value = -(np.sum(p * np.asarray(on_real, np.float64)) * dx
            + np.sum(q * np.asarray(on_fake, np.float64)) * dx)
  assert 0.05 < js < math.log(2)
  assert value == pytest.approx(-math.log(4) + 2 * js, abs=1e-5)
  # Any other discriminator does worse (a higher loss): D* is the maximiser of V.
  for shift in (-0.5, 0.3):
    on_real, on_fake = standard.d_on_real(logit + shift), standard.d_on_fake(logit + shift)
    worse = -(np.sum(p * np.asarray(on_real)) + np.sum(q * np.asarray(on_fake))) * dx
    assert worse < value - 1e-3
  # Identical densities: JS = 0, value -log 4.
  zero = jnp.zeros(3)
  assert float(adversarial.LOSSES['minimax'].d_loss(zero, zero)[0]) == \
      pytest.approx(math.log(4))


def _critic(params, x):
  w1, w2 = params
  return jnp.tanh(x.reshape(x.shape[0], -1) @ w1) @ w2


def _numeric_grads(f, x, h=1e-5):
  """Central differences of f (one example [D] -> scalar) in float64."""
  g = np.zeros_like(x)
  for j in range(x.size):
    e = np.zeros_like(x)
    e.flat[j] = h
    g.flat[j] = (f(x + e) - f(x - e)) / (2 * h)
  return g


def test_gradient_penalty_and_r1_against_brute_force():
  rng = np.random.default_rng(0)
  w1, w2 = rng.normal(size=(6, 5)), rng.normal(size=(5,))
  real, fake = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, 3, 2))
  key = jax.random.key(0, impl='rbg')
  critic = lambda v: _critic((jnp.asarray(w1, jnp.float32), jnp.asarray(w2, jnp.float32)), v)
  f64 = lambda v: float(np.tanh(v.reshape(-1) @ w1) @ w2)

  x_hat = np.asarray(R.interpolate(jnp.asarray(real), jnp.asarray(fake), key), np.float64)
  eps = (x_hat - fake).reshape(4, -1)[:, 0] / (real - fake).reshape(4, -1)[:, 0]
  np.testing.assert_allclose(x_hat, eps[:, None, None] * real + (1 - eps[:, None, None]) * fake,
                             atol=1e-5)
  assert np.all((eps >= 0) & (eps <= 1)) and np.ptp(eps) > 0    # one eps per example

  gp = R.gradient_penalty(critic, jnp.asarray(real, jnp.float32),
                          jnp.asarray(fake, jnp.float32), key)
  want = [(np.linalg.norm(_numeric_grads(f64, x)) - 1) ** 2 for x in x_hat]
  np.testing.assert_allclose(gp, want, rtol=1e-4)

  r1 = R.r1_penalty(critic, jnp.asarray(real, jnp.float32))
  want = [np.sum(_numeric_grads(f64, x) ** 2) for x in real]
  np.testing.assert_allclose(r1, want, rtol=1e-4)


def test_clip_weights_keeps_params_in_the_box():
  import optax
  params = {'w': jnp.array([0.005, -0.009, 0.0]), 'b': jnp.array([0.02])}
  tx = optax.chain(optax.sgd(1.0), R.clip_weights(0.01))
  grads = {'w': jnp.array([-1.0, 0.0005, 0.003]), 'b': jnp.array([0.0])}
  updates, _ = tx.update(grads, tx.init(params), params)
  new = optax.apply_updates(params, updates)
  np.testing.assert_allclose(new['w'], [0.01, -0.0095, -0.003], atol=1e-7)
  np.testing.assert_allclose(new['b'], [0.01])


def test_info_log_likelihood_and_code_entropy():
  logits = jnp.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
  cat = jnp.array([0, 2])
  mean, code = jnp.array([[0.5, 0.0]]).repeat(2, 0), jnp.array([[1.0, -1.0], [0.5, 0.0]])
  got = auxiliary.info_log_likelihood(logits, cat, mean, code)
  log_softmax = np.asarray(logits) - np.log(np.exp(np.asarray(logits)).sum(1, keepdims=True))
  gauss = -0.5 * (np.asarray(code) - np.asarray(mean)) ** 2 - 0.5 * np.log(2 * np.pi)
  np.testing.assert_allclose(got, log_softmax[[0, 1], [0, 2]] + gauss.sum(1), rtol=1e-6)
  np.testing.assert_allclose(auxiliary.info_log_likelihood(None, None, mean, code), gauss.sum(1),
                             rtol=1e-6)
  assert auxiliary.info_code_entropy(10, 2) == pytest.approx(math.log(10) + 2 * math.log(2))
