"""Players that train one params entry (StyleGAN2's lazy regularisers): they update it in
turn with one shared optimizer state, against a hand computation with SGD momentum."""
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from gdm.train import state as state_lib
from gdm.train.players import Player, optimizers_by_entry
from gdm.train.step import make_train_step

identity = lambda batch, key, train: batch


def players(lr=0.1, momentum=0.5, every=2):
  opt = optax.sgd(lr, momentum=momentum)

  def main(params, ms, batch, key, step):      # pulls d to the batch mean
    return 0.5 * (params['d'] - batch['x'].mean()) ** 2, ({}, ms)

  def reg(params, ms, batch, key, step):       # pulls d to 0, every `every` steps
    return 0.5 * params['d'] ** 2, ({'reg': params['d'] ** 2}, ms)

  return [Player('d', main, opt),
          Player('d_reg', reg, opt, params='d', active=lambda step: step % every == 0)]


def test_shared_entry_players_update_in_turn_with_one_momentum():
  ps = players()
  assert ps[1].entry == 'd' and ps[0].entry == 'd'
  optimizers = optimizers_by_entry(ps)
  assert list(optimizers) == ['d']
  state = state_lib.create({'d': jnp.float32(1.0)}, {}, optimizers)
  assert set(state.opt_state) == {'d'}
  step = jax.jit(make_train_step(ps, identity, ema_decay=0.0))
  xs = [2.0, -1.0, 4.0]
  d, trace = 1.0, 0.0
  for i, x in enumerate(xs):
    state, metrics = step(state, {'x': np.full((1, 3), x, np.float32)}, jax.random.PRNGKey(0))
    updates = [d - x]                                # main: gradient of 0.5 (d - x)^2
    if i % 2 == 0:
      updates.append(None)                           # regulariser: gradient d, after main
    for g in updates:
      g = d if g is None else g
      trace = g + 0.5 * trace                        # optax.sgd: trace = g + momentum * trace
      d = d - 0.1 * trace
    np.testing.assert_allclose(float(state.params['d']), d, rtol=1e-6)
    # An idle player reports zeros (the trainer's convention for inactive players).
    assert (float(metrics['d_reg/loss']) == 0.0) == (i % 2 == 1)


def test_players_of_one_entry_must_share_the_optimizer():
  a, b = players()
  b = Player('d_reg', b.loss_fn, optax.sgd(0.1), params='d')
  with pytest.raises(ValueError, match="players training params 'd' must share one "
                                       "optimizer; 'd_reg' has its own"):
    optimizers_by_entry([a, b])
