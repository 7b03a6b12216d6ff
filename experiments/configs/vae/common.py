"""The VAE model section shared by every VAE baseline: the defaults of
gdm.models.vae.config.VAEConfig with a baseline's overrides, checked."""
from experiments.configs import default
from gdm.models.vae.config import VAEConfig


def model_config(**overrides):
  return default.model_section(VAEConfig, **overrides)


SMOKE = dict(hidden=(16,), channels=(8, 16), latent_dim=4, eval_k=4, eval_chunk=2,
             num_mixtures=2, impute_steps=2)
