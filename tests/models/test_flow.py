"""Flow models end to end: every architecture inverts through the model's own encode/decode
(interpolation endpoints), a flow trained on the `gaussian` toy reaches its exact entropy,
and the modes return what they promise."""
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from experiments.configs.flow import glow_digits, maf_toy2d, realnvp_cifar10
from gdm.data import toy
from gdm.data.source import DatasetInfo
from gdm.models import flow
from tests.helpers import random_like

KEY = jax.random.key(0, impl='rbg')
GAUSS = DatasetInfo('gaussian', (2,), 'vector')
IMAGES = DatasetInfo('tiny', (4, 4, 2), 'image')


def vector_config(**model):
  c = maf_toy2d.get_config('smoke')
  c.model.update(model)
  return c


def image_config(kind, **model):
  c = (realnvp_cifar10 if kind == 'realnvp' else glow_digits).get_config('smoke')
  c.data.dequantize, c.model.dequantization = True, 'uniform'
  c.model.update(kind=kind, multiscale=dict(num_scales=2), **model)
  return c


def random_model(config, info, batch, seed=0):
  """The model and random (not identity-initialised) params for it."""
  model = flow.FAMILY.model(config, info)
  shapes = jax.eval_shape(model.init, KEY, batch)[0]
  return model, random_like(shapes, np.random.default_rng(seed))


def vectors(n=4, seed=0):
  return {'x': jnp.asarray(np.random.default_rng(seed).normal(size=(n, 2)), jnp.float32)}


def images(n=4, seed=0, low=0.0):
  x = np.random.default_rng(seed).uniform(low, 1.0, size=(n,) + IMAGES.shape)
  return {'x': jnp.asarray(x * (1 - low) + low if low else x, jnp.float32)}


@pytest.mark.parametrize('config, info, batch, atol', [
    (vector_config(kind='nice'), GAUSS, vectors(), 1e-5),
    (vector_config(kind='realnvp'), GAUSS, vectors(), 1e-5),
    (vector_config(kind='glow', glow=dict(lu=False)), GAUSS, vectors(), 1e-4),
    (vector_config(kind='maf'), GAUSS, vectors(), 1e-5),
    (vector_config(kind='iaf'), GAUSS, vectors(), 1e-5),
    (vector_config(kind='cnf', cnf=dict(num_steps=8)), GAUSS, vectors(), 1e-3),
    (image_config('realnvp'), IMAGES, images(), 1e-4),        # logit on [0, 1]
    (image_config('glow'), IMAGES, images(low=-1.0), 1e-4),
    (image_config('nice'), IMAGES, images(low=-1.0), 1e-5),
], ids=['nice', 'realnvp', 'glow', 'maf', 'iaf', 'cnf', 'realnvp_img', 'glow_img', 'nice_img'])
def test_full_model_inverts(config, info, batch, atol):
  model, params = random_model(config, info, batch)
  out = jax.jit(model.modes['interpolate'])(params, {}, batch, KEY)
  x = np.asarray(batch['x'])
  for path in ('linear', 'spherical'):
    got = np.asarray(out[path]).reshape((2, 8) + x.shape[1:])   # rows: pairs (0, 1), (2, 3)
    np.testing.assert_allclose(got[:, 0], x[[0, 2]], atol=atol, rtol=1e-4)
    np.testing.assert_allclose(got[:, -1], x[[1, 3]], atol=atol, rtol=1e-4)


def test_flow_on_the_gaussian_toy_reaches_its_entropy():
  # One Glow step (actnorm, LU linear map, coupling) can represent the Gaussian exactly.
  config = vector_config(kind='glow', num_layers=1, hidden=(8,))
  config.train.optimizer.learning_rate = 3e-2
  train = toy.make_source('gaussian', 'train', 4096)
  test = toy.make_source('gaussian', 'test', 8192)
  model = flow.FAMILY.model(config, train.info)
  params, ms = jax.jit(model.init)(KEY, {'x': train.x})
  opt = optax.adam(3e-2)
  loss_fn = model.players[0].loss_fn

  @jax.jit
  def fit(params):
    def step(carry, _):
      p, s = carry
      grads = jax.grad(lambda q: loss_fn(q, ms, {'x': train.x}, KEY, 0)[0])(p)
      updates, s = opt.update(grads, s, p)
      return (optax.apply_updates(p, updates), s), None
    return jax.lax.scan(step, (params, opt.init(params)), None, length=300)[0][0]

  params = fit(params)
  nll = float(jax.jit(model.evaluate)(params, ms, {'x': test.x}, KEY)['nll'].mean())
  # The test split's own Gaussian fit differs from the true one by sampling error ~0.01.
  assert abs(nll - toy.GAUSSIAN_ENTROPY) < 0.03, (nll, toy.GAUSSIAN_ENTROPY)


def test_modes_sampling_and_temperature():
  batch = images(n=4, low=-1.0)
  config = image_config('nice')
  model, params = random_model(config, IMAGES, batch)
  assert set(model.modes) == {'anomaly', 'interpolate', 'temperature'}
  run = lambda name: jax.jit(model.modes[name])(params, {}, batch, KEY)
  ev = jax.jit(model.evaluate)(params, {}, batch, KEY)
  scores = run('anomaly')
  np.testing.assert_allclose(scores['score_nll'], ev['nll'])
  np.testing.assert_allclose(scores['score_bpd'], ev['bpd'])
  temp = run('temperature')
  assert temp['samples'].shape == (6, 8) + IMAGES.shape
  # Temperature 0: every column is the image of z = 0.
  np.testing.assert_allclose(temp['samples'][0], np.broadcast_to(temp['samples'][0, :1],
                                                                 (8,) + IMAGES.shape), atol=1e-5)
  assert not np.allclose(temp['samples'][-1, 0], temp['samples'][-1, 1])
  config.sample.temperature = 0.0
  model = flow.FAMILY.model(config, IMAGES)
  s = jax.jit(model.sample, static_argnums=3)(params, {}, KEY, 2, batch)
  np.testing.assert_allclose(s, temp['samples'][0, :2], atol=1e-5)
