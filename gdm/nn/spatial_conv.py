"""Convolutional encoder and decoder between images and spatial latent maps [h, w, D].

The VQ-VAE networks (van den Oord et al., 2017, section 4.1): the encoder is stride-2 4x4
convolutions (one halving per entry of `channels`), a 3x3 convolution, residual blocks
(ReLU, 3x3 conv, ReLU, 1x1 conv, added to the input) and a 1x1 projection to D; the decoder
mirrors it with stride-2 4x4 transposed convolutions. `image_size` must be divisible by
2**len(channels) (`gdm.nn.conv.check_levels`).
"""
import math
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.nn.conv import strided_downsample
from gdm.nn.mlp import activation


def kernel_init(key, shape, dtype=jnp.float32):
  """flax's default conv init (lecun_normal: truncated normal, variance 1/fan_in with
  fan_in = kh * kw * in) drawn as a [fan_in, out] matrix: XLA:CPU compiles the threefry
  generator for rank >= 3 shapes very slowly (~40 s to initialise these networks)."""
  flat = nn.initializers.lecun_normal()(key, (math.prod(shape[:-1]), shape[-1]), dtype)
  return flat.reshape(shape)


class ResidualStack(nn.Module):
  """`num_blocks` residual blocks of width `hidden` on a map with the input's channels,
  then the activation (the blocks' outputs are pre-activation sums)."""
  num_blocks: int
  hidden: int
  act: str = 'relu'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    act = activation(self.act)
    for i in range(self.num_blocks):
      h = nn.Conv(self.hidden, (3, 3), padding='SAME', dtype=self.dtype,
                  kernel_init=kernel_init, name=f'block{i}_conv3')(act(x))
      x = x + nn.Conv(x.shape[-1], (1, 1), dtype=self.dtype, kernel_init=kernel_init,
                      name=f'block{i}_conv1')(act(h))
    return act(x)


class SpatialEncoder(nn.Module):
  """[B, H, W, C] -> [B, H / 2**L, W / 2**L, out_dim] with L = len(channels)."""
  channels: Sequence[int]
  out_dim: int
  num_res_blocks: int = 2
  res_channels: int = 32
  act: str = 'relu'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    x = strided_downsample(x, self.channels, activation(self.act), self.dtype, 'down',
                           kernel_init=kernel_init)
    x = nn.Conv(self.channels[-1], (3, 3), padding='SAME', dtype=self.dtype,
                kernel_init=kernel_init, name='mid')(x)
    x = ResidualStack(self.num_res_blocks, self.res_channels, self.act, self.dtype,
                      name='res')(x)
    return nn.Conv(self.out_dim, (1, 1), dtype=self.dtype, kernel_init=kernel_init,
                   name='out')(x)


class SpatialDecoder(nn.Module):
  """[B, h, w, D] -> [B, h * 2**L, w * 2**L, out_channels]; mirrors SpatialEncoder."""
  channels: Sequence[int]          # listed from the encoder's side (image -> latent)
  out_channels: int
  num_res_blocks: int = 2
  res_channels: int = 32
  act: str = 'relu'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, z):
    act = activation(self.act)
    chans = list(self.channels)[::-1]
    x = nn.Conv(chans[0], (3, 3), padding='SAME', dtype=self.dtype, kernel_init=kernel_init,
                name='in')(z)
    x = ResidualStack(self.num_res_blocks, self.res_channels, self.act, self.dtype,
                      name='res')(x)
    for i, c in enumerate(chans[1:]):
      x = act(nn.ConvTranspose(c, (4, 4), strides=(2, 2), padding='SAME', dtype=self.dtype,
                               kernel_init=kernel_init, name=f'up{i}')(x))
    return nn.ConvTranspose(self.out_channels, (4, 4), strides=(2, 2), padding='SAME',
                            dtype=self.dtype, kernel_init=kernel_init, name='out')(x)
