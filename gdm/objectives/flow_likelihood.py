"""Exact negative log-likelihood of a flow, with dequantization and the logit transform.

For data x (in the prepared units of gdm.data.preprocess), a flow f with base density p_Z:
  nll(x) = -log p_Z(f(x)) - log|det df/dx|                          (nats)
Uniform dequantization (data.dequantize=True) happens in preprocessing. Variational
dequantization replaces it with learned noise u ~ q(u | k) on the integer pixels k:
  nll(k) <= log q(u | k) - log p(k + u)            (one-sample bound; equality in expectation
                                                   only when q is the true posterior)
The logit transform (RealNVP) maps [0, 1] data to R first: y = logit(alpha + (1 - 2 alpha) x)
and adds its log-Jacobian, so the nll stays the density of x itself. Bits/dim then follow
gdm.metrics.bits_per_dim: bpd = (nll + D log(256 / range)) / (D ln 2), as in the papers.
"""
import dataclasses
import math

import jax
import jax.numpy as jnp

from gdm.data.config import PixelFormat
from gdm.data.preprocess import data_range, to_uint8
from gdm.data.source import DatasetInfo
from gdm.flows.bijector import sum_except_batch
from gdm.metrics import bits_per_dim


def logit_transform(x: jax.Array, alpha: float) -> tuple[jax.Array, jax.Array]:
  """[0, 1] -> R: y = logit(p), p = alpha + (1 - 2 alpha) x; and log|det dy/dx| [B]."""
  p = alpha + (1 - 2 * alpha) * x
  log_p, log_1mp = jnp.log(p), jnp.log1p(-p)
  return log_p - log_1mp, sum_except_batch(math.log(1 - 2 * alpha) - log_p - log_1mp)


def logit_inverse(y: jax.Array, alpha: float) -> jax.Array:
  return (jax.nn.sigmoid(y) - alpha) / (1 - 2 * alpha)


def negative_log_likelihood(log_pz: jax.Array, logdet: jax.Array,
                            log_q: jax.Array | float = 0.0) -> jax.Array:
  """Per-example nats: -(log p_Z(z) + log|det dz/dx|) + log q(u | k) (variational only)."""
  return -(log_pz + logdet) + log_q


def dequantized_pixels(pixels: PixelFormat) -> PixelFormat:
  """The pixel format whose uniform dequantization gives the values variational
  dequantization produces (k + u in the same scaled range)."""
  return dataclasses.replace(pixels, dequantize=True)


def bpd_offset(pixels: PixelFormat, info: DatasetInfo, variational: bool) -> float | None:
  """Nats from the flow's nll (prepared units) to 8-bit pixel units; None = no bpd."""
  cfg = dequantized_pixels(pixels) if variational else pixels
  return bits_per_dim.pixel_offset(cfg, info, 'density')


def integer_pixels(x: jax.Array, pixels: PixelFormat) -> jax.Array:
  """Non-dequantized prepared images -> their pixel values k in {0..255} (float32)."""
  return to_uint8(x, pixels).astype(jnp.float32)


def add_dequantization_noise(k: jax.Array, u: jax.Array, pixels: PixelFormat,
                             info: DatasetInfo) -> jax.Array:
  """Pixels k plus noise u in [0, 1), scaled exactly as preprocess's uniform dequantization
  scales k + uniform noise (so the same bpd offset applies)."""
  r = data_range(dequantized_pixels(pixels), info)
  low = -1.0 if pixels.scale == 'minus_one_one' else 0.0
  return (k + u) * (r / 256.0) + low
