"""Likelihood reporting shared by every likelihood family: nats/example and bits/dim.

Convention (the papers' one: RealNVP, Glow, PixelCNN++, DDPM): bits/dim is the negative
log-likelihood of the 8-bit data, in bits, divided by the number of dimensions D = H*W*C,

  bpd = (nll + offset) / (D ln 2).

- A discrete model (Bernoulli on binarized pixels, a 256-way softmax or a discretized
  logistic mixture) already gives the probability of the 8-bit (or binary) values:
  offset = 0.
- A density on uniformly dequantized pixels scaled to a range of width r (x = u * r / 256
  for u in [0, 256)) is moved to pixel units by the change of variables, which adds
  D log(256 / r) nats: offset = D log(256 / r). Its bpd is then an upper bound on the
  discrete NLL of the 8-bit data (Theis et al., 2016).
- A density on pixels that are not dequantized has no such meaning: no bpd (None).

`nll` here is per example, in nats, in the units of the prepared data the model sees; a
family with a further transform (the flow's logit) includes that transform's log-Jacobian in
its nll before calling these functions.
"""
import math

import jax
import jax.numpy as jnp

from gdm.data.config import PixelFormat
from gdm.data.preprocess import data_range
from gdm.data.source import DatasetInfo

# What the model's likelihood is over: a probability of discrete values, or a density.
KINDS = ('discrete', 'density')


def pixel_offset(pixels: PixelFormat, info: DatasetInfo, kind: str) -> float | None:
  """Nats to add to a per-example nll to get the nll of 8-bit pixels; None = no bpd."""
  if kind not in KINDS:
    raise ValueError(f'likelihood kind {kind!r} is not one of {KINDS}')
  if not info.is_image:
    return None
  if kind == 'discrete':
    return 0.0
  if not pixels.dequantize:
    return None
  return math.prod(info.shape) * math.log(256.0 / data_range(pixels, info))


def bits_per_dim(nll: jax.Array, num_dims: int, offset: float = 0.0) -> jax.Array:
  """Per-example nats (in prepared units) -> bits per dimension of the 8-bit data."""
  return (jnp.asarray(nll) + offset) / (num_dims * math.log(2.0))


def report(nll: jax.Array, info: DatasetInfo, offset: float | None) -> dict[str, jax.Array]:
  """{'nll': nats/example, 'bpd': bits/dim (images with a defined offset only)}."""
  out = {'nll': nll}
  if offset is not None:
    out['bpd'] = bits_per_dim(nll, math.prod(info.shape), offset)
  return out
