"""The diffusion model section shared by every diffusion baseline: the defaults of
gdm.models.diffusion.config.DiffusionConfig with a baseline's overrides, checked; the smoke
variant and the image-training recipe."""
import ml_collections

from experiments.configs import default
from gdm.models.diffusion.config import DiffusionConfig


def model_config(**overrides) -> ml_collections.ConfigDict:
  return default.model_section(DiffusionConfig, **overrides)


# The tiny variant: a few diffusion steps, a narrow network.
SMOKE = dict(mlp=dict(hidden=(16, 16)),
             unet=dict(channels=8, channel_mult=(1, 2), num_res_blocks=1, attn_resolutions=(4,)),
             ddpm=dict(num_timesteps=4), ncsn=dict(num_sigmas=3), sde=dict(eval_ode_steps=2),
             langevin=dict(steps=2), sample_steps=4, repaint_resample=2)


def smoke(model: ml_collections.ConfigDict) -> dict:
  """SMOKE, keeping a DDIM config's steps below T."""
  out = dict(SMOKE)
  if model.sampler == 'ddim':
    out['sample_steps'] = 2
  return out


def apply_image_variant(config: ml_collections.ConfigDict, variant: str,
                        two_levels: bool = False):
  """default.apply_variant, and for the smoke run 8x8 images (super-resolution from 4x4) and
  a one-level UNet: compiling UNet programs dominates the smoke runs' time, so only
  ddpm_cifar10's smoke run (two_levels) takes the down/upsampling path."""
  default.apply_variant(config, variant, smoke=smoke(config.model))
  if variant == 'smoke':
    if not two_levels:
      config.model.unet.channel_mult = (1,)
    config.data.image_size = 8
    if config.model.low_res_size:
      config.model.low_res_size = 4
    # The image bound / ODE likelihood are exercised by ddpm_cifar10 / vpsde_cifar10 alone:
    # every compile of a UNet program costs seconds of test time.
    config.model.eval_nll = config.model.eval_nll and config.data.name == 'cifar10'
  return config


def apply_latent_variant(config: ml_collections.ConfigDict, variant: str, first_stage):
  """apply_image_variant; the smoke run builds the untrained first stage of the
  `first_stage` config module's smoke variant (model.untrained_autoencoder) instead of
  restoring a run."""
  config = apply_image_variant(config, variant)
  if variant == 'smoke':
    config.model.autoencoder_workdir = ''
    config.model.untrained_autoencoder = first_stage.get_config('smoke').model.to_dict()
  return config


def image_training(config: ml_collections.ConfigDict, num_steps: int, batch_size: int = 128,
                   lr: float = 2e-4, warmup: int = 5000) -> ml_collections.ConfigDict:
  """Ho et al.'s recipe: Adam at lr with a linear warmup, gradients clipped at norm 1, EMA
  0.9999."""
  default.set_schedule(config, num_steps=num_steps, batch_size=batch_size, log_every=1000,
                       every=50_000)
  opt = config.train.optimizer
  opt.learning_rate, opt.warmup_steps, opt.clip_norm = lr, warmup, 1.0
  config.train.ema_decay = 0.9999
  config.sample.num_samples = 64
  return config
