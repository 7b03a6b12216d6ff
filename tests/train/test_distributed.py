"""Evaluation-time maps split over devices: same answers as on one device, any batch size."""
import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from gdm.train import distributed


def test_shard_host_batch_pads_and_splits_over_every_device():
  mesh = distributed.make_mesh()
  n = mesh.devices.size
  assert n == 8   # conftest forces 8 host devices
  x = np.arange(13 * 2).reshape(13, 2)
  g = distributed.shard_host_batch(x, mesh)
  assert g.shape == (16, 2) and g.sharding.spec == P(distributed.BATCH_AXES)
  assert len(g.addressable_shards) == n
  np.testing.assert_array_equal(np.asarray(g)[:13], x)
  np.testing.assert_array_equal(np.asarray(g)[13:], np.repeat(x[-1:], 3, axis=0))


def test_batch_parallel_matches_the_unsharded_map():
  rng = np.random.default_rng(0)
  params = {'w': rng.normal(size=(3, 3, 2, 4)).astype(np.float32)}

  def fn(p, x):   # a conv, so a cross-row mix-up from padding or sharding would show
    y = jax.lax.conv_general_dilated(x, p['w'], (1, 1), 'SAME',
                                     dimension_numbers=('NHWC', 'HWIO', 'NHWC'))
    return {'feat': jnp.tanh(y).mean(axis=(1, 2)), 'sum': y.sum(axis=(1, 2, 3))}

  x = rng.normal(size=(13, 6, 6, 2)).astype(np.float32)
  want = jax.jit(fn)(params, x)
  got = distributed.batch_parallel(fn, distributed.make_mesh())(params, x)
  assert got['feat'].shape == (13, 4) and isinstance(got['feat'], np.ndarray)
  for k in want:
    np.testing.assert_allclose(got[k], np.asarray(want[k]), rtol=1e-5, atol=1e-5)
