"""The Image Transformer's section, `model.image_transformer`, with one sub-section per
attention pattern (`model.image_transformer.local_1d.query_block`, ...), of which only the
one `attention` names is used; every one is checked.

Tokens are subpixels for an element-wise likelihood (bernoulli, categorical) and whole
pixels for the pixel-wise logistic mixture.
"""
from gdm.data.source import DatasetInfo
from gdm.nn import attention_patterns as patterns
from gdm.nn.image_transformer import NORMS
from gdm.nn.mlp import ACTIVATIONS
from gdm.utils.schema import choice, require, section


@section
class Local1DConfig:
  query_block: int = 16        # l_q: tokens per query block, in raster order
  memory: int = 16             # l_m: earlier tokens each block also attends to

  def __post_init__(self):
    require(self.query_block >= 1, 'query_block', self.query_block, 'must be >= 1')
    require(self.memory >= 0, 'memory', self.memory, 'must be >= 0')


@section
class Local2DConfig:
  query_rows: int = 2          # query blocks of query_rows x query_cols pixels, generated
  query_cols: int = 4          # one block after another (block-raster order)
  memory_rows: int = 2         # the memory: the block and this many rows above it
  memory_cols: int = 2         # and this many columns left and right of it

  def __post_init__(self):
    for key in ('query_rows', 'query_cols'):
      require(getattr(self, key) >= 1, key, getattr(self, key), 'must be >= 1')
    for key in ('memory_rows', 'memory_cols'):
      require(getattr(self, key) >= 0, key, getattr(self, key), 'must be >= 0')

  def check_data(self, info: DatasetInfo):
    for key, side in (('query_rows', info.shape[0]), ('query_cols', info.shape[1])):
      if side % getattr(self, key):
        raise ValueError(f'model.image_transformer.local_2d.{key}={getattr(self, key)} must '
                         f'divide the image side {side} (query blocks tile the image)')


@section
class StridedConfig:
  stride: int = 0              # l; 0 = one image row of tokens

  def __post_init__(self):
    require(self.stride >= 0, 'stride', self.stride, 'must be >= 0 (0 = one image row)')


@section
class FixedConfig:
  stride: int = 0              # l, the block length; 0 = one image row of tokens
  summary: int = 1             # c: the last c tokens of every block summarise it

  def __post_init__(self):
    require(self.stride >= 0, 'stride', self.stride, 'must be >= 0 (0 = one image row)')
    require(self.summary >= 1, 'summary', self.summary, 'must be >= 1')


@section
class TransformerConfig:
  num_layers: int = 4
  features: int = 64           # d
  num_heads: int = 4
  ff_features: int = 0         # 0 = 4 x features
  act: str = 'gelu'            # the feed-forward activation (Image Transformer: relu)
  norm: str = 'pre'            # pre (Sparse Transformer) | post (Image Transformer)
  dropout: float = 0.0         # on the input and every residual branch
  attention: str = 'full'      # full | local_1d | local_2d | strided | fixed
  combine: str = 'interleave'  # strided / fixed parts: interleave (per layer) | merge | heads
  remat: bool = False          # recompute each block in the backward pass (memory)
  local_1d: Local1DConfig = Local1DConfig()
  local_2d: Local2DConfig = Local2DConfig()
  strided: StridedConfig = StridedConfig()
  fixed: FixedConfig = FixedConfig()

  def __post_init__(self):
    for key in ('num_layers', 'features', 'num_heads'):
      require(getattr(self, key) >= 1, key, getattr(self, key), 'must be >= 1')
    require(self.features % self.num_heads == 0, 'features', self.features,
            f'must be a multiple of num_heads={self.num_heads}')
    require(self.ff_features >= 0, 'ff_features', self.ff_features, 'must be >= 0 (0 = 4 x '
            'features)')
    choice(self.act, ACTIVATIONS, 'act', 'activation')
    choice(self.norm, NORMS, 'norm', 'norm placement')
    require(0 <= self.dropout < 1, 'dropout', self.dropout, 'must be in [0, 1)')
    choice(self.attention, patterns.PATTERNS, 'attention', 'attention pattern')
    choice(self.combine, patterns.COMBINES, 'combine', 'way to combine factorised parts')

  def check_data(self, info: DatasetInfo):
    if not info.is_image:
      raise ValueError(f"model.net='image_transformer' needs images; {info.name!r} holds "
                       'vectors: use made or nade')
    if self.attention == 'local_2d':
      self.local_2d.check_data(info)

  def token_grid(self, grid_shape, pixel_wise: bool) -> patterns.TokenGrid:
    block = ((self.local_2d.query_rows, self.local_2d.query_cols)
             if self.attention == 'local_2d' else None)
    h, w, c = grid_shape
    return patterns.TokenGrid(h, w, 1 if pixel_wise else c, block)

  def pattern(self, grid: patterns.TokenGrid):
    return PATTERNS[self.attention](self, grid.width * grid.channels)


# `attention` -> (the section, tokens per image row) -> the pattern.
def _full(s: TransformerConfig, row: int):
  return patterns.Full()


def _local_1d(s: TransformerConfig, row: int):
  return patterns.Local1D(s.local_1d.query_block, s.local_1d.memory)


def _local_2d(s: TransformerConfig, row: int):
  return patterns.Local2D(s.local_2d.memory_rows, s.local_2d.memory_cols)


def _strided(s: TransformerConfig, row: int):
  return patterns.Strided(s.strided.stride or row)


def _fixed(s: TransformerConfig, row: int):
  return patterns.Fixed(s.fixed.stride or row, s.fixed.summary)


PATTERNS = {'full': _full, 'local_1d': _local_1d, 'local_2d': _local_2d, 'strided': _strided,
            'fixed': _fixed}
