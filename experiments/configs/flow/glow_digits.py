"""Small Glow on the embedded 8x8 `digits` (no download): 2 levels (8 -> 4 -> 2) of 4
steps, 64-channel coupling nets, variational dequantization (Flow++) of the integer pixels in
[-1, 1]: a quick image flow for CPU runs.
  python -m experiments.flow --workdir=/tmp/glow_digits \
      --config=experiments/configs/flow/glow_digits.py
No paper number for this dataset. Not yet measured here.
"""
from experiments.configs.flow import common


def get_config(variant: str = ''):
  config = common.image_config(
      variant, dict(name='digits', scale='minus_one_one', dequantize=False), num_steps=3000,
      every=1500, optimizer={}, kind='glow', glow=dict(lu=True),
      multiscale=dict(num_scales=2, steps_per_scale=4, channels=64, num_blocks=0),
      dequantization='variational', dequant_channels=32)
  config.train.ema_decay = 0.99
  return config
