"""The generators of the translation family (the discriminator is gdm.nn.patchgan's).

  UNetGenerator    pix2pix's (Isola et al., 2017, Sec. 3.2.1 and 6.1.1): an encoder of
                   stride-2 4x4 convs (leaky ReLU 0.2, norm on all but the first and the
                   innermost) down to 1x1 for the paper's 8 levels at 256x256, a mirrored
                   decoder of stride-2 4x4 transposed convs (ReLU, norm) and a skip
                   connection from every encoder level to the decoder level of the same
                   size (concatenated channels), dropout 0.5 on the first three decoder
                   layers, at test time too: the model's noise.
  ResNetGenerator  CycleGAN's (Zhu et al., 2017, Sec. 4 and 7.2, after Johnson et al., 2016):
                   c7s1-64, d128, d256, `num_blocks` residual blocks R256 (9 at 256x256, 6
                   at 128x128), u128, u64, c7s1-out, with reflection padding and instance
                   norm.

Both keep the image size; their output activation (tanh or sigmoid) fits the data's scale.
Stride-2 convs pad (1, 1) and transposed convs use 'SAME', so a decoder map lines up with
the encoder map it is concatenated with (a down-up pair maps a pixel back onto itself).
"""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.models.gan.nets import OUTPUTS
from gdm.nn.image_norm import normalize


def _reflect(x, pad: int):
  return jnp.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='reflect')


class UNetGenerator(nn.Module):
  channels: Sequence[int]          # encoder widths, one halving each (from the image side)
  out_channels: int
  norm: str = 'batch'
  dropout: float = 0.5
  dropout_levels: int = 3          # decoder layers (from the innermost) with dropout
  output: str = 'tanh'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, deterministic: bool = True):
    """`deterministic=False` draws dropout from the 'dropout' rng."""
    n, dt = len(self.channels), self.dtype
    h, skips = x.astype(dt), []
    for i, c in enumerate(self.channels):
      if i:
        h = nn.leaky_relu(h, 0.2)
      h = nn.Conv(c, (4, 4), strides=2, padding=((1, 1), (1, 1)), dtype=dt, name=f'down{i}')(h)
      if 0 < i < n - 1:
        h = normalize(h, self.norm, f'down_norm{i}')
      skips.append(h)
    for level in reversed(range(n)):
      h = nn.relu(h)
      width = self.channels[level - 1] if level else self.out_channels
      h = nn.ConvTranspose(width, (4, 4), strides=(2, 2), padding='SAME', dtype=dt,
                           name=f'up{level}')(h)
      if level:
        h = normalize(h, self.norm, f'up_norm{level}')
        if n - 1 - level < self.dropout_levels and self.dropout > 0:
          h = nn.Dropout(self.dropout)(h, deterministic=deterministic)
        h = jnp.concatenate([h, skips[level - 1]], -1)
    return OUTPUTS[self.output](h.astype(jnp.float32))


class ResidualBlock(nn.Module):
  channels: int
  norm: str
  dtype: jnp.dtype

  @nn.compact
  def __call__(self, x):
    conv = lambda name: nn.Conv(self.channels, (3, 3), padding='VALID', dtype=self.dtype,  # noqa: E731
                                name=name)
    h = nn.relu(normalize(conv('conv0')(_reflect(x, 1)), self.norm, 'norm0'))
    return x + normalize(conv('conv1')(_reflect(h, 1)), self.norm, 'norm1')


class ResNetGenerator(nn.Module):
  out_channels: int
  channels: int = 64
  num_blocks: int = 9
  downsample: int = 2
  norm: str = 'instance'
  output: str = 'tanh'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, deterministic: bool = True):
    del deterministic    # no dropout
    dt, c = self.dtype, self.channels
    h = nn.Conv(c, (7, 7), padding='VALID', dtype=dt, name='in')(_reflect(x.astype(dt), 3))
    h = nn.relu(normalize(h, self.norm, 'in_norm'))
    for i in range(self.downsample):
      h = nn.Conv(c * 2 ** (i + 1), (3, 3), strides=2, padding=((1, 1), (1, 1)), dtype=dt,
                  name=f'down{i}')(h)
      h = nn.relu(normalize(h, self.norm, f'down_norm{i}'))
    for b in range(self.num_blocks):
      h = ResidualBlock(c * 2 ** self.downsample, self.norm, dt, name=f'block{b}')(h)
    for i in reversed(range(self.downsample)):
      h = nn.ConvTranspose(c * 2 ** i, (3, 3), strides=(2, 2), padding='SAME', dtype=dt,
                           name=f'up{i}')(h)
      h = nn.relu(normalize(h, self.norm, f'up_norm{i}'))
    h = nn.Conv(self.out_channels, (7, 7), padding='VALID', dtype=dt, name='out')(_reflect(h, 3))
    return OUTPUTS[self.output](h.astype(jnp.float32))

