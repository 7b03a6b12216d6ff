"""Variational dequantization (Ho et al., 2019, Flow++): learned noise u in (0, 1)^D
conditioned on the integer pixels k, in place of uniform noise.

u = sigmoid(mu(k) + exp(log_sigma(k)) * eps), eps ~ N(0, I): a one-layer conditional flow
whose log q(u | k) is exact. The flow then models k + u, and
  -log P(k) <= E_q[ log q(u | k) - log p(k + u) ],
which is tighter than uniform dequantization (q = 1) when q is learned.
"""
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.flows.bijector import sum_except_batch
from gdm.nn.mlp import activation


class VariationalDequantizer(nn.Module):
  """(pixels scaled to [-1, 1] [B, H, W, C], key) -> (u in (0, 1), log q(u | pixels) [B])."""
  channels: int = 16
  act: str = 'relu'

  @nn.compact
  def __call__(self, x, key):
    act = activation(self.act)
    h = act(nn.Conv(self.channels, (3, 3), name='in')(x))
    h = act(nn.Conv(self.channels, (3, 3), name='mid')(h))
    out = nn.Conv(2 * x.shape[-1], (3, 3), kernel_init=nn.initializers.zeros, name='out')(h)
    mu, log_sigma = jnp.split(out, 2, -1)
    eps = jax.random.normal(key, x.shape)
    a = mu + jnp.exp(log_sigma) * eps
    # log q(u) = log N(eps) - log sigma - log sigmoid'(a)
    log_q = (-0.5 * (eps ** 2 + math.log(2 * math.pi)) - log_sigma
             - jax.nn.log_sigmoid(a) - jax.nn.log_sigmoid(-a))
    return jax.nn.sigmoid(a), sum_except_batch(log_q)
