"""Gated PixelCNN prior over the 4x4 code maps of the VQ-VAE of
experiments/configs/vqvae/compare_digits.py (van den Oord et al., 2017, section 3.2): the
second half of the VQ-VAE in `python -m experiments.compare`, which links
model.vqvae_workdir to its codec run. By hand (the VQ-VAE's docstring has all three steps):
  python -m experiments.autoregressive --workdir=/tmp/vqvae_compare_prior \
      --config=experiments/configs/autoregressive/compare_vqvae_prior_digits.py \
      --config.model.vqvae_workdir=/tmp/vqvae_compare
eval/nll is nats per code map, eval/bits_per_code per code (log2 64 = 6 for uniform codes).
No paper number (no digits experiment in the paper). The smoke variant uses an untrained
VQ-VAE with the model section of vqvae/compare_digits.py:smoke (model.untrained_vqvae).
"""
from experiments.configs import default, digits_compare
from experiments.configs.autoregressive import common
from experiments.configs.vqvae import compare_digits as vqvae_compare


def get_config(variant: str = ''):
  config = digits_compare.setup(default.get_config(), num_steps=1000)
  config.model = common.model_config(
      net='gated_pixelcnn', likelihood='categorical', vqvae_workdir='/tmp/vqvae_compare',
      gated_pixelcnn=dict(features=32, num_layers=2, kernel_size=3, first_kernel_size=3))
  return common.apply_variant(
      config, variant, smoke_image_size=0, vqvae_workdir='',
      untrained_vqvae=vqvae_compare.get_config('smoke').model.to_dict())
