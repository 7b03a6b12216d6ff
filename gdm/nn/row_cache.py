"""One-row-at-a-time evaluation of causal convolutions, for fast exact sampling.

A causal conv's output row r depends on input rows <= r only. A sampler that has drawn the
image up to row r therefore needs, at each step, only row r of every layer; the rows above
were computed at earlier steps and do not change. A pass with `row=r` gives each conv
either the whole input map (the first layers read the canvas) or only its input row r, which
goes into the conv's cache: a ring of the last few zero-padded input rows (as many as its
window spans, plus one for a stride-2 conv, whose window can lie a row behind its input).
The ring starts as zeros, the padding above the image, and rows must come in order (each any
number of times: a row is re-evaluated after every draw in it). Row r costs W output
positions per layer instead of H x W, and computes what the full pass computes: the same
kernel over the same window (positions right of the newest draw are wrong until drawn, and
causality keeps them out of every output that is used).
"""
import jax
import jax.numpy as jnp

CACHE = 'cache'


def padded_rows(module, x: jax.Array, row, pad, top, count: int, stride: int = 1):
  """Rows [top, top + count) of jnp.pad(input map, pad), pad = ((0, 0), (t, b), (l, r),
  (0, 0)). x is the whole input map, or (x.shape[1] == 1) input row `row` (padded row
  row + t), kept in the module's ring for the rows after it."""
  if x.shape[1] != 1:
    return jax.lax.dynamic_slice_in_dim(jnp.pad(x, pad), top, count, axis=1)
  row_padded = jnp.pad(x, ((0, 0), (0, 0)) + tuple(pad[2:]))
  if count == 1:                       # the window is the input row itself
    return row_padded
  size = count + stride - 1            # padded rows alive at once: [top, row + t]
  ring = module.variable(CACHE, 'rows', jnp.zeros,
                         (x.shape[0], size) + row_padded.shape[2:], x.dtype)
  ring.value = jax.lax.dynamic_update_slice_in_dim(ring.value, row_padded,
                                                   (row + pad[1][0]) % size, axis=1)
  return jnp.take(ring.value, (top + jnp.arange(count)) % size, axis=1)
