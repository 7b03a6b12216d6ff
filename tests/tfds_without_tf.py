"""tfds' audio datasets described without TensorFlow, for tests and smoke references.

Without TensorFlow installed, tfds cannot even describe its audio datasets: the Audio feature
asks tf for a dtype when it is built, and nsynth's features name tf.string and tf.bool. Those
are the only uses on the numpy path that tfds.data_source and tfds.testing.mock_data take, so
numpy's equivalents stand in for them. Nothing changes when TensorFlow is installed.
"""
import importlib.util
import types

import numpy as np


def patch_audio_features(set_attribute=setattr):
  """`set_attribute(module, name, value)`: setattr, or pytest's monkeypatch.setattr."""
  if importlib.util.find_spec('tensorflow') is not None:
    return
  from tensorflow_datasets.core.features import audio_feature
  from tensorflow_datasets.datasets.nsynth import nsynth_dataset_builder
  numpy_tf = types.SimpleNamespace(dtypes=types.SimpleNamespace(as_dtype=np.dtype),
                                   string=np.object_, bool=np.bool_)
  set_attribute(audio_feature, 'tf', numpy_tf)
  set_attribute(nsynth_dataset_builder, 'tf', numpy_tf)
