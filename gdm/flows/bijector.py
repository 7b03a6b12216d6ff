"""The bijector interface every flow layer implements, and chaining.

A bijector is a Flax module called as `layer(x, inverse=False) -> (y, logdet)`:
  forward (inverse=False): data side -> latent side, logdet = log|det dy/dx| per example [B];
  inverse (inverse=True):  latent side -> data side, logdet = log|det dx/dy| per example [B].
`forward` and `inverse` name the two directions. Parameters are created on the first
forward call, so data-dependent initialisation (actnorm) sees real activations when the
whole flow is initialised on a batch.
"""
from collections.abc import Sequence

import flax.linen as nn
import jax
import jax.numpy as jnp


def sum_except_batch(x: jax.Array) -> jax.Array:
  return x.reshape(x.shape[0], -1).sum(-1)


class Bijector(nn.Module):
  """Subclasses implement __call__(x, inverse=False) -> (y, logdet [B])."""

  def forward(self, x):
    return self(x, inverse=False)

  def inverse(self, y):
    return self(y, inverse=True)


class Chain(Bijector):
  """layers[0] first in the forward (data -> latent) direction; log-dets add up."""
  layers: Sequence[Bijector]

  def __call__(self, x, inverse: bool = False):
    logdet = jnp.zeros(x.shape[:1], jnp.float32)
    for layer in (reversed(self.layers) if inverse else self.layers):
      x, ld = layer(x, inverse=inverse)
      logdet = logdet + ld
    return x, logdet


class Flatten(Bijector):
  """[B, *shape] <-> [B, prod(shape)]: lets vector flows (NICE) run on images."""
  shape: tuple[int, ...]

  def __call__(self, x, inverse: bool = False):
    y = x.reshape((x.shape[0],) + (self.shape if inverse else (-1,)))
    return y, jnp.zeros(x.shape[:1], jnp.float32)
