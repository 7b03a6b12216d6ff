"""Glow (Kingma & Dhariwal, 2018) on MNIST (tfds; downloads on first use): L = 2 levels
(28 -> 14 -> 7) of K = 16 steps, coupling nets of 256 channels, uniformly dequantized pixels
in [-1, 1], Adam 1e-3 with warm-up.
  python -m experiments.flow --workdir=/tmp/glow_mnist \
      --config=experiments/configs/flow/glow_mnist.py
Reference: 1.05 bits/dim on MNIST for Glow (as tabulated by Grathwohl et al., 2019, FFJORD,
Table 2). Glow's learned priors are replaced by the standard Gaussian. Not yet measured here.
"""
from experiments.configs.flow import common


def get_config(variant: str = ''):
  return common.image_config(
      variant, dict(name='mnist', scale='minus_one_one'), num_steps=100_000,
      optimizer=dict(learning_rate=1e-3, warmup_steps=2000, clip_norm=50.0),
      kind='glow', glow=dict(lu=True),
      multiscale=dict(num_scales=2, steps_per_scale=16, channels=256, num_blocks=0))
