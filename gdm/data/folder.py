"""Any directory of image files as a dataset, decoded lazily so huge folders cost nothing up front.

Layout: `data_dir/<split>` if that is a directory, else `data_dir` itself. Sub-folders of it
are classes (label = position in sorted names); image files directly in it, with no
sub-folders, make an unlabelled dataset.

Unreadable files are never passed over silently. Every file's header is read when the source
is built (before anything compiles): a file that is not an image stops the run with its path,
or with `skip_corrupt` is left out and counted. A file whose header reads but whose pixels do
not (a truncated JPEG) is found when a batch needs it: the run stops with its path (the loop
saves a checkpoint of the last completed step), or with `skip_corrupt` the next readable
example of the folder stands in for it, the same one on every run and resume, and the file is
logged once.
"""
import logging
import os

import numpy as np
from PIL import Image

from gdm.data.source import DatasetInfo

log = logging.getLogger('gdm')

EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.gif', '.webp')


def resize_images(x: np.ndarray, size: int) -> np.ndarray:
  """uint8 [n, H, W, C] -> [n, size, size, C] with PIL bilinear; size <= 0 keeps the size."""
  if size <= 0 or x.shape[1:3] == (size, size):
    return x
  out = [np.asarray(Image.fromarray(im[..., 0] if im.shape[-1] == 1 else im)
                    .resize((size, size), Image.BILINEAR)) for im in x]
  return np.stack(out).reshape(len(x), size, size, x.shape[-1])


def _files_in(folder: str, extensions: tuple[str, ...]) -> list[str]:
  paths = []
  for root, dirs, files in os.walk(folder):
    dirs.sort()  # os.walk visits in this order, so the listing is deterministic
    paths += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(extensions)]
  return paths


def list_folder(data_dir: str, split: str, extensions: tuple[str, ...], what: str = 'images'):
  """(folder, paths, labels or None, number of classes) of the layout above: files ending in
  `extensions` (lower case); `what` names them in errors."""
  folder = os.path.join(data_dir, split) if os.path.isdir(os.path.join(data_dir, split)) \
      else data_dir
  if not data_dir or not os.path.isdir(folder):
    raise ValueError(f'no {what} in folder {folder!r} (looked for {", ".join(extensions)})')
  classes = sorted(d for d in os.listdir(folder)
                   if os.path.isdir(os.path.join(folder, d)) and not d.startswith('.'))
  loose = [f for f in os.listdir(folder) if f.lower().endswith(extensions)]
  if classes and loose:
    raise ValueError(f'folder {folder!r} mixes class sub-folders with loose {what} such as '
                     f'{loose[0]!r}; use one layout')
  if not classes:
    return folder, _files_in(folder, extensions), None, 0
  per_class = [_files_in(os.path.join(folder, c), extensions) for c in classes]
  counts = [len(ps) for ps in per_class]
  labels = np.repeat(np.arange(len(classes), dtype=np.int32), counts)
  return folder, [p for ps in per_class for p in ps], labels, len(classes)


def _header_error(path: str) -> str | None:
  try:
    with Image.open(path) as im:
      im.size  # noqa: B018  (the header is parsed on open)
  except (OSError, ValueError, Image.DecompressionBombError) as e:
    return f'{type(e).__name__}: {e}'
  return None


class FolderSource:

  def __init__(self, data_dir: str, split: str, image_size: int = 0, name: str = 'folder',
               skip_corrupt: bool = False, channels: int = 0):
    """`channels` 1 or 3 converts every image to gray or RGB; 0 takes the first file's."""
    self.folder, self.paths, self.labels, num_classes = list_folder(data_dir, split, EXTENSIONS)
    bad = f'no images in folder {self.folder!r} (looked for {", ".join(EXTENSIONS)})'
    self.skip_corrupt = skip_corrupt
    self._check_headers()
    if not self.paths:
      raise ValueError(bad)
    self._bad = set()
    with Image.open(self.paths[0]) as first:
      # Channels and size come from the first file so that construction stays cheap.
      gray = channels == 1 if channels else first.mode in ('L', '1')
      self.mode = 'L' if gray else 'RGB'
      self.size = (image_size, image_size) if image_size > 0 else first.size  # (W, H)
      self.resize = image_size > 0
    w, h = self.size
    self.info = DatasetInfo(name=name, shape=(h, w, 1 if self.mode == 'L' else 3), kind='image',
                            num_classes=num_classes, num_examples=len(self.paths))

  def _check_headers(self):
    keep, skipped = [], []
    for i, path in enumerate(self.paths):
      error = _header_error(path)
      if error is None:
        keep.append(i)
      elif self.skip_corrupt:
        skipped.append(path)
        log.warning('data.skip_corrupt: leaving out %s (%s)', path, error)
      else:
        raise ValueError(f'{path} is not a readable image ({error}); remove it or set '
                         f'data.skip_corrupt=True')
    if skipped:
      log.warning('data.skip_corrupt: left out %d unreadable files of %d', len(skipped),
                  len(self.paths))
      self.paths = [self.paths[i] for i in keep]
      if self.labels is not None:
        self.labels = self.labels[np.asarray(keep, np.int64)]

  def __len__(self) -> int:
    return len(self.paths)

  def _decode(self, path: str) -> np.ndarray:
    try:
      with Image.open(path) as im:
        im = im.convert(self.mode)
        size = im.size
        if self.resize:
          im = im.resize(self.size, Image.BILINEAR)
        pixels = np.asarray(im, np.uint8)
    except (OSError, ValueError, SyntaxError) as e:   # PIL's errors for broken image data
      raise _Corrupt(f'{path} cannot be decoded ({type(e).__name__}: {e})') from None
    if not self.resize and size != self.size:
      raise ValueError(f'{path}: size {size[0]}x{size[1]}, expected '
                       f'{self.size[0]}x{self.size[1]} (set data.image_size to resize)')
    return pixels.reshape(self.info.shape)

  def _read(self, i: int) -> np.ndarray:
    """Example i, or with skip_corrupt the next readable one after it."""
    for j in range(len(self.paths)):
      k = (i + j) % len(self.paths)
      if k in self._bad:
        continue
      try:
        return self._decode(self.paths[k])
      except _Corrupt as e:
        if not self.skip_corrupt:
          raise ValueError(f'{e}; remove it or set data.skip_corrupt=True') from None
        self._bad.add(k)
        log.warning('data.skip_corrupt: %s; using the next readable image instead (%d '
                    'skipped so far)', e, len(self._bad))
    raise ValueError(f'no image of folder dataset {self.info.name!r} can be decoded')

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    indices = np.asarray(indices)
    out = {'x': np.stack([self._read(int(i)) for i in indices])}
    if self.labels is not None:
      out['y'] = self.labels[indices]
    return out


class _Corrupt(Exception):
  pass
