"""Masked autoregressive flow (Papamakarios et al., 2017) and inverse autoregressive flow
(Kingma et al., 2016) as its inverse direction, on vectors [B, D], with gdm.nn.made.MADE.

Both use x_i = u_i * exp(alpha_i) + mu_i with (mu, alpha) autoregressive:
  MAF: (mu, alpha) = MADE(x)  -> density (x -> u) in one pass, sampling in D passes;
  IAF: (mu, alpha) = MADE(u)  -> sampling (u -> x) in one pass, density in D passes.
Forward (data -> latent) logdet = -sum(alpha).
"""
from collections.abc import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.flows.bijector import Bijector
from gdm.nn.made import MADE


class MAF(Bijector):
  hidden: Sequence[int] = (64, 64)
  order: str = 'identity'        # MADE order; stacks alternate identity / reverse
  act: str = 'relu'
  iaf: bool = False              # True: condition on the latent side (IAF)

  @nn.compact
  def __call__(self, x, inverse: bool = False):
    made = MADE(tuple(self.hidden), 2, self.act, self.order, zero_init_output=True,
                name='made')

    def params(v):
      out = made(v)
      return out[..., 0], out[..., 1]

    # The conditioner reads the data side (MAF) or the latent side (IAF). When the input is
    # that side, one pass; otherwise iterate the autoregressive recursion: after pass k the
    # first k coordinates (in MADE order) are exact, so D passes solve it, and the last
    # pass's (mu, alpha) are exact too (alpha_i needs only coordinates before i).
    to_data = inverse              # latent -> data: x = u * exp(alpha) + mu

    def step(v, mu, alpha):
      return v * jnp.exp(alpha) + mu if to_data else (v - mu) * jnp.exp(-alpha)

    if inverse == self.iaf:
      mu, alpha = params(x)
      y = step(x, mu, alpha)
    else:
      y = jnp.zeros_like(x)
      for _ in range(x.shape[-1]):
        mu, alpha = params(y)
        y = step(x, mu, alpha)
    ld = alpha.sum(-1)              # log|det d(data)/d(latent)|
    return y, (ld if inverse else -ld)
