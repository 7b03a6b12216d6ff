"""StyleGAN2's modulated convolution with demodulation (Karras et al., 2020, Sec. 2.2, eqs.
1-3): a style s = A(w) (an affine map of w, bias initialised to 1) scales the input
channels of the weights, w'_ijk = s_i w_ijk, and demodulation rescales each output
channel by 1 / sqrt(sum_ik w'_ijk^2 + eps), so that unit-variance inputs give unit-variance
outputs whatever the style: instance normalisation's effect, from the weights alone.

Computed as the official code's non-fused path, which is exact: the input scaled by s, one
convolution with the shared weights, the output scaled by the demodulation factors (rather
than one convolution per example). `up=True` first upsamples 2x with the FIR filter of
gdm.nn.resample_filter: the official transposed convolution followed by that filter is the
same linear operator up to the image border (shift-invariant filters commute).
"""
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn.equalized import EqualizedDense, conv
from gdm.nn.resample_filter import upsample_2x

EPS = 1e-8


def demodulation(weight: jax.Array, style: jax.Array) -> jax.Array:
  """[B, out]: 1 / sqrt(sum over kernel positions and inputs of (s_i w_ijk)^2 + eps)."""
  return jax.lax.rsqrt(jnp.einsum('bi,hwio->bo', style ** 2, weight ** 2) + EPS)


class ModulatedConv(nn.Module):
  features: int
  kernel_size: int
  demodulate: bool = True
  up: bool = False
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, w):
    """x [B, H, W, C_in], w [B, w_dim] -> [B, H', W', features] (no bias)."""
    k, c_in = self.kernel_size, x.shape[-1]
    style = EqualizedDense(c_in, bias_init=1.0, name='affine')(w).astype(jnp.float32)
    weight = self.param('weight', nn.initializers.normal(1.0), (k, k, c_in, self.features))
    weight = weight / math.sqrt(k * k * c_in)            # equalized learning rate
    x = x * style[:, None, None, :].astype(x.dtype)
    if self.up:
      x = upsample_2x(x)
    y = conv(x.astype(self.dtype), weight)
    if self.demodulate:
      y = y * demodulation(weight, style)[:, None, None, :].astype(y.dtype)
    return y
