"""A family trained briefly on the `gaussian` toy (covariance [[2, 1.2], [1.2, 1]]) with the
trainer's compiled step, and the moments of what its `sample` returns (the --mode=sample
path: Evaluator.sample, EMA params)."""
import jax
import numpy as np

from experiments.families import FAMILIES
from gdm.data import toy
from gdm.metrics.distribution import moment_errors
from gdm.train import experiment, loop
from gdm.train.evaluation import Evaluator

ONE = jax.devices()[:1]


def on_gaussian(config, num_steps: int, ema_decay: float = 0.0, **overrides):
  """`config` on the gaussian toy for `num_steps`, with dotted `overrides`."""
  config.update_from_flattened_dict({'data.name': 'gaussian', 'train.num_steps': num_steps,
                                     'train.ema_decay': ema_decay, **overrides})
  return config


def build(config, family: str, workdir: str):
  return experiment.build(config, workdir, FAMILIES[family], ONE)


def fit(config, family: str, workdir: str, per_call: int = 100):
  """(experiment, state) after config.train.num_steps steps (`per_call` steps per compiled
  call; no evaluation, checkpoints or pictures)."""
  exp = build(config, family, workdir)
  state, _ = exp.restore_or_init()
  train_step = loop.compile_train_step(exp)
  total = config.train.num_steps
  for start in range(0, total, per_call):
    state, _ = train_step(state, exp.train_batch(start, min(per_call, total - start)),
                          exp.base_key)
  return exp, state


def sample_errors(exp, state, num_samples: int = 4000) -> tuple[np.ndarray, dict]:
  """(samples, their moment errors against the truth)."""
  x = Evaluator(exp).sample(state, num_samples)
  return x, moment_errors(x, np.zeros(2), toy.GAUSSIAN_COV)


def fit_and_sample(config, family: str, workdir: str,
                   num_samples: int = 4000) -> tuple[np.ndarray, dict]:
  return sample_errors(*fit(config, family, workdir), num_samples)
