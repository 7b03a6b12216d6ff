"""Glow (Kingma & Dhariwal, 2018) on CIFAR-10 (tfds; downloads on first use): L = 3 levels
of K = 32 steps (actnorm, LU-decomposed invertible 1x1 convolution, affine coupling), coupling
nets of 512 channels, uniformly dequantized pixels in [-1, 1] (the paper's [-0.5, 0.5], the
same bits/dim), random horizontal flips, Adam 1e-3 with warm-up.
  python -m experiments.flow --workdir=/tmp/glow_cifar10 \
      --config=experiments/configs/flow/glow_cifar10.py
Paper: 3.35 bits/dim on the CIFAR-10 test set (Kingma & Dhariwal, 2018, Table 2, affine
coupling with 1x1 convolution). Differences: the factored-out halves and the top use the
standard Gaussian instead of Glow's learned conditional priors, and the coupling nets have no
actnorm or zero-init output scale. Not yet measured here.
"""
from experiments.configs.flow import common


def get_config(variant: str = ''):
  return common.image_config(
      variant, dict(name='cifar10', scale='minus_one_one', random_flip=True),
      num_steps=500_000, every=20_000,
      optimizer=dict(learning_rate=1e-3, warmup_steps=5000, clip_norm=50.0),
      kind='glow', glow=dict(lu=True),
      multiscale=dict(num_scales=3, steps_per_scale=32, channels=512, num_blocks=0))
