"""Translation datasets from folders and tfds: pairs matched by file name, one-line errors
for what cannot be paired, tfds' cycle_gan domains and gray -> colour pairs."""
import os

import numpy as np
import pytest
import tensorflow_datasets as tfds
from PIL import Image

from gdm.data import pairs, split_pairs
from gdm.data.pipeline import Pipeline
from gdm.data.registry import load_source
from gdm.train.config import DataConfig
from tests.helpers import one_line_error


def write(path, value, size=(8, 8), mode='L'):
  os.makedirs(os.path.dirname(path), exist_ok=True)
  shape = size[::-1] + ((3,) if mode == 'RGB' else ())
  Image.fromarray(np.full(shape, value, np.uint8), mode).save(path)


def paired_dir(root, names, b_ext='.png', b_mode='RGB', split=None):
  """A/<name>.png holds gray value 10*k, B/<name><b_ext> value 10*k + 5 (pairs known)."""
  for k, n in enumerate(names):
    sub = [split] if split else []
    write(os.path.join(root, 'A', *sub, f'{n}.png'), 10 * k)
    write(os.path.join(root, 'B', *sub, f'{n}{b_ext}'), 10 * k + 5, mode=b_mode)
  return str(root)


def load(name, root, split='train', **data):
  return load_source(DataConfig(name=name, data_dir=str(root), **data), split)


def test_paired_folder_matches_by_name_through_shuffling(tmp_path):
  root = paired_dir(tmp_path, ['b', 'a', 'c10', 'c2', 'd', 'e'], b_ext='.jpg')
  src = load('paired_folder', root)
  assert src.info.pairing == 'paired' and len(src) == 6
  assert src.info.shape == (8, 8, 1) and src.info.target_shape == (8, 8, 3)
  for step in range(4):
    b = Pipeline(src, 3, seed=step).batch(step)
    # JPEG is lossy: the partner's value is 5 above, give or take a little.
    np.testing.assert_allclose(b['y'][:, 0, 0, 0], b['x'][:, 0, 0, 0] + 5.0, atol=2)


def test_paired_folder_split_subfolders(tmp_path):
  paired_dir(tmp_path, ['x', 'y'], split='train')
  paired_dir(tmp_path, ['p', 'q', 'r'], split='test')
  assert len(load('paired_folder', tmp_path, 'test')) == 3
  assert len(load('paired_folder', tmp_path, 'train')) == 2


def test_paired_folder_errors(tmp_path):
  root = paired_dir(tmp_path / 'names', ['a', 'b', 'c'])
  os.remove(os.path.join(root, 'B', 'b.png'))
  message = one_line_error(lambda: load('paired_folder', root))
  assert "1 file names have no partner, e.g. 'b' has none in" in message
  assert "pairs need the same file names in A and B" in message
  sizes = paired_dir(tmp_path / 'sizes', ['a'])
  write(os.path.join(sizes, 'B', 'a.png'), 0, size=(16, 16))
  assert ('paired_folder: source images are 8x8 but target images 16x16; both sides must '
          'have one size (set data.image_size to resize both)') in one_line_error(
              lambda: load('paired_folder', sizes))
  assert len(load('paired_folder', sizes, image_size=8)) == 1      # resized: fine
  empty = paired_dir(tmp_path / 'empty', ['a'])
  os.remove(os.path.join(empty, 'A', 'a.png'))
  assert 'paired_folder: domain A: no images in folder' in one_line_error(
      lambda: load('paired_folder', empty))
  assert 'paired_folder: domain A: no images in folder' in one_line_error(
      lambda: load('paired_folder', tmp_path / 'nowhere'))


def test_paired_folder_skip_corrupt_drops_the_partner_too(tmp_path):
  root = paired_dir(tmp_path, ['a', 'b', 'c'])
  with open(os.path.join(root, 'A', 'b.png'), 'wb') as f:
    f.write(b'not an image')
  assert 'is not a readable image' in one_line_error(lambda: load('paired_folder', root))
  src = load('paired_folder', root, skip_corrupt=True)
  b = src[np.arange(2)]
  np.testing.assert_array_equal(b['y'][:, 0, 0, 0], b['x'][:, 0, 0, 0] + 5)
  assert list(b['x'][:, 0, 0, 0]) == [0, 20]


def test_unpaired_folder(tmp_path):
  for k in range(5):
    write(str(tmp_path / 'A' / f'{k}.png'), k)
  for k in range(3):
    write(str(tmp_path / 'B' / f'other{k}.png'), 100 + k, mode='RGB')
  src = load('unpaired_folder', tmp_path)
  assert src.info.pairing == 'unpaired' and len(src) == 5
  assert [len(d) for d in src.domains] == [5, 3]
  os.makedirs(tmp_path / 'C' / 'B')
  write(str(tmp_path / 'C' / 'A' / 'a.png'), 0)
  assert 'unpaired_folder: domain B: no images in folder' in one_line_error(
      lambda: load('unpaired_folder', tmp_path / 'C'))


@pytest.mark.usefixtures('fixed_tfds_mock')
def test_cycle_gan_domains_from_tfds():
  with tfds.testing.mock_data(num_examples=6):
    src = load('cycle_gan/horse2zebra', '', image_size=16)
    test = load('cycle_gan/horse2zebra', '', 'test', image_size=16)
    a_raw = tfds.data_source('cycle_gan/horse2zebra', split='trainA')
    batch = src[np.array([3, 0])]
    expected = np.asarray(Image.fromarray(np.asarray(a_raw[3]['image'], np.uint8)).resize(
        (16, 16), Image.BILINEAR))
  assert src.info.pairing == 'unpaired' and len(test) == 6
  assert src.info.shape == src.info.target_shape == (16, 16, 3)
  assert [d.ds is not None for d in src.domains] == [True, True]
  assert batch['x'].shape == batch['y'].shape == (2, 16, 16, 3)
  np.testing.assert_array_equal(batch['x'][0], expected)   # mock images vary in size


@pytest.mark.usefixtures('fixed_tfds_mock')
def test_cifar10_gray_pairs():
  with tfds.testing.mock_data(num_examples=4):
    src = load('cifar10_gray', '', 'test')
    b = src[np.arange(4)]
  assert src.info.shape == (32, 32, 1) and src.info.target_shape == (32, 32, 3)
  np.testing.assert_array_equal(b['x'], pairs.gray(b['y']))
  np.testing.assert_array_equal(b['x'][0, 3, 4, 0], np.round(b['y'][0, 3, 4] @ pairs.LUMA))


def test_split_pairs_makes_the_paired_layout(tmp_path):
  for split, n in (('train', 3), ('val', 1)):
    for k in range(n):
      ab = np.concatenate([np.full((8, 8, 3), 10 * k, np.uint8),
                           np.full((8, 8, 3), 10 * k + 5, np.uint8)], 1)
      os.makedirs(tmp_path / 'src' / split, exist_ok=True)
      Image.fromarray(ab).save(tmp_path / 'src' / split / f'{k}.jpg', quality=100)
  assert split_pairs.split(str(tmp_path / 'src'), str(tmp_path / 'dst'), swap=True) == 4
  src = load('paired_folder', tmp_path / 'dst')
  assert len(src) == 3 and len(load('paired_folder', tmp_path / 'dst', 'val')) == 1
  b = src[np.arange(3)]
  np.testing.assert_allclose(b['x'][:, 4, 4, 0], b['y'][:, 4, 4, 0] + 5.0, atol=2)  # swapped
  assert 'exists; choose an empty destination' in one_line_error(
      lambda: split_pairs.split(str(tmp_path / 'src'), str(tmp_path / 'dst')))
