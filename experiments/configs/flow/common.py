"""The flow model section shared by every flow baseline (the defaults of
gdm.models.flow.config.FlowConfig with a baseline's overrides, checked), and the two run
templates."""
import ml_collections

from experiments.configs import default
from gdm.models.flow.config import FlowConfig


def model_config(**overrides) -> ml_collections.ConfigDict:
  return default.model_section(FlowConfig, **overrides)


SMOKE = dict(num_layers=2, hidden=(8,), dequant_channels=4, cnf=dict(num_steps=2),
             multiscale=dict(channels=4, num_blocks=0, num_scales=1, steps_per_scale=1))


def toy2d_config(variant: str, **model) -> ml_collections.ConfigDict:
  """A flow on the 2-D `moons` toy (--config.data.name for the others): about a minute."""
  config = default.get_config()
  config.data.name = 'moons'
  config.model = model_config(**model)
  default.set_schedule(config, num_steps=3000, batch_size=256, log_every=250, every=1500)
  config.train.ema_decay = 0.99
  return default.apply_variant(config, variant, smoke=dict(SMOKE))


def image_config(variant: str, data: dict, *, num_steps: int, optimizer: dict,
                 batch_size: int = 64, every: int = 10_000,
                 **model) -> ml_collections.ConfigDict:
  """A flow on 8-bit images: `data` overrides config.data (dequantized by default); the
  whole test split is evaluated."""
  config = default.get_config()
  config.data.update({'dequantize': True, **data})
  config.model = model_config(**model)
  default.set_schedule(config, num_steps=num_steps, batch_size=batch_size,
                       log_every=min(1000, every // 6), every=every)
  config.train.optimizer.update(optimizer)
  config.eval.num_examples = 0
  return default.apply_variant(config, variant, smoke=dict(SMOKE))
