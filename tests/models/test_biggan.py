"""BigGAN in the GAN family: the hierarchical latent and the shared class embedding condition
every block, G's spectral norm keeps its own power iterations (advanced by G's update only),
the orthogonal and drift terms enter the losses with their weights, truncated sampling."""
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.gan import biggan_digits, progan_digits
from gdm.data.source import DatasetInfo
from gdm.models import gan
from gdm.models.gan import family
from gdm.train import state as state_lib
from gdm.train.config import parse_run
from gdm.train.step import make_train_step
from tests.helpers import flat, random_like

KEY = jax.random.key(0, impl='rbg')
DIGITS = DatasetInfo('digits', (16, 16, 1), 'image', num_classes=10)


def build(**model):
  config = biggan_digits.get_config('smoke')
  config.model.update(model)
  return family.build(parse_run(config, gan.FAMILY.config), DIGITS)


def batch(n=8):
  rng = np.random.default_rng(0)
  return {'x': jnp.asarray(rng.uniform(-1, 1, (n, 16, 16, 1)), jnp.float32),
          'y': jnp.arange(n) % 10}


def setup(g):
  return random_like(jax.eval_shape(functools.partial(family.init, g), KEY, batch()),
                     np.random.default_rng(0))


def test_every_latent_chunk_and_the_class_condition_the_generator():
  g = build()
  params, ms = setup(g)
  gp = params['generator']
  assert [v.shape for v in jax.tree.leaves(gp['in'])] == [(4 * 4 * 8,), (3, 4 * 4 * 8)]
  assert gp['shared']['embedding'].shape == (10, 4)
  z, y = jax.random.normal(KEY, (8, 9)), jnp.arange(8) % 10
  out = family.generate(g, gp, z, y, {}, ms)
  assert out.shape == (8, 16, 16, 1)
  for chunk in range(3):     # the input layer's chunk and one per block
    z2 = z.at[:, 3 * chunk:3 * chunk + 3].add(1.0)
    assert not np.allclose(family.generate(g, gp, z2, y, {}, ms), out), chunk
  assert not np.allclose(family.generate(g, gp, z, (y + 1) % 10, {}, ms), out)
  assert 'embed' in params['discriminator']['heads']      # the projection discriminator
  assert 'attention' in gp and 'attention' in params['discriminator']


def test_generator_spectral_norm_advances_in_the_generator_update_only():
  g = build()
  model = gan.FAMILY.model(parse_run(biggan_digits.get_config('smoke'), gan.FAMILY.config),
                           DIGITS)
  params, ms = setup(g)
  assert set(ms) == {'discriminator', 'generator'}
  before = flat(ms['generator'])
  assert before and all(k.endswith("/u']") or k.endswith("/sigma']") for k in before)
  d_player, g_player = model.players
  two = {k: jnp.stack([v, v]) for k, v in batch().items()}
  state = state_lib.create(params, ms, {p.name: p.optimizer for p in model.players})
  d_only = jax.jit(make_train_step((d_player,), lambda b, k, t: b, 0.5))
  after_d, _ = d_only(state, two, jax.random.PRNGKey(0))
  jax.tree.map(np.testing.assert_array_equal, after_d.model_state['generator'], ms['generator'])
  _, (_, g_state) = g_player.loss_fn(params, ms, batch(), KEY, 0)
  moved = flat(g_state['generator'])
  assert all(not np.array_equal(before[k], moved[k]) for k in before if k.endswith("/u']"))


@pytest.mark.parametrize('config_module, term, weight, player', [
    (biggan_digits, 'ortho_penalty', 'ortho_weight', 1),
    (progan_digits, 'drift_penalty', 'drift_weight', 0),
])
def test_weighted_terms_enter_the_losses(config_module, term, weight, player):
  def losses(w):
    config = config_module.get_config('smoke')
    config.model[weight] = w
    if config_module is progan_digits:
      config.model.regularizer = 'none'
    g = family.build(parse_run(config, gan.FAMILY.config), DIGITS)
    params, ms = setup(g)
    fn = (family.discriminator_loss, family.generator_loss)[player]
    loss, (metrics, _) = fn(g, params, ms, batch(), KEY, 0)
    return float(loss), {k: float(v) for k, v in metrics.items()}

  l0, m0 = losses(0.0)
  l2, m2 = losses(2.0)
  assert term not in m0
  assert l2 - l0 == pytest.approx(2.0 * m2[term], rel=1e-4, abs=1e-6)
  assert m2[term] > 0


def test_truncated_sampling_draws_bounded_latents():
  g = build(truncation=0.3)
  z, _ = family.draw(g, KEY, 64, g.m.truncation)
  assert float(jnp.abs(z).max()) <= 0.3 and float(jnp.abs(z).max()) > 0.1
  params, ms = setup(g)
  assert family.sample(g, params, ms, KEY, 20, batch()).shape == (20, 16, 16, 1)
