"""The autoregressive family's networks behind one interface: every model sees its data as a
grid [B, H, W, C] in raster order (a vector [B, D] is the grid [B, 1, D, 1]) and returns
per-element outputs [B, H, W, C, P] (element-wise heads) or per-pixel outputs [B, H, W, P]
(PixelCNN++ with its pixel-wise head); output at a position depends only on earlier ones.

`NETS` maps `model.net` to the builder of its flax module (from the net's own config
section) and to the way the family calls that module.
"""
import dataclasses

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.models.autoregressive.config import (AutoregressiveConfig, GatedPixelCNNConfig,
                                              MADEConfig, NADEConfig, PixelCNNConfig,
                                              PixelCNNPPConfig)
from gdm.nn.gated_pixelcnn import GatedPixelCNN
from gdm.nn.made import MADE
from gdm.nn.nade import NADE
from gdm.nn.pixelcnn import PixelCNN
from gdm.nn.pixelcnn_pp import PixelCNNPP


@dataclasses.dataclass(frozen=True)
class GridNet:
  """A net on the grid: module(x [B, H, W, C_in], cond [B, K] or None) -> per-element
  outputs, reshaped to [B, H, W, C, P]."""
  module: nn.Module
  grid_shape: tuple[int, int, int]
  num_params: int

  def inputs(self, x):
    return x

  def apply(self, params, x, cond, train=False, key=None):
    """x [B, H, W, C_in] (cond [B, K] or None) -> outputs; `train` and `key` (dropout) only
    matter to nets with dropout."""
    del train, key
    out = self.module.apply({'params': params}, self.inputs(x), cond)
    return out.reshape((x.shape[0],) + tuple(self.grid_shape) + (self.num_params,))

  def init(self, key, x, cond):
    return self.module.init(key, self.inputs(x), cond)['params']


class FlatNet(GridNet):
  """MADE / NADE: the grid flattened, whose raster order is the vector's order."""

  def inputs(self, x):
    return x.reshape(x.shape[0], -1)


class PixelWiseNet(GridNet):
  """PixelCNN++: outputs per pixel [B, H, W, P], dropout while training."""

  def apply(self, params, x, cond, train=False, key=None):
    rngs = {'dropout': key} if train and key is not None else None
    return self.module.apply({'params': params}, x, cond, train, rngs=rngs)

  def init(self, key, x, cond):
    return self.module.init(key, x, cond, False)['params']


# Builders: (the net's section, grid channels, P, number of classes or 0) -> flax module.
def made(s: MADEConfig, channels: int, num_params: int, num_classes: int) -> nn.Module:
  return MADE(tuple(s.hidden), num_params, s.act, s.order, context_dim=num_classes)


def nade(s: NADEConfig, channels: int, num_params: int, num_classes: int) -> nn.Module:
  return NADE(s.hidden, num_params, s.act)


def pixelcnn(s: PixelCNNConfig, channels: int, num_params: int, num_classes: int):
  return PixelCNN(s.features, s.num_layers, num_params, channels, s.first_kernel_size,
                  s.head_features)


def gated_pixelcnn(s: GatedPixelCNNConfig, channels: int, num_params: int, num_classes: int):
  return GatedPixelCNN(s.features, s.num_layers, num_params, channels, s.kernel_size,
                       s.first_kernel_size, s.head_features)


def pixelcnn_pp(s: PixelCNNPPConfig, channels: int, num_params: int, num_classes: int):
  return PixelCNNPP(s.features, s.num_resnet, num_params, s.levels, s.dropout)


NETS = {'made': (made, FlatNet), 'nade': (nade, FlatNet), 'pixelcnn': (pixelcnn, GridNet),
        'gated_pixelcnn': (gated_pixelcnn, GridNet), 'pixelcnn_pp': (pixelcnn_pp, PixelWiseNet)}


def build(m: AutoregressiveConfig, grid_shape: tuple[int, int, int], num_params: int,
          num_classes: int = 0) -> GridNet:
  """num_params: P per element (per pixel for pixelcnn_pp); num_classes > 0: a one-hot class
  [B, num_classes] conditions every net."""
  builder, kind = NETS[m.net]
  module = builder(m.net_config, grid_shape[-1], num_params, num_classes)
  return kind(module, tuple(grid_shape), num_params)


def one_hot_codes(codes: jax.Array, num_codes: int) -> jax.Array:
  """Codes as a grid [B, h, w, 1] of floats -> one-hot network input [B, h, w, K]."""
  return jax.nn.one_hot(jnp.round(codes[..., 0]).astype(jnp.int32), num_codes)
