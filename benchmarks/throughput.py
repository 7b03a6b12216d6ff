"""Timing of compiled train steps and samplers, shared by the throughput benchmarks.

train_rates: the compiled train step fed by the real input pipeline (host batches, transfer,
step), after a warm-up call that compiles, whose time is reported separately.
sample_rates: the compiled sampler of gdm.train.evaluation.Evaluator (the one FID/KID use),
after a first call that compiles.
"""
import tempfile
import time

import jax

from experiments.families import get_family
from gdm.train import experiment, loop
from gdm.train.evaluation import Evaluator


def train_rates(config, family: str, steps: int) -> dict:
  with tempfile.TemporaryDirectory() as workdir:
    exp = experiment.build(config, workdir, get_family(family))
    state, _ = exp.restore_or_init()
    train_step = loop.compile_train_step(exp)
    per_call = config.train.steps_per_call

    def call(step):
      return train_step(state, exp.train_batch(step, per_call), exp.base_key)

    start = time.perf_counter()
    state, _ = call(0)
    jax.block_until_ready(state)
    first = time.perf_counter() - start
    calls = max(steps // per_call, 1)
    start = time.perf_counter()
    for i in range(1, calls + 1):
      state, metrics = call(i * per_call)
    jax.block_until_ready((state, metrics))
    seconds = time.perf_counter() - start
  done = calls * per_call
  return {
      'backend': jax.default_backend(), 'device': jax.devices()[0].device_kind,
      'devices': jax.device_count(), 'batch_size': config.train.batch_size,
      'steps_per_call': per_call, 'compute_dtype': config.train.compute_dtype,
      'first_call_s': round(first, 2), 'steps_per_s': round(done / seconds, 1),
      'examples_per_s': round(done * config.train.batch_size / seconds, 1),
  }


def sample_rates(config, family: str, num: int, repeats: int) -> dict:
  with tempfile.TemporaryDirectory() as workdir:
    exp = experiment.build(config, workdir, get_family(family))
    state, _ = exp.restore_or_init()
    evaluator = Evaluator(exp)
    start = time.perf_counter()
    evaluator.sample(state, num, 0)          # device_get: waits for the result
    first = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(1, repeats + 1):
      evaluator.sample(state, num, i)
    seconds = time.perf_counter() - start
  return {'backend': jax.default_backend(), 'device': jax.devices()[0].device_kind,
          'devices': jax.device_count(), 'num': num, 'first_call_s': round(first, 2),
          'samples_per_s': round(num * repeats / seconds, 1)}
