"""Energy networks: x -> one energy per example (or one per class, for E(x, y)).

`EnergyMLP` for vectors (the 2-D toys); `ResNetEnergy` for images, after Du & Mordatch
(2019): residual blocks with average-pool downsampling, a smooth activation (Langevin
dynamics follows the input gradient, which ReLU makes piecewise constant), global pooling
and a linear head, with spectral normalisation on every kernel (Miyato et al., 2018) to
bound the network's Lipschitz constant and so the sampler's gradients. Spectral norm's power
iteration vectors live in the 'batch_stats' collection; `update_stats=True` advances them.
Both take `update_stats` so the model calls them the same way; `build_net` picks one.
"""
from typing import Sequence

import flax.linen as nn
import jax.numpy as jnp

from gdm.models.ebm.config import EBMConfig
from gdm.nn.mlp import activation
from gdm.nn.spectral_norm import apply_layer


class ConvOrDense(nn.Module):
  """A Conv or Dense layer, spectrally normalised when `spectral_norm`."""
  features: int
  kernel: tuple[int, int] | None = None     # None = Dense
  spectral_norm: bool = True
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, update_stats: bool):
    if self.kernel is None:
      layer = nn.Dense(self.features, dtype=self.dtype, name='layer')
    else:
      layer = nn.Conv(self.features, self.kernel, padding='SAME', dtype=self.dtype,
                      name='layer')
    return apply_layer(layer, x, self.spectral_norm, update_stats)


class EnergyMLP(nn.Module):
  """[B, ...] (flattened) -> [B, out_dim]: dense layers with an activation between them."""
  hidden: Sequence[int]
  out_dim: int = 1
  act: str = 'silu'
  spectral_norm: bool = False
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, update_stats: bool = False):
    x = x.reshape(x.shape[0], -1)
    for i, f in enumerate(self.hidden):
      x = activation(self.act)(
          ConvOrDense(f, None, self.spectral_norm, self.dtype, name=f'dense{i}')(x, update_stats))
    return ConvOrDense(self.out_dim, None, self.spectral_norm, self.dtype, name='head')(
        x, update_stats)


class EnergyResBlock(nn.Module):
  features: int
  downsample: bool
  act: str = 'silu'
  spectral_norm: bool = True
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, update_stats: bool):
    act, sn, dt = activation(self.act), self.spectral_norm, self.dtype
    h = ConvOrDense(self.features, (3, 3), sn, dt, name='conv0')(act(x), update_stats)
    h = ConvOrDense(self.features, (3, 3), sn, dt, name='conv1')(act(h), update_stats)
    skip = x if x.shape[-1] == self.features else ConvOrDense(
        self.features, (1, 1), sn, dt, name='skip')(x, update_stats)
    out = skip + h
    return nn.avg_pool(out, (2, 2), (2, 2)) if self.downsample else out


class ResNetEnergy(nn.Module):
  """[B, H, W, C] -> [B, out_dim]; one resolution level per entry of `channels`, each with
  `blocks` residual blocks, halving the resolution between levels."""
  channels: Sequence[int]
  blocks: int = 1
  out_dim: int = 1
  act: str = 'silu'
  spectral_norm: bool = True
  dtype: jnp.dtype = jnp.float32

  @nn.compact
  def __call__(self, x, update_stats: bool = False):
    sn, dt = self.spectral_norm, self.dtype
    h = ConvOrDense(self.channels[0], (3, 3), sn, dt, name='conv_in')(x, update_stats)
    last = len(self.channels) - 1
    for level, c in enumerate(self.channels):
      for b in range(self.blocks):
        down = b == self.blocks - 1 and level < last
        h = EnergyResBlock(c, down, self.act, sn, dt, name=f'block{level}_{b}')(
            h, update_stats)
    h = activation(self.act)(h).mean(axis=(1, 2))
    return ConvOrDense(self.out_dim, None, sn, dt, name='head')(h, update_stats)


def build_net(m: EBMConfig, out_dim: int, dtype) -> nn.Module:
  """The energy network of `m.net`: x -> [B, out_dim]."""
  if m.net == 'resnet':
    return ResNetEnergy(tuple(m.resnet.channels), m.resnet.blocks, out_dim, m.act,
                        m.spectral_norm, dtype)
  return EnergyMLP(tuple(m.mlp.hidden), out_dim, m.act, m.spectral_norm, dtype)
