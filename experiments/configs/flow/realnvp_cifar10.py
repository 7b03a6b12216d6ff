"""RealNVP (Dinh et al., 2017) on CIFAR-10 (tfds; downloads on first use): 2 scales
(32 -> 16), 3 checkerboard + 3 channel couplings then 4 checkerboard couplings, residual
coupling nets (8 blocks, 64 channels, as in the paper; its batch norm and weight norm are
left out), logit transform with alpha = 0.05 on uniformly dequantized [0, 1] pixels, random
horizontal flips.
  python -m experiments.flow --workdir=/tmp/realnvp_cifar10 \
      --config=experiments/configs/flow/realnvp_cifar10.py
Paper: 3.49 bits/dim on the CIFAR-10 test set (Dinh et al., 2017, Table 1); eval/bpd
uses the same convention (nll of the dequantized data incl. the logit Jacobian, + 3072 ln 256
nats, / (3072 ln 2)). Not yet measured here.
"""
from experiments.configs.flow import common


def get_config(variant: str = ''):
  return common.image_config(
      variant, dict(name='cifar10', scale='zero_one', random_flip=True), num_steps=500_000,
      every=20_000, optimizer=dict(name='adamw', learning_rate=1e-3, weight_decay=5e-5, clip_norm=100.0),
      kind='realnvp', logit=True, logit_alpha=0.05,
      multiscale=dict(num_scales=2, steps_per_scale=3, channels=64, num_blocks=8))
