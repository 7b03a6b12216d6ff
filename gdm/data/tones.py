"""Synthetic tones of known pitch (`data.name='tones'`): embedded audio that needs no download.

Each clip is one sine at one of four pitches, drawn with the known probabilities
PITCH_PROBS (so a model's samples can be checked against a pitch distribution that is not
uniform), with an amplitude uniform in [0.3, 0.8], a uniform phase and a little white noise;
its label is the pitch's index (global conditioning). The sample rate is 4 kHz, so the
periods are 10 to 20 samples and a small WaveNet's receptive field spans several of them.
Each split is a fixed draw from a seed derived from the split (as the 2-D toys), so every
run sees the same clips; `data.num_examples` sets a split's size and `data.audio.length`
the clip length (default 512 samples, 0.128 s).

`estimate_pitch` and `pitch_class` read a clip's pitch back (the peak of its spectrum) for
tests and for comparing a model's samples with the data.
"""
import zlib

import numpy as np

from gdm.data.source import ArraySource, DatasetInfo

SAMPLE_RATE = 4000
PITCHES_HZ = (200.0, 250.0, 320.0, 400.0)
PITCH_PROBS = (0.4, 0.3, 0.2, 0.1)
DEFAULT_LENGTH = 512
DEFAULT_SIZES = {'train': 4096, 'test': 512}
AMPLITUDE = (0.3, 0.8)
NOISE_STD = 0.01
PITCH_TOLERANCE = 0.06        # relative distance to a pitch that still counts as that pitch


def make_source(split: str, num_examples: int = 0, length: int = 0,
                sample_rate: int = 0) -> ArraySource:
  """The fixed clips of `split`; `sample_rate`, when set, must be SAMPLE_RATE."""
  if sample_rate and sample_rate != SAMPLE_RATE:
    raise ValueError(f"dataset 'tones' is sampled at {SAMPLE_RATE} Hz, but "
                     f'data.audio.sample_rate={sample_rate} is required (nothing is resampled)')
  n = num_examples or DEFAULT_SIZES[split]
  length = length or DEFAULT_LENGTH
  rng = np.random.default_rng([zlib.crc32(b'tones'), zlib.crc32(split.encode())])
  y = rng.choice(len(PITCHES_HZ), size=n, p=PITCH_PROBS)
  amplitude = rng.uniform(*AMPLITUDE, size=(n, 1))
  phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
  t = np.arange(length) / SAMPLE_RATE
  x = amplitude * np.sin(2 * np.pi * np.asarray(PITCHES_HZ)[y][:, None] * t + phase)
  x = np.clip(x + NOISE_STD * rng.standard_normal(x.shape), -1, 1)
  info = DatasetInfo(name='tones', shape=(length,), kind='audio', num_classes=len(PITCHES_HZ),
                     num_examples=n, sample_rate=SAMPLE_RATE)
  return ArraySource(info, x.astype(np.float32), y.astype(np.int32))


def estimate_pitch(x: np.ndarray, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
  """The frequency (Hz) of the strongest spectral peak of each clip [N, T] (Hann window,
  zero-padded 8x for a fine frequency grid)."""
  x = np.asarray(x, np.float64)
  x = (x - x.mean(-1, keepdims=True)) * np.hanning(x.shape[-1])
  spectrum = np.abs(np.fft.rfft(x, n=8 * x.shape[-1], axis=-1))
  return np.argmax(spectrum, -1) * sample_rate / (8 * x.shape[-1])


def pitch_class(frequency: np.ndarray) -> np.ndarray:
  """Index into PITCHES_HZ of the nearest pitch within PITCH_TOLERANCE, else -1."""
  pitches = np.asarray(PITCHES_HZ)
  f = np.asarray(frequency, np.float64)[..., None]
  nearest = np.argmin(np.abs(f - pitches), -1)
  close = np.abs(f[..., 0] - pitches[nearest]) <= PITCH_TOLERANCE * pitches[nearest]
  return np.where(close, nearest, -1)
