"""The embedded tones (known pitches with known probabilities) and tfds' speech_commands,
spoken_digit and nsynth by name, on tfds.testing.mock_data."""
import importlib.util

import numpy as np
import pytest
import tensorflow_datasets as tfds

from experiments.configs.default import get_config
from gdm.data import Pipeline, load_source, tones
from gdm.data.config import DataConfig
from gdm.data.tfds_audio import KNOWN, TfdsAudioSource
from gdm.utils import schema


def _config(**audio):
  config = get_config().data
  config.name = 'tones'
  config.audio.update(audio)
  return config


def test_tones_are_fixed_per_split_and_have_the_documented_pitches():
  train, again = load_source(_config(), 'train'), load_source(_config(), 'train')
  test = load_source(_config(), 'test')
  np.testing.assert_array_equal(train.x, again.x)
  assert not np.array_equal(train.x[:len(test)], test.x)
  info = train.info
  assert info.kind == 'audio' and info.shape == (tones.DEFAULT_LENGTH,)
  assert info.sample_rate == tones.SAMPLE_RATE and info.num_classes == 4
  assert train.x.dtype == np.float32 and np.abs(train.x).max() <= 1
  share = np.bincount(train.y, minlength=4) / len(train.y)
  np.testing.assert_allclose(share, tones.PITCH_PROBS, atol=0.03)
  # The pitch reader recovers every clip's label, and rejects a pitch that is none of them.
  found = tones.pitch_class(tones.estimate_pitch(train.x[:500]))
  np.testing.assert_array_equal(found, train.y[:500])
  t = np.arange(512) / tones.SAMPLE_RATE
  assert tones.pitch_class(tones.estimate_pitch(np.sin(2 * np.pi * 290 * t)[None]))[0] == -1
  np.testing.assert_allclose(tones.estimate_pitch(np.sin(2 * np.pi * 320 * t)[None]), 320,
                             atol=2)


def test_tones_honour_length_size_and_a_required_rate():
  config = _config(length=100, sample_rate=tones.SAMPLE_RATE)
  config.num_examples = 40
  src = load_source(config, 'test')
  assert len(src) == 40 and src[np.arange(3)]['x'].shape == (3, 100)
  with pytest.raises(ValueError, match="'tones' is sampled at 4000 Hz, but "
                                       "data.audio.sample_rate=16000 is required"):
    load_source(_config(sample_rate=16000), 'train')
  with pytest.raises(ValueError, match="'validation'"):
    load_source(_config(), 'validation')


def test_the_audio_section_checks_its_values():
  config = _config(length=-1)
  with pytest.raises(ValueError, match=r"^data\.audio\.length=-1 must be >= 0"):
    schema.parse(DataConfig, config, 'data.')
  with pytest.raises(ValueError, match=r"unknown config key 'data\.audio\.sample_rat'; did "
                                       r"you mean data\.audio\.sample_rate\?"):
    schema.parse(DataConfig, {'audio': {'sample_rat': 1}}, 'data.')


@pytest.mark.usefixtures('fixed_tfds_mock')
@pytest.mark.parametrize('name', sorted(KNOWN))
def test_tfds_audio_by_name_under_mock(name):
  rate, length, label_key, _ = KNOWN[name]
  with tfds.testing.mock_data(num_examples=5):
    config = get_config().data
    config.name = name
    src = load_source(config, 'train')
    batch = src[np.array([4, 1])]
    raw = tfds.data_source(name, split='train')[4]
  classes = {'speech_commands': 12, 'spoken_digit': 10, 'nsynth': 128}[name]
  assert src.info.kind == 'audio' and src.info.sample_rate == rate and len(src) == 5
  assert src.info.shape == (length,) and src.info.num_classes == classes
  assert batch['x'].shape == (2, length) and batch['x'].dtype == np.float32
  assert batch['y'].dtype == np.int32 and batch['y'][0] == raw[label_key]
  audio = np.asarray(raw['audio']).reshape(-1)
  scale = 1.0 if audio.dtype.kind == 'f' else 32768.0      # 16-bit PCM, whatever its dtype
  n = min(len(audio), length)
  np.testing.assert_allclose(batch['x'][0, :n], np.clip(audio[:n] / scale, -1, 1), atol=1e-7)
  np.testing.assert_array_equal(batch['x'][0, n:], 0)


@pytest.mark.usefixtures('fixed_tfds_mock')
def test_tfds_audio_length_and_required_rate():
  with tfds.testing.mock_data(num_examples=3):
    src = TfdsAudioSource('speech_commands', 'train', length=10)
    assert src[np.arange(3)]['x'].shape == (3, 10)
    with pytest.raises(ValueError, match=r"^tfds dataset 'spoken_digit' is sampled at 8000 Hz, "
                                         r"but data\.audio\.sample_rate=16000 is required"):
      TfdsAudioSource('spoken_digit', 'train', sample_rate=16000)
    src = TfdsAudioSource('speech_commands', 'train', length=10)
    pipeline = Pipeline(src, 2, seed=0)
    np.testing.assert_array_equal(pipeline.batch(1)['x'], Pipeline(src, 2, seed=0).batch(1)['x'])


@pytest.mark.skipif(importlib.util.find_spec('tensorflow') is not None,
                    reason='only without TensorFlow')
def test_without_tensorflow_a_tfds_audio_dataset_is_a_one_line_error(tmp_path):
  with pytest.raises(ValueError) as e:
    TfdsAudioSource('speech_commands', 'train', data_dir=str(tmp_path))
  assert str(e.value).startswith("tfds audio dataset 'speech_commands' needs TensorFlow")
  assert '\n' not in str(e.value)
