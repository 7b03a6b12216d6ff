"""The GAN model section shared by every GAN baseline: the defaults of
gdm.models.gan.config.GANConfig with a baseline's overrides, checked."""
import ml_collections

from experiments.configs import default
from gdm.models.gan.config import GANConfig


def model_config(**overrides) -> ml_collections.ConfigDict:
  return default.model_section(GANConfig, **overrides)


def adam(config, g_lr: float, d_lr: float, b1: float, b2: float, **opt):
  """The same Adam for both players, with their own learning rates."""
  for o, lr in ((config.train.optimizer, g_lr), (config.model.d_optimizer, d_lr)):
    o.update(dict(name='adam', learning_rate=lr, b1=b1, b2=b2, **opt))
  return config


SMOKE = dict(latent_dim=8, mlp=dict(g_hidden=(16,), d_hidden=(16,)),
             conv=dict(g_channels=(8, 8), d_channels=(8, 8)))
