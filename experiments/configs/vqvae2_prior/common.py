"""The VQ-VAE-2 priors' model section shared by their baselines: the defaults of
gdm.models.vqvae2_prior.config.VQVAE2PriorConfig with a baseline's overrides, checked."""
from experiments.configs import default
from gdm.models.vqvae2_prior.config import VQVAE2PriorConfig


def model_config(**overrides):
  return default.model_section(VQVAE2PriorConfig, **overrides)


NET_SMOKE = dict(features=8, num_layers=1, kernel_size=3, first_kernel_size=3,
                 head_features=8, num_heads=2, cond_features=8, cond_blocks=1)


def apply_variant(config, variant: str, codec_smoke: dict):
  """default.apply_variant; the smoke run builds the codec untrained from `codec_smoke` (a
  VQ-VAE-2 model section) on 16x16 images and draws its few samples once, at the end
  (sampling is a loop over every code position)."""
  config = default.apply_variant(config, variant, smoke=dict(
      vqvae2_workdir='', untrained_vqvae2=codec_smoke,
      top=dict(NET_SMOKE, attention_every=1), bottom=NET_SMOKE))
  if variant == 'smoke':
    config.train.sample_every = 0
    config.sample.num_samples = 4
    config.data.image_size = 16          # 4x4 bottom and 2x2 top codes
  return config
