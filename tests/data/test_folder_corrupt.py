"""Corrupt, truncated and non-image files in a folder dataset: named in one line, never
passed over silently. Before, a corrupt image crashed mid-training with a PIL traceback,
after compile and after the workdir was written, and the JPEG error named no file."""
import logging
import os

import jax
import numpy as np
import pytest
from PIL import Image

from experiments.families import FAMILIES
from gdm.data.folder import FolderSource
from gdm.train import loop
from tests.helpers import read_checkpoint, tiny_image_config

ONE = jax.devices()[:1]


def make_folder(root, n=40, size=8):
  os.makedirs(root, exist_ok=True)
  rng = np.random.default_rng(0)
  for i in range(n):
    Image.fromarray(rng.integers(0, 256, (size, size), dtype=np.uint8)).save(
        os.path.join(root, f'{i:03d}.jpg'), quality=95)
  return root


def truncate(path):
  """Cuts the end of the scan data off: the header still reads, the pixels do not."""
  with open(path, 'r+b') as f:
    f.truncate(os.path.getsize(path) - 10)


def test_a_file_cut_inside_its_header_fails_at_build(tmp_path):
  root = make_folder(str(tmp_path))
  bad = os.path.join(root, '011.jpg')
  with open(bad, 'r+b') as f:
    f.truncate(os.path.getsize(bad) // 3)
  with pytest.raises(ValueError, match=f'^{bad} is not a readable image'):
    FolderSource(root, 'train')


def test_a_file_that_is_no_image_fails_at_build_naming_it(tmp_path):
  root = make_folder(str(tmp_path))
  bad = os.path.join(root, '007.jpg')
  with open(bad, 'w') as f:
    f.write('this is not a JPEG')
  with pytest.raises(ValueError) as e:
    FolderSource(root, 'train')
  assert str(e.value).startswith(f'{bad} is not a readable image') and '\n' not in str(e.value)
  assert 'data.skip_corrupt=True' in str(e.value)


def test_skip_corrupt_leaves_unreadable_headers_out_and_says_so(tmp_path, caplog):
  root = make_folder(str(tmp_path))
  with open(os.path.join(root, '007.jpg'), 'w') as f:
    f.write('not an image')
  caplog.set_level(logging.WARNING, logger='gdm')
  src = FolderSource(root, 'train', skip_corrupt=True)
  assert len(src) == 39 and not any(p.endswith('007.jpg') for p in src.paths)
  assert any('left out 1 unreadable files of 40' in r.message for r in caplog.records)


def test_a_truncated_image_is_found_when_read_and_named(tmp_path, caplog):
  root = make_folder(str(tmp_path))
  truncate(os.path.join(root, '003.jpg'))
  src = FolderSource(root, 'train')                        # its header still reads
  with pytest.raises(ValueError, match=r'003\.jpg cannot be decoded .*skip_corrupt'):
    src[np.arange(8)]
  skip = FolderSource(root, 'train', skip_corrupt=True)
  caplog.set_level(logging.WARNING, logger='gdm')
  batch = skip[np.array([3, 4])]
  np.testing.assert_array_equal(batch['x'][0], batch['x'][1])    # the next one stands in
  np.testing.assert_array_equal(skip[np.array([3])]['x'], batch['x'][:1])   # every time
  assert sum('003.jpg' in r.message for r in caplog.records) == 1          # logged once


def test_training_stops_at_a_truncated_image_with_a_checkpoint_of_the_last_step(tmp_path):
  root = make_folder(str(tmp_path / 'images'))
  config = tiny_image_config(num_steps=40)
  config.data.name, config.data.data_dir, config.data.image_size = 'folder', root, 0
  config.data.shuffle = False          # batches in file order: step 1 reads files 16..31
  config.train.update(batch_size=16, checkpoint_every=100, eval_every=0, sample_every=0)
  truncate(os.path.join(root, '020.jpg'))
  workdir = str(tmp_path / 'run')
  with pytest.raises(loop.DataError) as e:
    loop.train_and_evaluate(config, workdir, FAMILIES['autoencoder'], ONE)
  msg = str(e.value)
  assert '020.jpg cannot be decoded' in msg and 'saved a checkpoint at step 1' in msg, msg
  assert '\n' not in msg
  assert int(read_checkpoint(workdir, 1)['step']) == 1
