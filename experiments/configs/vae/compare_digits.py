"""MLP VAE with a discretized-logistic decoder on the 8-bit 8x8 digits (pixels in [-1, 1],
not binarized): the VAE of `python -m experiments.compare`. Its likelihood is of the 8-bit
pixels, so eval/bpd (the IWAE estimate, k=1000) and the ELBO bound compare with the flow's,
the PixelCNN's and the DDPM bound's.
  python -m experiments.vae --workdir=/tmp/vae_compare \
      --config=experiments/configs/vae/compare_digits.py
No paper number (no paper has this dataset); the compare's measured row is in the README's
"One table across families".
"""
from experiments.configs import default, digits_compare
from experiments.configs.vae import common


def get_config(variant: str = ''):
  config = digits_compare.setup(default.get_config(), num_steps=5000)
  config.model = common.model_config(kind='mlp', hidden=(256, 128), latent_dim=16,
                                     decoder='discretized_logistic', num_mixtures=5,
                                     eval_k=1000, eval_chunk=250)
  return default.apply_variant(config, variant, smoke=dict(common.SMOKE))
