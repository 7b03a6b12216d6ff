"""TensorFlow Datasets by random access (`tfds.data_source`), without TensorFlow at run time.

Needs the dataset prepared in ArrayRecord format under `data_dir` (or tfds' default); each
process reads only the records at its indices. CelebA gets the usual CelebA-64 treatment:
a central 140x140 crop of the aligned 218x178 faces, resized to `image_size` (default 64).
dSprites (Matthey et al., 2017; train split only, 737,280 images) stores its binary pixels
as 0/1: they become 0/255 like every other 8-bit image, so data.binarize or
data.scale='zero_one' give exactly {0, 1}. Its factors of variation are not class labels.
"""
import numpy as np

from gdm.data.folder import resize_images
from gdm.data.source import DatasetInfo

# name -> (image shape, classes); used when tfds metadata cannot say (and as documentation).
KNOWN = {
    'mnist': ((28, 28, 1), 10),
    'fashion_mnist': ((28, 28, 1), 10),
    'cifar10': ((32, 32, 3), 10),
    'svhn_cropped': ((32, 32, 3), 10),
    'celeb_a': ((218, 178, 3), 0),
    'dsprites': ((64, 64, 1), 0),
    'imagenet_resized/64x64': ((64, 64, 3), 1000),   # splits train, validation
}
# The image-to-image domains of tfds' cycle_gan (Zhu et al., 2017): splits trainA, trainB,
# testA, testB of 256x256 colour images (gdm.data.translation_sources pairs them up).
CYCLE_GAN = ('apple2orange', 'summer2winter_yosemite', 'horse2zebra', 'monet2photo',
             'cezanne2photo', 'ukiyoe2photo', 'vangogh2photo', 'maps', 'facades',
             'iphone2dslr_flower')
# Shapes of datasets whose tfds metadata leaves them open, besides KNOWN's.
SHAPES = {f'cycle_gan/{c}': (256, 256, 3) for c in CYCLE_GAN}
UNLABELLED = ('celeb_a', 'dsprites')   # no `label` feature (attributes / factors instead)
BINARY_PIXELS = ('dsprites',)          # pixels stored as 0/1
CELEBA_CROP = 140
CELEBA_SIZE = 64


def _center_crop(x: np.ndarray, size: int) -> np.ndarray:
  top, left = (x.shape[1] - size) // 2, (x.shape[2] - size) // 2
  return x[:, top:top + size, left:left + size]


def read_records(ds, indices: np.ndarray) -> list:
  """The records of a tfds data source at `indices`, in one batched read where it has one
  (ArrayRecord then fetches them in parallel)."""
  keys = [int(i) for i in np.asarray(indices)]
  return ds.__getitems__(keys) if hasattr(ds, '__getitems__') else [ds[k] for k in keys]


class TfdsSource:

  def __init__(self, name: str, split: str, data_dir: str = '', image_size: int = 0):
    import tensorflow_datasets as tfds  # heavy import; only tfds datasets pay for it
    self.name = name
    self.ds = tfds.data_source(name, split=split, data_dir=data_dir or None)
    self.labelled = name not in UNLABELLED
    shape, num_classes = self._metadata()
    self.crop = CELEBA_CROP if name == 'celeb_a' else 0
    self.image_size = image_size or (CELEBA_SIZE if self.crop else 0)
    if self.crop:
      shape = (self.crop, self.crop, shape[2])
    if self.image_size:
      shape = (self.image_size, self.image_size, shape[2])
    self.info = DatasetInfo(name=name, shape=tuple(shape), kind='image',
                            num_classes=num_classes if self.labelled else 0,
                            num_examples=len(self.ds))

  def _metadata(self) -> tuple[tuple[int, ...], int]:
    shape, num_classes = KNOWN.get(self.name, (SHAPES.get(self.name), 0))
    features = getattr(getattr(self.ds, 'dataset_info', None), 'features', None)
    if features is not None and 'image' in features and None not in features['image'].shape:
      shape = tuple(features['image'].shape)
    if features is not None and 'label' in features:
      num_classes = features['label'].num_classes
    if shape is None:
      raise ValueError(f'tfds dataset {self.name!r}: image shape unknown and not fixed')
    return shape, num_classes

  def __len__(self) -> int:
    return len(self.ds)

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    records = read_records(self.ds, indices)
    # One image at a time: the images of some datasets (cycle_gan) differ in size.
    x = np.stack([self._image(np.asarray(r['image'], np.uint8)[None])[0] for r in records])
    out = {'x': x}
    if self.labelled:
      out['y'] = np.array([r['label'] for r in records], np.int32)
    return out

  def _image(self, x: np.ndarray) -> np.ndarray:
    if self.name in BINARY_PIXELS:
      x = np.minimum(x, 1) * np.uint8(255)
    if self.crop:
      x = _center_crop(x, self.crop)
    return resize_images(x, self.image_size)
