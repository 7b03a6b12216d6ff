"""RealNVP (Dinh et al., 2017) on MNIST (tfds; downloads on first use): 3 scales
(28 -> 14 -> 7), 3 checkerboard + 3 channel couplings per scale (4 checkerboard on the last),
residual coupling nets (4 blocks, 64 channels; the paper's batch norm and weight norm are
left out), logit transform with alpha = 0.05 on uniformly dequantized [0, 1] pixels.
  python -m experiments.flow --workdir=/tmp/realnvp_mnist \
      --config=experiments/configs/flow/realnvp_mnist.py
Reference: 1.06 bits/dim on MNIST for RealNVP (as tabulated by Grathwohl et al., 2019,
FFJORD, Table 2; the RealNVP paper reports no MNIST number). Not yet measured here.
"""
from experiments.configs.flow import common


def get_config(variant: str = ''):
  return common.image_config(
      variant, dict(name='mnist', scale='zero_one'), num_steps=100_000,
      optimizer=dict(name='adamw', learning_rate=1e-3, weight_decay=5e-5, clip_norm=100.0),
      kind='realnvp', logit=True, logit_alpha=0.05,
      multiscale=dict(num_scales=3, steps_per_scale=3, channels=64, num_blocks=4))
