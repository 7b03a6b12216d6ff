"""Decoder distributions: per-example log-likelihoods log p(x|decoder output), [B], in nats.

- bernoulli: logits, data in {0, 1} (binarized images).
- gaussian: mean and a log standard deviation that is fixed, one learned scalar or one
  learned value per data dimension (it broadcasts against x).
- discretized logistic mixture (PixelCNN++, Salimans et al., 2017): 8-bit images scaled to
  [-1, 1] (pixel v sits at 2v/255 - 1); each subpixel gets its own mixture of K logistics
  and the probability of a bin is the CDF mass between its edges, with the outermost bins
  taking the tails, so the 256 probabilities sum to 1.
- discretized Gaussian (DDPM's decoder, Ho et al., 2020): the same bins under one Gaussian
  per subpixel, computed in log space (exact however badly a pixel is predicted), or as
  improved-diffusion computes it (convention 'paper', whose log-probabilities stop at -27.6).

Outside jit the data's range is checked (one-line ValueError); inside jit it cannot be, which
is why the VAE checks data.binarize / data.scale against the decoder in `check_config`.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import log_ndtr

LIKELIHOODS = ('bernoulli', 'gaussian', 'discretized_logistic')
HALF_BIN = 1.0 / 255.0        # half the width of a pixel bin in [-1, 1] units
SQRT_HALF = math.sqrt(0.5)


def _per_example_sum(x: jax.Array) -> jax.Array:
  return x.reshape(x.shape[0], -1).sum(axis=1)


def _concrete(x):
  """x as numpy if its value is known here (not a tracer inside jit/grad), else None."""
  try:
    return np.asarray(x)
  except (jax.errors.TracerArrayConversionError, jax.errors.ConcretizationTypeError):
    return None


def check_binary(x):
  v = _concrete(x)
  if v is not None and not np.all((v == 0) | (v == 1)):
    bad = v[(v != 0) & (v != 1)].flat[0]
    raise ValueError(f'Bernoulli likelihood needs binary data in {{0, 1}}; got the value {bad} '
                     f'(binarize the data: data.binarize=static or dynamic)')


def check_eight_bit(x):
  v = _concrete(x)
  if v is None:
    return
  if np.any(np.abs(v) > 1) or not np.all(np.isfinite(v)):
    bad = v[~(np.abs(v) <= 1)].flat[0]
    raise ValueError(f'discretized logistic likelihood needs 8-bit images scaled to [-1, 1]; '
                     f'got the value {bad} (use data.scale=minus_one_one, no dequantize)')


def bernoulli_log_prob(logits: jax.Array, x: jax.Array) -> jax.Array:
  """sum_i x_i log sigmoid(l_i) + (1 - x_i) log sigmoid(-l_i), x binary."""
  check_binary(x)
  logits, x = logits.astype(jnp.float32), x.astype(jnp.float32)
  return -_per_example_sum(jax.nn.softplus(logits) - x * logits)


def gaussian_log_prob(mean: jax.Array, log_std: jax.Array, x: jax.Array) -> jax.Array:
  """sum_i log N(x_i; mean_i, exp(log_std_i)^2); log_std broadcasts against x."""
  mean, x = mean.astype(jnp.float32), x.astype(jnp.float32)
  log_std = jnp.broadcast_to(jnp.asarray(log_std, jnp.float32), x.shape)
  z = (x - mean) * jnp.exp(-log_std)
  return -_per_example_sum(0.5 * math.log(2 * math.pi) + log_std + 0.5 * z * z)


def _log_sigmoid(a):
  return -jax.nn.softplus(-a)


def split_mixture_params(out: jax.Array, num_mixtures: int):
  """Decoder output [..., C * 3K] -> (logits, means, log_scales), each [..., C, K]."""
  out = out.astype(jnp.float32)
  out = out.reshape(out.shape[:-1] + (-1, 3, num_mixtures))
  logits, means, log_scales = out[..., 0, :], out[..., 1, :], out[..., 2, :]
  # The floor keeps 1/scale finite; e^-7 is far below a bin width (2/255).
  return logits, means, jnp.maximum(log_scales, -7.0)


def _log_bin_mass(x, means, log_scales):
  """log P(bin of x) under each logistic component; x [..., C, 1], params [..., C, K].

  Interior bins use sigma(a) - sigma(b) = sigma(a) sigma(-b) (1 - e^(b - a)), exact and free
  of cancellation even when the bin mass is tiny (a - b = bin width / scale > 0).
  """
  inv_s = jnp.exp(-log_scales)
  a = (x - means + HALF_BIN) * inv_s        # upper edge
  b = (x - means - HALF_BIN) * inv_s        # lower edge
  interior = _log_sigmoid(a) + _log_sigmoid(-b) + jnp.log(-jnp.expm1(-2 * HALF_BIN * inv_s))
  lowest = _log_sigmoid(a)                  # bin 0 takes (-inf, upper edge]
  highest = _log_sigmoid(-b)                # bin 255 takes [lower edge, inf)
  return jnp.where(x < -1 + HALF_BIN, lowest, jnp.where(x > 1 - HALF_BIN, highest, interior))


def discretized_logistic_log_prob(out: jax.Array, x: jax.Array, num_mixtures: int) -> jax.Array:
  """log p(x) of 8-bit images x [B, H, W, C] in [-1, 1]; out [B, H, W, C * 3K]."""
  check_eight_bit(x)
  logits, means, log_scales = split_mixture_params(out, num_mixtures)
  x = x.astype(jnp.float32)[..., None]
  log_mix = jax.nn.log_softmax(logits, axis=-1)
  per_subpixel = jax.nn.logsumexp(log_mix + _log_bin_mass(x, means, log_scales), axis=-1)
  return _per_example_sum(per_subpixel)


def discretized_logistic_mean(out: jax.Array, num_mixtures: int) -> jax.Array:
  """The mixture's mean per subpixel (each logistic's mean is its location), clipped to
  [-1, 1]: a picture of what the decoder predicts."""
  logits, means, _ = split_mixture_params(out, num_mixtures)
  return jnp.clip((jax.nn.softmax(logits, -1) * means).sum(-1), -1.0, 1.0)


def to_grid(v):
  """Nearest 8-bit value in [-1, 1]: the bin whose edges (half-way between values) hold v.
  Clipped after rounding too: k * 2/255 - 1 is 1 + 1e-7 at k = 255 in float32, which the
  likelihoods' range check would reject."""
  k = jnp.round((jnp.clip(v, -1.0, 1.0) + 1) * 127.5)
  return jnp.clip(k * (2 * HALF_BIN) - 1, -1.0, 1.0)


