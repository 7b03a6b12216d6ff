"""StyleGAN2's networks (Karras et al., 2020, config F: the official networks_stylegan2.py's
G_mapping, G_synthesis_stylegan2 with architecture='skip', D_stylegan2 with 'resnet').

MappingNetwork         z -> w: z scaled to unit mean square, `layers` equalized dense layers
                       of w_dim units with learning-rate multiplier 0.01 and scaled leaky ReLU.
SynthesisNetwork       ws [B, L, w_dim] -> images, L = 2 log2(R) - 2: a learned 4x4 constant,
                       a modulated 3x3 conv (style 0), then per resolution 8..R an upsampling
                       modulated 3x3 conv and a modulated 3x3 conv; every conv adds per-pixel
                       Gaussian noise times a learned per-layer strength (initially 0), a
                       bias and the activation. Skip architecture: the 1x1 ToRGB (modulated,
                       not demodulated) of every resolution is added to the FIR-upsampled
                       image so far. Resolution r's convs read styles 2 log2(r) - 5 and - 4,
                       its ToRGB style 2 log2(r) - 3 (the official indices). Output: linear.
ResidualDiscriminator  a 1x1 FromRGB at R, a residual block per resolution R..8 (3x3 conv,
                       FIR blur and 3x3 stride-2 conv, plus a blurred 1x1 stride-2 skip, the
                       sum scaled by 1/sqrt(2)), then at 4x4 minibatch stddev, a 3x3 conv, a
                       dense layer and the score.
Channels at resolution r: min(channel_base // r, channel_max); every layer has equalized
learning rate (gdm.nn.equalized). The noise comes from the 'noise' rng; `shared_noise` uses
one noise image for the whole batch (the modes' grids: only the styles differ).
"""
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.models.gan.stylegan2_config import StyleGAN2Settings
from gdm.nn.equalized import EqualizedConv, EqualizedDense, scaled_leaky_relu
from gdm.nn.minibatch_stddev import minibatch_stddev
from gdm.nn.modulated_conv import ModulatedConv
from gdm.nn.resample_filter import blur, upsample_2x


class MappingNetwork(nn.Module):
  w_dim: int
  layers: int = 8
  lr_mul: float = 0.01
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, z):
    x = z * jax.lax.rsqrt(jnp.mean(jnp.square(z), axis=-1, keepdims=True) + 1e-8)
    for i in range(self.layers):
      x = scaled_leaky_relu(EqualizedDense(self.w_dim, lr_mul=self.lr_mul, dtype=self.dtype,
                                           name=f'dense{i}')(x))
    return x.astype(jnp.float32)


class StyleLayer(nn.Module):
  """Modulated conv, noise, bias, activation."""
  features: int
  up: bool = False
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, w, shared_noise: bool):
    x = ModulatedConv(self.features, 3, up=self.up, dtype=self.dtype, name='conv')(x, w)
    b, h, wd, _ = x.shape
    noise = jax.random.normal(self.make_rng('noise'), (1 if shared_noise else b, h, wd, 1))
    x = x + (noise * self.param('noise_strength', nn.initializers.zeros, ())).astype(x.dtype)
    return scaled_leaky_relu(x + self.param('bias', nn.initializers.zeros,
                                            (self.features,)).astype(x.dtype))


class ToRGB(nn.Module):
  channels: int
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, w):
    y = ModulatedConv(self.channels, 1, demodulate=False, dtype=self.dtype, name='conv')(x, w)
    return (y + self.param('bias', nn.initializers.zeros, (self.channels,))).astype(jnp.float32)


class SynthesisNetwork(nn.Module):
  settings: StyleGAN2Settings
  resolution: int
  out_channels: int
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, ws, shared_noise: bool = False):
    nf, dt = self.settings.channels, self.dtype
    const = self.param('const', nn.initializers.normal(1.0), (4, 4, nf(4)))
    x = jnp.broadcast_to(const, (ws.shape[0],) + const.shape).astype(dt)
    x = StyleLayer(nf(4), dtype=dt, name='conv4')(x, ws[:, 0], shared_noise)
    image = ToRGB(self.out_channels, dt, name='torgb4')(x, ws[:, 1])
    for log2 in range(3, int(math.log2(self.resolution)) + 1):
      r = 2 ** log2
      x = StyleLayer(nf(r), up=True, dtype=dt, name=f'conv{r}_up')(x, ws[:, 2 * log2 - 5],
                                                                    shared_noise)
      x = StyleLayer(nf(r), dtype=dt, name=f'conv{r}')(x, ws[:, 2 * log2 - 4], shared_noise)
      image = upsample_2x(image) + ToRGB(self.out_channels, dt, name=f'torgb{r}')(
          x, ws[:, 2 * log2 - 3])
    return image


class DiscriminatorBlock(nn.Module):
  mid: int
  out: int
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    dt = self.dtype
    h = scaled_leaky_relu(EqualizedConv(self.mid, 3, dtype=dt, name='conv0')(x))
    h = scaled_leaky_relu(EqualizedConv(self.out, 3, stride=2, padding='VALID', dtype=dt,
                                        name='conv1_down')(blur(h, (2, 2))))
    skip = EqualizedConv(self.out, 1, stride=2, padding='VALID', use_bias=False, dtype=dt,
                         name='skip')(blur(x, (1, 1)))
    return (h + skip) * (1 / math.sqrt(2))


class ResidualDiscriminator(nn.Module):
  """(x, y, update_stats) -> {'score': [B]}, the family's discriminator interface."""
  settings: StyleGAN2Settings
  resolution: int
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, y=None, update_stats=False):
    s, dt = self.settings, self.dtype
    h = scaled_leaky_relu(EqualizedConv(s.channels(self.resolution), 1, dtype=dt,
                                        name='from_rgb')(x.astype(dt)))
    for log2 in range(int(math.log2(self.resolution)), 2, -1):
      r = 2 ** log2
      h = DiscriminatorBlock(s.channels(r), s.channels(r // 2), dt, name=f'block{r}')(h)
    if s.mbstd_group > 1:
      h = minibatch_stddev(h, s.mbstd_group, s.mbstd_features)
    h = scaled_leaky_relu(EqualizedConv(s.channels(4), 3, dtype=dt, name='conv4')(h))
    h = scaled_leaky_relu(EqualizedDense(s.channels(4), dtype=dt, name='dense4')(
        h.reshape(h.shape[0], -1)))
    return {'score': EqualizedDense(1, dtype=dt, name='score')(h)[:, 0].astype(jnp.float32)}
