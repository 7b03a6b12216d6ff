"""Turning raw batches into model inputs, on device, inside jit, on the whole global batch.

Randomness uses the full batch's shapes and a key that depends on the step only (or, for
static binarization, on each example's dataset index only), so a batch prepared on one
process or split over many gives the same values.

Images (uint8) become float32 in this order: uniform dequantization or binarization, then
scaling to the configured range, then (training only) random horizontal flips.
Dequantization and binarization apply to evaluation too: they define the data the model's
likelihood is about. Vectors pass through as float32.

`pixels` is a gdm.data.config.PixelFormat (scale, dequantize, binarize), which checks its
own values; a DataConfig has the same three fields and may be passed for it.
"""
import jax
import jax.numpy as jnp

from gdm.data.config import PixelFormat
from gdm.data.source import DatasetInfo

# Static binarization draws from this key folded with the example index, never the run seed,
# so every run and epoch sees the same binary dataset.
STATIC_BINARIZATION_SEED = 20_170_101


def _scale(x: jax.Array, scale: str, dequantize: bool) -> jax.Array:
  """x in pixel units ([0, 255], or [0, 256) dequantized) -> the configured range."""
  levels = 256.0 if dequantize else 255.0
  if scale == 'minus_one_one':
    return x / (levels / 2) - 1
  if scale == 'zero_one':
    return x / levels
  return x


def make_prepare(pixels: PixelFormat, info: DatasetInfo, random_flip: bool = False):
  """prepare(batch, key, train) -> batch with `x` as float32 model input; other keys kept.
  `random_flip` mirrors training images at random (never evaluation ones)."""
  scale, dequantize, binarize = pixels.scale, pixels.dequantize, pixels.binarize
  flip = random_flip

  def prepare(batch: dict, key: jax.Array, train: bool) -> dict:
    out = dict(batch)
    x = jnp.asarray(batch['x']).astype(jnp.float32)
    if not info.is_image:
      out['x'] = x
      return out
    k_noise, k_flip = jax.random.split(key)
    if binarize == 'static':
      if 'index' not in batch:
        raise ValueError("static binarization needs batch['index'] (the dataset index)")
      base = jax.random.key(STATIC_BINARIZATION_SEED)
      u = jax.vmap(lambda i: jax.random.uniform(jax.random.fold_in(base, i), x.shape[1:]))(
          jnp.asarray(batch['index']))
      x = (u < x / 255).astype(jnp.float32)
    elif binarize == 'dynamic':
      x = jax.random.bernoulli(k_noise, x / 255).astype(jnp.float32)
    else:
      if dequantize:
        x = x + jax.random.uniform(k_noise, x.shape)
      x = _scale(x, scale, dequantize)
    if flip and train:
      mirror = jax.random.bernoulli(k_flip, 0.5, x.shape[:1])
      x = jnp.where(mirror[:, None, None, None], x[:, :, ::-1], x)
    out['x'] = x
    return out

  return prepare


def data_range(pixels: PixelFormat, info: DatasetInfo) -> float:
  """Width of the interval prepared images lie in (for PSNR and bits-per-dim).

  2 for minus_one_one, 1 for zero_one or binarized, 255 for none (256 when dequantized, as
  values then fill [0, 256)). Vectors have no fixed range: returns 0.0, meaning n/a.
  """
  if not info.is_image:
    return 0.0
  if pixels.binarize != 'none':
    return 1.0
  return {'minus_one_one': 2.0, 'zero_one': 1.0,
          'none': 256.0 if pixels.dequantize else 255.0}[pixels.scale]


def to_uint8(x: jax.Array, pixels: PixelFormat) -> jax.Array:
  """Prepared-range images (e.g. samples) -> uint8 pixels, inverting `make_prepare`'s scaling.

  Works on numpy or jax arrays, inside jit or not. Dequantized values are floored (their
  pixel bin); others are rounded.
  """
  x = jnp.asarray(x, jnp.float32)
  if pixels.binarize != 'none':
    x = jnp.round(x * 255)  # samples may be Bernoulli means, not only {0, 1}
  else:
    levels = 256.0 if pixels.dequantize else 255.0
    if pixels.scale == 'minus_one_one':
      x = (x + 1) * (levels / 2)
    elif pixels.scale == 'zero_one':
      x = x * levels
    x = jnp.floor(x) if pixels.dequantize else jnp.round(x)
  return jnp.clip(x, 0, 255).astype(jnp.uint8)
