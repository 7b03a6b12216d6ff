"""The training loop: compiled steps, logging, evaluation, checkpoints and preemption.

Work is cut into calls of `train.steps_per_call` steps aligned to absolute step numbers, so
a resumed run makes exactly the same calls, on the same batches with the same keys, as an
uninterrupted one and ends with bit-identical parameters.
"""
import logging
import signal
import threading

import jax
import numpy as np
from jax.experimental import multihost_utils

from gdm.train import distributed
from gdm.train.evaluation import Evaluator
from gdm.train.experiment import Experiment, build
from gdm.train.step import make_multi_step, make_train_step
from gdm.train.writer import MetricWriter, ProgressReporter

log = logging.getLogger('gdm')


class NonFiniteError(RuntimeError):
  """Too many updates in a row had a non-finite loss or gradient."""


def _diagnosis(exp, state) -> str:
  """The model's own explanation of broken params, if it has one."""
  if exp.model.check_params is None:
    return ''
  try:
    exp.model.check_params(jax.device_get(state.params))
  except ValueError as e:
    return f' ({e})'
  return ''


class _Preemption:
  """SIGTERM sets a flag that the loop reads between calls (all processes agree)."""

  def __init__(self):
    self.flag = False
    self._previous = None

  def __enter__(self):
    if threading.current_thread() is threading.main_thread():
      self._previous = signal.signal(signal.SIGTERM, self._handle)
    return self

  def _handle(self, signum, frame):
    log.warning('SIGTERM received: saving a checkpoint after the current step')
    self.flag = True

  def reached(self, step: int) -> bool:
    if jax.process_count() > 1:
      return bool(multihost_utils.process_allgather(np.int32(self.flag)).max()) or \
          multihost_utils.reached_preemption_sync_point(step)
    return self.flag

  def __exit__(self, *exc):
    if self._previous is not None:
      signal.signal(signal.SIGTERM, self._previous)


def _due(step: int, every: int, last: int) -> bool:
  return step == last or (every > 0 and step % every == 0)


def _mean_metrics(pending: list[dict]) -> dict[str, float]:
  """Means over the steps since the last log of each call's stacked [steps] metrics."""
  return {key: float(np.mean(np.concatenate([np.asarray(m[key]) for m in pending])))
          for key in pending[0]}


def compile_train_step(exp: Experiment):
  step_fn = make_train_step(exp.model.players, exp.prepare, exp.config.train.ema_decay)
  replicated = distributed.replicated(exp.mesh)
  return jax.jit(make_multi_step(step_fn),
                 in_shardings=(replicated, distributed.batch_sharding(exp.mesh, 2), replicated),
                 out_shardings=(replicated, replicated), donate_argnums=0)


def train(exp: Experiment):
  """Trains to `train.num_steps`, resuming from the workdir. Returns the final state."""
  cfg = exp.config.train
  total, per_call = cfg.num_steps, cfg.steps_per_call
  state, resumed = exp.restore_or_init()
  step = int(state.step)
  if resumed is not None:
    log.info('resumed from checkpoint at step %d in %s', step, exp.workdir)
  train_step = compile_train_step(exp)
  evaluator = Evaluator(exp)
  writer = MetricWriter(exp.workdir, enabled=exp.is_writer)
  reporter = ProgressReporter(total, step)

  def load(start: int):
    """The next call's batch: up to the next multiple of steps_per_call, so calls are
    aligned to absolute steps whatever step a run resumed from."""
    n = min(per_call - start % per_call, total - start)
    return n, exp.train_batch(start, n)

  pending = []
  next_batch = load(step) if step < total else None
  with _Preemption() as preemption:
    while step < total:
      n, batch = next_batch
      state, metrics = train_step(state, batch, exp.base_key)
      step += n
      pending.append(metrics)
      next_batch = load(step) if step < total else None   # overlaps the device work
      run = int(state.nonfinite_run)
      stopping = run >= cfg.max_nonfinite
      if _due(step, cfg.log_every, total) or stopping:
        scalars = _mean_metrics(pending)
        scalars['skipped_total'] = float(state.skipped)
        pending = []
        writer.write_scalars(step, scalars)
        if exp.is_writer:
          log.info(reporter.line(step, scalars))
      if stopping:
        exp.checkpointer.wait()
        writer.close()
        raise NonFiniteError(
            f'stopping at step {step}: {run} train steps in a row had a non-finite loss or '
            f'gradient (train.max_nonfinite={cfg.max_nonfinite}){_diagnosis(exp, state)}; '
            f'the last good checkpoint (step {exp.checkpointer.latest_step()}) in '
            f'{exp.checkpointer.directory} is intact')
      if _due(step, cfg.eval_every, total):
        scalars = evaluator.evaluate(state)
        writer.write_scalars(step, scalars)
        if exp.is_writer:
          log.info('eval at step %d: %s', step,
                   ', '.join(f'{k}={v:.5g}' for k, v in scalars.items()))
      if _due(step, cfg.sample_every, total):
        for name, picture in evaluator.pictures(state).items():
          writer.write_images(step, name, picture)
      preempted = step < total and preemption.reached(step)
      if _due(step, cfg.checkpoint_every, total) or preempted:
        exp.checkpointer.save(step, state, {'next_step': step}, force=True)
      if preempted:
        exp.checkpointer.wait()
        writer.close()
        log.warning('preempted: saved step %d to %s; rerun the same command to resume',
                    step, exp.checkpointer.directory)
        return state
  exp.checkpointer.wait()
  writer.close()
  return state


def train_and_evaluate(config, workdir: str, family, devices=None):
  """Library entry point (what launchers and tests call): build, then train or resume.
  `family` is the model family's `Family`."""
  return train(build(config, workdir, family, devices))
