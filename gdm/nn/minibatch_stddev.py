"""Minibatch standard deviation (Karras et al., 2018, Sec. 3): the discriminator sees how much
a group of examples varies, which lets it penalise a generator whose samples vary less than
real data. Within each group the standard deviation of every feature at every position is
taken over the group's members, averaged into one number, and appended as a constant
feature map to every member of the group.

Groups follow the official code: with B examples and group size G, example i belongs to group
i mod (B / G) (the batch reshaped to [G, B / G, ...]); G = 0 or G >= B uses the whole
minibatch, as the paper describes it. The standard deviation is the population one with
eps = 1e-8 under the square root.
"""
import jax
import jax.numpy as jnp

EPSILON = 1e-8


def group_size(batch: int, group: int) -> int:
  return batch if group <= 0 else min(group, batch)


def minibatch_stddev(x: jax.Array, group: int = 4) -> jax.Array:
  """[B, H, W, C] -> [B, H, W, C + 1]; B must be a multiple of the group size."""
  b, h, w, c = x.shape
  g = group_size(b, group)
  if b % g:
    raise ValueError(f'minibatch stddev: batch {b} is not a multiple of the group size {g}')
  y = x.astype(jnp.float32).reshape(g, b // g, h, w, c)
  y = jnp.sqrt(jnp.mean(jnp.square(y - y.mean(0)), axis=0) + EPSILON)   # [B/G, H, W, C]
  y = jnp.tile(y.mean(axis=(1, 2, 3)), g)                               # [B], i -> i mod B/G
  feature = jnp.broadcast_to(y[:, None, None, None], (b, h, w, 1)).astype(x.dtype)
  return jnp.concatenate([x, feature], axis=-1)
