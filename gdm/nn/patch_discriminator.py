"""A PatchGAN discriminator (Isola et al., 2017, pix2pix's NLayerDiscriminator), as the
taming-transformers / latent-diffusion first stages use it (Esser et al., 2021).

4x4 convolutions with leaky ReLU (0.2): every entry of `channels` but the last halves the
resolution (stride 2), the last keeps it, and a final 4x4 convolution gives one logit per
patch. So the output is a map [B, h, w] of scores, each judging whether one receptive-field
patch of the input looks real; the GAN losses treat every patch as an example. Layers after
the first are normalised ('layer' norm over each example's map, or 'none': pix2pix's batch
norm would put batch statistics in the model state).
"""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.nn.spatial_conv import kernel_init

NORMS = ('none', 'layer')


class PatchDiscriminator(nn.Module):
  """x [B, H, W, C] -> patch logits [B, H / 2**(L-1), W / 2**(L-1)], L = len(channels)."""
  channels: Sequence[int] = (64, 128, 256)
  norm: str = 'layer'
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    h = x.astype(self.dtype)
    last = len(self.channels) - 1
    for i, c in enumerate(self.channels):
      h = nn.Conv(c, (4, 4), strides=1 if i == last else 2, padding='SAME', dtype=self.dtype,
                  kernel_init=kernel_init, name=f'conv{i}')(h)
      if i > 0 and self.norm == 'layer':
        h = nn.LayerNorm(reduction_axes=(-3, -2, -1), dtype=self.dtype, name=f'norm{i}')(h)
      h = nn.leaky_relu(h, 0.2)
    out = nn.Conv(1, (4, 4), padding='SAME', dtype=self.dtype, kernel_init=kernel_init,
                  name='out')(h)
    return out[..., 0].astype(jnp.float32)


def patch_levels(image_size: int, channels: Sequence[int]) -> int:
  """The side of the score map; a one-line error when the stride-2 layers do not fit."""
  halvings = len(channels) - 1
  if image_size % (2 ** halvings) or image_size // 2 ** halvings < 1:
    raise ValueError(f'image size {image_size} is not divisible by 2**{halvings} (every entry '
                     f'of the discriminator channels={tuple(channels)} but the last halves it)')
  return image_size // 2 ** halvings
