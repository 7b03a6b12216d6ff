"""WAV files in and out (scipy.io.wavfile: 8/16/24/32-bit PCM and float), and the checks that
turn bad audio into one-line errors naming the file.

Samples become float32 in [-1, 1]: n-bit PCM is divided by 2^(n-1) (8-bit PCM, unsigned, is
centred on 128 first), float files are clipped. `write` stores 16-bit PCM, round(32768 x)
clipped to [-32768, 32767], so values on that grid read back exactly.
"""
import dataclasses
import os
import struct
import warnings

import numpy as np
from scipy.io import wavfile

PCM16_SCALE = 32768.0


@dataclasses.dataclass(frozen=True)
class WavHeader:
  path: str
  sample_rate: int
  channels: int
  frames: int


def _unreadable(path: str, error: Exception) -> ValueError:
  return ValueError(f'{path} is not a readable WAV file ({type(error).__name__}: {error})')


def _open(path: str, mmap: bool):
  """(rate, samples) as scipy reads them; ValueError naming `path` if it cannot, or if the
  file ends before its header says (scipy only warns about that)."""
  try:
    with warnings.catch_warnings(record=True) as caught:
      warnings.simplefilter('always', wavfile.WavFileWarning)
      rate, data = wavfile.read(path, mmap=mmap)
  except ValueError as e:
    if mmap and 'not compatible' in str(e):   # 24-bit containers cannot be mapped: read them
      return _open(path, mmap=False)
    raise _unreadable(path, e) from None
  except (OSError, EOFError, struct.error, IndexError, KeyError) as e:   # cut short, not RIFF
    raise _unreadable(path, e) from None
  short = [w for w in caught if 'prematurely' in str(w.message)]
  if short:
    raise ValueError(f'{path} is truncated ({short[0].message})')
  return rate, data


def read_header(path: str) -> WavHeader:
  """Rate, channels and length of `path` without decoding its samples (memory-mapped)."""
  rate, data = _open(path, mmap=True)
  channels = 1 if data.ndim == 1 else data.shape[1]
  return WavHeader(path, int(rate), int(channels), int(data.shape[0]))


def check_header(header: WavHeader, sample_rate: int = 0,
                 why: str = 'data.audio.sample_rate'):
  """One-line errors for audio a mono model at `sample_rate` (0: any) cannot take; `why`
  says where the required rate comes from."""
  if header.channels != 1:
    raise ValueError(f'{header.path} has {header.channels} channels; mono audio is expected '
                     f'(mix it down first, e.g. sox IN.wav -c 1 OUT.wav)')
  if sample_rate and header.sample_rate != sample_rate:
    raise ValueError(f'{header.path} is sampled at {header.sample_rate} Hz, but '
                     f'{sample_rate} Hz is required ({why}; nothing is resampled)')


def to_float(samples: np.ndarray, bits: int = 0) -> np.ndarray:
  """PCM or float samples -> float32 in [-1, 1]. Integer samples are `bits`-bit PCM (0: as
  many bits as their dtype has; tfds stores some 16-bit audio as int64)."""
  samples = np.asarray(samples)
  if samples.dtype == np.uint8 and not bits:
    return (samples.astype(np.float32) - 128) / 128
  if np.issubdtype(samples.dtype, np.integer):
    bits = bits or 8 * samples.dtype.itemsize
    return (samples.astype(np.float64) / 2.0 ** (bits - 1)).astype(np.float32)
  return np.clip(samples.astype(np.float32), -1.0, 1.0)


def read(path: str, sample_rate: int = 0) -> tuple[np.ndarray, int]:
  """(mono float32 samples [T] in [-1, 1], rate) of `path`, checked as `check_header` does."""
  rate, data = _open(path, mmap=False)
  channels = 1 if data.ndim == 1 else data.shape[1]
  check_header(WavHeader(path, int(rate), int(channels), int(data.shape[0])), sample_rate)
  return to_float(data.reshape(-1)), int(rate)


def write(path: str, x: np.ndarray, sample_rate: int):
  """Mono samples [T] in [-1, 1] -> a 16-bit PCM WAV file (parent directories created)."""
  x = np.asarray(x, np.float64).reshape(-1)
  pcm = np.clip(np.round(np.nan_to_num(x) * PCM16_SCALE), -32768, 32767).astype(np.int16)
  parent = os.path.dirname(path)
  if parent:
    os.makedirs(parent, exist_ok=True)
  wavfile.write(path, int(sample_rate), pcm)


def fit_length(x: np.ndarray, length: int) -> np.ndarray:
  """The first `length` samples of x [T], padded with silence (zeros) when x is shorter."""
  x = np.asarray(x, np.float32)[:length]
  return np.pad(x, (0, length - len(x))) if len(x) < length else x
