"""Translation data (image-to-image): paired sources and two unpaired domains.

A paired source yields at index i {'x': source image i, 'y': its target image i}; shuffling,
sharding and resuming address pairs by index, so a pair never comes apart. An unpaired
source holds two domains A and B. Indexed (evaluation: every A image once) example i is
(A[i], B[i mod |B|]); training draws the domains independently, each in its own seeded order
(gdm.data.pipeline.DomainPipeline), so which B image meets which A image changes from epoch
to epoch. Both need images of one spatial size on both sides (the nets keep the size).
"""
import numpy as np

from gdm.data.source import DatasetInfo, Source

# ITU-R BT.601 luma, as PIL's convert('L').
LUMA = np.array([0.299, 0.587, 0.114])


def check_sizes(name: str, a_shape: tuple, b_shape: tuple, a: str, b: str):
  """One-line error unless both sides' images have the same height and width."""
  if tuple(a_shape[:2]) != tuple(b_shape[:2]):
    raise ValueError(f'{name}: {a} are {a_shape[0]}x{a_shape[1]} but {b} '
                     f'{b_shape[0]}x{b_shape[1]}; both sides must have one size (set '
                     f'data.image_size to resize both)')


def _info(name: str, x: DatasetInfo, y: DatasetInfo, pairing: str, n: int) -> DatasetInfo:
  return DatasetInfo(name=name, shape=x.shape, kind='image', num_examples=n,
                     target_shape=y.shape, pairing=pairing)


class PairedSource:
  """Pairs (sources[i], targets[order[i]]); `order` (default the identity) lines the targets
  up with the sources, e.g. by file name."""

  def __init__(self, name: str, sources: Source, targets: Source,
               order: np.ndarray | None = None):
    n = len(sources)
    order = np.arange(len(targets)) if order is None else np.asarray(order, np.int64)
    if n == 0:
      raise ValueError(f'{name}: no image pairs')
    if len(order) != n:
      raise ValueError(f'{name}: {n} source images but {len(order)} targets; a paired '
                       f'dataset needs one target per source')
    check_sizes(name, sources.info.shape, targets.info.shape, 'source images',
                'target images')
    self.sources, self.targets, self.order = sources, targets, order
    self.info = _info(name, sources.info, targets.info, 'paired', n)

  def __len__(self) -> int:
    return len(self.sources)

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    indices = np.asarray(indices)
    return {'x': self.sources[indices]['x'], 'y': self.targets[self.order[indices]]['x']}


class UnpairedSource:
  """Domains A (`x`) and B (`y`); `domains` is what training draws from independently."""

  def __init__(self, name: str, a: Source, b: Source):
    for label, domain in (('A', a), ('B', b)):
      if len(domain) == 0:
        raise ValueError(f'{name}: domain {label} has no images')
    check_sizes(name, a.info.shape, b.info.shape, 'domain A images', 'domain B images')
    self.domains = (a, b)
    self.info = _info(name, a.info, b.info, 'unpaired', len(a))

  def __len__(self) -> int:
    return len(self.domains[0])

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    a, b = self.domains
    indices = np.asarray(indices)
    b_index = indices % len(b)
    return {'x': a[indices]['x'], 'y': b[b_index]['x'], 'y_index': b_index.astype(np.int32)}


def num_targets(source) -> int:
  """How many distinct target-domain images a translation source can show."""
  return len(source.domains[1]) if hasattr(source, 'domains') else len(source)


class GrayToColour:
  """Gray -> colour pairs from any RGB image source: x = the luma of y, y = the image."""

  def __init__(self, name: str, base: Source):
    if base.info.kind != 'image' or base.info.shape[-1] != 3:
      raise ValueError(f'{name}: gray -> colour pairs need a colour (RGB) image source; '
                       f'{base.info.name!r} has shape {base.info.shape}')
    self.base = base
    gray = DatasetInfo(name=name, shape=base.info.shape[:2] + (1,), kind='image')
    self.info = _info(name, gray, base.info, 'paired', len(base))

  def __len__(self) -> int:
    return len(self.base)

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    y = self.base[indices]['x']
    return {'x': gray(y), 'y': y}


def gray(rgb: np.ndarray) -> np.ndarray:
  """uint8 [..., 3] -> uint8 [..., 1] luma."""
  return np.round(rgb.astype(np.float64) @ LUMA).astype(np.uint8)[..., None]
