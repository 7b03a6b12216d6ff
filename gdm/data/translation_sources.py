"""Translation datasets read from tfds or from folders (the embedded ones: digits_tasks).

  cycle_gan/NAME   tfds' unpaired domains (horse2zebra, monet2photo, maps, ...): split S is
                   domain A = tfds split SA, domain B = SB (trainA/trainB, testA/testB).
  cifar10_gray     paired gray -> colour of tfds cifar10 (gdm.data.pairs.GrayToColour).
  paired_folder    data_dir/A and data_dir/B (each with <split>/ sub-folders if present, as
                   the `folder` dataset) holding the two sides of every pair under the same
                   file name (the extension may differ): facades, maps, edges2shoes, ...
                   (gdm.data.split_pairs splits pix2pix's side-by-side AB images into that).
  unpaired_folder  data_dir/A and data_dir/B as above, any images, any number on each side.

A name with no partner on the other side, two sides of different pixel sizes, or a domain
with no images is a one-line error when the source is built, before anything compiles. With
data.skip_corrupt a pair whose file's header cannot be read is left out with its partner; a
file whose pixels cannot be decoded stops the run (a stand-in image would break the pair).
"""
import logging
import os

import numpy as np

from gdm.data.folder import FolderSource
from gdm.data.pairs import GrayToColour, PairedSource, UnpairedSource
from gdm.data.tfds_source import TfdsSource

log = logging.getLogger('gdm')

SIDES = ('A', 'B')


def cycle_gan(name: str, split: str, data_dir: str = '', image_size: int = 0):
  a, b = (TfdsSource(name, split + side, data_dir, image_size) for side in SIDES)
  return UnpairedSource(name, a, b)


def gray_to_colour(name: str, base_name: str, split: str, data_dir: str = '',
                   image_size: int = 0):
  return GrayToColour(name, TfdsSource(base_name, split, data_dir, image_size))


def _side(name: str, data_dir: str, side: str, split: str, image_size: int,
          skip_corrupt: bool) -> FolderSource:
  try:
    return FolderSource(os.path.join(data_dir, side) if data_dir else '', split, image_size,
                        name=f'{name} ({side})', skip_corrupt=skip_corrupt)
  except ValueError as e:
    raise ValueError(f'{name}: domain {side}: {e}') from None


def _names(source: FolderSource) -> list[str]:
  return [os.path.splitext(os.path.relpath(p, source.folder))[0] for p in source.paths]


def _matched(name: str, a: FolderSource, b: FolderSource, skip_corrupt: bool):
  """The order of b's files that lines them up with a's names, leaving out (only with
  skip_corrupt) names whose partner was left out as unreadable."""
  a_names, b_names = _names(a), _names(b)
  b_index = {n: i for i, n in enumerate(b_names)}
  if len(b_index) != len(b_names) or len(set(a_names)) != len(a_names):
    raise ValueError(f'{name}: two files in {a.folder!r} or {b.folder!r} share a name up to '
                     f'the extension; pairs are matched by name')
  if skip_corrupt:
    keep = [i for i, n in enumerate(a_names) if n in b_index]
    if len(keep) < len(a_names) or len(keep) < len(b_names):
      log.warning('%s: leaving out %d unmatched files of pairs with an unreadable partner',
                  name, len(a_names) + len(b_names) - 2 * len(keep))
    a.paths = [a.paths[i] for i in keep]
    a_names = [a_names[i] for i in keep]
  else:
    missing = [n for n in a_names if n not in b_index]
    extra = sorted(set(b_names) - set(a_names))
    if missing or extra:
      where, what = ((b.folder, missing) if missing else (a.folder, extra))
      raise ValueError(f'{name}: {len(missing) + len(extra)} file names have no partner, '
                       f'e.g. {what[0]!r} has none in {where!r}; pairs need the same file '
                       f'names in A and B')
  return np.array([b_index[n] for n in a_names], np.int64)


def paired_folder(data_dir: str, split: str, image_size: int = 0, skip_corrupt: bool = False,
                  name: str = 'paired_folder'):
  a, b = (_side(name, data_dir, s, split, image_size, skip_corrupt) for s in SIDES)
  order = _matched(name, a, b, skip_corrupt)
  for side in (a, b):
    side.skip_corrupt = False    # from here a broken file stops the run (see the docstring)
  return PairedSource(name, a, b, order)


def unpaired_folder(data_dir: str, split: str, image_size: int = 0,
                    skip_corrupt: bool = False, name: str = 'unpaired_folder'):
  a, b = (_side(name, data_dir, s, split, image_size, skip_corrupt) for s in SIDES)
  return UnpairedSource(name, a, b)
