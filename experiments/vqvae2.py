"""VQ-VAE-2 (Razavi et al., 2019): the two-level codec; its priors are experiments.vqvae2_prior.

  python -m experiments.vqvae2 --workdir=/tmp/vqvae2_digits \
      --config=experiments/configs/vqvae2/vqvae2_digits.py
  python -m experiments.vqvae2 --workdir=/tmp/vqvae2_digits --mode=codes  # top / bottom maps
"""
from experiments import launch

launch.define_flags('vqvae2/vqvae2_digits.py')

if __name__ == '__main__':
  launch.main('vqvae2')
