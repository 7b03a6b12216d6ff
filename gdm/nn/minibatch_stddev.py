"""Minibatch standard deviation (Karras et al., 2018, ProGAN Sec. 3; StyleGAN2's
discriminator): the batch is split into groups of `group_size` examples (member g of group m
is example g * M + m, as the official reshape to [G, M, ...]); within each group, the
population standard deviation (eps 1e-8 under the root) of every feature over the group,
averaged over features and positions (per feature group), is appended to each member as
`num_features` constant channels. It lets the discriminator see the variety of a batch,
against mode collapse. group_size <= 0 uses the whole minibatch, as the ProGAN paper
describes it.
"""
import jax
import jax.numpy as jnp

EPSILON = 1e-8


def group_size_for(batch: int, group_size: int) -> int:
  """The largest group size <= group_size that divides the batch (the official code needs
  the batch divisible by the group size; an odd evaluation batch falls back to smaller)."""
  g = batch if group_size <= 0 else min(group_size, batch)
  while batch % g:
    g -= 1
  return g


def minibatch_stddev(x: jax.Array, group_size: int = 4, num_features: int = 1) -> jax.Array:
  """[B, H, W, C] -> [B, H, W, C + num_features]."""
  b, h, w, c = x.shape
  g = group_size_for(b, group_size)
  y = x.astype(jnp.float32).reshape(g, b // g, h, w, num_features, c // num_features)
  y = jnp.sqrt(jnp.var(y, axis=0) + EPSILON)             # [M, H, W, n, c]
  y = jnp.mean(y, axis=(1, 2, 4))                         # [M, n]
  y = jnp.tile(y, (g, 1))[:, None, None, :]               # example i gets group i % M
  return jnp.concatenate([x, jnp.broadcast_to(y, (b, h, w, num_features)).astype(x.dtype)], -1)
