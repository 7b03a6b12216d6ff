"""The generic step: players against hand-computed updates, guard, EMA, traces, sharding."""
import chex
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from gdm.train import state as state_lib
from gdm.train.players import Player
from gdm.train.step import make_multi_step, make_train_step

identity = lambda batch, key, train: batch


def two_players(lr_d=0.1, lr_g=0.05, n_critic=2):
  def d_loss(params, ms, batch, key, step):
    r = params['d'] - batch['x'].mean() - params['g']
    return 0.5 * r ** 2, ({'r': r}, ms)

  def g_loss(params, ms, batch, key, step):
    return 0.5 * (params['g'] - params['d']) ** 2, ({}, ms)

  return [Player('d', d_loss, optax.sgd(lr_d), steps=n_critic),
          Player('g', g_loss, optax.sgd(lr_g))]


def init_state(players, d=1.0, g=-0.5):
  params = {'d': jnp.float32(d), 'g': jnp.float32(g)}
  return state_lib.create(params, {}, {p.name: p.optimizer for p in players})


def test_two_player_step_matches_hand_computation():
  players = two_players()
  step = jax.jit(make_train_step(players, identity, ema_decay=0.5))
  x = np.array([[1.0, 3.0], [-2.0, 0.0]], np.float32)       # micro-batch means 2 and -1
  state, metrics = step(init_state(players), {'x': x}, jax.random.PRNGKey(0))
  d, g = 1.0, -0.5
  for mean in (2.0, -1.0):                                    # critic: two updates first
    d -= 0.1 * (d - mean - g)
  g -= 0.05 * (g - d)                                         # then the generator, on new d
  np.testing.assert_allclose(state.params['d'], d, rtol=1e-6)
  np.testing.assert_allclose(state.params['g'], g, rtol=1e-6)
  np.testing.assert_allclose(state.ema_params['d'], 0.5 * 1.0 + 0.5 * d, rtol=1e-6)
  assert int(state.step) == 1
  assert set(metrics) == {'d/loss', 'd/grad_norm', 'd/r', 'g/loss', 'g/grad_norm',
                          'skipped_updates'}
  # Metrics of a multi-update player are the mean over its updates.
  r0 = 1.0 - 2.0 + 0.5
  d1 = 1.0 - 0.1 * r0
  r1 = d1 + 1.0 + 0.5
  np.testing.assert_allclose(metrics['d/r'], (r0 + r1) / 2, rtol=1e-6)


def test_nonfinite_update_is_skipped_and_counted():
  players = two_players(n_critic=1)
  step = jax.jit(make_train_step(players, identity, ema_decay=0.0))
  state = init_state(players)
  bad = {'x': np.array([[np.nan, 1.0]], np.float32)}
  new, metrics = step(state, bad, jax.random.PRNGKey(0))
  # d's loss is NaN: d, its optimizer state unchanged; g still updates (its loss is finite).
  assert float(new.params['d']) == 1.0
  chex.assert_trees_all_equal(new.opt_state['d'], state.opt_state['d'])
  assert float(new.params['g']) != -0.5
  assert int(new.nonfinite_run) == 1 and int(new.skipped) == 1
  assert float(metrics['skipped_updates']) == 1.0
  new, _ = step(new, bad, jax.random.PRNGKey(0))
  assert int(new.nonfinite_run) == 2
  new, _ = step(new, {'x': np.ones((1, 2), np.float32)}, jax.random.PRNGKey(0))
  assert int(new.nonfinite_run) == 0 and int(new.skipped) == 2


def test_inactive_player_does_not_move():
  players = two_players(n_critic=1)
  players[1] = Player('g', players[1].loss_fn, players[1].optimizer,
                      active=lambda step: step >= 2)
  step = jax.jit(make_train_step(players, identity, ema_decay=0.0))
  state = init_state(players)
  batch = {'x': np.ones((1, 2), np.float32)}
  gs = []
  for _ in range(3):
    state, _ = step(state, batch, jax.random.PRNGKey(0))
    gs.append(float(state.params['g']))
  assert gs[0] == gs[1] == -0.5 and gs[2] != -0.5


def test_scan_of_steps_equals_single_steps_and_compiles_once():
  players = two_players()
  single = jax.jit(chex.assert_max_traces(make_train_step(players, identity, 0.9), n=1))
  multi = jax.jit(chex.assert_max_traces(make_multi_step(
      make_train_step(players, identity, 0.9)), n=1))
  rng = np.random.default_rng(0)
  xs = rng.normal(size=(3, 2, 4)).astype(np.float32)   # 3 steps x 2 micro-batches
  key = jax.random.PRNGKey(1)
  s1 = init_state(players)
  for i in range(3):
    s1, _ = single(s1, {'x': xs[i]}, key)
  s2, metrics = multi(init_state(players), {'x': xs}, key)
  chex.assert_trees_all_close(s1.params, s2.params, rtol=1e-6)
  assert metrics['g/loss'].shape == (3,)
  for _ in range(3):   # further calls reuse the one compilation
    s2, _ = multi(s2, {'x': xs}, key)
  chex.clear_trace_counter()


def test_duplicate_player_names_rejected():
  p = two_players()[0]
  with pytest.raises(ValueError, match='unique'):
    make_train_step([p, p], identity, 0.0)


def test_player_steps_must_be_positive():
  with pytest.raises(ValueError, match='steps=0'):
    Player('d', lambda *a: None, optax.sgd(1.0), steps=0)


def test_gradient_accumulation_equals_the_full_batch_gradient():
  """A linear least-squares player: the mean-of-chunk-means gradient equals the full-batch
  gradient, so accum=1 and accum=4 make the same update (to float rounding)."""
  def loss(params, ms, batch, key, step):
    r = batch['x'] @ params['w'] - batch['y']
    return 0.5 * jnp.mean(r ** 2), ({'r2': jnp.mean(r ** 2)}, ms)

  rng = np.random.default_rng(0)
  batch = {'x': rng.normal(size=(1, 16, 3)).astype(np.float32),
           'y': rng.normal(size=(1, 16)).astype(np.float32)}
  out = {}
  for accum in (1, 4):
    players = [Player('w', loss, optax.sgd(0.1))]
    state = state_lib.create({'w': jnp.ones(3)}, {}, {'w': players[0].optimizer})
    step = jax.jit(make_train_step(players, identity, 0.0, grad_accum=accum))
    out[accum] = step(state, batch, jax.random.PRNGKey(0))
  x, y = batch['x'][0], batch['y'][0]
  want = np.ones(3) - 0.1 * x.T @ (x @ np.ones(3) - y) / 16
  for accum, (state, metrics) in out.items():
    np.testing.assert_allclose(state.params['w'], want, rtol=1e-5)
    np.testing.assert_allclose(metrics['r2'], np.mean((x @ np.ones(3) - y) ** 2), rtol=1e-5)


def test_accumulation_chunks_interleave_rows():
  from gdm.train.step import accumulation_chunks
  chunks = accumulation_chunks({'x': np.arange(8)}, 4)['x']
  np.testing.assert_array_equal(chunks, [[0, 4], [1, 5], [2, 6], [3, 7]])
