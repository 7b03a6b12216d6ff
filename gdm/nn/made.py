"""MADE: masked autoencoder for distribution estimation (Germain et al., 2015).

An MLP whose weight matrices are masked so that output block i depends only on the inputs
with a smaller degree (the position of the input in the autoregressive order). Used as an
autoregressive model on its own (binary pixels, 2-D toys) and as the conditioner of MAF/IAF.

Degrees: inputs get a permutation of 1..D (the order); hidden unit k of every layer gets
k mod (D - 1) + 1 (deterministic, so every degree 1..D-1 is represented when the layer has at
least D - 1 units); a hidden unit of degree m sees the units of degree <= m below it, and
output i (degree d_i) sees hidden units of degree < d_i. So output i depends on inputs of
degree < d_i only. An optional context (conditioning vector) feeds every hidden layer
unmasked: it is not part of the order.
"""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from gdm.nn.mlp import activation
from gdm.utils.checks import check_choice

ORDERS = ('identity', 'reverse', 'random')


def input_degrees(input_dim: int, order='identity', seed: int = 0) -> np.ndarray:
  """Degrees 1..D of the inputs: 'identity', 'reverse', 'random' (seeded) or an explicit
  permutation of 1..D."""
  if isinstance(order, str):
    check_choice(order, ORDERS, 'MADE order')
    if order == 'identity':
      return np.arange(1, input_dim + 1)
    if order == 'reverse':
      return np.arange(input_dim, 0, -1)
    return np.random.RandomState(seed).permutation(input_dim) + 1
  degrees = np.asarray(order, np.int64)
  if degrees.shape != (input_dim,) or sorted(degrees.tolist()) != list(range(1, input_dim + 1)):
    raise ValueError(f'MADE degrees must be a permutation of 1..{input_dim}; got {order!r}')
  return degrees


def made_masks(input_dim: int, hidden: Sequence[int], order_or_degrees='identity',
               seed: int = 0) -> list[np.ndarray]:
  """0/1 masks [fan_in, fan_out] for each layer: input -> hidden..., last hidden -> output.

  The output mask is [last width, input_dim] (one column per output dimension; a layer with
  P outputs per dimension repeats each column P times).
  """
  degrees = [input_degrees(input_dim, order_or_degrees, seed)]
  for width in hidden:
    degrees.append(np.arange(width) % max(input_dim - 1, 1) + 1)
  masks = [(d_in[:, None] <= d_out[None, :]).astype(np.float32)
           for d_in, d_out in zip(degrees[:-1], degrees[1:])]
  masks.append((degrees[-1][:, None] < degrees[0][None, :]).astype(np.float32))
  return masks


class MaskedDense(nn.Module):
  """Dense layer whose kernel is multiplied by a fixed 0/1 mask [fan_in, features]."""
  mask: np.ndarray
  kernel_init: nn.initializers.Initializer = nn.initializers.lecun_normal()

  @nn.compact
  def __call__(self, x):
    kernel = self.param('kernel', self.kernel_init, self.mask.shape)
    bias = self.param('bias', nn.initializers.zeros, self.mask.shape[1:])
    return x @ (kernel * jnp.asarray(self.mask, kernel.dtype)) + bias


class MADE(nn.Module):
  """made(x [B, D], context [B, K] or None) -> [B, D, outputs_per_dim]; [b, i, :] depends
  only on x[b, j] with degree(j) < degree(i) (and on the context)."""
  hidden: tuple[int, ...]
  outputs_per_dim: int
  act: str = 'relu'
  order: str | Sequence[int] = 'identity'
  seed: int = 0                       # for order='random'
  context_dim: int = 0
  zero_init_output: bool = False      # e.g. MAF starting at the identity transform

  @nn.compact
  def __call__(self, x, context=None):
    dim = x.shape[-1]
    masks = made_masks(dim, self.hidden, self.order, self.seed)
    if self.context_dim and (context is None or context.shape[-1] != self.context_dim):
      got = None if context is None else context.shape
      raise ValueError(f'MADE with context_dim={self.context_dim} needs a context [B, '
                       f'{self.context_dim}]; got {got}')
    act = activation(self.act)
    h = x
    for i, mask in enumerate(masks[:-1]):
      h = MaskedDense(mask, name=f'masked{i}')(h)
      if self.context_dim:
        h = h + nn.Dense(mask.shape[1], use_bias=False, name=f'context{i}')(context)
      h = act(h)
    out_mask = np.repeat(masks[-1], self.outputs_per_dim, axis=1)   # unit d * P + p
    init = (nn.initializers.zeros if self.zero_init_output else nn.initializers.lecun_normal())
    out = MaskedDense(out_mask, kernel_init=init, name='output')(h)
    if self.context_dim:    # directly too: output 1 sees no hidden unit, yet is conditional
      out = out + nn.Dense(out_mask.shape[1], use_bias=False, kernel_init=init,
                           name='context_out')(context)
    return out.reshape(x.shape[:-1] + (dim, self.outputs_per_dim))
