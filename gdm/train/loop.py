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
import contextlib
import logging
import os
import time

import jax
import numpy as np

from gdm.train import distributed, precompile
from gdm.train.console import ProgressReporter
from gdm.train.evaluation import Evaluator
from gdm.train.experiment import Experiment, build
from gdm.train.optim import make_schedule
from gdm.train.prefetch import Prefetcher
from gdm.train.step import make_multi_step, make_train_step
from gdm.train.stop_signals import StopSignals
from gdm.train.writer import MetricWriter

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
                            cfg.param_growth_limit, cfg.grad_accum, cfg.ema_start,
                            cfg.ema_rampup)
  replicated = distributed.replicated(exp.mesh)
  return jax.jit(make_multi_step(step_fn),
                 in_shardings=(exp.state_sharding, distributed.batch_sharding(exp.mesh, 2),
                               replicated),
                 out_shardings=(exp.state_sharding, replicated), donate_argnums=0)


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


class _Timer:
  """Seconds per train step between log steps, without the time spent on evaluation,
  pictures and checkpoints in between; and the JAX profiler over --profile_steps=A:B."""

  def __init__(self, step: int, profile: tuple[int, int] | None, workdir: str):
    self.last_step, self.last_time, self.other = step, time.monotonic(), 0.0
    self.profile, self.trace_dir = profile, os.path.join(workdir, 'profile')
    self.tracing = False

  def step_time(self, step: int) -> float:
    now = time.monotonic()
    per_step = (now - self.last_time - self.other) / max(step - self.last_step, 1)
    self.last_step, self.last_time, self.other = step, now, 0.0
    return per_step

  def aside(self, start: float):
    self.other += time.monotonic() - start

  def maybe_profile(self, step: int, state):
    if self.profile is None:
      return
    first, last = self.profile
    if not self.tracing and first <= step < last:
      jax.profiler.start_trace(self.trace_dir)
      self.tracing = True
      log.info('profiling steps %d..%d into %s', step, last, self.trace_dir)
    elif self.tracing and step >= last:
      jax.block_until_ready(state)
      jax.profiler.stop_trace()
      self.tracing = False


class _NoPrefetch:
  def close(self):
    pass


def _next(batches, load, step):
  return batches.next() if batches is not None else load(step)


def train(exp: Experiment, profile: tuple[int, int] | None = None):
  """Trains to `train.num_steps`, resuming from the workdir. Returns the final state.
  `profile=(A, B)` writes a JAX profiler trace of steps A..B to WORKDIR/profile."""
  exp.claim()
  try:
    return _train(exp, profile)
  finally:
    exp.release()


def _compile_ahead(exp: Experiment, train_step):
  """train_step, compiling on a thread for the run's first call (gdm/train/precompile.py)
  while the state is initialised or restored; as it was when the run is already done."""
  cfg = exp.config.train
  start = exp.checkpointer.latest_step() or 0
  if start >= cfg.num_steps:
    return train_step
  # the first call's shape, as `load` makes it
  first = min(cfg.steps_per_call - start % cfg.steps_per_call, cfg.num_steps - start)
  batch_shapes = precompile.abstract_batch(exp.pipeline.batch(0), cfg.batch_size, first,
                                           exp.micro_batches)
  return precompile.AheadOfTime(train_step, (exp.abstract_state, batch_shapes, exp.base_key))


def _train(exp: Experiment, profile):
  cfg = exp.config.train
  total, per_call = cfg.num_steps, cfg.steps_per_call
  train_step = compile_train_step(exp)
  if cfg.compile_ahead:
    train_step = _compile_ahead(exp, train_step)
  state, resumed = exp.restore_or_init()
  step = int(state.step)
  if resumed is not None:
    log.info('resumed from checkpoint at step %d in %s', step, exp.workdir)
  evaluator = Evaluator(exp)
  writer = MetricWriter(exp.workdir, enabled=exp.is_writer)
  reporter = ProgressReporter(total, step)
  run_ = _Run(exp, writer)
  timer = _Timer(step, profile, exp.workdir)
  schedule = make_schedule(cfg.optimizer, total)

  def load(start: int):
    """The next call's batch: up to the next multiple of steps_per_call, so calls are
    aligned to absolute steps whatever step a run resumed from."""
    n = min(per_call - start % per_call, total - start)
    return n, exp.train_batch(start, n)

  pending = []
  batches = Prefetcher(load, step, total, cfg.prefetch) if cfg.prefetch else None
  next_batch = _next(batches, load, step) if step < total else None
  with StopSignals() as signals, contextlib.closing(batches or _NoPrefetch()):
    while step < total:
      n, batch = next_batch
      timer.maybe_profile(step, state)
      state, metrics = train_step(state, batch, exp.base_key)
      step += n
      pending.append(metrics)
      try:         # read while the device works (on the prefetch thread, ahead of time)
        next_batch = _next(batches, load, step) if step < total else None
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
        scalars['lr'] = float(schedule(step - 1))         # of the last update (train.optimizer)
        scalars['step_time_s'] = timer.step_time(step)
        pending = []
        writer.write_scalars(step, scalars)
        if exp.is_writer:
          log.info(reporter.line(step, scalars), extra={'progress': (step, total)})
      if run >= cfg.max_nonfinite:
        run_.stop_nonfinite(step, run, state)
      aside = time.monotonic()
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
      timer.aside(aside)
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
  timer.maybe_profile(total, state)
  run_.finish()
  return state


def train_and_evaluate(config, workdir: str, family, devices=None):
  """Library entry point (what launchers and tests call): build, then train or resume.
  `family` is the model family's `Family`."""
  return train(build(config, workdir, family, devices))
