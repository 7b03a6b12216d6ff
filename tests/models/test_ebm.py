"""EBM model: the loss against a hand computation, stop-gradient negatives, spectral norm
state, class-conditional energies, evaluation, and the modes on a known energy."""
import dataclasses
import functools
import math

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.ebm import toy
from gdm.data.source import DatasetInfo
from gdm.metrics.auroc import auroc
from gdm.models import ebm
from gdm.models.ebm import family
from gdm.models.ebm import modes as ebm_modes
from gdm.models.ebm.nets import ResNetEnergy, build_net
from gdm.train.config import parse_run
from tests.helpers import random_like

KEY = jax.random.key(0, impl='rbg')     # fast to compile on CPU
TOY = DatasetInfo('eight_gaussians', (2,), 'vector', num_classes=8)
IMAGES = DatasetInfo('tiny', (8, 8, 1), 'image', num_classes=3)


def toy_config(**model):
  c = toy.get_config('smoke')
  c.model.update(model)
  return c


def image_config(**model):
  c = toy_config(net='resnet', resnet=dict(channels=(4,)), spectral_norm=True, **model)
  c.data.name = 'mnist'
  return c


def typed(config):
  """The parsed RunConfig of a config dict (what the family's functions take)."""
  return parse_run(config, ebm.FAMILY.config)


def random_state(model, batch, seed=0):
  """Params and model state with random values, without compiling flax's initialisers."""
  params, state = jax.eval_shape(model.init, KEY, batch)
  rng = np.random.default_rng(seed)
  params = random_like(params, rng)
  state = jax.tree.map(lambda s: jnp.asarray(rng.uniform(-1, 1, s.shape), s.dtype), state)
  return params, state


def test_loss_is_cd_plus_regulariser_with_constant_negatives():
  config = toy_config(alpha=0.3)
  model = ebm.FAMILY.model(config, TOY)
  batch = {'x': jnp.asarray(np.random.default_rng(1).normal(size=(16, 2)), jnp.float32),
           'y': jnp.zeros((16,), jnp.int32)}
  params, state = random_state(model, batch)
  step = jax.jit(jax.value_and_grad(model.players[0].loss_fn, has_aux=True))
  (loss, (metrics, new_state)), grads = step(params, state, batch, KEY, 0)
  old, new = np.asarray(state['buffer']['x']), np.asarray(new_state['buffer']['x'])
  changed = np.any(old != new, axis=1)
  assert changed.sum() == 16                     # one written slot per negative
  x_neg = jnp.asarray(new[changed])              # the chains' end points, as constants
  assert np.all(np.abs(new) <= config.model.noise_range)

  net = build_net(typed(config).model, 1, jnp.float32)

  def by_hand(p):
    e_d = net.apply({'params': p['model']}, batch['x'])[:, 0]
    e_n = net.apply({'params': p['model']}, x_neg)[:, 0]
    return e_d.mean() - e_n.mean() + 0.3 * (jnp.mean(e_d ** 2) + jnp.mean(e_n ** 2))

  want, want_grads = jax.jit(jax.value_and_grad(by_hand))(params)
  assert float(loss) == pytest.approx(float(want), rel=1e-5)
  for g, w in zip(jax.tree.leaves(grads), jax.tree.leaves(want_grads)):
    np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-6)
  assert float(metrics['cd']) == pytest.approx(
      float(metrics['energy_data'] - metrics['energy_neg']), rel=1e-5, abs=1e-6)

  out = jax.jit(model.evaluate)(params, new_state, batch, KEY)
  assert set(out) == {'loss', 'energy_gap', 'energy', 'energy_neg', 'energy_noise'}
  assert all(v.shape == (16,) for v in out.values())
  e = net.apply({'params': params['model']}, batch['x'])[:, 0]
  np.testing.assert_allclose(out['energy'], e, rtol=1e-5)
  np.testing.assert_allclose(out['loss'], out['energy'] - out['energy_neg'] + 0.3 * (
      out['energy'] ** 2 + out['energy_neg'] ** 2), rtol=1e-5, atol=1e-6)


