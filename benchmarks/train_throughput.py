"""Train steps/s and examples/s of one config on the local devices.

  python -m benchmarks.train_throughput \
      --config=experiments/configs/autoencoder/conv_digits.py --steps=300

Times the compiled train step fed by the real input pipeline (host batches, transfer,
step), after a warm-up call that compiles; the first call's time is reported separately.
"""
import json
import tempfile
import time

import jax
from absl import app, flags
from ml_collections import config_flags

from experiments.families import get_family
from gdm.train import experiment, loop

FLAGS = flags.FLAGS
config_flags.DEFINE_config_file('config', None, 'Config file.', lock_config=True)
flags.DEFINE_string('family', 'autoencoder', 'Model family.')
flags.DEFINE_integer('steps', 200, 'Timed train steps.')


def measure(config, family: str, steps: int) -> dict:
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


def main(argv):
  del argv
  print(json.dumps(measure(FLAGS.config, FLAGS.family, FLAGS.steps)))


if __name__ == '__main__':
  app.run(main)
