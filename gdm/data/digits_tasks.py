"""Translation tasks built from scikit-learn's digits (gdm.data.digits): no download.

  digits_edges     paired: the outline of each digit (the pixels just outside its stroke)
                   -> the digit, in the manner of pix2pix's edges -> photo tasks.
  digits_colorize  paired gray -> colour: each digit tinted with its class's colour
                   (gdm.data.pairs.GrayToColour of the tinted digits), so colouring it
                   right means recognising it.
  digits_invert    unpaired: domain A digits, domain B inverted digits (255 - x). In the
                   train split the two domains hold disjoint halves of the images (750
                   each), so no A image has its inverse in B; in the test split B is A
                   inverted, in the same order, so the true mapping of every held-out A
                   image is known (y[i] = 255 - x[i]) and can be checked.

Splits and sizes as `digits` (1500 / 297, `image_size` resizes before the task is built).
"""
import numpy as np
from scipy import ndimage

from gdm.data import digits
from gdm.data.pairs import GrayToColour, PairedSource, UnpairedSource
from gdm.data.source import ArraySource, DatasetInfo

TASKS = ('digits_edges', 'digits_colorize', 'digits_invert')
STROKE_THRESHOLD = 96      # of 255: a pixel at or above it is part of the stroke
# One colour per class (matplotlib's tab10), uint8 RGB.
PALETTE = np.array([[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40],
                    [148, 103, 189], [140, 86, 75], [227, 119, 194], [127, 127, 127],
                    [188, 189, 34], [23, 190, 207]], np.float64)


def outline(x: np.ndarray) -> np.ndarray:
  """uint8 [n, H, W, 1] digits -> their outlines: 255 where a pixel touches (8-connected) the
  stroke without being part of it, else 0."""
  stroke = x[..., 0] >= STROKE_THRESHOLD
  grown = ndimage.binary_dilation(stroke, structure=np.ones((1, 3, 3), bool))
  return ((grown & ~stroke) * np.uint8(255))[..., None]


def tint(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
  """uint8 [n, H, W, 1] digits and labels [n] -> uint8 [n, H, W, 3]: intensity x colour."""
  return np.round(x.astype(np.float64) / 255 * PALETTE[labels][:, None, None, :]).astype(
      np.uint8)


def _images(name: str, x: np.ndarray) -> ArraySource:
  return ArraySource(DatasetInfo(name=name, shape=x.shape[1:], kind='image',
                                 num_examples=len(x)), x)


def make_source(task: str, split: str, image_size: int = 0):
  """The task's source for split 'train' or 'test'."""
  base = digits.make_source(split, image_size)
  x = base.x
  if task == 'digits_edges':
    return PairedSource(task, _images(f'{task} (outlines)', outline(x)),
                        _images(f'{task} (digits)', x))
  if task == 'digits_colorize':
    return GrayToColour(task, _images(f'{task} (tinted)', tint(x, base.y)))
  if task == 'digits_invert':
    a, b = (x[0::2], x[1::2]) if split == 'train' else (x, x)
    return UnpairedSource(task, _images(f'{task} (domain A)', a),
                          _images(f'{task} (domain B)', 255 - b))
  raise ValueError(f'unknown digits task {task!r}; choose one of: {", ".join(TASKS)}')
