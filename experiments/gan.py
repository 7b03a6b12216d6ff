"""Generative adversarial networks (GAN, DCGAN, WGAN-GP, SNGAN, conditional, ACGAN, InfoGAN,
StyleGAN2).

  python -m experiments.gan --workdir=/tmp/gan
  python -m experiments.gan --workdir=/tmp/gan --mode=interpolate   (or arithmetic;
      conditional for conditional models, codes for InfoGAN)
  python -m experiments.gan --workdir=/tmp/sngan \
      --config=experiments/configs/gan/sngan_cifar10.py
  python -m experiments.gan --workdir=/tmp/sg2 \
      --config=experiments/configs/gan/stylegan2_digits.py [--mode=style_mixing|truncation]
"""
from experiments import launch

launch.define_flags('gan/mlp_eight_gaussians.py')

if __name__ == '__main__':
  launch.main('gan')
