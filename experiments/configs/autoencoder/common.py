"""The autoencoder model section shared by every autoencoder baseline: the defaults of
gdm.models.autoencoder.config.AutoencoderConfig with a baseline's overrides, checked."""
from experiments.configs import default
from gdm.models.autoencoder.config import AutoencoderConfig


def model_config(**overrides):
  return default.model_section(AutoencoderConfig, **overrides)
