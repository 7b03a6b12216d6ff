"""Decoder distributions: per-example log-likelihoods log p(x|decoder output), [B], in nats.

- bernoulli: logits, data in {0, 1} (binarized images).
- gaussian: mean and a log standard deviation that is fixed, one learned scalar or one
  learned value per data dimension (it broadcasts against x).
- discretized logistic mixture (PixelCNN++, Salimans et al., 2017): 8-bit images scaled to
  [-1, 1] (pixel v sits at 2v/255 - 1); each subpixel gets its own mixture of K logistics
  and the probability of a bin is the CDF mass between its edges, with the outermost bins
  taking the tails, so the 256 probabilities sum to 1.

Outside jit the data's range is checked (one-line ValueError); inside jit it cannot be, which
is why the VAE checks data.binarize / data.scale against the decoder in `check_config`.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np

LIKELIHOODS = ('bernoulli', 'gaussian', 'discretized_logistic')
HALF_BIN = 1.0 / 255.0        # half the width of a pixel bin in [-1, 1] units


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


def decoder_channels(likelihood: str, channels: int, num_mixtures: int) -> int:
  """Output channels a decoder needs per data channel layout."""
  return channels * 3 * num_mixtures if likelihood == 'discretized_logistic' else channels
