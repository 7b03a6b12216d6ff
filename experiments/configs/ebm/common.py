"""The EBM model section shared by every EBM baseline (the defaults of
gdm.models.ebm.config.EBMConfig with a baseline's overrides, checked), and the toy and image
recipes. Sub-sections (mlp, resnet, sgld, buffer, sampling, restore) take dicts; a recipe's
sub-section and a baseline's merge key by key."""
import ml_collections

from experiments.configs import default
from gdm.models.ebm.config import EBMConfig


def model_config(**overrides) -> ml_collections.ConfigDict:
  return default.model_section(EBMConfig, **overrides)


def merged(base: dict, overrides: dict) -> dict:
  """`base` with `overrides`, nested dicts merged key by key rather than replaced."""
  out = dict(base)
  for key, value in overrides.items():
    both = isinstance(value, dict) and isinstance(out.get(key), dict)
    out[key] = merged(out[key], value) if both else value
  return out


SMOKE = dict(mlp=dict(hidden=(16,)), resnet=dict(channels=(8,), blocks=1), sgld=dict(steps=2),
             buffer=dict(size=64), sampling=dict(steps=2), restore=dict(steps=2))

# Chains that sample exp(-E): Langevin noise sqrt(2 * 0.01), persistent chains in a buffer
# small enough that every chain is advanced every few steps, restarted rarely (old chains are
# near the stationary law), and a weak energy regulariser (alpha biases exp(-E): for Gaussian
# data its covariance comes out about (1 + 4 alpha) times the data's).
TOY = dict(net='mlp', mlp=dict(hidden=(128, 128, 128)), alpha=0.01,
           sgld=dict(kind='langevin', step_size=0.01),
           buffer=dict(size=1024, reinit_share=0.01), sampling=dict(steps=1000))

# IGEBM's decoupled step and noise: the samples are the point, not exp(-E).
IMAGE = dict(net='resnet', spectral_norm=True, alpha=1.0,
             sgld=dict(kind='decoupled', steps=60, step_size=10.0, noise_scale=0.005),
             buffer=dict(size=10_000, reinit_share=0.05), sampling=dict(init='buffer'),
             restore=dict(steps=60))


def toy_setup(config: ml_collections.ConfigDict, data: str, **model) -> ml_collections.ConfigDict:
  """The 2-D toys: an MLP energy, Langevin chains (step 0.01, noise sqrt(0.02)) persistent
  in a 1024-entry buffer, samples after 1000 steps from uniform noise, 2000 train steps."""
  config.data.name = data
  config.model = model_config(**merged(TOY, model))
  default.set_schedule(config, num_steps=2000, batch_size=128, log_every=100, every=1000)
  config.train.ema_decay = 0.99
  config.train.optimizer.b1 = 0.0
  return config


def image_setup(config: ml_collections.ConfigDict, data: str, **model) -> ml_collections.ConfigDict:
  """Du & Mordatch's (2019) image recipe: spectrally normalised ResNet energy, 60 SGLD steps
  of size 10 with noise 0.005, a 10,000-entry replay buffer with 5% restarts, alpha=1,
  Adam(lr 1e-4, b1=0); samples from the buffer."""
  config.data.name = data
  config.model = model_config(**merged(IMAGE, model))
  config.train.optimizer.learning_rate = 1e-4
  config.train.optimizer.b1 = 0.0
  config.eval.num_examples = 1024
  return config
