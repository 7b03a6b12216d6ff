"""Convolutional encoder and decoder for square images (8x8 to 64x64 and beyond).

Each level halves (encoder) or doubles (decoder) the resolution with a stride-2 convolution,
so `image_size` must be divisible by 2**len(channels).
"""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.nn.mlp import activation


def check_conv_data(info, channels: Sequence[int], what: str = "model.kind='conv'"):
  """One-line errors unless `info` (a DatasetInfo) holds square images whose size the
  stride-2 levels in `channels` divide."""
  if not info.is_image:
    raise ValueError(f'{what} needs an image dataset; {info.name!r} is 2-D/tabular')
  if info.shape[0] != info.shape[1]:
    raise ValueError(f'{what} needs square images; {info.name!r} is '
                     f'{info.shape[0]}x{info.shape[1]} (set data.image_size)')
  check_levels(info.shape[0], channels)


def check_levels(image_size: int, channels: Sequence[int]):
  if image_size % (2 ** len(channels)):
    raise ValueError(f'image size {image_size} is not divisible by 2**{len(channels)} '
                     f'(one halving per entry of channels={tuple(channels)})')


def strided_downsample(x, channels: Sequence[int], act, dtype, prefix: str, **conv_kwargs):
  """One stride-2 4x4 convolution + activation per entry of `channels`, named PREFIX{i}.
  Call from inside a compact module method: the convolutions become its submodules."""
  for i, c in enumerate(channels):
    x = act(nn.Conv(c, (4, 4), strides=2, padding='SAME', dtype=dtype, name=f'{prefix}{i}',
                    **conv_kwargs)(x))
  return x


class ConvEncoder(nn.Module):
  """[B, H, W, C] -> [B, out_dim]."""
  channels: Sequence[int]
  out_dim: int
  act: str = 'relu'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    x = strided_downsample(x, self.channels, activation(self.act), self.dtype, 'conv')
    x = x.reshape(x.shape[0], -1)
    return nn.Dense(self.out_dim, dtype=self.dtype, name='out')(x)


class ConvDecoder(nn.Module):
  """[B, D] -> [B, image_size, image_size, out_channels]; mirrors ConvEncoder."""
  channels: Sequence[int]          # listed from the encoder's side (small -> large)
  image_size: int
  out_channels: int
  act: str = 'relu'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, z):
    act = activation(self.act)
    chans = list(self.channels)[::-1]
    base = self.image_size // 2 ** len(chans)
    x = nn.Dense(base * base * chans[0], dtype=self.dtype, name='in')(z)
    x = act(x).reshape(z.shape[0], base, base, chans[0])
    for i, c in enumerate(chans[1:] + [chans[-1]]):
      x = act(nn.ConvTranspose(c, (4, 4), strides=(2, 2), padding='SAME', dtype=self.dtype,
                               name=f'deconv{i}')(x))
    return nn.Conv(self.out_channels, (3, 3), padding='SAME', dtype=self.dtype, name='out')(x)
