"""GAN model: each player's real train step moves only its own params, losses are the
objectives plus their weighted terms, networks have the paper shapes, modes run."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.gan import mlp_eight_gaussians
from gdm.data.source import DatasetInfo
from gdm.models import gan
from gdm.models.gan import family, nets
from gdm.objectives.adversarial import LOSSES, auxiliary
from gdm.train import state as state_lib
from gdm.train.config import parse_run
from gdm.train.step import make_train_step
from tests.helpers import flat, random_like

RING = DatasetInfo('eight_gaussians', (2,), 'vector', num_classes=8)
KEY = jax.random.key(0, impl='rbg')


def toy_config(**model):
  c = mlp_eight_gaussians.get_config('smoke')
  c.model.update(model)
  return c


def networks(config, info=RING):
  """(generator, discriminator) of a config dict, as the family builds them."""
  g = family.build(parse_run(config, gan.FAMILY.config), info)
  return g.generator, g.discriminator


def toy_batch(n=8, k=None, seed=0):
  rng = np.random.default_rng(seed)
  shape = (n,) if k is None else (k, n)
  return {'x': jnp.asarray(rng.normal(size=shape + (2,)) * 2, jnp.float32),
          'y': jnp.asarray(rng.integers(0, 8, size=shape), jnp.int32)}


def setup(config, info=RING, batch=None):
  """Model and random params (flax's initialisers take seconds to compile on CPU). Tests
  run the functions eagerly: small ops compile once and are reused across configs, where a
  jit would compile every config anew."""
  model = gan.FAMILY.model(config, info)
  batch = toy_batch() if batch is None else batch
  params, model_state = random_like(jax.eval_shape(model.init, KEY, batch),
                                    np.random.default_rng(0))
  return model, params, model_state


def run_step(players, params, model_state, batch):
  """The trainer's real step, for the given players only."""
  step = jax.jit(make_train_step(players, lambda b, k, train: b, 0.5))
  state = state_lib.create(params, model_state, {p.name: p.optimizer for p in players})
  return step(state, batch, KEY)


def test_each_player_changes_only_its_own_params():
  config = toy_config(n_critic=2, spectral_norm=True, loss='wgan', weight_clip=0.05)
  model, params, ms = setup(config)
  d_player, g_player = model.players
  assert (d_player.name, d_player.steps, g_player.name) == ('discriminator', 2, 'generator')
  batch = toy_batch(k=2)
  before, u_before = flat(params), flat(ms)
  assert u_before and all(k.endswith("/u']") or k.endswith("/sigma']") for k in u_before)

  d_state, d_metrics = run_step((d_player,), params, ms, batch)
  after = flat(d_state.params)
  for name in before:      # (the WGAN loss does not depend on the score's bias)
    same = np.array_equal(before[name], after[name])
    assert same == name.startswith("['generator']") or name.endswith("['bias']"), name
  assert all(np.abs(v).max() <= 0.05 + 1e-7 for k, v in after.items()    # weight clipping
             if k.startswith("['discriminator']"))
  assert not any(np.array_equal(u_before[k], v) for k, v in flat(d_state.model_state).items()
                 if k.endswith("/u']"))          # power iteration advanced
  assert float(d_metrics['grad_norm']) > 0

  # Both players: the discriminator moves first (exactly as alone), then the generator,
  # which leaves the discriminator's params and power-iteration state as they were.
  state, metrics = run_step(model.players, params, ms, batch)
  jax.tree.map(np.testing.assert_array_equal, state.params['discriminator'],
               d_state.params['discriminator'])
  jax.tree.map(np.testing.assert_array_equal, state.model_state, d_state.model_state)
  after = flat(state.params)
  assert all(not np.array_equal(before[k], after[k]) for k in before
             if k.startswith("['generator']"))
  for key in ('discriminator/grad_norm', 'generator/grad_norm', 'discriminator/real_score',
              'discriminator/fake_score', 'discriminator/accuracy', 'generator/fake_score'):
    assert np.isfinite(float(metrics[key])), key


def losses(config, batch=None, seed=0):
  model, params, ms = setup(config, batch=batch)
  batch = toy_batch(seed=seed) if batch is None else batch
  out = []
  for player in model.players:
    loss, (metrics, _) = player.loss_fn(params, ms, batch, KEY, 0)
    out.append((float(loss), {k: float(v) for k, v in metrics.items()}))
  return out, (model, params, ms)


def test_loss_is_the_objective_on_the_networks_outputs():
  (d, g), (model, params, ms) = losses(toy_config(loss='hinge'))
  # Recompute with the same fakes: the D loss draws z from split(key)[0], the G loss from key.
  batch = toy_batch()
  gen, disc = networks(toy_config(loss='hinge'))
  z = jax.random.normal(jax.random.split(jax.random.split(KEY)[0], 3)[0], (8, 8))
  fake = gen.apply({'params': params['generator']}, z)
  score = lambda x: disc.apply({'params': params['discriminator']}, x)['score']
  want = LOSSES['hinge'].d_loss(score(batch['x']), score(fake)).mean()
  assert d[0] == pytest.approx(float(want), rel=1e-5)
  assert d[1]['real_score'] == pytest.approx(float(score(batch['x']).mean()), rel=1e-5)
  z = jax.random.normal(jax.random.split(KEY, 3)[0], (8, 8))
  g_want = LOSSES['hinge'].g_loss(None, score(gen.apply({'params': params['generator']}, z)))
  assert g[0] == pytest.approx(float(g_want.mean()), rel=1e-5)


@pytest.mark.parametrize('term, weight, extra', [
    ('gradient_penalty', 'penalty_weight', dict(regularizer='gradient_penalty')),
    ('r1_penalty', 'penalty_weight', dict(regularizer='r1')),
    ('aux_loss', 'aux_weight', dict(conditioning='acgan')),
    ('mi_lower_bound', 'info_weight', dict(info_categorical=3, info_continuous=2)),
])
def test_weighted_terms_enter_the_losses(term, weight, extra):
  """loss(weight w) - loss(weight 0) is w times the reported term, for D and for G."""
  (d0, g0), _ = losses(toy_config(**extra, **{weight: 0.0}))
  (d2, g2), _ = losses(toy_config(**extra, **{weight: 2.0}))
  scale = {'r1_penalty': 0.5 * 2.0, 'mi_lower_bound': -2.0}.get(term, 2.0)
  value = d2[1][term] - (auxiliary.info_code_entropy(3, 2) if term == 'mi_lower_bound' else 0)
  assert d2[0] - d0[0] == pytest.approx(scale * value, rel=1e-4, abs=1e-5)
  if term in g2[1]:     # acgan and InfoGAN terms are the generator's too
    value = g2[1][term] - (auxiliary.info_code_entropy(3, 2) if term == 'mi_lower_bound' else 0)
    assert g2[0] - g0[0] == pytest.approx(scale * value, rel=1e-4, abs=1e-5)
  else:
    assert g2[0] == pytest.approx(g0[0], rel=1e-6)


def test_conditioning_wires_labels_in():
  _, (model, params, ms) = losses(toy_config(conditioning='concat'))
  assert params['generator']['mlp']['dense0']['kernel'].shape == (8 + 8, 16)
  assert params['discriminator']['dense0']['kernel'].shape == (2 + 8, 16)
  _, (model, params, ms) = losses(toy_config(conditioning='projection'))
  assert params['discriminator']['heads']['embed']['embedding'].shape == (8, 16)
  grid = model.modes['conditional'](params, ms, toy_batch(), KEY)
  assert grid['samples'].shape == (8 * 8, 2)
  assert not np.allclose(grid['samples'][:8], grid['samples'][8:16])   # labels matter


def test_evaluate_and_sample():
  model, params, ms = setup(toy_config(loss='lsgan'))
  out = model.evaluate(params, ms, toy_batch(), KEY)
  assert {'loss', 'generator_loss', 'real_score', 'fake_score', 'accuracy', 'high_quality',
          'modes_covered'} <= set(out)
  assert all(v.shape == (8,) for v in out.values())
  on_real = 0.5 * (out['real_score'] - 1) ** 2
  np.testing.assert_allclose(out['loss'], on_real + 0.5 * out['fake_score'] ** 2, rtol=1e-5)
  assert 0 <= float(out['modes_covered'][0]) <= 8
  s = model.sample(params, ms, KEY, 5, toy_batch())
  assert s.shape == (5, 2)


@pytest.mark.parametrize('kind, size, g, d, attention, extra', [
    ('dcgan', 28, (8, 16), (8, 16), 14, {}),
    ('dcgan', 32, (8, 8, 16), (8, 8, 16), 0, dict(conv=dict(d_norm='layer'))),
    ('dcgan', 64, (8, 8, 8, 16), (8, 8, 8, 16), 0, {}),
    ('resnet', 32, (16, 16, 16), (8, 8, 8, 8), 16, dict(spectral_norm=True,
                                                         conditioning='projection')),
])
def test_image_networks_have_the_paper_shapes(kind, size, g, d, attention, extra):
  info = DatasetInfo('img', (size, size, 3), 'image', num_classes=10)
  config = toy_config(kind=kind, conv=dict(g_channels=g, d_channels=d, attention_res=attention))
  config.model.update(extra)
  gen, disc = networks(config, info)
  z, y = jnp.zeros((2, 8 + (0 if extra.get('conditioning') else 0))), jnp.array([1, 2])
  g_vars = jax.eval_shape(gen.init, KEY, z, y)
  x = jax.eval_shape(gen.apply, g_vars, z, y)
  assert x.shape == (2, size, size, 3)
  x = jnp.zeros((2, size, size, 3))
  d_vars = jax.eval_shape(lambda: disc.init(KEY, x, y, False))
  out = jax.eval_shape(lambda v: disc.apply(v, x, y, False), d_vars)
  assert out['score'].shape == (2,)
  if attention:
    assert 'attention' in d_vars['params'] and 'attention' in g_vars['params']
  if kind == 'dcgan':
    base = size // 2 ** len(g)
    assert g_vars['params']['in']['kernel'].shape[-1] == base * base * g[-1]
    assert d_vars['params']['heads']['score']['kernel'].shape[0] == \
        (size // 2 ** len(d)) ** 2 * d[-1]


def test_image_modes_have_grid_shapes():
  info = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)
  config = toy_config(kind='dcgan', conv=dict(g_channels=(4, 4), d_channels=(4, 4)),
                      conditioning='acgan', info_categorical=3, info_continuous=1)
  model = gan.FAMILY.model(config, info)
  batch = {'x': jnp.zeros((4, 8, 8, 1)), 'y': jnp.arange(4)}
  params = jax.eval_shape(model.init, KEY, batch)[0]
  assert set(model.modes) == {'interpolate', 'arithmetic', 'conditional', 'codes'}
  out = {name: jax.eval_shape(mode, params, {'discriminator': {}}, batch, KEY)
         for name, mode in model.modes.items()}
  assert out['interpolate']['linear'].shape == (4, 8, 8, 8, 1)
  assert out['arithmetic']['arithmetic'].shape == (4, 4, 8, 8, 1)
  assert out['conditional']['samples'].shape == (10, 8, 8, 8, 1)
  assert out['codes']['codes'].shape == (3, 8, 8, 8, 1)
  vis = jax.eval_shape(model.visualize, params, {'discriminator': {}}, batch, KEY)
  assert vis['samples'].shape == (10, 8, 8, 8, 1)


def test_attention_resolutions_listed():
  assert nets.generator_resolutions('dcgan', 64, (1, 2, 3, 4)) == [4, 8, 16, 32]
  assert nets.discriminator_resolutions('resnet', 32, (1, 1, 1, 1), 2) == [16, 8, 8, 8]


def _dense_calls(fn, *args):
  """Matrix products in fn's jaxpr: one per dense layer applied."""
  return str(jax.make_jaxpr(fn)(*args)).count('dot_general')


@pytest.mark.parametrize('loss', sorted(LOSSES))
def test_generator_runs_the_discriminator_on_real_data_only_when_its_loss_needs_it(loss):
  model, params, ms = setup(toy_config(loss=loss))
  g_loss = lambda p, b: model.players[1].loss_fn(p, ms, b, KEY, 0)[0]  # noqa: E731
  passes = 2 if LOSSES[loss].g_uses_real else 1
  # the smoke MLPs: G = hidden + output layer, D = hidden + score head
  assert _dense_calls(g_loss, params, toy_batch()) == 2 + 2 * passes
  if not LOSSES[loss].g_uses_real:    # the real batch does not enter at all
    nan = {**toy_batch(), 'x': jnp.full((8, 2), jnp.nan)}
    assert g_loss(params, nan) == g_loss(params, toy_batch())


def test_rpgan_step_trains_and_its_generator_gradient_depends_on_the_real_batch():
  model, params, ms = setup(toy_config(loss='rpgan'))
  state, metrics = run_step(model.players, params, ms, toy_batch(k=1))
  before, after = flat(params), flat(state.params)
  assert all(not np.array_equal(before[k], after[k]) for k in before
             if not k.endswith("['bias']"))
  assert all(np.isfinite(float(v)) for v in metrics.values())

  def g_grad(loss, x_seed):
    model, params, ms = setup(toy_config(loss=loss))
    g = model.players[1].loss_fn
    return flat(jax.grad(lambda p: g(p, ms, toy_batch(seed=x_seed), KEY, 0)[0])(params))

  for loss, depends in (('rpgan', True), ('ragan', True), ('non_saturating', False)):
    a, b = g_grad(loss, 0), g_grad(loss, 1)
    moved = any(not np.allclose(a[k], b[k]) for k in a if k.startswith("['generator']"))
    assert moved == depends, loss
