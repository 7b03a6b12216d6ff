import gzip
import os

import numpy as np
import pytest

from gdm.data import mnist_idx

REAL = '/work/shared/data/mnist'


def _write_idx(path, array, magic):
  header = magic.to_bytes(4, 'big') + b''.join(d.to_bytes(4, 'big') for d in array.shape)
  with (gzip.open if path.endswith('.gz') else open)(path, 'wb') as f:
    f.write(header + array.astype(np.uint8).tobytes())


@pytest.mark.parametrize('suffix', ['', '.gz'])
def test_reads_written_files(tmp_path, suffix):
  x = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
  y = np.arange(7) % 10
  _write_idx(str(tmp_path / f't10k-images-idx3-ubyte{suffix}'), x, 2051)
  _write_idx(str(tmp_path / f't10k-labels-idx1-ubyte{suffix}'), y, 2049)
  src = mnist_idx.make_source(str(tmp_path), 'test')
  batch = src[np.array([3, 1])]
  np.testing.assert_array_equal(batch['x'][..., 0], x[[3, 1]])
  np.testing.assert_array_equal(batch['y'], y[[3, 1]])
  assert src.info.shape == (5, 4, 1) and src.info.num_classes == 10
  assert mnist_idx.make_source(str(tmp_path), 'test', image_size=8).info.shape == (8, 8, 1)


def test_missing_files_error(tmp_path):
  with pytest.raises(ValueError, match=r"train-images-idx3-ubyte.*train-labels-idx1-ubyte") as e:
    mnist_idx.make_source(str(tmp_path), 'train')
  assert str(tmp_path) in str(e.value) and '\n' not in str(e.value)


def test_bad_magic_error(tmp_path):
  _write_idx(str(tmp_path / 't10k-images-idx3-ubyte'), np.zeros((2, 3, 3)), 2049)
  _write_idx(str(tmp_path / 't10k-labels-idx1-ubyte'), np.zeros(2), 2049)
  with pytest.raises(ValueError, match='magic number 2049, expected 2051'):
    mnist_idx.make_source(str(tmp_path), 'test')


@pytest.mark.skipif(not os.path.exists(os.path.join(REAL, 't10k-images-idx3-ubyte.gz')),
                    reason='no real MNIST files')
def test_real_mnist_test_split():
  src = mnist_idx.make_source(REAL, 'test')
  assert len(src) == 10_000 and src.info.shape == (28, 28, 1)
  assert np.bincount(src.y).tolist()[:2] == [980, 1135]  # the well-known class counts
  assert src.x.dtype == np.uint8 and src.x.max() == 255


@pytest.mark.parametrize('damage', ['truncated gzip', 'not gzip'])
def test_a_broken_gz_file_is_a_one_line_error(tmp_path, damage):
  x = np.random.default_rng(0).integers(0, 256, (70, 5, 4), dtype=np.uint8)
  path = str(tmp_path / 't10k-images-idx3-ubyte.gz')
  _write_idx(path, x, 2051)
  _write_idx(str(tmp_path / 't10k-labels-idx1-ubyte.gz'), np.arange(70) % 10, 2049)
  if damage == 'truncated gzip':
    with open(path, 'r+b') as f:
      f.truncate(os.path.getsize(path) // 2)
  else:
    with open(path, 'wb') as f:
      f.write(b'plain bytes, not gzip')
  with pytest.raises(ValueError, match=f'^{path} cannot be read as an idx file') as e:
    mnist_idx.make_source(str(tmp_path), 'test')
  assert '\n' not in str(e.value)
