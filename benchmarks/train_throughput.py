"""Train steps/s and examples/s of one config on the local devices.

  python -m benchmarks.train_throughput \
      --config=experiments/configs/autoencoder/conv_digits.py --steps=300

Times the compiled train step fed by the real input pipeline (host batches, transfer,
step), after a warm-up call that compiles; the first call's time is reported separately.
"""
import json

from absl import app, flags
from ml_collections import config_flags

from benchmarks.throughput import train_rates

FLAGS = flags.FLAGS
config_flags.DEFINE_config_file('config', None, 'Config file.', lock_config=True)
flags.DEFINE_string('family', 'autoencoder', 'Model family.')
flags.DEFINE_integer('steps', 200, 'Timed train steps.')


def main(argv):
  del argv
  print(json.dumps(train_rates(FLAGS.config, FLAGS.family, FLAGS.steps)))


if __name__ == '__main__':
  app.run(main)
