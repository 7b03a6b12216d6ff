"""End to end through `python -m experiments.audio`: train on the embedded tones, then
--mode=sample and --mode=continue write .npz, .wav and waveform PNGs; a folder of bad WAV
files stops the launcher with one line naming the file, before anything is written."""
import os

import numpy as np
from PIL import Image
from scipy.io import wavfile

from gdm.data import tones, wav
from tests.experiments.test_launcher_errors import last_error_line
from tests.helpers import run_launcher

SMOKE = '--config=experiments/configs/audio/wavenet_tones.py:smoke'
LENGTH = 64          # the smoke variant's clips


def _wavs(folder, prefix):
  return sorted(f for f in os.listdir(folder) if f.startswith(prefix) and f.endswith('.wav'))


def test_train_sample_and_continue_write_npz_wav_and_png(tmp_path):
  workdir = str(tmp_path / 'run')
  out = run_launcher('audio', workdir, SMOKE)
  assert out.returncode == 0, out.stderr[-3000:]
  samples = os.path.join(workdir, 'samples')
  assert os.listdir(samples) == ['samples_8.png']      # training draws a waveform picture

  out = run_launcher('audio', workdir, SMOKE, '--mode=sample', '--config.sample.num_samples=3')
  assert out.returncode == 0, out.stderr[-3000:]
  assert _wavs(samples, 'samples_8_') == [f'samples_8_{i:03d}.wav' for i in range(3)]
  x = np.load(os.path.join(samples, 'samples_8.npz'))['x']
  assert x.shape == (3, LENGTH) and np.abs(x).max() <= 1
  for i in range(3):
    rate, pcm = wavfile.read(os.path.join(samples, f'samples_8_{i:03d}.wav'))
    assert rate == tones.SAMPLE_RATE and pcm.dtype == np.int16 and pcm.shape == (LENGTH,)
    np.testing.assert_allclose(wav.read(os.path.join(samples, f'samples_8_{i:03d}.wav'))[0],
                               x[i], atol=1 / 32768)
  picture = np.asarray(Image.open(os.path.join(samples, 'samples_8.png')))
  assert picture.ndim == 2 and picture.max() == 255 and picture.shape[1] == LENGTH

  out = run_launcher('audio', workdir, SMOKE, '--mode=continue')
  assert out.returncode == 0, out.stderr[-3000:]
  saved = np.load(os.path.join(samples, 'continue_8.npz'))
  assert saved['continuation'].shape == saved['original'].shape == (8, LENGTH)
  prime = LENGTH // 4
  # the same levels, decoded by two programs: equal to far below a mu-law step (~1e-4)
  np.testing.assert_allclose(saved['continuation'][:, :prime], saved['original'][:, :prime],
                             atol=1e-6)
  assert len(_wavs(samples, 'continue_8_continuation_')) == 8
  assert len(_wavs(samples, 'continue_8_original_')) == 8
  assert os.path.exists(os.path.join(samples, 'continue_8_continuation.png'))


def test_bad_wav_files_stop_the_launcher_naming_them(tmp_path):
  data = tmp_path / 'clips'
  for i in range(4):
    wav.write(str(data / f'{i}.wav'), np.zeros(100), 8000)
  stereo = str(data / '9.wav')
  wavfile.write(stereo, 8000, np.zeros((100, 2), np.int16))
  folder = [SMOKE, '--config.data.name=wav_folder', f'--config.data.data_dir={data}']
  line = last_error_line(run_launcher('audio', str(tmp_path / 'w'), *folder))
  assert line == (f'error: {stereo} has 2 channels; mono audio is expected (mix it down first, '
                  f'e.g. sox IN.wav -c 1 OUT.wav)')
  os.remove(stereo)
  line = last_error_line(run_launcher('audio', str(tmp_path / 'w'), *folder,
                                      '--config.data.audio.sample_rate=16000'))
  assert line.startswith(f'error: {data / "0.wav"} is sampled at 8000 Hz, but 16000 Hz is '
                         'required')
  assert not os.path.exists(tmp_path / 'w')
