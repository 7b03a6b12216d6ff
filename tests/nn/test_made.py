"""MADE: masks and the network are autoregressive (the Jacobian is strictly triangular in
the chosen order) and every allowed connection is present."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.nn.made import MADE, input_degrees, made_masks
from tests.helpers import random_like


def _connectivity(masks):
  """Which inputs each output can see: product of the masks."""
  m = masks[0]
  for nxt in masks[1:]:
    m = (m @ nxt > 0).astype(np.float32)
  return m          # [D in, D out]


@pytest.mark.parametrize('order', ['identity', 'reverse', 'random'])
def test_mask_connectivity_is_exactly_the_order(order):
  dim = 5
  degrees = input_degrees(dim, order, seed=3)
  conn = _connectivity(made_masks(dim, (8, 8), order, seed=3))
  # Output i sees input j iff degree(j) < degree(i): all allowed links exist with >= D-1 units.
  np.testing.assert_array_equal(conn, degrees[:, None] < degrees[None, :])


def test_jacobian_is_strictly_triangular_in_the_order_with_context():
  dim, per = 6, 3
  rng = np.random.default_rng(0)
  for order in ('identity', 'reverse', (3, 1, 6, 2, 5, 4)):
    made = MADE(hidden=(16, 16), outputs_per_dim=per, act='tanh', order=order, context_dim=2)
    x, ctx = jnp.asarray(rng.normal(size=(1, dim)), jnp.float32), jnp.ones((1, 2))
    params = random_like(jax.eval_shape(made.init, jax.random.key(0), x, ctx), rng)
    jac = jax.jacfwd(lambda v: made.apply(params, v[None], ctx)[0])(x[0])   # [D, P, D]
    degrees = input_degrees(dim, order)
    allowed = degrees[None, :] < degrees[:, None]                           # [out, in]
    dep = np.abs(np.asarray(jac)).max(axis=1) > 0
    assert not np.any(dep & ~allowed)        # never depends on itself or later dims
    np.testing.assert_array_equal(dep, allowed)   # and uses every earlier dim
    # The context reaches every output.
    jc = jax.jacfwd(lambda c: made.apply(params, x, c[None])[0])(ctx[0])
    assert np.all(np.abs(np.asarray(jc)).max(axis=(1, 2)) > 0)


def test_no_hidden_layer_and_bad_degrees():
  masks = made_masks(3, (), 'identity')
  np.testing.assert_array_equal(masks[0], np.triu(np.ones((3, 3)), 1))
  with pytest.raises(ValueError, match='permutation of 1..3'):
    made_masks(3, (4,), (1, 1, 2))
  with pytest.raises(ValueError, match='MADE order'):
    made_masks(3, (4,), 'sideways')
