"""Eight CPU devices for every test process, so sharded code paths run for real.

XLA:CPU's default LLVM optimisation level spends seconds compiling JAX's threefry PRNG
for every rank >= 3 shape (and runs these small convs no faster); level 1 compiles it in
a fraction of a second. Launcher subprocesses inherit it through the environment.
"""
import os

from tests import tfds_without_tf
from tests.xla_test_flags import XLA_TEST_FLAGS

os.environ['XLA_FLAGS'] = f"{os.environ.get('XLA_FLAGS', '')} {XLA_TEST_FLAGS}".strip()

import jax  # noqa: E402  (after XLA_FLAGS)
import pytest  # noqa: E402

jax.config.update('jax_num_cpu_devices', 8)


@pytest.fixture
def fixed_tfds_mock(monkeypatch):
  """tfds 4.9.10's mock assigns `__getitems__` on a MagicMock instance, where it is not
  bound, so it is called without `self`; this replacement takes the keys first. Also lets
  tfds describe its audio datasets without TensorFlow (tests/tfds_without_tf.py)."""
  from tensorflow_datasets.testing import mocking

  def getitems(record_keys, generator, serialized=False):
    return [generator[k] for k in record_keys]

  monkeypatch.setattr(mocking, '_getitems', getitems)
  tfds_without_tf.patch_audio_features(monkeypatch.setattr)

