"""The Image Transformer (Parmar et al., 2018): a decoder-only transformer over the tokens of
an image (subpixels, or whole pixels for a pixel-wise likelihood), with the attention
patterns of gdm/nn/attention_patterns.py (full, 1-D / 2-D local, and the Sparse
Transformer's strided / fixed factorisations, Child et al., 2019).

Input at token s: the embedding of token s - 1 (a learned start vector at s = 0), plus
learned embeddings of s's row, column and channel (the paper's learned 2-D positions, the
Sparse Transformer's data embeddings), plus a class embedding when conditioned. Discrete
values are looked up in a table per channel (the paper's 256 embeddings per channel); other
inputs (a pixel's channels, one-hot codes) go through a dense layer. Blocks (pre- or
post-norm, residual dropout) run under nn.scan, so compile time does not grow with depth,
optionally under nn.remat. `decode` runs one token against the key/value cache that a
priming pass (mutable 'cache') or earlier decode steps filled.
"""
import dataclasses

import flax.linen as nn
import jax.numpy as jnp

from gdm.nn.attention_patterns import TokenGrid
from gdm.nn.mlp import activation
from gdm.nn.pattern_attention import PatternAttention

NORMS = ('pre', 'post')


@dataclasses.dataclass(frozen=True)
class Vocabulary:
  """An element takes `count` evenly spaced values from low to high."""
  count: int
  low: float
  high: float

  def index(self, x):
    i = jnp.round((x - self.low) * ((self.count - 1) / (self.high - self.low)))
    return jnp.clip(i, 0, self.count - 1).astype(jnp.int32)


class Block(nn.Module):
  grid: TokenGrid
  pattern: object
  combine: str
  num_heads: int
  features: int
  ff_features: int
  act: str
  norm: str
  dropout: float

  @nn.compact
  def __call__(self, x, layer, train, t):
    drop = nn.Dropout(self.dropout, deterministic=not train)
    attn = PatternAttention(self.grid, self.pattern, self.combine, self.num_heads,
                            self.features, name='attn')
    ff = nn.Sequential([nn.Dense(self.ff_features, name='ff_in'), activation(self.act),
                        nn.Dense(self.features, name='ff_out')], name='ff')
    if self.norm == 'pre':
      x = x + drop(attn(nn.LayerNorm(name='norm_attn')(x), layer, t))
      return x + drop(ff(nn.LayerNorm(name='norm_ff')(x))), None
    x = nn.LayerNorm(name='norm_attn')(x + drop(attn(x, layer, t)))
    return nn.LayerNorm(name='norm_ff')(x + drop(ff(x))), None


class ImageTransformer(nn.Module):
  """x [B, H, W, C_in] in raster order -> [B, H, W, channels * outputs] (outputs per token);
  `decode(prev [B, f], t)` -> [B, outputs] at token t from token t - 1's input features."""
  grid: TokenGrid
  pattern: object
  combine: str = 'interleave'
  num_layers: int = 4
  features: int = 64
  num_heads: int = 4
  ff_features: int = 256
  act: str = 'gelu'
  norm: str = 'pre'
  dropout: float = 0.0
  outputs: int = 1
  vocabulary: Vocabulary | None = None
  pixel_tokens: bool = False
  remat: bool = False

  def setup(self):
    g, d = self.grid, self.features
    init = nn.initializers.normal(0.02)
    self.start = self.param('start', init, (d,))
    self.rows = self.param('rows', init, (g.height, d))
    self.cols = self.param('cols', init, (g.width, d))
    self.chans = self.param('channels', init, (g.channels, d))
    if self.vocabulary is not None:
      self.values = nn.Embed(g.channels * self.vocabulary.count, d, embedding_init=init)
    else:
      self.values = nn.Dense(d)
    self.label = nn.Dense(d, use_bias=False)
    block = nn.remat(Block, static_argnums=(3,)) if self.remat else Block
    self.blocks = nn.scan(block, variable_axes={'params': 0, 'cache': 0},
                          split_rngs={'params': True, 'dropout': True},
                          in_axes=(0, nn.broadcast, nn.broadcast), length=self.num_layers)(
        self.grid, self.pattern, self.combine, self.num_heads, d, self.ff_features,
        self.act, self.norm, self.dropout)
    self.final_norm = nn.LayerNorm() if self.norm == 'pre' else None
    self.out = nn.Dense(self.outputs, kernel_init=nn.initializers.zeros)
    self.drop = nn.Dropout(self.dropout)

  def _output(self, h):
    return self.out(h if self.final_norm is None else self.final_norm(h))

  def _embed_values(self, tokens, s):
    """Features of the tokens generated s-th ([..., f], s broadcast) -> [..., d]."""
    if self.vocabulary is None:
      return self.values(tokens)
    _, _, ch = self.grid.coords(s)
    return self.values(self.vocabulary.index(tokens[..., 0]) + ch * self.vocabulary.count)

  def _position(self, s):
    r, c, ch = self.grid.coords(s)
    return (jnp.take(self.rows, r, axis=0) + jnp.take(self.cols, c, axis=0)
            + jnp.take(self.chans, ch, axis=0))

  def _label(self, cond):
    return 0.0 if cond is None else self.label(cond)

  def __call__(self, x, cond=None, train: bool = False):
    b, size = x.shape[0], self.grid.size
    s = jnp.arange(size)
    tokens = jnp.take(x.reshape(b, size, -1), self.grid.order, axis=1)   # generation order
    emb = self._embed_values(tokens, s)
    start = jnp.broadcast_to(self.start, (b, 1, self.features))
    h = jnp.concatenate([start, emb[:, :-1]], axis=1) + self._position(s)
    if cond is not None:
      h = h + self._label(cond)[:, None]
    h = self.drop(h, deterministic=not train)
    h, _ = self.blocks(h, jnp.arange(self.num_layers), train, None)
    out = self._output(h)                                                # [B, T, P]
    out = jnp.take(out, self.grid.rank, axis=1)                          # raster order
    return out.reshape(x.shape[:3] + (-1,))

  def decode(self, prev, t, cond=None):
    """prev [B, f]: the input features of token t - 1 (ignored at t = 0)."""
    emb = jnp.where(t == 0, self.start, self._embed_values(prev, jnp.maximum(t - 1, 0)))
    h = emb + self._position(t) + self._label(cond)
    h, _ = self.blocks(h, jnp.arange(self.num_layers), False, t)
    return self._output(h)