def _normal(key, shape):
  # Drawn flat: XLA:CPU compiles rank >= 3 random draws slowly.
  return jax.random.normal(key, (math.prod(shape),)).reshape(shape)


def logistic_noise(key, shape):
  """Standard logistic draws (the inverse CDF of uniforms kept off 0 and 1)."""
  u = jax.random.uniform(key, (math.prod(shape),), minval=1e-6, maxval=1 - 1e-6).reshape(shape)
  return jnp.log(u) - jnp.log1p(-u)


def bernoulli_sample(key, logits: jax.Array) -> jax.Array:
  """x ~ Bernoulli(sigmoid(logits)), as floats in {0, 1}."""
  u = jax.random.uniform(key, (logits.size,)).reshape(logits.shape)
  return (u < jax.nn.sigmoid(logits.astype(jnp.float32))).astype(jnp.float32)


def gaussian_sample(key, mean: jax.Array, log_std: jax.Array) -> jax.Array:
  """x ~ N(mean, exp(log_std)^2) per dimension; log_std broadcasts against mean."""
  mean = mean.astype(jnp.float32)
  return mean + jnp.exp(jnp.asarray(log_std, jnp.float32)) * _normal(key, mean.shape)


def discretized_logistic_sample(key, out: jax.Array, num_mixtures: int) -> jax.Array:
  """Exact draws from `discretized_logistic_log_prob`: per subpixel a component, a logistic
  around its mean, and the bin it falls in (the tails go to the outer bins, as the likelihood
  gives them). out [B, H, W, C * 3K] -> 8-bit images [B, H, W, C] in [-1, 1]."""
  logits, means, log_scales = split_mixture_params(out, num_mixtures)
  k_mix, k_val = jax.random.split(key)
  gumbel = -jnp.log(-jnp.log(jax.random.uniform(
      k_mix, (logits.size,), minval=1e-12, maxval=1.0).reshape(logits.shape)))
  comp = jnp.argmax(logits + gumbel, axis=-1)[..., None]
  mu = jnp.take_along_axis(means, comp, -1)[..., 0]
  scale = jnp.exp(jnp.take_along_axis(log_scales, comp, -1)[..., 0])
  return to_grid(mu + scale * logistic_noise(k_val, mu.shape))


class Bernoulli:
  """The decoder p(x | logits) of binary data: what the VAE scores, draws and pictures."""

  def log_prob(self, out, x):
    return bernoulli_log_prob(out, x)

  def sample(self, key, out):
    return bernoulli_sample(key, out)

  def mean(self, out):
    return jax.nn.sigmoid(out.astype(jnp.float32))


class Gaussian:
  """N(out, exp(log_std)^2): log_std fixed, one learned scalar or one per dimension."""

  def __init__(self, log_std):
    self.log_std = log_std

  def log_prob(self, out, x):
    return gaussian_log_prob(out, self.log_std, x)

  def sample(self, key, out):
    return gaussian_sample(key, out, self.log_std)

  def mean(self, out):
    return out.astype(jnp.float32)


