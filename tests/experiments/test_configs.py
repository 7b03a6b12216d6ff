"""Every baseline config of every family: its smoke variant trains end to end (tfds ones on
mock data). A config directory experiments/configs/NAME/ holds the configs of family NAME."""
import glob
import importlib
import os

import jax
import numpy as np
import pytest
import tensorflow_datasets as tfds

from gdm.families import FAMILIES
from gdm.train import loop
from gdm.train.writer import read_metrics
from tests.helpers import REPO

CONFIGS = sorted(
    os.path.relpath(p, REPO)[:-3].replace(os.sep, '.')
    for p in glob.glob(os.path.join(REPO, 'experiments/configs/*/*.py'))
    if not os.path.basename(p).startswith(('_', 'common')))


def family_of(module: str) -> str:
  return module.split('.')[-2]     # experiments.configs.FAMILY.NAME


@pytest.fixture
def mock_tfds(fixed_tfds_mock):
  with tfds.testing.mock_data(num_examples=64):
    yield


def test_every_config_is_listed():
  families = {family_of(m) for m in CONFIGS}
  assert families <= set(FAMILIES), families - set(FAMILIES)
  assert sum(family_of(m) == 'autoencoder' for m in CONFIGS) >= 9, CONFIGS
  assert sum(family_of(m) == 'vae' for m in CONFIGS) >= 7, CONFIGS


@pytest.mark.parametrize('module', CONFIGS)
def test_smoke_variant_trains(module, tmp_path, mock_tfds):
  family = family_of(module)
  config = importlib.import_module(module).get_config('smoke')
  doc = importlib.import_module(module).__doc__
  assert f'python -m experiments.{family}' in doc, 'docstring must hold the command'
  config.train.num_steps = 4
  state = loop.train_and_evaluate(config, str(tmp_path), family, jax.devices()[:1])
  assert int(state.step) == 4
  metrics = read_metrics(str(tmp_path))
  evals = [m for m in metrics if 'eval/loss' in m]
  assert evals and np.isfinite(evals[-1]['eval/loss'])
  assert os.listdir(os.path.join(str(tmp_path), 'samples'))
