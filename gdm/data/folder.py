"""Any directory of image files as a dataset, decoded lazily so huge folders cost nothing up front.

Layout: `data_dir/<split>` if that is a directory, else `data_dir` itself. Sub-folders of it
are classes (label = position in sorted names); image files directly in it, with no
sub-folders, make an unlabelled dataset.
"""
import os

import numpy as np
from PIL import Image

from gdm.data.source import DatasetInfo

EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.gif', '.webp')


def resize_images(x: np.ndarray, size: int) -> np.ndarray:
  """uint8 [n, H, W, C] -> [n, size, size, C] with PIL bilinear; size <= 0 keeps the size."""
  if size <= 0 or x.shape[1:3] == (size, size):
    return x
  out = [np.asarray(Image.fromarray(im[..., 0] if im.shape[-1] == 1 else im)
                    .resize((size, size), Image.BILINEAR)) for im in x]
  return np.stack(out).reshape(len(x), size, size, x.shape[-1])


def _images_in(folder: str) -> list[str]:
  paths = []
  for root, dirs, files in os.walk(folder):
    dirs.sort()  # os.walk visits in this order, so the listing is deterministic
    paths += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(EXTENSIONS)]
  return paths


class FolderSource:

  def __init__(self, data_dir: str, split: str, image_size: int = 0, name: str = 'folder'):
    folder = os.path.join(data_dir, split) if os.path.isdir(os.path.join(data_dir, split)) \
        else data_dir
    bad = f'no images in folder {folder!r} (looked for {", ".join(EXTENSIONS)})'
    if not data_dir or not os.path.isdir(folder):
      raise ValueError(bad)
    classes = sorted(d for d in os.listdir(folder)
                     if os.path.isdir(os.path.join(folder, d)) and not d.startswith('.'))
    loose = [f for f in os.listdir(folder) if f.lower().endswith(EXTENSIONS)]
    if classes and loose:
      raise ValueError(f'folder {folder!r} mixes class sub-folders with loose images such as '
                       f'{loose[0]!r}; use one layout')
    if classes:
      per_class = [_images_in(os.path.join(folder, c)) for c in classes]
      self.paths = [p for ps in per_class for p in ps]
      counts = [len(ps) for ps in per_class]
      self.labels = np.repeat(np.arange(len(classes), dtype=np.int32), counts)
    else:
      self.paths, self.labels = _images_in(folder), None
    if not self.paths:
      raise ValueError(bad)
    with Image.open(self.paths[0]) as first:
      # Channels and size come from the first file so that construction stays cheap.
      self.mode = 'L' if first.mode in ('L', '1') else 'RGB'
      self.size = (image_size, image_size) if image_size > 0 else first.size  # (W, H)
      self.resize = image_size > 0
    w, h = self.size
    self.info = DatasetInfo(name=name, shape=(h, w, 1 if self.mode == 'L' else 3), kind='image',
                            num_classes=len(classes), num_examples=len(self.paths))

  def __len__(self) -> int:
    return len(self.paths)

  def _read(self, path: str) -> np.ndarray:
    with Image.open(path) as im:
      im = im.convert(self.mode)
      if self.resize:
        im = im.resize(self.size, Image.BILINEAR)
      elif im.size != self.size:
        raise ValueError(f'{path}: size {im.size[0]}x{im.size[1]}, expected '
                         f'{self.size[0]}x{self.size[1]} (set data.image_size to resize)')
      return np.asarray(im, np.uint8).reshape(self.info.shape)

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    indices = np.asarray(indices)
    out = {'x': np.stack([self._read(self.paths[i]) for i in indices])}
    if self.labels is not None:
      out['y'] = self.labels[indices]
    return out
