"""Glow with its steps scanned trains end to end through the trainer, with and without remat,
and resumes exactly."""
import chex
import jax
import numpy as np

from experiments.configs.flow import glow_digits
from experiments.families import FAMILIES
from gdm.train import loop
from gdm.train.writer import read_metrics

ONE = jax.devices()[:1]


def scanned(num_steps, remat=False):
  config = glow_digits.get_config('smoke')
  config.model.multiscale.scan = True
  config.train.update(num_steps=num_steps, remat=remat, eval_every=0, sample_every=0,
                      checkpoint_every=2, log_every=2)
  return config


def test_scanned_glow_trains_and_resumes_exactly(tmp_path, remat=True):
  # remat on: the scan and the recomputation both run (tests/flows covers scan alone)
  full = loop.train_and_evaluate(scanned(4, remat), str(tmp_path / 'full'), FAMILIES['flow'],
                                 ONE)
  assert all(np.isfinite(m['loss']) for m in read_metrics(str(tmp_path / 'full'))
             if 'loss' in m)
  part = str(tmp_path / 'part')
  loop.train_and_evaluate(scanned(2, remat), part, FAMILIES['flow'], ONE)
  resumed = loop.train_and_evaluate(scanned(4, remat), part, FAMILIES['flow'], ONE)
  chex.assert_trees_all_equal(full.params, resumed.params)