def test_spectral_norm_power_iteration_finds_the_top_singular_value():
  net = ResNetEnergy(channels=(4, 8), blocks=1)
  x = jnp.zeros((2, 8, 8, 1))
  shapes = jax.eval_shape(net.init, KEY, x)
  rng = np.random.default_rng(0)
  params = random_like(shapes['params'], rng)
  stats = random_like(shapes['batch_stats'], rng)

  @jax.jit
  def iterate(stats):
    def body(_, s):
      return net.apply({'params': params, 'batch_stats': s}, x, update_stats=True,
                       mutable=['batch_stats'])[1]['batch_stats']
    return jax.lax.fori_loop(0, 200, body, stats)

  stats = iterate(stats)
  flat_p = {jax.tree_util.keystr(k[:-2]): v for k, v in
            jax.tree_util.tree_flatten_with_path(params)[0] if k[-1].key == 'kernel'}
  sigmas = {jax.tree_util.keystr(k[:-1]): float(v) for k, v in
            jax.tree_util.tree_flatten_with_path(stats)[0] if k[-1].key.endswith('sigma')}
  assert len(sigmas) == len(flat_p) == 7       # conv_in, 2 blocks x 2 convs, 1 skip, head
  for path, kernel in flat_p.items():
    top = np.linalg.svd(np.asarray(kernel).reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
    sigma = [s for p, s in sigmas.items() if p.startswith(path)]
    assert len(sigma) == 1 and sigma[0] == pytest.approx(top, rel=1e-3), path


def test_resnet_train_step_advances_spectral_norm_and_stays_in_range():
  model = ebm.FAMILY.model(image_config(), IMAGES)
  batch = {'x': jnp.asarray(np.random.default_rng(2).uniform(-1, 1, (16, 8, 8, 1)),
                            jnp.float32)}
  params, state = random_state(model, batch)
  _, (_, new_state) = jax.jit(model.players[0].loss_fn)(params, state, batch, KEY, 0)
  changed = jax.tree.map(lambda a, b: bool(np.any(np.asarray(a) != np.asarray(b))),
                         state['spectral'], new_state['spectral'])
  assert jax.tree.leaves(changed) and all(jax.tree.leaves(changed))
  x_new = np.asarray(new_state['buffer']['x'])
  assert x_new.min() >= -1 and x_new.max() <= 1          # chains stay in the pixel range


def test_class_conditional_energy():
  config = toy_config(conditional=True)
  model = ebm.FAMILY.model(config, TOY)
  rng = np.random.default_rng(2)
  y = jnp.asarray(np.arange(16) % 8, jnp.int32)
  batch = {'x': jnp.asarray(rng.normal(size=(16, 2)), jnp.float32), 'y': y}
  params, state = random_state(model, batch)
  state['buffer']['y'] = jnp.asarray(np.arange(64) % 8, jnp.int32)
  _, (_, new_state) = jax.jit(model.players[0].loss_fn)(params, state, batch, KEY, 0)
  moved = np.any(np.asarray(new_state['buffer']['x']) != np.asarray(state['buffer']['x']), 1)
  # Written slots keep their label, or take the paired data label when restarted.
  y_new, y_old = np.asarray(new_state['buffer']['y']), np.asarray(state['buffer']['y'])
  assert moved.sum() == 16 and np.all(y_new[~moved] == y_old[~moved])

  out = build_net(typed(config).model, 8, jnp.float32).apply(
      {'params': params['model']}, batch['x'])
  ev = jax.jit(model.evaluate)(params, state, batch, KEY)
  np.testing.assert_allclose(ev['energy'], np.asarray(out)[np.arange(16), y], rtol=1e-5)
  ood = jax.jit(model.modes['ood'])(params, state, batch, KEY)
  class_free = -jax.scipy.special.logsumexp(-out, axis=1)
  np.testing.assert_allclose(ood['energy_data'], class_free, rtol=1e-5)
  cond = jax.jit(model.modes['conditional'])(params, state, batch, KEY)
  assert cond['samples'].shape == (64, 2)
  np.testing.assert_array_equal(cond['labels'], np.repeat(np.arange(8), 8))
  assert 'conditional' not in ebm.FAMILY.model(toy_config(), TOY).modes


class Quadratic(nn.Module):
  """E(x) = |x - center|^2 / 2 (no params), whose energy descent converges to `center`."""
  center: jax.Array

  def __call__(self, x, update_stats=False):
    return 0.5 * jnp.sum((x - self.center) ** 2, axis=tuple(range(1, x.ndim)))[:, None]


def quadratic_modes(center):
  """The modes of an image EBM (pixels in [-1, 1], SGLD step 0.1, 150 noiseless restore
  steps, corruption std 0.5) whose energy is `Quadratic(center)`."""
  c = image_config(sgld=dict(step_size=0.1),
                   restore=dict(steps=150, noise=0.0, corrupt_std=0.5))
  q = dataclasses.replace(family.build(typed(c), IMAGES), net=Quadratic(center))
  assert q.bounds == (-1.0, 1.0) and not q.num_classes
  return {name: functools.partial(fn, q) for name, fn in ebm_modes.modes_of(q).items()}


def test_modes_on_a_known_energy():
  rng = np.random.default_rng(3)
  x = jnp.asarray(rng.uniform(-0.8, 0.8, (10, 8, 8, 1)), jnp.float32)
  modes = quadratic_modes(x[:8])
  batch, params = {'x': x}, {'model': {}}
  out = jax.jit(modes['denoise'])(params, {}, batch, KEY)
  assert out['denoise'].shape == (3, 8, 8, 8, 1)
  # Noiseless descent on |x - c|^2 / 2 shrinks the error by 0.9 per step: 0.9^150 ~ 1e-7.
  assert np.all(out['mse_noisy'] > 0.05) and np.all(out['mse_restored'] < 1e-10)
  out = jax.jit(modes['inpaint'])(params, {}, batch, KEY)
  start, filled, clean = out['inpaint']
  np.testing.assert_array_equal(filled[:, :4], clean[:, :4])       # observed half fixed
  np.testing.assert_allclose(filled, clean, atol=1e-5)             # missing half restored
  assert np.all(out['start_mse'] > 0.1) and np.all(out['missing_mse'] < 1e-10)

  far = quadratic_modes(jnp.zeros((1, 8, 8, 1)))['ood']
  out = jax.jit(far)(params, {}, {'x': 0.1 * x}, KEY)    # data near the energy's minimum
  assert float(out['auroc_noise']) == pytest.approx(float(auroc(out['energy_data'],
                                                                out['energy_noise'])))
  assert float(out['auroc_noise']) == 1.0
  np.testing.assert_allclose(out['energy_shuffled'].sum(), out['energy_data'].sum(), rtol=1e-4)


def test_bounds_follow_the_data_range():
  c = image_config()
  assert family.bounds_of(typed(c), IMAGES) == (-1.0, 1.0)
  c.data.scale = 'zero_one'
  assert family.bounds_of(typed(c), IMAGES) == (0.0, 1.0)
  assert family.bounds_of(typed(toy_config(noise_range=3.0)), TOY) == (-3.0, 3.0)
  assert math.isfinite(family.bounds_of(typed(c), IMAGES)[1])
