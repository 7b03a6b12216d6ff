"""`--mode=translate`: every image of a split, or of a folder of the user's images, through
the trained model (EMA params) into WORKDIR/samples/translate_<what>_<step>.npz and a PNG.

The .npz holds `inputs` and `outputs` (and `targets` where the data has them) in data space,
in the split's or folder's order, and for a folder the file names (`files`, relative to it).
The PNG shows the first PNG_ROWS rows: input | output (| target). Files already there are
never overwritten: a second run on the same step and split writes ..._1.npz.
"""
import os

import numpy as np

from gdm import data as data_lib
from gdm.data.folder import FolderSource
from gdm.models.translation import family
from gdm.utils import images
from gdm.utils.captions import GridLabels

PNG_ROWS = 32


class InputImages:
  """A folder of images to translate, read as the model's inputs: resized to its size and
  converted to its channels; no targets, no labels."""

  def __init__(self, folder: str, shape: tuple[int, ...]):
    if not folder or not os.path.isdir(folder):
      raise ValueError(f'--input_dir={folder!r} is not a folder')
    self.folder = FolderSource(folder, '', shape[0], name='input_dir', channels=shape[-1])
    self.info = self.folder.info
    self.files = [os.path.relpath(p, self.folder.folder) for p in self.folder.paths]

  def __len__(self) -> int:
    return len(self.folder)

  def __getitem__(self, indices):
    return {'x': self.folder[indices]['x']}


def _free_path(directory: str, stem: str) -> str:
  path, k = os.path.join(directory, f'{stem}.npz'), 0
  while os.path.exists(path):
    k += 1
    path = os.path.join(directory, f'{stem}_{k}.npz')
  return path


def write_translations(evaluator, state, source, what: str, files=None) -> str:
  exp = evaluator.exp
  parts = list(evaluator.translations(state, source))
  out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
  if files is not None:
    out['files'] = np.asarray(files)
  path = _free_path(os.path.join(exp.workdir, 'samples'), f'translate_{what}_{int(state.step)}')
  if exp.is_writer:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path, **out)
    names = [k for k in ('inputs', 'outputs', 'targets') if k in out]
    picture = np.asarray(family.grid(*(out[k] for k in names), rows=PNG_ROWS))
    labels = GridLabels(cols=tuple(k[:-1] for k in names))      # input, output, target
    images.save_png(path[:-len('.npz')] + '.png', evaluator.to_image(picture, labels))
  return path


def translate(exp, state, evaluator, input_dir: str = '', split: str = '') -> str:
  """The launcher's `--mode=translate`: `input_dir` (a folder) or `split` (default
  data.eval_split) translated; returns the .npz path."""
  if input_dir:
    source = InputImages(input_dir, exp.info.shape)
    return write_translations(evaluator, state, source, 'input_dir', source.files)
  split = split or exp.config.data.eval_split
  return write_translations(evaluator, state, data_lib.load_source(exp.config.data, split),
                            split.replace('/', '_'))
