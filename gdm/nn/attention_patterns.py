"""Which earlier tokens a token may attend to: the Image Transformer's local patterns (Parmar
et al., 2018, sec. 3.2) and the Sparse Transformer's factorised ones (Child et al., 2019,
sec. 4.3), over the tokens of an image in generation order.

Tokens are subpixels (the channels of a pixel one after another) or whole pixels.
`TokenGrid` orders them: raster order, or, for 2-D local attention, query blocks of
rows x cols pixels taken in raster order of blocks, raster order inside a block (the paper's
order). The decoder shifts its input right, so key position k holds token k - 1: query q
may use keys k <= q and still sees only earlier tokens.

A pattern has
  parts                     1, or 2 for a factorised pattern (how they combine: COMBINES);
  allowed(grid, q, k, part) whether query q may use key k (numpy or jax ints, broadcast);
                            every part admits k = q, so no query attends to nothing;
  query_block(grid)         queries are handled in blocks of this many consecutive tokens;
  memory(grid)              [blocks, M] the keys a query block may use (-1: none), a superset
                            of what `allowed` admits: attention costs M keys per query,
                            not T, for the local patterns.
"""
import dataclasses
import functools

import jax.numpy as jnp
import numpy as np


@dataclasses.dataclass(frozen=True)
class TokenGrid:
  height: int
  width: int
  channels: int                          # tokens per pixel: C (subpixels) or 1 (pixels)
  block: tuple[int, int] | None = None   # (rows, cols): block-raster order (2-D local)

  @property
  def size(self) -> int:
    return self.height * self.width * self.channels

  def coords(self, s):
    """(row, col, channel) of the token generated s-th."""
    c = self.channels
    if self.block is None:
      pixel = s // c
      return pixel // self.width, pixel % self.width, s % c
    bh, bw = self.block
    per_block = bh * bw * c
    b, o = s // per_block, s % per_block
    p = o // c
    return ((b // (self.width // bw)) * bh + p // bw, (b % (self.width // bw)) * bw + p % bw,
            o % c)

  @functools.cached_property
  def order(self) -> np.ndarray:
    """[T]: the raster index (row, col, channel) of the token generated s-th."""
    r, col, ch = self.coords(np.arange(self.size))
    return ((r * self.width + col) * self.channels + ch).astype(np.int32)

  @functools.cached_property
  def rank(self) -> np.ndarray:
    """The inverse of `order`: raster index -> generation step."""
    return np.argsort(self.order).astype(np.int32)


def _dense_memory(grid: TokenGrid) -> np.ndarray:
  return np.arange(grid.size, dtype=np.int32)[None]


@dataclasses.dataclass(frozen=True)
class Full:
  parts = 1

  def allowed(self, grid, q, k, part):
    del grid, part
    return k <= q

  def query_block(self, grid):
    return grid.size

  def memory(self, grid):
    return _dense_memory(grid)


@dataclasses.dataclass(frozen=True)
class Local1D:
  """Query blocks of `block` tokens in raster order; each attends to its own block and the
  `memory` tokens before it (Parmar et al.: l_q and l_m)."""
  block: int
  memory_length: int
  parts = 1

  def allowed(self, grid, q, k, part):
    del grid, part
    return (k <= q) & (k >= (q // self.block) * self.block - self.memory_length)

  def query_block(self, grid):
    return self.block

  def memory(self, grid):
    blocks = -(-grid.size // self.block)
    k = (np.arange(blocks)[:, None] * self.block - self.memory_length
         + np.arange(self.block + self.memory_length)[None])
    return np.where((k >= 0) & (k < grid.size), k, -1).astype(np.int32)


@dataclasses.dataclass(frozen=True)
class Local2D:
  """Query blocks of rows x cols pixels (the grid's `block`, generated one after another);
  each attends to the pixels of its block and of a flange `flange_rows` above and
  `flange_cols` left and right of it, as far as they are generated."""
  flange_rows: int
  flange_cols: int
  parts = 1

  def _window(self, grid, q):
    bh, bw = grid.block
    r, c, _ = grid.coords(q)
    top, left = (r // bh) * bh - self.flange_rows, (c // bw) * bw - self.flange_cols
    return top, top + bh + self.flange_rows, left, left + bw + 2 * self.flange_cols

  def allowed(self, grid, q, k, part):
    del part
    top, bottom, left, right = self._window(grid, q)
    r, c, _ = grid.coords(k)
    return (k <= q) & (r >= top) & (r < bottom) & (c >= left) & (c < right)

  def query_block(self, grid):
    return grid.block[0] * grid.block[1] * grid.channels

  def memory(self, grid):
    first = np.arange(0, grid.size, self.query_block(grid))
    top, _, left, _ = self._window(grid, first)
    rows = top[:, None] + np.arange(grid.block[0] + self.flange_rows)
    cols = left[:, None] + np.arange(grid.block[1] + 2 * self.flange_cols)
    r, c = rows[:, :, None, None], cols[:, None, :, None]
    raster = (r * grid.width + c) * grid.channels + np.arange(grid.channels)
    inside = (r >= 0) & (r < grid.height) & (c >= 0) & (c < grid.width)
    k = np.where(inside, grid.rank[np.clip(raster, 0, grid.size - 1)], -1)
    return k.reshape(len(first), -1).astype(np.int32)


@dataclasses.dataclass(frozen=True)
class Strided:
  """Part 0: the previous `stride` tokens; part 1: every stride-th token before."""
  stride: int
  parts = 2

  def allowed(self, grid, q, k, part):
    del grid
    local = q - k <= self.stride
    return (k <= q) & jnp.where(part == 0, local, (q - k) % self.stride == 0)

  def query_block(self, grid):
    return grid.size

  def memory(self, grid):
    return _dense_memory(grid)


@dataclasses.dataclass(frozen=True)
class Fixed:
  """Part 0: the token's own block of `stride`; part 1: the last `summary` tokens of every
  block (c in the paper), and the token itself (else the first tokens would attend to
  nothing)."""
  stride: int
  summary: int
  parts = 2

  def allowed(self, grid, q, k, part):
    del grid
    same_block = k // self.stride == q // self.stride
    summary = (k % self.stride >= self.stride - self.summary) | (k == q)
    return (k <= q) & jnp.where(part == 0, same_block, summary)

  def query_block(self, grid):
    return grid.size

  def memory(self, grid):
    return _dense_memory(grid)


# How the parts of a factorised pattern share the work (Child et al., sec. 5.1):
# mask(pattern, grid, q, k, layer, heads) -> bool [heads or 1, *broadcast(q, k)].
def interleave(pattern, grid, q, k, layer, heads):
  """One part per layer: layer r uses part r mod parts."""
  del heads
  return jnp.asarray(pattern.allowed(grid, q, k, layer % pattern.parts))[None]


def merge(pattern, grid, q, k, layer, heads):
  """Every head attends to the union of the parts."""
  del layer, heads
  allowed = [pattern.allowed(grid, q, k, part) for part in range(pattern.parts)]
  return functools.reduce(jnp.logical_or, allowed)[None]


def split_heads(pattern, grid, q, k, layer, heads):
  """Head h uses part h mod parts."""
  if pattern.parts == 1:
    return interleave(pattern, grid, q, k, layer, heads)
  parts = jnp.arange(heads).reshape((heads,) + (1,) * np.ndim(q + k)) % pattern.parts
  return pattern.allowed(grid, q, k, parts)


COMBINES = {'interleave': interleave, 'merge': merge, 'heads': split_heads}
PATTERNS = {'full': Full, 'local_1d': Local1D, 'local_2d': Local2D, 'strided': Strided,
            'fixed': Fixed}
