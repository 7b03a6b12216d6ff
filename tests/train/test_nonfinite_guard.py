"""The non-finite guard keeps the good checkpoints and names one that is good.

The issue's repro: train, then rerun with learning_rate=1e30. Before, the exploding update
was applied (finite params of size ~1e30), checkpoints kept being written while later updates
were skipped, rotation removed every pre-divergence checkpoint, and the stop message called a
diverged checkpoint good, so every rerun stopped again."""
import os

import jax
import numpy as np
import pytest

from experiments.families import FAMILIES
from gdm.train import loop
from gdm.train.step import update_is_sane
from tests.helpers import flat, read_checkpoint, tiny_config

ONE = jax.devices()[:1]
AE = FAMILIES['autoencoder']


def steps_on_disk(workdir):
  return sorted(int(d) for d in os.listdir(os.path.join(workdir, 'checkpoints')) if d.isdigit())


def test_exploding_learning_rate_stops_at_the_last_good_checkpoint_and_resumes(tmp_path):
  workdir = str(tmp_path / 'run')
  common = dict(checkpoint_every=2, keep_checkpoints=3, eval_every=0, sample_every=0)
  loop.train_and_evaluate(tiny_config(num_steps=40, **common), workdir, AE, ONE)
  assert steps_on_disk(workdir) == [36, 38, 40]
  good = flat(read_checkpoint(workdir, 40)['params'])

  bad = tiny_config(num_steps=80, **common)
  bad.train.optimizer.learning_rate = 1e30
  with pytest.raises(loop.NonFiniteError, match=r'the last good checkpoint \(step 40\)'):
    loop.train_and_evaluate(bad, workdir, AE, ONE)
  assert steps_on_disk(workdir) == [36, 38, 40]          # nothing written during the streak
  kept = flat(read_checkpoint(workdir, 40)['params'])
  for k in good:
    np.testing.assert_array_equal(kept[k], good[k])
    assert np.abs(kept[k]).max() < 1e3

  # A rerun with a sane learning rate resumes from before the divergence and trains on.
  state = loop.train_and_evaluate(tiny_config(num_steps=44, **common), workdir, AE, ONE)
  assert int(state.step) == 44 and steps_on_disk(workdir) == [40, 42, 44]
  assert all(np.isfinite(v).all() and np.abs(v).max() < 1e3
             for v in flat(jax.device_get(state.params)).values())


@pytest.mark.parametrize('loss, grad_norm, old, new, limit, ok', [
    (1.0, 1.0, 1.0, 1.1, 10.0, True),
    (np.nan, 1.0, 1.0, 1.0, 10.0, False),
    (1.0, np.inf, 1.0, 1.0, 10.0, False),
    (1.0, 1.0, 1.0, 11.0, 10.0, False),      # the norm grew more than 10x
    (1.0, 1.0, 0.0, 9.0, 10.0, True),        # from at least 1: zero-initialised params may grow
    (1.0, 1.0, 1.0, 1e30, 0.0, True),        # 0 = the growth check is off
    (1.0, 1.0, 1.0, np.inf, 10.0, False),
])
def test_update_is_sane(loss, grad_norm, old, new, limit, ok):
  got = update_is_sane(np.float32(loss), np.float32(grad_norm), {'w': np.float32(old)},
                       {'w': np.float32(new)}, limit)
  assert bool(got) is ok
