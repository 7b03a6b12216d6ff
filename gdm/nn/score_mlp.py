"""An MLP noise/score network for vector data (2-D toys): the input and the timestep (and a
class label) embedded, summed, then an MLP (gdm.nn.mlp.MLP)."""
from typing import Sequence

import flax.linen as nn

import jax.numpy as jnp

from gdm.nn.mlp import MLP, activation
from gdm.nn.time_embedding import sinusoidal_embedding


class ScoreMLP(nn.Module):
  hidden: Sequence[int]
  out_dim: int
  act: str = 'silu'
  num_classes: int = 0          # > 0: labels in [0, num_classes], num_classes = no label
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, t, y=None, train: bool = False):
    del train
    width = self.hidden[0]
    temb = sinusoidal_embedding(t, width)
    temb = nn.Dense(width, dtype=self.dtype, name='temb1')(
        activation(self.act)(nn.Dense(width, dtype=self.dtype, name='temb0')(temb)))
    h = nn.Dense(width, dtype=self.dtype, name='in')(x) + temb
    if self.num_classes:
      h = h + nn.Embed(self.num_classes + 1, width, name='label')(y).astype(h.dtype)
    h = activation(self.act)(h)
    out = MLP(tuple(self.hidden[1:]) + (self.out_dim,), self.act, self.dtype, name='mlp')(h)
    return out.astype(jnp.float32)


