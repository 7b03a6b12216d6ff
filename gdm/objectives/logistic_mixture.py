"""PixelCNN++'s discretized logistic mixture over whole pixels (Salimans et al., 2017, eq. 2-3).

Unlike `decoder_likelihoods.discretized_logistic_log_prob` (an independent mixture per subpixel, the
VAE decoder), one set of K mixture weights is shared by the C channels of a pixel and the
channels are autoregressive through linear coefficients: within component k the mean of
channel c is mu_ck + sum_{c' < c} alpha_{c c' k} x_c' (for RGB: m_g = mu_g + a r,
m_b = mu_b + b r + c g). So

  p(x_pixel) = sum_k pi_k prod_c P_bin(x_c; mu_ck(x_<c), s_ck),

with P_bin the logistic mass of the pixel's 8-bit bin (outer bins take the tails), computed
by `decoder_likelihoods._log_bin_mass`. Per pixel the network gives K (1 + 2C + C(C-1)/2) numbers:
logits [K], means [C, K], log scales [C, K], coefficients [C(C-1)/2, K] (through tanh). For
C = 1 this is exactly the layout and value of `discretized_logistic_log_prob`.
"""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.objectives.decoder_likelihoods import _concrete, _log_bin_mass, logistic_noise, to_grid

LOG_SCALE_FLOOR = -7.0


def num_params(channels: int, num_mixtures: int) -> int:
  return num_mixtures * (1 + 2 * channels + channels * (channels - 1) // 2)


def check_eight_bit_grid(x):
  """One-line error unless x (when its value is known) holds 8-bit pixels scaled to [-1, 1]."""
  v = _concrete(x)
  if v is None:
    return
  pixels = (v.astype(np.float64) + 1) * 127.5
  ok = np.isfinite(pixels) & (pixels >= -1e-3) & (pixels <= 255 + 1e-3)
  ok &= np.abs(pixels - np.round(pixels)) < 1e-3
  if not np.all(ok):
    bad = v[~ok].flat[0]
    raise ValueError(f'the autoregressive likelihood needs integer pixel values in [0, 255] '
                     f'(scaled to [-1, 1]); got the value {bad}, pixel {bad * 127.5 + 127.5:g} '
                     f'(use data.scale=minus_one_one, no dequantize)')


def split(out: jax.Array, channels: int, num_mixtures: int):
  """[..., P] -> logits [..., K], means [..., C, K], log_scales [..., C, K],
  coeffs [..., C(C-1)/2, K]."""
  k, c = num_mixtures, channels
  out = out.astype(jnp.float32)
  logits = out[..., :k]
  rest = out[..., k:].reshape(out.shape[:-1] + (-1, k))
  means, log_scales, coeffs = rest[..., :c, :], rest[..., c:2 * c, :], rest[..., 2 * c:, :]
  return logits, means, jnp.maximum(log_scales, LOG_SCALE_FLOOR), jnp.tanh(coeffs)


def conditioned_means(means, coeffs, x):
  """mu_ck + sum_{c' < c} alpha_{c c' k} x_c'; means [..., C, K], x [..., C]."""
  c = means.shape[-2]
  rows = [means[..., 0, :]]
  for ch in range(1, c):
    start = ch * (ch - 1) // 2
    shift = (coeffs[..., start:start + ch, :] * x[..., :ch, None]).sum(-2)
    rows.append(means[..., ch, :] + shift)
  return jnp.stack(rows, axis=-2)


def pixel_log_prob(out: jax.Array, x: jax.Array, num_mixtures: int) -> jax.Array:
  """log p(x_pixel) for pixels x [..., C] in [-1, 1]; out [..., P] -> [...]."""
  check_eight_bit_grid(x)
  x = x.astype(jnp.float32)
  out = jnp.broadcast_to(out, x.shape[:-1] + out.shape[-1:])
  logits, means, log_scales, coeffs = split(out, x.shape[-1], num_mixtures)
  means = conditioned_means(means, coeffs, x)
  log_mass = _log_bin_mass(x[..., None], means, log_scales).sum(-2)      # [..., K]
  return jax.nn.logsumexp(jax.nn.log_softmax(logits, -1) + log_mass, axis=-1)


def log_prob(out: jax.Array, x: jax.Array, num_mixtures: int) -> jax.Array:
  """Per-example log p(x) of images x [B, H, W, C]; out [B, H, W, P]."""
  per_pixel = pixel_log_prob(out, x, num_mixtures)
  return per_pixel.reshape(per_pixel.shape[0], -1).sum(1)


def sample_pixel(key, out: jax.Array, channels: int, num_mixtures: int) -> jax.Array:
  """Exact draws from `pixel_log_prob`: out [..., P] -> pixels [..., C] on the 8-bit grid.
  Pick a component, then channel by channel draw a logistic around the conditioned mean and
  take its bin (clipping sends the tails to the outer bins, as the likelihood does)."""
  logits, means, log_scales, coeffs = split(out, channels, num_mixtures)
  k_mix, k_val = jax.random.split(key)
  comp = jax.random.categorical(k_mix, logits, axis=-1)[..., None, None]    # [..., 1, 1]
  pick = lambda a: jnp.take_along_axis(a, jnp.broadcast_to(comp, a.shape[:-1] + (1,)),
                                       -1)[..., 0]
  mu, log_s, alpha = pick(means), pick(log_scales), pick(coeffs)
  noise = jnp.exp(log_s) * logistic_noise(k_val, mu.shape)
  x = []
  for ch in range(channels):
    m = mu[..., ch]
    for prev in range(ch):
      m = m + alpha[..., ch * (ch - 1) // 2 + prev] * x[prev]
    x.append(to_grid(m + noise[..., ch]))
  return jnp.stack(x, axis=-1)
