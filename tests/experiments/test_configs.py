"""Every baseline config of every family: its smoke variant trains end to end (tfds ones on
mock data) and logs the same values as it did when smoke_reference.json was recorded. A config
directory experiments/configs/NAME/ holds the configs of family NAME.

The paper-size configs (CIFAR-10, CelebA, FFHQ, ImageNet, the translation and speech datasets)
and the compare_digits presets are marked slow: `python -m pytest -n 2 -m slow tests` runs
them; the default command runs every embedded-data config of every family."""
import importlib
import json
import os
import re

import numpy as np
import pytest
import tensorflow_datasets as tfds

from experiments.families import FAMILIES
from tests.experiments.smoke_runs import (CONFIGS, MOCK_EXAMPLES, REFERENCE, SMOKE_STEPS,
                                          family_of, run_smoke)

with open(REFERENCE) as f:
  RECORDED = json.load(f)
# Float tolerance: XLA may fuse differently on another CPU; a changed loss moves far more.
RTOL, ATOL = 1e-4, 1e-5
SLOW = re.compile(r'cifar10|celeba|ffhq|imagenet|facades|edges2shoes|horse2zebra|'
                  r'speech_commands|dsprites|svhn|compare_digits|compare_vqvae')


@pytest.fixture
def mock_tfds(fixed_tfds_mock):
  with tfds.testing.mock_data(num_examples=MOCK_EXAMPLES):
    yield


def test_every_config_is_listed():
  families = {family_of(m) for m in CONFIGS}
  assert families <= set(FAMILIES), families - set(FAMILIES)
  assert sum(family_of(m) == 'autoencoder' for m in CONFIGS) >= 9, CONFIGS
  assert sum(family_of(m) == 'vae' for m in CONFIGS) >= 7, CONFIGS
  assert set(CONFIGS) <= set(RECORDED), sorted(set(CONFIGS) - set(RECORDED))


def assert_same_records(records, recorded):
  assert [r['step'] for r in records] == [r['step'] for r in recorded]
  for got, want in zip(records, recorded):
    assert set(want) <= set(got), sorted(set(want) - set(got))   # new metrics may be added
    for key in want:
      np.testing.assert_allclose(float(got[key]), float(want[key]), rtol=RTOL, atol=ATOL,
                                 err_msg=f'{key} at step {want["step"]}')


@pytest.mark.parametrize('module', [
    pytest.param(m, marks=pytest.mark.slow) if SLOW.search(m) else m for m in CONFIGS])
def test_smoke_variant_trains_and_logs_the_recorded_values(module, tmp_path, mock_tfds):
  family = family_of(module)
  doc = importlib.import_module(module).__doc__
  assert f'python -m experiments.{family}' in doc, 'docstring must hold the command'
  state, records = run_smoke(module, str(tmp_path))
  assert int(state.step) == SMOKE_STEPS
  evals = [m for m in records if 'eval/loss' in m]
  assert evals and np.isfinite(evals[-1]['eval/loss'])
  assert os.listdir(os.path.join(str(tmp_path), 'samples'))
  assert_same_records(records, RECORDED[module])
