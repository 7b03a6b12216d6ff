"""Draws of the decoder distributions (what a VAE's --mode=sample returns) against their own
probabilities: frequencies within a few standard errors of exp(log_prob), moments of the
Gaussian, and the decoders' means."""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.objectives import decoder_likelihoods as L

KEY = jax.random.key(0, impl='rbg')
VALUES = 2 * np.arange(256) / 255 - 1


def test_bernoulli_draws_have_the_sigmoid_frequencies():
  n = 20_000
  logits = jnp.asarray([-3.0, -0.5, 0.0, 1.0, 4.0])
  x = np.asarray(L.bernoulli_sample(KEY, jnp.broadcast_to(logits, (n, 5))))
  assert set(np.unique(x)) <= {0.0, 1.0}
  p = 1 / (1 + np.exp(-np.asarray(logits, np.float64)))
  np.testing.assert_array_less(np.abs(x.mean(0) - p), 5 * np.sqrt(p * (1 - p) / n) + 1e-9)
  np.testing.assert_allclose(L.Bernoulli().mean(logits), p, rtol=1e-6)


def test_gaussian_draws_have_the_mean_and_the_learned_std():
  n = 40_000
  mean = jnp.asarray([[0.5, -2.0, 3.0]])
  log_std = jnp.log(jnp.asarray([0.1, 1.0, 2.5]))          # per dimension
  decoder = L.Gaussian(log_std)
  x = np.asarray(decoder.sample(KEY, jnp.broadcast_to(mean, (n, 3))), np.float64)
  std = np.exp(np.asarray(log_std, np.float64))
  np.testing.assert_array_less(np.abs(x.mean(0) - mean[0]), 5 * std / np.sqrt(n))
  np.testing.assert_array_less(np.abs(x.std(0) / std - 1), 5 * np.sqrt(0.5 / n))
  np.testing.assert_allclose(decoder.mean(mean), mean)
  # One learned scalar broadcasts over every dimension.
  x = np.asarray(L.Gaussian(jnp.log(0.3)).sample(KEY, jnp.zeros((n, 2))))
  np.testing.assert_allclose(x.std(0), 0.3, rtol=5 * np.sqrt(0.5 / n))


def test_discretized_logistic_draws_follow_its_probabilities():
  """One subpixel's mixture of 3 logistics (one far in the outer bin's tail): the histogram
  of 100k draws over the 256 values against exp(log_prob), bin by bin."""
  k, n = 3, 100_000
  out = jnp.asarray([[[[0.5, -1.0, 0.2,       # logits
                        -0.3, 0.6, 1.4,        # means (the last one beyond 1: bin 255)
                        -2.5, -4.0, -3.0]]]])  # log scales
  draws = np.asarray(L.discretized_logistic_sample(KEY, jnp.broadcast_to(out, (n, 1, 1, 9)), k))
  idx = np.round((draws.ravel() + 1) * 127.5).astype(int)
  np.testing.assert_allclose(draws.ravel(), VALUES[idx], atol=1e-6)    # on the 8-bit grid
  freq = np.bincount(idx, minlength=256) / n
  x = jnp.asarray(VALUES, jnp.float32).reshape(256, 1, 1, 1)
  p = np.exp(np.asarray(L.discretized_logistic_log_prob(jnp.broadcast_to(out, (256, 1, 1, 9)),
                                                        x, k), np.float64))
  assert p[255] > 0.2                                   # the tail mass lands in the top bin
  np.testing.assert_array_less(np.abs(freq - p), 5 * np.sqrt(p * (1 - p) / n) + 2e-5)
  mean = L.DiscretizedLogistic(k).mean(out)
  np.testing.assert_allclose(mean, L.discretized_logistic_mean(out, k))


def test_draws_of_images_keep_their_shape():
  out = jnp.zeros((2, 4, 4, 3 * 3 * 2))
  assert L.DiscretizedLogistic(2).sample(KEY, out).shape == (2, 4, 4, 3)
  assert L.Bernoulli().sample(KEY, jnp.zeros((2, 4, 4, 1))).shape == (2, 4, 4, 1)
  assert L.Gaussian(0.0).sample(KEY, jnp.zeros((2, 4, 4, 3))).shape == (2, 4, 4, 3)
