"""Convolutional autoencoder on the native 8x8 digits: the autoencoder of
`python -m experiments.compare` (pixels in [-1, 1]; no likelihood, so the compare reports
its sample metrics, from a Gaussian fitted to the test codes, and eval/psnr).
  python -m experiments.autoencoder --workdir=/tmp/ae_compare \
      --config=experiments/configs/autoencoder/compare_digits.py
No paper number (autoencoders have no headline digits result); the compare's measured row is
in the README's "One table across families".
"""
from experiments.configs import default, digits_compare
from experiments.configs.autoencoder import common


def get_config(variant: str = ''):
  config = digits_compare.setup(default.get_config(), num_steps=3000)
  config.model = common.model_config(kind='conv', channels=(16, 32), latent_dim=16)
  return default.apply_variant(config, variant, smoke=dict(channels=(8, 16), latent_dim=4))
