"""Inception features for FID / Inception Score, preprocessed exactly as pytorch-fid does.

pytorch-fid turns uint8 images into floats in [0, 1] (ToTensor), resizes them to 299x299 with
`F.interpolate(mode='bilinear', align_corners=False)` and maps them to [-1, 1]. The resize is
reimplemented here because jax.image.resize('bilinear') antialiases when downsampling and torch
does not; for upsampling the two agree.
"""
import jax.numpy as jnp
import numpy as np

from gdm.nn.inception import FID_IMAGE_SIZE, FIDInceptionV3


def _torch_bilinear_taps(in_size: int, out_size: int):
  """Per output index: the two source indices and their weights, following torch's
  upsample_bilinear2d (align_corners=False, size given): src = (dst + 0.5) * in / out - 0.5,
  clamped below at 0; the upper neighbour is clamped to the last pixel. float32 like torch."""
  scale = np.float32(in_size) / np.float32(out_size)
  src = scale * (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) - np.float32(0.5)
  src = np.maximum(src, np.float32(0))
  lo = np.floor(src).astype(np.int32)
  hi = np.minimum(lo + 1, in_size - 1)
  w_hi = src - lo.astype(np.float32)
  return lo, hi, np.float32(1) - w_hi, w_hi


def _resize_axis(x, axis: int, out_size: int):
  lo, hi, w_lo, w_hi = _torch_bilinear_taps(x.shape[axis], out_size)
  shape = [1] * x.ndim
  shape[axis] = out_size
  return (jnp.take(x, lo, axis=axis) * w_lo.reshape(shape)
          + jnp.take(x, hi, axis=axis) * w_hi.reshape(shape))


def resize_bilinear(x, height: int, width: int):
  """Torch `F.interpolate(x, (height, width), mode='bilinear', align_corners=False)` on NHWC.

  Bilinear interpolation is separable, so resizing H then W equals torch's joint 4-tap
  formula up to float rounding. No antialiasing, as in torch.
  """
  return _resize_axis(_resize_axis(x, 1, height), 2, width)


def _check_images(images):
  shape = getattr(images, 'shape', None)
  dtype = getattr(images, 'dtype', None)
  if shape is None or len(shape) != 4 or shape[-1] not in (1, 3):
    raise ValueError(f'Inception expects uint8 images [N, H, W, 1|3] (NHWC), got shape '
                     f'{shape}; transpose NCHW batches to NHWC first')
  if dtype != np.uint8:
    raise ValueError(f'Inception expects uint8 images in [0, 255], got dtype {dtype}; '
                     f'convert float images with round(clip(x, 0, 1) * 255) first')


def preprocess(images_uint8, size: int = FID_IMAGE_SIZE):
  """uint8 [N, H, W, 1|3] -> float32 [N, size, size, 3] in [-1, 1], as pytorch-fid feeds it."""
  _check_images(images_uint8)
  x = jnp.asarray(images_uint8).astype(jnp.float32) / 255.0
  if x.shape[-1] == 1:
    # pytorch-fid loads images with PIL .convert('RGB'), which copies gray into R, G and B.
    x = jnp.repeat(x, 3, axis=-1)
  x = resize_bilinear(x, size, size)
  return 2.0 * x - 1.0


def check_images(images):
  """Eager one-line errors for what `inception_features` cannot take."""
  _check_images(images)


def inception_features(variables, images):
  """uint8 images [N, H, W, 1|3] -> (pool [N, 2048], logits [N, 1008]) of FIDInceptionV3
  with `variables` (e.g. from gdm.metrics.inception_weights.load_inception_params)."""
  out = FIDInceptionV3().apply(variables, preprocess(images))
  return out.pool, out.logits
