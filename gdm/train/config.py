"""The schema of a run's config: the shared sections every family's run has, and `parse_run`.

Config files (experiments/configs/) and `--config.*` flags fill an ml_collections.ConfigDict;
`parse_run` checks all of it, the family's `model` section included, against these
dataclasses and returns a frozen `RunConfig`. Integers use 0 (not None) for "off" so that
`--config.KEY=VALUE` overrides keep their type.
"""
import re
from typing import Any

from gdm.data.config import DataConfig
from gdm.train.optim import OptimizerConfig
from gdm.utils import schema
from gdm.utils.schema import FieldError, choice, require, section

COMPUTE_DTYPES = ('float32', 'bfloat16')


@section
class TrainConfig:
  num_steps: int = 2000
  batch_size: int = 128         # global batch, split over all devices of all processes
  steps_per_call: int = 1       # >1: several steps per jitted call with lax.scan
  log_every: int = 100
  eval_every: int = 1000        # 0 = only at the end
  checkpoint_every: int = 1000
  keep_checkpoints: int = 3
  sample_every: int = 1000      # image grids to WORKDIR/samples; 0 = only at the end
  ema_decay: float = 0.999      # 0 = EMA params track params exactly
  ema_start: int = 0            # the EMA copies the params for this many steps (BigGAN)
  ema_rampup: float = 0.0       # >0: EMA half-life <= this x steps done (StyleGAN2-ADA: 0.05)
  compute_dtype: str = 'float32'  # float32 | bfloat16 (params stay float32)
  max_nonfinite: int = 10       # stop after this many skipped updates in a row
  # An update that grows a player's param norm past this factor (from at least 1) is skipped
  # like a non-finite one; 0 = off.
  param_growth_limit: float = 10.0
  compile_ahead: bool = False   # compile the step on a thread during the init (precompile.py)
  remat: bool = False           # scanned layers recompute activations in the backward pass
  prefetch: int = 2             # train calls whose batches are read ahead on a thread; 0 = off
  grad_accum: int = 1           # >1: each update averages gradients over this many slices of
                                # its batch, one after another (batches that do not fit)
  fsdp: int = 1                 # >1: the train state is split over this many devices
  param_sharding: tuple[str, ...] = ('.*',)   # with fsdp > 1: regexes of the state leaves to
                                # split (paths like params/model/encoder/dense0/kernel)
  optimizer: OptimizerConfig = OptimizerConfig()

  def __post_init__(self):
    for key in ('num_steps', 'batch_size', 'steps_per_call', 'log_every', 'checkpoint_every',
                'keep_checkpoints', 'max_nonfinite', 'grad_accum', 'fsdp'):
      require(getattr(self, key) >= 1, key, getattr(self, key), 'must be >= 1')
    require(self.prefetch >= 0, 'prefetch', self.prefetch, 'must be >= 0 (0 = off)')
    for key in ('eval_every', 'sample_every'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0 (0 = only at '
              'the end)')
    for key in ('log_every', 'checkpoint_every', 'eval_every', 'sample_every'):
      require(getattr(self, key) % self.steps_per_call == 0, key, getattr(self, key),
              f'must be a multiple of train.steps_per_call={self.steps_per_call}')
    require(self.batch_size % self.grad_accum == 0, 'grad_accum', self.grad_accum,
            f'must divide train.batch_size={self.batch_size}')
    require(0.0 <= self.ema_decay < 1.0, 'ema_decay', self.ema_decay, 'must be in [0, 1)')
    require(self.ema_start >= 0, 'ema_start', self.ema_start, 'must be >= 0 (0 = off)')
    require(self.ema_rampup >= 0, 'ema_rampup', self.ema_rampup, 'must be >= 0 (0 = off)')
    require(self.param_growth_limit == 0 or self.param_growth_limit > 1,
            'param_growth_limit', self.param_growth_limit, 'must be > 1 (or 0 = off)')
    choice(self.compute_dtype, COMPUTE_DTYPES, 'compute_dtype', 'compute dtype')
    for pattern in self.param_sharding:
      try:
        re.compile(pattern)
      except re.error as e:
        raise FieldError('param_sharding', f'{FieldError.PLACEHOLDER}: {pattern!r} is not a '
                         f'regular expression ({e})') from None


@section
class EvalConfig:
  num_examples: int = 1024      # 0 = the whole eval split
  batch_size: int = 256

  def __post_init__(self):
    require(self.num_examples >= 0, 'num_examples', self.num_examples,
            'must be >= 0 (0 = the whole split)')
    require(self.batch_size >= 1, 'batch_size', self.batch_size, 'must be >= 1')


@section
class SampleConfig:
  num_samples: int = 64
  temperature: float = 1.0      # scales the prior's std where a family samples from a prior
  # Image grids (PNG and TensorBoard) are upscaled, nearest neighbour, until their short side
  # has at least this many pixels; 0 = 1:1. The .npz files keep the original resolution.
  grid_min_side: int = 256
  # Families whose samples are draws of a decoder distribution p(x | z) (the VAE): return
  # its mean E[x | z] instead. Others ignore it (README: what --mode=sample returns).
  decoder_mean: bool = False
  truncation_psi: float = 1.0   # StyleGAN2's W-space truncation trick; 1 = off

  def __post_init__(self):
    require(self.num_samples >= 1, 'num_samples', self.num_samples, 'must be >= 1')
    require(self.grid_min_side >= 0, 'grid_min_side', self.grid_min_side,
            'must be >= 0 (0 = 1:1)')
    require(0.0 <= self.truncation_psi <= 1.0, 'truncation_psi', self.truncation_psi,
            'must be in [0, 1] (1 = no truncation, 0 = every sample at the mean w)')


@section
class RunConfig:
  seed: int = 0
  data: DataConfig = DataConfig()
  train: TrainConfig = TrainConfig()
  eval: EvalConfig = EvalConfig()
  sample: SampleConfig = SampleConfig()
  model: Any = None             # the family's own section (its dataclass)


def parse_run(values, model_config: type | None, migrate: bool = False) -> RunConfig:
  """The whole config checked: every section, `model` against the family's `model_config`
  (None: the model section is passed through unchecked). `migrate`: the config.json of an
  older run, whose moved keys (a section's MOVED) are put where they live now."""
  mapping = dict(values.items())
  if 'model' not in mapping:
    raise ValueError('config has no model section; build configs on '
                     'experiments/configs/default.py and a family common.py')
  model = mapping.pop('model')
  if model_config is not None:
    model = schema.parse(model_config, model, 'model.', migrate)
  run = schema.parse(RunConfig, mapping, '', migrate)
  return RunConfig(seed=run.seed, data=run.data, train=run.train, eval=run.eval,
                   sample=run.sample, model=model)


def default_dict() -> dict:
  """Every shared section's defaults (no model), as a config file starts from."""
  out = schema.to_dict(RunConfig())
  del out['model']
  return out
