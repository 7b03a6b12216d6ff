"""The DDPM UNet's blocks (Ho et al., 2020, appendix B; their TF code's resnet_block,
attn_block, downsample and upsample): GroupNorm, swish, 3x3 convs, a timestep projection added
between the convs, dropout before the second conv, whose init is zero (as their init_scale=0)
so every block starts as the identity. `wgrad_chunk` > 0: 3x3 convs take their kernel
gradient in batch slices of that size (gdm.nn.chunked_conv: XLA:CPU's is slow at large
batches)."""
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn.chunked_conv import chunked_conv

ZERO = nn.initializers.zeros


def conv3x3(features: int, dtype, name: str, wgrad_chunk: int, **kw) -> nn.Conv:
  return nn.Conv(features, (3, 3), dtype=dtype, name=name,
                 conv_general_dilated=chunked_conv(wgrad_chunk), **kw)


def group_norm(channels: int, dtype, name: str) -> nn.GroupNorm:
  # 32 groups as in DDPM; fewer for the narrow test networks.
  return nn.GroupNorm(num_groups=math.gcd(32, channels), dtype=dtype, name=name)


class ResBlock(nn.Module):
  out_ch: int
  dropout: float = 0.0
  dtype: jnp.dtype = jnp.float32
  wgrad_chunk: int = 0

  @nn.compact
  def __call__(self, x, temb, train: bool):
    h = nn.swish(group_norm(x.shape[-1], self.dtype, 'norm0')(x))
    h = conv3x3(self.out_ch, self.dtype, 'conv0', self.wgrad_chunk)(h)
    h = h + nn.Dense(self.out_ch, dtype=self.dtype, name='temb')(nn.swish(temb))[:, None, None]
    h = nn.swish(group_norm(self.out_ch, self.dtype, 'norm1')(h))
    h = nn.Dropout(self.dropout)(h, deterministic=not train)
    h = conv3x3(self.out_ch, self.dtype, 'conv1', self.wgrad_chunk, kernel_init=ZERO)(h)
    if x.shape[-1] != self.out_ch:
      x = nn.Dense(self.out_ch, dtype=self.dtype, name='skip')(x)   # DDPM's "nin"
    return x + h


class AttnBlock(nn.Module):
  """Single-head self-attention over all H*W positions, added to the input."""
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    b, hh, ww, c = x.shape
    h = group_norm(c, self.dtype, 'norm')(x)
    q, k, v = (nn.Dense(c, dtype=self.dtype, name=n)(h).reshape(b, hh * ww, c)
               for n in ('q', 'k', 'v'))
    w = jnp.einsum('bic,bjc->bij', q, k).astype(jnp.float32) / math.sqrt(c)
    w = jax.nn.softmax(w, axis=-1).astype(v.dtype)
    h = jnp.einsum('bij,bjc->bic', w, v).reshape(b, hh, ww, c)
    return x + nn.Dense(c, dtype=self.dtype, kernel_init=ZERO, name='proj')(h)


class Downsample(nn.Module):
  dtype: jnp.dtype = jnp.float32
  wgrad_chunk: int = 0

  @nn.compact
  def __call__(self, x):
    return conv3x3(x.shape[-1], self.dtype, 'conv', self.wgrad_chunk, strides=2)(x)


class Upsample(nn.Module):
  dtype: jnp.dtype = jnp.float32
  wgrad_chunk: int = 0

  @nn.compact
  def __call__(self, x):
    b, h, w, c = x.shape
    x = jax.image.resize(x, (b, 2 * h, 2 * w, c), 'nearest')
    return conv3x3(c, self.dtype, 'conv', self.wgrad_chunk)(x)
