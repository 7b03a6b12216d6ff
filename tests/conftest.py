"""Eight CPU devices for every test process, so sharded code paths run for real."""
import jax
import pytest

jax.config.update('jax_num_cpu_devices', 8)


@pytest.fixture
def fixed_tfds_mock(monkeypatch):
  """tfds 4.9.10's mock assigns `__getitems__` on a MagicMock instance, where it is not
  bound, so it is called without `self`; this replacement takes the keys first."""
  from tensorflow_datasets.testing import mocking

  def getitems(record_keys, generator, serialized=False):
    return [generator[k] for k in record_keys]

  monkeypatch.setattr(mocking, '_getitems', getitems)
