"""Eight CPU devices for every test process, so sharded code paths run for real; compiles
chosen per test (tests/xla_test_flags.py): quick by default, XLA:CPU's level 1 for tests
marked `optimized`, subprocesses theirs from xla_flags(); one compilation cache per session,
launchers' included; tests marked `long` scheduled first.

XLA:CPU's default LLVM optimisation level spends seconds compiling JAX's threefry PRNG
for every rank >= 3 shape (and runs these small convs no faster), so no test uses it.
"""
from tests import tfds_without_tf
from tests.xla_test_flags import setup_test_process

setup_test_process()

import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402

import jax  # noqa: E402  (after XLA_FLAGS)
import pytest  # noqa: E402

from gdm.utils import compile_cache  # noqa: E402

SESSION = {}     # 'dir': this session's cache directory, set in pytest_configure


def pytest_configure(config):
  """One compilation cache per test session, shared by its xdist workers (the controller
  hands them its run id): a program that several tests compile (a smoke config's init and
  step in the config, mode and launcher tests) compiles once. Fresh every session, so a run
  measures what CI's fresh machine pays; removed when the session ends."""
  if hasattr(config, 'workerinput'):
    run_id = config.workerinput['testrunuid']
  else:
    run_id = getattr(config.option, 'testrunuid', None) or uuid.uuid4().hex
    config.option.testrunuid = run_id        # what xdist hands its workers
  SESSION['dir'] = os.path.join(tempfile.gettempdir(), f'gdm-test-jax-cache-{run_id}')
  compile_cache.enable(os.path.join(SESSION['dir'], 'tests'), min_compile_seconds=0.5)
  # Launchers the tests start cache in $XDG_CACHE_HOME/gdm/jax by default: this session's
  # too, not the user's, so that nothing is written to the home directory and a warm cache
  # left by earlier runs does not make the suite look faster than on CI.
  os.environ['XDG_CACHE_HOME'] = SESSION['dir']


def pytest_sessionfinish(session):
  if not hasattr(session.config, 'workerinput'):     # the controller, after every worker
    shutil.rmtree(SESSION['dir'], ignore_errors=True)


def pytest_collection_modifyitems(items):
  """Tests marked `long` first, so that none of them starts last and ends the run alone."""
  items.sort(key=lambda item: item.get_closest_marker('long') is None)   # a stable sort


@pytest.fixture(autouse=True)
def _compile_level(request):
  """Level 1 for a test that runs long loops of small programs, else quick compiles. A
  program jitted in an earlier test keeps the level it was compiled at (only speed differs)."""
  if request.node.get_closest_marker('optimized') is None:
    yield
    return
  jax.config.update('jax_disable_most_optimizations', False)
  try:
    yield
  finally:
    jax.config.update('jax_disable_most_optimizations', True)


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

