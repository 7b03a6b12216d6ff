"""Turning batches of samples into PNGs a person can look at.

Everything here is host-side numpy: it runs after samples leave the device, once per
logging step, so clarity matters more than speed.
"""
import math
import os

import numpy as np
from PIL import Image


def make_grid(images: np.ndarray, ncol: int | None = None, pad: int = 1) -> np.ndarray:
  """Tiles uint8 [N, H, W, C] (C in {1, 3}) into one uint8 [H', W', C] mosaic.

  Image k goes to row k // ncol, column k % ncol; cells are separated (and surrounded)
  by `pad` pixels of 0. By default the grid is as close to square as possible.
  """
  images = np.asarray(images)
  if images.ndim != 4 or images.shape[-1] not in (1, 3):
    raise ValueError(f'expected [N, H, W, C] with C in {{1, 3}}, got {images.shape}')
  if images.dtype != np.uint8:
    raise ValueError(f'expected uint8 images, got {images.dtype}')
  n, h, w, c = images.shape
  if n == 0:
    raise ValueError('no images to tile')
  ncol = ncol or math.ceil(math.sqrt(n))
  nrow = math.ceil(n / ncol)
  grid = np.zeros((pad + nrow * (h + pad), pad + ncol * (w + pad), c), np.uint8)
  for k in range(n):
    top = pad + (k // ncol) * (h + pad)
    left = pad + (k % ncol) * (w + pad)
    grid[top:top + h, left:left + w] = images[k]
  return grid


def save_png(path: str, image: np.ndarray) -> None:
  """Writes uint8 HxW, HxWx1 or HxWx3 to `path`, creating parent directories."""
  image = np.asarray(image)
  if image.dtype != np.uint8:
    raise ValueError(f'expected uint8, got {image.dtype}')
  if image.ndim == 3 and image.shape[-1] == 1:
    image = image[..., 0]          # PIL has no single-channel 3-D mode
  if not (image.ndim == 2 or (image.ndim == 3 and image.shape[-1] == 3)):
    raise ValueError(f'expected HxW, HxWx1 or HxWx3, got {image.shape}')
  parent = os.path.dirname(path)
  if parent:
    os.makedirs(parent, exist_ok=True)
  Image.fromarray(image).save(path, format='PNG')


def scatter_image(points: np.ndarray, size: int = 256, lim: float | None = None) -> np.ndarray:
  """Renders 2-D samples [N, 2] as a uint8 [size, size, 1] density image.

  A 2-D histogram rather than drawn markers, so that where mass concentrates stays
  visible with many samples; counts are log-scaled so sparse tails still show. The view
  is the square [-lim, lim]^2 (x rightwards, y upwards); by default lim is taken from the
  99.5th percentile of |coordinate| so a few outliers do not shrink the picture.
  """
  points = np.asarray(points, np.float64)
  if points.ndim != 2 or points.shape[1] != 2:
    raise ValueError(f'expected [N, 2] points, got {points.shape}')
  points = points[np.all(np.isfinite(points), axis=1)]
  if lim is None:
    lim = float(np.percentile(np.abs(points), 99.5)) * 1.05 if len(points) else 1.0
    lim = lim if lim > 0 else 1.0
  edges = np.linspace(-lim, lim, size + 1)
  counts, _, _ = np.histogram2d(points[:, 0], points[:, 1], bins=(edges, edges))
  density = np.log1p(counts)
  if density.max() > 0:
    density = density / density.max()
  # histogram2d indexes [x, y]; an image is [row, col] with row 0 at the top.
  pixels = np.round(255 * density.T[::-1]).astype(np.uint8)
  return pixels[..., None]


def waveform_image(clips: np.ndarray, height: int = 48, width: int = 512) -> np.ndarray:
  """Renders audio clips [N, T] in [-1, 1] as one uint8 [N * (height + 1), width', 1] picture,
  one strip per clip: each column spans the min..max of its stretch of samples (width' =
  min(T, width) columns), so the envelope and silences show at a glance."""
  clips = np.clip(np.nan_to_num(np.asarray(clips, np.float64)), -1, 1)
  if clips.ndim != 2 or clips.shape[1] == 0:
    raise ValueError(f'expected audio clips [N, T], got {clips.shape}')
  n, t = clips.shape
  cols = min(t, width)
  edges = np.linspace(0, t, cols + 1).astype(int)
  lo = np.stack([clips[:, a:max(b, a + 1)].min(1) for a, b in zip(edges[:-1], edges[1:])], 1)
  hi = np.stack([clips[:, a:max(b, a + 1)].max(1) for a, b in zip(edges[:-1], edges[1:])], 1)
  rows = np.arange(height)[None, :, None]                     # row 0 at the top: +1
  top = np.round((1 - hi[:, None, :]) / 2 * (height - 1))
  bottom = np.round((1 - lo[:, None, :]) / 2 * (height - 1))
  strips = ((rows >= top) & (rows <= bottom)).astype(np.uint8) * 255     # [N, height, cols]
  picture = np.zeros((n, height + 1, cols), np.uint8)
  picture[:, :height] = strips
  return picture.reshape(n * (height + 1), cols)[..., None]
