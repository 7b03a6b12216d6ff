"""Progressive GAN networks (Karras et al., 2018, Table 2), one level at a time.

Levels l = 0 .. L-1 have resolutions 4 * 2^l; `channels[l]` feature maps. Every layer is an
equalized-learning-rate layer (gdm.nn.equalized) with leaky ReLU (0.2).

  G  z -> pixel norm -> dense to 4x4 (gain sqrt(2)/4, as the official code) -> conv 3x3;
     each higher level: 2x nearest upsampling, two conv 3x3; pixel norm after every conv;
     toRGB (1x1, gain 1) per level.
  D  fromRGB (1x1) per level; each level above 4x4: conv 3x3 (channels[l]), conv 3x3
     (channels[l-1]), 2x average pooling; at 4x4: minibatch stddev, conv 3x3, dense,
     dense to the score (gain 1).

Both take `level` (a Python int: the network of that resolution) and `alpha` (the fade-in of
that level's new layers): during a fade-in G's image is (1 - alpha) * upscaled toRGB of the
level below + alpha * toRGB of the new level, and D's features after the new level's block
are (1 - alpha) * fromRGB of the 2x downscaled input + alpha * the block's output. At
alpha = 1 the network is the plain one of that resolution; at alpha = 0 it computes exactly
the level below. Images are full-resolution in and out (gdm.models.gan.growth); `level=None`
is the full-resolution network. Initialising creates every level's layers.
"""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.models.gan.growth import BASE_RESOLUTION, downscale, lerp, upscale
from gdm.models.gan.nets import OUTPUTS
from gdm.nn.equalized import HE_GAIN, EqualizedConv, EqualizedDense
from gdm.nn.minibatch_stddev import minibatch_stddev
from gdm.nn.pixel_norm import pixel_norm


def _leaky(x):
  return nn.leaky_relu(x, 0.2)


def _res(level: int) -> int:
  return BASE_RESOLUTION * 2 ** level


class ProGANGenerator(nn.Module):
  channels: Sequence[int]
  out_channels: int
  output: str = 'tanh'
  dtype: jnp.dtype = jnp.float32

  def _to_rgb(self, level, h):
    return EqualizedConv(self.out_channels, 1, gain=1.0, dtype=self.dtype,
                         name=f'to_rgb_{_res(level)}')(h)

  @nn.compact
  def __call__(self, z, y=None, level=None, alpha=1.0):
    top = len(self.channels) - 1
    level = top if level is None else level
    conv = lambda c, name: EqualizedConv(c, 3, gain=HE_GAIN, dtype=self.dtype,  # noqa: E731
                                          name=name)
    c0 = self.channels[0]
    h = EqualizedDense(BASE_RESOLUTION ** 2 * c0, gain=HE_GAIN / 4, dtype=self.dtype,
                       name='dense_4')(pixel_norm(z.astype(self.dtype)))
    h = pixel_norm(_leaky(h.reshape(z.shape[0], BASE_RESOLUTION, BASE_RESOLUTION, c0)))
    h = pixel_norm(_leaky(conv(c0, 'conv_4')(h)))
    hs = [h]
    for l in range(1, level + 1):
      r = _res(l)
      h = upscale(h, 2)
      h = pixel_norm(_leaky(conv(self.channels[l], f'conv0_{r}')(h)))
      h = pixel_norm(_leaky(conv(self.channels[l], f'conv1_{r}')(h)))
      hs.append(h)
    img = self._to_rgb(level, hs[level])
    if level > 0:
      img = lerp(upscale(self._to_rgb(level - 1, hs[level - 1]), 2), img, alpha)
    if self.is_initializing():        # every level's toRGB exists from the start
      for l in range(level - 1):
        self._to_rgb(l, hs[l])
    img = upscale(img, _res(top) // _res(level))
    return OUTPUTS[self.output](img.astype(jnp.float32))


class ProGANDiscriminator(nn.Module):
  channels: Sequence[int]
  mbstd_group: int = 4
  dtype: jnp.dtype = jnp.float32

  def _from_rgb(self, level, x):
    return _leaky(EqualizedConv(self.channels[level], 1, gain=HE_GAIN, dtype=self.dtype,
                                name=f'from_rgb_{_res(level)}')(x))

  def _block(self, level, h):
    r, conv = _res(level), EqualizedConv
    h = _leaky(conv(self.channels[level], 3, gain=HE_GAIN, dtype=self.dtype,
                    name=f'conv0_{r}')(h))
    h = _leaky(conv(self.channels[level - 1], 3, gain=HE_GAIN, dtype=self.dtype,
                    name=f'conv1_{r}')(h))
    return downscale(h, 2)

  @nn.compact
  def __call__(self, x, y=None, update_stats=False, level=None, alpha=1.0):
    top = len(self.channels) - 1
    level = top if level is None else level
    x = downscale(x.astype(self.dtype), x.shape[1] // _res(level))
    h = self._from_rgb(level, x)
    if level > 0:
      h = lerp(self._from_rgb(level - 1, downscale(x, 2)), self._block(level, h), alpha)
    if self.is_initializing():        # every level's fromRGB exists from the start
      for l in range(level - 1):
        self._from_rgb(l, downscale(x, 2 ** (level - l)))
    for l in range(level - 1, 0, -1):
      h = self._block(l, h)
    c0 = self.channels[0]
    h = minibatch_stddev(h, self.mbstd_group)
    h = _leaky(EqualizedConv(c0, 3, gain=HE_GAIN, dtype=self.dtype, name='conv_4')(h))
    h = _leaky(EqualizedDense(c0, gain=HE_GAIN, dtype=self.dtype,
                              name='dense_4')(h.reshape(h.shape[0], -1)))
    score = EqualizedDense(1, gain=1.0, dtype=self.dtype, name='score')(h)[:, 0]
    return {'score': score.astype(jnp.float32)}
