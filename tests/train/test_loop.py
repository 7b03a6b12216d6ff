"""The loop: exact resume, device-count independence, non-finite stop, preemption."""
import dataclasses
import os
import shutil
import signal

import chex
import jax
import numpy as np
import pytest

from experiments.families import FAMILIES
from gdm.train import experiment, loop
from gdm.train.writer import read_metrics
from tests.helpers import flat, read_checkpoint, tiny_config

ONE = jax.devices()[:1]


def losses(workdir):
  return {m['step']: m['loss'] for m in read_metrics(workdir) if 'loss' in m}


def test_resume_after_kill_is_bit_identical(tmp_path):
  config = tiny_config(num_steps=12, checkpoint_every=4, log_every=2, eval_every=0,
                       sample_every=0)
  full = loop.train_and_evaluate(config, str(tmp_path / 'full'), FAMILIES['autoencoder'], ONE)

  # What a kill at step ~10 leaves: checkpoints 4 and 8, an unfinished save of 12.
  part = str(tmp_path / 'part')
  shutil.copytree(tmp_path / 'full', part)
  shutil.rmtree(os.path.join(part, 'checkpoints', '12'))
  os.makedirs(os.path.join(part, 'checkpoints', '12.orbax-checkpoint-tmp'))
  resumed = loop.train_and_evaluate(config, part, FAMILIES['autoencoder'], ONE)
  for k, v in flat(full.params).items():
    np.testing.assert_array_equal(v, flat(resumed.params)[k], err_msg=k)
  chex.assert_trees_all_equal(full.ema_params, resumed.ema_params)
  chex.assert_trees_all_equal(full.opt_state, resumed.opt_state)
  # Steps 10 and 12 were logged twice in `part` (before and after the kill): same values.
  lines = [m for m in read_metrics(part) if 'loss' in m]
  assert [m['step'] for m in lines] == [2, 4, 6, 8, 10, 12, 10, 12]
  assert lines[4]['loss'] == lines[6]['loss'] and lines[5]['loss'] == lines[7]['loss']
  assert losses(part) == losses(str(tmp_path / 'full'))


def test_preemption_saves_and_resume_matches(tmp_path, monkeypatch):
  # prefetch=0: the signal is sent from the batch reader, which must not run ahead here
  config = tiny_config(num_steps=12, checkpoint_every=8, log_every=2, eval_every=0,
                       sample_every=0, steps_per_call=2, prefetch=0)
  full = loop.train_and_evaluate(config, str(tmp_path / 'full'), FAMILIES['autoencoder'], ONE)

  workdir = str(tmp_path / 'pre')
  exp = experiment.build(config, workdir, FAMILIES['autoencoder'], ONE)
  train_batch = exp.train_batch

  def batch_then_sigterm(start, count):
    if start == 6:    # loaded right after the call that ends at step 6
      os.kill(os.getpid(), signal.SIGTERM)
    return train_batch(start, count)

  monkeypatch.setattr(exp, 'train_batch', batch_then_sigterm)
  state = loop.train(exp)
  assert int(state.step) == 6
  assert exp.checkpointer.latest_step() == 6
  assert signal.getsignal(signal.SIGTERM) is not None   # handler restored
  monkeypatch.undo()
  resumed = loop.train_and_evaluate(config, workdir, FAMILIES['autoencoder'], ONE)
  chex.assert_trees_all_equal(full.params, resumed.params)


@pytest.mark.parametrize('grad_accum', [1, 2])
def test_one_and_eight_devices_agree(tmp_path, grad_accum):
  assert len(jax.devices()) == 8
  config = tiny_config(num_steps=6, log_every=1, eval_every=3, sample_every=0,
                       checkpoint_every=6, grad_accum=grad_accum)
  one = loop.train_and_evaluate(config, str(tmp_path / 'one'), FAMILIES['autoencoder'], ONE)
  eight = loop.train_and_evaluate(config, str(tmp_path / 'eight'), FAMILIES['autoencoder'])
  chex.assert_trees_all_close(one.params, eight.params, rtol=1e-4, atol=1e-5)
  l1, l8 = read_metrics(str(tmp_path / 'one')), read_metrics(str(tmp_path / 'eight'))
  for a, b in zip(l1, l8):
    assert a['step'] == b['step']
    for k in a:
      if k not in ('step', 'step_time_s'):
        np.testing.assert_allclose(a[k], b[k], rtol=1e-4, atol=1e-6, err_msg=k)


def test_train_step_compiles_once(tmp_path):
  config = tiny_config(num_steps=4)
  exp = experiment.build(config, str(tmp_path), FAMILIES['autoencoder'], ONE)
  state, _ = exp.restore_or_init()
  train_step = loop.compile_train_step(exp)
  for s in range(4):
    state, _ = train_step(state, exp.train_batch(s, 1), exp.base_key)
  assert train_step._cache_size() == 1


def test_nonfinite_losses_stop_the_run_and_keep_the_checkpoint(tmp_path):
  config = tiny_config(num_steps=40, checkpoint_every=4, max_nonfinite=3, eval_every=0,
                       sample_every=0, log_every=1)
  exp = experiment.build(config, str(tmp_path), FAMILIES['autoencoder'], ONE)
  player = exp.model.players[0]

  def nan_from_step_9(params, model_state, batch, key, step):
    loss, aux = player.loss_fn(params, model_state, batch, key, step)
    return jax.numpy.where(step >= 9, jax.numpy.nan, loss), aux

  exp.model = dataclasses.replace(
      exp.model, players=(dataclasses.replace(player, loss_fn=nan_from_step_9),))
  with pytest.raises(loop.NonFiniteError,
                     match=r'stopping at step 12: 3 train steps in a row.*step 8'):
    loop.train(exp)
  assert exp.checkpointer.latest_step() == 8
  # Skipped updates left the params where step 9 found them.
  saved = flat(read_checkpoint(str(tmp_path), 8)['params'])
  assert all(np.isfinite(v).all() for v in saved.values())
  logged = read_metrics(str(tmp_path))
  assert [m['skipped_total'] for m in logged if m['step'] in (10, 11, 12)] == [1, 2, 3]


def test_prefetching_changes_nothing(tmp_path):
  runs = {}
  for depth in (0, 3):
    config = tiny_config(num_steps=9, log_every=3, eval_every=0, sample_every=0,
                         checkpoint_every=9, steps_per_call=3, prefetch=depth)
    runs[depth] = loop.train_and_evaluate(config, str(tmp_path / str(depth)),
                                          FAMILIES['autoencoder'], ONE)
  chex.assert_trees_all_equal(runs[0].params, runs[3].params)


def test_a_read_error_on_the_prefetch_thread_stops_the_run_in_the_loop(tmp_path, monkeypatch):
  exp = experiment.build(tiny_config(num_steps=8, checkpoint_every=100, eval_every=0,
                                     sample_every=0), str(tmp_path), FAMILIES['autoencoder'],
                         ONE)
  real = exp.train_batch

  def failing(step, n):
    if step >= 5:
      raise OSError(f'disk gone at step {step}')
    return real(step, n)

  monkeypatch.setattr(exp, 'train_batch', failing)
  with pytest.raises(loop.DataError, match=r'after step 5 failed: disk gone at step 5; saved '
                                           r'a checkpoint at step 5'):
    loop.train(exp)
