"""The autoregressive family's networks behind one interface: every model sees its data as a
grid [B, H, W, C] (a vector [B, D] is the grid [B, 1, D, 1]) and returns per-element outputs
[B, H, W, C, P] (element-wise heads) or per-pixel outputs [B, H, W, P] (pixel-wise heads:
PixelCNN++'s mixture); output at a position depends only on positions earlier in the net's
generation order (`order`: None for raster order).

`NETS` maps `model.net` to the builder of its flax module (from the net's own config
section and a NetSpec) and to the kind of GridNet that calls it. A kind also makes the
net's cached stepper for sampling (steppers.py).
"""
import dataclasses

import flax.linen as nn
import jax
import jax.numpy as jnp

from gdm.models.autoregressive import steppers
from gdm.models.autoregressive.config import (AutoregressiveConfig, GatedPixelCNNConfig,
                                              MADEConfig, NADEConfig, PixelCNNConfig,
                                              PixelCNNPPConfig)
from gdm.models.autoregressive.transformer_config import TransformerConfig
from gdm.nn.gated_pixelcnn import GatedPixelCNN
from gdm.nn.image_transformer import ImageTransformer, Vocabulary
from gdm.nn.made import MADE
from gdm.nn.nade import NADE
from gdm.nn.pixelcnn import PixelCNN
from gdm.nn.pixelcnn_pp import PixelCNNPP


@dataclasses.dataclass(frozen=True)
class NetSpec:
  """What a builder needs besides its section."""
  grid_shape: tuple[int, int, int]
  num_params: int                   # P per element (per pixel when pixel_wise)
  num_classes: int = 0              # > 0: a one-hot class [B, K] conditions the net
  pixel_wise: bool = False          # the head draws whole pixels
  vocabulary: Vocabulary | None = None   # the discrete values of an element, if any

  @property
  def channels(self) -> int:
    return self.grid_shape[-1]


@dataclasses.dataclass(frozen=True)
class GridNet:
  """A net on the grid: module(x [B, H, W, C_in], cond [B, K] or None) -> per-element
  outputs, reshaped to [B, H, W, C, P]. Sampling recomputes it (no cache)."""
  module: nn.Module
  grid_shape: tuple[int, int, int]
  num_params: int
  pixel_wise = False
  order = None

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

  def stepper(self, params, cond, to_input, out_fn):
    del params, cond, to_input
    return steppers.Recompute(out_fn, self.order)


class FlatNet(GridNet):
  """MADE / NADE: the grid flattened, whose raster order is the vector's order."""

  def inputs(self, x):
    return x.reshape(x.shape[0], -1)


class RowNet(GridNet):
  """PixelCNN / Gated PixelCNN: causal convs that also run one row at a time (row=r, rows
  in order) with a cache of the rows above (gdm/nn/row_cache.py); sampling uses that
  (steppers.RowCache)."""

  def call(self, variables, x, cond, **kwargs):
    return self.module.apply(variables, x, cond, **kwargs)

  def row_outputs(self, out):
    """[B, 1, W, C * P] -> [B, W, C, P]."""
    return out.reshape((out.shape[0], out.shape[2], self.grid_shape[-1], self.num_params))

  def prime(self, params, x, cond, rows: int):
    """The cache after evaluating rows 0 .. rows - 1 of x (a sampler starting at `rows`)."""
    shapes = jax.eval_shape(lambda: self.row(params, {}, x, cond, 0)[1])
    cache = jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), shapes)
    return jax.lax.fori_loop(0, rows, lambda r, c: self.row(params, c, x, cond, r)[1], cache)

  def row(self, params, cache, x, cond, r):
    out, variables = self.call({'params': params, 'cache': cache}, x, cond, row=r,
                               mutable=['cache'])
    return self.row_outputs(out), variables.get('cache', {})

  def stepper(self, params, cond, to_input, out_fn):
    del out_fn
    return steppers.RowCache(self, params, cond, to_input)


class PixelWiseNet(RowNet):
  """PixelCNN++: outputs per pixel [B, H, W, P], dropout while training."""
  pixel_wise = True

  def apply(self, params, x, cond, train=False, key=None):
    rngs = {'dropout': key} if train and key is not None else None
    return self.module.apply({'params': params}, x, cond, train, rngs=rngs)

  def init(self, key, x, cond):
    return self.module.init(key, x, cond, False)['params']

  def call(self, variables, x, cond, **kwargs):
    return self.module.apply(variables, x, cond, False, **kwargs)

  def row_outputs(self, out):
    return out[:, 0]


