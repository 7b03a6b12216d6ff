"""Multi-layer perceptron."""
from typing import Callable, Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.utils.checks import check_choice

ACTIVATIONS = {'relu': nn.relu, 'gelu': nn.gelu, 'silu': nn.silu, 'tanh': jnp.tanh,
               'sigmoid': nn.sigmoid, 'elu': nn.elu, 'leaky_relu': nn.leaky_relu}


def activation(name: str) -> Callable:
  check_choice(name, ACTIVATIONS, 'activation')
  return ACTIVATIONS[name]


class MLP(nn.Module):
  """Dense layers with an activation between them; the last layer is linear."""
  features: Sequence[int]
  act: str = 'relu'
  dtype: jnp.dtype = jnp.float32       # compute dtype; params stay float32

  @nn.compact
  def __call__(self, x):
    act = activation(self.act)
    for i, f in enumerate(self.features):
      x = nn.Dense(f, dtype=self.dtype, name=f'dense{i}')(x)
      if i < len(self.features) - 1:
        x = act(x)
    return x
