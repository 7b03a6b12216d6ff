"""Spectrally normalised ResNet energy on the native 8x8 digits (pixels in [-1, 1]): the EBM
of `python -m experiments.compare`. Du & Mordatch's (2019) recipe made small for CPU: 20
SGLD steps of size 10 with noise 0.005 per update from a 2,000-entry replay buffer (5%
restarted from noise), samples from the buffer. No likelihood (the energy is unnormalised).
  python -m experiments.ebm --workdir=/tmp/ebm_compare \
      --config=experiments/configs/ebm/compare_digits.py
No paper number (no paper has this dataset); the compare's measured row is in the README's
"One table across families".
"""
from experiments.configs import default, digits_compare
from experiments.configs.ebm import common


def get_config(variant: str = ''):
  config = common.image_setup(default.get_config(), 'digits',
                              resnet=dict(channels=(16, 32), blocks=1),
                              sgld=dict(steps=20, unroll=20), buffer=dict(size=2000))
  digits_compare.setup(config, num_steps=2000)
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
