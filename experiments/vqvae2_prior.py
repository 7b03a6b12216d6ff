"""VQ-VAE-2's top and bottom priors over a trained experiments.vqvae2 run's codes.

  python -m experiments.vqvae2_prior --workdir=/tmp/vqvae2_digits_prior \
      --config=experiments/configs/vqvae2_prior/vqvae2_digits.py \
      --config.model.vqvae2_workdir=/tmp/vqvae2_digits
  python -m experiments.vqvae2_prior --workdir=/tmp/vqvae2_digits_prior --mode=sample ...
"""
from experiments import launch

launch.define_flags('vqvae2_prior/vqvae2_digits.py')

if __name__ == '__main__':
  launch.main('vqvae2_prior')
