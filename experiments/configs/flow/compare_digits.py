"""Glow on the uniformly dequantized 8x8 digits (pixels in [-1, 1]): the flow of
`python -m experiments.compare`. Two levels (8 -> 4 -> 2) of 4 steps, 64-channel coupling
nets, LU 1x1 convolutions; eval/nll is the exact density of the dequantized pixels and
eval/bpd adds D log(256 / 2) nats for the change to [0, 256) (gdm.metrics.bits_per_dim), the
papers' convention and an upper bound on the 8-bit NLL.
  python -m experiments.flow --workdir=/tmp/flow_compare \
      --config=experiments/configs/flow/compare_digits.py
No paper number (no paper has this dataset); the compare's measured row is in the README's
"One table across families".
"""
from experiments.configs import default, digits_compare
from experiments.configs.flow import common


def get_config(variant: str = ''):
  config = digits_compare.setup(default.get_config(), num_steps=3000, scale='minus_one_one',
                                dequantize=True)
  config.model = common.model_config(
      kind='glow', glow=dict(lu=True),
      multiscale=dict(num_scales=2, steps_per_scale=4, channels=64, num_blocks=0))
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
