"""Autoencoders (plain, convolutional, stacked, denoising).

  python -m experiments.autoencoder --workdir=/tmp/ae
  python -m experiments.autoencoder --workdir=/tmp/dae \
      --config=experiments/configs/autoencoder/denoising_digits.py
"""
from experiments import launch

launch.define_flags('autoencoder/conv_digits.py')

if __name__ == '__main__':
  launch.main('autoencoder')
