"""Variational autoencoders (MLP, conv, beta-VAE, conditional, IWAE).

  python -m experiments.vae --workdir=/tmp/vae
  python -m experiments.vae --workdir=/tmp/vae --mode=interpolate   (or reconstruct, impute,
      anomaly; conditional for a conditional VAE)
  python -m experiments.vae --workdir=/tmp/iwae \
      --config=experiments/configs/vae/iwae_binarized_mnist.py
"""
from experiments import launch

launch.define_flags('vae/mlp_digits.py')

if __name__ == '__main__':
  launch.main('vae')
