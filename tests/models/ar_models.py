"""Tiny autoregressive models with random weights, for the exact-answer tests."""
import itertools
import math

import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs import default
from experiments.configs.autoregressive import common
from gdm.data.source import DatasetInfo
from gdm.models import autoregressive
from tests.helpers import random_like


def tiny_model(shape, kind='image', binarize='static', **model):
  """(model, params, model_state) on a dataset of `shape` with 3 classes; params are doubled
  random weights, so conditionals are far from uniform and frequencies are informative."""
  config = default.get_config()
  config.data.binarize = binarize
  config.model = common.model_config(**common.smoke(**model))
  info = DatasetInfo('tiny', shape, kind, num_classes=3)
  m = autoregressive.FAMILY.model(config, info)
  batch = {'x': jnp.zeros((1,) + shape) - (binarize == 'none' and kind == 'image'),
           'y': jnp.zeros((1,), jnp.int32)}
  params, _ = jax.eval_shape(m.init, jax.random.key(0), batch)
  params = jax.tree.map(lambda a: 2 * a, random_like(params, np.random.default_rng(0)))
  return m, params, {}


def all_binary(shape):
  n = math.prod(shape)
  return np.array(list(itertools.product([0, 1], repeat=n)), np.float32).reshape((-1,) + shape)


def eight_bit(rng, shape):
  return jnp.asarray(rng.integers(0, 256, size=shape) / 127.5 - 1, jnp.float32)
