"""Diffusion model: the UNet's size, the model's loss against the objective functions,
guidance, conditioning and the launcher modes (inpaint, denoise, super_resolution)."""
import math

import jax
import jax.numpy as jnp
import numpy as np

from experiments.configs.diffusion import ddpm_toy, sr_cifar10
from gdm.data.source import DatasetInfo
from gdm.diffusion import guidance, schedules
from gdm.diffusion.processes import PROCESSES
from gdm.diffusion.samplers import SAMPLERS
from gdm.models import diffusion
from gdm.models.diffusion.config import DiffusionConfig
from gdm.models.diffusion.family import low_res_condition
from gdm.models.diffusion.nets import build_net
from gdm.nn.unet import UNet
from gdm.objectives import score_matching as sm
from gdm.utils import schema
from tests.helpers import random_like
from tests.models import diffusion_toy

KEY, TOY = diffusion_toy.KEY, diffusion_toy.TOY


def count(tree):
  return sum(math.prod(leaf.shape) for leaf in jax.tree.leaves(tree))


def test_ddpm_unet_has_35_7m_parameters():
  shapes = jax.eval_shape(UNet(out_ch=3).init, KEY, jnp.zeros((1, 32, 32, 3)), jnp.zeros((1,)))
  assert count(shapes) == 35_746_307          # Ho et al.: 35.7M
  # Class conditioning adds one embedding row of width 4 * 128 per class plus the null class.
  cond = jax.eval_shape(UNet(out_ch=3, num_classes=10).init, KEY, jnp.zeros((1, 32, 32, 3)),
                        jnp.zeros((1,)), jnp.zeros((1,), jnp.int32))
  assert count(cond) - count(shapes) == 11 * 512


def toy_model(**model):
  return diffusion_toy.toy_model(ddpm_toy, **model)


def test_ddpm_loss_is_the_objective():
  for param in ('eps', 'v'):
    config, m, params, state, batch = toy_model(parameterization=param)
    loss, _ = jax.jit(m.players[0].loss_fn)(params, state, batch, KEY, 0)
    net = build_net(schema.parse(DiffusionConfig, config.model), 2, 0, jnp.float32)
    s = schedules.make_schedule('linear', config.model.ddpm.num_timesteps)
    k_t, k_noise, _, _ = jax.random.split(KEY, 4)
    t = jax.random.randint(k_t, (16,), 0, config.model.ddpm.num_timesteps)
    noise = jax.random.normal(k_noise, (16, 2))
    a, sigma = schedules.marginal(s, t, batch['x'])
    xt = a * batch['x'] + sigma * noise
    out = net.apply({'params': params['model']}, xt, t.astype(jnp.float32))
    expected = sm.dsm_loss(out, batch['x'], noise, a, sigma, param).mean()
    np.testing.assert_allclose(float(loss), float(expected), rtol=1e-5)


def test_hybrid_loss_with_importance_sampling_updates_the_state():
  _, m, params, state, batch = toy_model(ddpm=dict(loss='vlb', variance='learned_range',
                                                   importance_sampling=True))
  loss, (_, new_state) = jax.jit(m.players[0].loss_fn)(params, state, batch, KEY, 0)
  assert np.isfinite(float(loss))
  assert bool(new_state['importance']['seen'].any())
  assert float(new_state['importance']['mean_sq'].max()) > 0


def test_classifier_free_guidance():
  def fn(x, t, y):   # a fake network: 3 "eps" channels and 1 variance channel
    return jnp.concatenate([x + y[:, None].astype(jnp.float32)] * 3 + [10 * x + y[:, None]], 1)

  x, t, y = jnp.ones((2, 1)), jnp.zeros((2,)), jnp.array([2, 5])
  out = guidance.guided(fn, y, 10, 0.5, channels=3)(x, t)
  cond, uncond = fn(x, t, y), fn(x, t, jnp.full_like(y, 10))
  np.testing.assert_allclose(out[:, :3], 1.5 * cond[:, :3] - 0.5 * uncond[:, :3])
  np.testing.assert_allclose(out[:, 3:], cond[:, 3:])
  np.testing.assert_allclose(guidance.guided(fn, y, 10, 0.0)(x, t), cond)
  dropped = guidance.drop_labels(KEY, jnp.zeros((10_000,), jnp.int32), 0.1, 10)
  assert set(np.unique(np.asarray(dropped))) == {0, 10}
  np.testing.assert_allclose(float((dropped == 10).mean()), 0.1, atol=0.015)
  # A guided class-conditional toy samples one point per requested label.
  _, m, params, state, batch = toy_model(class_conditional=True, guidance_scale=2.0)
  x = jax.jit(m.sample, static_argnums=3)(params, state, KEY, 8, batch)
  assert x.shape == (8, 2) and bool(jnp.all(jnp.isfinite(x)))


def test_inpaint_keeps_the_known_coordinates_and_denoise_runs():
  for method in ('replace', 'repaint'):
    _, m, params, state, batch = toy_model(inpaint_mask='right', inpaint_method=method)
    out = jax.jit(m.modes['inpaint'])(params, state, batch, KEY)
    np.testing.assert_allclose(out['result'][:, 0], batch['x'][:, 0], atol=1e-6)
    assert out['missing_mse'].shape == (16,) and bool(jnp.all(jnp.isfinite(out['result'])))
  out = jax.jit(m.modes['denoise'])(params, state, batch, KEY)
  assert out['result'].shape == (16, 2)
  s = schedules.make_schedule('linear', 1000)
  t = schedules.noise_level_index(s, 0.2)
  ab = float(s.alpha_bar[t])
  assert abs(math.sqrt((1 - ab) / ab) - 0.2) < 0.01


def test_super_resolution_conditioning_and_mode():
  # A block-constant image is its own low-resolution version.
  small = np.random.default_rng(0).uniform(-1, 1, (2, 4, 4, 3)).astype(np.float32)
  x = jnp.asarray(np.repeat(np.repeat(small, 2, 1), 2, 2))
  pooled = x.reshape(2, 4, 2, 4, 2, 3).mean((2, 4))
  np.testing.assert_allclose(pooled, small, atol=1e-6)
  cond = low_res_condition(x, 4)
  assert cond.shape == x.shape
  np.testing.assert_allclose(low_res_condition(jnp.full((1, 8, 8, 3), 0.3), 4), 0.3,
                             atol=1e-5)
  config = sr_cifar10.get_config('smoke')
  info = DatasetInfo('cifar10', (8, 8, 3), 'image', num_classes=10)
  m = diffusion.FAMILY.model(config, info)
  batch = {'x': x, 'y': jnp.zeros((2,), jnp.int32)}
  params = random_like(jax.eval_shape(m.init, KEY, batch)[0], np.random.default_rng(1))
  out = jax.jit(m.modes['super_resolution'])(params, {}, batch, KEY)
  assert out['super_resolution'].shape == (3, 2, 8, 8, 3)
  assert set(m.modes) == {'inpaint', 'denoise', 'super_resolution'}


def test_every_process_names_its_section_and_samplers():
  """A process is a PROCESSES entry whose config section is a DiffusionConfig field and whose
  samplers are SAMPLERS entries (the family reads nothing else about it)."""
  fields = set(DiffusionConfig.__dataclass_fields__)
  for name, entry in PROCESSES.items():
    assert entry.section in fields, name
    assert entry.samplers and set(entry.samplers) <= set(SAMPLERS), name
  assert all(not s.options or s.options in fields for s in SAMPLERS.values())
