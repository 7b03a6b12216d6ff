"""scikit-learn's 8x8 handwritten digits: real images that ship with the package, no download.

1,797 images with values 0..16, stored as uint8 0..255 like every other image source. The
train/test split is a fixed seeded permutation (1,500 / 297) so it is the same everywhere.
"""
import numpy as np

from gdm.data.folder import resize_images
from gdm.data.source import ArraySource, DatasetInfo

NUM_TRAIN = 1500
_SPLIT_SEED = 0


def make_source(split: str, image_size: int = 0) -> ArraySource:
  """Split 'train' or 'test', optionally resized (bilinear) to `image_size` squared."""
  from sklearn.datasets import load_digits  # sklearn is slow to import; only needed here
  digits = load_digits()
  x = np.round(digits.images * (255 / 16)).astype(np.uint8)[..., None]
  order = np.random.default_rng(_SPLIT_SEED).permutation(len(x))
  keep = order[:NUM_TRAIN] if split == 'train' else order[NUM_TRAIN:]
  x = resize_images(x[keep], image_size)
  info = DatasetInfo(name='digits', shape=x.shape[1:], kind='image', num_classes=10,
                     num_examples=len(x))
  return ArraySource(info, x, digits.target[keep].astype(np.int32))