class TransformerNet(GridNet):
  """The Image Transformer: tokens in the module's generation order, dropout while
  training, a key/value cache for sampling (steppers.KVCache)."""

  @property
  def pixel_wise(self):
    return self.module.pixel_tokens

  @property
  def order(self):
    return self.module.grid.order

  def apply(self, params, x, cond, train=False, key=None):
    rngs = {'dropout': key} if train and key is not None else None
    out = self.module.apply({'params': params}, x, cond, train, rngs=rngs)
    shape = tuple(self.grid_shape[:2]) + (() if self.pixel_wise else (self.grid_shape[2],))
    return out.reshape((x.shape[0],) + shape + (self.num_params,))

  def init(self, key, x, cond):
    return self.module.init(key, x, cond, False)['params']

  def prime(self, params, x, cond):
    """Keys and values of every token of x: a full pass with a mutable cache."""
    return self.module.apply({'params': params}, x, cond, False, mutable=['cache'])[1]['cache']

  def decode(self, params, cache, prev, t, cond):
    out, variables = self.module.apply({'params': params, 'cache': cache}, prev, t, cond,
                                       method=ImageTransformer.decode, mutable=['cache'])
    return out, variables['cache']

  def stepper(self, params, cond, to_input, out_fn):
    del out_fn
    return steppers.KVCache(self, params, cond, to_input)


# Builders: (the net's section, NetSpec) -> flax module.
def made(s: MADEConfig, spec: NetSpec) -> nn.Module:
  return MADE(tuple(s.hidden), spec.num_params, s.act, s.order, context_dim=spec.num_classes)


def nade(s: NADEConfig, spec: NetSpec) -> nn.Module:
  return NADE(s.hidden, spec.num_params, s.act)


def pixelcnn(s: PixelCNNConfig, spec: NetSpec) -> nn.Module:
  return PixelCNN(s.features, s.num_layers, spec.num_params, spec.channels,
                  s.first_kernel_size, s.head_features)


def gated_pixelcnn(s: GatedPixelCNNConfig, spec: NetSpec) -> nn.Module:
  return GatedPixelCNN(s.features, s.num_layers, spec.num_params, spec.channels,
                       s.kernel_size, s.first_kernel_size, s.head_features)


def pixelcnn_pp(s: PixelCNNPPConfig, spec: NetSpec) -> nn.Module:
  return PixelCNNPP(s.features, s.num_resnet, spec.num_params, s.levels, s.dropout)


def image_transformer(s: TransformerConfig, spec: NetSpec) -> nn.Module:
  grid = s.token_grid(spec.grid_shape, spec.pixel_wise)
  return ImageTransformer(
      grid=grid, pattern=s.pattern(grid), combine=s.combine, num_layers=s.num_layers,
      features=s.features, num_heads=s.num_heads, ff_features=s.ff_features or 4 * s.features,
      act=s.act, norm=s.norm, dropout=s.dropout, outputs=spec.num_params,
      vocabulary=None if spec.pixel_wise else spec.vocabulary,
      pixel_tokens=spec.pixel_wise, remat=s.remat)


NETS = {'made': (made, FlatNet), 'nade': (nade, FlatNet), 'pixelcnn': (pixelcnn, RowNet),
        'gated_pixelcnn': (gated_pixelcnn, RowNet),
        'pixelcnn_pp': (pixelcnn_pp, PixelWiseNet),
        'image_transformer': (image_transformer, TransformerNet)}


def build(m: AutoregressiveConfig, grid_shape: tuple[int, int, int], num_params: int,
          num_classes: int = 0, pixel_wise: bool = False,
          vocabulary: Vocabulary | None = None) -> GridNet:
  """num_params: P per element (per pixel when pixel_wise); num_classes > 0: a one-hot
  class [B, num_classes] conditions every net."""
  builder, kind = NETS[m.net]
  spec = NetSpec(tuple(grid_shape), num_params, num_classes, pixel_wise, vocabulary)
  return kind(builder(m.net_config, spec), tuple(grid_shape), num_params)


def one_hot_codes(codes: jax.Array, num_codes: int) -> jax.Array:
  """Codes as a grid [B, h, w, 1] of floats -> one-hot network input [B, h, w, K]."""
  return jax.nn.one_hot(jnp.round(codes[..., 0]).astype(jnp.int32), num_codes)
