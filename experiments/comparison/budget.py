"""A fixed wall-clock budget per family: measure a run's train steps per second on a few
steps, then fix its length (and the cadence that follows from it) in the config.

The measurement runs the trainer's own compiled step (gdm.train.loop.compile_train_step) on
the run's first batches from a fresh state and writes nothing; its first call, which
compiles, is not timed. The step count is stored by the caller, so a resumed compare trains
to the same step whatever the machine's speed is then.
"""
import time

import jax
import ml_collections

from gdm.train import experiment, loop

# Train calls timed after the compiling one.
TIMED_CALLS = 3
# Log lines per run (the loss curves' resolution) and checkpoints per run (where an
# interrupted compare resumes from).
LOG_POINTS, CHECKPOINTS = 50, 4
# The EMA must forget the initial params within the run: its window 1 / (1 - decay) is kept
# below a twentieth of the run (0.95^(20 * 1/0.05) ~ e^-20 of the start remains).
EMA_WINDOW_SHARE = 1 / 20


def steps_per_second(exp: experiment.Experiment) -> float:
  """Train steps per second of `exp`'s compiled step, on its first batches."""
  state, _ = exp.restore_or_init()
  train_step = loop.compile_train_step(exp)
  per_call = exp.config.train.steps_per_call
  state, metrics = train_step(state, exp.train_batch(0, per_call), exp.base_key)
  jax.block_until_ready(metrics)
  start = time.monotonic()
  for call in range(1, TIMED_CALLS + 1):
    state, metrics = train_step(state, exp.train_batch(call * per_call, per_call),
                                exp.base_key)
  jax.block_until_ready(metrics)
  return TIMED_CALLS * per_call / (time.monotonic() - start)


def num_steps(budget_s: float, steps_per_s: float, per_call: int, max_steps: int = 0) -> int:
  """Steps that fit in `budget_s` at `steps_per_s`: a whole number of calls, at least one,
  at most `max_steps` (0 = no cap)."""
  steps = int(budget_s * steps_per_s) // per_call * per_call
  if max_steps:
    steps = min(steps, max(max_steps // per_call, 1) * per_call)
  return max(steps, per_call)


def _multiple(value: float, of: int) -> int:
  return max(int(value) // of, 1) * of


def fit(config: ml_collections.ConfigDict, steps: int,
        sample_batch: int) -> ml_collections.ConfigDict:
  """`config` trained for `steps` steps: log lines and checkpoints spread over the run,
  evaluation and sample grids once at the end (the compare reads that evaluation), the EMA
  short enough for the run, and `sample.num_samples` = the batch the compare samples in (so
  --mode=sample and the metrics share one compiled sampler)."""
  config = ml_collections.ConfigDict(config.to_dict())
  t = config.train
  per_call = t.steps_per_call
  t.num_steps = steps
  t.log_every = _multiple(steps / LOG_POINTS, per_call)
  t.checkpoint_every = _multiple(steps / CHECKPOINTS, per_call)
  t.eval_every = t.sample_every = 0
  t.ema_decay = max(0.0, min(t.ema_decay, 1.0 - 1.0 / (EMA_WINDOW_SHARE * steps)))
  config.sample.num_samples = sample_batch
  return config
