"""Shared defaults that every baseline config starts from.

Each field here is a key that scripts and users rely on; family configs only override
values and add a `model` section. Integers use 0 (not None) for "off" so that
`--config.KEY=VALUE` overrides keep their type.
"""
import ml_collections

from gdm.utils.checks import check_choice


def optimizer_config() -> ml_collections.ConfigDict:
  return ml_collections.ConfigDict(dict(
      name='adam',            # adam | adamw | sgd
      learning_rate=1e-3,
      b1=0.9,
      b2=0.999,
      eps=1e-8,
      weight_decay=0.0,       # adamw only
      momentum=0.0,           # sgd only
      schedule='constant',    # constant | cosine | linear (after warmup)
      warmup_steps=0,
      end_factor=0.0,         # final lr = learning_rate * end_factor (cosine/linear)
      clip_norm=0.0,          # global-norm gradient clipping; 0 = off
  ))


def get_config() -> ml_collections.ConfigDict:
  config = ml_collections.ConfigDict()
  config.seed = 0

  config.data = ml_collections.ConfigDict(dict(
      name='moons',
      data_dir='',            # tfds data_dir, or the folder for `folder` / `mnist_idx`
      train_split='train',
      eval_split='test',
      num_examples=0,         # embedded toys: size of each split; 0 = dataset default
      image_size=0,           # resize images to this square size; 0 = keep
      scale='minus_one_one',  # minus_one_one | zero_one | none
      dequantize=False,       # uniform dequantization of 8-bit images
      binarize='none',        # none | static | dynamic
      random_flip=False,      # random horizontal flip (training split only)
      shuffle=True,
  ))

  config.train = ml_collections.ConfigDict(dict(
      num_steps=2000,
      batch_size=128,         # global batch, split over all devices of all processes
      steps_per_call=1,       # >1: several steps per jitted call with lax.scan
      log_every=100,
      eval_every=1000,        # 0 = only at the end
      checkpoint_every=1000,
      keep_checkpoints=3,
      sample_every=1000,      # image grids to WORKDIR/samples; 0 = only at the end
      ema_decay=0.999,        # 0 = EMA params track params exactly
      compute_dtype='float32',  # float32 | bfloat16 (params stay float32)
      max_nonfinite=10,       # stop after this many skipped updates in a row
      optimizer=optimizer_config(),
  ))

  config.eval = ml_collections.ConfigDict(dict(
      num_examples=1024,      # 0 = the whole eval split
      batch_size=256,
  ))

  config.sample = ml_collections.ConfigDict(dict(
      num_samples=64,
      temperature=1.0,        # scales the prior's std where a family samples from a prior
  ))
  return config


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
