"""TensorFlow Datasets audio by random access (`tfds.data_source`): `speech_commands`,
`spoken_digit` and `nsynth`, as fixed-length mono clips in [-1, 1].

Needs the dataset prepared in ArrayRecord format under `data.data_dir` (or tfds' default).
Unlike the image datasets, tfds' Audio feature asks TensorFlow for a dtype when it is built,
so these need TensorFlow installed (as preparing them does anyway); without it the run stops
with a one-line error saying so. Integer samples are 16-bit PCM (spoken_digit stores them as
int64), nsynth's are already float.

Clips are `data.audio.length` samples (0: DEFAULT_LENGTH, the dataset's longest clip or a
second), cut or padded with silence at the end. Labels: speech_commands' 12 classes (ten
words, silence, unknown), spoken_digit's 10 digits, nsynth's 128 MIDI pitches.
"""
import numpy as np

from gdm.data import wav
from gdm.data.source import DatasetInfo
from gdm.data.tfds_source import read_records

# name -> (sample rate Hz, default clip length, label feature, bits of integer PCM)
KNOWN = {
    'speech_commands': (16000, 16000, 'label', 16),
    'spoken_digit': (8000, 8000, 'label', 16),
    'nsynth': (16000, 64000, 'pitch', 16),
}


def _open(name: str, split: str, data_dir: str):
  import tensorflow_datasets as tfds  # heavy import; only tfds datasets pay for it
  try:
    return tfds.data_source(name, split=split, data_dir=data_dir or None)
  except ModuleNotFoundError as e:
    if 'tensorflow' not in str(e):
      raise
    raise ValueError(f'tfds audio dataset {name!r} needs TensorFlow (tfds builds its Audio '
                     f'feature with it): pip install tensorflow-cpu, or use '
                     f"data.name='wav_folder'") from None


class TfdsAudioSource:

  def __init__(self, name: str, split: str, data_dir: str = '', sample_rate: int = 0,
               length: int = 0):
    rate, default_length, self.label_key, self.bits = KNOWN[name]
    self.name = name
    self.ds = _open(name, split, data_dir)
    features = getattr(getattr(self.ds, 'dataset_info', None), 'features', None)
    audio = features['audio'] if features is not None else None
    rate = getattr(audio, 'sample_rate', None) or rate
    if sample_rate and rate != sample_rate:
      raise ValueError(f'tfds dataset {name!r} is sampled at {rate} Hz, but '
                       f'data.audio.sample_rate={sample_rate} is required (nothing is '
                       f'resampled)')
    shape = tuple(getattr(audio, 'shape', ()) or ())
    if len(shape) > 1 and shape[1] != 1:
      raise ValueError(f'tfds dataset {name!r} has {shape[1]} channels; mono audio is expected')
    num_classes = 0
    if features is not None and self.label_key in features:
      num_classes = features[self.label_key].num_classes
    self.length = length or default_length
    self.info = DatasetInfo(name=name, shape=(self.length,), kind='audio',
                            num_classes=num_classes, num_examples=len(self.ds),
                            sample_rate=rate)

  def __len__(self) -> int:
    return len(self.ds)

  def __getitem__(self, indices: np.ndarray) -> dict[str, np.ndarray]:
    records = read_records(self.ds, indices)
    x = [wav.fit_length(wav.to_float(np.asarray(r['audio']).reshape(-1), self.bits),
                        self.length) for r in records]
    out = {'x': np.stack(x)}
    if self.info.num_classes:
      out['y'] = np.array([r[self.label_key] for r in records], np.int32)
    return out
