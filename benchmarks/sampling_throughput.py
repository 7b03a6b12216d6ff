"""Samples/s of one config's `Model.sample` on the local devices (any family; written for
the flows, whose sampling is one inverse pass).

  python -m benchmarks.sampling_throughput --family=flow \
      --config=experiments/configs/flow/glow_cifar10.py --num=64 --repeats=3

Times the compiled sampler of gdm.train.evaluation.Evaluator (the one FID/KID use) on freshly
initialised params (speed does not depend on training), after a first call that compiles;
the first call's time is reported separately.
"""
import json

from absl import app, flags
from ml_collections import config_flags

from benchmarks.throughput import sample_rates

FLAGS = flags.FLAGS
config_flags.DEFINE_config_file('config', None, 'Config file.', lock_config=True)
flags.DEFINE_string('family', 'flow', 'Model family.')
flags.DEFINE_integer('num', 64, 'Samples per call.')
flags.DEFINE_integer('repeats', 3, 'Timed calls.')


def main(argv):
  del argv
  print(json.dumps(sample_rates(FLAGS.config, FLAGS.family, FLAGS.num, FLAGS.repeats)))


if __name__ == '__main__':
  app.run(main)
