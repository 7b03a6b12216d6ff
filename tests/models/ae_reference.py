"""Shared pieces for the autoencoder tests: dataset infos, configs, numpy reference nets."""
import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.autoencoder import conv_digits, mlp_moons
from gdm.data.source import DatasetInfo
from gdm.models import autoencoder
from gdm.train.config import parse_run
from tests.helpers import random_like

MOONS = DatasetInfo('moons', (2,), 'vector')
DIGITS = DatasetInfo('digits', (16, 16, 1), 'image', num_classes=10)
# A two-pixel image: small enough for numpy references of the MLP / stacked models with bce.
PIXELS = DatasetInfo('pixels', (2, 1, 1), 'image')
# 'rbg' keys: XLA compiles the default (partitionable threefry) generator slowly on CPU for
# rank >= 3 shapes (conv kernels, image masks: ~2 s each); the models are key-agnostic.
KEY = jax.random.key(0, impl='rbg')


def rbg(seed):
  return jax.random.key(seed, impl='rbg')


def typed(config):
  """The parsed RunConfig of a config dict (what the family's functions take)."""
  return parse_run(config, autoencoder.FAMILY.config)


def mlp_config(**model):
  c = mlp_moons.get_config('smoke')
  c.model.update(model)
  return c


def conv_config(**model):
  c = conv_digits.get_config('smoke')
  c.model.update(model)
  return c


def stacked_config(**model):
  return mlp_config(kind='stacked', **model)


def moons_batch(n=8, seed=0):
  return {'x': jnp.asarray(np.random.default_rng(seed).normal(size=(n, 2)), jnp.float32)}


def digits_batch(n=4, seed=0):
  x = np.random.default_rng(seed).uniform(-1, 1, size=(n, 16, 16, 1))
  return {'x': jnp.asarray(x, jnp.float32)}


def init(model, batch, seed=0):
  """Random params with the structure of model.init (random biases too), without compiling
  flax's initialisers (seconds on CPU); test_real_init covers model.init itself."""
  shapes, model_state = jax.eval_shape(model.init, KEY, batch)
  rng = np.random.default_rng(seed)

  return random_like(shapes, rng), model_state


def loss_of(model, params, batch, key, step=0):
  return jax.jit(model.players[0].loss_fn)(params, {}, batch, key, step)


def apply_fn(layer, method='__call__'):
  return jax.jit(lambda p, x: layer.apply({'params': p}, x, method=method))


# ---------------------------------------------------------------- numpy reference nets

def _np(a):
  return np.asarray(a, np.float64)


def np_dense(p, x, act):
  y = x @ _np(p['kernel']) + _np(p['bias'])
  return np.maximum(y, 0) if act else y


def np_mlp(p, x):
  n = len(p)
  for i in range(n):
    x = np_dense(p[f'dense{i}'], x, i < n - 1)
  return x


def np_mlp_reconstruct(p, x):
  return np_mlp(p['decoder'], np_mlp(p['encoder'], x))


def np_stacked_encode(params, x, upto=None):
  n = len(params)
  for i in range(n if upto is None else upto):
    x = np_dense(params[f'layer{i}']['encoder']['Dense_0'], x, i < n - 1)
  return x


def np_stacked_reconstruct(params, x):
  n = len(params)
  h = np_stacked_encode(params, x)
  for i in reversed(range(n)):
    h = np_dense(params[f'layer{i}']['decoder']['Dense_0'], h, i > 0)
  return h


def np_sum_sq(a, b):
  d = _np(a) - _np(b)
  return (d * d).reshape(len(d), -1).sum(1)
