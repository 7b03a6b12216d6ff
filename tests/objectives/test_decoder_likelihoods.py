"""Decoder log-likelihoods against scipy and a direct CDF-difference computation."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from gdm.objectives import decoder_likelihoods as L


def test_bernoulli_matches_scipy():
  rng = np.random.default_rng(0)
  logits = rng.normal(scale=3, size=(4, 3, 2)).astype(np.float32)
  x = (rng.uniform(size=logits.shape) < 0.5).astype(np.float32)
  want = stats.bernoulli.logpmf(x, 1 / (1 + np.exp(-logits.astype(np.float64)))).reshape(4, -1)
  np.testing.assert_allclose(L.bernoulli_log_prob(jnp.asarray(logits), jnp.asarray(x)),
                             want.sum(1), rtol=1e-5)


@pytest.mark.parametrize('log_std_shape', [(), (3, 2), (4, 3, 2)])
def test_gaussian_matches_scipy(log_std_shape):
  rng = np.random.default_rng(1)
  mean, x = rng.normal(size=(2, 4, 3, 2))
  log_std = rng.normal(scale=0.5, size=log_std_shape)
  want = stats.norm.logpdf(x, mean, np.exp(log_std)).reshape(4, -1).sum(1)
  got = L.gaussian_log_prob(jnp.asarray(mean, jnp.float32), jnp.asarray(log_std, jnp.float32),
                            jnp.asarray(x, jnp.float32))
  np.testing.assert_allclose(got, want, rtol=1e-5)


def _params(k, seed, log_scale_range=(-4.0, 0.5)):
  """Mixture params for one RGB pixel, [1, 1, 1, 3 * 3k]."""
  rng = np.random.default_rng(seed)
  logits, means = rng.normal(size=(3, k)), rng.uniform(-1.3, 1.3, size=(3, k))
  log_scales = rng.uniform(*log_scale_range, size=(3, k))
  return np.stack([logits, means, log_scales], 1).reshape(1, 1, 1, -1)


def _numpy_log_probs(params, k):
  """log P(v) for every pixel value v and channel, [256, 3], by CDF differences in float64."""
  p = params.reshape(3, 3, k).astype(np.float64)
  logits, means, scales = p[:, 0], p[:, 1], np.exp(np.maximum(p[:, 2], -7))
  w = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
  centers = np.arange(256) * 2 / 255 - 1
  upper = np.where(np.arange(256) == 255, np.inf, centers + 1 / 255)[:, None, None]
  lower = np.where(np.arange(256) == 0, -np.inf, centers - 1 / 255)[:, None, None]
  cdf = lambda t: stats.logistic.cdf(t, means, scales)
  return np.log((w * (cdf(upper) - cdf(lower))).sum(-1))


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_discretized_logistic_sums_to_one_and_matches_cdf_differences(seed):
  k = 3
  params = _params(k, seed)
  x = jnp.asarray(np.arange(256) * 2 / 255 - 1, jnp.float32)[:, None, None, None]
  out = jnp.broadcast_to(jnp.asarray(params, jnp.float32), (256, 1, 1, 9 * k))
  per_channel = [L.discretized_logistic_log_prob(out[..., 3 * k * c:3 * k * (c + 1)], x, k)
                 for c in range(3)]
  got = np.stack(per_channel, 1)                      # [256 values, 3 channels]
  np.testing.assert_allclose(np.exp(got.astype(np.float64)).sum(0), 1.0, atol=1e-4)
  want = _numpy_log_probs(params, k)
  ok = want > -30                                     # float64 CDF differences underflow
  np.testing.assert_allclose(got[ok], want[ok], rtol=1e-4, atol=1e-4)
  # A 3-channel image: the joint is the sum over subpixels.
  img = jnp.asarray([[[[-1.0, 1.0, 2 * 100 / 255 - 1]]]], jnp.float32)
  joint = L.discretized_logistic_log_prob(jnp.asarray(params, jnp.float32), img, k)
  np.testing.assert_allclose(joint, [want[0, 0] + want[255, 1] + want[100, 2]], rtol=1e-4)


def test_discretized_logistic_is_finite_for_extreme_params():
  k = 2
  params = _params(k, 3, log_scale_range=(-12.0, -7.0))   # sharp: masses e^-1000 and 1
  params[..., 3 * k:2 * 3 * k] = 50.0                     # far-off means too
  x = jnp.asarray(np.arange(256) * 2 / 255 - 1, jnp.float32).reshape(256, 1, 1, 1)
  x = jnp.broadcast_to(x, (256, 1, 1, 3))
  out = jnp.broadcast_to(jnp.asarray(params, jnp.float32), (256, 1, 1, 9 * k))
  f = lambda o: L.discretized_logistic_log_prob(o, x, k)
  lp, g = f(out), jax.grad(lambda o: f(o).sum())(out)
  assert np.all(np.isfinite(lp)) and np.all(lp <= 0) and np.all(np.isfinite(g))
  assert np.all(np.abs(L.discretized_logistic_mean(out, k)) <= 1)


def test_bad_inputs_give_one_line_errors_naming_the_value():
  with pytest.raises(ValueError, match=r'binary data .* got the value 0\.5') as e:
    L.bernoulli_log_prob(jnp.zeros((1, 2)), jnp.array([[0.0, 0.5]]))
  assert '\n' not in str(e.value)
  with pytest.raises(ValueError, match=r'\[-1, 1\]; got the value 1\.5') as e:
    L.discretized_logistic_log_prob(jnp.zeros((1, 1, 1, 6)), jnp.full((1, 1, 1, 1), 1.5), 2)
  assert '\n' not in str(e.value)
  with pytest.raises(ValueError, match='got the value nan'):
    L.discretized_logistic_log_prob(jnp.zeros((1, 1, 1, 6)), jnp.full((1, 1, 1, 1), jnp.nan), 2)
