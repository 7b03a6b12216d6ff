"""The network of VQ-VAE-2's priors over code maps (Razavi et al., 2019, sec. 3.2 and
appendix A): a Gated PixelCNN (van den Oord et al., 2016b; vertical and horizontal stacks,
no blind spot) over one channel of K-way codes fed one-hot, with

- causal multi-head self-attention on the horizontal stack after every `attention_every`
  gated layers (the top prior: the paper interleaves self-attention layers there). The
  horizontal features at position j depend on the codes before j only, so attending from j
  to positions i <= j keeps the raster order;
- a conditioning stack on another, fully known code map (the bottom prior given the top
  codes): its one-hot map through a 3x3 conv, residual blocks and stride-2 transposed convs
  up to this map's size, projected into every gated layer's pre-activations;
- optionally a one-hot class label added to every gate (the Gated PixelCNN's h term).

The gated stacks reuse gdm/nn/gated_pixelcnn.py's masks; its GatedLayer takes a label
vector only, so the layer here adds the spatial conditioning map as well.
"""
import math
from typing import Sequence

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn.gated_pixelcnn import horizontal_mask, vertical_mask
from gdm.nn.masked_conv import MaskedConv
from gdm.nn.spatial_conv import ResidualStack, kernel_init


def gate(pre):
  """tanh(a) * sigmoid(b) of the two halves of the last axis."""
  a, b = jnp.split(pre, 2, axis=-1)
  return jnp.tanh(a) * jax.nn.sigmoid(b)


class ConditionedGatedLayer(nn.Module):
  """One gated layer of both stacks; `conds` are maps broadcastable to [B, H, W, *]."""
  features: int
  kernel_size: int

  @nn.compact
  def __call__(self, v, h, conds: Sequence[jax.Array]):
    f, k = self.features, self.kernel_size
    v_pre = MaskedConv(2 * f, mask=vertical_mask(k, v.shape[-1], 2 * f, True), name='v')(v)
    h_pre = MaskedConv(2 * f, mask=horizontal_mask(k, h.shape[-1], 2 * f, 1, 'B'),
                       name='h')(h)
    h_pre = h_pre + nn.Dense(2 * f, name='v_to_h')(v_pre)   # rows above only
    for i, c in enumerate(conds):
      v_pre = v_pre + nn.Dense(2 * f, use_bias=False, name=f'cond{i}_v')(c)
      h_pre = h_pre + nn.Dense(2 * f, use_bias=False, name=f'cond{i}_h')(c)
    return gate(v_pre), h + nn.Dense(f, name='h_out')(gate(h_pre))


class CausalSelfAttention(nn.Module):
  """h [B, H, W, F] + attention from every position to itself and the positions before it in
  raster order; the output projection starts at zero (the block starts as the identity)."""
  num_heads: int

  @nn.compact
  def __call__(self, h):
    b, height, width, f = h.shape
    n, d = height * width, f // self.num_heads
    qkv = nn.Dense(3 * f, name='qkv')(h.reshape(b, n, f)).reshape(b, n, 3, self.num_heads, d)
    q, k, v = qkv[:, :, 0], qkv[:, :, 1], qkv[:, :, 2]
    logits = jnp.einsum('bqhd,bkhd->bhqk', q, k).astype(jnp.float32) / math.sqrt(d)
    causal = jnp.tril(jnp.ones((n, n), bool))          # [query, key]: key <= query
    weights = jax.nn.softmax(jnp.where(causal, logits, -1e30), axis=-1).astype(v.dtype)
    out = jnp.einsum('bhqk,bkhd->bqhd', weights, v).reshape(b, n, f)
    out = nn.Dense(f, kernel_init=nn.initializers.zeros, name='out')(out)
    return h + out.reshape(h.shape)


class ConditionStack(nn.Module):
  """A known code map, one-hot [B, h, w, K], -> features [B, h * 2**up, w * 2**up, F]."""
  features: int
  num_blocks: int
  up_levels: int

  @nn.compact
  def __call__(self, codes):
    c = nn.Conv(self.features, (3, 3), padding='SAME', kernel_init=kernel_init, name='in')(codes)
    c = ResidualStack(self.num_blocks, self.features, name='res')(c)
    for i in range(self.up_levels):
      c = nn.relu(nn.ConvTranspose(self.features, (4, 4), strides=(2, 2), padding='SAME',
                                   kernel_init=kernel_init, name=f'up{i}')(c))
    return c


class GatedCodePrior(nn.Module):
  """x: one-hot codes [B, H, W, K]; cond: (label one-hot [B, L] or None, conditioning codes
  one-hot [B, H / 2**cond_up, W / 2**cond_up, K'] or None) -> logits [B, H, W, num_codes]."""
  num_codes: int
  features: int = 64
  num_layers: int = 6
  kernel_size: int = 5
  first_kernel_size: int = 7
  head_features: int = 0          # width of the 1x1 head; 0 = features
  attention_every: int = 0        # 0 = no attention
  num_heads: int = 4
  cond_features: int = 64
  cond_blocks: int = 2
  cond_up: int = 0                # halvings between this map and the conditioning one

  @nn.compact
  def __call__(self, x, cond=(None, None)):
    label, codes = cond
    f, k0 = self.features, self.first_kernel_size
    v = MaskedConv(f, mask=vertical_mask(k0, x.shape[-1], f, False), name='v_in')(x)
    h = MaskedConv(f, mask=horizontal_mask(k0, x.shape[-1], f, 1, 'A'), name='h_in')(x)
    conds = []
    if label is not None:
      conds.append(label[:, None, None, :])
    if codes is not None:
      conds.append(ConditionStack(self.cond_features, self.cond_blocks, self.cond_up,
                                  name='condition')(codes))
    for i in range(self.num_layers):
      v, h = ConditionedGatedLayer(f, self.kernel_size, name=f'gated{i}')(v, h, conds)
      if self.attention_every and (i + 1) % self.attention_every == 0:
        h = CausalSelfAttention(self.num_heads, name=f'attention{i}')(h)
    h = nn.relu(nn.Dense(self.head_features or f, name='head')(nn.relu(h)))
    return nn.Dense(self.num_codes, name='out')(h)
