"""The Image Transformer's attention patterns against known answers: the block-raster order
and a 2-D memory written out by hand; by gradients, every pattern's two-layer network
depends on exactly the earlier tokens its masks connect (nothing later: causal), and the
factorised patterns reach every earlier token in two layers (Child et al.'s validity);
pattern attention over query blocks and one token at a time with the key/value cache both
equal a dense numpy attention with the pattern's mask."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gdm.nn import attention_patterns as ap
from gdm.nn.image_transformer import ImageTransformer
from gdm.nn.pattern_attention import PatternAttention
from tests.helpers import random_like

GRID = ap.TokenGrid(4, 4, 2)                 # 32 subpixel tokens, raster order
BLOCKS = ap.TokenGrid(4, 4, 2, (2, 2))       # 2x2-pixel query blocks
CASES = {  # name -> (grid, pattern, combine)
    'full': (GRID, ap.Full(), 'interleave'),
    'local_1d': (GRID, ap.Local1D(4, 6), 'interleave'),
    'local_2d': (BLOCKS, ap.Local2D(1, 1), 'interleave'),
    **{f'strided_{c}': (GRID, ap.Strided(8), c) for c in ap.COMBINES},
    **{f'fixed_{c}': (GRID, ap.Fixed(8, 2), c) for c in ap.COMBINES},
}
HEADS = 2


def _masks(grid, pattern, combine, layer):
  """[T, T] bool: query q may use key k in `layer`, any head."""
  q, k = np.arange(grid.size)[:, None], np.arange(grid.size)[None]
  return np.asarray(ap.COMBINES[combine](pattern, grid, q, k, layer, HEADS)).any(0)


def test_block_raster_order_and_a_2d_memory_by_hand():
  g = ap.TokenGrid(4, 4, 1, (2, 2))
  np.testing.assert_array_equal(g.order, [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15])
  np.testing.assert_array_equal(g.order[g.rank], np.arange(16))
  # Block 3 (bottom right) with one flange row above and one column each side: pixels of
  # rows 1..3, columns 1..3 (column 4 is outside), as generation steps.
  memory = ap.Local2D(1, 1).memory(g)[3].reshape(3, 4)
  np.testing.assert_array_equal(memory, [[3, 6, 7, -1], [9, 12, 13, -1], [11, 14, 15, -1]])
  assert ap.Local1D(4, 2).memory(ap.TokenGrid(2, 4, 1))[1].tolist() == [2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize('case', CASES)
def test_two_layers_depend_on_exactly_what_the_masks_connect(case):
  grid, pattern, combine = CASES[case]
  net = ImageTransformer(grid, pattern, combine, num_layers=2, features=8, num_heads=HEADS,
                         ff_features=16, outputs=1)
  x = jnp.zeros((1, grid.height, grid.width, grid.channels))
  params = random_like(jax.eval_shape(net.init, jax.random.key(0), x), np.random.default_rng(0))
  xs = jnp.asarray(np.random.default_rng(1).normal(size=(8,) + x.shape[1:]), jnp.float32)
  jac = jax.jit(jax.vmap(jax.jacfwd(lambda v: net.apply(params, v[None])[0])))(xs)
  raster = np.abs(np.asarray(jac)).max(0).reshape(grid.size, grid.size) > 0   # [out, in]
  dep = raster[np.ix_(grid.order, grid.order)]                       # generation order
  # Layer 0's key j + 1 holds token j (the input is shifted right); layer 1 mixes positions.
  first = np.zeros_like(dep)
  first[:, :-1] = _masks(grid, pattern, combine, 0)[:, 1:]
  want = (_masks(grid, pattern, combine, 1).astype(int) @ first.astype(int)) > 0
  np.testing.assert_array_equal(dep, want)
  before = np.tril(np.ones_like(dep), -1)
  assert not np.any(dep & ~before)                                   # causal
  if case in ('full', 'strided_interleave', 'fixed_interleave', 'fixed_merge'):
    np.testing.assert_array_equal(dep, before)                       # reaches every token


def _dense_reference(params, x, mask):
  """Masked multi-head attention in numpy, mask [H | 1, T, T]."""
  p = jax.tree.map(np.asarray, params)
  qkv = x @ p['qkv']['kernel'] + p['qkv']['bias']
  q, k, v = (a.reshape(x.shape[0], x.shape[1], HEADS, -1) for a in np.split(qkv, 3, -1))
  logits = np.einsum('bqhd,bkhd->bhqk', q, k) / np.sqrt(q.shape[-1])
  logits = np.where(mask[None], logits, -np.inf)
  w = np.exp(logits - logits.max(-1, keepdims=True))
  w /= w.sum(-1, keepdims=True)
  out = np.einsum('bhqk,bkhd->bqhd', w, v).reshape(x.shape[0], x.shape[1], -1)
  return out @ p['out']['kernel'] + p['out']['bias']


@pytest.mark.parametrize('case', ['full', 'local_1d', 'local_2d', 'strided_heads',
                                  'fixed_interleave'])
def test_block_and_cached_attention_equal_dense_masked_attention(case):
  grid, pattern, combine = CASES[case]
  attn = PatternAttention(grid, pattern, combine, HEADS, 8)
  x = jnp.asarray(np.random.default_rng(2).normal(size=(2, grid.size, 8)), jnp.float32)
  layer = 1                                  # the second part of a factorised pattern
  params = random_like(jax.eval_shape(attn.init, jax.random.key(0), x, layer),
                       np.random.default_rng(3))
  q, k = np.arange(grid.size)[:, None], np.arange(grid.size)[None]
  mask = np.asarray(ap.COMBINES[combine](pattern, grid, q, k, layer, HEADS))
  want = _dense_reference(params['params'], np.asarray(x), mask)

  @jax.jit
  def cached(x):
    cache = jax.tree.map(jnp.zeros_like, attn.apply(params, x, layer, mutable=['cache'])[1])

    def step(cache, t):
      out, variables = attn.apply({**params, **cache}, x[:, t], layer, t, mutable=['cache'])
      return variables, out
    return jnp.moveaxis(jax.lax.scan(step, cache, jnp.arange(grid.size))[1], 0, 1)

  np.testing.assert_allclose(jax.jit(attn.apply)(params, x, layer), want, rtol=1e-4,
                             atol=1e-5)
  np.testing.assert_allclose(cached(x), want, rtol=1e-4, atol=1e-5)
