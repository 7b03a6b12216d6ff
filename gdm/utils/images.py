"""Turning batches of samples into PNGs a person can look at.

Everything here is host-side numpy: it runs after samples leave the device, once per
logging step, so clarity matters more than speed.
"""
import math
import os

import numpy as np
from PIL import Image

from gdm.utils.captions import GridLabels, add_labels

SEPARATOR = 128        # mid gray between cells: visible on black (digits) and on light images
MAX_SIDE = 2048        # upscaling stops before the images along a grid's long side pass this


def _checked(images) -> np.ndarray:
  images = np.asarray(images)
  if images.ndim != 4 or images.shape[-1] not in (1, 3):
    raise ValueError(f'expected [N, H, W, C] with C in {{1, 3}}, got {images.shape}')
  if images.dtype != np.uint8:
    raise ValueError(f'expected uint8 images, got {images.dtype}')
  if images.shape[0] == 0:
    raise ValueError('no images to tile')
  return images


def make_grid(images: np.ndarray, ncol: int | None = None, pad: int = 1, scale: int = 1,
              fill: int = 0) -> np.ndarray:
  """Tiles uint8 [N, H, W, C] (C in {1, 3}) into one uint8 [H', W', C] mosaic.

  Image k goes to row k // ncol, column k % ncol, each repeated `scale` times along both
  axes (nearest neighbour); cells are separated (and surrounded) by `pad` pixels of `fill`,
  and cells without an image are 0. By default the grid is as close to square as possible.
  """
  images = _checked(images).repeat(scale, axis=1).repeat(scale, axis=2)
  n, h, w, c = images.shape
  ncol = ncol or math.ceil(math.sqrt(n))
  nrow = math.ceil(n / ncol)
  grid = np.full((pad + nrow * (h + pad), pad + ncol * (w + pad), c), fill, np.uint8)
  for k in range(nrow * ncol):
    top = pad + (k // ncol) * (h + pad)
    left = pad + (k % ncol) * (w + pad)
    grid[top:top + h, left:left + w] = images[k] if k < n else 0
  return grid


def upscale_factor(height: int, width: int, min_side: int, max_side: int = MAX_SIDE) -> int:
  """The integer factor that brings a height x width picture's short side to at least
  `min_side`, unless that would take its long side past `max_side`; at least 1."""
  if min_side <= 0:
    return 1
  wanted = math.ceil(min_side / min(height, width))
  return max(1, min(wanted, max_side // max(height, width)))


def picture(images: np.ndarray, ncol: int | None = None, min_side: int = 256,
            labels: GridLabels | None = None) -> np.ndarray:
  """A grid as people look at it: uint8 [N, H, W, C] tiled like `make_grid`, every cell
  upscaled (nearest neighbour, one integer factor) so that the grid's short side is at
  least `min_side` pixels (0: 1:1), gray separators of 1 px (2 px once upscaled), and
  `labels` drawn in margins where they fit."""
  n, h, w, _ = _checked(images).shape
  if labels is not None and labels.cols and ncol is None:
    ncol = len(labels.cols)
  ncol = min(ncol or math.ceil(math.sqrt(n)), n)
  nrow = math.ceil(n / ncol)
  scale = upscale_factor(nrow * h, ncol * w, min_side)
  pad = 2 if scale > 1 else 1
  grid = make_grid(images, ncol, pad, scale, SEPARATOR)
  if labels is None:
    return grid
  return add_labels(grid, labels, (h * scale, w * scale), pad)


def save_png(path: str, image: np.ndarray, optimize: bool = False) -> None:
  """Writes uint8 HxW, HxWx1 or HxWx3 to `path`, creating parent directories
  (`optimize`: PIL's slower, smaller encoding)."""
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
  Image.fromarray(image).save(path, format='PNG', optimize=optimize)


def index_maps(maps: np.ndarray) -> np.ndarray:
  """Integer maps [N, h, w] (e.g. VQ-VAE code indices) -> uint8 RGB [N, h, w, 3], one fixed
  colour per index, so that equal codes look equal across maps and runs."""
  maps = np.asarray(maps)
  palette = np.random.default_rng(0).integers(40, 256, (int(maps.max(initial=0)) + 1, 3))
  return palette[np.clip(maps, 0, None)].astype(np.uint8)


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
