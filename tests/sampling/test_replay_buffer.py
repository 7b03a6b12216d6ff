"""Replay buffer: distinct slots, the restarted share, write-back, labels."""
import jax
import jax.numpy as jnp
import numpy as np

from gdm.sampling import replay_buffer as rb

KEY = jax.random.key(0, impl='rbg')


def test_draw_restart_share_and_write_back():
  size, shape = 200, (3, 2, 1)
  buffer = rb.init(KEY, size, shape, -1.0, 1.0, num_classes=5)
  buffer['x'] = buffer['x'] + 10.0                 # tell stored entries from fresh noise
  x_buf, y_buf = np.asarray(buffer['x']), np.asarray(buffer['y'])
  assert x_buf.shape == (size,) + shape and set(y_buf) <= set(range(5))
  fresh_y = jnp.full((150,), 7, jnp.int32)
  draw = jax.jit(lambda b, k, share: rb.draw(b, k, 150, share, -1.0, 1.0, fresh_y))
  counts = []
  for share in (0.0, 0.3, 1.0):
    x0, y0, slots, fresh = map(np.asarray, draw(buffer, KEY, share))
    assert len(set(slots)) == 150                          # distinct slots
    np.testing.assert_array_equal(x0[~fresh], x_buf[slots[~fresh]])
    np.testing.assert_array_equal(y0[~fresh], y_buf[slots[~fresh]])
    assert np.all(np.abs(x0[fresh]) <= 1.0) and np.all(y0[fresh] == 7)
    counts.append(fresh.sum())
  assert counts[0] == 0 and counts[2] == 150
  assert abs(counts[1] - 45) < 4 * np.sqrt(150 * 0.3 * 0.7)   # Binomial(150, 0.3)

  new_x = jnp.full((150,) + shape, -5.0)
  out = rb.write(buffer, jnp.asarray(slots), new_x, jnp.asarray(y0))
  written = np.zeros(size, bool)
  written[slots] = True
  np.testing.assert_array_equal(np.asarray(out['x'])[written], -5.0)
  np.testing.assert_array_equal(np.asarray(out['x'])[~written], x_buf[~written])
  np.testing.assert_array_equal(np.asarray(out['y'])[slots], y0)


def test_pick_with_and_without_replacement():
  buffer = {'x': jnp.arange(10.0)[:, None]}
  x, y = rb.pick(buffer, KEY, 10)
  assert y is None and sorted(np.asarray(x)[:, 0]) == list(range(10))
  x, _ = rb.pick(buffer, KEY, 25)                       # more than stored: repeats
  assert x.shape == (25, 1) and set(np.asarray(x)[:, 0]) <= set(range(10))
