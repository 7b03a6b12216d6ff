"""DCGAN on the native 8x8 digits (pixels in [-1, 1]): the GAN of
`python -m experiments.compare`. Two stride-2 levels (2x2 -> 4 -> 8), batch norm in both
networks, non-saturating loss, Adam 2e-4 with beta1 = 0.5 as in Radford et al. (2016).
  python -m experiments.gan --workdir=/tmp/gan_compare \
      --config=experiments/configs/gan/compare_digits.py
No paper number (no likelihood; the paper reports no digits metric); the compare's measured
row is in the README's "One table across families".
"""
from experiments.configs import default, digits_compare
from experiments.configs.gan import common


def get_config(variant: str = ''):
  config = digits_compare.setup(default.get_config(), num_steps=5000)
  config.model = common.model_config(kind='dcgan', latent_dim=32,
                                     conv=dict(g_channels=(32, 64), d_channels=(32, 64),
                                               d_norm='batch'))
  common.adam(config, g_lr=2e-4, d_lr=2e-4, b1=0.5, b2=0.999)
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
