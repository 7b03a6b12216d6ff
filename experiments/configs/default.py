"""Shared defaults that every baseline config starts from.

The schema (every key, its type and its checks) is gdm.train.config; family configs only
override values and add a `model` section built from their family's dataclass.
"""
import ml_collections

from gdm.train.config import default_dict
from gdm.train.optim import OptimizerConfig
from gdm.utils import schema
from gdm.utils.checks import check_choice


def optimizer_config(**overrides) -> ml_collections.ConfigDict:
  """An optimizer section (train.optimizer, or a second player's) with overrides, checked."""
  return ml_collections.ConfigDict(schema.defaults(OptimizerConfig, 'optimizer.', **overrides))


def model_section(config_class, **overrides) -> ml_collections.ConfigDict:
  """A family's `model` section: its dataclass's defaults with overrides, checked here, so a
  misspelled key or a bad value fails in the config file that wrote it."""
  return ml_collections.ConfigDict(schema.defaults(config_class, 'model.', **overrides))


def get_config() -> ml_collections.ConfigDict:
  """Every shared section at its default (gdm.train.config); families add `model`."""
  return ml_collections.ConfigDict(default_dict())


def set_schedule(config: ml_collections.ConfigDict, *, num_steps: int, batch_size: int,
                 log_every: int, every: int) -> ml_collections.ConfigDict:
  """Run length and cadence: evaluation, checkpoints and image grids every `every` steps."""
  t = config.train
  t.num_steps, t.batch_size, t.log_every = num_steps, batch_size, log_every
  t.eval_every = t.checkpoint_every = t.sample_every = every
  return config


def shrink_for_smoke(config: ml_collections.ConfigDict) -> ml_collections.ConfigDict:
  """The tiny variant of any config (`--config=PATH:smoke`): same code paths, seconds on CPU."""
  t = config.train
  t.num_steps, t.batch_size, t.steps_per_call = 8, 16, 1
  t.log_every = t.eval_every = t.checkpoint_every = t.sample_every = 4
  config.eval.num_examples, config.eval.batch_size = 32, 16
  config.sample.num_samples = 16
  if config.data.num_examples == 0:
    config.data.num_examples = 512     # embedded toys only; other datasets ignore it
  return config


VARIANTS = ('', 'smoke')


def apply_variant(config: ml_collections.ConfigDict, variant: str,
                  smoke: dict | None = None) -> ml_collections.ConfigDict:
  """`--config=PATH:VARIANT`; 'smoke' shrinks the run and applies `smoke` to config.model."""
  check_choice(variant, VARIANTS, 'config variant')
  if variant == 'smoke':
    shrink_for_smoke(config)
    config.model.update(smoke or {})
  return config
