"""Generative adversarial networks (GAN, DCGAN, WGAN-GP, SNGAN, conditional, ACGAN, InfoGAN).

  python -m experiments.gan --workdir=/tmp/gan
  python -m experiments.gan --workdir=/tmp/gan --mode=interpolate   (or arithmetic;
      conditional for conditional models, codes for InfoGAN)
  python -m experiments.gan --workdir=/tmp/sngan \
      --config=experiments/configs/gan/sngan_cifar10.py
"""
from experiments import launch

launch.define_flags('gan/mlp_eight_gaussians.py')

if __name__ == '__main__':
  launch.main('gan')
