"""Per-image reconstruction metrics on batches of images.

Inputs are [..., H, W, C]; the last three axes are reduced and any leading (batch) axes
are kept, so callers average over the data set themselves. Everything is computed in
float32: uint8 inputs would overflow when differenced, and bf16 would lose precision.
"""
import jax
import jax.numpy as jnp


def mse(a, b) -> jnp.ndarray:
  """Mean squared error per image: [..., H, W, C] -> [...]."""
  a = jnp.asarray(a, jnp.float32)
  b = jnp.asarray(b, jnp.float32)
  return jnp.mean(jnp.square(a - b), axis=(-3, -2, -1))


def psnr(a, b, max_val: float) -> jnp.ndarray:
  """Peak signal-to-noise ratio in dB per image; +inf where the images are identical, NaN
  where the error is NaN (a diverged model must not log a perfect score).

  `max_val` is the data range: 255 for uint8 pixels, 1 for [0, 1] floats.
  """
  err = mse(a, b)
  # log10(x / 0) is +inf, which is the intended value, but make it explicit and warning-free.
  safe = jnp.where(err > 0, err, 1.0)
  value = 10.0 * jnp.log10(jnp.float32(max_val) ** 2 / safe)
  return jnp.where(jnp.isnan(err), jnp.nan, jnp.where(err > 0, value, jnp.inf))


def _gaussian_taps(sigma: float, radius: int) -> jnp.ndarray:
  taps = jnp.exp(-0.5 * (jnp.arange(-radius, radius + 1) / sigma) ** 2)
  return taps / taps.sum()


def _gaussian_band(size: int, sigma: float, radius: int) -> jnp.ndarray:
  """[size - 2*radius, size] matrix whose row i is the normalised Gaussian window centred
  on pixel i + radius: multiplying by it filters and keeps only the 'valid' positions."""
  taps = _gaussian_taps(sigma, radius)
  rows = jnp.arange(size - 2 * radius)[:, None]
  cols = jnp.arange(size)[None, :]
  offset = cols - rows
  return jnp.where((offset >= 0) & (offset <= 2 * radius),
                   taps[jnp.clip(offset, 0, 2 * radius)], 0.0)


def _centred_moments(a, b, mu_a, mu_b, taps):
  """Per window position: the weighted variances of a and b and their covariance, as
  sums of products of deviations from the window's means (the corrected two-pass form,
  Chan, Golub & LeVeque 1983). E[x^2] - mu^2 would cancel catastrophically in float32 where
  the variance is small beside mu^2 (smooth images). One pass over the window's offsets."""
  n, rows, cols = taps.shape[0], mu_a.shape[-3], mu_a.shape[-2]
  axis = a.ndim - 3

  def window(x, k, l):
    x = jax.lax.dynamic_slice_in_dim(x, k, rows, axis)
    return jax.lax.dynamic_slice_in_dim(x, l, cols, axis + 1)

  def add(t, sums):
    k, l = t // n, t % n
    w = taps[k] * taps[l]
    da, db = window(a, k, l) - mu_a, window(b, k, l) - mu_b
    return tuple(s + w * v for s, v in zip(sums, (da, db, da * da, db * db, da * db)))

  zero = jnp.zeros_like(mu_a)
  sa, sb, saa, sbb, sab = jax.lax.fori_loop(0, n * n, add, (zero,) * 5)
  # sa, sb are the rounding left in the means (zero in exact arithmetic).
  return saa - sa * sa, sbb - sb * sb, sab - sa * sb


def ssim(a, b, max_val: float, sigma: float = 1.5, k1: float = 0.01,
         k2: float = 0.03) -> jnp.ndarray:
  """Structural similarity per image (Wang et al., 2004): [..., H, W, C] -> [...].

  The standard Gaussian window (sigma 1.5, truncated at 3.5 sigma: 11 taps), population
  (co)variances, averaged over the positions whose window lies inside the image and over
  channels: scikit-image's structural_similarity(gaussian_weights=True, sigma=1.5,
  use_sample_covariance=False, data_range=max_val, channel_axis=-1). The (co)variances are
  summed from deviations (`_centred_moments`), so float32 agrees with a float64 reference.
  """
  a = jnp.asarray(a, jnp.float32)
  b = jnp.asarray(b, jnp.float32)
  radius = int(3.5 * sigma + 0.5)
  h, w = a.shape[-3], a.shape[-2]
  if min(h, w) < 2 * radius + 1:
    raise ValueError(f'ssim needs images of at least {2 * radius + 1}x{2 * radius + 1} '
                     f'pixels (the Gaussian window), got {h}x{w}')
  gh, gw = _gaussian_band(h, sigma, radius), _gaussian_band(w, sigma, radius)
  blur = lambda x: jnp.einsum('ih,...hwc,jw->...ijc', gh, x, gw)
  mu_a, mu_b = blur(a), blur(b)
  var_a, var_b, cov = _centred_moments(a, b, mu_a, mu_b, _gaussian_taps(sigma, radius))
  c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
  s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / (
      (mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))
  return s.mean(axis=(-3, -2, -1))
