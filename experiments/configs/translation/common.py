"""The translation model section shared by every translation baseline: the defaults of
gdm.models.translation.config.TranslationConfig with a baseline's overrides, checked, and
the papers' optimisation (the same Adam for both players, no weight averaging)."""
import ml_collections

from experiments.configs import default
from gdm.models.translation.config import TranslationConfig


def model_config(**overrides) -> ml_collections.ConfigDict:
  return default.model_section(TranslationConfig, **overrides)


def adam(config, lr: float = 2e-4, b1: float = 0.5, **opt):
  """Adam(lr, beta1) for the generators (train.optimizer) and discriminators
  (model.d_optimizer), as both papers train them; the papers keep no EMA of the weights."""
  for o in (config.train.optimizer, config.model.d_optimizer):
    o.update(dict(name='adam', learning_rate=lr, b1=b1, b2=0.999, **opt))
  config.train.ema_decay = 0.0
  return config


def embedded_smoke(config, name: str, image_size: int) -> ml_collections.ConfigDict:
  """A paper config's smoke variant on embedded data of the same pairing: the folder and
  tfds datasets the papers use are not here in the tests."""
  config.data.name, config.data.data_dir, config.data.image_size = name, '', image_size
  config.data.train_split, config.data.eval_split = 'train', 'test'
  return config


def pix2pix_256(variant: str, *, eval_split: str, batch_size: int, epoch: int, epochs: int,
                smoke_data: str) -> ml_collections.ConfigDict:
  """The paper's pix2pix on a paired folder of 256x256 images (Isola et al., 2017, Sec. 6):
  U-Net-256, 70x70 PatchGAN, cGAN + 100 L1, jitter 286 -> 256 and mirroring, Adam 2e-4 /
  0.5; `epoch` steps per pass over the training pairs. Smoke: embedded `smoke_data`, 32x32."""
  config = default.get_config()
  config.data.name, config.data.image_size = 'paired_folder', 256
  config.data.eval_split, config.data.random_flip = eval_split, True
  config.model = model_config(kind='pix2pix', jitter_size=286, patch=dict(receptive_field=70))
  adam(config)
  default.set_schedule(config, num_steps=epochs * epoch, batch_size=batch_size,
                       log_every=max(epoch // 10, 1), every=epoch)
  config.eval.num_examples, config.eval.batch_size = 0, batch_size
  config = default.apply_variant(config, variant, smoke=dict(SMOKE, jitter_size=36))
  if variant == 'smoke':
    embedded_smoke(config, smoke_data, 32)
  return config


# Tiny nets of every kind, for the smoke variants.
SMOKE = dict(patch=dict(channels=4, max_channels=8),
             pix2pix=dict(channels=(4, 8, 8, 8)), cyclegan=dict(channels=4, num_blocks=1))
