"""VQ-VAE (van den Oord et al., 2017).

  python -m experiments.vqvae --workdir=/tmp/vqvae
  python -m experiments.vqvae --workdir=/tmp/vqvae_cifar10 \
      --config=experiments/configs/vqvae/cifar10.py
  python -m experiments.vqvae --workdir=/tmp/vqvae --mode=codes   # code maps for a prior
"""
from experiments import launch

launch.define_flags('vqvae/digits.py')

if __name__ == '__main__':
  launch.main('vqvae')
