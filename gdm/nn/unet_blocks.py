"""The DDPM UNet's blocks (Ho et al., 2020, appendix B; their TF code's resnet_block,
attn_block, downsample and upsample): GroupNorm, swish, 3x3 convs, a timestep projection added
between the convs, dropout before the second conv, whose init is zero (as their init_scale=0)
so every block starts as the identity."""
import math

import flax.linen as nn
import jax
import jax.numpy as jnp

ZERO = nn.initializers.zeros


def group_norm(channels: int, dtype, name: str) -> nn.GroupNorm:
  # 32 groups as in DDPM; fewer for the narrow test networks.
  return nn.GroupNorm(num_groups=math.gcd(32, channels), dtype=dtype, name=name)


class ResBlock(nn.Module):
  out_ch: int
  dropout: float = 0.0
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, temb, train: bool):
    h = nn.swish(group_norm(x.shape[-1], self.dtype, 'norm0')(x))
    h = nn.Conv(self.out_ch, (3, 3), dtype=self.dtype, name='conv0')(h)
    h = h + nn.Dense(self.out_ch, dtype=self.dtype, name='temb')(nn.swish(temb))[:, None, None]
    h = nn.swish(group_norm(self.out_ch, self.dtype, 'norm1')(h))
    h = nn.Dropout(self.dropout)(h, deterministic=not train)
    h = nn.Conv(self.out_ch, (3, 3), dtype=self.dtype, kernel_init=ZERO, name='conv1')(h)
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

  @nn.compact
  def __call__(self, x):
    return nn.Conv(x.shape[-1], (3, 3), strides=2, dtype=self.dtype, name='conv')(x)


class Upsample(nn.Module):
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x):
    b, h, w, c = x.shape
    x = jax.image.resize(x, (b, 2 * h, 2 * w, c), 'nearest')
    return nn.Conv(c, (3, 3), dtype=self.dtype, name='conv')(x)
