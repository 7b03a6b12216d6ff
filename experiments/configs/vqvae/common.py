"""The VQ-VAE model section shared by every VQ-VAE baseline: the defaults of
gdm.models.vqvae.config.VQVAEConfig with a baseline's overrides, checked."""
from experiments.configs import default
from gdm.models.vqvae.config import VQVAEConfig


def model_config(**overrides):
  return default.model_section(VQVAEConfig, **overrides)
