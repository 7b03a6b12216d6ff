"""The VQ-VAE-2 model section shared by its baselines: the defaults of
gdm.models.vqvae2.config.VQVAE2Config with a baseline's overrides, checked."""
from experiments.configs import default
from gdm.models.vqvae2.config import VQVAE2Config


def model_config(**overrides):
  return default.model_section(VQVAE2Config, **overrides)


SMOKE = dict(bottom_channels=(8, 8), top_channels=(8,), num_res_blocks=1, res_channels=8,
             num_codes=16, code_dim=8)
