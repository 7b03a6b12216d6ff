"""Samples/s of one config's `Model.sample` on the local devices (any family; written for
the flows, whose sampling is one inverse pass).

  python -m benchmarks.sampling_throughput --family=flow \
      --config=experiments/configs/flow/glow_cifar10.py --num=64 --repeats=3

Times the compiled sampler of gdm.train.evaluation.Evaluator (the one FID/KID use) on freshly
initialised params (speed does not depend on training), after a first call that compiles;
the first call's time is reported separately.
"""
import json
import tempfile
import time

import jax
from absl import app, flags
from ml_collections import config_flags

from experiments.families import get_family
from gdm.train import experiment
from gdm.train.evaluation import Evaluator

FLAGS = flags.FLAGS
config_flags.DEFINE_config_file('config', None, 'Config file.', lock_config=True)
flags.DEFINE_string('family', 'flow', 'Model family.')
flags.DEFINE_integer('num', 64, 'Samples per call.')
flags.DEFINE_integer('repeats', 3, 'Timed calls.')


def measure(config, family: str, num: int, repeats: int) -> dict:
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


def main(argv):
  del argv
  print(json.dumps(measure(FLAGS.config, FLAGS.family, FLAGS.num, FLAGS.repeats)))


if __name__ == '__main__':
  app.run(main)
