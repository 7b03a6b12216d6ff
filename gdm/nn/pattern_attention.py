"""Multi-head causal self-attention restricted to an attention pattern
(gdm/nn/attention_patterns.py), over a whole sequence or one token at a time with a
key/value cache.

Whole sequence: queries in blocks of `pattern.query_block` tokens, each block against the
keys its `memory` lists, masked by the pattern; for the local patterns that is M keys per
query instead of T. A pass with a mutable 'cache' collection also stores every key and
value (priming). One token (`t`): its key and value are written into the cache at t and
its query attends to the same memory row with the same mask, so the output equals the
whole-sequence output at t; nothing earlier is recomputed.
"""
import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from gdm.nn.attention_patterns import COMBINES, TokenGrid

NEG = -1e30      # masked logits: exp underflows to exactly 0


def masked_softmax(logits, mask):
  return jax.nn.softmax(jnp.where(mask, logits.astype(jnp.float32), NEG), axis=-1)


class PatternAttention(nn.Module):
  grid: TokenGrid
  pattern: object
  combine: str
  num_heads: int
  features: int
  dtype: jnp.dtype = jnp.float32

  def _mask(self, q, k, layer):
    return COMBINES[self.combine](self.pattern, self.grid, q, k, layer, self.num_heads)

  @nn.compact
  def __call__(self, x, layer, t=None):
    """x [B, T, d] (t None) or the input at token t [B, d]; layer: this layer's index."""
    h, d = self.num_heads, self.features // self.num_heads
    qkv = nn.Dense(3 * self.features, dtype=self.dtype, name='qkv')(x)
    q, k, v = (a.reshape(a.shape[:-1] + (h, d)) for a in jnp.split(qkv, 3, axis=-1))
    q = q * d ** -0.5
    block, memory = self.pattern.query_block(self.grid), self.pattern.memory(self.grid)
    size = self.grid.size
    if t is None:
      if self.is_mutable_collection('cache'):
        self.variable('cache', 'key', lambda: k).value = k
        self.variable('cache', 'value', lambda: v).value = v
      out = self._blocks(q, k, v, layer, block, memory)
    else:
      shape = (x.shape[0], size, h, d)
      keys = self.variable('cache', 'key', jnp.zeros, shape, k.dtype)
      values = self.variable('cache', 'value', jnp.zeros, shape, v.dtype)
      keys.value = jax.lax.dynamic_update_slice_in_dim(keys.value, k[:, None], t, axis=1)
      values.value = jax.lax.dynamic_update_slice_in_dim(values.value, v[:, None], t, axis=1)
      idx = jnp.asarray(memory)[t // block]                                   # [M]
      mask = self._mask(t, idx, layer) & (idx >= 0)                           # [H|1, M]
      safe = jnp.maximum(idx, 0)
      logits = jnp.einsum('bhd,bmhd->bhm', q, jnp.take(keys.value, safe, axis=1))
      weights = masked_softmax(logits, mask).astype(v.dtype)
      out = jnp.einsum('bhm,bmhd->bhd', weights, jnp.take(values.value, safe, axis=1))
    return nn.Dense(self.features, dtype=self.dtype, name='out')(
        out.reshape(out.shape[:-2] + (self.features,)))

  def _blocks(self, q, k, v, layer, block, memory):
    b, size = q.shape[:2]
    blocks = memory.shape[0]
    q = jnp.pad(q, ((0, 0), (0, blocks * block - size), (0, 0), (0, 0)))
    q = q.reshape((b, blocks, block) + q.shape[2:])
    if blocks == 1 and np.array_equal(memory[0], np.arange(size)):
      keys, values = k[:, None], v[:, None]                                # dense: no gather
    else:
      safe = np.maximum(memory, 0)
      keys, values = jnp.take(k, safe, axis=1), jnp.take(v, safe, axis=1)   # [B, n, M, H, D]
    qpos = np.arange(blocks * block).reshape(blocks, block, 1)
    kpos = memory[:, None, :]
    mask = self._mask(qpos, kpos, layer) & (kpos >= 0)               # [H|1, n, block, M]
    logits = jnp.einsum('bnqhd,bnmhd->bnhqm', q, keys)
    weights = masked_softmax(logits, jnp.moveaxis(mask, 0, 1)).astype(v.dtype)
    out = jnp.einsum('bnhqm,bnmhd->bnqhd', weights, values)
    return out.reshape((b, blocks * block) + out.shape[3:])[:, :size]
