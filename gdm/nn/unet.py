"""The DDPM UNet (Ho et al., 2020): channels 128 x (1, 2, 2, 2), two residual blocks per
level, self-attention at 16x16, dropout 0.1, a sinusoidal timestep embedding through a
two-layer MLP of width 4 x channels (35.7M parameters on 32x32x3). Any square size whose
halvings the levels divide (28x28 with three levels, 64x64 with four or more); a class label
(index num_classes = "no label", for classifier-free guidance) is embedded and added to the
timestep embedding. Extra input channels (a super-resolution model's upsampled low-resolution
image) are simply concatenated to x by the caller. `wgrad_chunk`: see gdm.nn.unet_blocks."""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.nn.time_embedding import sinusoidal_embedding
from gdm.nn.unet_blocks import (ZERO, AttnBlock, Downsample, ResBlock, Upsample, conv3x3,
                                 group_norm)


def check_unet_size(image_size: int, channel_mult: Sequence[int]):
  levels = len(channel_mult) - 1
  if image_size % (2 ** levels):
    raise ValueError(f'UNet: image size {image_size} is not divisible by 2**{levels} (one '
                     f'halving between the {len(channel_mult)} levels of model.unet.channel_mult='
                     f'{tuple(channel_mult)})')


class UNet(nn.Module):
  out_ch: int
  ch: int = 128
  ch_mult: Sequence[int] = (1, 2, 2, 2)
  num_res_blocks: int = 2
  attn_resolutions: Sequence[int] = (16,)
  dropout: float = 0.1
  num_classes: int = 0
  dtype: jnp.dtype = jnp.float32
  wgrad_chunk: int = 0

  @nn.compact
  def __call__(self, x, t, y=None, train: bool = False):
    d = self.dtype
    temb = sinusoidal_embedding(t, self.ch)
    temb = nn.Dense(4 * self.ch, dtype=d, name='temb0')(temb)
    temb = nn.Dense(4 * self.ch, dtype=d, name='temb1')(nn.swish(temb))
    if self.num_classes:
      temb = temb + nn.Embed(self.num_classes + 1, 4 * self.ch, name='label')(y).astype(
          temb.dtype)

    # Only the training pass (reverse mode): the likelihood's ODE takes forward-mode
    # derivatives, which a custom_vjp does not have.
    wc = self.wgrad_chunk if train else 0

    def res(h, out_ch, name):
      return ResBlock(out_ch, self.dropout, d, wc, name=name)(h, temb, train)

    hs = [conv3x3(self.ch, d, 'conv_in', wc)(x.astype(d))]
    for i, mult in enumerate(self.ch_mult):
      for j in range(self.num_res_blocks):
        h = res(hs[-1], self.ch * mult, f'down{i}_res{j}')
        if h.shape[1] in self.attn_resolutions:
          h = AttnBlock(d, name=f'down{i}_attn{j}')(h)
        hs.append(h)
      if i != len(self.ch_mult) - 1:
        hs.append(Downsample(d, wc, name=f'down{i}_downsample')(hs[-1]))
    h = res(hs[-1], hs[-1].shape[-1], 'mid_res0')
    h = AttnBlock(d, name='mid_attn')(h)
    h = res(h, h.shape[-1], 'mid_res1')
    for i, mult in reversed(list(enumerate(self.ch_mult))):
      for j in range(self.num_res_blocks + 1):
        h = res(jnp.concatenate([h, hs.pop()], axis=-1), self.ch * mult, f'up{i}_res{j}')
        if h.shape[1] in self.attn_resolutions:
          h = AttnBlock(d, name=f'up{i}_attn{j}')(h)
      if i != 0:
        h = Upsample(d, wc, name=f'up{i}_upsample')(h)
    assert not hs
    h = nn.swish(group_norm(h.shape[-1], d, 'norm_out')(h))
    out = conv3x3(self.out_ch, d, 'conv_out', wc, kernel_init=ZERO)(h)
    return out.astype(jnp.float32)
