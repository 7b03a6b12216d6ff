"""One-row-at-a-time evaluation of causal convolutions, for fast exact sampling.

A causal conv's output row r depends on input rows <= r only. A sampler that has drawn the
image up to row r therefore needs, at each step, only row r of every layer; the rows above
were computed at earlier steps and do not change. So each conv keeps a cache: its
zero-padded input map. A full pass run with a mutable 'cache' collection stores it
(`store`, the priming pass); a pass with `row=r` gives each conv either the whole input map
(the first layers read the canvas) or only its input row r, which is written into the cache
before the conv reads its window of rows from there (`padded_rows`). Row r costs W output
positions per layer instead of H x W, and computes what the full pass computes: the same
kernel over the same window (positions right of the newest draw are wrong until drawn, and
causality keeps them out of every output that is used).
"""
import jax
import jax.numpy as jnp

CACHE = 'cache'


def store(module, padded: jax.Array, rows_above: int):
  """In a priming pass (mutable 'cache'), keep the conv's padded input when its window
  reaches rows above the output row (a window of one row needs no memory)."""
  if rows_above > 0 and module.is_mutable_collection(CACHE):
    module.variable(CACHE, 'input', lambda: padded).value = padded


def padded_rows(module, x: jax.Array, row, pad, top, count: int) -> jax.Array:
  """Rows [top, top + count) of jnp.pad(input map, pad) with pad = ((0, 0), (t, b), (l, r),
  (0, 0)). x is the whole input map, or (x.shape[1] == 1) input row `row`, written into the
  cache that `store` made (window rows other than `row` come from there)."""
  if x.shape[1] != 1:
    return jax.lax.dynamic_slice_in_dim(jnp.pad(x, pad), top, count, axis=1)
  row_padded = jnp.pad(x, ((0, 0), (0, 0)) + tuple(pad[2:]))
  if count == 1:                       # the window is the input row itself
    return row_padded
  if not module.has_variable(CACHE, 'input'):
    raise ValueError(f'{module.name}: run a priming pass (full input, mutable "cache") '
                     'before evaluating rows')
  cache = module.variable(CACHE, 'input')
  cache.value = jax.lax.dynamic_update_slice_in_dim(cache.value, row_padded,
                                                    row + pad[1][0], axis=1)
  return jax.lax.dynamic_slice_in_dim(cache.value, top, count, axis=1)
