"""Equalized learning rate (Karras et al., 2018, ProGAN Sec. 4.1; every layer of StyleGAN2).

Weights are stored N(0, 1 / lr_mul^2) and scaled at every call by gain * lr_mul / sqrt(fan_in)
(He's constant), so an adaptive optimizer's scale-free steps move every layer at the same
relative speed whatever its fan-in. `gain`: sqrt(2) (HE_GAIN) before a leaky ReLU as ProGAN
has it, 1 for linear outputs and for StyleGAN2, whose activation carries the sqrt(2) instead
(`scaled_leaky_relu`). `lr_mul` < 1 slows a layer down (StyleGAN's mapping network: 0.01).
Biases are stored divided by lr_mul likewise.
"""
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

LEAK = 0.2
HE_GAIN = math.sqrt(2.0)


def he_scale(fan_in: int, gain: float = HE_GAIN) -> float:
  return gain / math.sqrt(fan_in)


def scaled_leaky_relu(x):
  return nn.leaky_relu(x, LEAK) * math.sqrt(2.0)


class EqualizedDense(nn.Module):
  features: int
  gain: float = 1.0
  lr_mul: float = 1.0
  bias_init: float = 0.0        # the bias's initial effective value (1 for style affines)
  use_bias: bool = True
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    fan_in = x.shape[-1]
    w = self.param('kernel', nn.initializers.normal(1.0 / self.lr_mul),
                   (fan_in, self.features))
    scale = he_scale(fan_in, self.gain) * self.lr_mul
    y = jnp.dot(x.astype(self.dtype), (w * scale).astype(self.dtype))
    if self.use_bias:
      b = self.param('bias', nn.initializers.constant(self.bias_init / self.lr_mul),
                     (self.features,))
      y = y + (b * self.lr_mul).astype(self.dtype)
    return y


def conv(x, w, stride: int = 1, padding='SAME'):
  """NHWC x HWIO convolution (plain, for weights already scaled)."""
  return jax.lax.conv_general_dilated(x, w.astype(x.dtype), (stride, stride), padding,
                                      dimension_numbers=('NHWC', 'HWIO', 'NHWC'))


class EqualizedConv(nn.Module):
  """A k x k convolution with equalized learning rate; `padding` as lax takes it."""
  features: int
  kernel_size: int = 3
  stride: int = 1
  padding: str | tuple = 'SAME'
  gain: float = 1.0
  use_bias: bool = True
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    k, cin = self.kernel_size, x.shape[-1]
    w = self.param('kernel', nn.initializers.normal(1.0), (k, k, cin, self.features))
    y = conv(x.astype(self.dtype), w * he_scale(k * k * cin, self.gain), self.stride,
             self.padding)
    if self.use_bias:
      y = y + self.param('bias', nn.initializers.zeros, (self.features,)).astype(self.dtype)
    return y
