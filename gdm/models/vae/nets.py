"""The VAE's networks: a diagonal-Gaussian encoder and a decoder (MLP or convolutional),
optionally conditioned on a one-hot class label, plus the learned Gaussian noise scale."""
import math
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.nn.conv import ConvDecoder, ConvEncoder
from gdm.nn.labels import one_hot
from gdm.nn.mlp import MLP
from gdm.objectives.decoder_likelihoods import decoder_channels


class VAENet(nn.Module):
  kind: str                       # mlp | conv
  hidden: Sequence[int]           # mlp widths from the data side
  channels: Sequence[int]         # conv: one stride-2 level per entry
  latent_dim: int
  data_shape: tuple[int, ...]     # (H, W, C) or (D,)
  out_channels: int               # decoder outputs per data position (last axis)
  act: str = 'relu'
  num_classes: int = 0            # > 0: conditional on a one-hot label
  variance: str = 'fixed'         # Gaussian decoders: fixed | global | per_dim
  dtype: jnp.dtype = jnp.float32

  def setup(self):
    if self.kind == 'mlp':
      out = math.prod(self.data_shape[:-1]) * self.out_channels
      self.encoder = MLP(tuple(self.hidden) + (2 * self.latent_dim,), self.act, self.dtype)
      self.decoder = MLP(tuple(self.hidden)[::-1] + (out,), self.act, self.dtype)
    else:
      self.encoder = ConvEncoder(self.channels, 2 * self.latent_dim, self.act, self.dtype)
      self.decoder = ConvDecoder(self.channels, self.data_shape[0], self.out_channels,
                                 self.act, self.dtype)
    if self.variance == 'global':
      self.log_std = self.param('log_std', nn.initializers.zeros, ())
    elif self.variance == 'per_dim':
      self.log_std = self.param('log_std', nn.initializers.zeros, self.data_shape)

  def encode(self, x, y=None):
    """x [B, *data_shape] -> (mean, log_var), each [B, latent_dim] float32."""
    h = x.reshape(x.shape[0], -1) if self.kind == 'mlp' else x
    if self.num_classes:
      c = one_hot(y, self.num_classes)
      if self.kind == 'conv':   # the label as constant extra channels
        c = jnp.broadcast_to(c[:, None, None, :], h.shape[:-1] + c.shape[-1:])
      h = jnp.concatenate([h, c.astype(h.dtype)], -1)
    out = self.encoder(h).astype(jnp.float32)
    return out[:, :self.latent_dim], out[:, self.latent_dim:]

  def decode(self, z, y=None):
    """z [B, latent_dim] -> decoder output [B, *data_shape[:-1], out_channels] float32."""
    if self.num_classes:
      z = jnp.concatenate([z, one_hot(y, self.num_classes).astype(z.dtype)], -1)
    out = self.decoder(z).astype(jnp.float32)
    return out.reshape((z.shape[0],) + tuple(self.data_shape[:-1]) + (self.out_channels,))

  def noise_log_std(self):
    """The learned log std of a Gaussian decoder (global or per data dimension)."""
    return self.log_std

  def __call__(self, x, y=None):
    mean, _ = self.encode(x, y)
    out = self.decode(mean, y)
    if self.variance != 'fixed':
      out = out + 0 * jnp.sum(self.log_std)   # creates log_std at init
    return out


def build_net(m, info, dtype) -> VAENet:
  """The network of a VAEConfig `m` for the data `info` (a DatasetInfo) describes."""
  return VAENet(kind=m.kind, hidden=tuple(m.hidden), channels=tuple(m.channels),
                latent_dim=m.latent_dim, data_shape=tuple(info.shape),
                out_channels=decoder_channels(m.decoder, info.shape[-1], m.num_mixtures),
                act=m.act, num_classes=info.num_classes if m.conditional else 0,
                variance=m.variance if m.decoder == 'gaussian' else 'fixed', dtype=dtype)
