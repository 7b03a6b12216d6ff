import os
import tarfile

import numpy as np
import pytest
from PIL import Image

from gdm.data.folder import FolderSource

CIFAR_TAR = '/work/shared/data/cifar10-jpg.tar.gz'


def _save(path, array):
  os.makedirs(os.path.dirname(path), exist_ok=True)
  Image.fromarray(array).save(path)


def _rgb(seed, h=6, w=6):
  return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_class_subfolders_give_labels(tmp_path):
  images = {('cat', 'a.png'): _rgb(0), ('cat', 'b.PNG'): _rgb(1), ('dog', 'c.bmp'): _rgb(2)}
  for (cls, name), im in images.items():
    _save(str(tmp_path / 'train' / cls / name), im)
  (tmp_path / 'train' / 'dog' / 'notes.txt').write_text('not an image')
  src = FolderSource(str(tmp_path), 'train')
  assert len(src) == 3 and src.info.shape == (6, 6, 3) and src.info.num_classes == 2
  batch = src[np.array([2, 0])]
  np.testing.assert_array_equal(batch['y'], [1, 0])
  assert batch['y'].dtype == np.int32
  expected = np.stack([images['dog', 'c.bmp'], images['cat', 'a.png']])
  np.testing.assert_array_equal(batch['x'], expected)


def test_unlabelled_grayscale_without_split_folder(tmp_path):
  gray = np.arange(20, dtype=np.uint8).reshape(4, 5)
  _save(str(tmp_path / 'x.png'), gray)
  _save(str(tmp_path / 'y.png'), gray[::-1])
  src = FolderSource(str(tmp_path), 'train')  # no train/ folder: the folder itself
  batch = src[np.arange(2)]
  assert src.info.shape == (4, 5, 1) and src.info.num_classes == 0 and 'y' not in batch
  np.testing.assert_array_equal(batch['x'][0, ..., 0], gray)


@pytest.mark.parametrize('make', ['empty', 'missing', 'only_text'])
def test_no_images_error_names_folder(tmp_path, make):
  folder = tmp_path / 'data'
  if make != 'missing':
    folder.mkdir()
  if make == 'only_text':
    (folder / 'readme.txt').write_text('hi')
  with pytest.raises(ValueError, match=r"data'.*\.png") as err:
    FolderSource(str(folder), 'train')
  assert '\n' not in str(err.value)


def test_odd_size_error_and_resize(tmp_path):
  _save(str(tmp_path / 'a.png'), _rgb(0, 6, 6))
  _save(str(tmp_path / 'b.png'), _rgb(1, 7, 5))
  src = FolderSource(str(tmp_path), 'train')
  src[np.array([0])]
  with pytest.raises(ValueError, match=r'b\.png.*expected 6x6'):
    src[np.array([1])]
  resized = FolderSource(str(tmp_path), 'train', image_size=4)
  assert resized.info.shape == (4, 4, 3)
  assert resized[np.arange(2)]['x'].shape == (2, 4, 4, 3)


def test_mixed_layout_error(tmp_path):
  _save(str(tmp_path / 'a.png'), _rgb(0))
  _save(str(tmp_path / 'cls' / 'b.png'), _rgb(1))
  with pytest.raises(ValueError, match='mixes'):
    FolderSource(str(tmp_path), 'train')


@pytest.mark.skipif(not os.path.exists(CIFAR_TAR), reason='no CIFAR-10 JPEG copy')
def test_real_cifar_jpegs(tmp_path):
  # Stream the tarball and stop after 2 test images of each of 2 classes: listing it all is slow.
  taken = {}
  with tarfile.open(CIFAR_TAR, 'r|gz') as tar:
    for member in tar:
      parts = member.name.split('/')
      if len(parts) != 4 or parts[1] != 'test' or not member.isfile():
        continue
      if len(taken) == 2 and parts[2] not in taken or len(taken.get(parts[2], [])) == 2:
        continue
      taken.setdefault(parts[2], []).append(parts[3])
      (tmp_path / parts[2]).mkdir(exist_ok=True)
      (tmp_path / parts[2] / parts[3]).write_bytes(tar.extractfile(member).read())
      if sum(map(len, taken.values())) == 4:
        break
  src = FolderSource(str(tmp_path), 'test')
  batch = src[np.arange(4)]
  assert src.info.shape == (32, 32, 3) and src.info.num_classes == 2
  np.testing.assert_array_equal(batch['y'], [0, 0, 1, 1])
  assert batch['x'].dtype == np.uint8 and batch['x'].std() > 10
