"""Autoencoders (plain, convolutional, stacked, denoising).

  python -m experiments.autoencoder --workdir=/tmp/ae
  python -m experiments.autoencoder --workdir=/tmp/dae \
      --config=experiments/configs/autoencoder/denoising_mnist.py
"""
from absl import app

from experiments import launch

launch.define_flags('autoencoder/conv_digits.py')


def main(argv):
  if len(argv) > 1:
    raise app.UsageError(f'unexpected arguments: {argv[1:]}')
  launch.run('autoencoder')


if __name__ == '__main__':
  app.run(main)
