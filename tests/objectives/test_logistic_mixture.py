"""PixelCNN++'s pixel-wise discretized logistic mixture: probabilities of all 256^C pixel
values sum to 1, match a direct float64 CDF computation, reduce to the per-subpixel mixture
for one channel, and the sampler draws from them."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from gdm.objectives import decoder_likelihoods as L
from gdm.objectives import logistic_mixture as lm

K = 3


def _out(channels, seed):
  rng = np.random.default_rng(seed)
  out = rng.normal(size=(lm.num_params(channels, K),))
  out[K + channels * K:K + 2 * channels * K] = rng.uniform(-4, -1, size=channels * K)  # log s
  return jnp.asarray(out, jnp.float32)


def _direct(out, pixel):
  """log p(pixel) in float64 from the formula: sum_k pi_k prod_c (CDF(up) - CDF(low))."""
  c = len(pixel)
  out = np.asarray(out, np.float64)
  logits, rest = out[:K], out[K:].reshape(-1, K)
  means, scales, coeffs = rest[:c], np.exp(np.maximum(rest[c:2 * c], -7)), np.tanh(rest[2 * c:])
  w = np.exp(logits - logits.max())
  w /= w.sum()
  total = np.zeros(K)
  for ch in range(c):
    m = means[ch] + sum(coeffs[ch * (ch - 1) // 2 + j] * pixel[j] for j in range(ch))
    up = np.inf if pixel[ch] > 1 - 1e-6 else pixel[ch] + 1 / 255
    low = -np.inf if pixel[ch] < -1 + 1e-6 else pixel[ch] - 1 / 255
    total = total + np.log(np.maximum(stats.logistic.cdf(up, m, scales[ch])
                                      - stats.logistic.cdf(low, m, scales[ch]), 1e-300))
  return np.log((w * np.exp(total)).sum())


def test_one_channel_equals_the_per_subpixel_mixture():
  rng = np.random.default_rng(0)
  out = jnp.asarray(rng.normal(size=(2, 3, 3, 3 * K)), jnp.float32)
  x = jnp.asarray(rng.integers(0, 256, size=(2, 3, 3, 1)) / 127.5 - 1, jnp.float32)
  np.testing.assert_allclose(lm.log_prob(out, x, K), L.discretized_logistic_log_prob(out, x, K),
                             rtol=1e-6)


@pytest.mark.optimized
def test_rgb_probabilities_sum_to_one_and_match_the_formula():
  out = _out(3, 1)
  values = jnp.arange(256, dtype=jnp.float32) / 127.5 - 1
  g, b = jnp.meshgrid(values, values, indexing='ij')

  @jax.jit
  def mass_given_red(r):      # sum over all (g, b) of p(r, g, b)
    pix = jnp.stack([jnp.full_like(g, r), g, b], -1)
    return jnp.exp(lm.pixel_log_prob(out[None, None], pix, K)).sum()

  total = float(jax.lax.map(mass_given_red, values).sum())
  assert abs(total - 1) < 1e-4, total
  rng = np.random.default_rng(2)
  pixels = np.concatenate([rng.integers(0, 256, size=(6, 3)), [[0, 255, 0], [255, 255, 255]]])
  pixels = pixels / 127.5 - 1
  got = lm.pixel_log_prob(jnp.broadcast_to(out, (len(pixels),) + out.shape),
                          jnp.asarray(pixels, jnp.float32), K)
  want = [_direct(out, p) for p in pixels]
  np.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-4)


def test_sampler_draws_from_the_scored_distribution():
  channels = 2      # the green draw uses the red one through its coefficient
  out = _out(channels, 3)
  n = 40_000
  draws = lm.sample_pixel(jax.random.key(0, impl='rbg'), jnp.broadcast_to(out, (n,) + out.shape),
                          channels, K)
  idx = np.asarray(jnp.round((draws + 1) * 127.5)).astype(int)
  assert np.all(np.abs(np.asarray(draws) - (idx / 127.5 - 1)) < 1e-6)   # on the 8-bit grid
  values = jnp.arange(256, dtype=jnp.float32) / 127.5 - 1
  grids = jnp.stack(jnp.meshgrid(*[values] * channels, indexing='ij'), -1).reshape(-1, channels)
  p = np.exp(np.asarray(lm.pixel_log_prob(jnp.broadcast_to(out, (len(grids),) + out.shape),
                                          grids, K))).reshape((256,) * channels)
  # Compare on 16 coarse bins per channel: total variation within Monte Carlo error.
  coarse = p.reshape(sum(((16, 16),) * channels, ())).sum(tuple(range(1, 2 * channels, 2)))
  counts = np.zeros((16,) * channels)
  np.add.at(counts, tuple((idx // 16).T), 1)
  tv = 0.5 * np.abs(counts / n - coarse).sum()
  assert tv < 0.03, tv


def test_non_integer_pixels_are_rejected():
  out = _out(1, 0)[None]
  with pytest.raises(ValueError, match=r'integer pixel values in \[0, 255\].*pixel 127.5'):
    lm.pixel_log_prob(out, jnp.zeros((1, 1)), K)
  with pytest.raises(ValueError, match='integer pixel values'):
    lm.pixel_log_prob(out, jnp.full((1, 1), 1.5), K)
