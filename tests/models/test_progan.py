"""Progressive GAN: the growing schedule's values, fade-in at alpha 0 and 1 against the
networks of the lower and higher resolution, the blended reals, and a run preempted during a
fade-in resuming bit-identically with one parameter tree throughout."""
import functools
import os
import shutil

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.gan import progan_digits
from experiments.families import FAMILIES
from gdm.data.source import DatasetInfo
from gdm.models.gan import family, growth
from gdm.models.gan.progan_nets import ProGANDiscriminator, ProGANGenerator
from gdm.train import loop
from gdm.train.config import parse_run
from tests.helpers import flat, random_like, read_checkpoint

KEY = jax.random.key(0, impl='rbg')
CHANNELS = (6, 5, 4)                  # 4x4, 8x8, 16x16


def test_schedule_levels_and_alphas():
  g = growth.Growth(num_levels=3, stable_steps=10, fade_steps=4)
  got = [tuple(float(v) for v in g.level_and_alpha(s)) for s in (0, 9, 10, 12, 14, 23, 24,
                                                                 26, 28, 1000)]
  assert got == [(0, 1), (0, 1), (1, 0), (1, 0.5), (1, 1), (1, 1), (2, 0), (2, 0.5), (2, 1),
                 (2, 1)]
  assert g.full_steps == 28
  assert growth.Growth(1, 10, 4).full_steps == 0
  assert [growth.levels_for(s) for s in (4, 8, 16, 128, 28, 2, 12)] == [1, 2, 3, 6, 0, 0, 0]


def _subtree(params, resolutions):
  """The parameters of the layers of the given resolutions (a smaller network's tree)."""
  res = lambda name: int(name.split('_')[-1]) if '_' in name else 0  # noqa: E731
  return {k: v for k, v in params.items() if res(k) in resolutions}


def _params(module, *args):
  shapes = jax.eval_shape(lambda: module.init(KEY, *args))['params']
  return random_like(shapes, np.random.default_rng(0))


