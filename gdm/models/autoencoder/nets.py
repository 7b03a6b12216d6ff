"""The autoencoder's networks: a stack of (encoder, decoder) layers; plain and conv
autoencoders are a stack of one."""
import math

import flax.linen as nn
import jax.numpy as jnp

from gdm.data.source import DatasetInfo
from gdm.models.autoencoder.config import AutoencoderConfig
from gdm.nn.conv import ConvDecoder, ConvEncoder
from gdm.nn.mlp import MLP, activation


class Dense(nn.Module):
  """One dense layer of a stacked autoencoder, with an optional activation."""
  features: int
  act: str | None
  dtype: jnp.dtype

  @nn.compact
  def __call__(self, x):
    x = nn.Dense(self.features, dtype=self.dtype)(x)
    return activation(self.act)(x) if self.act else x


class Layer(nn.Module):
  """One (encoder, decoder) pair of the stack."""
  encoder: nn.Module
  decoder: nn.Module

  def __call__(self, x):
    return self.decoder(self.encoder(x))

  def encode(self, x):
    return self.encoder(x)

  def decode(self, z):
    return self.decoder(z)


def build_layers(m: AutoencoderConfig, info: DatasetInfo, dtype) -> list[nn.Module]:
  data_dim = math.prod(info.shape)
  if m.kind == 'conv':
    return [Layer(ConvEncoder(m.channels, m.latent_dim, m.act, dtype),
                  ConvDecoder(m.channels, info.shape[0], info.shape[-1], m.act, dtype))]
  if m.kind == 'mlp':
    return [Layer(MLP(tuple(m.hidden) + (m.latent_dim,), m.act, dtype),
                  MLP(tuple(m.hidden)[::-1] + (data_dim,), m.act, dtype))]
  widths = tuple(m.hidden) + (m.latent_dim,)
  ins = (data_dim,) + widths[:-1]
  return [Layer(Dense(w, m.act if i < len(widths) - 1 else None, dtype),
                Dense(d, m.act if i > 0 else None, dtype))
          for i, (w, d) in enumerate(zip(widths, ins))]
