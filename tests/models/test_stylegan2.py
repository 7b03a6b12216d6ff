"""StyleGAN2 in the GAN family: style mixing's crossover, the truncation trick at psi = 0,
the running mean of w, the lazy regularisers' players (cadence, shared optimizer, the
paper's scaling of weights and Adam), the shapes of the networks and the EMA of G."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.configs.gan import stylegan2_digits
from gdm.data.source import DatasetInfo
from gdm.models import gan
from gdm.models.gan import stylegan2_family as fam
from gdm.models.gan import stylegan2_latents as latents
from gdm.models.gan.stylegan2_model import lazy_optimizer_config
from gdm.objectives.adversarial.regularizers import r1_penalty
from gdm.train import state as state_lib
from gdm.train.config import parse_run
from gdm.train.optim import OptimizerConfig
from gdm.train.players import optimizers_by_entry
from gdm.train.step import make_train_step

DIGITS8 = DatasetInfo('digits', (8, 8, 1), 'image', num_classes=10)
KEY = jax.random.key(0, impl='rbg')


def built(**model):
  config = stylegan2_digits.get_config('smoke')
  config.model.update(model)
  run = parse_run(config, gan.FAMILY.config)
  return run, fam.build(run, DIGITS8), gan.FAMILY.model(run, DIGITS8)


def batch(n=8):
  x = np.random.default_rng(0).uniform(-1, 1, size=(n, 8, 8, 1)).astype(np.float32)
  return {'x': jnp.asarray(x), 'y': jnp.zeros(n, jnp.int32)}


@pytest.fixture(scope='module')
def model():
  run, sg, model = built()
  params, model_state = jax.jit(model.init)(KEY, batch())
  return run, sg, model, params, model_state


def test_mixing_crossover_takes_layers_below_the_cutoff_from_the_first_w():
  ws1, ws2 = jnp.ones((2, 6, 3)), -jnp.ones((2, 6, 3))
  for cutoff in range(1, 7):
    mixed = np.asarray(latents.mix(ws1, ws2, jnp.int32(cutoff)))
    np.testing.assert_array_equal(mixed[:, :cutoff], 1.0)
    np.testing.assert_array_equal(mixed[:, cutoff:], -1.0)
  keys = jax.random.split(jax.random.key(1), 4000)
  cut = np.asarray(jax.vmap(lambda k: latents.mixing_cutoff(k, 6, 1.0))(keys))
  assert set(cut) == {1, 2, 3, 4, 5}                     # U{1..L-1}: both ws always used
  np.testing.assert_allclose(np.bincount(cut)[1:] / len(cut), 0.2, atol=0.03)
  cut = np.asarray(jax.vmap(lambda k: latents.mixing_cutoff(k, 6, 0.9))(keys))
  np.testing.assert_allclose(np.mean(cut == 6), 0.1, atol=0.02)     # no mixing: cutoff L
  assert set(np.asarray(jax.vmap(lambda k: latents.mixing_cutoff(k, 6, 0.0))(keys))) == {6}


def test_training_ws_mix_two_mapped_ws_at_one_layer(model):
  _, sg, _, params, _ = model
  gp = params['generator']
  for seed in range(4):
    ws, w = fam.training_ws(sg, gp, jax.random.key(seed), 5)
    ws, w = np.asarray(ws), np.asarray(w)
    np.testing.assert_allclose(ws[:, 0], w, rtol=1e-6)          # layer 0: the first z's w
    same = [np.allclose(ws[:, i], w) for i in range(sg.num_ws)]
    c = same.index(False) if False in same else sg.num_ws
    assert all(same[:c]) and not any(same[c:])                   # one crossover, then w2
    assert all(np.allclose(ws[:, i], ws[:, c]) for i in range(c, sg.num_ws))


def test_truncation_at_psi_zero_returns_the_mean_w(model):
  _, sg, _, _, model_state = model
  w_avg = jnp.asarray(np.random.default_rng(1).normal(size=sg.s.w_dim), jnp.float32)
  state = {**model_state, 'w_avg': w_avg}
  w = jnp.asarray(np.random.default_rng(2).normal(size=(3, sg.s.w_dim)), jnp.float32)
  for psi, want in ((0.0, np.broadcast_to(w_avg, (3, sg.s.w_dim))), (1.0, w),
                    (0.5, 0.5 * (w + w_avg))):
    ws = np.asarray(fam.sampling_ws(sg, state, w, psi))
    assert ws.shape == (3, sg.num_ws, sg.s.w_dim)
    np.testing.assert_allclose(ws, np.broadcast_to(np.asarray(want)[:, None], ws.shape),
                               rtol=1e-6, atol=1e-6)


def test_generator_update_tracks_the_running_mean_of_w(model):
  _, sg, _, params, model_state = model
  b = batch()
  _, (_, new_state) = fam.generator_loss(sg, params, model_state, b, KEY, 0)
  _, w = fam.fakes(sg, params['generator'], KEY, 8)
  d = sg.s.w_avg_decay
  np.testing.assert_allclose(np.asarray(new_state['w_avg']),
                             d * np.asarray(model_state['w_avg']) + (1 - d) * np.asarray(w).mean(0),
                             rtol=1e-5, atol=1e-7)


def test_lazy_players_cadence_shared_optimizer_and_adam_scaling(model):
  run, sg, m, _, _ = model
  assert [(p.name, p.entry) for p in m.players] == [
      ('discriminator', 'discriminator'), ('discriminator_reg', 'discriminator'),
      ('generator', 'generator'), ('generator_pl', 'generator')]
  d, d_reg, g, g_pl = m.players
  assert d.optimizer is d_reg.optimizer and g.optimizer is g_pl.optimizer
  assert d.active is None and g.active is None
  k_d, k_g = sg.s.d_reg_every, sg.s.pl_every                  # smoke: 2 and 2
  assert [bool(d_reg.active(jnp.int32(s))) for s in range(5)] == [s % k_d == 0 for s in range(5)]
  assert [bool(g_pl.active(jnp.int32(s))) for s in range(5)] == [s % k_g == 0 for s in range(5)]
  # The paper's config F: lr 0.002, betas (0, 0.99); D every 16, G every 4.
  opt = OptimizerConfig(learning_rate=0.002, b1=0.0, b2=0.99)
  for k in (16, 4):
    adjusted = lazy_optimizer_config(opt, k)
    np.testing.assert_allclose((adjusted.learning_rate, adjusted.b1, adjusted.b2),
                               (0.002 * k / (k + 1), 0.0, 0.99 ** (k / (k + 1))))
  assert run.model.d_optimizer.learning_rate == 0.002         # the config is not changed


def test_regulariser_losses_are_weighted_by_their_interval(model):
  _, sg, _, params, model_state = model
  b = batch()
  loss, (metrics, _) = fam.discriminator_regularizer_loss(sg, params, model_state, b, KEY, 0)
  r1 = r1_penalty(lambda v: fam.score(sg, params['discriminator'], v), b['x']).mean()
  np.testing.assert_allclose(float(metrics['r1_penalty']), float(r1), rtol=1e-5)
  np.testing.assert_allclose(float(loss), sg.s.d_reg_every * 0.5 * sg.m.penalty_weight * float(r1),
                             rtol=1e-5)
  loss, (metrics, new_state) = fam.path_length_loss(sg, params, model_state, b, KEY, 0)
  np.testing.assert_allclose(float(loss), sg.s.pl_every * sg.s.pl_weight
                             * float(metrics['pl_penalty']), rtol=1e-5)
  np.testing.assert_allclose(float(new_state['pl_mean']),
                             sg.s.pl_decay * float(metrics['path_length']), rtol=1e-5)


def test_no_regulariser_no_lazy_player_and_unadjusted_optimizer():
  _, _, m = built(regularizer='none', stylegan2=dict(pl_weight=0.0))
  assert [p.name for p in m.players] == ['discriminator', 'generator']


def test_network_shapes_follow_the_resolution(model):
  _, sg, _, params, _ = model
  assert sg.num_ws == 4                                       # 8x8: 2 log2(8) - 2
  ws = jnp.zeros((3, sg.num_ws, sg.s.w_dim))
  images = fam.synthesize(sg, params['generator'], ws, KEY)
  assert images.shape == (3, 8, 8, 1)
  assert fam.score(sg, params['discriminator'], images).shape == (3,)
  assert set(params['generator']['synthesis']) >= {'const', 'conv4', 'torgb4', 'conv8_up',
                                                   'conv8', 'torgb8'}


def test_train_step_keeps_the_ema_of_g_and_samples_come_from_it(model):
  _, sg, m, params, model_state = model
  optimizers = optimizers_by_entry(m.players)
  state = state_lib.create(params, model_state, optimizers)
  step = jax.jit(make_train_step(m.players, lambda b, k, t: b, ema_decay=0.9))
  new, _ = step(state, jax.tree.map(lambda a: a[None], batch()), KEY)
  g0, g1, ema = (jax.tree.leaves(t['generator']) for t in
                 (state.params, new.params, new.ema_params))
  assert not all(np.allclose(a, b) for a, b in zip(g0, g1))
  for a, b, e in zip(g0, g1, ema):
    np.testing.assert_allclose(e, 0.9 * a + 0.1 * b, rtol=1e-5, atol=1e-7)
  # Samples are the generator's images at the params given (the evaluator passes the EMA).
  x = m.sample(new.ema_params, new.model_state, KEY, 3, None)
  ws = fam.sampling_ws(sg, new.model_state, fam.draw_w(sg, new.ema_params['generator'],
                                                       jax.random.split(KEY)[0], 3), 1.0)
  want = fam.synthesize(sg, new.ema_params['generator'], ws, jax.random.split(KEY)[1])
  np.testing.assert_allclose(np.asarray(x), np.asarray(want), rtol=1e-5, atol=1e-6)
  # The digits config's decay: the official 10k-image half-life at batch 32.
  config = stylegan2_digits.get_config()
  np.testing.assert_allclose(config.train.ema_decay ** (10_000 / config.train.batch_size), 0.5)