def test_generator_fade_in_at_alpha_0_and_1_is_the_lower_and_the_higher_network():
  z = jax.random.normal(KEY, (4, 8))
  full = ProGANGenerator(CHANNELS, 3, 'linear')
  p = _params(full, z)
  assert set(p) == {'dense_4', 'conv_4', 'conv0_8', 'conv1_8', 'conv0_16', 'conv1_16',
                    'to_rgb_4', 'to_rgb_8', 'to_rgb_16'}
  for level in (1, 2):
    res = 4 * 2 ** level
    lower = ProGANGenerator(CHANNELS[:level], 3, 'linear')
    higher = ProGANGenerator(CHANNELS[:level + 1], 3, 'linear')
    lo = lower.apply({'params': _subtree(p, range(res // 2 + 1))}, z)
    hi = higher.apply({'params': _subtree(p, range(res + 1))}, z)
    at0 = full.apply({'params': p}, z, level=level, alpha=0.0)
    at1 = full.apply({'params': p}, z, level=level, alpha=1.0)
    half = full.apply({'params': p}, z, level=level, alpha=0.5)
    up = 16 // res
    np.testing.assert_allclose(at0, growth.upscale(lo, 2 * up), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(at1, growth.upscale(hi, up), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(half, (at0 + at1) / 2, rtol=1e-5, atol=1e-6)
    assert not np.allclose(at0, at1)


def test_discriminator_fade_in_at_alpha_0_and_1_is_the_lower_and_the_higher_network():
  x = jax.random.normal(KEY, (8, 16, 16, 3))
  full = ProGANDiscriminator(CHANNELS, mbstd_group=4)
  p = _params(full, x)
  for level in (1, 2):
    res = 4 * 2 ** level
    lower = ProGANDiscriminator(CHANNELS[:level], mbstd_group=4)
    higher = ProGANDiscriminator(CHANNELS[:level + 1], mbstd_group=4)
    lo = lower.apply({'params': _subtree(p, range(res // 2 + 1))},
                     growth.downscale(x, 32 // res))['score']
    hi = higher.apply({'params': _subtree(p, range(res + 1))},
                      growth.downscale(x, 16 // res))['score']
    at0 = full.apply({'params': p}, x, level=level, alpha=0.0)['score']
    at1 = full.apply({'params': p}, x, level=level, alpha=1.0)['score']
    np.testing.assert_allclose(at0, lo, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(at1, hi, rtol=1e-4, atol=1e-5)
    assert not np.allclose(at0, at1)


def test_real_images_are_blended_like_the_generator_output():
  g = growth.Growth(num_levels=3, stable_steps=2, fade_steps=4)
  x = jax.random.normal(KEY, (2, 16, 16, 1))
  at8 = growth.upscale(growth.downscale(x, 2), 2)
  at4 = growth.upscale(growth.downscale(x, 4), 4)
  np.testing.assert_allclose(growth.blend_reals(g, x, 0), at4, atol=1e-6)
  np.testing.assert_allclose(growth.blend_reals(g, x, 2), at4, atol=1e-6)       # alpha 0
  np.testing.assert_allclose(growth.blend_reals(g, x, 4), (at4 + at8) / 2, atol=1e-6)
  np.testing.assert_allclose(growth.blend_reals(g, x, 6), at8, atol=1e-6)       # alpha 1
  np.testing.assert_allclose(growth.blend_reals(g, x, 99), x, atol=1e-6)


def test_every_level_and_select_equals_lax_switch():
  """The CPU path (all_levels: every level's net, then a select) gives the switch's outputs
  and gradients at 4x4, fading into 8x8 and fading into 16x16 (one compile per path: the
  step is traced), the inactive levels' parameters included (zero)."""
  z, x = jax.random.normal(KEY, (4, 8)), jax.random.normal(KEY, (4, 16, 16, 3))
  gen, disc = ProGANGenerator(CHANNELS, 3, 'linear'), ProGANDiscriminator(CHANNELS, 4)
  gp, dp = _params(gen, z), _params(disc, x)

  def loss(gp, dp, step, all_levels):
    g = growth.Growth(num_levels=3, stable_steps=2, fade_steps=4, all_levels=all_levels)
    fake = growth.apply_grown(gen, g, step, {'params': gp}, z)
    real = growth.blend_reals(g, x, step)
    score = growth.apply_grown(disc, g, step, {'params': dp}, jnp.concatenate([fake, real]))
    return jnp.sum(score['score'] * jnp.arange(8.0)), (fake, real)

  grad = jax.jit(jax.value_and_grad(loss, (0, 1), has_aux=True), static_argnums=3)
  for step in (0, 4, 10):
    (switched, s_out), s_grads = grad(gp, dp, step, False)
    (selected, a_out), a_grads = grad(gp, dp, step, True)
    np.testing.assert_allclose(selected, switched, rtol=1e-5)
    chex.assert_trees_all_close((a_out, a_grads), (s_out, s_grads), rtol=1e-4, atol=1e-5)
    level, alpha = growth.Growth(3, 2, 4).level_and_alpha(step)
    unused = level < 2 or alpha == 0               # 16x16's toRGB: off, or faded in at 0
    assert np.all(a_grads[0]['to_rgb_16']['kernel'] == 0) == unused


def test_branching_auto_is_all_levels_on_cpu():
  info = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)
  run = lambda b: parse_run(_config(8, branching=b), FAMILIES['gan'].config)  # noqa: E731
  pick = lambda b: family.build(run(b), info).growth.all_levels  # noqa: E731
  assert (pick('auto'), pick('all'), pick('switch')) == (jax.default_backend() == 'cpu',
                                                        True, False)
  with pytest.raises(ValueError, match="unknown branching 'select' in model.progan.branching"):
    run('select')


def _config(num_steps, **progan):
  config = progan_digits.get_config('smoke')
  config.data.image_size = 8
  config.model.progan.update(channels=(4, 4), stable_steps=2, fade_steps=4, **progan)
  config.train.update(num_steps=num_steps, checkpoint_every=1, keep_checkpoints=20,
                      log_every=1, eval_every=0, sample_every=0)
  return config


def test_preempted_during_a_fade_in_resumes_bit_identically(tmp_path):
  config, one = _config(8), jax.devices()[:1]
  full = loop.train_and_evaluate(config, str(tmp_path / 'full'), FAMILIES['gan'], one)
  assert int(full.model_state['progress']) == 8
  # A kill at step 4 (level 1, alpha 0.5): the later checkpoints never got written.
  part = str(tmp_path / 'part')
  shutil.copytree(tmp_path / 'full', part)
  for step in range(5, 9):
    shutil.rmtree(os.path.join(part, 'checkpoints', str(step)))
  saved = read_checkpoint(part, 4)
  assert int(saved['model_state']['progress']) == 4
  resumed = loop.train_and_evaluate(config, part, FAMILIES['gan'], one)
  for name in ('params', 'opt_state', 'ema_params', 'model_state'):
    chex.assert_trees_all_equal(getattr(full, name), getattr(resumed, name))
  # Every checkpoint holds the same tree: growing never changed the parameters' structure.
  first, last = flat(read_checkpoint(part, 1)), flat(read_checkpoint(part, 8))
  assert {k: v.shape for k, v in first.items()} == {k: v.shape for k, v in last.items()}
  assert not np.array_equal(first["['params']['generator']['to_rgb_8']['kernel']"],
                            last["['params']['generator']['to_rgb_8']['kernel']"])


@pytest.mark.parametrize('step, level', [(0, 0), (4, 1), (9, 1)])
def test_samples_follow_the_stored_progress(step, level):
  info = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)
  gan = family.build(parse_run(_config(8), FAMILIES['gan'].config), info)
  batch = {'x': jnp.zeros((4, 8, 8, 1)), 'y': jnp.arange(4)}
  params, ms = random_like(jax.eval_shape(functools.partial(family.init, gan), KEY, batch),
                           np.random.default_rng(0))
  ms = {**ms, 'progress': jnp.asarray(step, jnp.int32)}
  x = family.sample(gan, params, ms, KEY, 4, batch)
  if level == 0:     # a 4x4 image shown at 8x8: constant 2x2 blocks
    np.testing.assert_array_equal(x, growth.upscale(growth.downscale(x, 2), 2))
  else:
    assert not np.allclose(x, growth.upscale(growth.downscale(x, 2), 2))
