"""train.grad_accum: the accumulated gradient against the whole batch's (a per-example mean
loss), the model state and keys passed slice to slice, one trained run against the plain one
on 8 devices, and the config's one-line errors."""
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from experiments.families import FAMILIES
from gdm.train import accumulate, experiment, loop
from gdm.train import state as state_lib
from gdm.train.players import Player
from gdm.train.step import make_train_step
from tests.helpers import one_line_error, tiny_config


def _loss(w, state, batch, key):
  """A per-example mean (least squares) plus a key-dependent term whose gradient is 0."""
  r = batch['x'] @ w - batch['y']
  noise = jax.random.normal(key, ())
  return (0.5 * jnp.mean(r ** 2) + 0.0 * noise * jnp.sum(w),
          ({'r2': jnp.mean(r ** 2), 'key_draw': noise}, {'calls': state['calls'] + 1}))


def test_accumulated_gradient_is_the_whole_batch_gradient():
  rng = np.random.default_rng(0)
  batch = {'x': jnp.asarray(rng.normal(size=(12, 3)), jnp.float32),
           'y': jnp.asarray(rng.normal(size=(12,)), jnp.float32)}
  w, key = jnp.asarray([0.5, -1.0, 2.0]), jax.random.PRNGKey(3)
  state = {'calls': jnp.zeros((), jnp.int32)}
  (l1, (m1, s1)), g1 = accumulate.value_and_grad(_loss, w, state, batch, key, 1)
  (l3, (m3, s3)), g3 = jax.jit(lambda *a: accumulate.value_and_grad(_loss, *a, 3))(
      w, state, batch, key)
  # closed form: X^T (X w - y) / B
  want = batch['x'].T @ (batch['x'] @ w - batch['y']) / 12
  np.testing.assert_allclose(g1, want, rtol=1e-5)
  np.testing.assert_allclose(g3, want, rtol=1e-5)
  np.testing.assert_allclose(l3, l1, rtol=1e-5)
  np.testing.assert_allclose(m3['r2'], m1['r2'], rtol=1e-5)
  assert int(s1['calls']) == 1 and int(s3['calls']) == 3      # state threaded slice to slice
  draws = [float(jax.random.normal(jax.random.fold_in(key, i), ())) for i in range(3)]
  np.testing.assert_allclose(m3['key_draw'], np.mean(draws), rtol=1e-5)   # a key per slice
  # slice i holds examples i, i + 3, ...
  np.testing.assert_array_equal(accumulate.split(batch, 3)['y'][1], batch['y'][1::3])


def test_one_slice_is_the_plain_step_bit_for_bit():
  player = Player('m', lambda p, ms, b, k, s: _loss(p['m'], ms, b, k), optax.adam(0.1))
  batch = {'x': jnp.ones((1, 4, 3)), 'y': jnp.arange(4.0)[None]}
  state = state_lib.create({'m': jnp.ones(3)}, {'calls': jnp.zeros((), jnp.int32)},
                           {'m': player.optimizer})
  plain = jax.jit(make_train_step([player], lambda b, k, t: b, 0.9))
  one = jax.jit(make_train_step([player], lambda b, k, t: b, 0.9, grad_accum=1))
  a, b = plain(state, batch, jax.random.PRNGKey(0)), one(state, batch, jax.random.PRNGKey(0))
  jax.tree.map(np.testing.assert_array_equal, a, b)


def test_a_trained_run_with_two_slices_matches_the_plain_run(tmp_path):
  """The MLP autoencoder's loss is a per-example mean without noise: two slices of every
  batch give the same updates, sharded over 8 devices."""
  assert len(jax.devices()) == 8
  plain = loop.train_and_evaluate(tiny_config(6, batch_size=16), str(tmp_path / 'a'),
                                  FAMILIES['autoencoder'])
  sliced = loop.train_and_evaluate(tiny_config(6, batch_size=16, grad_accum=2),
                                   str(tmp_path / 'b'), FAMILIES['autoencoder'])
  jax.tree.map(lambda x, y: np.testing.assert_allclose(x, y, rtol=2e-4, atol=1e-6),
               plain.params, sliced.params)


@pytest.mark.parametrize('train, message', [
    (dict(grad_accum=3), 'train.grad_accum=3 must divide train.batch_size=16'),
    (dict(grad_accum=0), 'train.grad_accum=0 must be >= 1'),
    (dict(grad_accum=4), 'train.batch_size / train.grad_accum=4 must be a positive multiple '
                         'of the device count 8'),
])
def test_bad_grad_accum(tmp_path, train, message):
  config = tiny_config(4, batch_size=16, **train)
  got = one_line_error(lambda: experiment.build(config, str(tmp_path / 'w'),
                                                FAMILIES['autoencoder']))
  assert message in got
