"""The EMA warm-ups against their formulas, alone and through the train step."""
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from gdm.train import ema, state as state_lib
from gdm.train.players import Player
from gdm.train.step import make_train_step


def test_half_life_is_where_the_decay_keeps_one_half():
  assert ema.half_life(0.5 ** (1 / 100)) == pytest.approx(100)
  assert ema.half_life(0.0) == 0.0


def test_rampup_caps_the_half_life_at_rampup_times_the_steps_done():
  d = 0.5 ** (1 / 100)                       # half-life 100 steps
  got = [float(ema.decay_at(s, d, rampup=0.05)) for s in (0, 20, 40, 2000, 5000)]
  # half-lives min(100, 0.05 s) = 0 (a copy), 1, 2, 100, 100
  np.testing.assert_allclose(got, [0.0, 0.5, 0.5 ** 0.5, d, d], rtol=1e-6)


def test_start_copies_the_params_until_then():
  got = [float(ema.decay_at(s, 0.9, start=3)) for s in range(5)]
  np.testing.assert_allclose(got, [0, 0, 0, 0.9, 0.9], rtol=1e-6)


def test_without_a_warm_up_the_decay_is_the_python_float_itself():
  # so that runs without one keep exactly the arithmetic (and the numbers) they had
  assert ema.decay_at(jnp.int32(7), 0.999) == 0.999


def test_train_step_applies_the_warm_up_to_the_ema():
  def loss(params, ms, batch, key, step):
    return 0.5 * (params['w'] - batch['x'].mean()) ** 2, ({}, ms)

  player = Player('w', loss, optax.sgd(0.5))
  step = jax.jit(make_train_step([player], lambda b, k, t: b, ema_decay=0.5 ** (1 / 4),
                                 ema_start=2, ema_rampup=0.25))
  state = state_lib.create({'w': jnp.float32(0.0)}, {}, {'w': player.optimizer})
  w, e = 0.0, 0.0
  for s, x in enumerate([4.0, -2.0, 8.0, 1.0, 3.0, 5.0]):
    state, _ = step(state, {'x': np.full((1, 2), x, np.float32)}, jax.random.PRNGKey(0))
    w -= 0.5 * (w - x)
    h = min(4.0, 0.25 * s)                   # half-life 4 steps, ramped
    decay = 0.0 if s < 2 or h == 0 else 0.5 ** (1 / h)
    e = decay * e + (1 - decay) * w
    np.testing.assert_allclose(state.ema_params['w'], e, rtol=1e-6, err_msg=f'step {s}')
