"""Equalized learning rate (Karras et al., 2018, Sec. 4.1): weights are stored as N(0, 1) draws
and scaled at every call by He's constant c = gain / sqrt(fan_in) (gain sqrt(2) for leaky-ReLU
layers, 1 for linear outputs), biases start at 0. An adaptive optimizer's update is then the
same size relative to every layer's effective weights, whatever their fan-in, instead of
being too small for layers with a large dynamic range.
"""
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

HE_GAIN = math.sqrt(2.0)


def he_scale(fan_in: int, gain: float = HE_GAIN) -> float:
  return gain / math.sqrt(fan_in)


class EqualizedDense(nn.Module):
  features: int
  gain: float = HE_GAIN
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    fan_in = x.shape[-1]
    kernel = self.param('kernel', nn.initializers.normal(1.0), (fan_in, self.features))
    bias = self.param('bias', nn.initializers.zeros, (self.features,))
    w = (kernel * he_scale(fan_in, self.gain)).astype(self.dtype)
    return jnp.dot(x.astype(self.dtype), w) + bias.astype(self.dtype)


class EqualizedConv(nn.Module):
  """A stride-1 'SAME' convolution of NHWC maps with an equalized-LR kernel [k, k, in, out]."""
  features: int
  kernel_size: int = 3
  gain: float = HE_GAIN
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    k, cin = self.kernel_size, x.shape[-1]
    kernel = self.param('kernel', nn.initializers.normal(1.0), (k, k, cin, self.features))
    bias = self.param('bias', nn.initializers.zeros, (self.features,))
    w = (kernel * he_scale(k * k * cin, self.gain)).astype(self.dtype)
    y = jax.lax.conv_general_dilated(x.astype(self.dtype), w, (1, 1), 'SAME',
                                     dimension_numbers=('NHWC', 'HWIO', 'NHWC'))
    return y + bias.astype(self.dtype)
