"""A directory of WAV files as an audio dataset (`data.name='wav_folder'`), read lazily.

The layout is the image folder's (gdm/data/folder.py): `data_dir/<split>` if that is a
directory, else `data_dir`; sub-folders are classes (label = position in sorted names), loose
files make an unlabelled set. Every file's header is read when the source is built, before
anything compiles: an unreadable or truncated file, one with more than one channel, or one at
another rate than `data.audio.sample_rate` (or, when that is 0, than the folder's first file)
stops the run with a one-line error naming it. With `data.skip_corrupt` unreadable files are
left out and logged instead; wrong rates and channel counts are never skipped (they are a
mismatch of data and config, not damage).

Clips are `data.audio.length` samples long (0: the longest file's length): longer files are
cut, shorter ones padded with silence at the end.
"""
import logging

import numpy as np

from gdm.data import wav
from gdm.data.folder import list_folder
from gdm.data.source import DatasetInfo

log = logging.getLogger('gdm')

EXTENSIONS = ('.wav',)


def _readable_headers(paths: list[str], skip_corrupt: bool) -> list[wav.WavHeader]:
  headers = []
  for path in paths:
    try:
      headers.append(wav.read_header(path))
    except ValueError as e:
      if not skip_corrupt:
        raise ValueError(f'{e}; remove it or set data.skip_corrupt=True') from None
      log.warning('data.skip_corrupt: leaving out %s', e)
  if len(headers) < len(paths):
    log.warning('data.skip_corrupt: left out %d unreadable files of %d',
                len(paths) - len(headers), len(paths))
  return headers


class WavFolderSource:

  def __init__(self, data_dir: str, split: str, sample_rate: int = 0, length: int = 0,
               name: str = 'wav_folder', skip_corrupt: bool = False):
    folder, paths, labels, num_classes = list_folder(data_dir, split, EXTENSIONS, 'WAV files')
    if not paths:
      raise ValueError(f'no WAV files in folder {folder!r} (looked for {", ".join(EXTENSIONS)})')
    headers = _readable_headers(paths, skip_corrupt)
    if not headers:
      raise ValueError(f'no readable WAV files in folder {folder!r}')
    if labels is not None:
      keep = {h.path for h in headers}
      labels = labels[np.array([p in keep for p in paths], bool)]
    why = 'data.audio.sample_rate'
    if not sample_rate:
      sample_rate = headers[0].sample_rate
      why = f'the rate of {headers[0].path}: the files of a folder must share one'
    for header in headers:
      wav.check_header(header, sample_rate, why)
    self.paths = [h.path for h in headers]
    self.labels = labels
    self.length = length or max(h.frames for h in headers)
    self.info = DatasetInfo(name=name, shape=(self.length,), kind='audio',
                            num_classes=num_classes, num_examples=len(self.paths),
                            sample_rate=sample_rate)

  def __len__(self) -> int:
    return len(self.paths)

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    indices = np.asarray(indices)
    rate = self.info.sample_rate
    out = {'x': np.stack([wav.fit_length(wav.read(self.paths[int(i)], rate)[0], self.length)
                          for i in indices])}
    if self.labels is not None:
      out['y'] = self.labels[indices]
    return out
