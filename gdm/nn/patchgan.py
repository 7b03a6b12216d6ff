"""PatchGAN discriminators (Isola et al., 2017, Sec. 3.2.2 and 4.4; Zhu et al., 2017): a
fully convolutional net that scores every N x N patch of its input, one score per position
of its output map.

With n stride-2 levels it is C64-C128-...(stride 2, 4x4, padding 1, leaky ReLU 0.2, no norm
on the first) then one stride-1 4x4 conv of the next width and a stride-1 4x4 conv to one
channel: the receptive field of one output is 9 * 2**n - 2 pixels, so n = 1, 2, 3, 4, 5 give
the paper's 16, 34, 70, 142 and 286 ("ImageGAN" on 256x256 images). RF 1 is the PixelGAN:
1x1 convs C64-C128-1. `pooled` averages the map to one score per image, which then depends
on every pixel: with the smallest stack whose field covers the image it is the full-image
discriminator. Widths double per level up to `max_channels` (the paper's 512).

Receptive fields are those of the convolutions: batch and instance norm statistics couple
every position of a map, so an output depends (weakly) on the whole input through them.
"""
import flax.linen as nn
import jax.numpy as jnp

from gdm.nn.image_norm import normalize
from gdm.nn.spectral_norm import apply_layer

RECEPTIVE_FIELDS = (1, 16, 34, 70, 142, 286)
KERNEL, PAD = 4, 1


def levels(receptive_field: int) -> int:
  """The stride-2 levels of the PatchGAN with this receptive field (0: the PixelGAN)."""
  if receptive_field not in RECEPTIVE_FIELDS:
    raise ValueError(f'PatchGAN receptive field {receptive_field} is not one of '
                     f'{", ".join(map(str, RECEPTIVE_FIELDS))}')
  return RECEPTIVE_FIELDS.index(receptive_field)


def strides(receptive_field: int) -> list[int]:
  """The stride of every 4x4 conv (empty for the PixelGAN's 1x1 convs)."""
  n = levels(receptive_field)
  return [2] * n + [1, 1] if n else []


def field_of(layer_strides: list[int], kernel: int = KERNEL) -> int:
  """Receptive field of one output of a stack of `kernel`-sized convs: r <- (r - 1) s + k
  from the output back to the input."""
  r = 1
  for s in reversed(layer_strides):
    r = (r - 1) * s + kernel
  return r


def output_size(image_size: int, receptive_field: int) -> int:
  """The side of the score map for a square input (<= 0: the input is too small)."""
  size = image_size
  for s in strides(receptive_field):
    size = (size + 2 * PAD - KERNEL) // s + 1
  return size


def full_image_field(image_size: int) -> int:
  """The smallest receptive field that covers the image with a score map of at least 1x1."""
  for rf in RECEPTIVE_FIELDS[1:]:
    if rf >= image_size and output_size(image_size, rf) >= 1:
      return rf
  raise ValueError(f'no PatchGAN covers {image_size}x{image_size} images (the largest field '
                   f'is {RECEPTIVE_FIELDS[-1]})')


class PatchDiscriminator(nn.Module):
  """[B, H, W, C] -> scores [B, h, w] (float32; [B, 1, 1] when pooled)."""
  receptive_field: int = 70
  channels: int = 64
  max_channels: int = 512
  norm: str = 'batch'
  spectral_norm: bool = False
  pooled: bool = False
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, update_stats: bool = False):
    def conv(v, features, kernel, stride, name):
      pad = PAD if kernel > 1 else 0
      layer = nn.Conv(features, (kernel, kernel), strides=stride, padding=((pad, pad),) * 2,
                      dtype=self.dtype, name=name)
      return apply_layer(layer, v, self.spectral_norm, update_stats)

    h = x.astype(self.dtype)
    layer_strides = strides(self.receptive_field)
    kernel = KERNEL if layer_strides else 1
    widths = [min(self.channels * 2 ** i, self.max_channels)
              for i in range(max(len(layer_strides) - 1, 2))]
    for i, (width, stride) in enumerate(zip(widths, layer_strides[:-1] or [1, 1])):
      h = conv(h, width, kernel, stride, f'conv{i}')
      if i > 0:
        h = normalize(h, self.norm, f'norm{i}')
      h = nn.leaky_relu(h, 0.2)
    score = conv(h, 1, kernel, 1, 'score')[..., 0].astype(jnp.float32)
    return score.mean((1, 2), keepdims=True) if self.pooled else score
