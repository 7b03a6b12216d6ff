"""EBM training with the real trainer: the replay buffer survives a checkpoint round trip
and the resumed run matches an uninterrupted one; a short run learns an energy that ranks
data below uniform noise."""
import os
import shutil

import chex
import jax
import numpy as np

from experiments.configs.ebm import toy
from experiments.families import FAMILIES
from gdm.train import experiment, loop
from gdm.train.evaluation import Evaluator
from tests.helpers import flat, read_checkpoint

ONE = jax.devices()[:1]


def test_replay_buffer_is_checkpointed_and_resume_is_identical(tmp_path):
  config = toy.get_config('smoke')
  config.train.update(num_steps=8, checkpoint_every=4, eval_every=0, sample_every=0)
  full = loop.train_and_evaluate(config, str(tmp_path / 'full'), FAMILIES['ebm'], ONE)

  # Each checkpoint holds the buffer as the chains left it.
  saved = [read_checkpoint(str(tmp_path / 'full'), s)['model_state']['buffer']['x']
           for s in (4, 8)]
  assert saved[0].shape == (64, 2) and np.any(saved[0] != saved[1])
  np.testing.assert_array_equal(saved[1], full.model_state['buffer']['x'])

  part = str(tmp_path / 'part')     # what a kill after step 4 leaves
  shutil.copytree(tmp_path / 'full', part)
  shutil.rmtree(os.path.join(part, 'checkpoints', '8'))
  resumed = loop.train_and_evaluate(config, part, FAMILIES['ebm'], ONE)
  for k, v in flat(full.model_state).items():
    np.testing.assert_array_equal(v, flat(resumed.model_state)[k], err_msg=k)
  chex.assert_trees_all_equal(full.params, resumed.params)
  chex.assert_trees_all_equal(full.opt_state, resumed.opt_state)
  chex.assert_trees_all_equal(full.ema_params, resumed.ema_params)

  # A launcher mode on the resumed run: --mode=denoise writes its arrays.
  exp = experiment.build(config, part, FAMILIES['ebm'], ONE)
  path = Evaluator(exp).write_mode(resumed, 'denoise')
  out = np.load(path)
  assert path.endswith('denoise_8.npz') and out['restored'].shape == out['x'].shape == (16, 2)
  assert np.all(np.isfinite(out['mse_restored']))


def test_short_training_ranks_data_above_uniform_noise(tmp_path):
  config = toy.get_config()
  config.data.update(name='moons', num_examples=4096)
  config.train.optimizer.learning_rate = 3e-3
  config.model.update(mlp=dict(hidden=(64, 64)), sgld=dict(steps=10), buffer=dict(size=1024))
  config.train.update(num_steps=300, batch_size=64)
  config.eval.batch_size = 256
  exp = experiment.build(config, str(tmp_path), FAMILIES['ebm'], ONE)
  state, _ = exp.restore_or_init()
  ood = jax.jit(exp.model.modes['ood'])
  batch = exp.prepare(exp.eval_source[np.arange(256)], exp.base_key, False)
  before = float(ood(state.params, state.model_state, batch, exp.base_key)['auroc_noise'])
  train_step = loop.compile_train_step(exp)
  for step in range(config.train.num_steps):
    state, _ = train_step(state, exp.train_batch(step, 1), exp.base_key)
  out = ood(state.params, state.model_state, batch, exp.base_key)
  # Some uniform noise on [-4, 4]^2 lands on the moons, so even the true density's AUROC
  # is below 1.
  after = float(out['auroc_noise'])
  assert after > 0.8 and after > before + 0.2, (before, after)
  assert float(np.mean(out['energy_data'])) < float(np.mean(out['energy_noise']))
