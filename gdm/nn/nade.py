"""NADE (Larochelle & Murray, 2011; real-valued outputs as in RNADE, Uria et al., 2013).

One hidden layer with tied weights: h_d = act(c + W[:, :d] x_<d) and output block
d = b_d + V_d h_d ([P] parameters of p(x_d | x_<d)). The pre-activations of all d come from
one exclusive cumulative sum over the dimensions, so a forward pass is O(D H).
"""
import flax.linen as nn
import jax.numpy as jnp

from gdm.nn.mlp import activation


class NADE(nn.Module):
  """x [B, D] (context [B, K] or None) -> [B, D, outputs_per_dim]; [b, d] depends only on
  x[b, :d] (and the context)."""
  hidden: int
  outputs_per_dim: int
  act: str = 'sigmoid'

  @nn.compact
  def __call__(self, x, context=None):
    d, h, p = x.shape[-1], self.hidden, self.outputs_per_dim
    w = self.param('w', nn.initializers.normal(1.0 / d ** 0.5), (d, h))
    c = self.param('c', nn.initializers.zeros, (h,))
    v = self.param('v', nn.initializers.normal(1.0 / h ** 0.5), (d, h, p))
    b = self.param('b', nn.initializers.zeros, (d, p))
    contrib = x[..., :-1, None] * w[:-1]                            # [B, D - 1, H]
    zero = jnp.zeros(contrib.shape[:-2] + (1, h), contrib.dtype)
    # Shifted (exclusive) cumsum: row d sums j < d and never touches x_d, not even by rounding.
    pre = jnp.concatenate([zero, jnp.cumsum(contrib, axis=-2)], axis=-2) + c
    if context is not None:
      pre = pre + nn.Dense(h, use_bias=False, name='context')(context)[..., None, :]
    hid = activation(self.act)(pre)
    return jnp.einsum('...dh,dhp->...dp', hid, v) + b
