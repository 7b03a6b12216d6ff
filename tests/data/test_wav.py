"""WAV files: the 16-bit round trip is exact on its grid, every PCM width and float reads as
[-1, 1], and bad audio (unreadable, truncated, multi-channel, the wrong rate) is a one-line
error naming the file."""
import os

import numpy as np
import pytest
from scipy.io import wavfile

from gdm.data import wav


def test_16_bit_round_trip_is_exact(tmp_path):
  path = str(tmp_path / 'sub' / 'a.wav')
  x = np.random.default_rng(0).integers(-32768, 32768, 1000) / 32768.0
  x[:3] = [-1.0, 0.0, 32767 / 32768]
  wav.write(path, x, 16000)
  back, rate = wav.read(path)
  assert rate == 16000 and back.dtype == np.float32 and back.shape == (1000,)
  np.testing.assert_array_equal(back, x.astype(np.float32))
  raw_rate, raw = wavfile.read(path)
  assert raw_rate == 16000 and raw.dtype == np.int16
  np.testing.assert_array_equal(raw, np.round(x * 32768).astype(np.int16))
  header = wav.read_header(path)
  assert (header.sample_rate, header.channels, header.frames) == (16000, 1, 1000)


def test_write_clips_values_outside_the_range(tmp_path):
  path = str(tmp_path / 'loud.wav')
  wav.write(path, np.array([2.0, -2.0, 1.0, np.nan]), 8000)
  np.testing.assert_array_equal(wavfile.read(path)[1], [32767, -32768, 32767, 0])


@pytest.mark.parametrize('dtype, values, expected', [
    (np.uint8, [0, 128, 255], [-1.0, 0.0, 127 / 128]),
    (np.int16, [-32768, 0, 16384], [-1.0, 0.0, 0.5]),
    (np.int32, [-2 ** 31, 0, 2 ** 30], [-1.0, 0.0, 0.5]),
    (np.float32, [-1.5, 0.25, 1.0], [-1.0, 0.25, 1.0]),
])
def test_every_sample_format_reads_as_floats_in_range(tmp_path, dtype, values, expected):
  path = str(tmp_path / 'x.wav')
  wavfile.write(path, 8000, np.array(values, dtype))
  np.testing.assert_allclose(wav.read(path)[0], expected, atol=1e-7)


def test_int64_storage_of_16_bit_audio_is_scaled_by_its_bits():
  np.testing.assert_allclose(wav.to_float(np.array([-32768, 16384], np.int64), bits=16),
                             [-1.0, 0.5])


def test_fit_length_cuts_and_pads_with_silence():
  x = np.arange(1, 6, dtype=np.float32)
  np.testing.assert_array_equal(wav.fit_length(x, 3), [1, 2, 3])
  np.testing.assert_array_equal(wav.fit_length(x, 7), [1, 2, 3, 4, 5, 0, 0])


def _one_line(error, path):
  message = str(error.value)
  assert message.startswith(path) and '\n' not in message, message
  return message


def test_a_file_that_is_no_wav_is_named(tmp_path):
  path = str(tmp_path / 'not.wav')
  with open(path, 'w') as f:
    f.write('this is not audio')
  for read in (wav.read_header, wav.read):
    with pytest.raises(ValueError) as e:
      read(path)
    assert 'is not a readable WAV file' in _one_line(e, path)


@pytest.mark.parametrize('keep', [0, 30, 200])
def test_empty_cut_and_truncated_files_are_named(tmp_path, keep):
  path = str(tmp_path / 'cut.wav')
  wav.write(path, np.zeros(1000), 8000)
  with open(path, 'r+b') as f:
    f.truncate(keep)
  for read in (wav.read_header, wav.read):
    with pytest.raises(ValueError) as e:
      read(path)
    message = _one_line(e, path)
    assert 'not a readable WAV file' in message or 'is truncated' in message


def test_multi_channel_audio_is_refused_naming_the_file(tmp_path):
  path = str(tmp_path / 'stereo.wav')
  wavfile.write(path, 8000, np.zeros((100, 2), np.int16))
  with pytest.raises(ValueError) as e:
    wav.read(path)
  assert 'has 2 channels; mono audio is expected' in _one_line(e, path)
  header = wav.read_header(path)
  assert header.channels == 2
  with pytest.raises(ValueError, match='has 2 channels'):
    wav.check_header(header)


def test_a_wrong_rate_is_refused_only_when_one_is_required(tmp_path):
  path = str(tmp_path / 'slow.wav')
  wav.write(path, np.zeros(10), 8000)
  assert wav.read(path)[1] == 8000 and wav.read(path, 8000)[1] == 8000
  with pytest.raises(ValueError) as e:
    wav.read(path, sample_rate=16000)
  message = _one_line(e, path)
  assert 'sampled at 8000 Hz, but 16000 Hz is required (data.audio.sample_rate' in message
  assert os.path.exists(path)
