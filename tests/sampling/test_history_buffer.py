"""The image history buffer: it fills first, then replays a stored image for half of the new
ones in expectation (and stores those), batches behave as images handled one at a time."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.sampling import history_buffer

SHAPE = (2, 2, 1)


def batch(values):
  return jnp.asarray(values, jnp.float32)[:, None, None, None] * jnp.ones((1,) + SHAPE)


def test_fills_before_it_replays():
  buf = history_buffer.init(5, SHAPE)
  shown, buf = history_buffer.query(buf, batch([1, 2, 3]), jax.random.key(0))
  np.testing.assert_array_equal(shown, batch([1, 2, 3]))
  shown, buf = history_buffer.query(buf, batch([4, 5]), jax.random.key(1))
  np.testing.assert_array_equal(shown, batch([4, 5]))
  np.testing.assert_array_equal(buf['images'][:, 0, 0, 0], [1, 2, 3, 4, 5])
  assert int(buf['count']) == 5


def test_replays_half_in_expectation():
  """Full buffer of old images (values < 0), new ones (values > 0): each new image is shown
  with probability 1/2, else an old one is shown and the new one takes its slot."""
  size, n, trials = 50, 10, 400
  full = {'images': batch(-1.0 - np.arange(size)), 'count': jnp.asarray(size, jnp.int32)}
  query = jax.jit(jax.vmap(history_buffer.query, in_axes=(None, None, 0)))
  shown, after = query(full, batch(1.0 + np.arange(n)), jax.random.split(jax.random.key(3),
                                                                           trials))
  replayed = np.asarray(shown[..., 0, 0, 0] < 0)                 # [trials, n]
  share = replayed.mean()
  assert abs(share - 0.5) < 4 * np.sqrt(0.25 / replayed.size), share
  new_stored = (np.asarray(after['images'][..., 0, 0, 0]) > 0).sum(1)
  np.testing.assert_array_equal(new_stored, replayed.sum(1))     # one slot per replay
  # What is shown is the batch with the replayed images put in, nothing lost or doubled:
  for t in range(5):
    old_shown = np.sort(np.asarray(shown[t, :, 0, 0, 0])[replayed[t]])
    gone = np.sort(np.setdiff1d(-1.0 - np.arange(size), after['images'][t, :, 0, 0, 0]))
    np.testing.assert_array_equal(old_shown, gone)
  # Every slot is equally likely to be replayed.
  hits = np.zeros(size)
  for t in range(trials):
    hits += np.asarray(after['images'][t, :, 0, 0, 0]) > 0
  assert hits.min() > 0 and hits.max() < 4 * hits.mean()


def test_a_batch_crossing_the_fill_line_is_handled_in_order():
  """48 of 50 stored: the first two new images fill the buffer; the next may be swapped for
  any stored image, including the two just stored (then that one is shown)."""
  buf = {'images': batch(-1.0 - np.arange(50)).at[48:].set(0.0),
         'count': jnp.asarray(48, jnp.int32)}
  seen_batch_image = False
  for seed in range(200):
    shown, after = history_buffer.query(buf, batch([1, 2, 3, 4]), jax.random.key(seed))
    s = np.asarray(shown[:, 0, 0, 0])
    stored = np.asarray(after['images'][:, 0, 0, 0])
    np.testing.assert_array_equal(s[:2], [1, 2])
    assert 0 not in s and int(after['count']) == 50 and 0 not in stored
    seen_batch_image |= bool(np.isin(s[2:], [1, 2]).any())
    # Nothing is lost or made up: every image stored before or new is shown or stored now,
    # once, except the two that filled the buffer, which are both.
    before = np.concatenate([np.asarray(buf['images'][:48, 0, 0, 0]), [1, 2, 3, 4, 1, 2]])
    np.testing.assert_array_equal(np.sort(np.concatenate([s, stored])), np.sort(before))
  assert seen_batch_image


def test_batch_larger_than_the_buffer():
  with pytest.raises(ValueError, match='history buffer of 2 images cannot take a batch of 3'):
    history_buffer.query(history_buffer.init(2, SHAPE), batch([1, 2, 3]), jax.random.key(0))
