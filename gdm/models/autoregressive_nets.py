"""The autoregressive family's networks behind one interface: every model sees its data as a
grid [B, H, W, C] in raster order (a vector [B, D] is the grid [B, 1, D, 1]) and returns
per-element outputs [B, H, W, C, P] (element-wise heads) or per-pixel outputs [B, H, W, P]
(PixelCNN++ with its pixel-wise head); output at a position depends only on earlier ones.
"""
import dataclasses
from typing import Callable

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.nn.gated_pixelcnn import GatedPixelCNN
from gdm.nn.made import MADE
from gdm.nn.nade import NADE
from gdm.nn.pixelcnn import PixelCNN
from gdm.nn.pixelcnn_pp import PixelCNNPP

NETS = ('made', 'nade', 'pixelcnn', 'gated_pixelcnn', 'pixelcnn_pp')
IMAGE_NETS = ('pixelcnn', 'gated_pixelcnn', 'pixelcnn_pp')


@dataclasses.dataclass(frozen=True)
class Net:
  module: nn.Module
  # apply(params, x_in [B, H, W, C_in], cond [B, K] or None, train, key) -> outputs
  apply: Callable
  init: Callable     # init(key, x_in, cond) -> params


def build(m, grid_shape: tuple[int, int, int], num_params: int, num_classes: int = 0) -> Net:
  """m: config.model; num_params: P per element (per pixel for pixelcnn_pp); num_classes > 0:
  a one-hot class [B, num_classes] conditions every net."""
  h, w, c = grid_shape
  if m.net == 'made':
    module = MADE(tuple(m.hidden), num_params, m.act, m.order, context_dim=num_classes)
  elif m.net == 'nade':
    module = NADE(m.hidden[0], num_params, m.act)
  elif m.net == 'pixelcnn':
    module = PixelCNN(m.features, m.num_layers, num_params, c, m.first_kernel_size,
                      m.head_features)
  elif m.net == 'gated_pixelcnn':
    module = GatedPixelCNN(m.features, m.num_layers, num_params, c, m.kernel_size,
                           m.first_kernel_size, m.head_features)
  else:
    module = PixelCNNPP(m.features, m.num_resnet, num_params, m.levels, m.dropout)
  flat = m.net in ('made', 'nade')

  def call(variables, x, cond, train, rngs):
    b = x.shape[0]
    if flat:    # raster order of the grid = order of the flattened vector
      return module.apply(variables, x.reshape(b, -1), cond).reshape(b, h, w, c, num_params)
    if m.net == 'pixelcnn_pp':
      return module.apply(variables, x, cond, train, rngs=rngs)
    return module.apply(variables, x, cond).reshape(b, h, w, c, num_params)

  def apply(params, x, cond, train=False, key=None):
    rngs = {'dropout': key} if train and key is not None else None
    return call({'params': params}, x, cond, train, rngs)

  def init(key, x, cond):
    if flat:
      return module.init(key, x.reshape(x.shape[0], -1), cond)['params']
    if m.net == 'pixelcnn_pp':
      return module.init(key, x, cond, False)['params']
    return module.init(key, x, cond)['params']

  return Net(module, apply, init)


def one_hot_codes(codes: jax.Array, num_codes: int) -> jax.Array:
  """Codes as a grid [B, h, w, 1] of floats -> one-hot network input [B, h, w, K]."""
  return jax.nn.one_hot(jnp.round(codes[..., 0]).astype(jnp.int32), num_codes)
