"""Every baseline config: its smoke variant trains end to end (tfds ones on mock data)."""
import glob
import importlib
import os

import jax
import numpy as np
import pytest
import tensorflow_datasets as tfds

from gdm.train import loop
from gdm.train.writer import read_metrics
from tests.helpers import REPO

CONFIGS = sorted(
    os.path.relpath(p, REPO)[:-3].replace(os.sep, '.')
    for p in glob.glob(os.path.join(REPO, 'experiments/configs/autoencoder/*.py'))
    if not os.path.basename(p).startswith(('_', 'common')))


@pytest.fixture
def mock_tfds(fixed_tfds_mock):
  with tfds.testing.mock_data(num_examples=64):
    yield


def test_every_config_is_listed():
  assert len(CONFIGS) >= 9, CONFIGS


@pytest.mark.parametrize('module', CONFIGS)
def test_smoke_variant_trains(module, tmp_path, mock_tfds):
  config = importlib.import_module(module).get_config('smoke')
  doc = importlib.import_module(module).__doc__
  assert 'python -m experiments.autoencoder' in doc, 'docstring must hold the command'
  config.train.num_steps = 4
  state = loop.train_and_evaluate(config, str(tmp_path), 'autoencoder', jax.devices()[:1])
  assert int(state.step) == 4
  metrics = read_metrics(str(tmp_path))
  evals = [m for m in metrics if 'eval/mse' in m]
  assert evals and np.isfinite(evals[-1]['eval/mse'])
  assert os.listdir(os.path.join(str(tmp_path), 'samples'))
