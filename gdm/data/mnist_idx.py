"""MNIST from the original idx files in a local folder (LeCun's format, optionally gzipped).

For machines without tfds data: point `data.data_dir` at a folder with `train-*` / `t10k-*`
files. The whole split is read into memory (47 MB for the training images).
"""
import gzip
import os

import numpy as np

from gdm.data.folder import resize_images
from gdm.data.source import ArraySource, DatasetInfo

PREFIXES = {'train': 'train', 'test': 't10k'}
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049  # unsigned bytes, 3 and 1 dimensions


def read_idx(path: str, magic: int) -> np.ndarray:
  """The uint8 array stored in idx file `path`, whose header must carry `magic`."""
  try:
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
      data = f.read()
  except (OSError, EOFError, gzip.BadGzipFile) as e:   # truncated or not gzip at all
    raise ValueError(f'{path} cannot be read as an idx file: {e}') from None
  if len(data) < 4:
    raise ValueError(f'{path} is too short ({len(data)} bytes) to be an idx file')
  found = int.from_bytes(data[:4], 'big')
  if found != magic:
    raise ValueError(f'{path}: idx magic number {found}, expected {magic}')
  ndim = magic & 0xFF
  dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
  body = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
  if body.size != np.prod(dims):
    raise ValueError(f'{path}: header says {dims} = {np.prod(dims)} bytes, file has {body.size}')
  return body.reshape(dims)


def _find(folder: str, stem: str) -> str | None:
  for name in (stem, stem + '.gz'):
    if os.path.isfile(os.path.join(folder, name)):
      return os.path.join(folder, name)
  return None


def make_source(data_dir: str, split: str, image_size: int = 0) -> ArraySource:
  if split not in PREFIXES:
    raise ValueError(f'mnist_idx has splits {sorted(PREFIXES)}, not {split!r}')
  stems = [f'{PREFIXES[split]}-images-idx3-ubyte', f'{PREFIXES[split]}-labels-idx1-ubyte']
  paths = [_find(data_dir, s) for s in stems]
  if None in paths:
    raise ValueError(f'folder {data_dir!r} lacks the MNIST idx files {stems[0]}[.gz] and '
                     f'{stems[1]}[.gz] (set data.data_dir)')
  x = read_idx(paths[0], IMAGES_MAGIC)[..., None]
  y = read_idx(paths[1], LABELS_MAGIC).astype(np.int32)
  x = resize_images(x, image_size)
  info = DatasetInfo(name='mnist_idx', shape=x.shape[1:], kind='image', num_classes=10,
                     num_examples=len(x))
  return ArraySource(info, x, y)
