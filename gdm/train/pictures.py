"""What a run's arrays look like as pictures (PNG and TensorBoard): image grids at a viewable
size with their labels, 2-D scatter plots of vectors, colour maps of integer code maps.

Arrays are in data space as families return them: images [N, H, W, C] or [rows, cols, H, W,
C] grids, vectors [..., D] point clouds. Labels come from the Model's `captions`.
"""
import numpy as np

from gdm.data import to_uint8
from gdm.data.config import PixelFormat
from gdm.data.source import DatasetInfo
from gdm.utils import images
from gdm.utils.captions import GridLabels

SCATTER_SIZE = 256     # a scatter plot's side when grids are drawn 1:1 (grid_min_side=0)
SCATTER_DOT = 2        # pixels per histogram bin along each axis: dots a person can see


def class_columns(num_classes: int) -> dict[str, GridLabels]:
  """Captions of the sample grids of a model whose sample k has class k % num_classes
  (the evaluator's 'samples' and --mode=sample's 'sample/x'): one column per class."""
  if not num_classes:
    return {}
  cols = GridLabels(cols=class_labels(num_classes))
  return {'samples': cols, 'sample/x': cols}


def class_labels(num_classes: int) -> tuple[str, ...]:
  return tuple(f'y={k}' for k in range(num_classes))


def to_picture(x, info: DatasetInfo, pixels: PixelFormat, min_side: int,
               labels: GridLabels | None = None) -> np.ndarray:
  """Data-space array -> one uint8 picture: a grid of images (a [rows, cols, ...] grid keeps
  its columns), one waveform per clip of audio, or a scatter plot of the first two coordinates of every vector."""
  x = np.asarray(x)
  if info.is_audio:
    return images.waveform_image(x.reshape(-1, info.shape[0]))
  if not info.is_image:
    points = x.reshape(-1, x.shape[-1])[:, :2]
    bins = max(1, (min_side or SCATTER_SIZE) // SCATTER_DOT)
    return images.scatter_image(points, size=bins).repeat(SCATTER_DOT, 0).repeat(SCATTER_DOT, 1)
  cols = x.shape[1] if x.ndim == 5 else None
  x = np.asarray(to_uint8(x, pixels))
  return images.picture(x.reshape((-1,) + x.shape[-3:]), cols, min_side, labels)


def array_picture(v, info: DatasetInfo, pixels: PixelFormat, min_side: int,
                  labels: GridLabels | None = None) -> np.ndarray | None:
  """The picture of one array a mode returned, or None where it is not one (per-example
  scores, latents, labels): images of the data's shape, vectors of its dimension, integer
  maps [N, h, w] (VQ-VAE codes) in one colour per index."""
  v = np.asarray(v)
  if info.is_image and v.ndim == 3 and np.issubdtype(v.dtype, np.integer):
    return images.picture(images.index_maps(v), None, min_side, labels)
  if not np.issubdtype(v.dtype, np.floating):
    return None
  if info.is_image and v.ndim in (4, 5) and v.shape[-3:] == tuple(info.shape):
    return to_picture(v, info, pixels, min_side, labels)
  if not info.is_image and v.ndim >= 2 and v.shape[-1] == info.shape[0] >= 2:
    return to_picture(v, info, pixels, min_side, labels)
  return None
