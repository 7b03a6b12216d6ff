"""Squeeze (space to depth) and the multi-scale architecture with factor-out (Dinh et al.,
2017, Sec. 3.6; Glow's levels).

squeeze: [B, H, W, C] -> [B, H/2, W/2, 4C], each 2x2 patch becomes 4 channels (logdet 0).
MultiScale runs its levels in turn; after every level but the last, half of the channels
are factored out straight to the latent, so later levels work on fewer dimensions. The
latent is the flat concatenation [B, H*W*C] of the factored-out parts and the final output.
"""
import itertools
import math
from collections.abc import Sequence

import jax.numpy as jnp

from gdm.flows.bijector import Bijector


def check_squeezable(shape: Sequence[int], times: int = 1) -> None:
  """One-line ValueError unless `times` squeezes fit images of `shape` (H, W, C)."""
  h, w = shape[0], shape[1]
  if h % 2 ** times or w % 2 ** times:
    raise ValueError(f'squeeze needs even spatial sizes: {h}x{w} images cannot be squeezed '
                     f'{times} time(s) (each halves height and width; set data.image_size '
                     f'to a multiple of {2 ** times} or use fewer scales)')


def squeeze(x):
  b, h, w, c = x.shape
  check_squeezable((h, w))
  x = x.reshape(b, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 2, 4, 5)
  return x.reshape(b, h // 2, w // 2, 4 * c)


def unsqueeze(x):
  b, h, w, c = x.shape
  if c % 4:
    raise ValueError(f'unsqueeze needs a multiple of 4 channels; got {c}')
  x = x.reshape(b, h, w, 2, 2, c // 4).transpose(0, 1, 3, 2, 4, 5)
  return x.reshape(b, 2 * h, 2 * w, c // 4)


def squeezed_shape(shape):
  h, w, c = shape
  return (h // 2, w // 2, 4 * c)


class Squeeze(Bijector):

  def __call__(self, x, inverse: bool = False):
    return (unsqueeze(x) if inverse else squeeze(x)), jnp.zeros(x.shape[:1], jnp.float32)


class MultiScale(Bijector):
  """levels[i] maps images of one scale to the next; `squeezes[i]` says whether level i
  contains one Squeeze (it fixes the shapes the inverse needs). Latent: [B, prod(data_shape)]."""
  levels: Sequence[Bijector]
  squeezes: Sequence[bool]
  data_shape: tuple[int, int, int]

  def shapes(self):
    """[(kept shape after level i, factored-out shape of level i)], last level: no factor-out."""
    out, shape = [], tuple(self.data_shape)
    for i, sq in enumerate(self.squeezes):
      shape = squeezed_shape(shape) if sq else shape
      if i < len(self.squeezes) - 1:
        h, w, c = shape
        if c % 2:
          raise ValueError(f'factor-out needs an even number of channels; level {i} has {c}')
        out.append(((h, w, c - c // 2), (h, w, c // 2)))
        shape = (h, w, c - c // 2)
      else:
        out.append((shape, None))
    return out

  def __call__(self, x, inverse: bool = False):
    b = x.shape[0]
    shapes = self.shapes()
    if inverse:
      sizes = [math.prod(s[1]) for s in shapes[:-1]]
      parts = jnp.split(x, list(itertools.accumulate(sizes)), axis=1)
      h = parts[-1].reshape((b,) + shapes[-1][0])
      logdet = jnp.zeros((b,), jnp.float32)
      for i in reversed(range(len(self.levels))):
        if i < len(self.levels) - 1:
          h = jnp.concatenate([h, parts[i].reshape((b,) + shapes[i][1])], -1)
        h, ld = self.levels[i](h, inverse=True)
        logdet = logdet + ld
      return h, logdet
    zs, logdet = [], jnp.zeros((b,), jnp.float32)
    h = x
    for i, level in enumerate(self.levels):
      h, ld = level(h)
      logdet = logdet + ld
      if i < len(self.levels) - 1:
        keep = shapes[i][0][-1]
        zs.append(h[..., keep:].reshape(b, -1))
        h = h[..., :keep]
    zs.append(h.reshape(b, -1))
    return jnp.concatenate(zs, 1), logdet
