"""Per-image reconstruction metrics on batches of images.

Inputs are [..., H, W, C]; the last three axes are reduced and any leading (batch) axes
are kept, so callers average over the data set themselves. Everything is computed in
float32: uint8 inputs would overflow when differenced, and bf16 would lose precision.
"""
import jax.numpy as jnp


def mse(a, b) -> jnp.ndarray:
  """Mean squared error per image: [..., H, W, C] -> [...]."""
  a = jnp.asarray(a, jnp.float32)
  b = jnp.asarray(b, jnp.float32)
  return jnp.mean(jnp.square(a - b), axis=(-3, -2, -1))


def psnr(a, b, max_val: float) -> jnp.ndarray:
  """Peak signal-to-noise ratio in dB per image; +inf where the images are identical.

  `max_val` is the data range: 255 for uint8 pixels, 1 for [0, 1] floats.
  """
  err = mse(a, b)
  # log10(x / 0) is +inf, which is the intended value, but make it explicit and warning-free.
  safe = jnp.where(err > 0, err, 1.0)
  value = 10.0 * jnp.log10(jnp.float32(max_val) ** 2 / safe)
  return jnp.where(err > 0, value, jnp.inf)
