"""What every dataset provides: random access to examples, and a description of them.

Sources are read by index so that a process reads only its own shard and the batch of any
step can be rebuilt after a restart. Stochastic preprocessing is not done here: it runs on
device (`gdm.data.preprocess`), keyed by step, so it does not depend on how the batch is split.
"""
import dataclasses
from typing import Protocol

import numpy as np


PAIRINGS = ('paired', 'unpaired')


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
  """Shape and meaning of the `x` (and `y`) a source yields.

  Translation data (image-to-image) has an image-valued `y`: `target_shape` is its shape and
  `pairing` says whether `y` is the target of `x` ('paired') or an independent draw of a
  second domain ('unpaired'; gdm.data.pairs)."""
  name: str
  shape: tuple[int, ...]       # one example's `x`: (H, W, C) for images, (D,) for vectors
  kind: str                    # 'image' (uint8 values 0..255), 'vector' (float32) or
                               # 'audio' (mono clips (T,), float32 in [-1, 1])
  num_classes: int = 0         # 0 = unlabelled
  num_examples: int = 0
  sample_rate: int = 0         # audio: samples per second
  target_shape: tuple[int, ...] = ()   # translation data: one example's image `y`; () = none
  pairing: str = ''                    # translation data: 'paired' | 'unpaired'

  def __post_init__(self):
    # run.json stores shapes as lists; a description read back must equal the original.
    object.__setattr__(self, 'shape', tuple(self.shape))
    object.__setattr__(self, 'target_shape', tuple(self.target_shape))
    if self.target_shape and self.pairing not in PAIRINGS:
      raise ValueError(f'{self.name}: translation data needs pairing in {PAIRINGS}, got '
                       f'{self.pairing!r}')

  @property
  def is_image(self) -> bool:
    return self.kind == 'image'

  @property
  def is_audio(self) -> bool:
    return self.kind == 'audio'

  @property
  def is_translation(self) -> bool:
    return bool(self.target_shape)


class Source(Protocol):
  info: DatasetInfo

  def __len__(self) -> int:
    ...

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    """Examples at `indices` as {'x': [n, *shape], 'y': [n] int32 if labelled}."""
    ...


@dataclasses.dataclass(frozen=True)
class ArraySource:
  """An in-memory dataset: images as uint8 [N, H, W, C], vectors as float32 [N, D], audio
  clips as float32 [N, T]."""
  info: DatasetInfo
  x: np.ndarray
  y: np.ndarray | None = None

  def __post_init__(self):
    if self.y is not None and len(self.y) != len(self.x):
      raise ValueError(f'{self.info.name}: {len(self.x)} examples but {len(self.y)} labels')

  def __len__(self) -> int:
    return len(self.x)

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    out = {'x': self.x[indices]}
    if self.y is not None:
      out['y'] = self.y[indices].astype(np.int32)
    return out
