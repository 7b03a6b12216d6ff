"""The training loop: compiled steps, logging, evaluation, checkpoints and preemption.

Work is cut into calls of `train.steps_per_call` steps aligned to absolute step numbers, so
a resumed run makes exactly the same calls, on the same batches with the same keys, as an
uninterrupted one and ends with bit-identical parameters.

What the non-finite guard promises: an update with a non-finite loss or gradient, or one that
blows the params up (train.param_growth_limit), is not applied; no checkpoint is written while
updates are being skipped, so the newest checkpoint always precedes the streak and rotation
(train.keep_checkpoints) never removes the last good one; after train.max_nonfinite skipped
steps in a row the run stops and names that checkpoint, and a rerun with a saner config
resumes from it. Device values are read on the host only at log, eval and checkpoint steps.
"""
import logging

import jax
import numpy as np

from gdm.train import distributed
from gdm.train.evaluation import Evaluator
from gdm.train.experiment import Experiment, build
from gdm.train.step import make_multi_step, make_train_step
from gdm.train.stop_signals import StopSignals
from gdm.train.writer import MetricWriter, ProgressReporter

log = logging.getLogger('gdm')


class NonFiniteError(RuntimeError):
  """Too many updates in a row were skipped (non-finite or exploding)."""


class DataError(RuntimeError):
  """The input pipeline failed; a checkpoint of the last completed step was saved."""


class Interrupted(RuntimeError):
  """Ctrl-C: the run saved a checkpoint at the current step (unless updates were being
  skipped) and stopped."""


def _diagnosis(exp, state) -> str:
  """The model's own explanation of broken params, if it has one."""
  if exp.model.check_params is None:
    return ''
  try:
    exp.model.check_params(jax.device_get(state.params))
  except ValueError as e:
    return f' ({e})'
  return ''


def _due(step: int, every: int, last: int) -> bool:
  return step == last or (every > 0 and step % every == 0)


def _mean_metrics(pending: list[dict]) -> dict[str, float]:
  """Means over the steps since the last log of each call's stacked [steps] metrics."""
  return {key: float(np.mean(np.concatenate([np.asarray(m[key]) for m in pending])))
          for key in pending[0]}


def compile_train_step(exp: Experiment):
  cfg = exp.config.train
  step_fn = make_train_step(exp.model.players, exp.prepare, cfg.ema_decay,
                            cfg.param_growth_limit)
  replicated = distributed.replicated(exp.mesh)
  return jax.jit(make_multi_step(step_fn),
                 in_shardings=(replicated, distributed.batch_sharding(exp.mesh, 2), replicated),
                 out_shardings=(replicated, replicated), donate_argnums=0)


class _Run:
  """The loop's bookkeeping between calls: saves that respect the guard, the stop checks."""

  def __init__(self, exp: Experiment, writer: MetricWriter):
    self.exp, self.writer = exp, writer
    self.cfg = exp.config.train

  def save(self, step: int, state, run: int) -> bool:
    if run > 0:
      log.warning('not saving a checkpoint at step %d: the last %d updates were skipped; the '
                  'newest checkpoint (step %s) stays the last good one', step, run,
                  self.exp.checkpointer.latest_step())
      return False
    self.exp.checkpointer.save(step, state, {'next_step': step}, force=True)
    return True

  def finish(self):
    self.exp.checkpointer.wait()
    self.writer.close()

  def stop_nonfinite(self, step: int, run: int, state):
    self.finish()
    ckpt = self.exp.checkpointer
    good = ckpt.latest_step()
    where = (f'the last good checkpoint (step {good}) in {ckpt.directory} is intact: rerun '
             f'with a saner config to resume from it' if good is not None else
             'no checkpoint was written before it')
    raise NonFiniteError(
        f'stopping at step {step}: {run} train steps in a row had a non-finite or exploding '
        f'update (train.max_nonfinite={self.cfg.max_nonfinite}){_diagnosis(self.exp, state)};'
        f' {where}')

  def stop_data(self, step: int, state, run: int, error: Exception):
    saved = self.save(step, state, run)
    self.finish()
    kept = (f'saved a checkpoint at step {step}' if saved else
            f'the newest checkpoint is step {self.exp.checkpointer.latest_step()}')
    raise DataError(f'reading the batch after step {step} failed: {error}; {kept}') from None


def train(exp: Experiment):
  """Trains to `train.num_steps`, resuming from the workdir. Returns the final state."""
  exp.claim()
  try:
    return _train(exp)
  finally:
    exp.release()


def _train(exp: Experiment):
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
  run_ = _Run(exp, writer)

  def load(start: int):
    """The next call's batch: up to the next multiple of steps_per_call, so calls are
    aligned to absolute steps whatever step a run resumed from."""
    n = min(per_call - start % per_call, total - start)
    return n, exp.train_batch(start, n)

  pending = []
  next_batch = load(step) if step < total else None
  with StopSignals() as signals:
    while step < total:
      n, batch = next_batch
      state, metrics = train_step(state, batch, exp.base_key)
      step += n
      pending.append(metrics)
      try:
        next_batch = load(step) if step < total else None   # overlaps the device work
      except (ValueError, OSError) as e:
        run_.stop_data(step, state, int(state.nonfinite_run), e)
      exp.checkpointer.raise_if_failed()
      stop = step < total and signals.reached(step)
      log_due = _due(step, cfg.log_every, total)
      ckpt_due = _due(step, cfg.checkpoint_every, total) or stop
      eval_due = _due(step, cfg.eval_every, total)
      sample_due = _due(step, cfg.sample_every, total)
      if not (log_due or ckpt_due or eval_due or sample_due):
        continue                      # no host read of device values between due steps
      run = int(state.nonfinite_run)
      if log_due or run >= cfg.max_nonfinite:
        scalars = _mean_metrics(pending)
        scalars['skipped_total'] = float(state.skipped)
        pending = []
        writer.write_scalars(step, scalars)
        if exp.is_writer:
          log.info(reporter.line(step, scalars))
      if run >= cfg.max_nonfinite:
        run_.stop_nonfinite(step, run, state)
      if eval_due:
        scalars = evaluator.evaluate(state)
        writer.write_scalars(step, scalars)
        if exp.is_writer:
          log.info('eval at step %d: %s', step,
                   ', '.join(f'{k}={v:.5g}' for k, v in scalars.items()))
      if sample_due:
        for name, picture in evaluator.pictures(state).items():
          writer.write_images(step, name, picture)
      saved = run_.save(step, state, run) if ckpt_due else False
      if stop:
        run_.finish()
        what = (f'saved step {step} to {exp.checkpointer.directory}' if saved else
                f'kept the newest checkpoint (step {exp.checkpointer.latest_step()})')
        if signals.received == 'Ctrl-C':
          raise Interrupted(f'interrupted (Ctrl-C) at step {step}: {what}; rerun the same '
                            'command to resume')
        log.warning('preempted (%s): %s; rerun the same command to resume',
                    signals.received or 'preemption notice', what)
        return state
  run_.finish()
  return state


def train_and_evaluate(config, workdir: str, family, devices=None):
  """Library entry point (what launchers and tests call): build, then train or resume.
  `family` is the model family's `Family`."""
  return train(build(config, workdir, family, devices))
