"""Config checks that run before anything is loaded or compiled.

Every error is one line naming the bad key or value and what is allowed.
"""
import difflib

import ml_collections

from gdm.train.optim import check_optimizer_config
from gdm.utils.checks import check_choice

COMPUTE_DTYPES = ('float32', 'bfloat16')
# Sections whose keys are fixed by the shared default; `model` belongs to each family.
CHECKED_SECTIONS = ('data', 'train', 'eval', 'sample')


def _type_name(v) -> str:
  return type(v).__name__


def check_keys_and_types(config: ml_collections.ConfigDict,
                         reference: ml_collections.ConfigDict, prefix: str = ''):
  """Unknown keys (with the closest known one) and values of the wrong type."""
  for key in config.keys():
    path = f'{prefix}{key}'
    if key not in reference:
      close = difflib.get_close_matches(key, list(reference.keys()), n=1)
      hint = f'; did you mean {prefix}{close[0]}?' if close else ''
      raise ValueError(f'unknown config key {path!r}{hint} (known: '
                       f'{", ".join(sorted(reference.keys()))})')
    value, ref = config[key], reference[key]
    if isinstance(ref, ml_collections.ConfigDict):
      if not isinstance(value, ml_collections.ConfigDict):
        raise ValueError(f'config key {path!r} must be a section, got {value!r}')
      check_keys_and_types(value, ref, path + '.')
      continue
    ok = (isinstance(value, type(ref)) and not (isinstance(value, bool) != isinstance(ref, bool))
          or (isinstance(ref, float) and isinstance(value, int) and not isinstance(value, bool))
          or ref is None)
    if not ok:
      raise ValueError(f'config key {path!r} must be {_type_name(ref)}, got {value!r} '
                       f'({_type_name(value)})')


def check_config(config: ml_collections.ConfigDict, reference: ml_collections.ConfigDict):
  for section in ('seed',) + CHECKED_SECTIONS:
    if section not in config:
      raise ValueError(f'config has no {section!r}; build configs on '
                       f'experiments/configs/default.py')
  sub = ml_collections.ConfigDict({k: config[k] for k in ('seed',) + CHECKED_SECTIONS})
  ref = ml_collections.ConfigDict({k: reference[k] for k in ('seed',) + CHECKED_SECTIONS})
  check_keys_and_types(sub, ref)

  t = config.train
  positive = ('num_steps', 'batch_size', 'steps_per_call', 'log_every', 'checkpoint_every',
              'keep_checkpoints', 'max_nonfinite')
  for key in positive:
    if t[key] < 1:
      raise ValueError(f'train.{key}={t[key]} must be >= 1')
  for key in ('eval_every', 'sample_every'):
    if t[key] < 0:
      raise ValueError(f'train.{key}={t[key]} must be >= 0 (0 = only at the end)')
  for key in ('log_every', 'checkpoint_every', 'eval_every', 'sample_every'):
    if t[key] % t.steps_per_call:
      raise ValueError(f'train.{key}={t[key]} must be a multiple of '
                       f'train.steps_per_call={t.steps_per_call}')
  if not 0.0 <= t.ema_decay < 1.0:
    raise ValueError(f'train.ema_decay={t.ema_decay} must be in [0, 1)')
  check_choice(t.compute_dtype, COMPUTE_DTYPES, 'train.compute_dtype')
  check_optimizer_config(t.optimizer)
  if config.eval.batch_size < 1:
    raise ValueError(f'eval.batch_size={config.eval.batch_size} must be >= 1')
  if config.sample.num_samples < 1:
    raise ValueError(f'sample.num_samples={config.sample.num_samples} must be >= 1')
