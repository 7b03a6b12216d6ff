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
  `random_flip` mirrors training images at random (never evaluation ones). Translation data
  (info.target_shape) has its image `y` prepared the same way (static binarization keyed by
  `y_index` where the batch has one); a pair is mirrored together, two unpaired domains
  independently."""
  scale, dequantize, binarize = pixels.scale, pixels.dequantize, pixels.binarize
  flip = random_flip

  def convert(x, index, k_noise):
    x = jnp.asarray(x).astype(jnp.float32)
    if binarize == 'static':
      if index is None:
        raise ValueError("static binarization needs batch['index'] (the dataset index)")
      base = jax.random.key(STATIC_BINARIZATION_SEED)
      u = jax.vmap(lambda i: jax.random.uniform(jax.random.fold_in(base, i), x.shape[1:]))(
          jnp.asarray(index))
      return (u < x / 255).astype(jnp.float32)
    if binarize == 'dynamic':
      return jax.random.bernoulli(k_noise, x / 255).astype(jnp.float32)
    if dequantize:
      x = x + jax.random.uniform(k_noise, x.shape)
    return _scale(x, scale, dequantize)

  def mirror(x, key):
    flipped = jax.random.bernoulli(key, 0.5, x.shape[:1])
    return jnp.where(flipped[:, None, None, None], x[:, :, ::-1], x)

  def prepare(batch: dict, key: jax.Array, train: bool) -> dict:
    out = dict(batch)
    if not info.is_image:
      out['x'] = jnp.asarray(batch['x']).astype(jnp.float32)
      return out
    k_noise, k_flip = jax.random.split(key)
    out['x'] = convert(batch['x'], batch.get('index'), k_noise)
    targets = bool(info.target_shape) and 'y' in batch   # (user images to translate: none)
    if targets:
      out['y'] = convert(batch['y'], batch.get('y_index', batch.get('index')),
                         jax.random.fold_in(k_noise, 1))
    if flip and train:
      out['x'] = mirror(out['x'], k_flip)
      if targets:
        out['y'] = mirror(out['y'], k_flip if info.pairing == 'paired'
                          else jax.random.fold_in(k_flip, 1))
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
