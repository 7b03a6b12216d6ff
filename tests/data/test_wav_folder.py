"""A folder of WAV files as a dataset: classes from sub-folders, fixed-length clips, the same
batches however the pipeline is sharded, and every bad file named before anything compiles."""
import logging
import os

import numpy as np
import pytest
from scipy.io import wavfile

from experiments.configs.default import get_config
from gdm.data import Pipeline, load_source, wav
from gdm.data.wav_folder import WavFolderSource


def make_folder(root, classes=('a', 'b'), per_class=3, rate=8000):
  rng = np.random.default_rng(0)
  clips = {}
  for c in classes:
    for i in range(per_class):
      path = os.path.join(root, c, f'{i}.wav')
      x = rng.integers(-32768, 32768, 50 + 10 * i) / 32768.0
      wav.write(path, x, rate)
      clips[path] = x.astype(np.float32)
  return clips


def test_labels_lengths_and_samples(tmp_path):
  clips = make_folder(str(tmp_path))
  src = WavFolderSource(str(tmp_path), 'train')
  assert len(src) == 6 and src.info.kind == 'audio' and src.info.is_audio
  assert src.info.shape == (70,) and src.info.sample_rate == 8000 and src.info.num_classes == 2
  batch = src[np.array([5, 0])]
  np.testing.assert_array_equal(batch['y'], [1, 0])
  want = clips[os.path.join(str(tmp_path), 'b', '2.wav')]
  np.testing.assert_array_equal(batch['x'][0], want)                        # 70 samples
  first = clips[os.path.join(str(tmp_path), 'a', '0.wav')]
  np.testing.assert_array_equal(batch['x'][1], np.pad(first, (0, 20)))      # padded
  short = WavFolderSource(str(tmp_path), 'train', length=30)
  np.testing.assert_array_equal(short[np.array([5])]['x'][0], want[:30])   # cut


def test_loose_files_make_an_unlabelled_set_and_split_folders_are_used(tmp_path):
  make_folder(str(tmp_path / 'train'), classes=('',), per_class=2)
  src = WavFolderSource(str(tmp_path), 'train')
  assert src.info.num_classes == 0 and 'y' not in src[np.array([0])] and len(src) == 2


def test_registry_and_pipeline_are_deterministic_and_sharded(tmp_path):
  make_folder(str(tmp_path), per_class=8)
  config = get_config().data
  config.update(name='wav_folder', data_dir=str(tmp_path))
  config.audio.length = 64
  src = load_source(config, 'train')
  whole = Pipeline(src, 8, seed=3).batch(5)
  parts = [Pipeline(src, 8, seed=3, process_index=p, process_count=2).batch(5) for p in (0, 1)]
  np.testing.assert_array_equal(np.concatenate([p['x'] for p in parts]), whole['x'])
  np.testing.assert_array_equal(Pipeline(src, 8, seed=3).batch(5)['x'], whole['x'])
  assert whole['x'].shape == (8, 64) and whole['x'].dtype == np.float32


def _error(tmp_path, **kw):
  with pytest.raises(ValueError) as e:
    WavFolderSource(str(tmp_path), 'train', **kw)
  message = str(e.value)
  assert '\n' not in message, message
  return message


def test_an_unreadable_file_is_named_or_skipped(tmp_path, caplog):
  make_folder(str(tmp_path))
  bad = os.path.join(str(tmp_path), 'a', '1.wav')
  with open(bad, 'r+b') as f:
    f.truncate(60)
  message = _error(tmp_path)
  assert message.startswith(bad) and 'data.skip_corrupt=True' in message
  caplog.set_level(logging.WARNING, logger='gdm')
  src = WavFolderSource(str(tmp_path), 'train', skip_corrupt=True)
  assert len(src) == 5 and bad not in src.paths
  np.testing.assert_array_equal(src.labels, [0, 0, 1, 1, 1])
  assert 'left out 1 unreadable files of 6' in caplog.text


def test_multi_channel_files_are_refused_naming_them(tmp_path):
  make_folder(str(tmp_path))
  stereo = os.path.join(str(tmp_path), 'b', 'stereo.wav')
  wavfile.write(stereo, 8000, np.zeros((40, 2), np.int16))
  message = _error(tmp_path, skip_corrupt=True)       # a mismatch, not damage: never skipped
  assert message.startswith(stereo) and 'mono audio is expected' in message


def test_rates_must_match_the_required_one_or_the_first_file(tmp_path):
  make_folder(str(tmp_path))
  message = _error(tmp_path, sample_rate=16000)
  assert message.startswith(os.path.join(str(tmp_path), 'a', '0.wav'))
  assert 'sampled at 8000 Hz, but 16000 Hz is required (data.audio.sample_rate' in message
  odd = os.path.join(str(tmp_path), 'b', 'fast.wav')
  wav.write(odd, np.zeros(10), 16000)
  message = _error(tmp_path)
  assert message.startswith(odd) and 'sampled at 16000 Hz, but 8000 Hz is required' in message
  assert 'the files of a folder must share one' in message


def test_an_empty_or_missing_folder_is_an_error(tmp_path):
  assert "no WAV files in folder" in _error(tmp_path)
  os.makedirs(tmp_path / 'x')
  with open(tmp_path / 'x' / 'a.wav', 'w') as f:
    f.write('junk')
  assert 'no readable WAV files' in _error(tmp_path, skip_corrupt=True)
