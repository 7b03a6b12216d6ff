"""Coupling layers: NICE's additive coupling and rescaling, RealNVP/Glow affine coupling.

A binary mask b splits the input; the masked part passes unchanged and conditions an
elementwise transform of the rest (Dinh et al., 2015; 2017):
  additive:        y = x + (1 - b) * t(b * x)                        logdet 0
  affine 'tanh':   y = b * x + (1 - b) * (x * exp(s) + t),   s = a * tanh(raw)  (RealNVP)
  affine 'sigmoid' y = b * x + (1 - b) * (x + t) * sigmoid(raw + 2)          (Glow)
with (raw, t) = NN(b * x). The triangular Jacobian gives logdet = sum((1 - b) * log scale).
Masks: checkerboard and channel (images, RealNVP), alternating coordinates (vectors, NICE).
"""
from collections.abc import Sequence

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from gdm.flows.bijector import Bijector, sum_except_batch
from gdm.nn.mlp import MLP, activation
from gdm.utils.checks import check_choice

MASKS = ('checkerboard', 'channel', 'alternate')
SCALES = ('additive', 'tanh', 'sigmoid')


def make_mask(kind: str, shape: tuple[int, ...], parity: int) -> np.ndarray:
  """0/1 mask broadcastable to one example of `shape`; 1 = passed through unchanged.
  parity 1 swaps the roles of the two halves."""
  check_choice(kind, MASKS, 'coupling mask')
  if kind == 'checkerboard':
    if len(shape) != 3:
      raise ValueError(f'a checkerboard mask needs images [H, W, C]; got shape {shape}')
    h, w = shape[:2]
    mask = (np.arange(h)[:, None] + np.arange(w)[None, :]) % 2 == 0
    mask = mask[:, :, None]
  elif kind == 'channel':
    c = shape[-1]
    if c < 2:
      raise ValueError(f'a channel mask needs at least 2 channels; got shape {shape}')
    mask = np.arange(c) < c // 2
  else:
    if len(shape) != 1 or shape[0] < 2:
      raise ValueError(f'an alternating mask needs vectors of size >= 2; got shape {shape}')
    mask = np.arange(shape[0]) % 2 == 0
  mask = mask.astype(np.float32)
  return 1.0 - mask if parity % 2 else mask


class ConvConditioner(nn.Module):
  """[B, H, W, C] -> [B, H, W, out]. num_blocks=0: Glow's conv3x3-conv1x1-conv3x3 net;
  num_blocks>0: RealNVP's residual net (without its batch norm). The last conv starts at
  zero so that every coupling starts as the identity."""
  channels: int
  out: int
  num_blocks: int = 0
  act: str = 'relu'

  @nn.compact
  def __call__(self, x):
    act = activation(self.act)
    h = act(nn.Conv(self.channels, (3, 3), name='in')(x))
    if self.num_blocks == 0:
      h = act(nn.Conv(self.channels, (1, 1), name='mid')(h))
    for i in range(self.num_blocks):
      r = act(nn.Conv(self.channels, (3, 3), name=f'res{i}a')(h))
      h = act(h + nn.Conv(self.channels, (3, 3), name=f'res{i}b')(r))
    return nn.Conv(self.out, (3, 3), kernel_init=nn.initializers.zeros, name='out')(h)


class MLPConditioner(nn.Module):
  """[B, D] -> [B, out]: gdm.nn.mlp.MLP then a zero-initialised output layer."""
  hidden: Sequence[int]
  out: int
  act: str = 'relu'

  @nn.compact
  def __call__(self, x):
    h = activation(self.act)(MLP(tuple(self.hidden), self.act, name='mlp')(x))
    return nn.Dense(self.out, kernel_init=nn.initializers.zeros, name='out')(h)


class Coupling(Bijector):
  """Masked coupling; images use ConvConditioner, vectors an MLP with widths `hidden`."""
  mask: str
  parity: int
  scale: str = 'tanh'            # additive | tanh | sigmoid
  hidden: Sequence[int] = (64, 64)
  channels: int = 64
  num_blocks: int = 0
  act: str = 'relu'

  @nn.compact
  def __call__(self, x, inverse: bool = False):
    check_choice(self.scale, SCALES, 'coupling scale')
    b = jnp.asarray(make_mask(self.mask, x.shape[1:], self.parity))
    c = x.shape[-1]
    outs = c if self.scale == 'additive' else 2 * c
    if x.ndim == 4:
      net = ConvConditioner(self.channels, outs, self.num_blocks, self.act, name='net')
    else:
      net = MLPConditioner(tuple(self.hidden), outs, self.act, name='net')
    out = net(b * x)          # the masked half is the same on both sides of the layer
    free = 1.0 - b
    if self.scale == 'additive':
      t = out * free
      return (x - t if inverse else x + t), jnp.zeros(x.shape[:1], jnp.float32)
    raw, t = out[..., :c], out[..., c:] * free
    if self.scale == 'tanh':
      a = self.param('scale', nn.initializers.ones, (c,))
      log_s = a * jnp.tanh(raw) * free
      if inverse:
        return (x - t) * jnp.exp(-log_s), -sum_except_batch(log_s)
      return x * jnp.exp(log_s) + t, sum_except_batch(log_s)
    log_s = jax.nn.log_sigmoid(raw + 2.0) * free
    if inverse:
      return x * jnp.exp(-log_s) - t, -sum_except_batch(log_s)
    return (x + t) * jnp.exp(log_s), sum_except_batch(log_s)


class Rescale(Bijector):
  """NICE's final diagonal scaling y = x * exp(s), one learned s per dimension."""

  @nn.compact
  def __call__(self, x, inverse: bool = False):
    s = self.param('log_scale', nn.initializers.zeros, x.shape[1:])
    ld = jnp.broadcast_to(s.sum(), x.shape[:1])
    return (x * jnp.exp(-s), -ld) if inverse else (x * jnp.exp(s), ld)