class DiscretizedLogistic:
  """A mixture of num_mixtures discretized logistics per subpixel of an 8-bit image."""

  def __init__(self, num_mixtures: int):
    self.num_mixtures = num_mixtures

  def log_prob(self, out, x):
    return discretized_logistic_log_prob(out, x, self.num_mixtures)

  def sample(self, key, out):
    return discretized_logistic_sample(key, out, self.num_mixtures)

  def mean(self, out):
    return discretized_logistic_mean(out, self.num_mixtures)


def _log_normal_bin_mass(lo, hi):
  """log(Phi(hi) - Phi(lo)) for finite standardised edges lo < hi, exact in float32 however
  far the bin lies in a tail. The bin is first reflected so that it does not lie mostly above
  0 (Phi(hi) - Phi(lo) = Phi(-lo) - Phi(-hi)). A bin across 0 is an erf difference of
  opposite signs (no cancellation); a bin below 0 is Phi(b) (1 - Phi(a) / Phi(b)) in log
  space, log_ndtr being exact in the lower tail."""
  flip = lo + hi > 0
  a, b = jnp.where(flip, -hi, lo), jnp.where(flip, -lo, hi)       # a < b, a + b <= 0
  across = b > 0
  # Both branches are computed; each gets safe values where the other is used, so that
  # neither a log of 0 nor its gradient reaches the result.
  erf_mass = 0.5 * (jax.lax.erf(b * SQRT_HALF) - jax.lax.erf(a * SQRT_HALF))
  log_across = jnp.log(jnp.where(across, erf_mass, 1.0))
  log_a, log_b = log_ndtr(jnp.where(across, -1.0, a)), log_ndtr(jnp.where(across, 0.0, b))
  log_below = log_b + jnp.log(-jnp.expm1(jnp.minimum(log_a - log_b, -1e-30)))
  return jnp.where(across, log_across, log_below)


def _gaussian_bins_exact(x, mean, log_var):
  """log P(bin of x) per subpixel: the Gaussian mass between the bin's edges, the outer bins
  taking the tails; exact in log space."""
  inv_std = jnp.exp(-0.5 * log_var)
  lo = (x - mean - HALF_BIN) * inv_std
  hi = (x - mean + HALF_BIN) * inv_std
  return jnp.where(x < -1 + HALF_BIN, log_ndtr(hi),
                   jnp.where(x > 1 - HALF_BIN, log_ndtr(-lo), _log_normal_bin_mass(lo, hi)))


def _approx_normal_cdf(v):
  return 0.5 * (1.0 + jnp.tanh(math.sqrt(2.0 / math.pi) * (v + 0.044715 * v ** 3)))


def _gaussian_bins_paper(x, mean, log_var):
  """improved-diffusion's (and Ho et al.'s) discretized_gaussian_log_likelihood: the tanh
  approximation of the normal CDF, CDF differences in probability space, every probability
  floored at 1e-12, so a log-probability is never below log(1e-12) = -27.6."""
  inv_std = jnp.exp(-0.5 * log_var)
  cdf_plus = _approx_normal_cdf(inv_std * (x - mean + HALF_BIN))
  cdf_min = _approx_normal_cdf(inv_std * (x - mean - HALF_BIN))
  floor = 1e-12
  return jnp.where(x < -0.999, jnp.log(jnp.maximum(cdf_plus, floor)),
                   jnp.where(x > 0.999, jnp.log(jnp.maximum(1.0 - cdf_min, floor)),
                             jnp.log(jnp.maximum(cdf_plus - cdf_min, floor))))


# The conventions of the discretized Gaussian: exact (the default) or as published.
GAUSSIAN_BINS = {'exact': _gaussian_bins_exact, 'paper': _gaussian_bins_paper}


def discretized_gaussian_log_prob(x, mean, log_var, convention: str = 'exact') -> jax.Array:
  """log P(bin of x) per example for 8-bit images x [B, ...] in [-1, 1] under
  N(mean, e^log_var) per subpixel (Ho et al., 2020, sec. 3.3: DDPM's decoder L_0), in the
  `convention` of GAUSSIAN_BINS."""
  check_eight_bit(x)
  x = x.astype(jnp.float32)
  mean, log_var = jnp.asarray(mean, jnp.float32), jnp.asarray(log_var, jnp.float32)
  return _per_example_sum(GAUSSIAN_BINS[convention](x, mean, log_var))


def decoder_channels(likelihood: str, channels: int, num_mixtures: int) -> int:
  """Output channels a decoder needs per data channel layout."""
  return channels * 3 * num_mixtures if likelihood == 'discretized_logistic' else channels
